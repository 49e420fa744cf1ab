package keys

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

func TestTheLogNeverHoldsASecret(t *testing.T) {
	keyring.MockInit()
	const stored, fromEnv = "lf-stored-5e1f9a", "yc-env-77c0d2"
	s := New("main", "yclients", WithEnv(func(k string) string {
		switch k {
		case "CLUBDESK_YCLIENTS_USER_TOKEN":
			return fromEnv
		case "DBUS_SESSION_BUS_ADDRESS":
			return "unix:path=/mock"
		}
		return ""
	}))
	if err := s.Set("partner_token", stored); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Secret("user_token"); err != nil {
		t.Fatal(err)
	}

	var buf bytes.Buffer
	log := slog.New(RedactingHandler(slog.NewTextHandler(&buf, nil)))
	log.With("token", stored).Warn("request failed: Authorization: Bearer "+stored+", User "+fromEnv,
		"err", errors.New("GET /x?partner="+stored), "headers", map[string]string{"Api-Key": "lf-header-value-9"},
		slog.Group("req", "APP_TOKEN", "gocrm-app-token-1"))
	out := buf.String()
	for _, secret := range []string{stored, fromEnv, "lf-header-value-9", "gocrm-app-token-1"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "request failed") || !strings.Contains(out, redacted) {
		t.Errorf("the line lost its sense:\n%s", out)
	}
	if got := Redact(`{"user_token": "abcdef123456", "login": "anna"}`); strings.Contains(got, "abcdef123456") || !strings.Contains(got, "anna") {
		t.Errorf("Redact = %s", got)
	}
}

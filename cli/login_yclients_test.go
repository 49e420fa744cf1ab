package cli

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/clubdesk/clubdesk/keys"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/yclients"
	"github.com/clubdesk/clubdesk/providers/yclients/yclientstest"
)

// TestLoginYCLIENTSWithTwoFactorCode runs `clubdesk login` for a YCLIENTS
// profile against the local YCLIENTS: the partner token, login and
// password, then the SMS code round; only the two tokens are stored.
func TestLoginYCLIENTSWithTwoFactorCode(t *testing.T) {
	srv := yclientstest.NewServer("yc-partner", "yc-user", nil)
	defer srv.Close()
	store := mockStore("yclients")
	build := func(s providers.Secrets) (providers.Provider, error) {
		return yclients.New(providers.Settings{BaseURL: srv.URL, Branch: "37532", Secrets: s}, yclients.WithLimits())
	}
	var out bytes.Buffer
	in := LoginInput{Language: "ru", Profile: "main", Provider: "yclients", Store: store, Build: build, Out: &out}

	in.Stdin = strings.NewReader("partner_token=yc-partner\nlogin=" + yclientstest.Login + "\npassword=" + yclientstest.Password + "\ncode=0000\n")
	if err := Login(context.Background(), in); err == nil || !strings.Contains(err.Error(), "Неверный код") {
		t.Fatalf("a wrong code: %v", err)
	}
	if _, _, err := store.Get("user_token"); !errors.Is(err, keys.ErrNotFound) {
		t.Fatal("a refused login stored a token")
	}
	in.Stdin = strings.NewReader("partner_token=yc-partner\nlogin=" + yclientstest.Login + "\npassword=" + yclientstest.Password + "\ncode=" + yclientstest.Code + "\n")
	if err := Login(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := store.Get("user_token"); v != "yc-user" {
		t.Fatalf("user token %q", v)
	}
	if v, _, _ := store.Get("partner_token"); v != "yc-partner" {
		t.Fatalf("partner token %q", v)
	}
	for _, never := range []string{"password", "code", "login"} {
		if _, _, err := store.Get(never); !errors.Is(err, keys.ErrNotFound) {
			t.Fatalf("%s was stored", never)
		}
	}
	if s := out.String(); !strings.Contains(s, "partner_token, user_token") || strings.Contains(s, yclientstest.Password) {
		t.Fatalf("output %q", s)
	}
}

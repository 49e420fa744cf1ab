package cli

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/clubdesk/clubdesk/keys"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/gocrm"
	"github.com/clubdesk/clubdesk/providers/gocrm/gocrmtest"
)

// TestLoginGoCRMByPhoneAndSMSCode runs `clubdesk login` for a Go-CRM
// profile against the local Go-CRM: the application's token and the phone,
// then the SMS code round, then GET /profile; only the tokens are stored.
func TestLoginGoCRMByPhoneAndSMSCode(t *testing.T) {
	srv := gocrmtest.New(nil)
	defer srv.Close()
	store := mockStore("gocrm")
	build := func(s providers.Secrets) (providers.Provider, error) {
		return gocrm.New(providers.Settings{BaseURL: srv.URL, Branch: gocrmtest.CenterID, Secrets: s, Extra: map[string]any{"person": "admin"}})
	}
	var out bytes.Buffer
	in := LoginInput{Language: "ru", Profile: "main", Provider: "gocrm", Store: store, Build: build, Out: &out}
	lines := "app_token=" + gocrmtest.AppToken + "\nphone=+7 951 000-00-00\ncode="

	in.Stdin = strings.NewReader(lines + "9999\n")
	if err := Login(context.Background(), in); err == nil || !strings.Contains(err.Error(), "Неверный код") {
		t.Fatalf("a wrong code: %v", err)
	}
	if _, _, err := store.Get("access_token"); !errors.Is(err, keys.ErrNotFound) {
		t.Fatal("a refused login stored a token")
	}
	in.Stdin = strings.NewReader(lines + gocrmtest.SMSCode + "\n")
	if err := Login(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"app_token": gocrmtest.AppToken, "access_token": gocrmtest.AccessToken, "refresh_token": gocrmtest.RefreshToken} {
		if v, _, _ := store.Get(name); v != want {
			t.Fatalf("%s = %q", name, v)
		}
	}
	for _, never := range []string{"code", "phone", "password"} {
		if _, _, err := store.Get(never); !errors.Is(err, keys.ErrNotFound) {
			t.Fatalf("%s was stored", never)
		}
	}
	if s := out.String(); !strings.Contains(s, "access_token, app_token, refresh_token") || strings.Contains(s, gocrmtest.SMSCode) {
		t.Fatalf("output %q", s)
	}

	// logout ends the session at Go-CRM, then deletes the tokens.
	if err := Logout(context.Background(), LogoutInput{Language: "ru", Profile: "main", Provider: "gocrm", Store: store, Build: build, Out: &out}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(srv.Requests(), " "), "POST /api/auth/logout") {
		t.Fatalf("requests %v", srv.Requests())
	}
	if _, _, err := store.Get("access_token"); !errors.Is(err, keys.ErrNotFound) {
		t.Fatal("the token outlived logout")
	}
}

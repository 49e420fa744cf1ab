package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/demo"
)

func TestStatusBarSaysKeysComeFromEnvironment(t *testing.T) {
	now := testNow
	m, err := New(Options{Provider: newDemo(t, &now), Language: "en", SecretsFromEnv: true, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.View().Content, "keys from environment") {
		t.Fatal("the status bar does not say the keys come from the environment")
	}
}

type fixedSecret string

func (f fixedSecret) Secret(string) (string, error)  { return string(f), nil }
func (f fixedSecret) SetSecret(string, string) error { return nil }

func TestConsoleSaysWhenTheCRMRejectsTheKey(t *testing.T) {
	h := newHarness(t, "ru", func(providers.Provider) providers.Provider {
		p, err := demo.NewSecure(providers.Settings{Secrets: fixedSecret("revoked"), Now: func() time.Time { return testNow }})
		if err != nil {
			t.Fatal(err)
		}
		return p
	})
	h.typeText("Зелен")
	h.expect("CRM не принимает ключ доступа — выполните «clubdesk login»")
}

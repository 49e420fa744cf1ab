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

// notDemo is the demo club passing for a CRM.
type notDemo struct{ providers.Provider }

func (n notDemo) Info() providers.Info {
	i := n.Provider.Info()
	i.Demo, i.Title = false, "LuckyFit"
	return i
}

// TestAClockInAZoneNoOneSaidIsMarked: with neither the profile nor the CRM
// giving the club's zone, the status bar says the clock is the default
// zone's; F1 says where the zone came from.
func TestAClockInAZoneNoOneSaidIsMarked(t *testing.T) {
	h := newHarnessWith(t, "ru", func(o *Options) {
		o.Zone = &providers.Zone{Name: "Europe/Moscow", Location: moscow, Source: providers.ZoneDefault}
	}, func(p providers.Provider) providers.Provider { return notDemo{p} })
	h.expect("пояс по умолчанию")
	h.press("f1")
	h.expect("Часовой пояс клуба: Europe/Moscow")
	h2 := newHarnessWith(t, "ru", func(o *Options) {
		o.Zone = &providers.Zone{Name: "Asia/Yekaterinburg", Location: moscow, Source: providers.ZoneCRM}
	}, func(p providers.Provider) providers.Provider { return notDemo{p} })
	h2.expectNot("пояс по умолчанию")
}

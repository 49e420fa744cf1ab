package ui

import (
	"testing"

	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/x/ansi"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/yclients"
	"github.com/clubdesk/clubdesk/providers/yclients/yclientstest"
	"github.com/clubdesk/clubdesk/ui/screens"
)

type ycSecrets struct{}

func (ycSecrets) Secret(name string) (string, error) {
	if name == "partner_token" {
		return "p", nil
	}
	return "u", nil
}
func (ycSecrets) SetSecret(string, string) error { return nil }

// TestAVisitOfSeveralBookingsIsShownBeforeItIsPaid: on YCLIENTS a payment
// acts on the booking's whole visit, so p lists the visit and lets the
// receptionist choose this booking alone or the whole visit, each at the
// amount it shows.
func TestAVisitOfSeveralBookingsIsShownBeforeItIsPaid(t *testing.T) {
	srv := yclientstest.NewServer("p", "u", nil)
	defer srv.Close()
	srv.SetCurrency("₸")
	srv.SeedVisitOfThree()
	c, err := yclients.New(providers.Settings{BaseURL: srv.URL, Branch: "37532", Secrets: ycSecrets{}, Timezone: "Europe/Moscow"})
	if err != nil {
		t.Fatal(err)
	}
	l := newLoop(t, newConsole(t, c))
	l.start()
	for _, r := range "Нурлан" {
		l.send(keyOf(r))
		time.Sleep(60 * time.Millisecond)
	}
	l.until(10*time.Second, func() bool { return contains(ansi.Strip(l.m.View().Content), "Нурланова Асель") })
	time.Sleep(300 * time.Millisecond)
	l.drain()
	l.send(namedKey("enter"))
	l.until(10*time.Second, func() bool {
		return contains(ansi.Strip(l.m.View().Content), "28 000 ₸", "p оплатить визит") && !screens.Peek(l.m.top()).Loading
	})
	time.Sleep(400 * time.Millisecond)
	l.drain()
	l.send(keyOf('p'))
	time.Sleep(100 * time.Millisecond)
	l.until(10*time.Second, func() bool { return contains(ansi.Strip(l.m.View().Content), "Всего за визит: 74 000 ₸") })
}

func keyOf(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Text: string(r)} }

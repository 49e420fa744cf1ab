package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/demo"
	"github.com/clubdesk/clubdesk/ui/scanner"
	"github.com/clubdesk/clubdesk/ui/screens"
)

// big10k is the demo club with 10,000 clients, the size the README's
// figures are quoted for.
func big10k(b *testing.B, now *time.Time) func(providers.Provider) providers.Provider {
	return func(providers.Provider) providers.Provider {
		p, err := demo.New(providers.Settings{Now: func() time.Time { return *now }, Extra: map[string]any{"clients": 10000}})
		if err != nil {
			b.Fatal(err)
		}
		return p
	}
}

// BenchmarkSearchKeystroke is one key typed into the search field with a
// page of results on screen: Update (scanner, input, debounce) plus View.
// The search itself runs later, in a command, after the debounce.
func BenchmarkSearchKeystroke(b *testing.B) {
	h := &harness{t: b, now: testNow}
	h = newHarness(b, "ru", big10k(b, &h.now))
	h.typeText("ан")
	if n := len(h.peek().Clients); n == 0 {
		b.Fatal("no results to render")
	}
	keys := []tea.KeyPressMsg{{Code: 'а', Text: "а"}, {Code: tea.KeyBackspace}}
	h.m.Update(keys[0])
	h.m.Update(scanner.FlushMsg{Seq: h.m.scan.Seq()})
	if v := h.peek().Query; v != "ана" {
		b.Fatalf("the typed key did not reach the field: %q", v)
	}
	h.m.Update(keys[1])
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		h.now = h.now.Add(100 * time.Millisecond)
		h.m.Update(keys[i%2])
		// A typed letter waits in the scanner until its flush tick; deliver
		// the tick so the key reaches the field, as it does in the program.
		h.m.Update(scanner.FlushMsg{Seq: h.m.scan.Seq()})
		_ = h.m.View()
	}
}

// BenchmarkCardRender renders a loaded client card (verdict, memberships,
// bookings, visits) at 80x24.
func BenchmarkCardRender(b *testing.B) {
	h := newHarness(b, "ru")
	h.scan(cardDebt)
	if h.top().Kind() != screens.KindCard {
		b.Fatal("no card open")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		_ = h.m.View()
	}
}

// BenchmarkStart is the console from nothing to its first frame on the
// demo club: the provider generated, the model built, one View.
func BenchmarkStart(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		p, err := demo.New(providers.Settings{})
		if err != nil {
			b.Fatal(err)
		}
		m, err := New(Options{Provider: p, Language: "ru"})
		if err != nil {
			b.Fatal(err)
		}
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		_ = m.View()
	}
}

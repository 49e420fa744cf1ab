package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/ui/screens"
)

// BenchmarkScanFrames is the console's own work for one scan and back, as
// clubdesk serve does it for every desk: each message (the reader's keys,
// the answers, Esc) is followed by a View, as Bubble Tea calls it. The
// provider is the demo club in memory, so what is measured is the
// console's CPU, the frames' above all; -cpuprofile shows where it goes.
func BenchmarkScanFrames(b *testing.B) {
	h := newHarness(b, "ru")
	frames := 0
	h.frame = func() { _ = h.m.View(); frames++ }
	scan := func(card string) {
		var cmds []tea.Cmd
		for _, r := range card + "\r" {
			msg := tea.KeyPressMsg{Code: r, Text: string(r)}
			if r == '\r' {
				msg = tea.KeyPressMsg{Code: tea.KeyEnter}
			}
			_, cmd := h.m.Update(msg)
			h.frame()
			cmds = append(cmds, cmd)
			h.now = h.now.Add(10 * time.Millisecond)
		}
		for _, c := range cmds {
			h.run(c)
		}
		if h.top().Kind() != screens.KindCard {
			b.Fatal("no card open")
		}
		h.press("esc")
		if h.top().Kind() != screens.KindSearch {
			b.Fatal("the card is still open")
		}
		h.now = h.now.Add(3 * time.Second) // past the repeat window
	}
	scan(cardDebt) // the first card: the console's caches warm
	b.ReportAllocs()
	b.ResetTimer()
	frames = 0
	for range b.N {
		scan(cardDebt)
	}
	b.ReportMetric(float64(frames)/float64(b.N), "frames/scan")
}

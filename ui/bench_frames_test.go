package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/ui/scanner"
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
	scanAndBack(h, cardDebt) // the first card: the console's caches warm
	b.ReportAllocs()
	b.ResetTimer()
	frames = 0
	for range b.N {
		scanAndBack(h, cardDebt)
	}
	b.ReportMetric(float64(frames)/float64(b.N), "frames/scan")
}

// scanAndBack scans card as a reader types it (ten milliseconds a key,
// every key's command run after the Enter, as the program runs them
// while the next keys are read), then goes back with Esc; h.frame is
// called after every message.
func scanAndBack(h *harness, card string) {
	h.t.Helper()
	var cmds []tea.Cmd
	for _, r := range card + "\r" {
		msg := tea.KeyPressMsg{Code: r, Text: string(r)}
		if r == '\r' {
			msg = tea.KeyPressMsg{Code: tea.KeyEnter}
		}
		_, cmd := h.m.Update(msg)
		if h.frame != nil {
			h.frame()
		}
		cmds = append(cmds, cmd)
		h.now = h.now.Add(10 * time.Millisecond)
	}
	for _, c := range cmds {
		h.run(c)
	}
	if h.top().Kind() != screens.KindCard {
		h.t.Fatal("no card open")
	}
	h.press("esc")
	if h.top().Kind() != screens.KindSearch {
		h.t.Fatal("the card is still open")
	}
	h.now = h.now.Add(3 * time.Second) // past the repeat window
}

// TestAScanCostsFewUpdates pins the messages (each an Update and a frame)
// that one scan and back cost the console: the reader's eleven keys, one
// flush tick for the whole burst (it was one a key: 27 messages), the
// card's answers, Esc.
func TestAScanCostsFewUpdates(t *testing.T) {
	ticks := 0
	h := newHarnessWith(t, "ru", func(o *Options) {
		instant := o.After
		o.After = func(d time.Duration, msg tea.Msg) tea.Cmd {
			if _, ok := msg.(scanner.FlushMsg); ok {
				ticks++
			}
			return instant(d, msg)
		}
	})
	updates := 0
	h.frame = func() { updates++ }
	scanAndBack(h, cardDebt)
	updates, ticks = 0, 0
	scanAndBack(h, cardDebt)
	if ticks != 1 {
		t.Errorf("a scan asked for %d flush ticks, want 1", ticks)
	}
	if updates != 18 {
		t.Errorf("a scan and back cost %d updates, want 18: 11 keys, 1 tick, the answers and Esc", updates)
	}
}

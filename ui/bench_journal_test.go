package ui

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/journal/journaltest"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/scanner"
	"github.com/clubdesk/clubdesk/ui/screens"
)

// busyJournal is a journal of Entries lines over Days days.
type busyJournal struct{ entries, days int }

func (j busyJournal) String() string {
	if j.days == 30 {
		return fmt.Sprintf("entries=%d", j.entries)
	}
	return fmt.Sprintf("entries=%d/days=%d", j.entries, j.days)
}

// busyJournals are the sizes of issue 16: a busy month at a big club
// (20,000 lines, about 10 MB) and at a very big one (60,000, about 31 MB);
// and the big club's three months, the same day's work with three times
// the history.
var busyJournals = []busyJournal{{20000, 30}, {60000, 30}, {60000, 90}}

// busyHarness is the demo console over a journal that holds a busy month
// (three operations of it still to check), opened once before the
// console starts, as main does.
func busyHarness(b *testing.B, size busyJournal) (*harness, *journal.Journal) {
	b.Helper()
	dir := b.TempDir()
	who := journal.Who{Profile: "main", Provider: "demo", Desk: "Reception 1", Operator: "Анна"}
	if _, err := (journaltest.Busy{Who: who, Now: testNow, Entries: size.entries, Days: size.days, Pending: 3}).Write(dir); err != nil {
		b.Fatal(err)
	}
	clock := journal.WithClock(func() time.Time { return testNow })
	j, err := journal.Open(dir, who, clock)
	if err != nil {
		b.Fatal(err)
	}
	h := newHarnessWith(b, "ru", func(o *Options) { o.Journal = j },
		func(p providers.Provider) providers.Provider { return journal.Wrap(p, j) })
	if h.top().Kind() == screens.KindJournal {
		h.press("esc") // the start opened what needs checking first
	}
	h.expect("проверить: 3")
	return h, j
}

// BenchmarkKeystrokeWithJournal is BenchmarkSearchKeystroke with a busy
// month in the journal: the status bar says how many operations need
// checking on every frame, so the frame must not cost more with more
// history.
func BenchmarkKeystrokeWithJournal(b *testing.B) {
	for _, n := range busyJournals {
		b.Run(n.String(), func(b *testing.B) {
			h, _ := busyHarness(b, n)
			h.typeText("ан")
			keys := []tea.KeyPressMsg{{Code: 'а', Text: "а"}, {Code: tea.KeyBackspace}}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				h.now = h.now.Add(100 * time.Millisecond)
				h.m.Update(keys[i%2])
				h.m.Update(scanner.FlushMsg{Seq: h.m.scan.Seq()})
				_ = h.m.View()
			}
		})
	}
}

// BenchmarkJournalKey is F7 with a busy month in the journal: the journal
// screen opened on what needs checking and drawn, Tab to the day's trail
// and drawn, Esc back.
func BenchmarkJournalKey(b *testing.B) {
	for _, n := range busyJournals {
		b.Run(n.String(), func(b *testing.B) {
			h, _ := busyHarness(b, n)
			f7, tab, esc := namedKey("f7"), namedKey("tab"), namedKey("esc")
			h.m.Update(f7)
			if h.top().Kind() != screens.KindJournal {
				b.Fatal("F7 did not open the journal")
			}
			h.m.Update(esc)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				h.m.Update(f7)
				_ = h.m.View()
				h.m.Update(tab)
				_ = h.m.View()
				h.m.Update(esc)
			}
		})
	}
}

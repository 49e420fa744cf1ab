package journal_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/journal/journaltest"
)

var (
	benchWho = journal.Who{Profile: "main", Provider: "demo", Desk: "Reception 1", Operator: "Анна"}
	benchNow = time.Date(2026, 12, 3, 16, 0, 0, 0, time.UTC)
)

// busy writes a busy month of n lines (three operations to check) and
// returns the state folder and the journal's size in bytes.
func busy(b *testing.B, n, days int) (string, int64) {
	b.Helper()
	dir := b.TempDir()
	size, err := (journaltest.Busy{Who: benchWho, Now: benchNow, Entries: n, Days: days, Pending: 3}).Write(dir)
	if err != nil {
		b.Fatal(err)
	}
	return dir, size
}

// dropDerived removes whatever the journal keeps beside its month files
// (summaries, a start index), leaving the lines as a club upgrading from
// an older version has them.
func dropDerived(b *testing.B, dir string) {
	b.Helper()
	jdir := filepath.Join(dir, "journal", benchWho.Profile)
	des, err := os.ReadDir(jdir)
	if err != nil {
		b.Fatal(err)
	}
	for _, de := range des {
		if !strings.HasSuffix(de.Name(), ".jsonl") {
			os.RemoveAll(filepath.Join(jdir, de.Name()))
		}
	}
}

func openBusy(b *testing.B, dir string) *journal.Journal {
	b.Helper()
	j, err := journal.Open(dir, benchWho, journal.WithClock(func() time.Time { return benchNow }))
	if err != nil {
		b.Fatal(err)
	}
	if n := j.PendingCount(); n != 3 {
		b.Fatalf("%d operations to check, want 3", n)
	}
	return j
}

// BenchmarkJournalOpen is journal.Open on a busy month: 20,000 lines
// (about 10 MB) and 60,000 (about 31 MB) over this month's file and last
// month's. "warm" is every start after the first; "first" the first start
// on lines an older version wrote (nothing derived beside them yet).
func BenchmarkJournalOpen(b *testing.B) {
	for _, sz := range []struct{ n, days int }{{20000, 30}, {60000, 30}, {60000, 90}} {
		n, name := sz.n, fmt.Sprintf("entries=%d", sz.n)
		if sz.days != 30 {
			name += fmt.Sprintf("/days=%d", sz.days)
		}
		dir, size := busy(b, n, sz.days)
		b.Run(name+"/warm", func(b *testing.B) {
			closeJournal(openBusy(b, dir))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				j := openBusy(b, dir)
				b.StopTimer()
				closeJournal(j)
				b.StartTimer()
			}
			b.ReportMetric(float64(size)/(1<<20), "MB-journal")
		})
		b.Run(name+"/first", func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				b.StopTimer()
				dropDerived(b, dir)
				b.StartTimer()
				j := openBusy(b, dir)
				b.StopTimer()
				closeJournal(j)
				b.StartTimer()
			}
			b.ReportMetric(float64(size)/(1<<20), "MB-journal")
		})
	}
}

// BenchmarkJournalPendingCount is what the status bar asks on every frame.
func BenchmarkJournalPendingCount(b *testing.B) {
	for _, n := range []int{20000, 60000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			dir, _ := busy(b, n, 30)
			j := openBusy(b, dir)
			defer closeJournal(j)
			b.ReportAllocs()
			for b.Loop() {
				_ = j.PendingCount()
			}
		})
	}
}

// closeJournal lets a journal finish what it writes in the background.
func closeJournal(j *journal.Journal) { _ = j.Close() }

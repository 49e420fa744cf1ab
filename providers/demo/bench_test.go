package demo

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

func benchSettings(clients int) providers.Settings {
	now := testNow
	return providers.Settings{Now: func() time.Time { return now }, Extra: map[string]any{"clients": clients}}
}

// BenchmarkNew measures what the first frame waits for: building the club.
func BenchmarkNew(b *testing.B) {
	for _, n := range []struct {
		name    string
		clients int
	}{{"5000", 5000}, {"10000", 10000}} {
		b.Run(n.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := New(benchSettings(n.clients)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSearch measures a keystroke's search over 10,000 clients.
func BenchmarkSearch(b *testing.B) {
	c, err := New(benchSettings(10000))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, q := range []string{"смир", "смир анна", "а", "+7 916", "8916555", "smirnova", "0040856634", "07302202"} {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.SearchClients(ctx, q, 20); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkClientCard measures opening a generated client's card for the
// first time: their history is made then.
func BenchmarkClientCard(b *testing.B) {
	c, err := New(benchSettings(10000))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	i := 0
	for b.Loop() {
		id := c.all()[len(showcase)+i%c.nGen].ID
		i++
		if _, err := c.Memberships(ctx, id); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkShiftReportPast measures the one call that needs every client's
// history: a report for a day before the club's day.
func BenchmarkShiftReportPast(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		c, err := New(benchSettings(10000))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := c.ShiftReport(ctx, models.DateOf(testNow, moscow).AddDays(-1)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDemoClubSize is the demo club as the benchmark base of a big
// club: the time New takes (what the first frame waits for) and the heap
// the club keeps (after a collection), at 200,000 and 1,000,000 clients.
// The search indexes a big club then makes in the background are not in
// it (BenchmarkDemoSearchIndex).
func BenchmarkDemoClubSize(b *testing.B) {
	defer func(n int) { warmFrom = n }(warmFrom)
	warmFrom = math.MaxInt
	for _, n := range []int{200_000, 1_000_000} {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) {
			var heap float64
			for b.Loop() {
				b.StopTimer()
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				b.StartTimer()
				c, err := New(benchSettings(n))
				if err != nil {
					b.Skip(err)
				}
				b.StopTimer()
				runtime.GC()
				runtime.ReadMemStats(&after)
				heap = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / 1e6
				runtime.KeepAlive(c)
				b.StartTimer()
			}
			b.ReportMetric(heap, "heap-MB")
		})
	}
}

// demoSearchQueries are one of each kind of keystroke: a surname's start,
// one letter, phone digits, a card number and part of an e-mail; then
// digits and letters most clients' phones and e-mails have (an operator
// code, the start of mail.ru and gmail.com) and two words.
var demoSearchQueries = []string{"смир", "и", "7912", "0040856634", "smirnova", "916", "ma", "a.s", "смир анна"}

// BenchmarkDemoSearch is a keystroke's search at a big club: a page of 50
// (the search screen's limit) at 10,000, 200,000 and 1,000,000 clients,
// once the indexes are made; hits is how many clients the query matches in
// all.
func BenchmarkDemoSearch(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{10_000, 200_000, 1_000_000} {
		c, err := New(benchSettings(n))
		if err != nil {
			b.Fatal(err)
		}
		<-c.warmed // the indexes made (BenchmarkDemoSearchIndex says at what cost)
		for _, q := range demoSearchQueries {
			b.Run(fmt.Sprintf("clients=%d/query=%s", n, q), func(b *testing.B) {
				all, err := c.SearchClients(ctx, q, 1<<21)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := c.SearchClients(ctx, q, 50); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(all)), "hits")
			})
		}
	}
}

// BenchmarkDemoSearchIndex is what the indexes cost. Made at the first
// keystroke of each kind (the background making them off): ms-names "и",
// ms-phone "7912", ms-mail "smirnova", ms-card a card number; made in the
// background as a big club does: ms-warm, from New's return until every
// index is made. And the heap the club keeps per client before any search
// and once every index is made.
func BenchmarkDemoSearchIndex(b *testing.B) {
	ctx := context.Background()
	defer func(n int) { warmFrom = n }(warmFrom)
	for _, n := range []int{200_000, 1_000_000} {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) {
			var first [4]time.Duration
			var warm time.Duration
			var before, after float64
			for b.Loop() {
				b.StopTimer()
				warmFrom = math.MaxInt
				runtime.GC()
				var m0, m1, m2 runtime.MemStats
				runtime.ReadMemStats(&m0)
				c, err := New(benchSettings(n))
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				runtime.ReadMemStats(&m1)
				b.StartTimer()
				for i, q := range []string{"и", "7912", "smirnova", "0040856634"} {
					start := time.Now()
					if _, err := c.SearchClients(ctx, q, 50); err != nil {
						b.Fatal(err)
					}
					first[i] = time.Since(start)
				}
				b.StopTimer()
				runtime.GC()
				runtime.ReadMemStats(&m2)
				before = float64(int64(m1.HeapAlloc)-int64(m0.HeapAlloc)) / float64(n)
				after = float64(int64(m2.HeapAlloc)-int64(m0.HeapAlloc)) / float64(n)
				runtime.KeepAlive(c)
				c = nil
				warmFrom = 0
				if c, err = New(benchSettings(n)); err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				<-c.warmed
				warm = time.Since(start)
				b.StartTimer()
			}
			for i, unit := range []string{"ms-names", "ms-phone", "ms-mail", "ms-card"} {
				b.ReportMetric(float64(first[i].Microseconds())/1000, unit)
			}
			b.ReportMetric(float64(warm.Microseconds())/1000, "ms-warm")
			b.ReportMetric(before, "B/client-new")
			b.ReportMetric(after, "B/client-indexed")
		})
	}
}

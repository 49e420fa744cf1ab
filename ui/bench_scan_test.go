package ui

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/luckyfit"
	"github.com/clubdesk/clubdesk/providers/luckyfit/luckyfittest"
	"github.com/clubdesk/clubdesk/ui/screens"
)

// benchRTT is the latency luckyfittest adds to every request in the
// round-trip benchmarks: a CRM in another city over the club's uplink.
const benchRTT = 50 * time.Millisecond

const lfKey = "bench-key"

// lfSecrets hands the adapter its API key.
type lfSecrets string

func (k lfSecrets) Secret(string) (string, error)  { return string(k), nil }
func (k lfSecrets) SetSecret(string, string) error { return nil }

// newLuckyFit is the real LuckyFit adapter over the local server.
func newLuckyFit(tb testing.TB, srv *luckyfittest.Server, opts ...luckyfit.Option) *luckyfit.Client {
	tb.Helper()
	c, err := luckyfit.New(providers.Settings{
		BaseURL: srv.URL + "/api", Secrets: lfSecrets(lfKey), Branch: "1", PointName: "Reception 1", Timezone: "Europe/Moscow",
	}, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// newConsole is the console as main builds it: the real clock and timers.
func newConsole(tb testing.TB, prov providers.Provider) *Model {
	tb.Helper()
	m, err := New(Options{Provider: prov, Language: "ru", Operator: "Анна"})
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// lfCards are luckyfittest's clients with a card, and who holds it.
var lfCards = []struct{ tag, id string }{
	{"0040856634", "10001"}, // active unlimited, booked into the yoga
	{"0021478305", "10004"}, // a debt, booked into the Tabata
	{"0049052213", "10011"}, // visits left, attended the yoga
}

// cardReady reports whether the card of clientID is on screen with every
// part loaded: the verdict (alerts), memberships, today's bookings, visits.
func cardReady(m *Model, clientID string) bool {
	c := screens.Peek(m.top())
	return c.Kind == screens.KindCard && c.Client.ID == clientID && !c.Loading && c.Verdict != nil
}

// scanToCard is one scan through the console, from the reader's burst to
// the complete card drawn.
func scanToCard(l *loop, tag, clientID string) {
	l.burst(tag)
	l.until(10*time.Second, func() bool { return cardReady(l.m, clientID) })
	_ = l.m.View()
}

// reportRTT adds the figures the targets are stated in: time per operation
// as a multiple of the injected round trip, and requests per operation.
func reportRTT(b *testing.B, srv *luckyfittest.Server, reqs0 int) {
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(benchRTT), "RTT/op")
	b.ReportMetric(float64(srv.Total()-reqs0)/float64(b.N), "requests/op")
}

// BenchmarkScanToCard is target 1: from the Enter that ends a scan to the
// card drawn with memberships, alerts and today's bookings, against a local
// LuckyFit that answers every request 50 ms late. The target is the card
// lookup plus one parallel round of the rest: at most 2 RTT + 10 ms.
//
//   - console: the desk in the evening queue, the session warm (one card
//     was scanned before timing starts); each scan is another client.
//   - console-cold: the first scan of a session: a new adapter and console
//     each time, nothing cached.
//   - sequential: the naive baseline, measured in the same run: the same
//     provider calls one after another on a fresh adapter, and every HTTP
//     request waiting for the one before it.
func BenchmarkScanToCard(b *testing.B) {
	srv := luckyfittest.NewServer(lfKey, nil)
	b.Cleanup(srv.Close)
	srv.SetLatency(benchRTT)

	b.Run("console", func(b *testing.B) {
		l := newLoop(b, newConsole(b, newLuckyFit(b, srv)))
		l.start()
		last := lfCards[len(lfCards)-1]
		scanToCard(l, last.tag, last.id)
		time.Sleep(3 * benchRTT) // let what the first card started in the background finish
		l.drain()
		reqs := srv.Total()
		b.ResetTimer()
		for i := range b.N {
			c := lfCards[i%len(lfCards)]
			scanToCard(l, c.tag, c.id)
		}
		b.StopTimer()
		reportRTT(b, srv, reqs)
	})

	b.Run("console-cold", func(b *testing.B) {
		reqs := srv.Total()
		for i := range b.N {
			b.StopTimer()
			l := newLoop(b, newConsole(b, newLuckyFit(b, srv)))
			l.start()
			c := lfCards[i%len(lfCards)]
			b.StartTimer()
			scanToCard(l, c.tag, c.id)
		}
		b.StopTimer()
		reportRTT(b, srv, reqs)
	})

	b.Run("sequential", func(b *testing.B) {
		reqs := srv.Total()
		ctx := context.Background()
		loc, _ := time.LoadLocation("Europe/Moscow")
		for i := range b.N {
			b.StopTimer()
			p := newLuckyFit(b, srv, luckyfit.WithTransport(&serialTransport{rt: http.DefaultTransport}))
			c := lfCards[i%len(lfCards)]
			b.StartTimer()
			cl, err := p.ClientByCard(ctx, c.tag)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := p.Client(ctx, cl.ID); err != nil {
				b.Fatal(err)
			}
			if _, err := p.Memberships(ctx, cl.ID); err != nil {
				b.Fatal(err)
			}
			if _, err := p.Visits(ctx, cl.ID, time.Now().Add(-screens.VisitHistory)); err != nil {
				b.Fatal(err)
			}
			from, to := models.DateOf(time.Now(), loc).Bounds(loc)
			if _, err := p.ClientBookings(ctx, cl.ID, from, to); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		reportRTT(b, srv, reqs)
	})
}

// serialTransport lets one request through at a time: the naive client.
type serialTransport struct {
	mu sync.Mutex
	rt http.RoundTripper
}

func (t *serialTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.rt.RoundTrip(r)
}

package luckyfit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/luckyfit/luckyfittest"
	"golang.org/x/sync/errgroup"
)

// Issue 16's LuckyFit rows, at a big club's size: a day of 200 lessons of
// 50 booked, against luckyfittest answering every request benchRTT late.
// Each figure is reported as RTT/op (the time a multiple of the round
// trip) and requests/op (every request that reached the server, the
// background reads included), beside the naive baseline measured in the
// same run: the day's feed and then every roster, four at a time, read for
// the card and read again after a booking (the adapter before issue 16).

const benchRTT = 50 * time.Millisecond

// bigClub is a local LuckyFit with a big day, and a client booked into
// the day's last lesson (the one a read in start order reaches last).
func bigClub(b *testing.B, lessons, booked int) (*luckyfittest.Server, luckyfittest.BigClient) {
	b.Helper()
	srv := luckyfittest.NewServer(testKey, nil)
	b.Cleanup(srv.Close)
	last := luckyfittest.BookedLast(srv.AddDay(lessons, booked))
	srv.SetLatency(benchRTT)
	return srv, last
}

// benchClient is the adapter on the real clock (or the one given).
func benchClient(b *testing.B, srv *luckyfittest.Server, now func() time.Time) *Client {
	b.Helper()
	c, err := New(providers.Settings{BaseURL: srv.URL + "/api", Secrets: key(testKey), Timezone: "Europe/Moscow", Now: now})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// card is the console's card for a scanned tag: the lookup, then the
// client, memberships, visits and today's bookings in one parallel round
// (bookings from the given function). It returns the bookings and the
// time from the scan until they were known.
func card(ctx context.Context, c *Client, tag string, bookings func(ctx context.Context, id string) ([]models.Booking, error)) ([]models.Booking, time.Duration, error) {
	t0 := time.Now()
	cl, err := c.ClientByCard(ctx, tag)
	if err != nil {
		return nil, 0, err
	}
	var (
		wg   sync.WaitGroup
		bs   []models.Booking
		took time.Duration
		errs [4]error
	)
	wg.Add(4)
	go func() { defer wg.Done(); _, errs[0] = c.Client(ctx, cl.ID) }()
	go func() { defer wg.Done(); _, errs[1] = c.Memberships(ctx, cl.ID) }()
	go func() { defer wg.Done(); _, errs[2] = c.Visits(ctx, cl.ID, time.Now().Add(-time.Hour)) }()
	go func() {
		defer wg.Done()
		bs, errs[3] = bookings(ctx, cl.ID)
		took = time.Since(t0)
	}()
	wg.Wait()
	for i, err := range errs {
		if err != nil && !(i == 3 && isPartial(err)) {
			return bs, took, err
		}
	}
	return bs, took, errs[3]
}

func isPartial(err error) bool { return errors.Is(err, providers.ErrPartial) }

// naiveDay is the baseline: the day's feed, then every roster four at a
// time, the client's bookings picked from them.
func naiveDay(ctx context.Context, c *Client, clientID string) ([]models.Booking, error) {
	from, to := models.DateOf(time.Now(), c.loc).Bounds(c.loc)
	lessons, err := c.Lessons(ctx, from, to)
	if err != nil {
		return nil, err
	}
	rosters := make([][]models.Booking, len(lessons))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, l := range lessons {
		g.Go(func() (err error) { rosters[i], err = c.roster(gctx, l.ID); return err })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var out []models.Booking
	for i, r := range rosters {
		for _, b := range r {
			if b.ClientID == clientID {
				b.Lesson = lessons[i]
				out = append(out, b)
			}
		}
	}
	return out, nil
}

// naiveFrom starts the baseline's day read at once, as the adapter before
// issue 16 did at the card lookup, and gives the card its answer.
func naiveFrom(c *Client, clientID string) func(context.Context, string) ([]models.Booking, error) {
	type result struct {
		bs  []models.Booking
		err error
	}
	ch := make(chan result, 1)
	go func() {
		bs, err := naiveDay(context.Background(), c, clientID)
		ch <- result{bs, err}
	}()
	return func(ctx context.Context, _ string) ([]models.Booking, error) {
		select {
		case r := <-ch:
			return r.bs, r.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (c *Client) todayBookings(ctx context.Context, id string) ([]models.Booking, error) {
	from, to := models.DateOf(c.now(), c.loc).Bounds(c.loc)
	return c.ClientBookings(ctx, id, from, to)
}

func report(b *testing.B, srv *luckyfittest.Server, reqs0 int, took time.Duration, rtt time.Duration) {
	b.ReportMetric(float64(took)/float64(b.N)/float64(rtt), "RTT/op")
	b.ReportMetric(float64(srv.Total()-reqs0)/float64(b.N), "requests/op")
}

// BenchmarkLuckyfitFirstCardBookings is the first scan of a session: from
// the scan to the card's bookings known, the console started just then.
//
//   - naive: the day read for the card (the baseline);
//   - direct: the account takes client_id on /lesson_calendar_bookings:
//     the lookup, then one request;
//   - fallback: the account refuses client_id, the scan at the console's
//     start: the card gets what the day read knows after two round trips,
//     and ErrPartial (partial/op is the share of such answers);
//   - fallback-warm: the same account, the first client arriving once the
//     day read the console started is done: the bookings are there.
func BenchmarkLuckyfitFirstCardBookings(b *testing.B) {
	for _, size := range []struct{ lessons, booked int }{{200, 50}, {40, 15}} {
		srv, who := bigClub(b, size.lessons, size.booked)
		name := fmt.Sprintf("lessons=%d/booked=%d", size.lessons, size.booked)
		b.Run(name+"/naive", func(b *testing.B) {
			reqs, took := srv.Total(), time.Duration(0)
			for range b.N {
				c := benchClient(b, srv, nil)
				c.noDayRead = true
				bs, d, err := card(context.Background(), c, who.Tag, naiveFrom(c, who.ID))
				if err != nil || len(bs) != len(who.Lessons) {
					b.Fatalf("naive: %d bookings, %v", len(bs), err)
				}
				took += d
			}
			report(b, srv, reqs, took, benchRTT)
		})
		for _, v := range []struct {
			name   string
			filter luckyfittest.ClientFilter
			warm   bool
		}{{"direct", luckyfittest.ClientFilterApplied, false}, {"fallback", luckyfittest.ClientFilterRefused, false}, {"fallback-warm", luckyfittest.ClientFilterRefused, true}} {
			b.Run(name+"/"+v.name, func(b *testing.B) {
				srv.SetClientFilter(v.filter)
				defer srv.SetClientFilter(luckyfittest.ClientFilterApplied)
				reqs, took, partials := srv.Total(), time.Duration(0), 0
				for range b.N {
					c := benchClient(b, srv, nil)
					c.Warm()
					if v.warm {
						b.StopTimer()
						settled(b, c)
						b.StartTimer()
					}
					bs, d, err := card(context.Background(), c, who.Tag, c.todayBookings)
					switch {
					case isPartial(err):
						partials++
					case err != nil || len(bs) != len(who.Lessons):
						b.Fatalf("%s: %d bookings, %v", v.name, len(bs), err)
					}
					took += d
					b.StopTimer()
					settled(b, c) // the day read the console started, counted
					b.StartTimer()
				}
				report(b, srv, reqs, took, benchRTT)
				b.ReportMetric(float64(partials)/float64(b.N), "partial/op")
			})
		}
	}
}

// BenchmarkLuckyfitFirstCardSlowLine is the first card at 400 ms a
// request (where the naive day read, 51 rounds, passed the card's 20 s
// deadline and failed): direct, the bookings after the lookup and one
// request. Its own server: the day read it starts is left to fail when the
// server closes, not waited for.
func BenchmarkLuckyfitFirstCardSlowLine(b *testing.B) {
	const slow = 400 * time.Millisecond
	b.Run("lessons=200/booked=50/rtt=400ms/direct", func(b *testing.B) {
		srv, who := bigClub(b, 200, 50)
		srv.SetLatency(slow)
		took := time.Duration(0)
		for range b.N {
			c := benchClient(b, srv, nil)
			c.Warm()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			bs, d, err := card(ctx, c, who.Tag, c.todayBookings)
			cancel()
			if err != nil || len(bs) != len(who.Lessons) {
				b.Fatalf("%d bookings, %v", len(bs), err)
			}
			took += d
		}
		b.ReportMetric(float64(took)/float64(b.N)/float64(slow), "RTT/op")
	})
}

// BenchmarkLuckyfitNextCardAfterBooking is the card after a booking made
// at the desk, the day read: naive drops the day and reads it again for
// the card; roster-update puts the booking into its roster. requests/op
// counts the card's (the booking itself is not counted).
func BenchmarkLuckyfitNextCardAfterBooking(b *testing.B) {
	srv, who := bigClub(b, 200, 50)
	name := "lessons=200/booked=50"
	c := benchClient(b, srv, nil)
	c.Warm()
	settled(b, c)
	from, to := models.DateOf(time.Now(), c.loc).Bounds(c.loc)
	lessons, err := c.Lessons(context.Background(), from, to)
	if err != nil {
		b.Fatal(err)
	}
	settled(b, c)
	// The lessons the client is not in yet, each with a free place
	// (AddDay leaves five): one is booked before each card.
	in := map[string]bool{}
	for _, id := range who.Lessons {
		in[id] = true
	}
	var free []models.Lesson
	for _, l := range lessons {
		if !in[l.ID] && !l.Full() {
			free = append(free, l)
		}
	}
	booked := 0
	book := func(b *testing.B) {
		b.StopTimer()
		defer b.StartTimer()
		if booked == len(free) {
			b.Fatal("no lesson left to book")
		}
		if _, err := c.Book(context.Background(), free[booked].ID, who.ID); err != nil {
			b.Fatal(err)
		}
		booked++
	}
	for _, v := range []string{"naive", "roster-update"} {
		b.Run(name+"/"+v, func(b *testing.B) {
			var reqs, n int
			took := time.Duration(0)
			for range b.N {
				book(b)
				r0 := srv.Total()
				bookings := c.todayBookings
				if v == "naive" {
					bookings = naiveFrom(c, who.ID)
				}
				bs, d, err := card(context.Background(), c, who.Tag, bookings)
				if err != nil || len(bs) != len(who.Lessons)+booked {
					b.Fatalf("%s: %d bookings, want %d: %v", v, len(bs), len(who.Lessons)+booked, err)
				}
				took += d
				b.StopTimer()
				settled(b, c)
				reqs += srv.Total() - r0
				n++
				b.StartTimer()
			}
			b.ReportMetric(float64(took)/float64(b.N)/float64(benchRTT), "RTT/op")
			b.ReportMetric(float64(reqs)/float64(n), "requests/op")
		})
	}
}

// BenchmarkLuckyfitCardQueue is a card every 20 s (the adapter's clock
// moves 20 s a card; the round trip is real): requests/op is a card's
// share of everything sent, the day's refreshes ahead of time included.
//
//   - every=20s: the same client each time (a client's card read again:
//     after a sale, a booking, a second scan), the figure issue 16 states;
//   - every=20s/clients=distinct: the evening queue, another client each
//     time, none of whom the session has seen.
func BenchmarkLuckyfitCardQueue(b *testing.B) {
	srv := luckyfittest.NewServer(testKey, nil)
	b.Cleanup(srv.Close)
	made := srv.AddDay(200, 50)
	who := luckyfittest.BookedLast(made)
	srv.SetLatency(benchRTT)
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	c := benchClient(b, srv, clock)
	c.Warm()
	settled(b, c)
	next := 0
	for _, v := range []struct {
		name     string
		distinct bool
	}{{"", false}, {"/clients=distinct", true}} {
		b.Run("lessons=200/booked=50/every=20s"+v.name, func(b *testing.B) {
			reqs, took := srv.Total(), time.Duration(0)
			for range b.N {
				mu.Lock()
				now = now.Add(20 * time.Second)
				mu.Unlock()
				cl := who
				if v.distinct {
					if next == len(made) {
						b.Fatal("no client left the session has not seen")
					}
					cl = made[next]
					next++
				}
				bs, d, err := card(context.Background(), c, cl.Tag, c.todayBookings)
				if err != nil || len(bs) != len(cl.Lessons) {
					b.Fatalf("%d bookings, want %d: %v", len(bs), len(cl.Lessons), err)
				}
				took += d
				b.StopTimer()
				settled(b, c)
				b.StartTimer()
			}
			report(b, srv, reqs, took, benchRTT)
		})
	}
}

// BenchmarkLuckyfitCardQueueHour is an hour of the queue: one op is 180
// cards, one every 20 s of the adapter's clock (another client each time,
// or the same one), and requests/card is everything sent over the hour
// shared among them — the feed's refreshes and the rosters read again for
// their age (rosterMaxAge) included, which a run of a few cards never
// reaches. The requests do not depend on the round trip, so it is 5 ms
// here.
func BenchmarkLuckyfitCardQueueHour(b *testing.B) {
	const cards = 180
	for _, distinct := range []bool{true, false} {
		srv := luckyfittest.NewServer(testKey, nil)
		b.Cleanup(srv.Close)
		made := srv.AddDay(200, 50)
		who := luckyfittest.BookedLast(made)
		srv.SetLatency(5 * time.Millisecond)
		var mu sync.Mutex
		now := time.Now()
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		c := benchClient(b, srv, clock)
		c.Warm()
		settled(b, c)
		next := 0
		name := "lessons=200/booked=50/every=20s/clients=distinct"
		if !distinct {
			name = "lessons=200/booked=50/every=20s/clients=same"
		}
		b.Run(name, func(b *testing.B) {
			reqs := srv.Total()
			for range b.N {
				for range cards {
					mu.Lock()
					now = now.Add(20 * time.Second)
					mu.Unlock()
					cl := who
					if distinct {
						if next == len(made) {
							b.Fatal("no client left the session has not seen")
						}
						cl = made[next]
						next++
					}
					bs, _, err := card(context.Background(), c, cl.Tag, c.todayBookings)
					if err != nil || len(bs) != len(cl.Lessons) {
						b.Fatalf("%d bookings, want %d: %v", len(bs), len(cl.Lessons), err)
					}
					settled(b, c)
				}
			}
			b.ReportMetric(float64(srv.Total()-reqs)/float64(b.N*cards), "requests/card")
		})
	}
}

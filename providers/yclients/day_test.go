package yclients_test

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"testing"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/yclients"

	"github.com/clubdesk/clubdesk/providers/yclients/yclientstest"
)

// routes is the requests the local YCLIENTS received, by route.
func routes(srv *yclientstest.Server) map[string]int {
	out := map[string]int{}
	for _, r := range []string{"GET /api/v1/company", "GET /api/v1/user", "GET /api/v1/activity", "GET /api/v1/records",
		"GET /api/v1/record", "GET /api/v1/visits", "PUT /api/v1/visits", "POST /api/v1/records", "DELETE /api/v1/record",
		"GET /api/v1/client", "GET /api/v1/clients"} {
		if n := srv.Requests(r); n > 0 {
			out[r] = n
		}
	}
	return out
}

func TestBusyDayRequestCount(t *testing.T) {
	for _, size := range []struct{ events, records, want int }{{40, 300, 7}, {80, 600, 10}} {
		srv, _ := busyDay(t, size.events, size.records)
		srv.SetLatency(0)
		c := dayDesk(t, srv)
		f := rostersOfTheDay(t, srv, c, size.records/size.events)
		t.Logf("%d events, %d records: %v", size.events, size.records, routes(srv))
		if f.requests != size.want || f.over != 0 {
			t.Errorf("%d events, %d records: %d requests (%d answered 429), want %d: %v", size.events, size.records, f.requests, f.over, size.want, routes(srv))
		}
	}
}

// clock is a desk clock the test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// smallDay is a day of 3 events of 10 bookings on a local YCLIENTS without
// delays, the desk's clock and the company's the test's.
func smallDay(t *testing.T) (*yclientstest.Server, *yclients.Client, *clock, []int) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 12, 3, 8, 30, 0, 0, yclientstest.Moscow)}
	srv := yclientstest.NewServer("bench-partner", "bench-user", clk.now)
	t.Cleanup(srv.Close)
	ids := srv.SeedBusyDay(3, 30)
	srv.EnforceRateLimit(5, 200)
	c, err := yclients.New(providers.Settings{BaseURL: srv.URL, Branch: strconv.Itoa(yclientstest.CompanyID), Now: clk.now,
		Secrets: benchSecrets{"partner_token": "bench-partner", "user_token": "bench-user"}})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c, clk, ids
}

// count runs f and says how many requests of each route it sent.
func count(t *testing.T, srv *yclientstest.Server, f func()) map[string]int {
	t.Helper()
	before := routes(srv)
	f()
	out := map[string]int{}
	for r, n := range routes(srv) {
		if d := n - before[r]; d > 0 {
			out[r] = d
		}
	}
	return out
}

func lessonOf(id int) string { return "A" + strconv.Itoa(id) }

func timetable(t *testing.T, c *yclients.Client, clk *clock) []models.Lesson {
	t.Helper()
	day := clk.now().In(yclientstest.Moscow)
	from := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, yclientstest.Moscow)
	ls, err := c.Lessons(context.Background(), from, from.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

func roster(t *testing.T, c *yclients.Client, lesson string) []models.Booking {
	t.Helper()
	bs, err := c.Roster(context.Background(), lesson)
	if err != nil {
		t.Fatal(err)
	}
	return bs
}

func booking(bs []models.Booking, id int) (models.Booking, bool) {
	i := slices.IndexFunc(bs, func(b models.Booking) bool { return b.ID == strconv.Itoa(id) })
	if i < 0 {
		return models.Booking{}, false
	}
	return bs[i], true
}

func same(t *testing.T, what string, got, want map[string]int) {
	t.Helper()
	if !maps.Equal(got, want) {
		t.Errorf("%s: requests %v, want %v", what, got, want)
	}
}

// The day is read once for every roster of it, and read again as its
// changes only: what another desk changed is seen on the next refresh of
// the roster, at one request.
func TestRostersFromTheDayAndItsChanges(t *testing.T) {
	srv, c, clk, ids := smallDay(t)
	same(t, "timetable", count(t, srv, func() { timetable(t, c, clk) }),
		map[string]int{"GET /api/v1/company": 1, "GET /api/v1/user": 1, "GET /api/v1/activity": 1, "GET /api/v1/records": 1})
	var first []models.Booking
	same(t, "every roster of the day", count(t, srv, func() {
		for _, id := range ids {
			if bs := roster(t, c, lessonOf(id)); len(bs) != 10 {
				t.Fatalf("roster %d: %d bookings", id, len(bs))
			}
		}
		first = roster(t, c, lessonOf(ids[2])) // the last one asked again: the receptionist's F5
	}), map[string]int{"GET /api/v1/records": 1})

	recs := srv.RecordsOf(ids[0])
	srv.MarkElsewhere(recs[0], 1)
	srv.CancelElsewhere(recs[1])
	clk.add(5 * time.Second)
	var again []models.Booking
	same(t, "the roster again", count(t, srv, func() { again = roster(t, c, lessonOf(ids[0])) }),
		map[string]int{"GET /api/v1/records": 1})
	if b, ok := booking(again, recs[0]); !ok || b.Attendance != models.Attended {
		t.Errorf("the mark made at another desk: %+v %v", b, ok)
	}
	if _, ok := booking(again, recs[1]); ok || len(again) != 9 {
		t.Errorf("the booking cancelled at another desk is still there (%d bookings)", len(again))
	}
	if len(first) != 10 {
		t.Errorf("the refreshed roster: %d", len(first))
	}

	// A roster first asked once the day is older than it may be shown reads
	// the changes; one asked after five minutes reads the day whole.
	clk.add(31 * time.Second)
	same(t, "a stale day", count(t, srv, func() { roster(t, c, lessonOf(ids[1])) }), map[string]int{"GET /api/v1/records": 1})
	clk.add(5 * time.Minute)
	same(t, "an old day", count(t, srv, func() { roster(t, c, lessonOf(ids[2])) }), map[string]int{"GET /api/v1/records": 1})
}

// Rosters asked together, before the timetable, wait for one read of the
// day.
func TestRostersShareOneReadOfTheDay(t *testing.T) {
	srv, c, _, ids := smallDay(t)
	got := count(t, srv, func() {
		var wg sync.WaitGroup
		for range 4 {
			for _, id := range ids {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := c.Roster(context.Background(), lessonOf(id)); err != nil {
						t.Error(err)
					}
				}()
			}
		}
		wg.Wait()
	})
	same(t, "12 rosters at once", got, map[string]int{"GET /api/v1/company": 1, "GET /api/v1/user": 1, "GET /api/v1/records": 1})
}

// The desk's own writes change the day it keeps: the roster shown after a
// mark, a booking or a cancellation needs no read of the day, and still
// shows what YCLIENTS holds.
func TestWritesUpdateTheRoster(t *testing.T) {
	srv, c, clk, ids := smallDay(t)
	timetable(t, c, clk)
	lesson := lessonOf(ids[1])
	bs := roster(t, c, lesson)
	recs := srv.RecordsOf(ids[1])
	same(t, "a mark", count(t, srv, func() {
		if err := c.MarkAttendance(context.Background(), strconv.Itoa(recs[3]), models.Attended); err != nil {
			t.Fatal(err)
		}
	}), map[string]int{"GET /api/v1/visits": 1, "PUT /api/v1/visits": 1})
	same(t, "the roster after the mark", count(t, srv, func() { bs = roster(t, c, lesson) }), map[string]int{})
	if b, _ := booking(bs, recs[3]); b.Attendance != models.Attended {
		t.Errorf("after the mark: %+v", b)
	}

	same(t, "a cancellation", count(t, srv, func() {
		if err := c.CancelBooking(context.Background(), strconv.Itoa(recs[4]), false); err != nil {
			t.Fatal(err)
		}
	}), map[string]int{"DELETE /api/v1/record": 1})
	same(t, "the roster after the cancellation", count(t, srv, func() { bs = roster(t, c, lesson) }), map[string]int{})
	if _, ok := booking(bs, recs[4]); ok || len(bs) != 9 {
		t.Errorf("after the cancellation: %d bookings", len(bs))
	}

	var made models.Booking
	same(t, "a booking", count(t, srv, func() {
		var err error
		if made, err = c.Book(context.Background(), lesson, "101"); err != nil {
			t.Fatal(err)
		}
	}), map[string]int{"GET /api/v1/records": 1, "GET /api/v1/client": 1, "POST /api/v1/records": 1})
	same(t, "the roster after the booking", count(t, srv, func() { bs = roster(t, c, lesson) }), map[string]int{})
	if i := slices.IndexFunc(bs, func(b models.Booking) bool { return b.ID == made.ID }); i < 0 || len(bs) != 10 {
		t.Errorf("after the booking: %d bookings, %s missing", len(bs), made.ID)
	}

	// The next refresh reads the changes, and they agree with what the
	// writes left.
	same(t, "the refresh", count(t, srv, func() { bs = roster(t, c, lesson) }), map[string]int{"GET /api/v1/records": 1})
	b, _ := booking(bs, recs[3])
	if _, gone := booking(bs, recs[4]); gone || b.Attendance != models.Attended || len(bs) != 10 {
		t.Errorf("after the refresh: %d bookings, the mark %v", len(bs), b.Attendance)
	}
}

// A roster first asked while the day is fresh costs nothing; once the day
// is older than 30 s it reads the changes first; the timetable always
// asks for them.
func TestADayGrowsStale(t *testing.T) {
	srv, c, clk, ids := smallDay(t)
	timetable(t, c, clk)
	clk.add(29 * time.Second)
	same(t, "a fresh day", count(t, srv, func() { roster(t, c, lessonOf(ids[0])) }), map[string]int{})
	clk.add(2 * time.Second)
	srv.MarkElsewhere(srv.RecordsOf(ids[1])[0], -1)
	var bs []models.Booking
	same(t, "a stale day", count(t, srv, func() { bs = roster(t, c, lessonOf(ids[1])) }), map[string]int{"GET /api/v1/records": 1})
	if b, _ := booking(bs, srv.RecordsOf(ids[1])[0]); b.Attendance != models.NoShow {
		t.Errorf("the no-show marked elsewhere: %+v", b)
	}
	same(t, "the timetable again", count(t, srv, func() { timetable(t, c, clk) }),
		map[string]int{"GET /api/v1/activity": 1, "GET /api/v1/records": 1})
}

// A booking whose answer was lost is looked for in YCLIENTS, not in the day
// the desk kept: it is found, at one request.
func TestALostBookingIsLookedForInYCLIENTS(t *testing.T) {
	srv, c, clk, ids := smallDay(t)
	timetable(t, c, clk)
	lesson := lessonOf(ids[0]) // its roster not asked yet: the kept day would answer it
	other, err := yclients.New(providers.Settings{BaseURL: srv.URL, Branch: strconv.Itoa(yclientstest.CompanyID), Now: clk.now,
		Secrets: benchSecrets{"partner_token": "bench-partner", "user_token": "bench-user"}})
	if err != nil {
		t.Fatal(err)
	}
	made, err := other.Book(context.Background(), lesson, "101") // the answer this desk never saw
	if err != nil {
		t.Fatal(err)
	}
	var f models.Finding
	same(t, "the reconciliation", count(t, srv, func() {
		if f, err = c.Reconcile(context.Background(), models.LostWrite{Kind: models.WriteBook, ClientID: "101", SubjectID: lesson}); err != nil {
			t.Fatal(err)
		}
	}), map[string]int{"GET /api/v1/records": 1})
	if !f.Found || !strings.Contains(f.Detail.EN, made.ID) {
		t.Fatalf("the lost booking %s: %+v", made.ID, f)
	}
}

package luckyfit

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/luckyfit/luckyfittest"
)

// cacheClient is the adapter over a local LuckyFit with a clock the test
// moves.
func cacheClient(t *testing.T) (*Client, *luckyfittest.Server, *time.Time) {
	t.Helper()
	now := testNow
	clock := func() time.Time { return now }
	srv := luckyfittest.NewServer(testKey, clock)
	t.Cleanup(srv.Close)
	c, err := New(providers.Settings{BaseURL: srv.URL + "/api", Secrets: key(testKey), Timezone: "Europe/Moscow", Now: clock},
		WithRetryWait(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return c, srv, &now
}

// openCard is what the console asks for a scanned card: the lookup, then
// the card's parts in one parallel round.
func openCard(t *testing.T, c *Client, tag string, day models.Date) []models.Booking {
	t.Helper()
	ctx := context.Background()
	cl, err := c.ClientByCard(ctx, tag)
	if err != nil {
		t.Fatal(err)
	}
	from, to := day.Bounds(c.loc)
	var (
		wg       sync.WaitGroup
		bookings []models.Booking
		errs     [4]error
	)
	wg.Add(4)
	go func() { defer wg.Done(); _, errs[0] = c.Client(ctx, cl.ID) }()
	go func() { defer wg.Done(); _, errs[1] = c.Memberships(ctx, cl.ID) }()
	go func() { defer wg.Done(); _, errs[2] = c.Visits(ctx, cl.ID, testNow.Add(-time.Hour)) }()
	go func() { defer wg.Done(); bookings, errs[3] = c.ClientBookings(ctx, cl.ID, from, to) }()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return bookings
}

// TestCardReadsTodayOncePerMinute: a card lookup starts reading today's
// timetable and rosters, which the card's bookings then join; the next
// cards within a minute read neither; past the minute, or after a booking,
// the day is read again. The client record the lookup read stands in for
// /clients/id.
func TestCardReadsTodayOncePerMinute(t *testing.T) {
	c, srv, now := cacheClient(t)
	today := models.DateOf(testNow, c.loc)
	first := openCard(t, c, "0040856634", today)
	if len(first) != 1 || first[0].Lesson.Title != "Йога" {
		t.Fatalf("Зеленина's bookings today: %+v", first)
	}
	feed, rosters := "GET /lesson_calendars/feed", "GET /lesson_calendar_bookings"
	if n := srv.Requests(feed); n != 1 {
		t.Errorf("the first card read the feed %d times, want 1 (the prefetch and the bookings share it)", n)
	}
	if n := srv.Requests(rosters); n != 3 {
		t.Errorf("the first card read %d rosters, want the day's 3", n)
	}
	if n := srv.Requests("GET /clients/id/{id}"); n != 0 {
		t.Errorf("the card read the client %d times again right after the lookup", n)
	}

	*now = now.Add(20 * time.Second)
	second := openCard(t, c, "0021478305", today)
	if len(second) != 1 || second[0].Lesson.Title != "Табата" {
		t.Fatalf("Должиков's bookings today: %+v", second)
	}
	if srv.Requests(feed) != 1 || srv.Requests(rosters) != 3 {
		t.Errorf("a second card within a minute read the day again: %v", srv.Counts())
	}

	// A booking changes a roster: the day is read again.
	if _, err := c.Book(context.Background(), "3003", "10004"); err != nil {
		t.Fatal(err)
	}
	again := openCard(t, c, "0021478305", today)
	if len(again) != 2 || srv.Requests(feed) != 2 {
		t.Errorf("after a booking: %d bookings, feed read %d times; want 2 and 2", len(again), srv.Requests(feed))
	}

	// Past the minute the day is read again, and so is the client.
	*now = now.Add(2 * time.Minute)
	openCard(t, c, "0021478305", today)
	if srv.Requests(feed) != 3 {
		t.Errorf("a stale day was not read again: %v", srv.Counts())
	}
}

// TestDayIsRefreshedAhead: a day read past half its life is still used at
// once, and read again in the background, so the desk never waits for it.
func TestDayIsRefreshedAhead(t *testing.T) {
	c, srv, now := cacheClient(t)
	from, to := models.DateOf(testNow, c.loc).Bounds(c.loc)
	ctx := context.Background()
	if _, err := c.ClientBookings(ctx, "10001", from, to); err != nil {
		t.Fatal(err)
	}
	*now = now.Add(rosterTTL/2 + time.Second)
	if _, err := c.ClientBookings(ctx, "10001", from, to); err != nil {
		t.Fatal(err)
	}
	// The refresh runs in the background; wait for it to land.
	deadline := time.Now().Add(10 * time.Second)
	for srv.Requests("GET /lesson_calendar_bookings") < 6 {
		if time.Now().After(deadline) {
			t.Fatalf("no refresh ahead of time: %v", srv.Counts())
		}
		time.Sleep(time.Millisecond)
	}
	if n := srv.Requests("GET /lesson_calendars/feed"); n != 2 {
		t.Errorf("feed read %d times, want 2", n)
	}
}

// TestBindCardForgetsTheRecord: after a card is bound the client is read
// again, not taken from the lookup's record.
func TestBindCardForgetsTheRecord(t *testing.T) {
	c, srv, _ := cacheClient(t)
	ctx := context.Background()
	found, err := c.SearchClients(ctx, "Новосёлов", 10)
	if err != nil || len(found) != 1 {
		t.Fatalf("search: %v %v", found, err)
	}
	if err := c.BindCard(ctx, found[0].ID, "0099887766"); err != nil {
		t.Fatal(err)
	}
	cl, err := c.Client(ctx, found[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cl.Cards) != 1 || cl.Cards[0] != "0099887766" || srv.Requests("GET /clients/id/{id}") != 1 {
		t.Errorf("after binding: cards %v, /clients/id read %d times", cl.Cards, srv.Requests("GET /clients/id/{id}"))
	}
}

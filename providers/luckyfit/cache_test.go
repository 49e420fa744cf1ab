package luckyfit

import (
	"context"
	"errors"
	"slices"
	"strings"
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

// settled waits until no day read nor probe of client_id is under way.
func settled(t testing.TB, c *Client) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c.mu.Lock()
		busy := c.probing
		for _, d := range c.days {
			busy = busy || d.reading != nil
		}
		c.mu.Unlock()
		if !busy {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the day read never ended")
		}
		time.Sleep(time.Millisecond)
	}
}

// arrived waits until n requests for route have reached srv (answered or
// held, luckyfittest.Server.Hold).
func arrived(t testing.TB, srv *luckyfittest.Server, route string, n int) {
	deadline := time.Now().Add(10 * time.Second)
	for srv.ArrivedOn(route) < n {
		if time.Now().After(deadline) {
			t.Errorf("%d requests for %s never came", n, route)
			return
		}
		time.Sleep(time.Millisecond)
	}
}

const (
	feedRoute   = "GET /lesson_calendars/feed"
	rosterRoute = "GET /lesson_calendar_bookings"
)

// TestWarmReadsTheDayBeforeTheFirstCard: the console's start reads today's
// feed and every roster, and settles the client_id query with one probe;
// the cards after it pick their bookings from the day with no request.
func TestWarmReadsTheDayBeforeTheFirstCard(t *testing.T) {
	c, srv, now := cacheClient(t)
	c.Warm()
	settled(t, c)
	if srv.Requests(feedRoute) != 1 || srv.Requests(rosterRoute) != 3+1 || srv.ClientQueries() != 1 {
		t.Fatalf("the start read %v, %d by client; want the feed, 3 rosters and one probe", srv.Counts(), srv.ClientQueries())
	}
	if c.direct != directWorks {
		t.Errorf("the probe left the client_id query %v", c.direct)
	}
	today := models.DateOf(testNow, c.loc)
	before := srv.Total()
	first := openCard(t, c, "0040856634", today)
	if len(first) != 1 || first[0].Lesson.Title != "Йога" {
		t.Fatalf("Зеленина's bookings today: %+v", first)
	}
	if n := srv.Total() - before; n != 5 {
		t.Errorf("the first card cost %d requests, want the card's own 5 (its bookings none): %v", n, srv.Counts())
	}
	if n := srv.Requests("GET /clients/id/{id}"); n != 0 {
		t.Errorf("the card read the client %d times again right after the lookup", n)
	}
	*now = now.Add(20 * time.Second)
	second := openCard(t, c, "0021478305", today)
	if len(second) != 1 || second[0].Lesson.Title != "Табата" {
		t.Fatalf("Должиков's bookings today: %+v", second)
	}
	if srv.Requests(feedRoute) != 1 || srv.Requests(rosterRoute) != 4 {
		t.Errorf("a second card 20 s later read the day again: %v", srv.Counts())
	}
}

// TestBookingUpdatesTheOneRoster: a booking made here goes into its
// roster: the next card shows it with no request for its bookings, and the
// refresh ahead of time reads the feed and no roster, since every count
// agrees with it.
func TestBookingUpdatesTheOneRoster(t *testing.T) {
	c, srv, now := cacheClient(t)
	c.Warm()
	settled(t, c)
	if _, err := c.Book(context.Background(), "3003", "10004"); err != nil {
		t.Fatal(err)
	}
	feed, rosters := srv.Requests(feedRoute), srv.Requests(rosterRoute)
	today := models.DateOf(testNow, c.loc)
	again := openCard(t, c, "0021478305", today)
	if len(again) != 2 || again[0].Lesson.Title != "Аквааэробика" || again[1].Lesson.Title != "Табата" {
		t.Fatalf("after the booking: %+v", again)
	}
	if srv.Requests(feedRoute) != feed || srv.Requests(rosterRoute) != rosters {
		t.Errorf("the card after a booking read the day again: %v", srv.Counts())
	}
	*now = now.Add(refreshAfter + time.Second)
	openCard(t, c, "0021478305", today)
	settled(t, c)
	if srv.Requests(feedRoute) != feed+1 || srv.Requests(rosterRoute) != rosters {
		t.Errorf("the refresh: feed %d (want %d), rosters %d (want %d)", srv.Requests(feedRoute), feed+1, srv.Requests(rosterRoute), rosters)
	}
}

// TestDayIsRefreshedAhead: a day read past refreshAfter is still used at
// once, and read again in the background: the feed, and only the roster
// whose count moved (a booking made elsewhere).
func TestDayIsRefreshedAhead(t *testing.T) {
	c, srv, now := cacheClient(t)
	from, to := models.DateOf(testNow, c.loc).Bounds(c.loc)
	ctx := context.Background()
	c.Warm()
	settled(t, c)
	// Another desk books Пришвина into the Aqua aerobics.
	other, err := New(providers.Settings{BaseURL: srv.URL + "/api", Secrets: key(testKey), Timezone: "Europe/Moscow", Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Book(ctx, "3003", "10011"); err != nil {
		t.Fatal(err)
	}
	rosters := srv.Requests(rosterRoute)
	*now = now.Add(refreshAfter + time.Second)
	release := srv.Hold(feedRoute) // the refresh is under way when the card asks
	mine, err := c.ClientBookings(ctx, "10011", from, to)
	release()
	if err != nil || len(mine) != 1 {
		t.Fatalf("past refreshAfter the day answers at once, as it was: %v %v", mine, err)
	}
	settled(t, c)
	if n := srv.Requests(feedRoute); n != 2 {
		t.Errorf("feed read %d times, want 2", n)
	}
	if n := srv.Requests(rosterRoute) - rosters; n != 1 {
		t.Errorf("the refresh read %d rosters, want the one whose count moved", n)
	}
	mine, err = c.ClientBookings(ctx, "10011", from, to)
	if err != nil || len(mine) != 2 {
		t.Errorf("after the refresh: %v %v", mine, err)
	}
}

// TestTimetableRefreshesTheDay: the timetable's read of today's feed is
// the day's refresh: a lesson whose count moved is read again at the next
// card, the others not.
func TestTimetableRefreshesTheDay(t *testing.T) {
	c, srv, _ := cacheClient(t)
	ctx := context.Background()
	from, to := models.DateOf(testNow, c.loc).Bounds(c.loc)
	c.Warm()
	settled(t, c)
	other, err := New(providers.Settings{BaseURL: srv.URL + "/api", Secrets: key(testKey), Timezone: "Europe/Moscow", Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Book(ctx, "3003", "10011"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Lessons(ctx, from, to); err != nil {
		t.Fatal(err)
	}
	feed, rosters := srv.Requests(feedRoute), srv.Requests(rosterRoute)
	release := srv.Hold(feedRoute) // the refresh is under way when the card asks
	mine, err := c.ClientBookings(ctx, "10011", from, to)
	release()
	if err != nil || len(mine) != 2 {
		t.Fatalf("after the timetable saw the count move: %v %v", mine, err)
	}
	settled(t, c)
	if got := srv.Requests(rosterRoute) - rosters; got != 2 {
		t.Errorf("%d rosters read after the timetable, want the one whose count moved, and the card's direct ask", got)
	}
	if srv.Requests(feedRoute) != feed+1 {
		t.Errorf("the refresh read the feed %d times", srv.Requests(feedRoute)-feed)
	}
}

// TestFirstCardAsksDirectly: a card scanned before the day is read asks
// for the client's bookings by client_id, and keeps them to today's
// lessons.
func TestFirstCardAsksDirectly(t *testing.T) {
	c, srv, _ := cacheClient(t)
	srv.SetLatency(20 * time.Millisecond)
	// The day read the lookup starts is held at its feed until the card's
	// direct call has come in, so no roster can be known when it asks.
	release := srv.Hold(feedRoute)
	go func() {
		arrived(t, srv, rosterRoute, 1)
		release()
	}()
	got := openCard(t, c, "0021478305", models.DateOf(testNow, c.loc))
	if len(got) != 1 || got[0].Lesson.Title != "Табата" || got[0].Lesson.Room != "Зал 2" {
		t.Fatalf("Должиков's bookings: %+v", got)
	}
	settled(t, c)
	if n := srv.ClientQueries(); n != 1 {
		t.Errorf("asked by client_id %d times, want the card's one (it proved the filter: no probe)", n)
	}
}

// TestBigDayRequestCounts pins issue 16's counts at a big club's size
// (200 lessons of 50, and the 3 lessons luckyfittest always has): the
// start reads the feed, every roster once and probes client_id once; a
// card then costs its own 5 requests and none for its bookings, before
// and after a booking.
func TestBigDayRequestCounts(t *testing.T) {
	c, srv, _ := cacheClient(t)
	who := luckyfittest.BookedLast(srv.AddDay(200, 50))
	c.Warm()
	settled(t, c)
	if f, r, q := srv.Requests(feedRoute), srv.Requests(rosterRoute), srv.ClientQueries(); f != 1 || r != 203+1 || q != 1 {
		t.Errorf("the start: feed %d, rosters and probe %d (by client %d); want 1, 204, 1", f, r, q)
	}
	today := models.DateOf(testNow, c.loc)
	n := srv.Total()
	if got := openCard(t, c, who.Tag, today); len(got) != len(who.Lessons) {
		t.Fatalf("%d bookings, want %d", len(got), len(who.Lessons))
	}
	if d := srv.Total() - n; d != 5 {
		t.Errorf("the first card cost %d requests, want 5: %v", d, srv.Counts())
	}
	from, to := today.Bounds(c.loc)
	lessons, err := c.Lessons(context.Background(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	var free string
	for _, l := range lessons {
		if !slices.Contains(who.Lessons, l.ID) && !l.Full() {
			free = l.ID
			break
		}
	}
	if _, err := c.Book(context.Background(), free, who.ID); err != nil {
		t.Fatal(err)
	}
	n = srv.Total()
	if got := openCard(t, c, who.Tag, today); len(got) != len(who.Lessons)+1 {
		t.Fatalf("after the booking: %d bookings, want %d", len(got), len(who.Lessons)+1)
	}
	settled(t, c)
	if d := srv.Total() - n; d != 4 {
		t.Errorf("the card after a booking cost %d requests, want 4 (the client's ended tickets kept from the card before): %v", d, srv.Counts())
	}
}

const ticketsRoute = "GET /client_tickets"

// TestEndedTicketsKeptWhileNoneEnds: the card read again for the same
// client (after a sale, a booking, a second scan) reads the current tickets
// and keeps the ended ones, until a current ticket leaves the list (it
// ended: the ended ones are read again, and it is among them) or
// finishedTTL passes.
func TestEndedTicketsKeptWhileNoneEnds(t *testing.T) {
	c, srv, now := cacheClient(t)
	ctx := context.Background()
	ended := func(ms []models.Membership) (ids []string) {
		for _, m := range ms {
			if m.State == models.StateExpired {
				ids = append(ids, m.ID)
			}
		}
		return ids
	}
	read := func(want int, wantEnded ...string) {
		t.Helper()
		n := srv.Requests(ticketsRoute)
		ms, err := c.Memberships(ctx, "10004")
		if err != nil {
			t.Fatal(err)
		}
		if d := srv.Requests(ticketsRoute) - n; d != want {
			t.Errorf("/client_tickets read %d times, want %d", d, want)
		}
		if got := ended(ms); !slices.Equal(got, wantEnded) {
			t.Errorf("ended memberships %v, want %v", got, wantEnded)
		}
	}
	read(2, "400")
	*now = now.Add(20 * time.Second)
	read(1, "400")
	srv.FinishTicket("502")
	read(2, "502", "400")
	*now = now.Add(finishedTTL + time.Second)
	read(2, "502", "400")
	read(1, "502", "400")
}

// TestAccountWithoutTheClientFilter: an account that refuses client_id,
// or ignores it (no bookings, or the whole club's), is found out by the
// probe or the first answer; the desk then reads rosters, and the cards
// are right.
func TestAccountWithoutTheClientFilter(t *testing.T) {
	for name, f := range map[string]luckyfittest.ClientFilter{
		"refused": luckyfittest.ClientFilterRefused, "ignored": luckyfittest.ClientFilterIgnored,
		"ignored-all": luckyfittest.ClientFilterIgnoredAll,
	} {
		t.Run(name, func(t *testing.T) {
			c, srv, _ := cacheClient(t)
			srv.SetClientFilter(f)
			today := models.DateOf(testNow, c.loc)
			got := openCard(t, c, "0021478305", today)
			if len(got) != 1 || got[0].Lesson.Title != "Табата" {
				t.Fatalf("Должиков's bookings: %+v", got)
			}
			settled(t, c)
			if c.direct != directRefused {
				t.Errorf("the client_id query is %v, want refused", c.direct)
			}
			n := srv.ClientQueries()
			if got := openCard(t, c, "0040856634", today); len(got) != 1 {
				t.Errorf("Зеленина's bookings: %+v", got)
			}
			if srv.ClientQueries() != n {
				t.Errorf("asked by client_id again after the account refused it")
			}
		})
	}
}

// TestRosterDeadlineNeverFailsTheCard: a roster that does not come in time
// leaves the card with what is known, and an ErrPartial that says how many
// lessons are not; the next read brings it.
func TestRosterDeadlineNeverFailsTheCard(t *testing.T) {
	was := rosterTimeout
	rosterTimeout = 100 * time.Millisecond
	t.Cleanup(func() { rosterTimeout = was })
	c, srv, now := cacheClient(t)
	srv.SetClientFilter(luckyfittest.ClientFilterRefused)
	srv.SetLatency(300 * time.Millisecond) // every roster misses its deadline
	from, to := models.DateOf(testNow, c.loc).Bounds(c.loc)
	c.Warm()
	settled(t, c)
	srv.SetLatency(0)
	got, err := c.ClientBookings(context.Background(), "10001", from, to)
	if !errors.Is(err, providers.ErrPartial) || len(got) != 0 {
		t.Fatalf("with no roster read: %v %v, want none and ErrPartial", got, err)
	}
	if msg := providers.Explain(err, "ru"); !strings.Contains(msg, "не известны 3 из 3") {
		t.Errorf("the partial answer says %q", msg)
	}
	*now = now.Add(retryPause)
	c.Warm()
	settled(t, c)
	got, err = c.ClientBookings(context.Background(), "10001", from, to)
	if err != nil || len(got) != 1 {
		t.Errorf("after the rosters came: %v %v", got, err)
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

// TestOldDayGivesWayToTheDirectCall: where the account takes client_id,
// no roster is read again for its age. Past rosterMaxAge the day stops
// answering cards: they ask directly (and see another desk's booking at
// once), and the day's feed alone is read, once per rosterMaxAge.
func TestOldDayGivesWayToTheDirectCall(t *testing.T) {
	c, srv, now := cacheClient(t)
	today := models.DateOf(testNow, c.loc)
	c.Warm()
	settled(t, c)
	if c.direct != directWorks {
		t.Fatalf("the probe left the client_id query %v", c.direct)
	}
	rosters := func() int { return srv.Requests(rosterRoute) - srv.ClientQueries() }
	feed, read, asked := srv.Requests(feedRoute), rosters(), srv.ClientQueries()
	*now = now.Add(20 * time.Second)
	openCard(t, c, "0040856634", today)
	settled(t, c)
	if srv.ClientQueries() != asked {
		t.Errorf("a card from a young day asked by client_id")
	}
	other, err := New(providers.Settings{BaseURL: srv.URL + "/api", Secrets: key(testKey), Timezone: "Europe/Moscow", Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Book(context.Background(), "3003", "10011"); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		*now = now.Add(rosterMaxAge/2 + time.Second)
		n := srv.Total()
		// The card is answered while the refresh it may start is still
		// reading the feed (held): what it finds is the day as it was.
		release := srv.Hold(feedRoute)
		got := openCard(t, c, "0049052213", today)
		release()
		settled(t, c)
		if len(got) != 2 || got[0].Lesson.Title != "Йога" || got[1].Lesson.Title != "Аквааэробика" {
			t.Fatalf("card %d: Пришвина's bookings %+v, want Йога and the Aqua aerobics another desk booked", i, got)
		}
		if i == 0 {
			continue // the day still young, its feed past its minute: the direct call, and a refresh
		}
		// The lookup, the deposit, the current tickets (the ended ones
		// kept from the card before), the access log, the direct call;
		// the last card also reads the ended tickets again (finishedTTL)
		// and starts the feed's read (rosterMaxAge since the last).
		want := map[int]int{1: 5, 2: 7}[i]
		if d := srv.Total() - n; d != want {
			t.Errorf("card %d cost %d requests, want %d", i, d, want)
		}
	}
	if d := rosters() - read; d != 1 {
		t.Errorf("%d rosters read again, want only the one whose count moved while the day was young", d)
	}
	if d := srv.ClientQueries() - asked; d != 3 {
		t.Errorf("asked by client_id %d times, want 3 (each card: the first finds the feed past its minute, the others the rosters past rosterMaxAge)", d)
	}
	if d := srv.Requests(feedRoute) - feed; d != 2 {
		t.Errorf("the feed read %d times over 15 minutes, want 2 (the young day's refresh, then once past rosterMaxAge)", d)
	}
}

// TestOldRostersReadAgainWithoutTheFilter: where the account refuses
// client_id, the rosters are the only source: past rosterMaxAge the
// refresh reads every one again.
func TestOldRostersReadAgainWithoutTheFilter(t *testing.T) {
	c, srv, now := cacheClient(t)
	srv.SetClientFilter(luckyfittest.ClientFilterRefused)
	today := models.DateOf(testNow, c.loc)
	c.Warm()
	settled(t, c)
	if c.direct != directRefused {
		t.Fatalf("the client_id query is %v, want refused", c.direct)
	}
	read := srv.Requests(rosterRoute) - srv.ClientQueries()
	*now = now.Add(rosterMaxAge + time.Second)
	if got := openCard(t, c, "0040856634", today); len(got) != 1 {
		t.Fatalf("Зеленина's bookings %+v", got)
	}
	settled(t, c)
	if d := srv.Requests(rosterRoute) - srv.ClientQueries() - read; d != 3 {
		t.Errorf("%d rosters read again past rosterMaxAge, want all 3", d)
	}
}

// TestBusyDesksKeepTheDayYoung: where cards come faster than the day has
// lessons every rosterMaxAge (a service with many desks), reading the old
// rosters again is cheaper than a direct call a card: the day is kept
// young, and the cards pick from it.
func TestBusyDesksKeepTheDayYoung(t *testing.T) {
	c, srv, now := cacheClient(t)
	today := models.DateOf(testNow, c.loc)
	c.Warm()
	settled(t, c)
	read, asked := srv.Requests(rosterRoute)-srv.ClientQueries(), srv.ClientQueries()
	// Five cards a minute apart (the day has 3 lessons), past rosterMaxAge.
	*now = now.Add(rosterMaxAge - 4*time.Minute)
	for range 5 {
		*now = now.Add(time.Minute)
		// Each card is answered while the refresh it starts is still
		// reading the feed (held): it finds the day as it was.
		release := srv.Hold(feedRoute)
		openCard(t, c, "0040856634", today)
		release()
		settled(t, c)
	}
	if d := srv.Requests(rosterRoute) - srv.ClientQueries() - read; d != 3 {
		t.Errorf("%d rosters read again, want the 3 past rosterMaxAge", d)
	}
	// The first card found the feed past its minute; the one past
	// rosterMaxAge was answered from the day while it was read again.
	if d := srv.ClientQueries() - asked; d != 1 {
		t.Errorf("asked by client_id %d times, want 1", d)
	}
}

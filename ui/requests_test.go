package ui

import (
	"context"
	"maps"
	"sync"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/luckyfit/luckyfittest"
)

// Target 6: what a task at the desk costs in requests, counted where they
// arrive: on a local LuckyFit (HTTP requests), and for the check-in, which
// LuckyFit leaves to its turnstile, as calls the console makes to the demo
// club. The tests pin the counts; BenchmarkRequestsPerTask reports them.

// lfHarness is the console (harness: commands run one after another) on
// the LuckyFit adapter over a local LuckyFit, both on the harness's day.
// The adapter's clock is the returned one: a task moves it on by the time
// it takes at a real desk, so that the adapter's caches age as they would.
func lfHarness(tb testing.TB) (*harness, *luckyfittest.Server, *testClock) {
	tb.Helper()
	clock := &testClock{now: testNow}
	srv := luckyfittest.NewServer(lfKey, clock.Now)
	tb.Cleanup(srv.Close)
	h := newHarness(tb, "ru", func(providers.Provider) providers.Provider {
		return newLuckyFitAt(tb, srv, clock.Now)
	})
	// The console's start reads today ahead (providers.Warmer): the tasks
	// below begin once it is done.
	settle(srv)
	return h, srv, clock
}

// lfStartCost is what the console's start costs on LuckyFit: today's
// feed, its 3 rosters, and one probe of client_id on
// /lesson_calendar_bookings (issue 16).
const lfStartCost = 5

// testClock is a clock safe to read from the adapter's background reads.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// newLuckyFitAt is newLuckyFit on a pinned clock.
func newLuckyFitAt(tb testing.TB, srv *luckyfittest.Server, clock func() time.Time) providers.Provider {
	tb.Helper()
	p, err := providers.New("luckyfit", providers.Settings{
		BaseURL: srv.URL + "/api", Secrets: lfSecrets(lfKey), Branch: "1", PointName: "Reception 1",
		Timezone: "Europe/Moscow", Now: clock,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// cost runs task and returns the requests it cost, by route. Background
// reads a task started (a prefetch) are waited for, bounded.
func cost(srv *luckyfittest.Server, task func()) map[string]int {
	before := srv.Counts()
	task()
	settle(srv)
	after := srv.Counts()
	for k, v := range before {
		after[k] -= v
		if after[k] == 0 {
			delete(after, k)
		}
	}
	return after
}

// settle waits until nothing new has reached the server for 50 ms (at
// most two seconds): background reads end on their own.
func settle(srv *luckyfittest.Server) {
	deadline := time.Now().Add(2 * time.Second)
	last := srv.Arrived()
	for time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		n := srv.Arrived()
		if n == last {
			return
		}
		last = n
	}
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// lfTasks are the desk's tasks on LuckyFit, in the order a shift has them,
// after the time since the task before (after) and what each should cost.
type lfTask struct {
	name  string
	after time.Duration
	run   func(h *harness)
	want  int
}

var lfTasks = []lfTask{
	// The first scan of the session: the lookup, then the card; today's
	// bookings were read when the console started (lfStartCost).
	{"scan to card, first of the session", 0, func(h *harness) {
		h.scan("0040856634")
		h.expect("Зеленина Ольга", "Йога")
	}, 5},
	// The queue: the next client's card, today's timetable still fresh.
	{"scan to card, the next client", 20 * time.Second, func(h *harness) {
		h.scan("0021478305")
		h.expect("Должиков Игорь", "Табата")
	}, 5},
	// F4 on the card to the card again with the new membership: plans,
	// the sale, its payment, the card read again (its client, deposit and
	// current tickets; the ended ones kept from the scan, as none of the
	// client's tickets ended: issue 16, was 8).
	{"sale, cash, back to the card", 30 * time.Second, sellEight, 7},
	// Plans are the session's: the next sale reads none (was 6).
	{"another sale, plans cached", 30 * time.Second, sellEight, 5},
	// The timetable, the selected lesson's roster, F5 on it.
	{"timetable, then the roster", time.Minute, func(h *harness) {
		h.press("f3")
		h.expect("Йога")
		h.press("enter")
		h.expect("Список группы", "Зеленина Ольга")
	}, 2},
	{"roster refresh (F5)", time.Minute, func(h *harness) {
		h.press("f5")
		h.expect("Список группы", "Зеленина Ольга")
	}, 1},
}

// sellEight sells "8 посещений" for cash from the card on screen and goes
// back to the card.
func sellEight(h *harness) {
	h.press("f4")
	h.expect("8 посещений")
	h.typeText("8 пос")
	h.press("enter")
	h.expect("Начало")
	h.press("enter")
	h.expect("Осталось распределить: 0 ₽")
	h.press("enter")
	h.expect("Продать «8 посещений»")
	h.press("y")
	h.expect("Продажа выполнена: 8 посещений")
	h.press("enter")
	h.expect("Карточка клиента: Должиков", "8 из 8")
}

// TestRequestsPerTaskLuckyFit pins what each task costs on LuckyFit.
func TestRequestsPerTaskLuckyFit(t *testing.T) {
	h, srv, clock := lfHarness(t)
	if n := srv.Total(); n != lfStartCost {
		t.Errorf("the console's start cost %d requests, want %d: %v", n, lfStartCost, srv.Counts())
	}
	for _, task := range lfTasks {
		clock.add(task.after)
		got := cost(srv, func() { task.run(h) })
		t.Logf("%s: %d requests %v", task.name, total(got), got)
		if total(got) != task.want {
			t.Errorf("%s cost %d requests, want %d: %v", task.name, total(got), task.want, got)
		}
	}
}

// callCounter counts the console's calls to a provider, by method.
type callCounter struct {
	providers.Provider
	mu sync.Mutex
	n  map[string]int
}

func (c *callCounter) count(method string) {
	c.mu.Lock()
	c.n[method]++
	c.mu.Unlock()
}

// peek is how many times method was called since the last take.
func (c *callCounter) peek(method string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[method]
}

func (c *callCounter) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := maps.Clone(c.n)
	clear(c.n)
	return out
}

func (c *callCounter) ClientByCard(ctx context.Context, tag string) (models.Client, error) {
	c.count("ClientByCard")
	return c.Provider.ClientByCard(ctx, tag)
}

func (c *callCounter) Client(ctx context.Context, id string) (models.Client, error) {
	c.count("Client")
	return c.Provider.Client(ctx, id)
}

func (c *callCounter) Memberships(ctx context.Context, id string) ([]models.Membership, error) {
	c.count("Memberships")
	return c.Provider.Memberships(ctx, id)
}

func (c *callCounter) Visits(ctx context.Context, id string, since time.Time) ([]models.Visit, error) {
	c.count("Visits")
	return c.Provider.Visits(ctx, id, since)
}

func (c *callCounter) ClientBookings(ctx context.Context, id string, from, to time.Time) ([]models.Booking, error) {
	c.count("ClientBookings")
	return c.Provider.ClientBookings(ctx, id, from, to)
}

func (c *callCounter) CheckIn(ctx context.Context, r models.CheckIn) (models.Visit, error) {
	c.count("CheckIn")
	return c.Provider.CheckIn(ctx, r)
}

func (c *callCounter) Plans(ctx context.Context) ([]models.Plan, error) {
	c.count("Plans")
	return c.Provider.Plans(ctx)
}

func (c *callCounter) Sell(ctx context.Context, s models.Sale) (models.SaleResult, error) {
	c.count("Sell")
	return c.Provider.Sell(ctx, s)
}

func (c *callCounter) Lessons(ctx context.Context, from, to time.Time) ([]models.Lesson, error) {
	c.count("Lessons")
	return c.Provider.Lessons(ctx, from, to)
}

func (c *callCounter) Roster(ctx context.Context, id string) ([]models.Booking, error) {
	c.count("Roster")
	return c.Provider.Roster(ctx, id)
}

func (c *callCounter) MarkAttendance(ctx context.Context, id string, a models.Attendance) error {
	c.count("MarkAttendance")
	return c.Provider.MarkAttendance(ctx, id, a)
}

// demoTasks are the tasks LuckyFit cannot do, on the demo club, counted in
// provider calls.
var demoTasks = []struct {
	name string
	run  func(h *harness)
	want int
}{
	{"check-in: scan, Enter, the card again", func(h *harness) {
		h.scan(cardGreen)
		h.expect("МОЖНО ПРОХОДИТЬ")
		h.press("enter")
		h.expect("вход отмечен")
	}, 9},
	{"roster: mark attended", func(h *harness) {
		h.press("f3")
		h.expect("Расписание")
		h.press("enter")
		h.expect("Список группы")
		h.press("u")
		h.press("a")
		h.expect(" — пришёл")
	}, 6},
}

// TestCallsPerTaskDemo pins the check-in's and the attendance mark's calls.
func TestCallsPerTaskDemo(t *testing.T) {
	var cc *callCounter
	h := newHarness(t, "ru", func(p providers.Provider) providers.Provider {
		cc = &callCounter{Provider: p, n: map[string]int{}}
		return cc
	})
	for _, task := range demoTasks {
		cc.take()
		task.run(h)
		got := cc.take()
		t.Logf("%s: %d calls %v", task.name, total(got), got)
		if total(got) != task.want {
			t.Errorf("%s made %d calls, want %d: %v", task.name, total(got), task.want, got)
		}
	}
}

// BenchmarkRequestsPerTask reports target 6's counts: requests/op on a
// local LuckyFit for each task in a shift's order (the session carries on
// from one iteration to the next, so caches are as a desk has them), and
// calls/op to the demo club for the check-in and the attendance mark.
func BenchmarkRequestsPerTask(b *testing.B) {
	for i, task := range lfTasks {
		b.Run("luckyfit/"+task.name, func(b *testing.B) {
			n := 0
			for range b.N {
				b.StopTimer()
				h, srv, clock := lfHarness(b)
				for _, before := range lfTasks[:i] {
					clock.add(before.after)
					before.run(h)
				}
				settle(srv)
				clock.add(task.after)
				b.StartTimer()
				n += total(cost(srv, func() { task.run(h) }))
			}
			b.ReportMetric(float64(n)/float64(b.N), "requests/op")
		})
	}
	for _, task := range demoTasks {
		b.Run("demo/"+task.name, func(b *testing.B) {
			n := 0
			for range b.N {
				var cc *callCounter
				h := newHarness(b, "ru", func(p providers.Provider) providers.Provider {
					cc = &callCounter{Provider: p, n: map[string]int{}}
					return cc
				})
				task.run(h)
				n += total(cc.take())
			}
			b.ReportMetric(float64(n)/float64(b.N), "calls/op")
		})
	}
}

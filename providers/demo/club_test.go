package demo

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

var bg = context.Background()

// newClub builds a club with the clock pinned at now.
func newClub(t testing.TB, now time.Time, extra map[string]any) *Club {
	t.Helper()
	c, err := New(providers.Settings{Now: func() time.Time { return now }, Extra: extra})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wantKind checks that err is a *providers.Error of the given kind, with Op
// and a message set.
func wantKind(t *testing.T, err, kind error) *providers.Error {
	t.Helper()
	var pe *providers.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *providers.Error", err, err)
	}
	if !errors.Is(err, kind) || pe.Kind != kind {
		t.Fatalf("error %v: kind %v, want %v", err, pe.Kind, kind)
	}
	if pe.Op == "" || pe.Message == "" {
		t.Fatalf("error %v: Op %q, Message %q; want both set", err, pe.Op, pe.Message)
	}
	return pe
}

func TestRegisteredAndInfo(t *testing.T) {
	p, err := providers.New("demo", providers.Settings{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	info := p.Info()
	if info.Name != "demo" || info.Title != "Demo" || !info.Demo || info.Currency != "RUB" || info.Branch == "" {
		t.Errorf("Info() = %+v", info)
	}
	if info.Location == nil || info.Location.String() != "Europe/Moscow" {
		t.Errorf("Location = %v, want Europe/Moscow", info.Location)
	}
	for _, cp := range providers.AllCapabilities {
		if !p.Capabilities().Has(cp) {
			t.Errorf("capability %s is not supported", cp)
		}
	}
}

func TestSettings(t *testing.T) {
	for _, extra := range []map[string]any{
		{"latency": "soon"}, {"latency": 3}, {"clients": -1}, {"clients": "many"}, {"clients": 1.5},
	} {
		if _, err := New(providers.Settings{Extra: extra}); err == nil {
			t.Errorf("New with %v: no error", extra)
		}
	}
	if _, err := New(providers.Settings{Timezone: "Mars/Olympus"}); err == nil {
		t.Error("New with an unknown zone: no error")
	}
	c := newClub(t, testNow, map[string]any{"clients": int64(300), "latency": "1ms"})
	if c.nGen != 300 || c.latency != time.Millisecond {
		t.Errorf("clients %d, latency %v; want 300, 1ms", c.nGen, c.latency)
	}
}

// snapshot reads everything the desk can read about a club on its day.
func snapshot(t *testing.T, c *Club) map[string]any {
	t.Helper()
	out := map[string]any{}
	var ids []string
	for i := 0; i < len(c.all()); i += 97 {
		ids = append(ids, c.all()[i].ID)
	}
	for _, id := range ids {
		cl, err := c.Client(bg, id)
		ms, err2 := c.Memberships(bg, id)
		vs, err3 := c.Visits(bg, id, time.Time{})
		if err := errors.Join(err, err2, err3); err != nil {
			t.Fatal(err)
		}
		out[id] = []any{cl, ms, vs}
	}
	from, to := models.DateOf(testNow, moscow).Bounds(moscow)
	ls, err := c.Lessons(bg, from, to.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	out["lessons"] = ls
	for _, l := range ls {
		r, err := c.Roster(bg, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		out[l.ID] = r
	}
	rep, err := c.ShiftReport(bg, models.DateOf(testNow, moscow))
	if err != nil {
		t.Fatal(err)
	}
	out["report"] = rep
	return out
}

func TestDeterministic(t *testing.T) {
	a := snapshot(t, newClub(t, testNow, nil))
	b := snapshot(t, newClub(t, testNow, nil))
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two clubs built with the same clock differ")
	}
	// The client base does not depend on the date; the timetable does.
	later := newClub(t, testNow.AddDate(0, 1, 3), nil)
	first := newClub(t, testNow, nil)
	for i := range 50 {
		x, y := first.all()[len(showcase)+i], later.all()[len(showcase)+i]
		if x.FullName() != y.FullName() || x.Phone != y.Phone || !reflect.DeepEqual(x.Cards, y.Cards) {
			t.Fatalf("client %s differs between dates", x.ID)
		}
	}
	d1, d2 := first.day(models.NewDate(2026, 11, 23)), first.day(models.NewDate(2026, 11, 24))
	if reflect.DeepEqual(lessonShapes(d1), lessonShapes(d2)) {
		t.Error("two dates have the same timetable")
	}
}

func lessonShapes(d *day) []string {
	var out []string
	for _, l := range d.lessons {
		out = append(out, l.Start.Format("15:04")+" "+l.Room+" "+l.Title+" "+l.Instructor)
	}
	return out
}

func TestCancelledContext(t *testing.T) {
	c := newClub(t, testNow, map[string]any{"clients": 200})
	ctx, cancel := context.WithCancel(bg)
	cancel()
	day := models.DateOf(testNow, moscow)
	calls := map[string]func() error{
		"SearchClients": func() error { _, err := c.SearchClients(ctx, "иван", 10); return err },
		"ClientByCard":  func() error { _, err := c.ClientByCard(ctx, "0040856634"); return err },
		"Client":        func() error { _, err := c.Client(ctx, idGreen); return err },
		"Memberships":   func() error { _, err := c.Memberships(ctx, idGreen); return err },
		"Visits":        func() error { _, err := c.Visits(ctx, idGreen, time.Time{}); return err },
		"ClientBookings": func() error {
			_, err := c.ClientBookings(ctx, idGreen, testNow, testNow.Add(time.Hour))
			return err
		},
		"BindCard":     func() error { return c.BindCard(ctx, idNew, "0000012345") },
		"CreateClient": func() error { _, err := c.CreateClient(ctx, models.NewClient{}); return err },
		"Plans":        func() error { _, err := c.Plans(ctx); return err },
		"Sell":         func() error { _, err := c.Sell(ctx, models.Sale{}); return err },
		"TakePayment":  func() error { _, err := c.TakePayment(ctx, models.PaymentRequest{}); return err },
		"TopUpDeposit": func() error { _, err := c.TopUpDeposit(ctx, models.PaymentRequest{}); return err },
		"Lessons":      func() error { _, err := c.Lessons(ctx, testNow, testNow.Add(time.Hour)); return err },
		"Roster":       func() error { _, err := c.Roster(ctx, "L20261122-01"); return err },
		"Book":         func() error { _, err := c.Book(ctx, "L20261122-01", idGreen); return err },
		"CancelBooking": func() error {
			return c.CancelBooking(ctx, "B20261122-01-01", false)
		},
		"MarkAttendance": func() error { return c.MarkAttendance(ctx, "B20261122-01-01", models.Attended) },
		"CheckIn":        func() error { _, err := c.CheckIn(ctx, models.CheckIn{ClientID: idGreen}); return err },
		"ShiftReport":    func() error { _, err := c.ShiftReport(ctx, day); return err },
		"UndoCheckIn":    func() error { return c.UndoCheckIn(ctx, models.Visit{ID: "V10001-1", ClientID: idGreen}) },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s on a cancelled context: %v, want context.Canceled", name, err)
		}
	}
	if cl, _ := c.Client(bg, idNew); len(cl.Cards) != 0 {
		t.Error("BindCard on a cancelled context bound the card")
	}
}

func TestLatency(t *testing.T) {
	c := newClub(t, testNow, map[string]any{"clients": 200, "latency": 20 * time.Millisecond})
	start := time.Now()
	if _, err := c.Plans(bg); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("Plans took %v, want at least the 20ms latency", d)
	}
	ctx, cancel := context.WithTimeout(bg, 2*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, err := c.SearchClients(ctx, "иван", 10)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("search past its deadline: %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 15*time.Millisecond {
		t.Errorf("search past its deadline took %v: the latency did not honour the context", d)
	}
}

func TestResultsAreCopies(t *testing.T) {
	c := newClub(t, testNow, map[string]any{"clients": 200})
	cl, _ := c.Client(bg, idGreen)
	cl.Cards[0] = "9999999999"
	ms, _ := c.Memberships(bg, idGreen)
	ms[0].VisitsLeft = 99
	ps, _ := c.Plans(bg)
	ps[0].Price = rub(1)
	again, _ := c.Client(bg, idGreen)
	ms2, _ := c.Memberships(bg, idGreen)
	ps2, _ := c.Plans(bg)
	if again.Cards[0] != "0040856634" || ms2[0].VisitsLeft == 99 || ps2[0].Price == rub(1) {
		t.Error("changing a result changed the club")
	}
}

func TestConcurrentUse(t *testing.T) {
	c := newClub(t, testNow, map[string]any{"clients": 500})
	done := make(chan error)
	for g := range 4 {
		go func() {
			var err error
			for i := range 20 {
				_, e1 := c.SearchClients(bg, []string{"смир", "ан", "916"}[i%3], 10)
				_, e2 := c.Memberships(bg, c.all()[len(showcase)+g*50+i].ID)
				_, e3 := c.Lessons(bg, testNow, testNow.Add(48*time.Hour))
				err = errors.Join(err, e1, e2, e3)
			}
			done <- err
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

func TestPlans(t *testing.T) {
	c := newClub(t, testNow, map[string]any{"clients": 200})
	ps, err := c.Plans(bg)
	if err != nil || len(ps) < 8 {
		t.Fatalf("Plans() = %d plans, %v", len(ps), err)
	}
	kinds := map[models.PlanKind]bool{}
	for _, p := range ps {
		kinds[p.Kind] = true
		if p.Name == "" || p.Group == "" || !p.Price.IsPositive() || p.Price.Currency != "RUB" {
			t.Errorf("plan %+v is incomplete", p)
		}
		if p.Months == 0 && p.Days == 0 {
			t.Errorf("plan %s has no validity", p.Name)
		}
		if strings.Contains(p.Name, "Годовой") && !p.MembershipFee.IsPositive() {
			t.Errorf("plan %s has no membership fee", p.Name)
		}
	}
	for _, k := range []models.PlanKind{models.PlanRegular, models.PlanTrial, models.PlanMembership, models.PlanExtra} {
		if !kinds[k] {
			t.Errorf("no plan of kind %d", k)
		}
	}
}

// wrapped is how a config package may hold a duration.
type wrapped struct{ time.Duration }

func TestLatencySettingForms(t *testing.T) {
	for _, v := range []any{5 * time.Millisecond, "5ms", wrapped{5 * time.Millisecond}} {
		d, err := durationSetting(v)
		if err != nil || d != 5*time.Millisecond {
			t.Errorf("latency %#v: %v, %v", v, d, err)
		}
	}
}

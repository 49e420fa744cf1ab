package luckyfit

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers/luckyfit/luckyfittest"
)

// sparseDesk is a desk on a LuckyFit whose tickets come as sparse as the
// document allows (no end, no debt).
func sparseDesk(t *testing.T) (*Client, *luckyfittest.Server) {
	t.Helper()
	srv := luckyfittest.NewServer(testKey, func() time.Time { return testNow })
	t.Cleanup(srv.Close)
	srv.SetSparse(true)
	return lfAt(t, srv.URL+"/api", testKey), srv
}

func planNamed(t *testing.T, c *Client, name string) models.Plan {
	t.Helper()
	plans, err := c.Plans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plans {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no plan %q", name)
	return models.Plan{}
}

// A ticket answered without an end gets the end its plan implies, not its
// start: "Период: 22.11.2026 – 22.11.2026" was shown for a month's plan.
func TestSoldPeriodComesFromThePlanWhenTheTicketHasNoEnd(t *testing.T) {
	c, _ := sparseDesk(t)
	ctx := context.Background()
	today := models.DateOf(testNow, moscow)
	month := planNamed(t, c, "Безлимит на месяц")
	res, err := c.Sell(ctx, models.Sale{ClientID: "10012", Plan: month, Start: today,
		Payments: []models.Payment{{Method: models.PayCash, Amount: models.Major(5000, "RUB")}}})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Membership
	if m.Start != today || m.End != models.NewDate(2026, 12, 21) || m.State != models.StateActive || m.Title != "Безлимит на месяц" {
		t.Fatalf("month sold: %+v", m)
	}
	if got := m.Period().RU; got != "22.11.2026 – 21.12.2026" {
		t.Fatalf("period %q", got)
	}

	// A plan that starts on the first visit has no dates yet.
	trial := planNamed(t, c, "Пробное занятие")
	if !trial.StartsOnFirstVisit {
		t.Fatalf("start_kind 2 is the first visit: %+v", trial)
	}
	res, err = c.Sell(ctx, models.Sale{ClientID: "10012", Plan: trial, Start: today,
		Payments: []models.Payment{{Method: models.PayCash, Amount: models.Major(500, "RUB")}}})
	if err != nil {
		t.Fatal(err)
	}
	m = res.Membership
	if !m.Start.IsZero() || !m.End.IsZero() || m.State != models.StateNotStarted || m.VisitsTotal != 1 || m.Unlimited {
		t.Fatalf("trial sold: %+v", m)
	}
	if m.Period().RU != "с первого посещения" || !m.Usable(today) {
		t.Fatalf("trial period %q, usable %v", m.Period().RU, m.Usable(today))
	}
	v := models.Judge(models.VerdictInput{Memberships: []models.Membership{m}, Now: testNow, Location: moscow})
	for _, r := range v.Reasons {
		if r.Code == models.ReasonEndsSoon || r.Code == models.ReasonExpired {
			t.Fatalf("no end was given, none may be warned of: %+v", v)
		}
	}
}

// A client ticket read with neither an end nor a duration has no end: the
// desk does not end it on its first day.
func TestTicketWithoutEndOrDurationIsOpenEnded(t *testing.T) {
	wr, c := newWire(t)
	wr.On("GET /client_tickets", func(w http.ResponseWriter, cl call) {
		if cl.Params["ticket_state"] == float64(2) {
			w.Write([]byte(ok("[]")))
			return
		}
		w.Write([]byte(ok(`[{"id":1,"client_id":10004,"ticket_id":1,"name":"Безлимит","started":"2026-11-20","account_summ_id":9,"debt":0}]`)))
	})
	ms, err := c.Memberships(context.Background(), "10004")
	if err != nil || len(ms) != 1 {
		t.Fatalf("%v %+v", err, ms)
	}
	if !ms[0].End.IsZero() || ms[0].Start != models.NewDate(2026, 11, 20) || ms[0].State != models.StateActive {
		t.Fatalf("membership %+v", ms[0])
	}
	if ms[0].Period().EN != "from 20.11.2026, no end date" {
		t.Fatalf("period %+v", ms[0].Period())
	}
}

func TestPlanValidityFromDurationAndKind(t *testing.T) {
	cases := []struct {
		duration, kind number
		days, months   int
	}{
		{1, kindMonth, 0, 1}, {2, kindYear, 0, 24}, {10, kindDay, 10, 0}, {90, kindMinute, 1, 0}, {2, kindHour, 1, 0},
		{0, kindMonth, 0, 0}, {3, 0, 0, 0}, {3, 9, 0, 0},
	}
	for _, tc := range cases {
		if d, m := validity(tc.duration, tc.kind); d != tc.days || m != tc.months {
			t.Errorf("validity(%d, %d) = %d days %d months", tc.duration, tc.kind, d, m)
		}
	}
}

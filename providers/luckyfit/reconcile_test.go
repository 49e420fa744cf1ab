package luckyfit

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/luckyfit/luckyfittest"
)

func TestReconcileFindsWhatALostWriteLeft(t *testing.T) {
	now := func() time.Time { return testNow }
	srv := luckyfittest.NewServer(testKey, now)
	defer srv.Close()
	c, err := New(providers.Settings{BaseURL: srv.URL + "/api", Secrets: key(testKey), PointName: "Reception 1",
		Timezone: "Europe/Moscow", Now: now}, WithRetryWait(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	plans, err := c.Plans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var plan models.Plan
	for _, p := range plans {
		if p.Name == "8 посещений" {
			plan = p
		}
	}
	rub := func(n int64) models.Money { return models.Major(n, "RUB") }
	pays := []models.Payment{{Method: models.PayCard, Amount: rub(1000)}, {Method: models.PayCash, Amount: rub(3000)}}
	lost := models.LostWrite{Kind: models.WriteSell, ClientID: "10012", SubjectID: plan.ID, Amount: rub(4000), Payments: pays, SentAt: testNow}

	// Before the sale reached LuckyFit: nothing to find.
	f, err := c.Reconcile(ctx, lost)
	if err != nil || f.Found || !strings.Contains(f.Detail.RU, "не найден") || !strings.Contains(f.Detail.EN, "not found") {
		t.Fatalf("before: %+v %v", f, err)
	}
	// The sale went through, and its answer was lost.
	if _, err := c.Sell(ctx, models.Sale{ClientID: "10012", Plan: plan, Start: models.DateOf(testNow, moscow), Payments: pays}); err != nil {
		t.Fatal(err)
	}
	f, err = c.Reconcile(ctx, lost)
	if err != nil || !f.Found || !strings.Contains(f.Detail.RU, "8 посещений") || strings.Count(f.Detail.RU, "платёж") != 2 || strings.Count(f.Detail.EN, "payment") != 2 {
		t.Fatalf("after: %+v %v", f, err)
	}
	// A payment of another amount was never made.
	lost = models.LostWrite{Kind: models.WritePay, ClientID: "10012", Payments: []models.Payment{{Method: models.PayCash, Amount: rub(777)}}, SentAt: testNow}
	if f, err := c.Reconcile(ctx, lost); err != nil || f.Found {
		t.Fatalf("a payment never made was found: %+v %v", f, err)
	}
	// A booking: the client is in the lesson's bookings, or is not.
	booked := models.LostWrite{Kind: models.WriteBook, ClientID: "10011", SubjectID: "3001", SentAt: testNow}
	if f, err := c.Reconcile(ctx, booked); err != nil || !f.Found {
		t.Fatalf("booking: %+v %v", f, err)
	}
	booked.ClientID = "10012"
	if f, err := c.Reconcile(ctx, booked); err != nil || f.Found {
		t.Fatalf("a booking never made: %+v %v", f, err)
	}
	// A write LuckyFit keeps no trace of is said to be beyond it.
	if _, err := c.Reconcile(ctx, models.LostWrite{Kind: models.WriteBindCard}); err == nil {
		t.Fatal("a card binding has no trace to look up")
	}
}

package journal

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// payOnly answers a payment without taking it, so the test needs no booking.
type payOnly struct{ providers.Provider }

func (payOnly) TakePayment(_ context.Context, r models.PaymentRequest) (models.PaymentResult, error) {
	res := models.PaymentResult{}
	for _, p := range r.Payments {
		res.Payments = append(res.Payments, models.PaymentOutcome{Payment: p, Outcome: models.OutcomeDone})
	}
	return res, nil
}

// TestVisitPaymentIsJournalledAgainstItsBooking: a visit's payment names
// the booking it pays, so a lost one can be asked about.
func TestVisitPaymentIsJournalledAgainstItsBooking(t *testing.T) {
	dir := t.TempDir()
	r := Wrap(payOnly{demoClub(t)}, open(t, dir))
	_, err := r.TakePayment(context.Background(), models.PaymentRequest{ClientID: "10010", Purpose: models.PayForBooking,
		BookingID: "B20261201-03-07", Payments: []models.Payment{{Method: models.PayCash, Amount: models.Major(900, "RUB")}}})
	if err != nil {
		t.Fatal(err)
	}
	ops := open(t, dir).Since(time.Time{})
	if len(ops) != 1 {
		t.Fatalf("%d operations", len(ops))
	}
	if w := ops[0].Lost(); w.Kind != models.WritePay || w.SubjectID != "B20261201-03-07" || w.Amount.Minor != 90000 {
		t.Fatalf("lost write %+v", w)
	}
}

// visits is a provider whose visits group bookings: it records the whole
// visit marks it was given.
type visits struct {
	providers.Provider
	marked []string
}

func (v *visits) MarkVisit(_ context.Context, bookingID string, a models.Attendance) error {
	v.marked = append(v.marked, bookingID)
	return nil
}

// TestAWholeVisitIsJournalledAsSuch: the receptionist confirmed the visit's
// every booking; the journal says so, for the mark and for the payment.
func TestAWholeVisitIsJournalledAsSuch(t *testing.T) {
	dir := t.TempDir()
	v := &visits{Provider: payOnly{demoClub(t)}}
	r := Wrap(v, open(t, dir))
	ctx := context.Background()
	if err := r.MarkVisit(ctx, "r-1", models.Attended); err != nil || len(v.marked) != 1 {
		t.Fatalf("mark visit: %v %v", err, v.marked)
	}
	if _, err := r.TakePayment(ctx, models.PaymentRequest{ClientID: "c", Purpose: models.PayForBooking, BookingID: "r-1", WholeVisit: true,
		Payments: []models.Payment{{Method: models.PayCash, Amount: models.Major(74000, "KZT")}}}); err != nil {
		t.Fatal(err)
	}
	ops := open(t, dir).Since(time.Time{})
	if len(ops) != 2 {
		t.Fatalf("%d operations", len(ops))
	}
	mark, paid := ops[0].Intent, ops[1].Intent
	if mark.Kind != Attend || !mark.WholeVisit || mark.Subject != "attended" || mark.BookingID != "r-1" || ops[0].Phase() != Done {
		t.Fatalf("mark %+v", ops[0])
	}
	if paid.Kind != Pay || !paid.WholeVisit || paid.Subject != "whole visit" || paid.Amount != 7400000 || paid.Currency != "KZT" {
		t.Fatalf("payment %+v", paid)
	}
	// A provider without visits refuses the whole visit before anything is
	// recorded.
	plain := Wrap(demoClub(t), open(t, t.TempDir()))
	if err := plain.MarkVisit(ctx, "r-1", models.Attended); !errors.Is(err, providers.ErrUnsupported) {
		t.Fatalf("no visits: %v", err)
	}
	if n := len(plain.Journal().Since(time.Time{})); n != 0 {
		t.Fatalf("%d operations recorded for a refused whole-visit mark", n)
	}
}

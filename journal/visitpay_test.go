package journal

import (
	"context"
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

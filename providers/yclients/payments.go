package yclients

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// fastPayment is the code of PUT /visits' fast_payment: 1 cash, 2 card
// (129 and 130 also print a receipt; the desk does not ask for one,
// assumption 11).
var fastPayment = map[models.PaymentMethod]int{models.PayCash: 1, models.PayCard: 2}

// TakePayment pays one visit in full with fast_payment, the only payment
// the document has. Everything that can be checked is checked before the
// money moves: one part, cash or card, exactly what the record still owes
// (read again now, so a visit paid meanwhile is not paid twice). The
// payment goes out once; when its answer is lost, the record is read again
// and only a record YCLIENTS shows as paid turns "unknown" into "done".
func (c *Client) TakePayment(ctx context.Context, r models.PaymentRequest) (models.PaymentResult, error) {
	const op = "pay visit"
	res := models.PaymentResult{}
	for _, p := range r.Payments {
		res.Payments = append(res.Payments, models.PaymentOutcome{Payment: p, Outcome: models.OutcomeNotTried})
	}
	refuse := func(err error) (models.PaymentResult, error) {
		for i := range res.Payments {
			res.Payments[i].Outcome, res.Payments[i].Detail = models.OutcomeFailed, providers.ProviderMessage(err)
		}
		return res, err
	}
	if r.Purpose != models.PayForBooking || r.BookingID == "" {
		return refuse(&providers.UnsupportedError{Capability: providers.CapTakePayment, Reason: reasonOnlyVisi.EN, Why: reasonOnlyVisi})
	}
	if err := c.prepare(ctx, op); err != nil {
		return refuse(err)
	}
	if err := c.allowed(providers.CapTakePayment); err != nil {
		return refuse(err)
	}
	if len(r.Payments) != 1 {
		return refuse(providers.Refusal(providers.ErrValidation, op, providers.Words{EN: "YCLIENTS takes a visit's payment whole and by one method", RU: "YCLIENTS принимает оплату визита целиком и одним способом"}))
	}
	pay := r.Payments[0]
	code, ok := fastPayment[pay.Method]
	if !ok {
		return refuse(providers.Refusal(providers.ErrValidation, op, providers.Words{EN: "a visit in YCLIENTS is paid in cash or by card", RU: "визит в YCLIENTS оплачивается наличными или картой"}))
	}
	rid := pathID(r.BookingID)
	w, err := c.record(ctx, op, rid)
	if err != nil {
		return refuse(err)
	}
	due := w.due()
	switch {
	case w.paid() || !due.IsPositive():
		return refuse(providers.Refusal(providers.ErrValidation, op, providers.Words{EN: "the visit is already paid", RU: "визит уже оплачен"}))
	case pay.Amount.Minor != due.Minor:
		return refuse(providers.Refusal(providers.ErrValidation, op, providers.Words{EN: "%s is due: YCLIENTS only takes a visit's payment whole", RU: "к оплате %s: YCLIENTS оплачивает визит только целиком"}, due))
	}
	visitID := string(w.VisitID)
	if visitID == "" || visitID == "0" {
		return refuse(providers.Refusal(providers.ErrValidation, op, noVisit, rid))
	}
	body := map[string]any{"attendance": w.attendance(), "comment": string(w.Comment), "fast_payment": code}
	_, err = c.send(ctx, op, http.MethodPut, "/api/v1/visits/"+pathID(visitID)+"/"+rid, body, nil)
	switch {
	case err == nil:
		res.Payments[0].Outcome = models.OutcomeDone
	case errors.Is(err, providers.ErrOutcomeUnknown):
		if c.paidNow(rid) {
			res.Payments[0].Outcome, res.Payments[0].Detail = models.OutcomeDone, "YCLIENTS показывает визит оплаченным"
			err = nil
		} else {
			res.Payments[0].Outcome = models.OutcomeUnknown
		}
	default:
		res.Payments[0].Outcome, res.Payments[0].Detail = models.OutcomeFailed, providers.ProviderMessage(err)
	}
	if err == nil {
		c.mu.Lock()
		if e, ok := c.records[rid]; ok {
			e.due, e.paid = models.Money{Currency: currency}, true
			c.records[rid] = e
		}
		c.mu.Unlock()
	}
	return res, err
}

// paidNow reads a record whose payment's answer was lost. Paid means the
// payment went through; anything else leaves it unknown (it may yet land),
// never "failed".
func (c *Client) paidNow(recordID string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	w, err := c.record(ctx, "find payment", recordID)
	return err == nil && w.paid()
}

package yclients

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/wire"
)

// fastPayment is the code of PUT /visits' fast_payment: 1 cash, 2 card
// (129 and 130 also print a receipt; the desk does not ask for one,
// assumption 11).
var fastPayment = map[models.PaymentMethod]int{models.PayCash: 1, models.PayCard: 2}

// Words of the payment's refusals.
var (
	onePart     = providers.Words{EN: "YCLIENTS takes a visit's payment whole and by one method", RU: "YCLIENTS принимает оплату визита целиком и одним способом"}
	cashOrCard  = providers.Words{EN: "a visit in YCLIENTS is paid in cash or by card", RU: "визит в YCLIENTS оплачивается наличными или картой"}
	alreadyPaid = providers.Words{EN: "the visit is already paid", RU: "визит уже оплачен"}
	wholeOnly   = providers.Words{EN: "%s is due: YCLIENTS only takes a visit's payment whole", RU: "к оплате %s: YCLIENTS оплачивает визит только целиком"}
	recordDue   = providers.Words{EN: "%s is due for this booking: the payment must be exactly that", RU: "к оплате за эту запись %s: сумма должна быть ровно такой"}
	visitDue    = providers.Words{EN: "the whole visit owes %s: the payment must be exactly that", RU: "весь визит — к оплате %s: сумма должна быть ровно такой"}
	unknownDue  = providers.Words{EN: "YCLIENTS does not say what the visit's other bookings owe: take the payment in YCLIENTS", RU: "YCLIENTS не сообщает, сколько к оплате за другие записи визита: примите оплату в YCLIENTS"}
	goodsTaken  = providers.Words{EN: "the visit also holds unpaid goods (%s), which YCLIENTS' fast payment would take too: take the payment in YCLIENTS", RU: "в визите есть неоплаченные товары (%s), их быстрая оплата YCLIENTS тоже списала бы: примите оплату в YCLIENTS"}
	otherMoney  = providers.Words{EN: "the payment is in %s, the company counts in %s", RU: "оплата в %s, а компания считает в %s"}
	docDisagree = providers.Words{EN: "YCLIENTS shows %s due on the booking's sale document and %s on the booking: take the payment in YCLIENTS", RU: "в документе продажи записи к оплате %s, а в самой записи %s: примите оплату в YCLIENTS"}
	// notTakenYet: YCLIENTS answered 429, so it did not process the
	// payment; the desk never sends money again by itself.
	notTakenYet = providers.Words{EN: "not taken yet: YCLIENTS asked to wait %d s (too many requests) and processed nothing; pay again when it has passed",
		RU: "оплата не принята: YCLIENTS просит подождать %d с (слишком много запросов) и ничего не провела; повторите оплату после паузы"}
	paidShown = "YCLIENTS показывает визит оплаченным"
)

// TakePayment pays a visit's record. Everything that can be checked is
// checked before the money moves: one part, cash or card, in the
// company's currency, exactly what is due (read again now, so a visit paid
// meanwhile is not paid twice), and the visit read first (assumption 21):
//
//   - a visit of this record alone is paid with fast_payment, as it always
//     was;
//   - a visit of several records is paid whole with fast_payment only when
//     the receptionist confirmed the whole visit (r.WholeVisit) and the
//     amount is the whole visit's due;
//   - otherwise this record alone is paid through its own sale document
//     into a cash desk of the method's kind, when YCLIENTS offers one; and
//     when it does not, the payment is refused (providers.ErrWholeVisit)
//     with the visit listed, nothing sent.
//
// The payment goes out once; when its answer is lost, the record is read
// again and only a record YCLIENTS shows as paid turns "unknown" into
// "done". A 429 means nothing was processed: it is refused, "not taken
// yet", and never sent again by itself.
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
		return refuse(providers.Refusal(providers.ErrValidation, op, onePart))
	}
	pay := r.Payments[0]
	code, ok := fastPayment[pay.Method]
	if !ok {
		return refuse(providers.Refusal(providers.ErrValidation, op, cashOrCard))
	}
	cur := c.currency()
	if pay.Amount.Currency != "" && pay.Amount.Currency != cur {
		return refuse(providers.Refusal(providers.ErrValidation, op, otherMoney, pay.Amount.Currency, cur))
	}
	rid := pathID(r.BookingID)
	v, err := c.readVisit(ctx, op, rid, true)
	if err != nil {
		return refuse(err)
	}
	w := v.record
	due, _ := w.due(cur)
	var (
		path   string
		body   map[string]any
		others []wireRecord // records the payment settles besides this one
	)
	switch {
	case !v.multi() || r.WholeVisit:
		total, known := v.due(cur)
		switch {
		case !known:
			return refuse(providers.Refusal(providers.ErrValidation, op, unknownDue))
		case !total.IsPositive():
			return refuse(providers.Refusal(providers.ErrValidation, op, alreadyPaid))
		case v.goodsDue(cur).IsPositive():
			return refuse(providers.Refusal(providers.ErrValidation, op, goodsTaken, v.goodsDue(cur)))
		case pay.Amount.Minor != total.Minor && v.multi():
			return refuse(providers.Refusal(providers.ErrValidation, op, visitDue, total))
		case pay.Amount.Minor != total.Minor:
			return refuse(providers.Refusal(providers.ErrValidation, op, wholeOnly, total))
		}
		// The call also requires attendance and comment: the record's
		// current ones are sent, so paying changes nothing else.
		path = "/api/v1/visits/" + pathID(v.id) + "/" + rid
		body = map[string]any{"attendance": w.attendance(), "comment": string(w.Comment), "fast_payment": code}
		others = v.others
	default:
		switch {
		case w.paid() || !due.IsPositive():
			return refuse(providers.Refusal(providers.ErrValidation, op, alreadyPaid))
		case pay.Amount.Minor != due.Minor:
			return refuse(providers.Refusal(providers.ErrValidation, op, recordDue, due))
		}
		s, err := c.sale(ctx, op, w)
		account, ok := s.account(pay.Method)
		if err != nil || !ok {
			// YCLIENTS offers no way to pay this record alone by this
			// method: the visit whole, confirmed, or YCLIENTS itself.
			return refuse(c.wholeVisit(op, v, wholeVisitPay))
		}
		if d := s.due(cur); d.Minor != due.Minor {
			return refuse(providers.Refusal(providers.ErrValidation, op, docDisagree, d, due))
		}
		path = c.payPath(s.doc)
		body = map[string]any{"payment": map[string]any{
			"method": map[string]any{"slug": "account", "account_id": numID(account)},
			"amount": wire.MoneyOut(due),
		}}
	}
	method := http.MethodPut
	if body["payment"] != nil {
		method = http.MethodPost
	}
	_, err = c.send(ctx, op, method, path, body, nil)
	switch {
	case err == nil:
		res.Payments[0].Outcome = models.OutcomeDone
	case errors.Is(err, providers.ErrOutcomeUnknown):
		if c.paidNow(rid) {
			res.Payments[0].Outcome, res.Payments[0].Detail = models.OutcomeDone, paidShown
			err = nil
		} else {
			res.Payments[0].Outcome = models.OutcomeUnknown
		}
	case errors.Is(err, providers.ErrRateLimited):
		err = notTaken(err)
		res.Payments[0].Outcome, res.Payments[0].Detail = models.OutcomeFailed, providers.ProviderMessage(err)
	default:
		res.Payments[0].Outcome, res.Payments[0].Detail = models.OutcomeFailed, providers.ProviderMessage(err)
	}
	if err == nil {
		c.mu.Lock()
		for _, rec := range append([]wireRecord{w}, others...) {
			if e, ok := c.records[string(rec.ID)]; ok {
				e.due, e.paid = models.Money{Currency: cur}, true
				c.records[string(rec.ID)] = e
			}
		}
		c.mu.Unlock()
		for _, rec := range append([]wireRecord{w}, others...) {
			c.patchDay(string(rec.ID), func(r *wireRecord) { r.PaidFull, r.PaymentStatus = 1, 1 })
		}
	}
	return res, err
}

// notTaken words a payment YCLIENTS answered 429: nothing was processed,
// and the receptionist sends it again, never the desk by itself.
func notTaken(err error) error {
	var pe *providers.Error
	if !errors.As(err, &pe) {
		return err
	}
	out := *pe
	secs := int((pe.RetryAfter + time.Second - 1) / time.Second)
	if secs < 1 {
		secs = 1
	}
	out.Desk = notTakenYet.Fill(secs)
	return &out
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

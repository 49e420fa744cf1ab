package luckyfit

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// reconcileWindow is how far around the moment a lost write was sent its
// trace is looked for: the desk's and LuckyFit's clocks may differ a little.
const reconcileWindow = 5 * time.Minute

// Reconcile implements providers.Reconciler: it looks for exactly the
// requests the desk sent for a write whose answer was lost (assumption 13),
// and says of each whether LuckyFit shows it (models.Finding.Steps).
//
// A sale was the client's ticket for the plan, then one transaction per
// part of the payment to the ticket's price account, and the membership
// fee as its own transaction to the fee account — a part that covered
// both the rest of the price and the fee was two transactions. The same
// split (split) is rebuilt from the journal's parts, the sale's total and
// its fee, and each transaction is looked for by account, operation, pay
// kind and amount. A debt payment or a top-up is one transaction per part
// to the ticket's or the deposit's account. A booking is the client in
// the lesson's bookings. Found is said only when every request is there;
// some found is a sale done in part, which the desk can settle as such
// and take the rest.
func (c *Client) Reconcile(ctx context.Context, w models.LostWrite) (models.Finding, error) {
	switch w.Kind {
	case models.WriteSell:
		return c.saleTrace(ctx, w)
	case models.WritePay, models.WriteTopUp:
		return c.paymentTrace(ctx, w)
	case models.WriteBook:
		return c.bookingTrace(ctx, w)
	}
	return models.Finding{}, fmt.Errorf("reconcile: LuckyFit keeps no trace of a %s the desk can look up", w.Kind)
}

// finding sums the steps up.
func finding(steps []models.FoundStep) models.Finding {
	f := models.Finding{Steps: steps, Found: len(steps) > 0}
	for _, s := range steps {
		f.Found = f.Found && s.Found
	}
	f.Detail = f.StepsWords()
	return f
}

var methodWords = map[models.PaymentMethod]providers.Words{
	models.PayCash: {EN: "cash", RU: "наличными"}, models.PayCard: {EN: "by card", RU: "картой"},
	models.PayDeposit: {EN: "from the deposit", RU: "с депозита"}, models.PayTransfer: {EN: "by transfer", RU: "переводом"},
	models.PayOther: {EN: "other", RU: "другим способом"},
}

// stepOf is the step a transfer is.
func stepOf(t transfer) models.FoundStep {
	m := methodWords[t.payment.Method]
	s := models.FoundStep{Kind: models.StepPayment, Payment: t.payment,
		What: providers.Words{EN: "payment %s " + m.EN, RU: "платёж %s " + m.RU}.Fill(t.payment.Amount)}
	if t.operation == opMembershipFee {
		s.Kind = models.StepFee
		s.What = providers.Words{EN: "membership fee payment %s " + m.EN, RU: "платёж членского взноса %s " + m.RU}.Fill(t.payment.Amount)
	}
	return s
}

// matchTransfers finds each transfer among txs (each transaction answers
// one transfer): same account when both are known, same operation and pay
// kind when LuckyFit gives them, same amount.
func (c *Client) matchTransfers(ts []transfer, txs []wireTransaction) ([]models.FoundStep, int) {
	left := slices.Clone(txs)
	steps := make([]models.FoundStep, len(ts))
	found := 0
	for i, t := range ts {
		steps[i] = stepOf(t)
		j := slices.IndexFunc(left, func(tx wireTransaction) bool {
			return (t.account == "" || string(tx.AccountDestID) == t.account) &&
				(tx.FinoperationID == 0 || int(tx.FinoperationID) == t.operation) &&
				(tx.PaykindID == 0 || int(tx.PaykindID) == paykinds[t.payment.Method]) &&
				money(tx.Summ).Minor == t.payment.Amount.Minor
		})
		if j < 0 {
			continue
		}
		tx := left[j]
		left = slices.Delete(left, j, j+1)
		at, _ := tx.CreatedAt.At(c.loc)
		steps[i].Found, steps[i].Ref = true, string(tx.ID)
		steps[i].Detail = providers.Words{EN: "№ %s at %s", RU: "№ %s в %s"}.Fill(tx.ID, at.Format("15:04"))
		found++
	}
	return steps, found
}

// saleTrace looks for the ticket and every transaction of a lost sale.
func (c *Client) saleTrace(ctx context.Context, w models.LostWrite) (models.Finding, error) {
	fee := w.Fee
	if !fee.IsPositive() {
		if plans, err := c.Plans(ctx); err == nil {
			if i := slices.IndexFunc(plans, func(p models.Plan) bool { return p.ID == w.SubjectID }); i >= 0 {
				fee = plans[i].MembershipFee
			}
		}
	}
	total := w.Amount
	if !total.IsPositive() {
		for _, p := range w.Payments {
			total = total.Add(p.Amount)
		}
	}
	var current []wireTicket
	filters := map[string]any{"client_id": w.ClientID, "ticket_state": stateActiveNotStarted}
	if err := c.get(ctx, "reconcile", "/client_tickets", filters, &current); err != nil {
		return models.Finding{}, err
	}
	txs, err := c.transactionsAround(ctx, w.ClientID, w.SentAt)
	if err != nil {
		return models.Finding{}, err
	}
	// The ticket the sale created is the client's ticket for the plan that
	// the sale's payments reached, or that is dated to the sale; a ticket
	// for the same plan from before is told apart by both.
	var (
		best      *wireTicket
		bestSteps []models.FoundStep
		bestScore = -1
	)
	plan := split(w.Payments, total.Sub(fee), "", fee, "")
	for i := range current {
		t := &current[i]
		if string(t.TicketID) != w.SubjectID {
			continue
		}
		ts := make([]transfer, len(plan))
		for k, tr := range plan {
			tr.account = string(t.AccountSummID)
			if tr.account == "" {
				tr.account = "-" // a ticket without an account took no payment
			}
			if tr.operation == opMembershipFee {
				tr.account = first(string(t.AccountMembershipID), "-")
			}
			ts[k] = tr
		}
		steps, found := c.matchTransfers(ts, txs)
		score := 2 * found
		if c.datedTo(*t, w) {
			score++
		}
		if score > bestScore || score == bestScore && score > 0 {
			best, bestSteps, bestScore = t, steps, score
		}
	}
	name := providers.Words{EN: "membership for the plan %s", RU: "абонемент по плану %s"}.Fill(w.SubjectID)
	ticket := models.FoundStep{Kind: models.StepMembership, What: name}
	var steps []models.FoundStep
	if best == nil || bestScore <= 0 {
		steps = append(steps, ticket)
		for _, tr := range plan {
			steps = append(steps, stepOf(tr))
		}
		return finding(steps), nil
	}
	ticket.Found, ticket.Ref = true, string(best.ID)
	ticket.What = providers.Words{EN: "membership № %s «%s»", RU: "абонемент № %s «%s»"}.Fill(best.ID, best.Name)
	return finding(append([]models.FoundStep{ticket}, bestSteps...)), nil
}

// datedTo reports whether a ticket is dated to the lost sale: created
// around the moment it was sent, or starting on the day the sale named.
func (c *Client) datedTo(t wireTicket, w models.LostWrite) bool {
	if at, ok := t.CreatedAt.At(c.loc); ok {
		return at.After(w.SentAt.Add(-reconcileWindow)) && at.Before(w.SentAt.Add(reconcileWindow))
	}
	if d, ok := t.Started.Date(); ok && !w.Start.IsZero() {
		return d == w.Start
	}
	return false
}

// paymentTrace looks for each part of a lost debt payment or top-up.
func (c *Client) paymentTrace(ctx context.Context, w models.LostWrite) (models.Finding, error) {
	txs, err := c.transactionsAround(ctx, w.ClientID, w.SentAt)
	if err != nil {
		return models.Finding{}, err
	}
	op, account, fee := opTicketPayment, "", ""
	if w.Kind == models.WriteTopUp {
		op = opDepositTopUp
		if as, err := c.accounts(ctx, w.ClientID); err == nil && len(as) > 0 {
			account = string(as[0].ID)
		}
	} else if w.SubjectID != "" {
		if t, err := c.clientTicket(ctx, "reconcile", w.ClientID, w.SubjectID); err == nil {
			account, fee = string(t.AccountSummID), string(t.AccountMembershipID)
		}
	}
	ts := make([]transfer, len(w.Payments))
	for i, p := range w.Payments {
		ts[i] = transfer{payment: p, account: account, operation: op}
	}
	steps, found := c.matchTransfers(ts, txs)
	if found < len(ts) && fee != "" {
		// A debt payment whose part the desk split between the price and
		// the fee (debtTransfers): the part is there as two transactions.
		for i, s := range steps {
			if s.Found {
				continue
			}
			if ref, ok := c.splitPart(ts[i], account, fee, txs, steps); ok {
				steps[i].Found, steps[i].Ref = true, ref
				steps[i].Detail = providers.Words{EN: "as two transactions № %s", RU: "двумя транзакциями № %s"}.Fill(ref)
			}
		}
	}
	return finding(steps), nil
}

// splitPart looks for a part paid as a transaction to the price account
// and one to the fee account that add up to it, none of them already
// taken by another step.
func (c *Client) splitPart(t transfer, price, fee string, txs []wireTransaction, steps []models.FoundStep) (string, bool) {
	used := map[string]bool{}
	for _, s := range steps {
		if s.Ref != "" {
			used[s.Ref] = true
		}
	}
	for _, a := range txs {
		if used[string(a.ID)] || string(a.AccountDestID) != price {
			continue
		}
		for _, b := range txs {
			if used[string(b.ID)] || string(b.AccountDestID) != fee {
				continue
			}
			if money(a.Summ).Add(money(b.Summ)).Minor == t.payment.Amount.Minor {
				return string(a.ID) + ", " + string(b.ID), true
			}
		}
	}
	return "", false
}

// bookingTrace looks for the client in the lesson's bookings.
func (c *Client) bookingTrace(ctx context.Context, w models.LostWrite) (models.Finding, error) {
	var ws []wireBooking
	if err := c.get(ctx, "reconcile", "/lesson_calendar_bookings", map[string]any{"lesson_calendar_id": w.SubjectID}, &ws); err != nil {
		return models.Finding{}, err
	}
	step := models.FoundStep{Kind: models.StepRecord, What: providers.Words{EN: "the booking", RU: "запись"}}
	for _, b := range ws {
		if string(b.ClientID) == w.ClientID {
			step.Found, step.Ref, step.Detail = true, string(b.ID), providers.Words{EN: "№ %s", RU: "№ %s"}.Fill(b.ID)
			return models.Finding{Found: true, Detail: providers.BookingFound.Fill(b.ID), Steps: []models.FoundStep{step}}, nil
		}
	}
	return models.Finding{Detail: providers.BookingMissing, Steps: []models.FoundStep{step}}, nil
}

// transactionsAround lists the client's transactions at this desk written
// around the moment sent.
func (c *Client) transactionsAround(ctx context.Context, clientID string, sent time.Time) ([]wireTransaction, error) {
	filters := map[string]any{
		"lo#created_at": wireTime(sent.Add(-reconcileWindow), c.loc),
		"hi#created_at": wireTime(sent.Add(reconcileWindow), c.loc),
	}
	if c.pointName != "" {
		filters["point_name"] = c.pointName
	}
	var txs []wireTransaction
	if err := c.get(ctx, "reconcile", "/transactions", filters, &txs); err != nil {
		return nil, err
	}
	return slices.DeleteFunc(txs, func(t wireTransaction) bool { return string(t.ClientID) != clientID }), nil
}

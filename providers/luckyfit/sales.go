package luckyfit

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// Financial operations and pay kinds of /transactions.
const (
	opDepositTopUp  = 1
	opTicketPayment = 2
	opMembershipFee = 3
)

// paykinds maps the desk's methods to LuckyFit's paykind_id.
var paykinds = map[models.PaymentMethod]int{
	models.PayDeposit: 1, models.PayCash: 2, models.PayCard: 3, models.PayTransfer: 4, models.PayOther: 5,
}

var methods = map[int64]models.PaymentMethod{
	1: models.PayDeposit, 2: models.PayCash, 3: models.PayCard, 4: models.PayTransfer, 5: models.PayOther, 20: models.PayCard,
}

// wireTransaction is one of /transactions.
type wireTransaction struct {
	ID             id     `json:"id"`
	ClientID       id     `json:"client_id"`
	AccountDestID  id     `json:"account_dest_id"`
	PaykindID      number `json:"paykind_id"`
	FinoperationID number `json:"finoperation_id"`
	Summ           amount `json:"summ"`
	PointName      text   `json:"point_name"`
	CreatedAt      stamp  `json:"created_at"`
	Signed         flag   `json:"signed"`
}

// transfer is one transaction the desk will send.
type transfer struct {
	payment   models.Payment
	account   string
	operation int
}

// Sell creates the client's ticket, then pays it with one transaction per
// part of the payment (and the membership fee to its own account). Nothing
// is retried. If the first payment is refused the unpaid ticket is deleted,
// so an abandoned sale leaves nothing behind; the result says, step by
// step, what happened.
func (c *Client) Sell(ctx context.Context, s models.Sale) (models.SaleResult, error) {
	res := models.SaleResult{MembershipCreated: models.OutcomeNotTried}
	for _, p := range s.Payments {
		res.Payments = append(res.Payments, models.PaymentOutcome{Payment: p, Outcome: models.OutcomeNotTried})
	}
	if err := s.Validate(); err != nil {
		return res, &providers.Error{Kind: providers.ErrValidation, Op: "sell", Message: err.Error(), Err: err}
	}
	body := map[string]any{"client_id": s.ClientID, "ticket_id": s.Plan.ID, "started": wireDate(s.Start)}
	switch d := s.Discount; d.Kind {
	case models.DiscountPercent:
		body["discount"], body["discount_kind"], body["discount_comment"] = d.Percent, 0, d.Reason
	case models.DiscountAmount:
		if d.Amount.IsPositive() {
			body["discount"], body["discount_kind"], body["discount_comment"] = wireMoney(d.Amount), 1, d.Reason
		}
	}
	var ticket wireTicket
	if err := c.send(ctx, "sell", http.MethodPost, "/client_tickets", body, &ticket); err != nil {
		res.MembershipCreated = models.OutcomeFailed
		if errors.Is(err, providers.ErrOutcomeUnknown) {
			res.MembershipCreated = models.OutcomeUnknown
		}
		return res, err
	}
	res.MembershipCreated = models.OutcomeDone
	if ticket.AccountSummID == "" && ticket.ID != "" {
		// Assumption 5: read the accounts back when the answer lacks them.
		if t, err := c.clientTicket(ctx, "sell", s.ClientID, string(ticket.ID)); err == nil {
			ticket = t
		}
	}
	today := models.DateOf(c.now(), c.loc)
	res.Membership = soldMembership(ticket, s, today)
	totals := s.Totals()
	if ticket.ID != "" {
		// What the ticket was sold for, for its due (assumption 16).
		c.mu.Lock()
		c.sold[string(ticket.ID)] = soldFigures{price: totals.Total.Sub(totals.Fee), fee: totals.Fee}
		c.mu.Unlock()
	}
	if ticket.AccountSummID == "" || totals.Fee.IsPositive() && ticket.AccountMembershipID == "" {
		err := providers.Refusal(providers.ErrValidation, "sell", providers.Words{EN: "LuckyFit gave no invoice to pay the membership with", RU: "LuckyFit не вернул счёт абонемента для оплаты"})
		c.abandon(ctx, &res, string(ticket.ID))
		return res, err
	}
	plan := split(s.Payments, totals.Total.Sub(totals.Fee), string(ticket.AccountSummID), totals.Fee, string(ticket.AccountMembershipID))
	paid, err := c.pay(ctx, "sell", s.ClientID, plan)
	res.Payments = paid
	res.Membership.AmountDue = totals.Total.Sub(models.SaleResult{Payments: paid}.Charged())
	if err != nil && !anyDone(paid) && !errors.Is(err, providers.ErrOutcomeUnknown) {
		c.abandon(ctx, &res, string(ticket.ID))
	}
	return res, err
}

// soldMembership is the ticket a sale created, with what its answer leaves
// out taken from the plan sold (assumption 15): the start the desk sent,
// the end the plan's duration implies, its visits. A plan that starts on
// the first visit (start_kind 2) has no dates yet: not started, no end,
// unless LuckyFit's answer states an end. Nothing the answer does not give
// and the plan does not imply is made up.
func soldMembership(t wireTicket, s models.Sale, today models.Date) models.Membership {
	m := t.membership(false, today)
	m.ClientID = first(m.ClientID, s.ClientID)
	m.PlanID = first(m.PlanID, s.Plan.ID)
	if m.Title == "" {
		m.Title = s.Plan.Name
	}
	if t.Passes == 0 && s.Plan.Visits > 0 {
		// A sparse answer: the plan's visits, all of them left.
		m.Unlimited, m.VisitsTotal, m.VisitsLeft = false, s.Plan.Visits, s.Plan.Visits
	}
	if _, stated := t.end(); stated {
		return m
	}
	if s.Plan.StartsOnFirstVisit || t.StartKind == startOnFirstVisit {
		m.Start, m.End, m.State = models.Date{}, models.Date{}, models.StateNotStarted
		return m
	}
	if m.Start.IsZero() {
		m.Start = s.Start
	}
	if m.End.IsZero() {
		plan := s.Plan
		plan.StartsOnFirstVisit = false
		_, m.End = plan.PeriodFrom(m.Start)
	}
	if m.State == models.StateNotStarted && !m.Start.After(today) {
		m.State = models.StateActive
	}
	return m
}

// abandon deletes a ticket nothing was paid for, so a sale that did not go
// through leaves no unpaid membership behind. When the delete fails the
// ticket stays, reported as created with its amount due.
func (c *Client) abandon(ctx context.Context, res *models.SaleResult, ticketID string) {
	if ticketID == "" {
		return
	}
	err := c.send(context.WithoutCancel(ctx), "sell", http.MethodDelete, "/client_tickets/"+pathID(ticketID), nil, nil)
	if err != nil {
		c.log.Warn("unpaid ticket not deleted", "ticket", ticketID, "err", err)
		return
	}
	res.MembershipCreated = models.OutcomeFailed
	res.Membership = models.Membership{}
	c.mu.Lock()
	delete(c.sold, ticketID)
	c.mu.Unlock()
}

// split allocates the payment parts to the ticket's price first and the
// membership fee after, in the order the receptionist entered them.
func split(parts []models.Payment, price models.Money, priceAccount string, fee models.Money, feeAccount string) []transfer {
	var out []transfer
	due := []struct {
		left    models.Money
		account string
		op      int
	}{{price, priceAccount, opTicketPayment}, {fee, feeAccount, opMembershipFee}}
	i := 0
	for _, p := range parts {
		rest := p.Amount
		for rest.IsPositive() && i < len(due) {
			if !due[i].left.IsPositive() {
				i++
				continue
			}
			take := rest
			if take.Minor > due[i].left.Minor {
				take.Minor = due[i].left.Minor
			}
			out = append(out, transfer{payment: models.Payment{Method: p.Method, Amount: take}, account: due[i].account, operation: due[i].op})
			due[i].left = due[i].left.Sub(take)
			rest = rest.Sub(take)
		}
	}
	return out
}

func anyDone(ps []models.PaymentOutcome) bool {
	for _, p := range ps {
		if p.Outcome == models.OutcomeDone {
			return true
		}
	}
	return false
}

// pay sends the transfers one by one and stops at the first that does not
// go through. It reports one outcome per transfer, so a part of the payment
// split between the price and the fee shows exactly which half was taken.
func (c *Client) pay(ctx context.Context, op, clientID string, transfers []transfer) ([]models.PaymentOutcome, error) {
	out := make([]models.PaymentOutcome, len(transfers))
	for i, t := range transfers {
		out[i] = models.PaymentOutcome{Payment: t.payment, Outcome: models.OutcomeNotTried}
		if t.operation == opMembershipFee {
			out[i].Detail = "членский взнос"
		}
	}
	for i, t := range transfers {
		sentAt := c.now()
		tx, err := c.transfer(ctx, op, clientID, t)
		if errors.Is(err, providers.ErrOutcomeUnknown) {
			if found, ok := c.findTransaction(clientID, t, sentAt); ok {
				tx, err = found, nil
				out[i].Detail = strings.TrimSpace(out[i].Detail + " найдено в LuckyFit")
			}
		}
		switch {
		case err == nil:
			out[i].Outcome = models.OutcomeDone
			out[i].Detail = strings.TrimSpace(out[i].Detail + " " + receipt(tx))
		case errors.Is(err, providers.ErrOutcomeUnknown):
			out[i].Outcome = models.OutcomeUnknown
			return out, err
		default:
			out[i].Outcome, out[i].Detail = models.OutcomeFailed, providers.ProviderMessage(err)
			return out, err
		}
	}
	return out, nil
}

func receipt(t wireTransaction) string {
	if t.ID == "" {
		return ""
	}
	return "№ " + string(t.ID)
}

func (c *Client) transfer(ctx context.Context, op, clientID string, t transfer) (wireTransaction, error) {
	body := map[string]any{
		"account_dest_id": t.account, "client_id": clientID, "finoperation_id": t.operation,
		"paykind_id": paykinds[t.payment.Method], "summ": wireMoney(t.payment.Amount),
	}
	if c.pointName != "" {
		body["point_name"] = c.pointName
	}
	var tx wireTransaction
	err := c.send(ctx, op, http.MethodPost, "/transactions", body, &tx)
	return tx, err
}

// findTransaction looks for a payment whose answer was lost: the same
// client, account, operation and amount, written since just before it was
// sent. Found means it went through; not found means "still unknown" (it
// may yet appear), never "failed".
func (c *Client) findTransaction(clientID string, t transfer, sentAt time.Time) (wireTransaction, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	filters := map[string]any{
		"lo#created_at":   wireTime(sentAt.Add(-2*time.Minute), c.loc),
		"hi#created_at":   wireTime(c.now().Add(2*time.Minute), c.loc),
		"finoperation_id": t.operation,
	}
	if c.pointName != "" {
		filters["point_name"] = c.pointName
	}
	var txs []wireTransaction
	if err := c.get(ctx, "find payment", "/transactions", filters, &txs); err != nil {
		return wireTransaction{}, false
	}
	for _, tx := range txs {
		if string(tx.ClientID) == clientID && string(tx.AccountDestID) == t.account && money(tx.Summ).Minor == t.payment.Amount.Minor {
			return tx, true
		}
	}
	return wireTransaction{}, false
}

// TakePayment pays what is due on a client's ticket: to its price account,
// and, when the price is paid and its membership fee is not, the rest to
// the fee account (what a sale whose fee part was refused leaves owing).
func (c *Client) TakePayment(ctx context.Context, r models.PaymentRequest) (models.PaymentResult, error) {
	res := models.PaymentResult{}
	for _, p := range r.Payments {
		res.Payments = append(res.Payments, models.PaymentOutcome{Payment: p, Outcome: models.OutcomeNotTried})
	}
	t, err := c.clientTicket(ctx, "pay", r.ClientID, r.MembershipID)
	if err != nil {
		return res, err
	}
	transfers := debtTransfers(r.Payments, t, c.dues(ctx, r.ClientID, []wireTicket{t})[string(t.ID)])
	res.Payments, err = c.pay(ctx, "pay", r.ClientID, transfers)
	return res, err
}

// debtTransfers sends a debt payment to the ticket's price account, and to
// its fee account for what the fee still owes once the price is paid.
// Anything beyond both goes to the price account, as before the fee was
// told apart: the desk never drops part of what it takes.
func debtTransfers(parts []models.Payment, t wireTicket, d due) []transfer {
	if !d.known || !d.split || !d.fee.IsPositive() || t.AccountMembershipID == "" {
		out := make([]transfer, len(parts))
		for i, p := range parts {
			out[i] = transfer{payment: p, account: string(t.AccountSummID), operation: opTicketPayment}
		}
		return out
	}
	out := split(parts, d.price, string(t.AccountSummID), d.fee, string(t.AccountMembershipID))
	var sent models.Money
	for _, tr := range out {
		sent = sent.Add(tr.payment.Amount)
	}
	var total models.Money
	for _, p := range parts {
		total = total.Add(p.Amount)
	}
	if extra := total.Sub(sent); extra.IsPositive() {
		last := parts[len(parts)-1]
		out = append(out, transfer{payment: models.Payment{Method: last.Method, Amount: extra}, account: string(t.AccountSummID), operation: opTicketPayment})
	}
	return out
}

// TopUpDeposit puts money on the client's first deposit account.
func (c *Client) TopUpDeposit(ctx context.Context, r models.PaymentRequest) (models.PaymentResult, error) {
	res := models.PaymentResult{}
	for _, p := range r.Payments {
		if p.Method == models.PayDeposit {
			return res, providers.Refusal(providers.ErrValidation, "top up", providers.Words{EN: "a deposit cannot be topped up from the deposit", RU: "депозит нельзя пополнить с депозита"})
		}
		res.Payments = append(res.Payments, models.PaymentOutcome{Payment: p, Outcome: models.OutcomeNotTried})
	}
	accounts, err := c.accounts(ctx, r.ClientID)
	if err != nil {
		return res, err
	}
	if len(accounts) == 0 || accounts[0].ID == "" {
		return res, providers.Refusal(providers.ErrNotFound, "top up", providers.Words{EN: "the client has no deposit account", RU: "у клиента нет депозитного счёта"})
	}
	transfers := make([]transfer, len(r.Payments))
	for i, p := range r.Payments {
		transfers[i] = transfer{payment: p, account: string(accounts[0].ID), operation: opDepositTopUp}
	}
	res.Payments, err = c.pay(ctx, "top up", r.ClientID, transfers)
	return res, err
}

// OpenPaymentPage is LuckyFit's payment page for a plan: it needs no key
// and no call, takes the card payment and issues the ticket itself once
// paid. summ is the price the client pays (with any discount the desk
// agreed). The page sells plans only: a debt is paid at the desk.
func (c *Client) OpenPaymentPage(ctx context.Context, p providers.OnlinePayment) (providers.PaymentPage, error) {
	if err := ctx.Err(); err != nil {
		return providers.PaymentPage{}, err
	}
	if p.Purpose != providers.OnlineBuyPlan {
		why := providers.Words{EN: "LuckyFit's payment page sells plans; a debt is paid at the desk",
			RU: "страница оплаты LuckyFit продаёт абонементы; долг оплачивается на кассе"}
		return providers.PaymentPage{}, &providers.UnsupportedError{Capability: providers.CapOnlinePay, Reason: why.EN, Why: why}
	}
	u, err := url.Parse(c.http.Read.BaseURL + "/payment_systems/pay/order_ticket")
	if err != nil {
		return providers.PaymentPage{}, err
	}
	q := url.Values{}
	q.Set("client_id", p.ClientID)
	q.Set("ticket_id", p.Plan.ID)
	q.Set("summ", p.Amount.Decimal())
	u.RawQuery = q.Encode()
	return providers.PaymentPage{URL: u.String()}, nil
}

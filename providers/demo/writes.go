package demo

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// Money moves in one step under the club's lock: every refusal happens
// before anything changes, so a refused sale has charged nothing and the
// result says so.

// outcomes reports every payment with the same outcome.
func outcomes(pays []models.Payment, o models.Outcome) []models.PaymentOutcome {
	out := make([]models.PaymentOutcome, len(pays))
	for i, p := range pays {
		out[i] = models.PaymentOutcome{Payment: p, Outcome: o}
	}
	return out
}

// checkPayments refuses payments a till would not take.
func checkPayments(op string, pays []models.Payment) error {
	if len(pays) == 0 {
		return fail(providers.ErrValidation, op, "Укажите сумму оплаты")
	}
	for _, p := range pays {
		switch {
		case !p.Amount.IsPositive():
			return fail(providers.ErrValidation, op, "Сумма оплаты должна быть больше нуля")
		case p.Method < models.PayCash || p.Method > models.PayOther:
			return fail(providers.ErrValidation, op, "Неизвестный способ оплаты")
		case p.Amount.Currency != "" && p.Amount.Currency != currency:
			return fail(providers.ErrValidation, op, "Оплата принимается только в рублях")
		}
	}
	return nil
}

func sum(pays []models.Payment, only func(models.PaymentMethod) bool) models.Money {
	t := rub(0)
	for _, p := range pays {
		if only == nil || only(p.Method) {
			t.Minor += p.Amount.Minor
		}
	}
	return t
}

func fromDeposit(m models.PaymentMethod) bool { return m == models.PayDeposit }

// shortOfDeposit refuses payments from a deposit that does not cover them,
// marking the deposit parts failed in res.
func shortOfDeposit(op string, cl *client, pays []models.Payment, res []models.PaymentOutcome) error {
	need := sum(pays, fromDeposit)
	if need.Minor <= cl.Deposit.Minor {
		return nil
	}
	msg := "Недостаточно средств на депозите: " + cl.Deposit.String() + ", требуется " + need.String()
	for i := range res {
		if res[i].Payment.Method == models.PayDeposit {
			res[i].Outcome, res[i].Detail = models.OutcomeFailed, msg
		}
	}
	return fail(providers.ErrInsufficientFunds, op, "%s", msg)
}

// saleMessage words a validation error as the CRM would.
func saleMessage(err error, s models.Sale) string {
	switch {
	case errors.Is(err, models.ErrDiscountReason):
		return "Укажите причину скидки"
	case errors.Is(err, models.ErrDiscountRange):
		return "Скидка в процентах должна быть от 1 до 100"
	case errors.Is(err, models.ErrNonPositive):
		return "Сумма оплаты должна быть больше нуля"
	case errors.Is(err, models.ErrPaymentsMismatch):
		t := s.Totals()
		return "Сумма оплат " + t.Paid.String() + " не равна сумме к оплате " + t.Total.String()
	}
	return err.Error()
}

// Sell creates a membership and takes its payment. The club's own plan is
// sold, whatever price the request carries; a start date of zero means
// today. Payments from the deposit must be covered by it.
func (c *Club) Sell(ctx context.Context, s models.Sale) (models.SaleResult, error) {
	const op = "sell"
	res := models.SaleResult{MembershipCreated: models.OutcomeNotTried,
		Payments: outcomes(s.Payments, models.OutcomeNotTried)}
	if err := c.begin(ctx, op); err != nil {
		return res, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	refuse := func(err error) (models.SaleResult, error) {
		res.MembershipCreated = models.OutcomeFailed
		return res, err
	}
	cl, err := c.lookup(op, s.ClientID)
	if err != nil {
		return refuse(err)
	}
	c.ensureHistory(cl)
	p, ok := c.plan(s.Plan.ID)
	if !ok {
		return refuse(fail(providers.ErrNotFound, op, "Тариф «%s» не найден", s.Plan.Name))
	}
	s.Plan = p
	if err := s.Validate(); err != nil {
		return refuse(&providers.Error{Kind: providers.ErrValidation, Op: op, Message: saleMessage(err, s), Err: err})
	}
	if len(s.Payments) > 0 {
		if err := checkPayments(op, s.Payments); err != nil {
			return refuse(err)
		}
	}
	now := c.now()
	today := models.DateOf(now, c.loc)
	start := s.Start
	switch {
	case start.IsZero():
		start = today
	case start.Before(today):
		return refuse(fail(providers.ErrValidation, op, "Дата начала %s уже прошла", start.Short()))
	case start.After(today.AddDays(365)):
		return refuse(fail(providers.ErrValidation, op, "Дата начала %s больше чем через год", start.Short()))
	}
	if err := shortOfDeposit(op, cl, s.Payments, res.Payments); err != nil {
		return refuse(err)
	}
	res.Membership = c.sell(cl, p, start, s.Payments, now)
	res.MembershipCreated = models.OutcomeDone
	for i := range res.Payments {
		res.Payments[i].Outcome, res.Payments[i].Detail = models.OutcomeDone, c.nextReceipt()
	}
	return res, nil
}

// sell makes the membership and books the money, already checked, at the
// given instant.
func (c *Club) sell(cl *client, p models.Plan, start models.Date, pays []models.Payment, at time.Time) models.Membership {
	today := models.DateOf(at, c.loc)
	m := c.addMembership(cl, p, start)
	switch {
	case start.After(today):
		m.State = models.StateNotStarted
	case p.StartsOnFirstVisit:
		// It starts, and its validity is counted, from the first check-in.
		m.State, m.Start, m.End = models.StateNotStarted, models.Date{}, models.Date{}
	}
	cl.Deposit = cl.Deposit.Sub(sum(pays, fromDeposit))
	c.recordSale(today, pays)
	return *m
}

// refused marks the parts of a payment the club refused as failed: nothing
// was charged.
func refused(res models.PaymentResult, err error) (models.PaymentResult, error) {
	if err != nil {
		for i := range res.Payments {
			if res.Payments[i].Outcome == models.OutcomeNotTried {
				res.Payments[i].Outcome = models.OutcomeFailed
			}
		}
	}
	return res, err
}

// TakePayment settles all or part of a membership's amount due.
func (c *Club) TakePayment(ctx context.Context, r models.PaymentRequest) (models.PaymentResult, error) {
	const op = "take payment"
	res := models.PaymentResult{Payments: outcomes(r.Payments, models.OutcomeNotTried)}
	if err := c.begin(ctx, op); err != nil {
		return res, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	res, err := c.takePayment(op, r, res)
	return refused(res, err)
}

func (c *Club) takePayment(op string, r models.PaymentRequest, res models.PaymentResult) (models.PaymentResult, error) {
	cl, err := c.lookup(op, r.ClientID)
	if err != nil {
		return res, err
	}
	c.ensureHistory(cl)
	if r.Purpose == models.PayForBooking {
		return c.payBooking(op, cl, r, res)
	}
	if r.Purpose != models.PayForMembership {
		return res, fail(providers.ErrValidation, op, "Это не оплата абонемента")
	}
	var m *models.Membership
	for i := range cl.ms {
		if cl.ms[i].ID == r.MembershipID {
			m = &cl.ms[i]
		}
	}
	if m == nil {
		return res, fail(providers.ErrNotFound, op, "Абонемент %s у клиента не найден", r.MembershipID)
	}
	if err := checkPayments(op, r.Payments); err != nil {
		return res, err
	}
	paid := sum(r.Payments, nil)
	switch {
	case !m.AmountDue.IsPositive():
		return res, fail(providers.ErrValidation, op, "По абонементу «%s» нет задолженности", m.Title)
	case paid.Minor > m.AmountDue.Minor:
		return res, fail(providers.ErrValidation, op, "Сумма %s больше долга по абонементу: %s",
			paid.String(), m.AmountDue.String())
	}
	if err := shortOfDeposit(op, cl, r.Payments, res.Payments); err != nil {
		return res, err
	}
	m.AmountDue = m.AmountDue.Sub(paid)
	cl.Deposit = cl.Deposit.Sub(sum(r.Payments, fromDeposit))
	c.recordPayments(c.today(), r.Payments)
	for i := range res.Payments {
		res.Payments[i].Outcome, res.Payments[i].Detail = models.OutcomeDone, c.nextReceipt()
	}
	return res, nil
}

// payBooking pays a visit's drop-in price, all of it (as a till takes a
// single visit); the deposit may pay, when it covers its part.
func (c *Club) payBooking(op string, cl *client, r models.PaymentRequest, res models.PaymentResult) (models.PaymentResult, error) {
	l, b := c.findBooking(r.BookingID)
	switch {
	case b == nil:
		return res, fail(providers.ErrNotFound, op, "Запись %s не найдена", r.BookingID)
	case b.ci != cl.idx:
		return res, fail(providers.ErrValidation, op, "Запись %s сделана на другого клиента", r.BookingID)
	case b.paid:
		return res, fail(providers.ErrValidation, op, "Визит на «%s» уже оплачен", l.Title)
	case !b.due.IsPositive():
		return res, fail(providers.ErrValidation, op, "Визит на «%s» оплачивать не нужно: его покрывает абонемент", l.Title)
	}
	if err := checkPayments(op, r.Payments); err != nil {
		return res, err
	}
	if paid := sum(r.Payments, nil); paid.Minor != b.due.Minor {
		return res, fail(providers.ErrValidation, op, "Визит оплачивается целиком: %s, а не %s", b.due.String(), paid.String())
	}
	if err := shortOfDeposit(op, cl, r.Payments, res.Payments); err != nil {
		return res, err
	}
	b.due, b.paid = models.Money{}, true
	cl.Deposit = cl.Deposit.Sub(sum(r.Payments, fromDeposit))
	c.recordPayments(c.today(), r.Payments)
	for i := range res.Payments {
		res.Payments[i].Outcome, res.Payments[i].Detail = models.OutcomeDone, c.nextReceipt()
	}
	return res, nil
}

// TopUpDeposit puts money on the client's deposit account.
func (c *Club) TopUpDeposit(ctx context.Context, r models.PaymentRequest) (models.PaymentResult, error) {
	const op = "top up deposit"
	res := models.PaymentResult{Payments: outcomes(r.Payments, models.OutcomeNotTried)}
	if err := c.begin(ctx, op); err != nil {
		return res, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	res, err := c.topUp(op, r, res)
	return refused(res, err)
}

func (c *Club) topUp(op string, r models.PaymentRequest, res models.PaymentResult) (models.PaymentResult, error) {
	cl, err := c.lookup(op, r.ClientID)
	if err != nil {
		return res, err
	}
	switch {
	case r.Purpose != models.PayToDeposit:
		return res, fail(providers.ErrValidation, op, "Это не пополнение депозита")
	case sum(r.Payments, fromDeposit).IsPositive():
		return res, fail(providers.ErrValidation, op, "Депозит нельзя пополнить с депозита")
	}
	if err := checkPayments(op, r.Payments); err != nil {
		return res, err
	}
	cl.Deposit = cl.Deposit.Add(sum(r.Payments, nil))
	c.recordPayments(c.today(), r.Payments)
	for i := range res.Payments {
		res.Payments[i].Outcome, res.Payments[i].Detail = models.OutcomeDone, c.nextReceipt()
	}
	return res, nil
}

// admission is what one check-in changed: the membership it took a visit
// from as it was before, and the booking it marked with its mark before.
type admission struct {
	membership string
	before     models.Membership
	booking    *booking
	att        models.Attendance
}

// UndoCheckIn takes back a check-in made at the desk: the visit is gone,
// the membership has its visit back (and is not started again if the
// visit started it), the booking has its mark from before, and the day's
// count is one less. A visit the desk did not make (the club's history,
// the morning's entries) is refused: only the CRM's own staff undo those.
func (c *Club) UndoCheckIn(ctx context.Context, v models.Visit) error {
	const op = "undo check in"
	if err := c.begin(ctx, op); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	cl, err := c.lookup(op, v.ClientID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(cl.visits, func(x models.Visit) bool { return x.ID == v.ID })
	if v.ID == "" || i < 0 {
		return fail(providers.ErrNotFound, op, "Визит %s не найден", v.ID)
	}
	a, ok := c.admitted[v.ID]
	if !ok {
		return fail(providers.ErrValidation, op, "Визит %s отмечен не с кассы: отменить его можно только в CRM", v.ID)
	}
	if a.membership != "" {
		if mi := slices.IndexFunc(cl.ms, func(m models.Membership) bool { return m.ID == a.membership }); mi >= 0 {
			m := &cl.ms[mi]
			if !m.Unlimited {
				m.VisitsLeft++
			}
			if a.before.State == models.StateNotStarted {
				m.State, m.Start, m.End = a.before.State, a.before.Start, a.before.End
			}
		}
	}
	if a.booking != nil && a.booking.att == models.Attended {
		a.booking.att = a.att
	}
	gone := cl.visits[i]
	cl.visits = slices.Delete(cl.visits, i, i+1)
	cl.undone++
	if t := c.totals(models.DateOf(gone.At, c.loc)); t.checkIns > 0 {
		t.checkIns--
	}
	delete(c.admitted, v.ID)
	return nil
}

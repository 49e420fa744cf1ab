package journal

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// Recorded is a provider whose every write goes through the journal: the
// intent is on disk before the request leaves, the outcome after the
// answer. Reads pass straight through (they also teach it clients' names,
// so the journal says who, not just which id).
type Recorded struct {
	// Reader passes the reads through; every write is a method of
	// Recorded's own (providers.Writer), so none reaches next unrecorded.
	providers.Reader
	next providers.Provider
	j    *Journal

	mu      sync.Mutex
	names   map[string]string // client id → "Surname Name"
	lessons map[string]string // lesson id → "Title 01.12 10:00"
	// bookings: where each booking of the rosters read is, so a mark says
	// which lesson and whose it is.
	bookings map[string]bookingRef
	// desk and operator, when set (WrapFor), are written on every intent
	// and audit line instead of the journal's own.
	desk, operator string
}

type bookingRef struct{ lesson, client string }

// Recorded is a whole provider: every write of providers.Writer is its own.
var _ providers.Provider = (*Recorded)(nil)

// Wrap puts p's writes through j.
func Wrap(p providers.Provider, j *Journal) *Recorded {
	return &Recorded{Reader: p, next: p, j: j, names: map[string]string{}, lessons: map[string]string{}, bookings: map[string]bookingRef{}}
}

// WrapFor puts p's writes through j as made at desk by operator: one
// journal for many desks (clubdesk serve), each line saying whose it is.
func WrapFor(p providers.Provider, j *Journal, desk, operator string) *Recorded {
	r := Wrap(p, j)
	r.desk, r.operator = desk, operator
	return r
}

// Unwrap returns the provider underneath (for its optional interfaces).
func (r *Recorded) Unwrap() providers.Provider { return r.next }

// Journal is the journal the writes go to.
func (r *Recorded) Journal() *Journal { return r.j }

// maxNames bounds the name cache: a day at a big club is a few thousand.
const maxNames = 20000

func (r *Recorded) learn(cs ...models.Client) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.names)+len(cs) > maxNames {
		r.names = map[string]string{}
	}
	for _, c := range cs {
		if c.ID != "" {
			r.names[c.ID] = c.ShortName()
		}
	}
}

func (r *Recorded) name(id string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.names[id]
}

// SearchClients passes through and learns names.
func (r *Recorded) SearchClients(ctx context.Context, q string, limit int) ([]models.Client, error) {
	cs, err := r.next.SearchClients(ctx, q, limit)
	r.learn(cs...)
	return cs, err
}

// ClientByCard passes through and learns the name.
func (r *Recorded) ClientByCard(ctx context.Context, tag string) (models.Client, error) {
	c, err := r.next.ClientByCard(ctx, tag)
	r.learn(c)
	return c, err
}

// Client passes through and learns the name.
func (r *Recorded) Client(ctx context.Context, id string) (models.Client, error) {
	c, err := r.next.Client(ctx, id)
	r.learn(c)
	return c, err
}

// begin records the intent of a write for a client.
func (r *Recorded) begin(e Entry) (string, error) {
	if e.ClientName == "" && e.ClientID != "" {
		e.ClientName = r.name(e.ClientID)
	}
	e.Desk, e.Operator = r.desk, r.operator
	return r.j.Begin(e)
}

// notRecorded is the error for a write that was not sent because its
// intent could not be recorded.
func notRecorded(op string, err error) error {
	return &providers.Error{Kind: providers.ErrUnavailable, Op: op,
		Message: "the operation journal cannot be written, so nothing was sent: " + err.Error(), Err: err}
}

// phaseOf classifies a write's answer. A write cancelled or timed out on
// the desk's side may still have reached the CRM.
func phaseOf(err error) Phase {
	switch {
	case err == nil:
		return Done
	case errors.Is(err, providers.ErrQueued):
		return Queued
	case errors.Is(err, providers.ErrOutcomeUnknown), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return Unknown
	default:
		return Refused
	}
}

func methodName(m models.PaymentMethod) string {
	switch m {
	case models.PayCash:
		return "cash"
	case models.PayCard:
		return "card"
	case models.PayDeposit:
		return "deposit"
	case models.PayTransfer:
		return "transfer"
	default:
		return "other"
	}
}

func outcomeName(o models.Outcome) string {
	switch o {
	case models.OutcomeDone:
		return "done"
	case models.OutcomeFailed:
		return "refused"
	case models.OutcomeUnknown:
		return "unknown"
	default:
		return "not sent"
	}
}

func plannedParts(ps []models.Payment) []Part {
	out := make([]Part, 0, len(ps))
	for _, p := range ps {
		out = append(out, Part{Method: methodName(p.Method), Amount: p.Amount.Minor, Currency: p.Amount.Currency})
	}
	return out
}

func outcomeParts(ps []models.PaymentOutcome) []Part {
	out := make([]Part, 0, len(ps))
	for _, p := range ps {
		out = append(out, Part{Method: methodName(p.Payment.Method), Amount: p.Payment.Amount.Minor,
			Currency: p.Payment.Amount.Currency, Outcome: outcomeName(p.Outcome), Detail: p.Detail})
	}
	return out
}

// paymentsPhase settles a write that took payments part by part: any part
// unknown makes the whole unknown; some done and some refused is partial.
func paymentsPhase(err error, created models.Outcome, parts []models.PaymentOutcome) Phase {
	done, unknown := created == models.OutcomeDone, created == models.OutcomeUnknown
	for _, p := range parts {
		done = done || p.Outcome == models.OutcomeDone
		unknown = unknown || p.Outcome == models.OutcomeUnknown
	}
	switch ph := phaseOf(err); {
	case unknown || ph == Unknown:
		return Unknown
	case err == nil:
		return Done
	case done:
		return Partial
	default:
		return ph
	}
}

func sum(ps []models.Payment) models.Money {
	var m models.Money
	for _, p := range ps {
		m = m.Add(p.Amount)
		m.Currency = p.Amount.Currency
	}
	return m
}

// unknownAmount refuses a write on an amount the desk could not read,
// before anything is recorded or sent: nothing is charged at a guess.
func unknownAmount(op string, amounts ...models.Money) error {
	for _, m := range amounts {
		if m.Unknown {
			return &providers.Error{Kind: providers.ErrValidation, Op: op, Desk: models.UnknownAmountRefusal, Err: models.ErrUnknownAmount}
		}
	}
	return nil
}

func paymentAmounts(ps []models.Payment) []models.Money {
	out := make([]models.Money, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.Amount)
	}
	return out
}

// Sell records the sale, then sends it once. A plan whose price or fee
// could not be read is not sold.
func (r *Recorded) Sell(ctx context.Context, s models.Sale) (models.SaleResult, error) {
	if err := unknownAmount("sell", append(paymentAmounts(s.Payments), s.Plan.Price, s.Plan.MembershipFee, s.Discount.Amount)...); err != nil {
		res := models.SaleResult{MembershipCreated: models.OutcomeNotTried}
		for _, p := range s.Payments {
			res.Payments = append(res.Payments, models.PaymentOutcome{Payment: p, Outcome: models.OutcomeNotTried})
		}
		return res, err
	}
	totals := s.Totals()
	total := totals.Total
	op, err := r.begin(Entry{Kind: Sell, ClientID: s.ClientID, Subject: s.Plan.Name, SubjectID: s.Plan.ID,
		Amount: total.Minor, Currency: total.Currency, Fee: totals.Fee.Minor, Start: s.Start.String(),
		Parts: plannedParts(s.Payments), Reason: s.Discount.Reason})
	if err != nil {
		return models.SaleResult{MembershipCreated: models.OutcomeNotTried}, notRecorded("sell", err)
	}
	res, err := r.next.Sell(ctx, s)
	created := res.MembershipCreated
	if err == nil && created == models.OutcomeNotTried {
		created = models.OutcomeDone
	}
	_ = r.j.Finish(op, paymentsPhase(err, created, res.Payments), AnswerOf(err), res.Membership.ID, outcomeParts(res.Payments))
	return res, err
}

func (r *Recorded) payment(ctx context.Context, kind Kind, req models.PaymentRequest,
	send func(context.Context, models.PaymentRequest) (models.PaymentResult, error)) (models.PaymentResult, error) {
	if err := unknownAmount(string(kind), paymentAmounts(req.Payments)...); err != nil {
		return models.PaymentResult{}, err
	}
	total := sum(req.Payments)
	subject := req.MembershipID
	if req.Purpose == models.PayForBooking {
		subject = req.BookingID // the visit paid: what the CRM is asked about
	}
	e := Entry{Kind: kind, ClientID: req.ClientID, SubjectID: subject,
		Amount: total.Minor, Currency: total.Currency, Parts: plannedParts(req.Payments)}
	if req.Purpose == models.PayForBooking {
		e.BookingID, e.WholeVisit = req.BookingID, req.WholeVisit
		if req.WholeVisit {
			e.Subject = "whole visit"
		}
	}
	op, err := r.begin(e)
	if err != nil {
		return models.PaymentResult{}, notRecorded(string(kind), err)
	}
	res, err := send(ctx, req)
	_ = r.j.Finish(op, paymentsPhase(err, models.OutcomeNotTried, res.Payments), AnswerOf(err), "", outcomeParts(res.Payments))
	return res, err
}

// TakePayment records the payment, then sends it once.
func (r *Recorded) TakePayment(ctx context.Context, req models.PaymentRequest) (models.PaymentResult, error) {
	return r.payment(ctx, Pay, req, r.next.TakePayment)
}

// TopUpDeposit records the top-up, then sends it once.
func (r *Recorded) TopUpDeposit(ctx context.Context, req models.PaymentRequest) (models.PaymentResult, error) {
	return r.payment(ctx, TopUp, req, r.next.TopUpDeposit)
}

// write records a write that is one request, then sends it; the context
// it is sent with names the journal operation (WithOp).
func (r *Recorded) write(ctx context.Context, e Entry, send func(context.Context) (ref string, err error)) error {
	op, err := r.begin(e)
	if err != nil {
		return notRecorded(string(e.Kind), err)
	}
	ref, err := send(WithOp(ctx, op))
	_ = r.j.Finish(op, phaseOf(err), AnswerOf(err), ref, nil)
	return err
}

// Book records the booking, then sends it.
func (r *Recorded) Book(ctx context.Context, lessonID, clientID string) (models.Booking, error) {
	var b models.Booking
	err := r.write(ctx, Entry{Kind: Book, ClientID: clientID, SubjectID: lessonID, LessonID: lessonID, Subject: r.lessonTitle(lessonID)}, func(ctx context.Context) (string, error) {
		var err error
		b, err = r.next.Book(ctx, lessonID, clientID)
		return b.ID, err
	})
	return b, err
}

// CancelBooking records the cancellation, then sends it.
func (r *Recorded) CancelBooking(ctx context.Context, bookingID string, late bool) error {
	subject := "cancel"
	if late {
		subject = "late cancel"
	}
	return r.write(ctx, Entry{Kind: Cancel, SubjectID: bookingID, BookingID: bookingID, Subject: subject}, func(ctx context.Context) (string, error) {
		return "", r.next.CancelBooking(ctx, bookingID, late)
	})
}

// markNames are the journal's words for a mark (package offline reads them
// back).
var markNames = map[models.Attendance]string{models.Expected: "expected", models.Attended: "attended", models.NoShow: "no-show"}

func (r *Recorded) markEntry(bookingID string, a models.Attendance) Entry {
	at := r.booking(bookingID)
	return Entry{Kind: Attend, SubjectID: bookingID, BookingID: bookingID, LessonID: at.lesson, Subject: markNames[a], ClientID: at.client}
}

// MarkAttendance records the mark, then sends it.
func (r *Recorded) MarkAttendance(ctx context.Context, bookingID string, a models.Attendance) error {
	return r.write(ctx, r.markEntry(bookingID, a), func(ctx context.Context) (string, error) {
		return "", r.next.MarkAttendance(ctx, bookingID, a)
	})
}

// MarkVisit implements providers.VisitMarker: the mark of every booking of
// the visit, recorded as such, then passed to the provider underneath. A
// provider without visits refuses it before anything is recorded.
func (r *Recorded) MarkVisit(ctx context.Context, bookingID string, a models.Attendance) error {
	vm, ok := providers.As[providers.VisitMarker](r.next)
	if !ok {
		return &providers.UnsupportedError{Capability: providers.CapAttendance, Reason: providers.NoVisits.EN, Why: providers.NoVisits}
	}
	e := r.markEntry(bookingID, a)
	e.WholeVisit = true
	return r.write(ctx, e, func(ctx context.Context) (string, error) {
		return "", vm.MarkVisit(ctx, bookingID, a)
	})
}

// CheckIn records the check-in (and an override's reason as its own audit
// line), then sends it.
func (r *Recorded) CheckIn(ctx context.Context, c models.CheckIn) (models.Visit, error) {
	if reason := strings.TrimSpace(c.Override); reason != "" {
		if err := r.j.Record(Entry{Kind: Override, ClientID: c.ClientID, ClientName: r.name(c.ClientID), Reason: reason, Desk: r.desk, Operator: r.operator}); err != nil {
			return models.Visit{}, notRecorded("check in", err)
		}
	}
	var v models.Visit
	err := r.write(ctx, Entry{Kind: CheckIn, ClientID: c.ClientID, SubjectID: c.MembershipID, BookingID: c.BookingID, Reason: c.Override}, func(ctx context.Context) (string, error) {
		var err error
		v, err = r.next.CheckIn(ctx, c)
		return v.ID, err
	})
	return v, err
}

// UndoCheckIn records the taking back of a check-in (the visit it made,
// and the lesson it was for), then sends it once: it is a write of its own,
// so an undo whose answer never came needs checking like any other.
func (r *Recorded) UndoCheckIn(ctx context.Context, v models.Visit) error {
	e := Entry{Kind: UndoCheckIn, ClientID: v.ClientID, SubjectID: v.ID, LessonID: v.LessonID, Subject: v.LessonTitle}
	return r.write(ctx, e, func(ctx context.Context) (string, error) {
		return v.ID, r.next.UndoCheckIn(ctx, v)
	})
}

// BindCard records the binding, then sends it.
func (r *Recorded) BindCard(ctx context.Context, clientID, tag string) error {
	return r.write(ctx, Entry{Kind: BindCard, ClientID: clientID, Subject: tag}, func(ctx context.Context) (string, error) {
		return "", r.next.BindCard(ctx, clientID, tag)
	})
}

// CreateClient records the registration, then sends it.
func (r *Recorded) CreateClient(ctx context.Context, n models.NewClient) (models.Client, error) {
	var c models.Client
	name := strings.TrimSpace(n.LastName + " " + n.FirstName)
	err := r.write(ctx, Entry{Kind: NewClient, ClientName: name, Subject: n.Phone}, func(ctx context.Context) (string, error) {
		var err error
		c, err = r.next.CreateClient(ctx, n)
		return c.ID, err
	})
	if err == nil {
		r.learn(c)
	}
	return c, err
}

// OpenPaymentPage records the request for a payment page, then sends it
// once, when the provider has such a page (providers.OnlinePayer): Go-CRM
// creates a payment for it, so it is a write like any other, and the
// shift's trail shows whom a QR code was shown to and for what.
func (r *Recorded) OpenPaymentPage(ctx context.Context, p providers.OnlinePayment) (providers.PaymentPage, error) {
	payer, ok := providers.As[providers.OnlinePayer](r.next)
	if !ok {
		return providers.PaymentPage{}, &providers.UnsupportedError{Capability: providers.CapOnlinePay, Reason: r.Capabilities().Reason(providers.CapOnlinePay),
			Why: r.Capabilities().Why(providers.CapOnlinePay)}
	}
	if err := unknownAmount("payment page", p.Amount, p.Plan.Price); err != nil {
		return providers.PaymentPage{}, err
	}
	e := Entry{Kind: PaymentPage, ClientID: p.ClientID, Subject: "debt", Amount: p.Amount.Minor, Currency: p.Amount.Currency}
	if p.Purpose == providers.OnlineBuyPlan {
		e.Subject, e.SubjectID = p.Plan.Name, p.Plan.ID
	}
	var page providers.PaymentPage
	err := r.write(ctx, e, func(ctx context.Context) (string, error) {
		var err error
		page, err = payer.OpenPaymentPage(ctx, p)
		return page.ID, err
	})
	return page, err
}

// Lessons passes through and learns the lessons' titles.
func (r *Recorded) Lessons(ctx context.Context, from, to time.Time) ([]models.Lesson, error) {
	ls, err := r.next.Lessons(ctx, from, to)
	loc := r.Info().Location
	if loc == nil {
		loc = time.Local
	}
	r.mu.Lock()
	if len(r.lessons)+len(ls) > maxNames {
		r.lessons = map[string]string{}
	}
	for _, l := range ls {
		r.lessons[l.ID] = l.Title + " " + l.Start.In(loc).Format("02.01 15:04")
	}
	r.mu.Unlock()
	return ls, err
}

// Roster passes through and learns which lesson each booking is in.
func (r *Recorded) Roster(ctx context.Context, lessonID string) ([]models.Booking, error) {
	bs, err := r.next.Roster(ctx, lessonID)
	r.mu.Lock()
	if len(r.bookings)+len(bs) > maxNames {
		r.bookings = map[string]bookingRef{}
	}
	for _, b := range bs {
		r.bookings[b.ID] = bookingRef{lesson: lessonID, client: b.ClientID}
		if b.ClientID != "" && b.ClientName != "" && r.names[b.ClientID] == "" {
			r.names[b.ClientID] = b.ClientName
		}
	}
	r.mu.Unlock()
	return bs, err
}

func (r *Recorded) booking(bookingID string) bookingRef {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.bookings[bookingID]
}

// lessonTitle names a lesson the desk has listed ("Йога 01.12 10:00"); the
// id alone is kept for one it has not.
func (r *Recorded) lessonTitle(id string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lessons[id]
}

var (
	_ providers.Provider    = (*Recorded)(nil)
	_ providers.VisitMarker = (*Recorded)(nil)
)

// methodFrom reads a method name back (the journal's own names).
func methodFrom(name string) models.PaymentMethod {
	for _, m := range models.PaymentMethods {
		if methodName(m) == name {
			return m
		}
	}
	return models.PayOther
}

// Lost is the operation as the CRM can be asked about it.
func (o Operation) Lost() models.LostWrite {
	in := o.Intent
	w := models.LostWrite{Kind: in.Kind, ClientID: in.ClientID, SubjectID: in.SubjectID, SentAt: in.At,
		Amount: models.Money{Minor: in.Amount, Currency: in.Currency}, Fee: models.Money{Minor: in.Fee, Currency: in.Currency}}
	if d, err := models.ParseDate(in.Start); err == nil {
		w.Start = d
	}
	for _, p := range in.Parts {
		w.Payments = append(w.Payments, models.Payment{Method: methodFrom(p.Method), Amount: models.Money{Minor: p.Amount, Currency: p.Currency}})
	}
	return w
}

// Package offline keeps the desk working when the club's Wi-Fi drops or the
// CRM stops answering.
//
// Desk sits between the operation journal and the adapter and remembers
// every answer the desk was given today (Remember keeps it on disk for the
// club's day, so a restart mid-outage still has it): today's timetable and
// rosters, the clients it opened and their memberships, visits and
// bookings, the plans. When a read cannot reach the CRM it answers from
// that memory instead of failing, and Offline says since when the CRM is
// silent and how old the newest answer shown is, so the console can say
// "offline since 10:42".
//
// Writes follow one rule each:
//   - Money never moves offline: a sale, a payment or a top-up is refused at
//     once with providers.ErrOffline, never sent into the void.
//   - An attendance mark or a check-in is kept (providers.ErrQueued) in the
//     journal, shown at once in the roster the desk remembers, and sent in
//     order when the CRM is back — each checked against the CRM first, so
//     a mark that reached it after all is not applied twice.
//   - A mark the CRM answers "too many requests" (429: it was not
//     processed) is kept the same way and sent again by the desk itself
//     once the CRM's Retry-After has passed; a later mark of the same
//     booking replaces it. Money is never sent again by itself: a payment
//     answered 429 comes back refused, nothing taken, for the receptionist
//     to send again.
//   - Taking back a check-in (undo.go) drops it from the queue while it is
//     still kept; any other undo goes to the CRM only while it answers —
//     offline it is refused with providers.ErrOffline, never kept.
//   - The rest (a booking, a card, a new client) fail with the CRM's
//     unavailability, as they would without this package.
package offline

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// Desk is a provider that remembers what it saw and queues what can wait.
type Desk struct {
	// Reader passes the reads through (remembering them); every write is
	// a method of Desk's own (providers.Writer), so each is decided here:
	// money refused offline, marks and check-ins kept, the rest sent.
	providers.Reader
	next providers.Provider
	j    *journal.Journal
	now  func() time.Time

	mu    sync.Mutex
	since time.Time // when the CRM stopped answering; zero while it answers
	seen  time.Time // when the newest remembered answer arrived

	clients     map[string]models.Client
	cards       map[string]string // tag → client id
	memberships map[string][]models.Membership
	visits      map[string][]models.Visit
	bookings    map[string][]models.Booking // client id → bookings of the range asked last
	lessons     map[string][]models.Lesson  // "from|to" → lessons
	rosters     map[string][]models.Booking // lesson id → bookings
	plans       []models.Plan
	queue       []kept
	// stamps say when each record was given to the desk (memory.go's
	// stamp keys): two consoles' memories merge newest first.
	stamps map[string]time.Time
	// dirty are the stamp keys of the records changed since the last
	// save: what the next one appends.
	dirty map[string]struct{}

	file *memoryFile // nil until Remember

	// sending keeps one SendQueued at a time: the desk's own resend after
	// a Retry-After and the console's when the line comes back.
	sending sync.Mutex
	// after schedules the desk's own resend (tests replace it).
	after func(time.Duration, func())
}

// kept is a write waiting for the CRM.
type kept struct {
	op         string // its journal operation
	kind       models.WriteKind
	lessonID   string
	bookingID  string
	attendance models.Attendance
	whole      bool // the mark is for the booking's whole visit (providers.VisitMarker)
	checkIn    models.CheckIn
	at         time.Time
	// notBefore is when the CRM said it may be sent again (its
	// Retry-After); zero for a write kept while the line was down.
	notBefore time.Time
}

// New wraps p. The writes an earlier session kept (in the journal) are
// queued again, in their order.
func New(p providers.Provider, j *journal.Journal, now func() time.Time) *Desk {
	if now == nil {
		now = time.Now
	}
	d := &Desk{Reader: p, next: p, j: j, now: now,
		clients: map[string]models.Client{}, cards: map[string]string{}, memberships: map[string][]models.Membership{},
		visits: map[string][]models.Visit{}, bookings: map[string][]models.Booking{}, lessons: map[string][]models.Lesson{},
		rosters: map[string][]models.Booking{}, stamps: map[string]time.Time{}, dirty: map[string]struct{}{},
		after: func(d time.Duration, f func()) { time.AfterFunc(d, f) }}
	if j != nil {
		for _, op := range j.Queue() {
			if k, ok := keptFrom(op); ok {
				d.queue = append(d.queue, k)
			}
		}
	}
	return d
}

// Unwrap returns the adapter (for its optional interfaces).
func (d *Desk) Unwrap() providers.Provider { return d.next }

// Desk is a whole provider: every write of providers.Writer is its own.
var _ providers.Provider = (*Desk)(nil)

func keptFrom(op journal.Operation) (kept, bool) {
	in := op.Intent
	k := kept{op: in.Op, kind: in.Kind, lessonID: in.LessonID, bookingID: in.BookingID, at: in.At}
	switch in.Kind {
	case models.WriteAttend:
		a, ok := attendanceFrom(in.Subject)
		k.attendance, k.whole = a, in.WholeVisit
		return k, ok && k.bookingID != ""
	case models.WriteCheckIn:
		k.checkIn = models.CheckIn{ClientID: in.ClientID, MembershipID: in.SubjectID, BookingID: in.BookingID, Override: in.Reason}
		return k, in.ClientID != ""
	}
	return kept{}, false
}

// attendanceFrom reads the journal's name of a mark (journal.Recorded
// writes "expected", "attended", "no-show").
func attendanceFrom(s string) (models.Attendance, bool) {
	switch s {
	case "expected":
		return models.Expected, true
	case "attended":
		return models.Attended, true
	case "no-show":
		return models.NoShow, true
	}
	return 0, false
}

// unreachable reports whether err says the CRM could not be reached or did
// not answer properly — the cases the desk rides out on its memory.
func unreachable(err error) bool {
	return errors.Is(err, providers.ErrUnavailable) || errors.Is(err, context.DeadlineExceeded)
}

// answered notes that the CRM answered. Only a probe or a write ends the
// offline state: an adapter may answer a read from its own cache (LuckyFit
// keeps the day's rosters), which says nothing about the line.
func (d *Desk) answered(endsOffline bool) {
	d.mu.Lock()
	d.seen = d.now()
	if endsOffline {
		d.since = time.Time{}
	}
	d.mu.Unlock()
}

// silent notes that the CRM did not answer.
func (d *Desk) silent() {
	d.mu.Lock()
	if d.since.IsZero() {
		d.since = d.now()
	}
	d.mu.Unlock()
}

// Offline implements providers.Connectivity.
func (d *Desk) Offline() (since, seen time.Time, offline bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.since, d.seen, !d.since.IsZero()
}

func (d *Desk) isOffline() bool {
	_, _, off := d.Offline()
	return off
}

// Queued implements providers.Connectivity.
func (d *Desk) Queued() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.queue)
}

// read asks the CRM and remembers the answer, or answers from memory when
// the CRM cannot be reached.
func read[T any](d *Desk, ctx context.Context, fetch func(context.Context) (T, error), recall func() (T, bool), keep func(T)) (T, error) {
	v, err := fetch(ctx)
	switch {
	case err == nil:
		d.answered(false)
		d.mu.Lock()
		keep(v)
		d.changed()
		d.mu.Unlock()
		return v, nil
	case unreachable(err) && ctx.Err() == nil:
		d.silent()
		d.waitLoaded(ctx) // the memory may still be being read at start
		d.mu.Lock()
		old, ok := recall()
		d.mu.Unlock()
		if ok {
			return old, nil
		}
	}
	return v, err
}

// SearchClients asks the CRM; offline it searches the clients the desk has
// seen, by name, phone digits and card. One search brings at most limit
// clients (an adapter that answers more is cut), so one broad search does
// not fill the memory with the whole club.
func (d *Desk) SearchClients(ctx context.Context, q string, limit int) ([]models.Client, error) {
	if limit <= 0 || limit > MaxSearch {
		limit = MaxSearch
	}
	return read(d, ctx, func(ctx context.Context) ([]models.Client, error) {
		cs, err := d.next.SearchClients(ctx, q, limit)
		if len(cs) > limit {
			cs = cs[:limit]
		}
		return cs, err
	},
		func() ([]models.Client, bool) { return d.searchSeen(q, limit), len(d.clients) > 0 },
		func(cs []models.Client) { d.keepClients(cs...) })
}

// MaxSearch is the most clients one search brings to the desk.
const MaxSearch = 200

// keepClients remembers clients and their cards. Locked.
func (d *Desk) keepClients(cs ...models.Client) {
	for _, c := range cs {
		if c.ID == "" {
			continue
		}
		d.clients[c.ID] = c
		d.stamp(stampClient + c.ID)
		for _, tag := range c.Cards {
			d.cards[tag] = c.ID
			d.stamp(stampCard + tag)
		}
	}
}

func (d *Desk) searchSeen(q string, limit int) []models.Client {
	q = strings.ToLower(strings.TrimSpace(q))
	digits := models.PhoneDigits(q)
	var out []models.Client
	for _, c := range d.clients {
		match := strings.Contains(strings.ToLower(c.FullName()), q) ||
			len(digits) >= 3 && strings.Contains(models.PhoneDigits(c.Phone), digits) ||
			slices.ContainsFunc(c.Cards, func(tag string) bool { return models.SameCard(tag, q) })
		if match && q != "" {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b models.Client) int { return strings.Compare(a.FullName(), b.FullName()) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// ClientByCard asks the CRM; offline it knows the cards of the clients it
// has seen.
func (d *Desk) ClientByCard(ctx context.Context, tag string) (models.Client, error) {
	return read(d, ctx, func(ctx context.Context) (models.Client, error) { return d.next.ClientByCard(ctx, tag) },
		func() (models.Client, bool) {
			for known, id := range d.cards {
				if models.SameCard(known, tag) {
					return d.clients[id], true
				}
			}
			return models.Client{}, false
		},
		func(c models.Client) { d.keepClients(c) })
}

// Client asks the CRM, or remembers.
func (d *Desk) Client(ctx context.Context, id string) (models.Client, error) {
	return read(d, ctx, func(ctx context.Context) (models.Client, error) { return d.next.Client(ctx, id) },
		func() (models.Client, bool) { c, ok := d.clients[id]; return c, ok },
		func(c models.Client) { d.keepClients(c) })
}

// Memberships asks the CRM, or remembers.
func (d *Desk) Memberships(ctx context.Context, clientID string) ([]models.Membership, error) {
	return read(d, ctx, func(ctx context.Context) ([]models.Membership, error) { return d.next.Memberships(ctx, clientID) },
		func() ([]models.Membership, bool) { ms, ok := d.memberships[clientID]; return ms, ok },
		func(ms []models.Membership) { d.memberships[clientID] = ms; d.stamp(stampMembership + clientID) })
}

// Visits asks the CRM, or remembers (with the check-ins kept meanwhile).
func (d *Desk) Visits(ctx context.Context, clientID string, since time.Time) ([]models.Visit, error) {
	return read(d, ctx, func(ctx context.Context) ([]models.Visit, error) { return d.next.Visits(ctx, clientID, since) },
		func() ([]models.Visit, bool) { vs, ok := d.visits[clientID]; return vs, ok },
		func(vs []models.Visit) { d.visits[clientID] = vs; d.stamp(stampVisits + clientID) })
}

// ClientBookings asks the CRM, or remembers.
func (d *Desk) ClientBookings(ctx context.Context, clientID string, from, to time.Time) ([]models.Booking, error) {
	return read(d, ctx, func(ctx context.Context) ([]models.Booking, error) {
		return d.next.ClientBookings(ctx, clientID, from, to)
	},
		func() ([]models.Booking, bool) { bs, ok := d.bookings[clientID]; return bs, ok },
		func(bs []models.Booking) { d.bookings[clientID] = bs; d.stamp(stampBookings + clientID) })
}

// Plans asks the CRM, or remembers (offline nothing can be sold, but the
// prices can still be told).
func (d *Desk) Plans(ctx context.Context) ([]models.Plan, error) {
	return read(d, ctx, d.next.Plans,
		func() ([]models.Plan, bool) { return d.plans, d.plans != nil },
		func(ps []models.Plan) { d.plans = ps; d.stamp(stampPlans) })
}

func rangeKey(from, to time.Time) string {
	return from.UTC().Format(time.RFC3339) + "|" + to.UTC().Format(time.RFC3339)
}

// Lessons asks the CRM, or remembers the day.
func (d *Desk) Lessons(ctx context.Context, from, to time.Time) ([]models.Lesson, error) {
	k := rangeKey(from, to)
	return read(d, ctx, func(ctx context.Context) ([]models.Lesson, error) { return d.next.Lessons(ctx, from, to) },
		func() ([]models.Lesson, bool) { ls, ok := d.lessons[k]; return ls, ok },
		func(ls []models.Lesson) { d.lessons[k] = ls; d.stamp(stampLessons + k) })
}

// Roster asks the CRM, or remembers it with the marks kept meanwhile.
func (d *Desk) Roster(ctx context.Context, lessonID string) ([]models.Booking, error) {
	return read(d, ctx, func(ctx context.Context) ([]models.Booking, error) { return d.next.Roster(ctx, lessonID) },
		func() ([]models.Booking, bool) {
			bs, ok := d.rosters[lessonID]
			return slices.Clone(bs), ok
		},
		func(bs []models.Booking) {
			d.rosters[lessonID] = bs
			d.stamp(stampRoster + lessonID)
			d.applyKept(lessonID) // a mark not yet sent still shows
		})
}

// applyKept shows the queued marks in a remembered roster. Locked.
func (d *Desk) applyKept(lessonID string) {
	for _, k := range d.queue {
		if k.kind != models.WriteAttend {
			continue
		}
		for i, b := range d.rosters[lessonID] {
			if b.ID == k.bookingID {
				d.rosters[lessonID][i].Attendance = k.attendance
			}
		}
	}
}

// lessonOf finds the lesson a booking belongs to among the rosters seen.
// Locked.
func (d *Desk) lessonOf(bookingID string) string {
	for lesson, bs := range d.rosters {
		if slices.ContainsFunc(bs, func(b models.Booking) bool { return b.ID == bookingID }) {
			return lesson
		}
	}
	return ""
}

// refuseMoney is the answer to a payment while the CRM is silent.
func (d *Desk) refuseMoney(op string) error {
	since, _, _ := d.Offline()
	return &providers.Error{Kind: providers.ErrOffline, Op: op,
		Message: "no connection to the CRM since " + since.Format("15:04") + ": money never moves offline, nothing was sent"}
}

// Sell is refused offline; online it goes to the CRM.
func (d *Desk) Sell(ctx context.Context, s models.Sale) (models.SaleResult, error) {
	if d.isOffline() {
		res := models.SaleResult{MembershipCreated: models.OutcomeNotTried}
		for _, p := range s.Payments {
			res.Payments = append(res.Payments, models.PaymentOutcome{Payment: p, Outcome: models.OutcomeNotTried})
		}
		return res, d.refuseMoney("sell")
	}
	res, err := d.next.Sell(ctx, s)
	d.note(err)
	return res, err
}

// TakePayment is refused offline.
func (d *Desk) TakePayment(ctx context.Context, r models.PaymentRequest) (models.PaymentResult, error) {
	if d.isOffline() {
		return notTried(r), d.refuseMoney("pay")
	}
	res, err := d.next.TakePayment(ctx, r)
	d.note(err)
	return res, err
}

// TopUpDeposit is refused offline.
func (d *Desk) TopUpDeposit(ctx context.Context, r models.PaymentRequest) (models.PaymentResult, error) {
	if d.isOffline() {
		return notTried(r), d.refuseMoney("top up")
	}
	res, err := d.next.TopUpDeposit(ctx, r)
	d.note(err)
	return res, err
}

func notTried(r models.PaymentRequest) models.PaymentResult {
	var res models.PaymentResult
	for _, p := range r.Payments {
		res.Payments = append(res.Payments, models.PaymentOutcome{Payment: p, Outcome: models.OutcomeNotTried})
	}
	return res
}

// BindCard needs the CRM: a card bound offline could be bound to another
// client meanwhile, so it is sent, never kept.
func (d *Desk) BindCard(ctx context.Context, clientID, tag string) error {
	err := d.next.BindCard(ctx, clientID, tag)
	d.note(err)
	return err
}

// CreateClient needs the CRM, which gives the client an id: sent, never kept.
func (d *Desk) CreateClient(ctx context.Context, c models.NewClient) (models.Client, error) {
	cl, err := d.next.CreateClient(ctx, c)
	d.note(err)
	return cl, err
}

// Book needs the CRM, which counts the places: sent, never kept.
func (d *Desk) Book(ctx context.Context, lessonID, clientID string) (models.Booking, error) {
	b, err := d.next.Book(ctx, lessonID, clientID)
	d.note(err)
	return b, err
}

// CancelBooking needs the CRM (a late cancellation may charge): sent, never
// kept.
func (d *Desk) CancelBooking(ctx context.Context, bookingID string, late bool) error {
	err := d.next.CancelBooking(ctx, bookingID, late)
	d.note(err)
	return err
}

// note learns from a write's answer whether the CRM is there.
func (d *Desk) note(err error) {
	switch {
	case err == nil:
		d.answered(true)
	case unreachable(err) && !errors.Is(err, providers.ErrOutcomeUnknown):
		d.silent()
	}
}

// certainlyNotSent: the CRM was not reached (a refused connection), so the
// write can be kept and sent later without any risk of doubling it.
func certainlyNotSent(err error) bool {
	return errors.Is(err, providers.ErrUnavailable) && !errors.Is(err, providers.ErrOutcomeUnknown)
}

// MarkAttendance sends the mark; offline, or when the CRM cannot be
// reached, it is kept and sent later; answered 429, it is kept and sent
// again after the CRM's Retry-After.
func (d *Desk) MarkAttendance(ctx context.Context, bookingID string, a models.Attendance) error {
	return d.mark(ctx, bookingID, a, false)
}

// MarkVisit implements providers.VisitMarker: the mark of the booking's
// whole visit, sent, kept and replaced like any mark.
func (d *Desk) MarkVisit(ctx context.Context, bookingID string, a models.Attendance) error {
	if _, ok := providers.As[providers.VisitMarker](d.next); !ok {
		return &providers.UnsupportedError{Capability: providers.CapAttendance, Reason: providers.NoVisits.EN, Why: providers.NoVisits}
	}
	return d.mark(ctx, bookingID, a, true)
}

// sendMark is the mark as the provider takes it.
func (d *Desk) sendMark(ctx context.Context, bookingID string, a models.Attendance, whole bool) error {
	if whole {
		vm, ok := providers.As[providers.VisitMarker](d.next)
		if !ok {
			return &providers.UnsupportedError{Capability: providers.CapAttendance, Reason: providers.NoVisits.EN, Why: providers.NoVisits}
		}
		return vm.MarkVisit(ctx, bookingID, a)
	}
	return d.next.MarkAttendance(ctx, bookingID, a)
}

// Waits after a 429 that gave no Retry-After, and the least a resend waits.
const (
	defaultRetryAfter = 5 * time.Second
	minRetryAfter     = time.Second
)

func (d *Desk) mark(ctx context.Context, bookingID string, a models.Attendance, whole bool) error {
	// Never while kept marks are being sent: one of this booking's could
	// otherwise land after this one.
	d.sending.Lock()
	defer d.sending.Unlock()
	// A mark of a booking with an earlier one still kept replaces it: the
	// kept one must not land after this one.
	d.supersede(bookingID)
	var wait time.Duration
	if !d.isOffline() {
		err := d.sendMark(ctx, bookingID, a, whole)
		d.note(err)
		var pe *providers.Error
		switch {
		case errors.Is(err, providers.ErrRateLimited) && errors.As(err, &pe):
			// 429: the CRM did not process it, and says when to come back.
			d.answered(true)
			wait = max(pe.RetryAfter, minRetryAfter)
			if pe.RetryAfter <= 0 {
				wait = defaultRetryAfter
			}
		case !certainlyNotSent(err):
			return err
		}
	}
	d.waitLoaded(ctx) // the roster it belongs to may be in the memory being read
	now := d.now()
	k := kept{op: journal.OpFrom(ctx), kind: models.WriteAttend, bookingID: bookingID, attendance: a, whole: whole, at: now}
	if wait > 0 {
		k.notBefore = now.Add(wait)
	}
	d.mu.Lock()
	k.lessonID = d.lessonOf(bookingID)
	d.queue = append(d.queue, k)
	d.applyKept(k.lessonID)
	if k.lessonID != "" {
		d.stamp(stampRoster + k.lessonID)
	}
	d.changed()
	d.mu.Unlock()
	if wait > 0 {
		d.after(wait, d.resend)
		secs := int((wait + time.Second - 1) / time.Second)
		return &providers.Error{Kind: providers.ErrQueued, Op: "attendance", RetryAfter: wait,
			Message: "the CRM asked to wait (too many requests): kept at the desk, sent again after its pause",
			Desk:    waitedWords.Fill(secs)}
	}
	return &providers.Error{Kind: providers.ErrQueued, Op: "attendance", Message: "kept at the desk; sent when the CRM answers"}
}

// resend is the desk's own SendQueued after a Retry-After.
func (d *Desk) resend() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, _ = d.sendQueued(ctx, true)
}

// supersede drops the marks of bookingID still kept: a newer mark of it is
// being made. Each settles its journal operation as not sent.
func (d *Desk) supersede(bookingID string) {
	d.mu.Lock()
	var dropped []kept
	d.queue = slices.DeleteFunc(d.queue, func(k kept) bool {
		if k.kind == models.WriteAttend && k.bookingID == bookingID {
			dropped = append(dropped, k)
			return true
		}
		return false
	})
	if len(dropped) > 0 {
		d.changed()
	}
	d.mu.Unlock()
	for _, k := range dropped {
		if d.j != nil && k.op != "" {
			_ = d.j.Finish(k.op, journal.Refused, journal.Answer{Why: replaced}, "", nil)
		}
	}
}

// CheckIn lets the client in; offline the check-in is kept and sent later.
func (d *Desk) CheckIn(ctx context.Context, c models.CheckIn) (models.Visit, error) {
	if !d.isOffline() {
		v, err := d.next.CheckIn(ctx, c)
		d.note(err)
		if !certainlyNotSent(err) {
			return v, err
		}
	}
	now := d.now()
	v := models.Visit{ClientID: c.ClientID, At: now, MembershipID: c.MembershipID}
	d.mu.Lock()
	d.queue = append(d.queue, kept{op: journal.OpFrom(ctx), kind: models.WriteCheckIn, checkIn: c, at: now})
	d.visits[c.ClientID] = append([]models.Visit{v}, d.visits[c.ClientID]...)
	d.stamp(stampVisits + c.ClientID)
	d.changed()
	d.mu.Unlock()
	return v, &providers.Error{Kind: providers.ErrQueued, Op: "check in", Message: "kept at the desk; sent when the CRM answers"}
}

// Probe implements providers.Connectivity with the day's timetable (every
// desk's CRM has one) or, without a calendar, the plans.
func (d *Desk) Probe(ctx context.Context) error {
	var err error
	if d.Capabilities().Has(providers.CapCalendar) {
		now := d.now()
		_, err = d.next.Lessons(ctx, now, now.Add(time.Hour))
	} else {
		_, err = d.next.Plans(ctx)
	}
	d.note(err)
	return err
}

// SendQueued implements providers.Connectivity: the kept writes go in the
// order they were made, each checked first against the CRM, and each
// settles its journal operation. It is safe to call at any time — at
// start, whenever the CRM answers, while it is away (it then says so and
// keeps everything): one call sends at a time in this process (another
// returns 0 at once), and across the consoles of one profile on this
// machine the journal's lock keeps two from sending the same mark, while
// what the other consoles kept or sent meanwhile is read first.
func (d *Desk) SendQueued(ctx context.Context) (int, error) { return d.sendQueued(ctx, false) }

// sendQueued is SendQueued; with wait it waits for a send in progress
// instead of returning (the desk's own resend after a Retry-After must not
// be lost to a console's send that is just finishing).
func (d *Desk) sendQueued(ctx context.Context, wait bool) (int, error) {
	if wait {
		d.sending.Lock() // the desk's own resend waits its turn
	} else if !d.sending.TryLock() {
		return 0, nil // already being sent
	}
	defer d.sending.Unlock()
	if d.j != nil {
		release, err := lockPath(filepath.Join(d.j.Dir(), ".send.lock"), false)
		if errors.Is(err, errBusy) {
			return 0, nil // another console of the profile is sending them
		}
		if err == nil {
			defer release()
		}
		if err := d.j.Refresh(); err == nil {
			d.requeue()
		}
	}
	sent := 0
	for {
		d.mu.Lock()
		if len(d.queue) == 0 {
			d.mu.Unlock()
			return sent, nil
		}
		k := d.queue[0]
		d.mu.Unlock()
		switch d.standing(k) {
		case keptSettled:
			d.drop(k)
			continue
		case keptRecording:
			return sent, nil // its journal line is being written: next time
		}
		if !k.notBefore.IsZero() && d.now().Before(k.notBefore) {
			// The CRM asked for a pause: the desk's own resend comes then,
			// and the rest keep their order behind it.
			return sent, nil
		}
		phase, ans, err := d.deliver(ctx, k)
		if phase == journal.Queued && errors.Is(err, providers.ErrRateLimited) {
			// Answered 429 again: it stays first, for after the new pause.
			d.answered(true)
			d.retryLater(k, err)
			return sent, nil
		}
		if err != nil {
			if certainlyNotSent(err) {
				d.silent()
			}
			return sent, err // not checked, so not sent: it and the rest wait
		}
		if phase == journal.Done || phase == journal.Refused {
			d.answered(true)
		}
		if phase == journal.Done && ans.Why == sentLater && !k.notBefore.IsZero() {
			ans.Why = sentAfterWait
		}
		if d.j != nil && k.op != "" {
			_ = d.j.Finish(k.op, phase, ans, "", nil)
		}
		d.drop(k)
		if phase == journal.Done {
			sent++
		}
	}
}

// Where a kept write stands in the journal.
const (
	keptWaiting   = iota // kept, to be sent
	keptSettled          // settled meanwhile: another console sent it, the receptionist decided it
	keptRecording        // just kept: the journal's line saying so is being written
)

func (d *Desk) standing(k kept) int {
	if d.j == nil || k.op == "" {
		return keptWaiting
	}
	op, ok := d.j.Get(k.op)
	switch {
	case !ok || op.Phase() == journal.Queued:
		return keptWaiting
	case op.Phase() == journal.Intent:
		return keptRecording
	}
	return keptSettled
}

// drop takes a kept write off the queue.
func (d *Desk) drop(k kept) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if i := slices.IndexFunc(d.queue, func(q kept) bool { return q == k }); i >= 0 {
		d.queue = slices.Delete(d.queue, i, i+1)
		d.changed()
	}
}

// requeue adds to the queue what the journal keeps and the queue does not
// have (kept by another console, or by an earlier run after this one
// started), in the order they were made.
func (d *Desk) requeue() {
	ops := d.j.Queue()
	d.mu.Lock()
	defer d.mu.Unlock()
	have := map[string]bool{}
	for _, k := range d.queue {
		have[k.op] = true
	}
	added := false
	for _, op := range ops {
		if have[op.Intent.Op] {
			continue
		}
		if k, ok := keptFrom(op); ok {
			d.queue = append(d.queue, k)
			added = true
		}
	}
	if added {
		slices.SortStableFunc(d.queue, func(a, b kept) int { return a.at.Compare(b.at) })
	}
}

// deliver checks whether a kept write is already in the CRM, and sends it
// when it is not.
func (d *Desk) deliver(ctx context.Context, k kept) (journal.Phase, journal.Answer, error) {
	switch k.kind {
	case models.WriteAttend:
		if k.lessonID != "" {
			bs, err := d.next.Roster(ctx, k.lessonID)
			if err != nil {
				return journal.Queued, journal.Answer{}, err
			}
			i := slices.IndexFunc(bs, func(b models.Booking) bool { return b.ID == k.bookingID })
			if i >= 0 && bs[i].Attendance == k.attendance {
				return journal.Done, journal.Answer{Why: alreadyThere}, nil
			}
		}
		err := d.sendMark(ctx, k.bookingID, k.attendance, k.whole)
		return outcome(err)
	case models.WriteCheckIn:
		vs, err := d.next.Visits(ctx, k.checkIn.ClientID, k.at.Add(-time.Minute))
		if err != nil {
			return journal.Queued, journal.Answer{}, err
		}
		if slices.ContainsFunc(vs, func(v models.Visit) bool { return !v.At.Before(k.at.Add(-time.Minute)) }) {
			return journal.Done, journal.Answer{Why: alreadyThere}, nil
		}
		_, err = d.next.CheckIn(ctx, k.checkIn)
		return outcome(err)
	}
	return journal.Refused, journal.Answer{Why: notKeepable}, nil
}

// What the desk says of a kept write it settles.
var (
	alreadyThere = models.Words{EN: "already in the CRM", RU: "уже есть в CRM"}
	sentLater    = models.Words{EN: "sent after the connection came back", RU: "отправлено, когда связь вернулась"}
	// sentAfterWait: a mark the CRM answered 429 went through after its
	// pause.
	sentAfterWait = models.Words{EN: "sent again after the CRM's pause (it had answered: too many requests)",
		RU: "отправлено повторно после паузы CRM (она отвечала: слишком много запросов)"}
	// waitedWords: the mark is kept because the CRM answered 429.
	waitedWords = models.Words{EN: "the CRM asked to wait (too many requests): the mark is kept at the desk and sent again in %d s",
		RU: "CRM попросила подождать (слишком много запросов): отметка сохранена на кассе и уйдёт повторно через %d с"}
	// replaced: a kept mark a newer mark of the same booking replaced
	// before it was sent.
	replaced = models.Words{EN: "not sent: replaced by a later mark of the same booking",
		RU: "не отправлено: заменено более поздней отметкой той же записи"}
	notKeepable = models.Words{EN: "cannot be sent later", RU: "нельзя отправить позже"}
)

// retryLater puts a kept write the CRM answered 429 back at the head of the
// queue with the CRM's new pause, and schedules the desk's own resend.
func (d *Desk) retryLater(k kept, err error) {
	wait := defaultRetryAfter
	var pe *providers.Error
	if errors.As(err, &pe) && pe.RetryAfter > 0 {
		wait = max(pe.RetryAfter, minRetryAfter)
	}
	d.mu.Lock()
	for i := range d.queue {
		if d.queue[i].op == k.op && d.queue[i].at.Equal(k.at) {
			d.queue[i].notBefore = d.now().Add(wait)
		}
	}
	d.mu.Unlock()
	d.after(wait, d.resend)
}

func outcome(err error) (journal.Phase, journal.Answer, error) {
	switch {
	case err == nil:
		return journal.Done, journal.Answer{Why: sentLater}, nil
	case certainlyNotSent(err), errors.Is(err, providers.ErrRateLimited):
		return journal.Queued, journal.Answer{}, err
	case errors.Is(err, providers.ErrOutcomeUnknown), errors.Is(err, context.DeadlineExceeded):
		return journal.Unknown, journal.AnswerOf(err), nil
	default:
		return journal.Refused, journal.AnswerOf(err), nil
	}
}

var (
	_ providers.Connectivity = (*Desk)(nil)
	_ providers.VisitMarker  = (*Desk)(nil)
)

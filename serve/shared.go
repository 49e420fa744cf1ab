package serve

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// Shared is the one provider every session reads through: the same read
// asked by several desks while it is on its way to the CRM is sent once,
// and each desk gets its own copy of the answer. Twenty desks opening the
// morning's timetable cost the CRM (and YCLIENTS' 5 requests a second per
// address) one read, not twenty.
//
// Nothing is kept once the answer is out: the next read goes to the CRM,
// so what one desk wrote is what the others see when they next read. A
// read does not join one that left before a write through the service
// finished (gen), which could answer from before it.
type Shared struct {
	providers.Provider
	flight singleflight.Group
	gen    atomic.Uint64
	// sent counts the reads that went down to the provider (tests,
	// benchmarks).
	sent atomic.Int64
}

// NewShared wraps the service's provider.
func NewShared(p providers.Provider) *Shared { return &Shared{Provider: p} }

// Unwrap returns the provider underneath (for its optional interfaces).
func (s *Shared) Unwrap() providers.Provider { return s.Provider }

// Sent is how many reads went down to the provider.
func (s *Shared) Sent() int64 { return s.sent.Load() }

// maxShared bounds a shared read that its first asker would have given up
// on by itself (the screens give reads 20 s).
const maxShared = 30 * time.Second

// read runs fn once for every caller asking key meanwhile. The read goes
// on when the first asker goes away (a desk closed, a screen left), as
// the others still wait for it; it keeps the first asker's deadline.
func read[T any](s *Shared, ctx context.Context, key string, fn func(context.Context) (T, error), clone func(T) T) (T, error) {
	key = fmt.Sprintf("%d|%s", s.gen.Load(), key)
	ch := s.flight.DoChan(key, func() (any, error) {
		s.sent.Add(1)
		deadline, ok := ctx.Deadline()
		if !ok {
			deadline = time.Now().Add(maxShared)
		}
		c, cancel := context.WithDeadline(context.WithoutCancel(ctx), deadline)
		defer cancel()
		return fn(c)
	})
	select {
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	case r := <-ch:
		v, _ := r.Val.(T)
		if r.Shared {
			v = clone(v)
		}
		return v, r.Err
	}
}

func cloneSlice[E any](v []E) []E { return slices.Clone(v) }
func same[T any](v T) T           { return v }

// wrote ends the sharing of reads that left before a write.
func (s *Shared) wrote() { s.gen.Add(1) }

// Lessons is shared.
func (s *Shared) Lessons(ctx context.Context, from, to time.Time) ([]models.Lesson, error) {
	key := "lessons|" + from.UTC().Format(time.RFC3339Nano) + "|" + to.UTC().Format(time.RFC3339Nano)
	return read(s, ctx, key, func(c context.Context) ([]models.Lesson, error) { return s.Provider.Lessons(c, from, to) }, cloneSlice)
}

// Roster is shared.
func (s *Shared) Roster(ctx context.Context, lessonID string) ([]models.Booking, error) {
	return read(s, ctx, "roster|"+lessonID, func(c context.Context) ([]models.Booking, error) { return s.Provider.Roster(c, lessonID) }, cloneSlice)
}

// Plans is shared.
func (s *Shared) Plans(ctx context.Context) ([]models.Plan, error) {
	return read(s, ctx, "plans", s.Provider.Plans, cloneSlice)
}

// ShiftReport is shared.
func (s *Shared) ShiftReport(ctx context.Context, day models.Date) (models.ShiftReport, error) {
	return read(s, ctx, "shift|"+day.String(), func(c context.Context) (models.ShiftReport, error) { return s.Provider.ShiftReport(c, day) }, cloneReport)
}

func cloneReport(r models.ShiftReport) models.ShiftReport {
	r.Takings = slices.Clone(r.Takings)
	return r
}

// Client is shared (two desks opening one family's card).
func (s *Shared) Client(ctx context.Context, id string) (models.Client, error) {
	return read(s, ctx, "client|"+id, func(c context.Context) (models.Client, error) { return s.Provider.Client(c, id) }, same)
}

// ClientByCard is shared.
func (s *Shared) ClientByCard(ctx context.Context, tag string) (models.Client, error) {
	return read(s, ctx, "card|"+tag, func(c context.Context) (models.Client, error) { return s.Provider.ClientByCard(c, tag) }, same)
}

// Every write passes on, and reads asked after it are asked anew.

// BindCard passes on.
func (s *Shared) BindCard(ctx context.Context, clientID, tag string) error {
	defer s.wrote()
	return s.Provider.BindCard(ctx, clientID, tag)
}

// CreateClient passes on.
func (s *Shared) CreateClient(ctx context.Context, c models.NewClient) (models.Client, error) {
	defer s.wrote()
	return s.Provider.CreateClient(ctx, c)
}

// Sell passes on.
func (s *Shared) Sell(ctx context.Context, sale models.Sale) (models.SaleResult, error) {
	defer s.wrote()
	return s.Provider.Sell(ctx, sale)
}

// TakePayment passes on.
func (s *Shared) TakePayment(ctx context.Context, r models.PaymentRequest) (models.PaymentResult, error) {
	defer s.wrote()
	return s.Provider.TakePayment(ctx, r)
}

// TopUpDeposit passes on.
func (s *Shared) TopUpDeposit(ctx context.Context, r models.PaymentRequest) (models.PaymentResult, error) {
	defer s.wrote()
	return s.Provider.TopUpDeposit(ctx, r)
}

// Book passes on.
func (s *Shared) Book(ctx context.Context, lessonID, clientID string) (models.Booking, error) {
	defer s.wrote()
	return s.Provider.Book(ctx, lessonID, clientID)
}

// CancelBooking passes on.
func (s *Shared) CancelBooking(ctx context.Context, bookingID string, late bool) error {
	defer s.wrote()
	return s.Provider.CancelBooking(ctx, bookingID, late)
}

// MarkAttendance passes on.
func (s *Shared) MarkAttendance(ctx context.Context, bookingID string, a models.Attendance) error {
	defer s.wrote()
	return s.Provider.MarkAttendance(ctx, bookingID, a)
}

// CheckIn passes on.
func (s *Shared) CheckIn(ctx context.Context, c models.CheckIn) (models.Visit, error) {
	defer s.wrote()
	return s.Provider.CheckIn(ctx, c)
}

// UndoCheckIn passes on.
func (s *Shared) UndoCheckIn(ctx context.Context, v models.Visit) error {
	defer s.wrote()
	return s.Provider.UndoCheckIn(ctx, v)
}

// MarkVisit passes on to the provider's (the offline desk's) own, so that
// it too is a write the sharing of reads knows of.
func (s *Shared) MarkVisit(ctx context.Context, bookingID string, a models.Attendance) error {
	defer s.wrote()
	vm, ok := providers.As[providers.VisitMarker](s.Provider)
	if !ok {
		return &providers.UnsupportedError{Capability: providers.CapAttendance, Reason: providers.NoVisits.EN, Why: providers.NoVisits}
	}
	return vm.MarkVisit(ctx, bookingID, a)
}

// Package offlinetest cuts the line to a provider in tests: Line passes
// every call through until Cut, then fails them all as a dropped Wi-Fi
// does, never reaching the provider, and counts what did reach it.
package offlinetest

import (
	"context"
	"sync"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// Line is a provider behind a line that can be cut.
type Line struct {
	providers.Provider
	mu    sync.Mutex
	down  bool
	calls map[string]int
}

// New puts p behind a line.
func New(p providers.Provider) *Line { return &Line{Provider: p, calls: map[string]int{}} }

// Cut drops the line; Mend brings it back.
func (l *Line) Cut()  { l.set(true) }
func (l *Line) Mend() { l.set(false) }

func (l *Line) set(down bool) {
	l.mu.Lock()
	l.down = down
	l.mu.Unlock()
}

// Calls is how many calls of a method reached the provider.
func (l *Line) Calls(method string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.calls[method]
}

// pass counts a call that goes through, or fails it when the line is down.
func (l *Line) pass(method string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.down {
		return &providers.Error{Kind: providers.ErrUnavailable, Op: method, Message: "connect: connection refused"}
	}
	l.calls[method]++
	return nil
}

// call runs fn when the line lets method through.
func call[T any](l *Line, method string, fn func() (T, error)) (T, error) {
	if err := l.pass(method); err != nil {
		var zero T
		return zero, err
	}
	return fn()
}

// SearchClients and the methods below are the provider's, behind the line.
func (l *Line) SearchClients(ctx context.Context, q string, n int) ([]models.Client, error) {
	return call(l, "SearchClients", func() ([]models.Client, error) { return l.Provider.SearchClients(ctx, q, n) })
}
func (l *Line) ClientByCard(ctx context.Context, tag string) (models.Client, error) {
	return call(l, "ClientByCard", func() (models.Client, error) { return l.Provider.ClientByCard(ctx, tag) })
}
func (l *Line) Client(ctx context.Context, id string) (models.Client, error) {
	return call(l, "Client", func() (models.Client, error) { return l.Provider.Client(ctx, id) })
}
func (l *Line) Memberships(ctx context.Context, id string) ([]models.Membership, error) {
	return call(l, "Memberships", func() ([]models.Membership, error) { return l.Provider.Memberships(ctx, id) })
}
func (l *Line) Visits(ctx context.Context, id string, since time.Time) ([]models.Visit, error) {
	return call(l, "Visits", func() ([]models.Visit, error) { return l.Provider.Visits(ctx, id, since) })
}
func (l *Line) ClientBookings(ctx context.Context, id string, from, to time.Time) ([]models.Booking, error) {
	return call(l, "ClientBookings", func() ([]models.Booking, error) { return l.Provider.ClientBookings(ctx, id, from, to) })
}
func (l *Line) Plans(ctx context.Context) ([]models.Plan, error) {
	return call(l, "Plans", func() ([]models.Plan, error) { return l.Provider.Plans(ctx) })
}
func (l *Line) Lessons(ctx context.Context, from, to time.Time) ([]models.Lesson, error) {
	return call(l, "Lessons", func() ([]models.Lesson, error) { return l.Provider.Lessons(ctx, from, to) })
}
func (l *Line) Roster(ctx context.Context, id string) ([]models.Booking, error) {
	return call(l, "Roster", func() ([]models.Booking, error) { return l.Provider.Roster(ctx, id) })
}
func (l *Line) Sell(ctx context.Context, s models.Sale) (models.SaleResult, error) {
	return call(l, "Sell", func() (models.SaleResult, error) { return l.Provider.Sell(ctx, s) })
}
func (l *Line) TakePayment(ctx context.Context, r models.PaymentRequest) (models.PaymentResult, error) {
	return call(l, "TakePayment", func() (models.PaymentResult, error) { return l.Provider.TakePayment(ctx, r) })
}
func (l *Line) MarkAttendance(ctx context.Context, id string, a models.Attendance) error {
	_, err := call(l, "MarkAttendance", func() (struct{}, error) { return struct{}{}, l.Provider.MarkAttendance(ctx, id, a) })
	return err
}
func (l *Line) CheckIn(ctx context.Context, c models.CheckIn) (models.Visit, error) {
	return call(l, "CheckIn", func() (models.Visit, error) { return l.Provider.CheckIn(ctx, c) })
}
func (l *Line) UndoCheckIn(ctx context.Context, v models.Visit) error {
	_, err := call(l, "UndoCheckIn", func() (struct{}, error) { return struct{}{}, l.Provider.UndoCheckIn(ctx, v) })
	return err
}

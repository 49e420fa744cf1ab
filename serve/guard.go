package serve

import (
	"context"
	"strings"
	"sync/atomic"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/i18n"
)

// Gate is what every session's writes pass: it counts the writes in
// flight, so a graceful stop waits for them, and once the service is
// stopping it lets no new one start.
type Gate struct {
	stopping atomic.Bool
	writes   atomic.Int64
}

// InFlight is how many writes are on their way (journal's outcome
// included: the session's journal is under the guard).
func (g *Gate) InFlight() int64 { return g.writes.Load() }

// Close lets no new write start.
func (g *Gate) Close() { g.stopping.Store(true) }

// Wait waits until no write is in flight, at most d; it reports whether
// none is left.
func (g *Gate) Wait(d time.Duration) bool {
	deadline := time.Now().Add(d)
	for g.writes.Load() > 0 {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// enter starts a write, or refuses it when the service is stopping. The
// count goes up before the flag is read, so that Close then Wait never
// misses a write that got in.
func (g *Gate) enter(what string) error {
	g.writes.Add(1)
	if g.stopping.Load() {
		g.writes.Add(-1)
		return refusal(providers.ErrNotPermitted, what, func(t *i18n.ServeTexts) string { return t.StoppingRefusal })
	}
	return nil
}

func (g *Gate) leave() { g.writes.Add(-1) }

// guard is one session's provider as its operator may use it: a write the
// operators file does not permit is refused at the desk, before the
// journal records it and before anything reaches the CRM; every write
// passes the service's Gate. Everything else goes on to the session's
// journal (journal.WrapFor) underneath.
type guard struct {
	providers.Provider
	op   Operator
	gate *Gate
}

// Guard puts op's permissions and the service's gate in front of p. The
// payment page is money too: when p offers one, it is guarded as well.
func Guard(p providers.Provider, op Operator, gate *Gate) providers.Provider {
	g := &guard{Provider: p, op: op, gate: gate}
	if _, ok := providers.As[providers.OnlinePayer](p); ok {
		return &payGuard{g}
	}
	return g
}

// Unwrap returns the provider underneath (for its optional interfaces).
func (g *guard) Unwrap() providers.Provider { return g.Provider }

// NoMoney is the refusal of a money write to op; nil when op may take money.
func NoMoney(op Operator) error {
	if op.Money {
		return nil
	}
	return refusal(providers.ErrNotPermitted, "take money", func(t *i18n.ServeTexts) string { return t.NoMoney }, op.Name)
}

// NoOverride is the refusal of a check-in past a red verdict to op; nil
// when op may override.
func NoOverride(op Operator) error {
	if op.Override {
		return nil
	}
	return refusal(providers.ErrNotPermitted, "check in", func(t *i18n.ServeTexts) string { return t.NoOverride }, op.Name)
}

func refusal(kind error, what string, words func(*i18n.ServeTexts) string, args ...any) error {
	w := models.Words{EN: words(i18n.Serve("en")), RU: words(i18n.Serve("ru"))}
	return providers.Refusal(kind, what, w, args...)
}

// do runs a write through the gate.
func do[T any](g *guard, what string, money bool, fn func() (T, error)) (T, error) {
	var zero T
	if money {
		if err := NoMoney(g.op); err != nil {
			return zero, err
		}
	}
	if err := g.gate.enter(what); err != nil {
		return zero, err
	}
	defer g.gate.leave()
	return fn()
}

func do0(g *guard, what string, fn func() error) error {
	_, err := do(g, what, false, func() (struct{}, error) { return struct{}{}, fn() })
	return err
}

// Sell is money.
func (g *guard) Sell(ctx context.Context, s models.Sale) (models.SaleResult, error) {
	return do(g, "sell", true, func() (models.SaleResult, error) { return g.Provider.Sell(ctx, s) })
}

// TakePayment is money.
func (g *guard) TakePayment(ctx context.Context, r models.PaymentRequest) (models.PaymentResult, error) {
	return do(g, "take payment", true, func() (models.PaymentResult, error) { return g.Provider.TakePayment(ctx, r) })
}

// TopUpDeposit is money.
func (g *guard) TopUpDeposit(ctx context.Context, r models.PaymentRequest) (models.PaymentResult, error) {
	return do(g, "top up deposit", true, func() (models.PaymentResult, error) { return g.Provider.TopUpDeposit(ctx, r) })
}

// CheckIn with an override of a red verdict needs the override permission.
func (g *guard) CheckIn(ctx context.Context, c models.CheckIn) (models.Visit, error) {
	if strings.TrimSpace(c.Override) != "" {
		if err := NoOverride(g.op); err != nil {
			return models.Visit{}, err
		}
	}
	return do(g, "check in", false, func() (models.Visit, error) { return g.Provider.CheckIn(ctx, c) })
}

// UndoCheckIn passes the gate.
func (g *guard) UndoCheckIn(ctx context.Context, v models.Visit) error {
	return do0(g, "undo check in", func() error { return g.Provider.UndoCheckIn(ctx, v) })
}

// BindCard passes the gate.
func (g *guard) BindCard(ctx context.Context, clientID, tag string) error {
	return do0(g, "bind card", func() error { return g.Provider.BindCard(ctx, clientID, tag) })
}

// CreateClient passes the gate.
func (g *guard) CreateClient(ctx context.Context, c models.NewClient) (models.Client, error) {
	return do(g, "create client", false, func() (models.Client, error) { return g.Provider.CreateClient(ctx, c) })
}

// Book passes the gate.
func (g *guard) Book(ctx context.Context, lessonID, clientID string) (models.Booking, error) {
	return do(g, "book", false, func() (models.Booking, error) { return g.Provider.Book(ctx, lessonID, clientID) })
}

// CancelBooking passes the gate.
func (g *guard) CancelBooking(ctx context.Context, bookingID string, late bool) error {
	return do0(g, "cancel booking", func() error { return g.Provider.CancelBooking(ctx, bookingID, late) })
}

// MarkAttendance passes the gate.
func (g *guard) MarkAttendance(ctx context.Context, bookingID string, a models.Attendance) error {
	return do0(g, "mark attendance", func() error { return g.Provider.MarkAttendance(ctx, bookingID, a) })
}

// MarkVisit passes the gate to the journal's own (which every session's
// provider has: journal.Recorded).
func (g *guard) MarkVisit(ctx context.Context, bookingID string, a models.Attendance) error {
	vm, ok := providers.As[providers.VisitMarker](g.Provider)
	if !ok {
		return &providers.UnsupportedError{Capability: providers.CapAttendance, Reason: providers.NoVisits.EN, Why: providers.NoVisits}
	}
	return do0(g, "mark visit", func() error { return vm.MarkVisit(ctx, bookingID, a) })
}

// payGuard is guard for a provider with a payment page.
type payGuard struct{ *guard }

// OpenPaymentPage is money.
func (g *payGuard) OpenPaymentPage(ctx context.Context, p providers.OnlinePayment) (providers.PaymentPage, error) {
	payer, _ := providers.As[providers.OnlinePayer](g.Provider)
	return do(g.guard, "payment page", true, func() (providers.PaymentPage, error) { return payer.OpenPaymentPage(ctx, p) })
}

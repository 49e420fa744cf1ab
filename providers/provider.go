// Package providers is the contract between the desk and a club's CRM, and
// the registry adapters enter themselves into.
//
// Every adapter maps its provider's wire format into package models, declares
// up front what it can do (Capabilities), and answers the rest with an
// *UnsupportedError, so the UI never offers an action a CRM cannot perform.
// Errors are typed (see errors.go) so the desk can say "not found", "log in
// again" or "check in the CRM before repeating" instead of a raw message.
package providers

import (
	"context"
	"log/slog"
	"time"

	"github.com/clubdesk/clubdesk/models"
)

// Provider is what the desk asks of a club's CRM: its reads and its
// writes. Every call takes a context: the desk cancels stale searches and
// gives every request a deadline.
type Provider interface {
	Reader
	Writer
}

// Reader is every call that only reads the CRM.
type Reader interface {
	// Info describes the connection for the status bar.
	Info() Info
	// Capabilities lists what this provider can do.
	Capabilities() Capabilities

	// SearchClients finds clients by part of a name, phone digits, e-mail or
	// card number, best matches first, at most limit of them.
	SearchClients(ctx context.Context, query string, limit int) ([]models.Client, error)
	// ClientByCard finds the client a card tag is bound to (ErrNotFound when
	// none is).
	ClientByCard(ctx context.Context, tag string) (models.Client, error)
	// Client reads one client.
	Client(ctx context.Context, id string) (models.Client, error)
	// Memberships lists a client's memberships, current and past.
	Memberships(ctx context.Context, clientID string) ([]models.Membership, error)
	// Visits lists a client's visits since the given instant, newest first.
	Visits(ctx context.Context, clientID string, since time.Time) ([]models.Visit, error)
	// ClientBookings lists a client's bookings for lessons starting in [from, to).
	ClientBookings(ctx context.Context, clientID string, from, to time.Time) ([]models.Booking, error)
	// Plans lists what the club sells.
	Plans(ctx context.Context) ([]models.Plan, error)
	// Lessons lists lessons starting in [from, to), by start time.
	Lessons(ctx context.Context, from, to time.Time) ([]models.Lesson, error)
	// Roster lists the bookings of a lesson, cancelled ones included.
	Roster(ctx context.Context, lessonID string) ([]models.Booking, error)
	// ShiftReport sums a day at the desk.
	ShiftReport(ctx context.Context, day models.Date) (models.ShiftReport, error)
}

// Writer is every call that changes the CRM: money, identity, bookings and
// marks. A decorator that must see every write (the operation journal,
// the offline desk) embeds the provider's Reader only and implements
// Writer itself, method by method: a write added here does not compile
// until each of them handles it, so none can slip past the journal.
type Writer interface {
	// BindCard binds a card tag to a client; ErrCardInUse when another client
	// holds it.
	BindCard(ctx context.Context, clientID, tag string) error
	// CreateClient registers someone at the desk.
	CreateClient(ctx context.Context, c models.NewClient) (models.Client, error)
	// Sell creates a membership and takes its payment. The result says what
	// happened to every step even when err is not nil.
	Sell(ctx context.Context, s models.Sale) (models.SaleResult, error)
	// TakePayment settles a membership's amount due.
	TakePayment(ctx context.Context, r models.PaymentRequest) (models.PaymentResult, error)
	// TopUpDeposit puts money on the client's deposit account.
	TopUpDeposit(ctx context.Context, r models.PaymentRequest) (models.PaymentResult, error)
	// Book puts a client into a lesson: ErrLessonFull, ErrAlreadyBooked.
	Book(ctx context.Context, lessonID, clientID string) (models.Booking, error)
	// CancelBooking frees a place; late marks a cancellation inside the
	// club's cut-off (CapLateCancel).
	CancelBooking(ctx context.Context, bookingID string, late bool) error
	// MarkAttendance records whether a booked client came; Expected undoes
	// a mark.
	MarkAttendance(ctx context.Context, bookingID string, a models.Attendance) error
	// CheckIn lets a client in, taking a visit from a membership.
	CheckIn(ctx context.Context, c models.CheckIn) (models.Visit, error)
	// UndoCheckIn cancels a check-in this desk made, given the visit
	// CheckIn returned (CapUndoCheckIn): the visit is gone and what it
	// took from a membership is given back. ErrNotFound when the CRM holds
	// no such visit.
	UndoCheckIn(ctx context.Context, v models.Visit) error
}

// Info describes a provider connection.
type Info struct {
	Name     string // registry name: demo, luckyfit, yclients, gocrm
	Title    string // what the status bar prints: "LuckyFit"
	Branch   string // the branch, company or center the desk works in
	Location *time.Location
	Currency string
	Demo     bool
}

// Secrets is how an adapter reads its credentials and writes back the ones
// it refreshes. Package keys implements it over the OS keyring; adapters
// never see where a secret lives.
type Secrets interface {
	Secret(name string) (string, error)
	SetSecret(name, value string) error
}

// Settings is what an adapter is built from: the profile's config and the
// desk's shared services. Provider-specific keys arrive in Extra.
type Settings struct {
	Profile   string
	BaseURL   string
	Branch    string
	PointName string
	Operator  string
	Timezone  string
	Secrets   Secrets
	Logger    *slog.Logger
	Extra     map[string]any
	// StateDir is the desk's state folder: what desks of one machine share
	// (YCLIENTS' request window) lives there. Empty in tests.
	StateDir string
	// Now is the desk's clock; tests and the demo club pin it.
	Now func() time.Time
}

// Clock returns s.Now, or time.Now when it is unset.
func (s Settings) Clock() func() time.Time {
	if s.Now != nil {
		return s.Now
	}
	return time.Now
}

// Log returns s.Logger, or a logger that discards everything.
func (s Settings) Log() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Unwrapper is a provider that decorates another (the operation journal
// records every write and passes the call on).
type Unwrapper interface {
	Unwrap() Provider
}

// As finds an optional interface (OnlinePayer, Reconciler...) on p or on a
// provider p decorates.
func As[T any](p Provider) (T, bool) {
	for p != nil {
		if t, ok := p.(T); ok {
			return t, true
		}
		u, ok := p.(Unwrapper)
		if !ok {
			break
		}
		p = u.Unwrap()
	}
	var zero T
	return zero, false
}

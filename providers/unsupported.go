package providers

import (
	"context"
	"time"

	"github.com/clubdesk/clubdesk/models"
)

// Unsupported answers every Provider call with an *UnsupportedError. An
// adapter embeds it and overrides what its API offers, so a capability it
// lacks still fails in a typed, explained way. Caps supplies the reasons.
type Unsupported struct {
	Caps Capabilities
}

func (u Unsupported) no(c Capability) error {
	return &UnsupportedError{Capability: c, Reason: u.Caps.Reason(c), Why: u.Caps.Why(c)}
}

// SearchClients is unsupported.
func (u Unsupported) SearchClients(context.Context, string, int) ([]models.Client, error) {
	return nil, u.no(CapSearch)
}

// ClientByCard is unsupported.
func (u Unsupported) ClientByCard(context.Context, string) (models.Client, error) {
	return models.Client{}, u.no(CapCardLookup)
}

// Client is unsupported.
func (u Unsupported) Client(context.Context, string) (models.Client, error) {
	return models.Client{}, u.no(CapSearch)
}

// Memberships is unsupported.
func (u Unsupported) Memberships(context.Context, string) ([]models.Membership, error) {
	return nil, u.no(CapMemberships)
}

// Visits is unsupported.
func (u Unsupported) Visits(context.Context, string, time.Time) ([]models.Visit, error) {
	return nil, u.no(CapVisits)
}

// ClientBookings is unsupported.
func (u Unsupported) ClientBookings(context.Context, string, time.Time, time.Time) ([]models.Booking, error) {
	return nil, u.no(CapCalendar)
}

// BindCard is unsupported.
func (u Unsupported) BindCard(context.Context, string, string) error { return u.no(CapBindCard) }

// CreateClient is unsupported.
func (u Unsupported) CreateClient(context.Context, models.NewClient) (models.Client, error) {
	return models.Client{}, u.no(CapCreateClient)
}

// Plans is unsupported.
func (u Unsupported) Plans(context.Context) ([]models.Plan, error) { return nil, u.no(CapPlans) }

// Sell is unsupported.
func (u Unsupported) Sell(context.Context, models.Sale) (models.SaleResult, error) {
	return models.SaleResult{MembershipCreated: models.OutcomeNotTried}, u.no(CapSell)
}

// TakePayment is unsupported.
func (u Unsupported) TakePayment(context.Context, models.PaymentRequest) (models.PaymentResult, error) {
	return models.PaymentResult{}, u.no(CapTakePayment)
}

// TopUpDeposit is unsupported.
func (u Unsupported) TopUpDeposit(context.Context, models.PaymentRequest) (models.PaymentResult, error) {
	return models.PaymentResult{}, u.no(CapDepositTopUp)
}

// Lessons is unsupported.
func (u Unsupported) Lessons(context.Context, time.Time, time.Time) ([]models.Lesson, error) {
	return nil, u.no(CapCalendar)
}

// Roster is unsupported.
func (u Unsupported) Roster(context.Context, string) ([]models.Booking, error) {
	return nil, u.no(CapRoster)
}

// Book is unsupported.
func (u Unsupported) Book(context.Context, string, string) (models.Booking, error) {
	return models.Booking{}, u.no(CapBook)
}

// CancelBooking is unsupported.
func (u Unsupported) CancelBooking(context.Context, string, bool) error {
	return u.no(CapCancelBooking)
}

// MarkAttendance is unsupported.
func (u Unsupported) MarkAttendance(context.Context, string, models.Attendance) error {
	return u.no(CapAttendance)
}

// CheckIn is unsupported.
func (u Unsupported) CheckIn(context.Context, models.CheckIn) (models.Visit, error) {
	return models.Visit{}, u.no(CapCheckIn)
}

// UndoCheckIn is unsupported.
func (u Unsupported) UndoCheckIn(context.Context, models.Visit) error {
	return u.no(CapUndoCheckIn)
}

// ShiftReport is unsupported.
func (u Unsupported) ShiftReport(context.Context, models.Date) (models.ShiftReport, error) {
	return models.ShiftReport{}, u.no(CapShiftReport)
}

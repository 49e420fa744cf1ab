package providers

import (
	"context"
	"errors"

	"github.com/clubdesk/clubdesk/models"
)

// ErrWholeVisit refuses, before anything is sent, a payment or an
// attendance mark of one booking that the CRM would apply to every booking
// of its visit (YCLIENTS: a client's records of one day are one visit, and
// its fast payment and attendance act on all of them). The refusal's words
// list the visit; VisitInspector shows it, and the receptionist confirms
// the whole visit (models.PaymentRequest.WholeVisit, VisitMarker) or does
// it in the CRM.
var ErrWholeVisit = errors.New("the booking's visit holds other bookings")

// VisitInspector is a provider whose CRM groups a client's bookings into
// visits that payment and attendance act on together. The desk reads the
// visit before it pays or marks a booking of several and shows what the
// visit holds: each booking and what it owes, the total, and whether this
// booking can be paid alone.
type VisitInspector interface {
	VisitOf(ctx context.Context, bookingID string) (models.VisitGroup, error)
}

// VisitMarker marks the attendance of every booking of the visit bookingID
// belongs to: what MarkAttendance refuses (ErrWholeVisit) until the
// receptionist has seen the visit's bookings and confirmed. The operation
// journal and the offline desk implement it too, passing it on, so it is
// recorded and kept like any mark; on a provider without visits it is
// unsupported.
type VisitMarker interface {
	MarkVisit(ctx context.Context, bookingID string, a models.Attendance) error
}

// NoVisits is the refusal of MarkVisit by a provider whose CRM has no
// visits of several bookings.
var NoVisits = Words{EN: "this CRM has no visits of several bookings: mark the booking itself",
	RU: "в этой CRM нет визитов из нескольких записей: отметьте саму запись"}

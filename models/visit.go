package models

import "time"

// Visit is a client's entry into the club, as the provider records it.
type Visit struct {
	ID           string
	ClientID     string
	At           time.Time
	LessonID     string
	LessonTitle  string
	MembershipID string
}

// VisitGroup is what a CRM that groups a client's bookings of one day into
// one visit (YCLIENTS) holds in the visit a booking belongs to: its payment
// and its attendance act on the visit, so the desk shows all of it and asks
// before it pays or marks.
type VisitGroup struct {
	ID        string // the CRM's visit
	BookingID string // the booking the desk asked about
	// Records are the visit's bookings, by start time; BookingID is one.
	Records []VisitRecord
	// Alone lists the methods by which BookingID's own due can be paid
	// without the rest of the visit (YCLIENTS: the booking's sale document
	// and a cash desk of that kind); empty when only the whole visit can be
	// paid.
	Alone []PaymentMethod
}

// VisitRecord is one booking of a visit and what it owes.
type VisitRecord struct {
	BookingID  string
	LessonID   string
	Title      string
	Start      time.Time
	Instructor string
	Attendance Attendance
	// Due is what the booking still owes; DueKnown is false when the CRM's
	// answer does not say (never read as zero).
	Due      Money
	DueKnown bool
	Paid     bool
}

// Multi reports whether the visit holds other bookings than BookingID:
// paying or marking it acts on them too.
func (g VisitGroup) Multi() bool { return len(g.Records) > 1 }

// Due is what the whole visit owes; ok is false when the due of one of its
// unpaid bookings is unknown.
func (g VisitGroup) Due() (Money, bool) {
	var sum Money
	for _, r := range g.Records {
		if r.Paid {
			continue
		}
		if !r.DueKnown {
			return Money{}, false
		}
		sum = sum.Add(r.Due)
	}
	return sum, true
}

// Record is the visit's booking id, and whether it is there.
func (g VisitGroup) Record(bookingID string) (VisitRecord, bool) {
	for _, r := range g.Records {
		if r.BookingID == bookingID {
			return r, true
		}
	}
	return VisitRecord{}, false
}

// PaysAlone reports whether BookingID's own due can be paid by method
// without paying the rest of the visit.
func (g VisitGroup) PaysAlone(method PaymentMethod) bool {
	for _, m := range g.Alone {
		if m == method {
			return true
		}
	}
	return false
}

// CheckIn asks the provider to let a client in.
type CheckIn struct {
	ClientID     string
	MembershipID string // the membership the visit is taken from; may be empty
	BookingID    string // the booking it satisfies, when a lesson is near
	// Override is the receptionist's reason for letting in a client whose
	// verdict was red; empty otherwise.
	Override string
}

// ShiftReport is a day at the desk in figures.
type ShiftReport struct {
	Day      Date
	CheckIns int
	Sales    int
	// Takings holds one entry per payment method with money taken. Payments
	// from the deposit are not takings: that money was taken at the top-up.
	Takings []Payment
	Total   Money
}

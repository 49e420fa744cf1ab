package models

import "time"

// Lesson is one class on the timetable.
type Lesson struct {
	ID         string
	Start      time.Time
	End        time.Time
	Title      string
	Instructor string
	Room       string
	Capacity   int // 0 when the provider sets no limit
	Booked     int
	Cancelled  bool
}

// Full reports whether no more bookings fit.
func (l Lesson) Full() bool { return l.Capacity > 0 && l.Booked >= l.Capacity }

// Free is the number of places left, or -1 when there is no limit.
func (l Lesson) Free() int {
	if l.Capacity == 0 {
		return -1
	}
	return max(l.Capacity-l.Booked, 0)
}

// Attendance is whether a booked client came.
type Attendance int

// Attendance marks.
const (
	Expected Attendance = iota
	Attended
	NoShow
)

// BookingStatus is whether a booking still holds a place.
type BookingStatus int

// Booking statuses.
const (
	Booked BookingStatus = iota
	Cancelled
	// LateCancelled bookings were cancelled inside the club's cut-off; the
	// visit is usually charged.
	LateCancelled
)

// Booking is a client's place in a lesson.
type Booking struct {
	ID          string
	Lesson      Lesson
	ClientID    string
	ClientName  string
	ClientPhone string
	Status      BookingStatus
	Attendance  Attendance
	// AmountDue is what the visit still costs when the club takes payment
	// per visit (a drop-in, YCLIENTS' unpaid record); zero when a membership
	// covers it or it is paid. CapTakePayment with PayForBooking settles it.
	AmountDue Money
	// Paid is set when the provider says the visit has been paid in full.
	Paid bool
}

// Active reports whether the booking still holds a place.
func (b Booking) Active() bool { return b.Status == Booked }

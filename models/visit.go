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

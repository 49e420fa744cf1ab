package models

import "time"

// WriteKind names a write the desk sends to a CRM. The strings are stable:
// the operation journal stores them.
type WriteKind string

// Kinds of write.
const (
	WriteSell      WriteKind = "sell"
	WritePay       WriteKind = "pay"
	WriteTopUp     WriteKind = "top-up"
	WriteBook      WriteKind = "book"
	WriteCancel    WriteKind = "cancel-booking"
	WriteAttend    WriteKind = "attendance"
	WriteCheckIn   WriteKind = "check-in"
	WriteBindCard  WriteKind = "bind-card"
	WriteNewClient WriteKind = "new-client"
	// WritePaymentPage asks the CRM for a page where the client pays from a
	// phone (Go-CRM creates a payment for it). The money moves later, on
	// the page, and the CRM records it there.
	WritePaymentPage WriteKind = "payment-page"
	// WriteOverride is not sent anywhere: it records a red verdict the
	// receptionist let through, with the reason they typed.
	WriteOverride WriteKind = "override"
)

// MovesMoney reports whether writes of this kind take payments.
func (k WriteKind) MovesMoney() bool { return k == WriteSell || k == WritePay || k == WriteTopUp }

// LostWrite is a write whose answer never came: what the desk sent, so that
// the CRM can be asked whether it happened.
type LostWrite struct {
	Kind      WriteKind
	ClientID  string
	SubjectID string // the plan sold, the membership or booking paid, the lesson booked
	Amount    Money
	Payments  []Payment
	SentAt    time.Time
}

// Finding is what a CRM's records say about a lost write.
type Finding struct {
	// Found means the CRM shows it happened; not found means it shows
	// nothing yet, which is not proof that it did not.
	Found  bool
	Detail Words // what was found: "payment 2 500 ₽ № 61 at 10:42"
}

package providers

import "github.com/clubdesk/clubdesk/models"

// Capability is one thing a provider may be able to do.
type Capability string

// Capabilities a desk can use. The string is the stable name printed by
// `clubdesk doctor` and the README's table.
const (
	CapSearch        Capability = "search"
	CapCardLookup    Capability = "card-lookup"
	CapBindCard      Capability = "bind-card"
	CapCreateClient  Capability = "create-client"
	CapMemberships   Capability = "memberships"
	CapVisits        Capability = "visits"
	CapPlans         Capability = "plans"
	CapSell          Capability = "sell"
	CapTakePayment   Capability = "take-payment"
	CapDepositTopUp  Capability = "deposit-top-up"
	CapCalendar      Capability = "calendar"
	CapRoster        Capability = "roster"
	CapBook          Capability = "book"
	CapCancelBooking Capability = "cancel-booking"
	CapLateCancel    Capability = "late-cancel"
	CapAttendance    Capability = "mark-attendance"
	CapCheckIn       Capability = "check-in"
	// CapUndoCheckIn cancels a check-in the desk made a moment ago (the
	// visit CheckIn returned): a scan that let in the wrong person.
	CapUndoCheckIn Capability = "undo-check-in"
	CapShiftReport Capability = "shift-report"
	CapOnlinePay   Capability = "online-payment"
)

// AllCapabilities lists every capability in the order reports print them.
var AllCapabilities = []Capability{
	CapSearch, CapCardLookup, CapBindCard, CapCreateClient, CapMemberships, CapVisits,
	CapPlans, CapSell, CapTakePayment, CapDepositTopUp,
	CapCalendar, CapRoster, CapBook, CapCancelBooking, CapLateCancel, CapAttendance,
	CapCheckIn, CapUndoCheckIn, CapShiftReport, CapOnlinePay,
}

// Capabilities is what a provider can do. A capability that is absent is
// unsupported; Reasons says why in words a club's admin understands.
type Capabilities struct {
	supported map[Capability]bool
	reasons   map[Capability]Words
}

// Words is a sentence for the people at the desk in both of its languages.
type Words = models.Words

// notOffered is the reason given when an adapter gave none.
var notOffered = Words{EN: "the provider's API does not offer it", RU: "API этой CRM так не умеет"}

// Supports builds a set of supported capabilities.
func Supports(caps ...Capability) Capabilities {
	c := Capabilities{supported: map[Capability]bool{}, reasons: map[Capability]Words{}}
	for _, cp := range caps {
		c.supported[cp] = true
	}
	return c
}

// Without marks a capability unsupported and says why, in words a club's
// admin understands, in both languages.
func (c Capabilities) Without(cp Capability, why Words) Capabilities {
	delete(c.supported, cp)
	c.reasons[cp] = why
	return c
}

// Has reports whether the capability is supported.
func (c Capabilities) Has(cp Capability) bool { return c.supported[cp] }

// Reason says in English why a capability is unsupported ("" when it is
// supported); Why says it in both languages.
func (c Capabilities) Reason(cp Capability) string { return c.Why(cp).EN }

// Why says why a capability is unsupported (empty when it is supported).
func (c Capabilities) Why(cp Capability) Words {
	if c.Has(cp) {
		return Words{}
	}
	if r := c.reasons[cp]; r.EN != "" {
		return r
	}
	return notOffered
}

package providers

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
	CapShiftReport   Capability = "shift-report"
	CapOnlinePay     Capability = "online-payment"
)

// AllCapabilities lists every capability in the order reports print them.
var AllCapabilities = []Capability{
	CapSearch, CapCardLookup, CapBindCard, CapCreateClient, CapMemberships, CapVisits,
	CapPlans, CapSell, CapTakePayment, CapDepositTopUp,
	CapCalendar, CapRoster, CapBook, CapCancelBooking, CapLateCancel, CapAttendance,
	CapCheckIn, CapShiftReport, CapOnlinePay,
}

// Capabilities is what a provider can do. A capability that is absent is
// unsupported; Reasons says why in words a club's admin understands.
type Capabilities struct {
	supported map[Capability]bool
	reasons   map[Capability]string
}

// Supports builds a set of supported capabilities.
func Supports(caps ...Capability) Capabilities {
	c := Capabilities{supported: map[Capability]bool{}, reasons: map[Capability]string{}}
	for _, cp := range caps {
		c.supported[cp] = true
	}
	return c
}

// Without marks a capability unsupported and says why.
func (c Capabilities) Without(cp Capability, reason string) Capabilities {
	delete(c.supported, cp)
	c.reasons[cp] = reason
	return c
}

// Has reports whether the capability is supported.
func (c Capabilities) Has(cp Capability) bool { return c.supported[cp] }

// Reason says why a capability is unsupported ("" when it is supported).
func (c Capabilities) Reason(cp Capability) string {
	if c.Has(cp) {
		return ""
	}
	if r := c.reasons[cp]; r != "" {
		return r
	}
	return "the provider's API does not offer it"
}

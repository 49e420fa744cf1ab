package models

// PlanKind says what sort of membership a plan sells; it only guides how the
// desk groups and words plans.
type PlanKind int

// Plan kinds.
const (
	PlanRegular    PlanKind = iota
	PlanTrial               // a first visit at a reduced price
	PlanMembership          // club membership with a yearly fee
	PlanExtra               // an add-on: sauna, towel, personal session
)

// Plan is a membership the club sells: what the desk can offer a client.
type Plan struct {
	ID    string
	Name  string
	Group string // the club's own grouping ("Swimming", "Gym")
	Kind  PlanKind
	Price Money
	// MembershipFee is charged on top of Price when the plan carries one
	// (annual club membership); zero otherwise.
	MembershipFee Money
	// Visits is the number of visits included; 0 means unlimited.
	Visits int
	// Days and Months give the validity; a plan sets one of them.
	Days   int
	Months int
	// StartsOnFirstVisit plans are sold "not started" and begin on the first
	// check-in.
	StartsOnFirstVisit bool
	Description        string
}

// Unlimited reports whether the plan has no visit limit.
func (p Plan) Unlimited() bool { return p.Visits == 0 }

// EndFor is the last valid day of the plan when it starts on start.
func (p Plan) EndFor(start Date) Date {
	switch {
	case p.Months > 0:
		return start.AddMonths(p.Months).AddDays(-1)
	case p.Days > 0:
		return start.AddDays(p.Days - 1)
	}
	return start
}

// MembershipState is where a client's membership stands.
type MembershipState int

// Membership states.
const (
	StateActive MembershipState = iota
	StateNotStarted
	StateFrozen
	StateExpired
)

// Membership is a plan sold to a client.
type Membership struct {
	ID       string
	ClientID string
	PlanID   string
	// Kind is the kind of plan it was sold from; add-ons (PlanExtra) are
	// not what a check-in takes a visit from.
	Kind  PlanKind
	Title string
	State MembershipState
	Start Date // zero for "starts on first visit" memberships not yet started
	End   Date // last valid day, inclusive; zero when open-ended
	// VisitsLeft and VisitsTotal are meaningful unless Unlimited.
	VisitsLeft  int
	VisitsTotal int
	Unlimited   bool
	FrozenUntil Date
	// AmountDue is what remains to be paid for this membership.
	AmountDue Money
	// Services are the membership's balances per service when the CRM keeps
	// them apart (YCLIENTS' abonement links: "Group classes: unlimited",
	// "Massage: 3 left"), for the row to show; empty when it keeps one
	// balance. VisitsLeft and Unlimited sum them up for the verdict.
	Services []ServiceBalance
}

// ServiceBalance is what a membership still holds for one service or one
// group of services.
type ServiceBalance struct {
	Title     string
	Left      int // meaningful unless Unlimited
	Unlimited bool
}

// EffectiveState is the state as of today in the club: a membership the
// provider still calls active is expired once its last day has passed, and
// a freeze that has ended leaves the membership active, or expired if its
// last day passed meanwhile.
func (m Membership) EffectiveState(today Date) MembershipState {
	st := m.State
	if st == StateFrozen && !m.FrozenUntil.IsZero() && m.FrozenUntil.Before(today) {
		st = StateActive
	}
	if st == StateActive && !m.End.IsZero() && m.End.Before(today) {
		return StateExpired
	}
	return st
}

// HasVisits reports whether a visit can be taken from the membership.
func (m Membership) HasVisits() bool { return m.Unlimited || m.VisitsLeft > 0 }

// Usable reports whether the client can come in on this membership today.
// A not-started membership is usable from its start date, or at once when it
// starts on the first visit.
func (m Membership) Usable(today Date) bool {
	switch m.EffectiveState(today) {
	case StateActive:
		return m.HasVisits() && (m.Start.IsZero() || !m.Start.After(today))
	case StateNotStarted:
		return m.HasVisits() && (m.Start.IsZero() || !m.Start.After(today)) &&
			(m.End.IsZero() || !m.End.Before(today))
	}
	return false
}

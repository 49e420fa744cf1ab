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

// HasValidity reports whether the plan says how long it lasts. A plan that
// does not implies no end: the desk never makes one up.
func (p Plan) HasValidity() bool { return p.Days > 0 || p.Months > 0 }

// PeriodFrom is the membership a sale starting on start gives: from the
// first visit (both zero) when the plan starts then, open-ended (end zero)
// when the plan says no validity, else start to EndFor(start).
func (p Plan) PeriodFrom(start Date) (from, to Date) {
	switch {
	case p.StartsOnFirstVisit:
		return Date{}, Date{}
	case !p.HasValidity():
		return start, Date{}
	}
	return start, p.EndFor(start)
}

// Period words the period a sale starting on start gives, for the review
// and result of a sale: "03.12.2026 – 02.01.2027", "from the first visit,
// 1 month", "from 03.12.2026, no end date".
func (p Plan) Period(start Date) Words {
	from, to := p.PeriodFrom(start)
	if from.IsZero() {
		w := Words{EN: "from the first visit", RU: "с первого посещения"}
		switch {
		case p.Months > 0:
			w = w.join(Words{EN: "%d month|%d months", RU: "%d мес."}.Count(p.Months))
		case p.Days > 0:
			w = w.join(Words{EN: "%d day|%d days", RU: "%d дн."}.Count(p.Days))
		}
		return w
	}
	return period(from, to)
}

// Period words the membership's period as the CRM gave it or its plan
// implies: "03.12.2026 – 02.01.2027", "from the first visit" (not started,
// no dates yet), "from 03.12.2026, no end date".
func (m Membership) Period() Words {
	if m.Start.IsZero() && m.End.IsZero() {
		return Words{EN: "from the first visit", RU: "с первого посещения"}
	}
	return period(m.Start, m.End)
}

func period(from, to Date) Words {
	switch {
	case to.IsZero():
		return Words{EN: "from %s, no end date", RU: "с %s, без даты окончания"}.Fill(from.Short())
	case from.IsZero():
		return Words{EN: "until %s", RU: "до %s"}.Fill(to.Short())
	}
	return Words{EN: from.Short() + " – " + to.Short(), RU: from.Short() + " – " + to.Short()}
}

func (w Words) join(o Words) Words { return Join([]Words{w, o}, ", ") }

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
	// DueUnknown says the provider could not tell what is owed (its
	// records could not be read, or do not say the price with the
	// discount): AmountDue is then no figure, and the desk says "unknown"
	// rather than "nothing owed".
	DueUnknown bool
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

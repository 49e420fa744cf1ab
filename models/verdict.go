package models

import (
	"slices"
	"time"
)

// Level is the colour of a verdict.
type Level int

// Verdict levels, from best to worst.
const (
	Green  Level = iota // come in
	Yellow              // come in, but say something
	Red                 // stop
)

// ReasonCode names why a verdict is what it is; the UI words it in the
// receptionist's language.
type ReasonCode int

// Reasons, roughly in the order a receptionist should read them.
const (
	ReasonBlocked       ReasonCode = iota // card blocked; Text is the club's reason
	ReasonDebt                            // Amount owed (Yellow when the amount is unknown)
	ReasonNoMembership                    // nothing to come in on
	ReasonExpired                         // Date: last valid day
	ReasonFrozen                          // Date: frozen until
	ReasonNoVisits                        // visits used up
	ReasonNotYetStarted                   // Date: first valid day
	ReasonCheckedIn                       // Since: already checked in that long ago
	ReasonEndsSoon                        // Date: last valid day, Days: days left
	ReasonLastVisit                       // one visit left
	ReasonBirthday                        // birthday today
	ReasonNote                            // Text: the club's note for reception
	ReasonActive                          // Date: valid until, Visits: left (-1 unlimited)
	// ReasonBlackList: the club filed the client under a black list; Text
	// is the tag's own name ("Black list", "Чёрный список"). Red.
	ReasonBlackList
)

// Reason is one line of a verdict.
type Reason struct {
	Code   ReasonCode
	Level  Level
	Text   string
	Date   Date
	Days   int
	Visits int
	Amount Money
	Since  time.Duration
}

// Verdict is what the desk says first when a client's card opens.
type Verdict struct {
	Level   Level
	Reasons []Reason
	// Use is the membership a check-in takes a visit from; nil when none is
	// usable.
	Use *Membership
	// LastCheckIn is the latest visit today, zero when none.
	LastCheckIn time.Time
}

// Thresholds of the yellow warnings.
const (
	EndsSoonDays   = 3
	RecentCheckIn  = 3 * time.Hour // a second check-in inside this window is questioned
	checkInHorizon = 24 * time.Hour
)

// VerdictInput is everything Judge looks at.
type VerdictInput struct {
	Client      Client
	Memberships []Membership
	Visits      []Visit
	Now         time.Time
	Location    *time.Location // the club's time zone
}

// Judge decides whether the client may come in, and why. It is pure: the
// same input gives the same verdict, which is what the golden tests rely on.
func Judge(in VerdictInput) Verdict {
	today := DateOf(in.Now, in.Location)
	var v Verdict
	add := func(r Reason) {
		v.Reasons = append(v.Reasons, r)
		v.Level = max(v.Level, r.Level)
	}

	c := in.Client
	if c.Blocked {
		add(Reason{Code: ReasonBlocked, Level: Red, Text: c.BlockReason})
	}
	if tag, ok := c.BlackListTag(); ok {
		add(Reason{Code: ReasonBlackList, Level: Red, Text: tag})
	}
	// A debt the CRM sent and the desk could not read is not zero: with a
	// debt known besides, the client owes and the total is unknown; alone,
	// the client may owe, and the receptionist checks.
	debt, unknown := Money{Currency: c.Debt.Currency}, c.Debt.Unknown
	if !unknown {
		debt = c.Debt
	}
	for _, m := range in.Memberships {
		if m.AmountDue.Unknown {
			unknown = true
			continue
		}
		debt = debt.Add(m.AmountDue)
	}
	switch {
	case debt.IsPositive() && unknown:
		add(Reason{Code: ReasonDebt, Level: Red, Amount: UnknownMoney(debt.Currency)})
	case debt.IsPositive():
		add(Reason{Code: ReasonDebt, Level: Red, Amount: debt})
	case unknown:
		add(Reason{Code: ReasonDebt, Level: Yellow, Amount: UnknownMoney(debt.Currency)})
	}

	if use := pickMembership(in.Memberships, today); use != nil {
		v.Use = use
		visits := use.VisitsLeft
		if use.Unlimited {
			visits = -1
		}
		add(Reason{Code: ReasonActive, Level: Green, Date: use.End, Visits: visits})
		if !use.End.IsZero() {
			if days := today.DaysUntil(use.End); days < EndsSoonDays {
				add(Reason{Code: ReasonEndsSoon, Level: Yellow, Date: use.End, Days: days})
			}
		}
		if !use.Unlimited && use.VisitsLeft == 1 {
			add(Reason{Code: ReasonLastVisit, Level: Yellow, Visits: 1})
		}
	} else {
		add(whyNoMembership(in.Memberships, today))
	}

	for _, vis := range in.Visits {
		if DateOf(vis.At, in.Location) == today && vis.At.After(v.LastCheckIn) && !vis.At.After(in.Now.Add(time.Minute)) {
			v.LastCheckIn = vis.At
		}
	}
	if !v.LastCheckIn.IsZero() {
		if since := in.Now.Sub(v.LastCheckIn); since < checkInHorizon {
			level := Yellow
			if since > RecentCheckIn {
				level = Green
			}
			add(Reason{Code: ReasonCheckedIn, Level: level, Since: since.Truncate(time.Minute)})
		}
	}
	if !c.Birthday.IsZero() && c.Birthday.SameDayOfYear(today) {
		add(Reason{Code: ReasonBirthday, Level: Yellow})
	}
	if c.Note != "" {
		add(Reason{Code: ReasonNote, Level: Yellow, Text: c.Note})
	}
	slices.SortStableFunc(v.Reasons, func(a, b Reason) int { return int(b.Level) - int(a.Level) })
	return v
}

// pickMembership chooses the membership a visit is taken from: among the
// usable ones, the one that ends first, so that nothing the client paid for
// expires unused. Add-ons (a sauna pass) count only when nothing else does.
func pickMembership(ms []Membership, today Date) *Membership {
	var best *Membership
	for i := range ms {
		m := &ms[i]
		if !m.Usable(today) {
			continue
		}
		if best == nil || best.Kind == PlanExtra && m.Kind != PlanExtra ||
			(best.Kind == PlanExtra) == (m.Kind == PlanExtra) && endsBefore(*m, *best) {
			best = m
		}
	}
	if best == nil {
		return nil
	}
	use := *best
	return &use
}

func endsBefore(a, b Membership) bool {
	switch {
	case a.End.IsZero():
		return false
	case b.End.IsZero():
		return true
	}
	return a.End.Before(b.End)
}

// whyNoMembership explains the most relevant reason nothing is usable: the
// most recently ending membership speaks for the client.
func whyNoMembership(ms []Membership, today Date) Reason {
	if len(ms) == 0 {
		return Reason{Code: ReasonNoMembership, Level: Red}
	}
	latest := ms[0]
	for _, m := range ms[1:] {
		if endsBefore(latest, m) {
			latest = m
		}
	}
	// A frozen or future membership explains more than an old expired one.
	for _, m := range ms {
		switch st := m.EffectiveState(today); {
		case st == StateFrozen:
			return Reason{Code: ReasonFrozen, Level: Red, Date: m.FrozenUntil, Text: m.Title}
		case (st == StateNotStarted || st == StateActive) && m.Start.After(today):
			return Reason{Code: ReasonNotYetStarted, Level: Red, Date: m.Start, Text: m.Title}
		case (st == StateActive || st == StateNotStarted) && !m.HasVisits():
			return Reason{Code: ReasonNoVisits, Level: Red, Text: m.Title}
		}
	}
	return Reason{Code: ReasonExpired, Level: Red, Date: latest.End, Text: latest.Title}
}

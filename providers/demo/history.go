package demo

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/clubdesk/clubdesk/models"
)

// A generated client's memberships and visits are made the first time
// anything needs them (opening the card, booking them into a lesson, a
// shift report for a past day), from a seed of their own, so New stays
// fast and the result does not depend on the order clients are looked at.
// Everything is placed relative to the club's day at New: the generator
// never sells or visits on that day or later; the morning of that day is
// played by openDay.

const seedHistory = 0x68697374_6f727921 // "history!"

// historyWindow is how far back generated visits go.
const historyWindow = 90

// addMembership gives cl a membership of plan p from start, active and
// unused. It returns a pointer into cl.ms: change it before the next
// membership is added.
func (c *Club) addMembership(cl *client, p models.Plan, start models.Date) *models.Membership {
	m := models.Membership{
		ID:          "M" + cl.ID + "-" + strconv.Itoa(len(cl.ms)+1),
		ClientID:    cl.ID,
		PlanID:      p.ID,
		Kind:        p.Kind,
		Title:       p.Name,
		State:       models.StateActive,
		Start:       start,
		End:         p.EndFor(start),
		VisitsLeft:  p.Visits,
		VisitsTotal: p.Visits,
		Unlimited:   p.Unlimited(),
		AmountDue:   rub(0),
	}
	cl.ms = append(cl.ms, m)
	return &cl.ms[len(cl.ms)-1]
}

// addVisits records visits, numbering them, keeping cl.visits in time order
// and counting them into the day's check-ins.
func (c *Club) addVisits(cl *client, vs []models.Visit) {
	for i := range vs {
		vs[i].ID = "V" + cl.ID + "-" + strconv.Itoa(len(cl.visits)+cl.undone+1)
		vs[i].ClientID = cl.ID
		cl.visits = append(cl.visits, vs[i])
		c.totals(models.DateOf(vs[i].At, c.loc)).checkIns++
	}
	slices.SortStableFunc(cl.visits, func(a, b models.Visit) int { return a.At.Compare(b.At) })
}

// visitTime is when someone comes on day d: before work, at lunch or, most
// often, after work.
func visitTime(rng *rand.Rand, d models.Date, loc *time.Location) time.Time {
	var h int
	switch r := rng.IntN(100); {
	case r < 35:
		h = 7 + rng.IntN(3)
	case r < 55:
		h = 11 + rng.IntN(5)
	default:
		h = 17 + rng.IntN(4)
	}
	return d.In(loc).Add(time.Duration(h)*time.Hour + time.Duration(rng.IntN(60))*time.Minute)
}

// startFor is the first day of a plan that ends on end.
func startFor(p models.Plan, end models.Date) models.Date {
	if p.Months > 0 {
		return end.AddDays(1).AddMonths(-p.Months)
	}
	return end.AddDays(1 - max(p.Days, 1))
}

// ensureHistory makes a generated client's memberships and past visits:
// three in four have a current membership (a few of those frozen, not yet
// started or with money owed), most others let theirs lapse, a few never
// bought more than a trial.
func (c *Club) ensureHistory(cl *client) {
	if cl.hasHist {
		return
	}
	cl.hasHist = true
	if cl.gen < 0 {
		return
	}
	rng := rand.New(rand.NewPCG(seedHistory, uint64(cl.gen)))
	b := c.base
	mix := adultMix
	if cl.kid {
		mix = kidsMix
	}
	pick := func() models.Plan { p, _ := c.plan(pickWeighted(mix, rng.IntN(1000))); return p }

	type spec struct {
		p     models.Plan
		start models.Date
	}
	var specs []spec // newest first
	current := false
	switch r := rng.IntN(100); {
	case r < 5:
		if !cl.kid && rng.IntN(2) == 0 {
			p, _ := c.plan(planTrial)
			specs = append(specs, spec{p, b.AddDays(-30 - rng.IntN(300))})
		}
	case r < 25:
		p := pick()
		specs = append(specs, spec{p, startFor(p, b.AddDays(-1-rng.IntN(150)))})
	default:
		p := pick()
		span := b.DaysUntil(p.EndFor(b)) + 1
		specs = append(specs, spec{p, b.AddDays(-rng.IntN(span))})
		current = true
	}
	if len(specs) > 0 && specs[0].p.ID != planTrial {
		for range rng.IntN(3) {
			next := specs[len(specs)-1]
			p := next.p
			if rng.IntN(100) >= 60 {
				p = pick()
			}
			specs = append(specs, spec{p, startFor(p, next.start.AddDays(-1-rng.IntN(25)))})
		}
	}

	for i := len(specs) - 1; i >= 0; i-- {
		s := specs[i]
		m := c.addMembership(cl, s.p, s.start)
		if i > 0 || !current {
			m.State = models.StateExpired
			if !m.Unlimited {
				m.VisitsLeft = min(rng.IntN(3), m.VisitsTotal-1)
			}
		} else {
			c.shapeCurrent(rng, m, s.p)
		}
		c.recordGeneratedSale(rng, *m, s.p)
		c.historyVisits(rng, cl, *m)
	}
}

// shapeCurrent gives a current membership its wear and its rare troubles.
func (c *Club) shapeCurrent(rng *rand.Rand, m *models.Membership, p models.Plan) {
	b := c.base
	span := m.Start.DaysUntil(m.End) + 1
	elapsed := m.Start.DaysUntil(b)
	if !m.Unlimited {
		used := int(float64(m.VisitsTotal) * float64(elapsed) / float64(span) * (0.6 + 0.6*rng.Float64()))
		m.VisitsLeft = m.VisitsTotal - min(max(used, 0), m.VisitsTotal)
	}
	switch r := rng.IntN(100); {
	case r < 4:
		m.State = models.StateFrozen
		m.FrozenUntil = b.AddDays(3 + rng.IntN(19))
		m.End = m.End.AddDays(b.DaysUntil(m.FrozenUntil) + 1)
	case r < 7:
		m.Start = b.AddDays(1 + rng.IntN(10))
		m.End = p.EndFor(m.Start)
		m.State, m.VisitsLeft = models.StateNotStarted, m.VisitsTotal
	case r < 12:
		total := p.Price.Add(p.MembershipFee)
		due := total.Minor * int64(20+rng.IntN(41)) / 100
		m.AmountDue = models.Money{Minor: due - due%10000, Currency: currency}
	case r < 18 && p.StartsOnFirstVisit:
		m.Start, m.End = models.Date{}, models.Date{}
		m.State, m.VisitsLeft = models.StateNotStarted, m.VisitsTotal
	}
}

// recordGeneratedSale puts a generated membership's sale in the ledger, on
// a day before the club's day.
func (c *Club) recordGeneratedSale(rng *rand.Rand, m models.Membership, p models.Plan) {
	sold := m.Start.AddDays(-rng.IntN(3))
	if m.Start.IsZero() {
		sold = c.base.AddDays(-1 - rng.IntN(20))
	}
	if !sold.Before(c.base) {
		sold = c.base.AddDays(-1 - rng.IntN(5))
	}
	paid := p.Price.Add(p.MembershipFee).Sub(m.AmountDue)
	method := models.PayCard
	switch r := rng.IntN(100); {
	case r < 30:
		method = models.PayCash
	case r < 40:
		method = models.PayTransfer
	case r < 47:
		method = models.PayDeposit
	case r < 50:
		method = models.PayOther
	}
	var pays []models.Payment
	if paid.IsPositive() {
		pays = []models.Payment{{Method: method, Amount: paid}}
	}
	c.recordSale(sold, pays)
}

// historyVisits places the visits a membership has had within the last
// historyWindow days: its used visits, or two or three a week when it is
// unlimited.
func (c *Club) historyVisits(rng *rand.Rand, cl *client, m models.Membership) {
	if m.Start.IsZero() {
		return
	}
	from, to := m.Start, m.End
	if w := c.base.AddDays(-historyWindow); from.Before(w) {
		from = w
	}
	if y := c.base.AddDays(-1); to.IsZero() || to.After(y) {
		to = y
	}
	if to.Before(from) {
		return
	}
	days := from.DaysUntil(to) + 1
	n := days * (1 + rng.IntN(3)) / 7
	if !m.Unlimited {
		n = m.VisitsTotal - m.VisitsLeft
		if all := m.Start.DaysUntil(to) + 1; all > days {
			n = n * days / all // the rest fell before the window
		}
	}
	n = min(n, days, 20)
	if n <= 0 {
		return
	}
	vs := make([]models.Visit, n)
	for i := range vs {
		vs[i] = models.Visit{At: visitTime(rng, from.AddDays(rng.IntN(days)), c.loc), MembershipID: m.ID}
	}
	c.addVisits(cl, vs)
}

// ensureAll makes every client's history: a shift report for a past day
// needs everyone's visits and sales.
func (c *Club) ensureAll() {
	for ci := range c.clients {
		c.ensureHistory(c.client(int32(ci)))
	}
}

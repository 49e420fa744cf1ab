package demo

import (
	"math/rand/v2"
	"time"

	"github.com/clubdesk/clubdesk/models"
)

// openDay makes the club's day up to now, so the desk opens on a day
// already under way: today's timetable with the showcase clients booked,
// the lessons that have begun marked, people who came in since opening,
// a few memberships sold and the showcase client who checked in twelve
// minutes ago. Given the same clock it plays out the same way.
func (c *Club) openDay(now time.Time) {
	dd, rng := c.buildDay(c.base)
	c.days[c.base] = dd
	opening := c.base.In(c.loc).Add(7 * time.Hour)

	if l := nearest(dd, opening.Add(5*time.Hour), false, dd.full); l != nil {
		l.add(c.find(idGreen).idx, models.Booked)
	}
	if l := nearest(dd, now, true, nil); l != nil && l.End.After(now) {
		l.add(c.find(idKid).idx, models.Booked)
	}
	// Darya came twelve minutes ago, for the class that is about to begin
	// or has just begun, if there is one.
	visitor := c.find(idCheckedIn)
	var vl *lesson
	var vb *booking
	if l := nearest(dd, now, false, nil); l != nil && absDur(l.Start.Sub(now)) <= 45*time.Minute {
		vl, vb = l, l.add(visitor.idx, models.Booked)
	}
	c.fillDay(dd, rng)

	for _, l := range dd.lessons {
		if l.Cancelled || l.Start.After(now) {
			continue
		}
		for _, b := range l.bookings {
			if b.status != models.Booked || int(b.ci) < len(showcase) {
				continue
			}
			if rng.IntN(100) < 15 {
				b.att = models.NoShow
				continue
			}
			at := l.Start.Add(-time.Duration(5+rng.IntN(16)) * time.Minute)
			c.walkIn(c.client(b.ci), later(at, c.base.In(c.loc)), l, b)
		}
	}
	if span := now.Sub(opening); span > 10*time.Minute {
		c.morningTraffic(rng, opening, now, span)
	}

	at := later(now.Add(-12*time.Minute), c.base.In(c.loc))
	_, _ = c.admit(visitor, bestMembership(visitor.ms, c.base), vl, vb, at)
}

// morningTraffic lets in people without a booking, five or so an hour,
// and sells a membership every hour and a half or so.
func (c *Club) morningTraffic(rng *rand.Rand, opening, now time.Time, span time.Duration) {
	randomTime := func() time.Time {
		return opening.Add(time.Duration(rng.Int64N(int64(span - 5*time.Minute))))
	}
	for range int(span.Hours() * 5) {
		cl := c.client(c.adults[rng.IntN(len(c.adults))])
		c.ensureHistory(cl)
		if !c.cameToday(cl) {
			c.walkIn(cl, randomTime(), nil, nil)
		}
	}
	for range int(span.Hours() / 1.5) {
		cl := c.client(c.adults[rng.IntN(len(c.adults))])
		c.ensureHistory(cl)
		p, _ := c.plan(pickWeighted(adultMix, rng.IntN(1000)))
		total := p.Price.Add(p.MembershipFee)
		method := models.PayCard
		if rng.IntN(100) < 35 {
			method = models.PayCash
		}
		at := randomTime()
		c.sell(cl, p, c.base, []models.Payment{{Method: method, Amount: total}}, at)
		if !c.cameToday(cl) {
			c.walkIn(cl, at.Add(3*time.Minute), nil, nil)
		}
	}
}

// walkIn admits a generated client the way the desk would: on their best
// membership, if they have one usable.
func (c *Club) walkIn(cl *client, at time.Time, l *lesson, b *booking) {
	if mi := bestMembership(cl.ms, c.base); mi >= 0 {
		_, _ = c.admit(cl, mi, l, b, at)
	}
}

// cameToday reports whether the client has a visit on the club's day.
func (c *Club) cameToday(cl *client) bool {
	n := len(cl.visits)
	return n > 0 && models.DateOf(cl.visits[n-1].At, c.loc) == c.base
}

// nearest is the lesson starting closest to t, of children or adults, not
// cancelled and not skip.
func nearest(dd *day, t time.Time, kids bool, skip *lesson) *lesson {
	var best *lesson
	for _, l := range dd.lessons {
		if l.kids != kids || l.Cancelled || l == skip {
			continue
		}
		if best == nil || absDur(l.Start.Sub(t)) < absDur(best.Start.Sub(t)) {
			best = l
		}
	}
	return best
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

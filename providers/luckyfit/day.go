package luckyfit

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// The day read: LuckyFit's card has no "bookings of a client" call it can
// count on (assumption 17), so the desk keeps today's timetable and every
// roster, read in the background from the moment the console starts (Warm)
// and kept up to date cheaply: the feed is read again ahead of expiry, and
// only the rosters whose booked count moved are read again. A booking made
// here updates its one roster. A roster that cannot be read (a deadline, a
// refusal) is just not known yet: the card is answered with what is known,
// and says so (providers.ErrPartial). Where the account takes client_id
// and cards are few, the day is not kept young past rosterMaxAge: cards
// then ask directly (stale, assumption 18).

const (
	// rosterTTL is how long the day's feed is trusted: another desk's
	// booking reaches a card within it (doc.go, assumption 18).
	rosterTTL = time.Minute
	// refreshAfter is the feed's age past which a card starts its read
	// again in the background. It is the TTL less the time a refresh may
	// take (the feed and the rosters whose count moved: a few round trips;
	// feedTimeout is the worst), so a steady queue keeps the day current
	// with one feed a minute (issue 16: at half the TTL a card every 20 s
	// read the feed every 40 s). A refresh that has not ended when the
	// TTL passes costs a card the direct call, never its answer.
	refreshAfter = rosterTTL - 15*time.Second
	// rosterMaxAge is how long a roster whose booked count did not move is
	// trusted (a feed that gives no counts, a swap of one booking for
	// another). Past it the roster is read again, unless the account takes
	// client_id and cards come slower than that costs (keepsYoung): then
	// the day stops answering cards, which ask directly (stale).
	rosterMaxAge = 10 * time.Minute
	// feedTimeout bounds the day read's feed, which no caller waits for.
	feedTimeout = 20 * time.Second
	// rosterParallel rosters are read at a time.
	rosterParallel = 4
	// retryPause is the least time after a day read that left something
	// unread (a roster, the feed) before the next one starts.
	retryPause = 5 * time.Second
)

// rosterTimeout bounds one roster of the day read: one that takes longer
// is not known this time (a variable: tests shorten it).
var rosterTimeout = 10 * time.Second

// rosterState is one lesson's roster as the day read last saw it.
type rosterState struct {
	at       time.Time // when it was read; zero: never
	count    int       // how many bookings it had then, to compare with the feed's count
	bookings []models.Booking
	dirty    bool // the feed's count moved since, or it is too old: read it again
	failed   bool // its last read failed
	gen      int  // bumped by a local change (a booking), so an older read in flight does not undo it
}

// dayState is one day's lessons and rosters. Its fields are c.mu's.
type dayState struct {
	from, to time.Time
	feedAt   time.Time // when the feed now held was read; zero: never
	// failedAt is when the last read that left something unread started
	// (zero when the last read read everything).
	failedAt time.Time
	lessons  []models.Lesson
	rosters  map[string]*rosterState
	// reading is closed when the read under way ends; nil when none is.
	reading chan struct{}
	// feedRead is closed once the feed has been read (or failed) for the
	// first time: the direct call waits for it to know the day's lessons.
	feedRead chan struct{}
	feedOnce sync.Once
}

func dayKey(from, to time.Time) string {
	return strconv.FormatInt(from.Unix(), 10) + "-" + strconv.FormatInt(to.Unix(), 10)
}

// dayFor is the day [from, to), made empty when new. c.mu is held.
func (c *Client) dayFor(from, to time.Time) *dayState {
	key := dayKey(from, to)
	if d, ok := c.days[key]; ok {
		return d
	}
	// Yesterday's day is of no use any more.
	for k, d := range c.days {
		if d.to.Before(from) && d.reading == nil {
			delete(c.days, k)
		}
	}
	d := &dayState{from: from, to: to, rosters: map[string]*rosterState{}, feedRead: make(chan struct{})}
	c.days[key] = d
	return d
}

// Warm implements providers.Warmer: it starts reading today's timetable and
// rosters, so the first client's card finds them read.
func (c *Client) Warm() { c.prefetchToday() }

// prefetchToday starts reading today's lessons and rosters unless they are
// fresh or on their way.
func (c *Client) prefetchToday() {
	from, to := models.DateOf(c.now(), c.loc).Bounds(c.loc)
	c.mu.Lock()
	d := c.dayFor(from, to)
	c.mu.Unlock()
	c.refreshDue(d)
}

// refreshDue starts a read of d in the background when its feed is older
// than refreshAfter (or was never read), or a roster is to be read again,
// unless a read is under way; a stale day's feed only past rosterMaxAge.
// It returns the read under way, if any.
func (c *Client) refreshDue(d *dayState) chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.noDayRead {
		return nil
	}
	if d.reading != nil {
		return d.reading
	}
	now := c.now()
	due := d.feedAt.IsZero() || now.Sub(d.feedAt) > refreshAfter
	if c.stale(d, now) {
		// No card picks from this day any more: its feed is kept for the
		// lessons the direct answers are mapped to, read once in a while.
		due = d.feedAt.IsZero() || now.Sub(d.feedAt) > rosterMaxAge
	} else if !due {
		for _, r := range d.rosters {
			if r.dirty || r.failed || r.at.IsZero() {
				due = true
				break
			}
		}
	}
	if !due {
		return nil
	}
	if !d.failedAt.IsZero() && now.Sub(d.failedAt) < retryPause {
		// A read moments ago left something unread: do not hammer a CRM
		// that is slow or down; a card after the pause retries.
		return nil
	}
	d.reading = make(chan struct{})
	go c.readDay(d, d.reading)
	return d.reading
}

// readDay reads the feed, then the rosters that are missing, failed, moved
// or old, rosterParallel at a time, soonest lessons first; each roster is
// kept as it arrives, so what is known grows while the read goes on.
func (c *Client) readDay(d *dayState, done chan struct{}) {
	at := c.now()
	failed := false
	defer func() {
		c.mu.Lock()
		d.reading = nil
		d.failedAt = time.Time{}
		if failed {
			d.failedAt = at
		}
		c.mu.Unlock()
		close(done)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), feedTimeout)
	lessons, err := c.feed(ctx, d.from, d.to)
	cancel()
	if err != nil {
		c.log.Debug("luckyfit: day feed", "err", err)
		failed = true
		d.feedOnce.Do(func() { close(d.feedRead) })
		return
	}
	c.mu.Lock()
	jobs := d.takeFeed(lessons, at, c.keepsYoung(d, at))
	if c.stale(d, at) {
		jobs = nil // cards ask directly: no roster is worth reading
	}
	c.mu.Unlock()
	d.feedOnce.Do(func() { close(d.feedRead) })

	// The lessons still to come matter first: their clients are arriving.
	slices.SortStableFunc(jobs, func(a, b job) int {
		ae, be := a.lesson.End.Before(at), b.lesson.End.Before(at)
		switch {
		case ae == be:
			return a.lesson.Start.Compare(b.lesson.Start)
		case ae:
			return 1
		}
		return -1
	})
	sem := make(chan struct{}, rosterParallel)
	var wg sync.WaitGroup
	for _, j := range jobs {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			rctx, rcancel := context.WithTimeout(context.Background(), rosterTimeout)
			bookings, err := c.roster(rctx, j.lesson.ID)
			rcancel()
			c.mu.Lock()
			defer c.mu.Unlock()
			r := d.rosters[j.lesson.ID]
			switch {
			case r == nil:
			case err != nil:
				r.failed, failed = true, true
			case r.gen != j.gen:
				// Changed here while this read was on its way: what it read
				// may predate the change; read it again next time.
				r.dirty = true
			default:
				r.at, r.count, r.bookings, r.dirty, r.failed = at, len(bookings), bookings, false, false
				if len(bookings) > 0 && c.direct == directUntried && !c.probing {
					// The first booked client read settles client_id.
					c.probing = true
					go c.probeDirect(d, bookings[0].ClientID)
				}
			}
		}()
	}
	wg.Wait()
}

// job is a roster the day read is to read, with its generation then.
type job struct {
	lesson models.Lesson
	gen    int
}

// takeFeed makes a feed read at at the day's: the rosters of new lessons,
// or whose count moved, or that are old (when reReadOld), are to be read
// (the jobs returned); those of lessons gone are dropped. c.mu is held.
func (d *dayState) takeFeed(lessons []models.Lesson, at time.Time, reReadOld bool) []job {
	var jobs []job
	d.lessons, d.feedAt = lessons, at
	keep := make(map[string]bool, len(lessons))
	for _, l := range lessons {
		keep[l.ID] = true
		r := d.rosters[l.ID]
		if r == nil {
			r = &rosterState{}
			d.rosters[l.ID] = r
		}
		if !r.at.IsZero() && (l.Booked != r.count || reReadOld && at.Sub(r.at) > rosterMaxAge) {
			r.dirty = true
		}
		if r.at.IsZero() || r.dirty || r.failed {
			jobs = append(jobs, job{lesson: l, gen: r.gen})
		}
	}
	for id := range d.rosters {
		if !keep[id] {
			delete(d.rosters, id) // gone from the timetable
		}
	}
	return jobs
}

// feedSeen hands a feed the desk read (the timetable) to the day it is,
// unless that day's own read is under way: a roster whose count moved is
// read again at the next refresh.
func (c *Client) feedSeen(from, to time.Time, lessons []models.Lesson, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.days[dayKey(from, to)]
	if !ok || d.reading != nil || d.feedAt.IsZero() || at.Before(d.feedAt) {
		return
	}
	d.takeFeed(slices.Clone(lessons), at, c.keepsYoung(d, at)) // the caller keeps its own
}

// known is what d holds of the client's bookings in [from, to), by lesson
// start, and how many lessons' rosters are not known or not current. c.mu
// is held.
func (d *dayState) known(clientID string) (out []models.Booking, missing int) {
	for _, l := range d.lessons {
		r := d.rosters[l.ID]
		if r == nil || r.at.IsZero() || r.dirty || r.failed {
			missing++
		}
		if r == nil {
			continue
		}
		for _, b := range r.bookings {
			if b.ClientID == clientID {
				b.Lesson = l
				out = append(out, b)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b models.Booking) int { return a.Lesson.Start.Compare(b.Lesson.Start) })
	return out, missing
}

// complete reports whether d knows every roster of a feed that is still
// trusted, and is not stale (c.stale). c.mu is held.
func (d *dayState) complete(now time.Time, stale bool) bool {
	if d.feedAt.IsZero() || now.Sub(d.feedAt) > rosterTTL || stale {
		return false
	}
	_, missing := d.known("")
	return missing == 0
}

// stale reports whether d has stopped answering cards: a roster of d is
// past rosterMaxAge and d is not kept young (keepsYoung). c.mu is held.
func (c *Client) stale(d *dayState, now time.Time) bool {
	return !c.keepsYoung(d, now) && d.old(now) > 0
}

// keepsYoung reports whether d's rosters are read again once past
// rosterMaxAge: always where the account refuses client_id (they are the
// only source); where it takes it, only while cards come faster than
// rereading costs — more cards asked in the last rosterMaxAge than d has
// lessons (a service with many desks). Else a card's direct call, one
// request, is cheaper than reading the whole day again every ten minutes
// (203 requests at a big club: 7 a card in a queue of one every 20 s,
// issue 16). c.mu is held.
func (c *Client) keepsYoung(d *dayState, now time.Time) bool {
	if c.direct != directWorks {
		return true
	}
	n := 0
	for _, at := range c.asks {
		if now.Sub(at) <= rosterMaxAge {
			n++
		}
	}
	return n > len(d.lessons)
}

// asked counts a card's ask for bookings at at (keepsYoung), and forgets
// those past rosterMaxAge. c.mu is held.
func (c *Client) asked(at time.Time) {
	i := 0
	for i < len(c.asks) && at.Sub(c.asks[i]) > rosterMaxAge {
		i++
	}
	c.asks = append(c.asks[i:], at)
}

// old counts the rosters of d read longer than rosterMaxAge ago. c.mu is
// held.
func (d *dayState) old(now time.Time) int {
	n := 0
	for _, l := range d.lessons {
		if r := d.rosters[l.ID]; r != nil && !r.at.IsZero() && now.Sub(r.at) > rosterMaxAge {
			n++
		}
	}
	return n
}

// notKept counts the lessons whose roster is not known, not current, or
// past rosterMaxAge. c.mu is held.
func (d *dayState) notKept(now time.Time) int {
	n := 0
	for _, l := range d.lessons {
		r := d.rosters[l.ID]
		if r == nil || r.at.IsZero() || r.dirty || r.failed || now.Sub(r.at) > rosterMaxAge {
			n++
		}
	}
	return n
}

// stillReading words the partial answer: how many of the day's lessons'
// rosters are not known yet.
var stillReading = providers.Words{
	EN: "still reading today's rosters: %d of %d lessons not known yet",
	RU: "записи на сегодня ещё читаются: не известны %d из %d занятий",
}

// unknownDay words a partial answer when not even the timetable is known.
var unknownDay = providers.Words{
	EN: "today's bookings are still being read",
	RU: "записи на сегодня ещё читаются",
}

// partial is the ErrPartial that goes with what d knows.
func partial(missing, total int) error {
	if total == 0 {
		return providers.Refusal(providers.ErrPartial, "client bookings", unknownDay)
	}
	return providers.Refusal(providers.ErrPartial, "client bookings", stillReading, missing, total)
}

// rosterRead keeps a roster the desk read (the roster screen) in the day it
// belongs to: it is as fresh as can be.
func (c *Client) rosterRead(lessonID string, bookings []models.Booking, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range c.days {
		if r, ok := d.rosters[lessonID]; ok {
			r.at, r.count, r.bookings, r.dirty, r.failed = at, len(bookings), bookings, false, false
			r.gen++
		}
	}
}

// booked puts a booking made here into its roster, and counts it in the
// lesson, so the next feed's count agrees and the roster is not read again.
func (c *Client) booked(b models.Booking) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.lessons[b.Lesson.ID]; ok {
		e.lesson.Booked++
		c.lessons[b.Lesson.ID] = e
	}
	for _, d := range c.days {
		r, ok := d.rosters[b.Lesson.ID]
		if !ok {
			continue
		}
		for i := range d.lessons {
			if d.lessons[i].ID == b.Lesson.ID {
				d.lessons[i].Booked++
			}
		}
		r.gen++
		if r.at.IsZero() {
			continue // not read yet: the read will bring it
		}
		r.bookings = append(slices.Clip(r.bookings), b)
		r.count++
	}
}

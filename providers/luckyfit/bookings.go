package luckyfit

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// directMode is what this session knows of GET /lesson_calendar_bookings
// filtered by client_id (assumption 17).
type directMode int

const (
	directUntried directMode = iota // not settled: tried, answers checked
	directWorks                     // an answer held only the client's bookings, and all of them
	directRefused                   // refused, or answered other clients' bookings or missed known ones
)

// ClientBookings is the client's bookings for lessons starting in [from,
// to). LuckyFit documents no "bookings of a client" call, so:
//
//   - when the day's rosters are all known and current (the day read,
//     started with the console), they answer at once, with no request;
//   - else, unless this account refused it, the client's bookings are
//     asked for directly (client_id on /lesson_calendar_bookings, one
//     request) and kept to the day's lessons;
//   - else the answer is what the day read knows so far, after waiting for
//     it one and a half round trips at most, with providers.ErrPartial
//     saying how much is not known yet. A roster that timed out never fails
//     the card.
func (c *Client) ClientBookings(ctx context.Context, clientID string, from, to time.Time) ([]models.Booking, error) {
	// The wait for what the day read does not know yet is counted from
	// now: a refused direct call is part of it.
	deadline := time.Now().Add(max(3*c.rtt()/2, minWait))
	c.mu.Lock()
	d := c.dayFor(from, to)
	c.asked(c.now())
	c.mu.Unlock()
	reading := c.refreshDue(d)
	c.mu.Lock()
	if d.complete(c.now(), c.stale(d, c.now())) {
		out, _ := d.known(clientID)
		c.mu.Unlock()
		return out, nil
	}
	mode := c.direct
	c.mu.Unlock()
	if mode != directRefused {
		out, err := c.askDirect(ctx, d, clientID)
		if err == nil {
			return out, nil
		}
		if ctx.Err() != nil {
			return nil, err
		}
		c.log.Debug("luckyfit: client bookings, direct", "err", err)
	}
	// What the day read knows; a read under way may finish in a moment.
	if reading != nil && time.Until(deadline) > 0 {
		wait := time.NewTimer(time.Until(deadline))
		select {
		case <-reading:
		case <-wait.C:
		case <-ctx.Done():
		}
		wait.Stop()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out, missing := d.known(clientID)
	if c.stale(d, c.now()) {
		missing = d.notKept(c.now()) // not kept up: the direct call failed
	}
	if missing == 0 && !d.feedAt.IsZero() {
		return out, nil
	}
	return out, partial(missing, len(d.lessons))
}

// minWait is the least a card waits for a day read under way to end.
const minWait = 50 * time.Millisecond

// askDirect is bookingsOf for a card; while the filter is not proven, it
// stands for the probe (c.probing), so the two are not sent at once.
func (c *Client) askDirect(ctx context.Context, d *dayState, clientID string) ([]models.Booking, error) {
	c.mu.Lock()
	stands := c.direct == directUntried && !c.probing
	if stands {
		c.probing = true
	}
	c.mu.Unlock()
	if stands {
		defer func() {
			c.mu.Lock()
			c.probing = false
			c.mu.Unlock()
		}()
	}
	return c.bookingsOf(ctx, d, clientID)
}

// errIgnoredFilter: the account answered the client_id query with other
// clients' bookings, or without bookings its rosters show.
var errIgnoredFilter = errors.New("client_id filter not applied")

// bookingsOf asks LuckyFit for the client's bookings directly and keeps
// those of d's lessons. An answer is checked against what the day read
// knows: one that holds other clients' bookings, or misses one a roster
// shows, means this account does not filter by client, and the desk stops
// asking (directRefused). Until an answer has proven the filter, an empty
// one proves nothing, and is not taken.
func (c *Client) bookingsOf(ctx context.Context, d *dayState, clientID string) ([]models.Booking, error) {
	var ws []wireBooking
	err := c.get(ctx, "client bookings", "/lesson_calendar_bookings", map[string]any{"client_id": clientID}, &ws)
	if err != nil {
		if refusedFilter(err) {
			c.settleDirect(directRefused, err)
		}
		return nil, err
	}
	for _, w := range ws {
		if string(w.ClientID) != clientID || w.LessonCalendarID == "" {
			c.settleDirect(directRefused, errIgnoredFilter)
			return nil, errIgnoredFilter
		}
	}
	// The day's lessons say which bookings are the day's; the feed has
	// been on its way since the console started (or the card lookup).
	select {
	case <-d.feedRead:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d.feedAt.IsZero() {
		return nil, errors.New("client bookings: the day's timetable is not read")
	}
	lessons := make(map[string]models.Lesson, len(d.lessons))
	for _, l := range d.lessons {
		lessons[l.ID] = l
	}
	var out []models.Booking
	got := map[string]bool{}
	for _, w := range ws {
		l, ok := lessons[string(w.LessonCalendarID)]
		if !ok {
			continue // another day's
		}
		got[l.ID] = true
		out = append(out, w.model(l))
	}
	known, _ := d.known(clientID)
	for _, b := range known {
		// Once proven, a roster read earlier is what is out of date.
		if c.direct != directWorks && !got[b.Lesson.ID] {
			c.direct = directRefused
			c.log.Info("luckyfit: /lesson_calendar_bookings does not filter by client_id here; reading rosters instead")
			return nil, errIgnoredFilter
		}
	}
	switch {
	case len(ws) > 0:
		c.direct = directWorks
	case c.direct != directWorks:
		return nil, errors.New("client bookings: an empty answer before the filter is proven")
	}
	slices.SortStableFunc(out, func(a, b models.Booking) int { return a.Lesson.Start.Compare(b.Lesson.Start) })
	return out, nil
}

// refusedFilter tells the account's refusal of the client_id query (its
// own words, a 4xx, an answer it cannot give) from a line that failed.
func refusedFilter(err error) bool {
	var pe *providers.Error
	if errors.As(err, &pe) && pe.Status >= 400 && pe.Status < 500 && pe.Status != http.StatusTooManyRequests &&
		pe.Status != http.StatusUnauthorized && pe.Status != http.StatusForbidden {
		return true
	}
	return errors.Is(err, providers.ErrValidation) || errors.Is(err, providers.ErrNotFound) || errors.Is(err, providers.ErrBadAnswer)
}

// settleDirect records what this session learnt of the direct call.
func (c *Client) settleDirect(m directMode, why error) {
	c.mu.Lock()
	was := c.direct
	if was != directRefused {
		c.direct = m
	}
	c.mu.Unlock()
	if m == directRefused && was != directRefused {
		c.log.Info("luckyfit: /lesson_calendar_bookings by client_id refused; reading rosters instead", "why", why)
	}
}

// probeDirect settles the direct call with a booked client the day read
// has just read: one request, in the background, so that the cards after
// it know whether to ask directly or to wait for rosters. c.probing was
// set by the caller.
func (c *Client) probeDirect(d *dayState, clientID string) {
	ctx, cancel := context.WithTimeout(context.Background(), rosterTimeout)
	defer cancel()
	if _, err := c.bookingsOf(ctx, d, clientID); err != nil {
		c.log.Debug("luckyfit: client bookings probe", "err", err)
	}
	c.mu.Lock()
	c.probing = false
	c.mu.Unlock()
}

// rtt is the round trip LuckyFit's answers have been taking (a moving
// average), or 200 ms before any came.
func (c *Client) rtt() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rttAvg == 0 {
		return 200 * time.Millisecond
	}
	return c.rttAvg
}

// measured adds one request's round trip to the average.
func (c *Client) measured(d time.Duration) {
	c.mu.Lock()
	if c.rttAvg == 0 {
		c.rttAvg = d
	} else {
		c.rttAvg += (d - c.rttAvg) / 8
	}
	c.mu.Unlock()
}

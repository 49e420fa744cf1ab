package yclients

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/models"
)

// A day's records are read once for every roster of the day (assumption
// 23): GET /records by date, every page, and kept. A roster is built from
// them; the day is read again as what changed since the last read
// (changed_after, with_deleted), one page as a rule, when a roster is
// asked again, when the day is older than dayFresh, or on the timetable's
// every read; whole when it is older than dayWhole. The desk's own writes
// change the day they were made in, so the roster shown after them needs no
// read at all.
const (
	// dayFresh is how long a day's records stand for a roster asked for
	// the first time since they were read: the timetable's read ahead of a
	// roster is shown as long (ui/screens.PrefetchFresh).
	dayFresh = 30 * time.Second
	// dayWhole is how long the day is read as its changes only before it
	// is read whole again: a record moved to another day, or deleted where
	// with_deleted is not honoured, leaves the day then at the latest.
	dayWhole = 5 * time.Minute
	// dayOverlap is how far before the last read changed_after reaches:
	// the desk's clock and YCLIENTS' may disagree, and a change written
	// while the last read was on its way must not fall between two reads.
	dayOverlap = 2 * time.Minute
	// changedLayout is changed_after as YCLIENTS takes it: a naive
	// date-time in the company's zone (assumption 15).
	changedLayout = "2006-01-02T15:04:05"
)

// dayRecords is one company day's records as the desk last read them.
type dayRecords struct {
	recs   map[string]wireRecord // by record id; deleted records are dropped
	synced time.Time             // when the last read (whole or changes) began
	whole  time.Time             // when the day was last read whole
	// served is the lessons whose rosters were handed out: the same roster
	// asked again is the receptionist asking for news, and reads them
	// (the desk's own write to a lesson hands its roster out once more
	// without a read: patchDay).
	served map[string]bool
}

// dayRead is what a roster needs done before it can be answered.
type dayRead int

const (
	dayReady   dayRead = iota // the day as kept answers
	dayChanges                // read what changed since the last read
	dayAll                    // read the day whole
)

func (d dayRead) key(day models.Date) string {
	if d == dayAll {
		return "whole " + day.String()
	}
	return "changes " + day.String()
}

// list is the day's records in a stable order (by time, then id): those
// of the group event activityID, or all of them ("").
func (d *dayRecords) list(loc *time.Location, activityID string) []wireRecord {
	var out []wireRecord
	for _, r := range d.recs {
		if activityID == "" || r.activity() == activityID {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b wireRecord) int {
		ta, _ := a.start(loc)
		tb, _ := b.start(loc)
		if c := ta.Compare(tb); c != 0 {
			return c
		}
		return strings.Compare(string(a.ID), string(b.ID))
	})
	return out
}

// need says what a read of day for lessonID needs done ("" for a read that
// is not a roster's: the timetable's, which always asks).
func (c *Client) need(day models.Date, lessonID string) dayRead {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, now := c.days[day], c.now()
	switch {
	case d == nil || now.Sub(d.whole) >= dayWhole:
		return dayAll
	case lessonID == "" || d.served[lessonID] || now.Sub(d.synced) >= dayFresh:
		return dayChanges
	}
	return dayReady
}

// dayOf is the records of day for lessonID's roster, those of its group
// event activityID ("" for the timetable: every record): as kept when they stand, else after the read they need. Reads
// of one day are shared: every roster asked while the day is being read
// waits for that one read, and a read a caller gave up on still fills the
// day for the others.
func (c *Client) dayOf(ctx context.Context, op string, day models.Date, lessonID, activityID string) ([]wireRecord, error) {
	if need := c.need(day, lessonID); need != dayReady {
		ch := c.dayReads.DoChan(need.key(day), func() (any, error) {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), dayReadTimeout)
			defer cancel()
			return nil, c.readDay(rctx, op, day, need)
		})
		select {
		case res := <-ch:
			if res.Err != nil {
				return nil, res.Err
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	d := c.days[day]
	if d == nil {
		return nil, nil
	}
	if lessonID != "" {
		d.served[lessonID] = true
	}
	return d.list(c.zoneLocked(), activityID), nil
}

// dayReadTimeout bounds a shared read of a day, which outlives the caller
// that started it.
const dayReadTimeout = 2 * time.Minute

// readDay reads the day whole, or what changed in it since the last read,
// and keeps it.
func (c *Client) readDay(ctx context.Context, op string, day models.Date, need dayRead) error {
	began := c.now()
	q := recordsQuery(day, day)
	c.mu.Lock()
	d := c.days[day]
	if d == nil {
		need = dayAll
	}
	if need == dayChanges {
		q.Set("changed_after", d.synced.Add(-dayOverlap).In(c.zoneLocked()).Format(changedLayout))
		q.Set("with_deleted", "1")
	}
	c.mu.Unlock()
	recs, err := c.listRecords(ctx, op, q)
	if err != nil {
		return err
	}
	c.keepDay(day, recs, need == dayAll, began)
	return nil
}

// keepDay keeps what a read of day answered: the day whole, or its changes
// merged into what is kept (a deleted record, or one moved to another day,
// leaves it).
func (c *Client) keepDay(day models.Date, recs []wireRecord, whole bool, began time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	loc := c.zoneLocked()
	d := c.days[day]
	if whole || d == nil {
		if d != nil && d.synced.After(began) {
			return // a later read has been kept meanwhile
		}
		served := map[string]bool{}
		if d != nil {
			served = d.served
		}
		d = &dayRecords{recs: map[string]wireRecord{}, whole: began, served: served}
		c.days[day] = d
	}
	for _, r := range recs {
		rid := string(r.ID)
		if rid == "" {
			continue
		}
		start, ok := r.start(loc)
		if bool(r.Deleted) || !ok || models.DateOf(start, loc) != day {
			delete(d.recs, rid)
			continue
		}
		d.recs[rid] = r
	}
	if began.After(d.synced) {
		d.synced = began
	}
}

// keepLessonDays keeps the records of the days first..last that the
// timetable read in one list (a range of several days).
func (c *Client) keepLessonDays(first, last models.Date, recs []wireRecord, began time.Time) {
	loc := c.zone()
	byDay := map[models.Date][]wireRecord{}
	for _, r := range recs {
		if start, ok := r.start(loc); ok {
			byDay[models.DateOf(start, loc)] = append(byDay[models.DateOf(start, loc)], r)
		}
	}
	for d := first; !last.Before(d); d = d.AddDays(1) {
		c.keepDay(d, byDay[d], true, began)
	}
}

// patchDay changes a kept record after the desk's own write, so that the
// roster shown next shows it without reading the day; the roster is then
// handed out as kept once more (its next read asks for the changes again).
// A record the desk does not keep is left to the next read.
func (c *Client) patchDay(recordID string, f func(*wireRecord)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range c.days {
		if r, ok := d.recs[recordID]; ok {
			f(&r)
			d.recs[recordID] = r
			if a := r.activity(); a != "" {
				delete(d.served, activityLesson(a))
			}
		}
	}
}

// addToDay keeps a record the desk has just made.
func (c *Client) addToDay(r wireRecord) {
	c.mu.Lock()
	defer c.mu.Unlock()
	loc := c.zoneLocked()
	start, ok := r.start(loc)
	if !ok || r.ID == "" {
		return
	}
	if d := c.days[models.DateOf(start, loc)]; d != nil {
		d.recs[string(r.ID)] = r
		if a := r.activity(); a != "" {
			delete(d.served, activityLesson(a))
		}
	}
}

// dropFromDay forgets a record the desk has just deleted.
func (c *Client) dropFromDay(recordID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range c.days {
		if r, ok := d.recs[recordID]; ok {
			delete(d.recs, recordID)
			if a := r.activity(); a != "" {
				delete(d.served, activityLesson(a))
			}
		}
	}
}

package yclientstest

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// rateLimit is one documented request rate the server enforces: at most n
// requests arriving in any window of per.
type rateLimit struct {
	n   int
	per time.Duration
}

// EnforceRateLimit makes the server keep YCLIENTS' documented rates (L7:
// 5 requests a second and 200 a minute per IP) as a live account does: a
// request that would be the (n+1)-th to arrive within any window is
// answered 429 with Retry-After and processed not at all. Pass 0 for a rate
// not enforced.
func (s *Server) EnforceRateLimit(perSecond, perMinute int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rate = nil
	if perSecond > 0 {
		s.rate = append(s.rate, rateLimit{perSecond, time.Second})
	}
	if perMinute > 0 {
		s.rate = append(s.rate, rateLimit{perMinute, time.Minute})
	}
}

// arrive counts a request arriving at now (the wall clock: the rate is
// about real time, whatever the company's clock says) and reports whether
// it is over a rate, and for how many seconds. s.mu is held.
func (s *Server) arrive(now time.Time) (wait int, over bool) {
	for _, l := range s.rate {
		from := now.Add(-l.per)
		in := 0
		var oldest time.Time
		for i := len(s.arrivals) - 1; i >= 0 && s.arrivals[i].After(from); i-- {
			in++
			oldest = s.arrivals[i]
		}
		if in >= l.n {
			s.over++
			secs := int(oldest.Add(l.per).Sub(now)/time.Second) + 1
			return max(wait, secs), true
		}
	}
	s.arrivals = append(s.arrivals, now)
	return 0, false
}

// Total is how many requests the server received, every route together
// (the ones answered 429 included).
func (s *Server) Total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.requests {
		n += c
	}
	return n
}

// OverLimit is how many requests were answered 429 for the enforced rate.
func (s *Server) OverLimit() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.over
}

// Peak is the most requests the server let through within any window of
// per (with EnforceRateLimit on; it counts only what it processed).
func (s *Server) Peak(per time.Duration) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	best, lo := 0, 0
	for hi, t := range s.arrivals {
		for t.Sub(s.arrivals[lo]) >= per {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}

// changed is a record's last_change_date: when it was last written, or
// for a seeded one, when it was created (two days before its session).
func (s *Server) changed(r *record) time.Time {
	if !r.Changed.IsZero() {
		return r.Changed
	}
	return r.Start.AddDate(0, 0, -2)
}

// stampOf reads a date-time filter (changed_after, changed_before) as
// YCLIENTS takes it: "2006-01-02T15:04:05" or "2006-01-02 15:04:05" in the
// company's zone, with an offset, or a date alone.
func stampOf(q map[string][]string, k string) (time.Time, bool) {
	v := q[k]
	if len(v) == 0 {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05-0700"} {
		if t, err := time.Parse(layout, v[0]); err == nil {
			return t, true
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v[0], Moscow); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// SeedBusyDay adds a big club's day to the company: events group events
// today between 07:00 and 22:00 and records bookings spread over them, one
// invented client each (no real person's data). It returns the events'
// ids, in time order.
func (s *Server) SeedBusyDay(events, records int) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	today := s.now().In(Moscow)
	coach := staff{921199, "Тренер Смены"}
	perEvent := (records + events - 1) / max(events, 1)
	ids := make([]int, 0, events)
	var evs []*event
	for i := range events {
		minutes := 7*60 + i*(15*60)/max(events, 1)
		start := time.Date(today.Year(), today.Month(), today.Day(), minutes/60, minutes%60, 0, 0, Moscow)
		e := &event{ID: 3490000 + i, Start: start, Length: 3000, Capacity: perEvent + 4, Title: fmt.Sprintf("Группа %d", i+1),
			Service: 5243400 + i, Price: 700, Staff: coach, Room: fmt.Sprintf("Зал %d", i%4+1)}
		s.events = append(s.events, e)
		evs = append(evs, e)
		ids = append(ids, e.ID)
	}
	for i := range records {
		c := &client{ID: 200000 + i, Name: "Клиент", Surname: "Номер" + strconv.Itoa(i+1),
			Phone: fmt.Sprintf("7999%07d", i+1), Birth: "0"}
		s.clients = append(s.clients, c)
		e := evs[i%len(evs)]
		s.records = append(s.records, &record{ID: s.id(), VisitID: s.id(), ActivityID: e.ID, ClientID: c.ID, Start: e.Start,
			Length: e.Length, Title: e.Title, Cost: e.Price, Staff: e.Staff})
	}
	slices.Sort(ids)
	return ids
}

// RecordsOf lists the ids of an event's records (for the tests).
func (s *Server) RecordsOf(activityID int) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []int
	for _, r := range s.records {
		if r.ActivityID == activityID {
			out = append(out, r.ID)
		}
	}
	return out
}

// MarkElsewhere is another desk marking a record's visit (attendance 1
// came, -1 no-show) in YCLIENTS itself.
func (s *Server) MarkElsewhere(recordID, attendance int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.record(strconv.Itoa(recordID)); r != nil {
		for _, x := range s.visitOf(r.VisitID) {
			x.Attendance, x.Changed = attendance, s.now()
		}
	}
}

// CancelElsewhere is another desk deleting a record in YCLIENTS itself.
func (s *Server) CancelElsewhere(recordID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.record(strconv.Itoa(recordID)); r != nil {
		s.records = slices.DeleteFunc(s.records, func(x *record) bool { return x == r })
		r.Deleted, r.Changed = true, s.now()
		s.gone = append(s.gone, r)
	}
}

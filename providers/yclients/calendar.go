package yclients

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// wireEvent is a group event of GET /api/v1/activity/{company_id}/search,
// as developer.alteg.io shows it (assumption 7).
type wireEvent struct {
	ID           id                         `json:"id"`
	ServiceID    id                         `json:"service_id"`
	StaffID      id                         `json:"staff_id"`
	Date         stamp                      `json:"date"`
	Length       number                     `json:"length"`
	Capacity     number                     `json:"capacity"`
	RecordsCount number                     `json:"records_count"`
	Service      object[wireEventService]   `json:"service"`
	Staff        object[wireStaff]          `json:"staff"`
	Resources    list[wireResourceInstance] `json:"resource_instances"`
}

type wireEventService struct {
	ID    id   `json:"id"`
	Title text `json:"title"`
}

// wireResourceInstance is a room or a piece of equipment an event takes.
type wireResourceInstance struct {
	ID    id   `json:"id"`
	Title text `json:"title"`
}

func (w wireEvent) lesson(loc *time.Location) (models.Lesson, bool) {
	start, ok := w.Date.At(loc)
	if !ok || w.ID == "" {
		return models.Lesson{}, false
	}
	length := seconds(w.Length)
	if length <= 0 {
		length = time.Hour
	}
	l := models.Lesson{
		ID: activityLesson(string(w.ID)), Start: start, End: start.Add(length),
		Title: strings.TrimSpace(string(w.Service.V.Title)), Instructor: strings.TrimSpace(string(w.Staff.V.Name)),
		Capacity: max(int(w.Capacity), 0), Booked: max(int(w.RecordsCount), 0),
	}
	var rooms []string
	for _, r := range w.Resources {
		if t := strings.TrimSpace(string(r.Title)); t != "" {
			rooms = append(rooms, t)
		}
	}
	l.Room = strings.Join(rooms, ", ")
	if l.Title == "" {
		l.Title = "Групповое событие"
	}
	return l, true
}

// days is the company's calendar days an interval of instants touches.
func days(from, to time.Time, loc *time.Location) (models.Date, models.Date) {
	first := models.DateOf(from, loc)
	last := models.DateOf(to.Add(-time.Nanosecond), loc)
	if last.Before(first) {
		last = first
	}
	return first, last
}

// events reads the group events of the days first..last, every page,
// from today on: YCLIENTS may refuse a period that starts before now, so a
// period in the past is not asked at all and one that reaches today is
// asked from today (its lessons already over, and those of past days, come
// from the records, grouped). A refusal leaves this read to the records;
// the next read asks again: one refusal never changes the session
// (assumption 7). ok is false when the events were not read.
func (c *Client) events(ctx context.Context, first, last, today models.Date) ([]wireEvent, bool, error) {
	if last.Before(today) {
		return nil, false, nil
	}
	if first.Before(today) {
		first = today
	}
	var all []wireEvent
	for page := 1; page <= maxPages; page++ {
		q := url.Values{"from": {wireDate(first)}, "till": {wireDate(last)},
			"page": {strconv.Itoa(page)}, "count": {strconv.Itoa(eventPage)}}
		var es list[wireEvent]
		m, err := c.get(ctx, "lessons", "/api/v1/activity/"+c.companyID+"/search", q, &es)
		if err != nil {
			if refused(err) {
				c.mu.Lock()
				news := c.noEvents == ""
				c.noEvents = err.Error()
				c.mu.Unlock()
				if news {
					c.log.Warn("yclients: group events search refused; this read groups the records by activity_id, the next asks again", "err", err)
				}
				return nil, false, nil
			}
			return nil, false, err
		}
		all = append(all, es...)
		if lastPage(len(es), len(all), eventPage, m) {
			break
		}
	}
	c.mu.Lock()
	c.noEvents = ""
	c.mu.Unlock()
	return all, true, nil
}

// refused is a definite "no" to a call, as opposed to a line or server
// failure: the events search falls back on it.
func refused(err error) bool {
	var pe *providers.Error
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Status {
	case http.StatusBadRequest, http.StatusPaymentRequired, http.StatusForbidden, http.StatusNotFound,
		http.StatusMethodNotAllowed, http.StatusUnprocessableEntity, http.StatusNotImplemented:
		return true
	}
	return pe.Status == http.StatusOK && errors.Is(err, providers.ErrValidation)
}

// Lessons lists the company's group events starting in [from, to), with
// capacity and bookings, and the individual appointments of those days as
// lessons of their own. Without the events search, group events are the
// records grouped by activity_id, with the bookings counted and no capacity
// claimed.
func (c *Client) Lessons(ctx context.Context, from, to time.Time) ([]models.Lesson, error) {
	if err := c.prepare(ctx, "lessons"); err != nil {
		return nil, err
	}
	if err := c.allowed(providers.CapCalendar); err != nil {
		return nil, err
	}
	if !to.After(from) {
		return []models.Lesson{}, nil
	}
	loc := c.zone()
	first, last := days(from, to, loc)
	var (
		evs   []wireEvent
		evErr error
		wg    sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		evs, _, evErr = c.events(ctx, first, last, models.DateOf(c.now(), loc))
	}()
	var (
		recs   []wireRecord
		recErr error
	)
	if first == last {
		// The day's records, kept for every roster of the day.
		recs, recErr = c.dayOf(ctx, "lessons", first, "", "")
	} else {
		began := c.now()
		if recs, recErr = c.listRecords(ctx, "lessons", recordsQuery(first, last)); recErr == nil {
			c.keepLessonDays(first, last, recs, began)
		}
	}
	wg.Wait()
	if evErr != nil {
		return nil, evErr
	}
	if recErr != nil {
		return nil, recErr
	}
	byID := map[string]*models.Lesson{}
	var order []string
	add := func(l models.Lesson) *models.Lesson {
		if p, ok := byID[l.ID]; ok {
			return p
		}
		byID[l.ID] = &l
		order = append(order, l.ID)
		return &l
	}
	fromEvents := map[string]bool{}
	for _, e := range evs {
		if l, ok := e.lesson(loc); ok {
			add(l)
			fromEvents[l.ID] = true
		}
	}
	counted := map[string]int{}
	for _, r := range recs {
		l, ok := r.lesson(loc)
		if !ok || bool(r.Deleted) {
			continue
		}
		p := add(l)
		if r.activity() != "" && !fromEvents[l.ID] {
			// No event says how many are booked: count the records.
			counted[l.ID]++
			p.Booked = counted[l.ID]
		}
		c.remember(r, *p)
	}
	out := []models.Lesson{}
	for _, id := range order {
		l := *byID[id]
		if !l.Start.Before(from) && l.Start.Before(to) {
			out = append(out, l)
		}
	}
	slices.SortStableFunc(out, func(a, b models.Lesson) int { return a.Start.Compare(b.Start) })
	c.mu.Lock()
	for _, l := range out {
		c.lessons[l.ID] = l
	}
	c.mu.Unlock()
	return out, nil
}

// lesson is a lesson the desk has listed, or only its ID.
func (c *Client) lesson(id string) (models.Lesson, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.lessons[id]
	if !ok {
		return models.Lesson{ID: id}, false
	}
	return l, true
}

// Roster lists the bookings of a lesson: the records of its group event on
// its day, or the one record of an individual appointment.
func (c *Client) Roster(ctx context.Context, lessonID string) ([]models.Booking, error) {
	if err := c.prepare(ctx, "roster"); err != nil {
		return nil, err
	}
	if err := c.allowed(providers.CapRoster); err != nil {
		return nil, err
	}
	kind, rid := parseLesson(lessonID)
	loc := c.zone()
	switch kind {
	case 'R':
		w, err := c.record(ctx, "roster", rid)
		if err != nil {
			return nil, err
		}
		l, ok := c.lesson(lessonID)
		if !ok {
			if rl, ok := w.lesson(loc); ok {
				l = rl
			}
		}
		c.remember(w, l)
		return []models.Booking{w.booking(l, c.currency())}, nil
	case 'A':
		bs, _, err := c.activityRoster(ctx, lessonID, rid, false)
		return bs, err
	}
	return nil, providers.Refusal(providers.ErrNotFound, "roster", providers.Words{EN: "lesson %s not found", RU: "занятие %s не найдено"}, lessonID)
}

// activityRoster reads the records of a group event's day and keeps those
// of the event; fresh reads the day's changes whatever the kept day says
// (a lost write is looked for in YCLIENTS, never in what the desk kept).
func (c *Client) activityRoster(ctx context.Context, lessonID, activityID string, fresh bool) ([]models.Booking, models.Lesson, error) {
	loc, cur := c.zone(), c.currency()
	l, known := c.lesson(lessonID)
	day := models.DateOf(c.now(), loc)
	if known {
		day = models.DateOf(l.Start, loc)
	}
	asker := lessonID
	if fresh {
		asker = "" // as the timetable asks: the changes are read first
	}
	recs, err := c.dayOf(ctx, "roster", day, asker, activityID)
	if err != nil {
		return nil, l, err
	}
	var out []models.Booking
	for _, r := range recs {
		if r.activity() != activityID {
			continue
		}
		if !known {
			if rl, ok := r.lesson(loc); ok {
				l, known = rl, true
			}
		}
		c.remember(r, l)
		out = append(out, r.booking(l, cur))
	}
	active := 0
	for _, b := range out {
		if b.Active() {
			active++
		}
	}
	// The event's records_count and the records read now may disagree for
	// a moment; the higher is what a booking must respect.
	l.Booked = max(l.Booked, active)
	for i := range out {
		out[i].Lesson = l
	}
	slices.SortStableFunc(out, func(a, b models.Booking) int { return strings.Compare(a.ClientName, b.ClientName) })
	return out, l, nil
}

// ClientBookings lists the client's records starting in [from, to), with
// the records list's own client filter.
func (c *Client) ClientBookings(ctx context.Context, clientID string, from, to time.Time) ([]models.Booking, error) {
	if err := c.prepare(ctx, "client bookings"); err != nil {
		return nil, err
	}
	if err := c.allowed(providers.CapCalendar); err != nil {
		return nil, err
	}
	loc, cur := c.zone(), c.currency()
	first, last := days(from, to, loc)
	q := recordsQuery(first, last)
	q.Set("client_id", pathID(clientID))
	recs, err := c.listRecords(ctx, "client bookings", q)
	if err != nil {
		return nil, err
	}
	var out []models.Booking
	for _, r := range recs {
		l, ok := r.lesson(loc)
		if !ok || l.Start.Before(from) || !l.Start.Before(to) {
			continue
		}
		if known, ok := c.lesson(l.ID); ok {
			l = known
		}
		if r.Client.V.ID == "" {
			r.Client.V.ID = id(clientID)
		}
		c.remember(r, l)
		out = append(out, r.booking(l, cur))
	}
	slices.SortStableFunc(out, func(a, b models.Booking) int { return a.Lesson.Start.Compare(b.Lesson.Start) })
	return out, nil
}

// Book puts the client into a group event with POST /api/v1/records and
// activity_id (which the text requires and the schema omits). A full event
// and a client already on its roster are refused before anything is sent.
func (c *Client) Book(ctx context.Context, lessonID, clientID string) (models.Booking, error) {
	const op = "book"
	if err := c.prepare(ctx, op); err != nil {
		return models.Booking{}, err
	}
	if err := c.allowed(providers.CapBook); err != nil {
		return models.Booking{}, err
	}
	kind, aid := parseLesson(lessonID)
	if kind != 'A' || aid == "" {
		return models.Booking{}, providers.Refusal(providers.ErrValidation, op, providers.Words{EN: "this is an individual appointment: no one can be added to it", RU: "это индивидуальная запись: в неё нельзя добавить клиента"})
	}
	roster, l, err := c.activityRoster(ctx, lessonID, aid, false)
	if err != nil {
		return models.Booking{}, err
	}
	for _, b := range roster {
		if b.ClientID == clientID && b.Active() {
			return models.Booking{}, providers.Refusal(providers.ErrAlreadyBooked, op, providers.Words{EN: "%s is already booked for «%s»", RU: "%s уже записан(а) на «%s»"}, b.ClientName, l.Title)
		}
	}
	if l.Full() {
		return models.Booking{}, providers.Refusal(providers.ErrLessonFull, op, providers.NoPlaces, l.Booked, l.Capacity)
	}
	w, err := c.wireClient(ctx, op, clientID)
	if err != nil {
		return models.Booking{}, err
	}
	body := map[string]any{
		"activity_id": numID(aid),
		"client": map[string]any{
			"phone": string(w.Phone), "name": string(w.Name), "surname": string(w.Surname),
			"patronymic": string(w.Patronymic), "email": string(w.Email),
		},
		"send_sms": false,
	}
	var r wireRecord
	if _, err := c.send(ctx, op, http.MethodPost, "/api/v1/records/"+c.companyID, body, &r); err != nil {
		return models.Booking{}, err
	}
	if r.ID == "" {
		return models.Booking{}, c.http.Garbled(op, true, http.StatusCreated, errNoID)
	}
	if r.Client.V.ID == "" {
		r.Client.V = wireRecordClient{ID: w.ID, Name: w.Name, Surname: w.Surname, Phone: w.Phone, Email: w.Email}
	}
	if r.ActivityID == "" || r.ActivityID == "0" {
		r.ActivityID = id(aid)
	}
	l.Booked++
	c.mu.Lock()
	c.lessons[lessonID] = l
	c.mu.Unlock()
	c.remember(r, l)
	c.addToDay(r)
	return r.booking(l, c.currency()), nil
}

// CancelBooking deletes the record (YCLIENTS keeps no cancelled records).
func (c *Client) CancelBooking(ctx context.Context, bookingID string, late bool) error {
	const op = "cancel booking"
	if err := c.prepare(ctx, op); err != nil {
		return err
	}
	if late {
		return unsupported(c.Capabilities(), providers.CapLateCancel)
	}
	if err := c.allowed(providers.CapCancelBooking); err != nil {
		return err
	}
	rid := pathID(bookingID)
	if _, err := c.send(ctx, op, http.MethodDelete, "/api/v1/record/"+c.companyID+"/"+rid, nil, nil); err != nil {
		return err
	}
	c.mu.Lock()
	if e, ok := c.records[rid]; ok {
		if l, ok := c.lessons[e.lesson.ID]; ok && l.Booked > 0 {
			l.Booked--
			c.lessons[e.lesson.ID] = l
		}
		delete(c.records, rid)
	}
	c.mu.Unlock()
	c.dropFromDay(rid)
	return nil
}

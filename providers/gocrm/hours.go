package gocrm

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// lesson maps an hour (assumption 7): its title is the kind of exercise
// (the exerciseType season tickets give its id), then the CRM's comment;
// cnt is how many are booked, and Go-CRM gives no capacity.
func (c *Client) lesson(w wireHour, staff, types map[string]string) (models.Lesson, bool) {
	start, ok := w.Datetime.At(c.loc)
	if !ok || w.ID == "" {
		return models.Lesson{}, false
	}
	minutes := int(w.Duration)
	if minutes <= 0 {
		minutes = 60
	}
	title := types[string(w.TypesExercise)]
	if title == "" {
		title = "Занятие"
		if w.TypesExercise != "" {
			title += " (вид " + string(w.TypesExercise) + ")"
		}
	}
	if cm := strings.TrimSpace(string(w.Comment)); cm != "" {
		title += " · " + cm
	}
	// Names from /users; when it is not there (it fails on live centers,
	// assumption 14), what the hour carries: its instructors' own names,
	// else the name beside them, else the ids.
	var names []string
	named := false
	for _, i := range w.Instructors.IDs {
		switch n, carried := staff[string(i)], w.Instructors.Names[string(i)]; {
		case n != "":
			names, named = append(names, n), true
		case carried != "":
			names, named = append(names, carried), true
		default:
			names = append(names, "#"+string(i))
		}
	}
	if n := strings.TrimSpace(string(w.InstructorName)); n != "" && !named {
		names = []string{n}
	}
	return models.Lesson{
		ID: string(w.ID), Start: start, End: start.Add(time.Duration(minutes) * time.Minute),
		Title: title, Instructor: strings.Join(names, ", "), Booked: int(max(w.Cnt, 0)),
	}, true
}

// Lessons reads GET /hours for the center between from and to, with the
// instructors' names and the kinds of exercise in the same round.
func (c *Client) Lessons(ctx context.Context, from, to time.Time) ([]models.Lesson, error) {
	center, err := c.centerID(ctx)
	if err != nil {
		return nil, err
	}
	var (
		ws    []wireHour
		staff map[string]string
		types map[string]string
		wg    sync.WaitGroup
	)
	wg.Add(2)
	go func() { defer wg.Done(); staff = c.instructors(ctx) }()
	go func() { defer wg.Done(); types = c.exerciseTypes(ctx) }()
	params := map[string]any{"center": center, "dateStart": wireTime(from, c.loc), "dateEnd": wireTime(to.Add(-time.Second), c.loc)}
	_, err = c.get(ctx, "lessons", "/hours", params, &ws)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	var out []models.Lesson
	c.mu.Lock()
	for _, w := range ws {
		l, ok := c.lesson(w, staff, types)
		if !ok || l.Start.Before(from) || !l.Start.Before(to) {
			continue
		}
		c.cache.hours[l.ID] = w
		out = append(out, l)
	}
	c.mu.Unlock()
	slices.SortStableFunc(out, func(a, b models.Lesson) int { return a.Start.Compare(b.Start) })
	return out, nil
}

// hour is an hour the timetable showed.
func (c *Client) hour(lessonID string) (wireHour, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	w, ok := c.cache.hours[lessonID]
	return w, ok
}

// clientHours is GET /client-hours of the center since an instant, for one
// client or (clientID empty) everyone.
func (c *Client) clientHours(ctx context.Context, op, clientID string, since time.Time, extra map[string]any) ([]wireClientHour, error) {
	center, err := c.centerID(ctx)
	if err != nil {
		return nil, err
	}
	params := map[string]any{"centerId": center, "dateStart": wireTime(since, c.loc)}
	if clientID != "" {
		params["clientId"] = clientID
	}
	for k, v := range extra {
		params[k] = v
	}
	var ws []wireClientHour
	_, err = c.get(ctx, op, "/client-hours", params, &ws)
	return ws, err
}

// booking maps a client-hour; the lesson comes from its hour, named with
// what the adapter has read of instructors and kinds of exercise.
func (c *Client) booking(w wireClientHour, h wireHour, who models.Client) models.Booking {
	staff, types := c.names()
	l, _ := c.lesson(h, staff, types)
	b := models.Booking{ID: string(w.ID), Lesson: l, ClientID: who.ID, ClientName: rosterName(who), ClientPhone: who.Phone}
	switch {
	case marked(w.Visited):
		b.Attendance = models.Attended
	case marked(w.Missed):
		b.Attendance = models.NoShow
	}
	return b
}

// names are the instructors' and the kinds of exercise's names read so far.
func (c *Client) names() (staff, types map[string]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cache.staff, typeNames(c.cache.plans)
}

// clientHoursNamed is clientHours with the kinds of exercise read in the
// same round, so the card can name the lessons.
func (c *Client) clientHoursNamed(ctx context.Context, op, clientID string, since time.Time, extra map[string]any) ([]wireClientHour, error) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); c.exerciseTypes(ctx) }()
	ws, err := c.clientHours(ctx, op, clientID, since, extra)
	wg.Wait()
	return ws, err
}

func rosterName(cl models.Client) string {
	name := strings.TrimSpace(cl.FullName())
	if cl.Guardian != "" {
		name += " (" + cl.Guardian + ")"
	}
	if name == "" {
		name = "#" + cl.ID
	}
	return name
}

// lessonGone refuses an hour the timetable read no longer holds.
var lessonGone = providers.Words{EN: "lesson %s not found: refresh the timetable (F5)", RU: "занятие %s не найдено: обновите расписание (F5)"}

// Roster is the hour's bookings: GET /client-hours for the center from the
// hour's day, without a client, picked by hour (assumption 8). Names come
// from the clients' list.
func (c *Client) Roster(ctx context.Context, lessonID string) ([]models.Booking, error) {
	h, ok := c.hour(lessonID)
	if !ok {
		return nil, providers.Refusal(providers.ErrNotFound, "roster", lessonGone, lessonID)
	}
	start, _ := h.Datetime.At(c.loc)
	dayStart, _ := models.DateOf(start, c.loc).Bounds(c.loc)
	ws, err := c.clientHours(ctx, "roster", "", dayStart, nil)
	if err != nil {
		return nil, err
	}
	clients, err := c.clients(ctx)
	if err != nil {
		return nil, err
	}
	var out []models.Booking
	for _, w := range ws {
		for _, wh := range w.Hour {
			if string(wh.ID) != lessonID {
				continue
			}
			who, known := clients.byClientID(w.clientID())
			if !known {
				who = models.Client{ID: w.clientID()}
				if w.Client != nil {
					who = wireClient{ID: w.Client.ID, Fio: w.Client.Fio, Name: w.Client.Name, Phone: w.Client.Phone}.model()
				}
				if who.ID == "" {
					who.FirstName = "клиент не указан (запись " + string(w.ID) + ")"
				}
			}
			out = append(out, c.booking(w, h, who))
		}
	}
	slices.SortStableFunc(out, func(a, b models.Booking) int { return strings.Compare(a.ClientName, b.ClientName) })
	return out, nil
}

// ClientBookings is the client's GET /client-hours from `from`, kept to the
// hours before `to`.
func (c *Client) ClientBookings(ctx context.Context, clientID string, from, to time.Time) ([]models.Booking, error) {
	if _, isLead := c.lead(clientID); isLead {
		return nil, nil
	}
	ws, err := c.clientHoursNamed(ctx, "bookings", clientID, from, nil)
	if err != nil {
		return nil, err
	}
	who := models.Client{ID: clientID}
	var out []models.Booking
	for _, w := range ws {
		for _, h := range w.Hour {
			at, ok := h.Datetime.At(c.loc)
			if !ok || at.Before(from) || !at.Before(to) {
				continue
			}
			out = append(out, c.booking(w, h, who))
		}
	}
	slices.SortStableFunc(out, func(a, b models.Booking) int { return a.Lesson.Start.Compare(b.Lesson.Start) })
	return out, nil
}

// Visits are the client's lessons Go-CRM marks visited since an instant
// (GET /client-hours with visited=1, missed=0, as the document's example
// asks), newest first.
func (c *Client) Visits(ctx context.Context, clientID string, since time.Time) ([]models.Visit, error) {
	if _, isLead := c.lead(clientID); isLead {
		return nil, nil
	}
	ws, err := c.clientHoursNamed(ctx, "visits", clientID, since, map[string]any{"visited": 1, "missed": 0})
	if err != nil {
		return nil, err
	}
	now := c.now()
	var out []models.Visit
	for _, w := range ws {
		if !marked(w.Visited) {
			continue
		}
		for _, h := range w.Hour {
			at, ok := h.Datetime.At(c.loc)
			if !ok || at.Before(since) || at.After(now) {
				continue
			}
			staff, types := c.names()
			l, _ := c.lesson(h, staff, types)
			out = append(out, models.Visit{ID: string(w.ID), ClientID: clientID, At: at, LessonID: l.ID, LessonTitle: l.Title})
		}
	}
	slices.SortStableFunc(out, func(a, b models.Visit) int { return b.At.Compare(a.At) })
	return out, nil
}

// Book is POST /client-hours/ with the hour's id and version as the
// timetable read it, individual as the hour allows it, and the client's id
// (assumption 8: the document's body names no client).
func (c *Client) Book(ctx context.Context, lessonID, clientID string) (models.Booking, error) {
	if _, isLead := c.lead(clientID); isLead {
		return models.Booking{}, errLead("book")
	}
	h, ok := c.hour(lessonID)
	if !ok {
		return models.Booking{}, providers.Refusal(providers.ErrNotFound, "book", lessonGone, lessonID)
	}
	individual := "0"
	if h.CheckIndividual {
		individual = "1"
	}
	body := map[string]any{"hourId": numeric(string(h.ID)), "individual": individual, "version": int64(h.Version), "clientId": numeric(clientID)}
	var w wireClientHour
	if err := c.send(ctx, "book", http.MethodPost, "/client-hours/", true, body, &w); err != nil {
		return models.Booking{}, err
	}
	who := models.Client{ID: clientID}
	if list, err := c.clients(ctx); err == nil {
		if cl, ok := list.byClientID(clientID); ok {
			who = cl
		}
	}
	// The answer's hour carries the version the next booking must send;
	// without one, the place taken is counted here.
	if len(w.Hour) > 0 && w.Hour[0].ID == h.ID {
		h = w.Hour[0]
	} else {
		h.Cnt++
	}
	c.mu.Lock()
	c.cache.hours[lessonID] = h
	c.mu.Unlock()
	b := c.booking(w, h, who)
	if b.ID == "" {
		c.log.Warn("booking answered without its id", "hour", lessonID, "client", clientID)
	}
	return b, nil
}

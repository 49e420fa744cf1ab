package luckyfit

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"golang.org/x/sync/errgroup"
)

// wireLesson is an event of /lesson_calendars/feed (assumption 7).
type wireLesson struct {
	ID           id     `json:"id"`
	Title        text   `json:"title"`
	Name         text   `json:"name"`
	Start        stamp  `json:"start"`
	End          stamp  `json:"end"`
	Room         text   `json:"room"`
	Hall         text   `json:"hall"`
	Trainer      text   `json:"trainer"`
	Instructor   text   `json:"instructor"`
	StaffName    text   `json:"staff_name"`
	Capacity     number `json:"capacity"`
	MaxClients   number `json:"max_clients"`
	Places       number `json:"places"`
	Booked       number `json:"booked"`
	ClientsCount number `json:"clients_count"`
	Bookings     number `json:"bookings_count"`
}

func (w wireLesson) model(loc *time.Location) (models.Lesson, bool) {
	start, ok1 := w.Start.At(loc)
	end, ok2 := w.End.At(loc)
	if !ok1 || w.ID == "" {
		return models.Lesson{}, false
	}
	if !ok2 || !end.After(start) {
		end = start.Add(time.Hour)
	}
	return models.Lesson{
		ID: string(w.ID), Start: start, End: end,
		Title:      first(string(w.Title), string(w.Name)),
		Room:       first(string(w.Room), string(w.Hall)),
		Instructor: first(string(w.Trainer), string(w.Instructor), string(w.StaffName)),
		Capacity:   int(first(w.Capacity, w.MaxClients, w.Places)),
		Booked:     int(first(w.Booked, w.ClientsCount, w.Bookings)),
	}, true
}

// wireBooking is one of /lesson_calendar_bookings (assumption 8).
type wireBooking struct {
	ID               id   `json:"id"`
	ClientID         id   `json:"client_id"`
	LessonCalendarID id   `json:"lesson_calendar_id"`
	ClientSurname    text `json:"client_surname"`
	ClientName       text `json:"client_name"`
	ClientPhone      text `json:"client_phone"`
	Phone1           text `json:"phone1"`
	Visited          flag `json:"visited"`
	Attended         flag `json:"attended"`
}

func (w wireBooking) model(l models.Lesson) models.Booking {
	b := models.Booking{
		ID: string(w.ID), Lesson: l, ClientID: string(w.ClientID),
		ClientName:  strings.TrimSpace(string(w.ClientSurname) + " " + string(w.ClientName)),
		ClientPhone: first(string(w.ClientPhone), string(w.Phone1)),
	}
	if b.ClientName == "" {
		b.ClientName = "#" + b.ClientID
	}
	if w.Visited || w.Attended {
		b.Attendance = models.Attended
	}
	return b
}

// lessonEntry remembers a lesson seen in the feed, so a booking can say
// what it was for.
type lessonEntry struct{ lesson models.Lesson }

// rosterTTL is how long a day's rosters, read for the cards' "booked
// today", are used before they are read again.
const rosterTTL = time.Minute

// Lessons reads the feed for [from, to).
func (c *Client) Lessons(ctx context.Context, from, to time.Time) ([]models.Lesson, error) {
	var ws []wireLesson
	filters := map[string]any{"start": wireTime(from, c.loc), "end": wireTime(to.Add(-time.Second), c.loc)}
	if err := c.get(ctx, "lessons", "/lesson_calendars/feed", filters, &ws); err != nil {
		return nil, err
	}
	var out []models.Lesson
	c.mu.Lock()
	for _, w := range ws {
		l, ok := w.model(c.loc)
		if !ok || l.Start.Before(from) || !l.Start.Before(to) {
			continue
		}
		c.lessons[l.ID] = lessonEntry{lesson: l}
		out = append(out, l)
	}
	c.mu.Unlock()
	slices.SortStableFunc(out, func(a, b models.Lesson) int { return a.Start.Compare(b.Start) })
	return out, nil
}

func (c *Client) lessonByID(id string) models.Lesson {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.lessons[id]; ok {
		return e.lesson
	}
	return models.Lesson{ID: id}
}

// Roster reads the lesson's bookings.
func (c *Client) Roster(ctx context.Context, lessonID string) ([]models.Booking, error) {
	var ws []wireBooking
	if err := c.get(ctx, "roster", "/lesson_calendar_bookings", map[string]any{"lesson_calendar_id": lessonID}, &ws); err != nil {
		return nil, err
	}
	l := c.lessonByID(lessonID)
	out := make([]models.Booking, 0, len(ws))
	for _, w := range ws {
		if w.ClientID != "" {
			out = append(out, w.model(l))
		}
	}
	slices.SortStableFunc(out, func(a, b models.Booking) int { return strings.Compare(a.ClientName, b.ClientName) })
	return out, nil
}

// ClientBookings has no call of its own in LuckyFit: it picks the client's
// bookings from the day's feed and every lesson's roster. The day is read
// once for everyone (see day) and kept for a minute, so a queue of scans
// costs the feed and the rosters once, not once a card.
func (c *Client) ClientBookings(ctx context.Context, clientID string, from, to time.Time) ([]models.Booking, error) {
	day, err := c.day(ctx, from, to)
	if err != nil {
		return nil, err
	}
	var out []models.Booking
	for _, lr := range day {
		for _, b := range lr.bookings {
			if b.ClientID == clientID {
				b.Lesson = lr.lesson
				out = append(out, b)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b models.Booking) int { return a.Lesson.Start.Compare(b.Lesson.Start) })
	return out, nil
}

// lessonRoster is a lesson with its bookings.
type lessonRoster struct {
	lesson   models.Lesson
	bookings []models.Booking
}

// dayEntry is a day's feed with every roster, as read at at.
type dayEntry struct {
	at      time.Time
	lessons []lessonRoster
}

// dayTimeout bounds a day read that no caller waits for any more (a
// prefetch, a refresh ahead of time).
const dayTimeout = 20 * time.Second

func dayKey(from, to time.Time) string {
	return strconv.FormatInt(from.Unix(), 10) + "-" + strconv.FormatInt(to.Unix(), 10)
}

// day is [from, to)'s lessons with their rosters. A read younger than
// rosterTTL is used as it is, and read again in the background once past
// half its age, so that a busy desk never waits for it; an older one is
// read again. Concurrent callers share one read (a card's bookings join the
// prefetch its card lookup started), which goes on even if the caller that
// started it gives up.
func (c *Client) day(ctx context.Context, from, to time.Time) ([]lessonRoster, error) {
	key := dayKey(from, to)
	c.mu.Lock()
	e, ok := c.days[key]
	c.mu.Unlock()
	if ok {
		age := c.now().Sub(e.at)
		if age <= rosterTTL {
			if age > rosterTTL/2 {
				c.refreshDay(from, to)
			}
			return e.lessons, nil
		}
	}
	ch := c.dayGroup.DoChan(key, func() (any, error) { return c.readDay(from, to) })
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.([]lessonRoster), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// refreshDay reads [from, to) in the background unless a read is on its
// way.
func (c *Client) refreshDay(from, to time.Time) {
	c.dayGroup.DoChan(dayKey(from, to), func() (any, error) { return c.readDay(from, to) })
}

// prefetchToday starts reading today's lessons and rosters, unless they
// are fresh: a card lookup does it, because the card it opens wants today's
// bookings, which need neither the client nor the lookup's answer.
func (c *Client) prefetchToday() {
	from, to := models.DateOf(c.now(), c.loc).Bounds(c.loc)
	key := dayKey(from, to)
	c.mu.Lock()
	e, ok := c.days[key]
	c.mu.Unlock()
	if ok && c.now().Sub(e.at) <= rosterTTL/2 {
		return
	}
	c.refreshDay(from, to)
}

// readDay reads the feed, then every roster, four at a time, and keeps the
// result.
func (c *Client) readDay(from, to time.Time) ([]lessonRoster, error) {
	ctx, cancel := context.WithTimeout(context.Background(), dayTimeout)
	defer cancel()
	at := c.now()
	lessons, err := c.Lessons(ctx, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]lessonRoster, len(lessons))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, l := range lessons {
		out[i].lesson = l
		g.Go(func() error {
			bookings, err := c.Roster(gctx, l.ID)
			out[i].bookings = bookings
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.days[dayKey(from, to)] = dayEntry{at: at, lessons: out}
	c.mu.Unlock()
	return out, nil
}

// forgetDays drops the days read, after a write that changes a roster.
func (c *Client) forgetDays() {
	c.mu.Lock()
	clear(c.days)
	c.mu.Unlock()
}

// Book puts the client into the lesson; LuckyFit refuses full lessons and
// double bookings in its own words.
func (c *Client) Book(ctx context.Context, lessonID, clientID string) (models.Booking, error) {
	l := c.lessonByID(lessonID)
	if l.Full() {
		return models.Booking{}, providers.Refusal(providers.ErrLessonFull, "book", providers.NoPlaces, l.Booked, l.Capacity)
	}
	var w wireBooking
	body := map[string]any{"client_id": clientID, "lesson_calendar_id": lessonID}
	if err := c.send(ctx, "book", http.MethodPost, "/lesson_calendar_bookings", body, &w); err != nil {
		return models.Booking{}, err
	}
	c.forgetDays()
	if w.ClientID == "" {
		w.ClientID = id(clientID)
	}
	return w.model(l), nil
}

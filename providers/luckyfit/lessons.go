package luckyfit

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
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

// Lessons reads the feed for [from, to). A day the desk keeps (day.go)
// takes it as its refresh: the timetable opened reads it for free.
func (c *Client) Lessons(ctx context.Context, from, to time.Time) ([]models.Lesson, error) {
	at := c.now()
	out, err := c.feed(ctx, from, to)
	if err != nil {
		return nil, err
	}
	c.feedSeen(from, to, out, at)
	return out, nil
}

// feed reads the feed for [from, to).
func (c *Client) feed(ctx context.Context, from, to time.Time) ([]models.Lesson, error) {
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

// Roster reads the lesson's bookings; the day read it belongs to keeps
// them (they are the freshest there are).
func (c *Client) Roster(ctx context.Context, lessonID string) ([]models.Booking, error) {
	at := c.now()
	out, err := c.roster(ctx, lessonID)
	if err != nil {
		return nil, err
	}
	c.rosterRead(lessonID, out, at)
	return out, nil
}

// roster reads the lesson's bookings.
func (c *Client) roster(ctx context.Context, lessonID string) ([]models.Booking, error) {
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
	if w.ClientID == "" {
		w.ClientID = id(clientID)
	}
	b := w.model(l)
	c.booked(b)
	return b, nil
}

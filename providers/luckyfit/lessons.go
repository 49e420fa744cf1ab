package luckyfit

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

// rosterEntry is a roster read recently; the card's "booked today" reads
// rosters of the whole day, so they are kept for a minute.
type rosterEntry struct {
	at       time.Time
	bookings []models.Booking
}

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
	c.mu.Lock()
	c.rosters[lessonID] = rosterEntry{at: c.now(), bookings: out}
	c.mu.Unlock()
	return slices.Clone(out), nil
}

// ClientBookings has no call of its own in LuckyFit: it reads the day's
// feed and each lesson's roster (four at a time, kept for a minute) and
// picks the client's bookings.
func (c *Client) ClientBookings(ctx context.Context, clientID string, from, to time.Time) ([]models.Booking, error) {
	lessons, err := c.Lessons(ctx, from, to)
	if err != nil {
		return nil, err
	}
	var (
		mu   sync.Mutex
		out  []models.Booking
		errs []error
		wg   sync.WaitGroup
		sem  = make(chan struct{}, 4)
	)
	for _, l := range lessons {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bookings, ok := c.cachedRoster(l.ID)
			if !ok {
				sem <- struct{}{}
				var err error
				bookings, err = c.Roster(ctx, l.ID)
				<-sem
				if err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					return
				}
			}
			mu.Lock()
			defer mu.Unlock()
			for _, b := range bookings {
				if b.ClientID == clientID {
					b.Lesson = l
					out = append(out, b)
				}
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		return nil, errs[0]
	}
	slices.SortStableFunc(out, func(a, b models.Booking) int { return a.Lesson.Start.Compare(b.Lesson.Start) })
	return out, nil
}

func (c *Client) cachedRoster(lessonID string) ([]models.Booking, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.rosters[lessonID]
	if !ok || c.now().Sub(e.at) > rosterTTL {
		return nil, false
	}
	return e.bookings, true
}

// Book puts the client into the lesson; LuckyFit refuses full lessons and
// double bookings in its own words.
func (c *Client) Book(ctx context.Context, lessonID, clientID string) (models.Booking, error) {
	l := c.lessonByID(lessonID)
	if l.Full() {
		return models.Booking{}, providers.Errorf(providers.ErrLessonFull, "book", "нет свободных мест: %d из %d", l.Booked, l.Capacity)
	}
	var w wireBooking
	body := map[string]any{"client_id": clientID, "lesson_calendar_id": lessonID}
	if err := c.send(ctx, "book", http.MethodPost, "/lesson_calendar_bookings", body, &w); err != nil {
		return models.Booking{}, err
	}
	c.mu.Lock()
	delete(c.rosters, lessonID)
	c.mu.Unlock()
	if w.ClientID == "" {
		w.ClientID = id(clientID)
	}
	return w.model(l), nil
}

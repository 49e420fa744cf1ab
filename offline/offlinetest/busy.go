package offlinetest

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// BusyDay is a big club's day as the desk reads it, for benchmarks of the
// offline memory: Clients clients, each with a card, a membership, two
// visits and two of the day's bookings, and Rosters lessons of PerRoster
// bookings each. Every name is made up. The provider underneath answers
// everything else (its Info gives the club's zone).
type BusyDay struct {
	providers.Provider
	Clients, Rosters, PerRoster int
	// Now is the moment of the club's day the answers are for.
	Now time.Time
}

var (
	busyLast  = []string{"Зеленина", "Новосёлова", "Арсеньева", "Белозёрова", "Кузнецова", "Ломоносова", "Тихомирова", "Шереметьева"}
	busyFirst = []string{"Ольга", "Мария", "Дарья", "Вера", "Анна", "Полина", "Софья", "Ксения"}
	busyTitle = []string{"Йога для начинающих", "Функциональный тренинг", "Пилатес", "Сайкл", "Бокс для взрослых"}
)

func (b *BusyDay) clientID(i int) string { return fmt.Sprint(200000 + i) }

// Card is the card number of client i.
func (b *BusyDay) Card(i int) string { return fmt.Sprintf("%010d", 4000000+i) }

func (b *BusyDay) client(i int) models.Client {
	return models.Client{ID: b.clientID(i), LastName: busyLast[i%len(busyLast)], FirstName: busyFirst[i%len(busyFirst)],
		MiddleName: "Сергеевна", Phone: fmt.Sprintf("+7 916 %03d-%02d-%02d", i/10000%1000, i/100%100, i%100),
		Email: fmt.Sprintf("client%d@example.org", i), Birthday: models.NewDate(1990, time.Month(1+i%12), 1+i%28),
		Cards: []string{b.Card(i)}, Deposit: models.Money{Minor: int64(i%7) * 10000, Currency: "RUB"},
		Note: "Предпочитает утренние занятия"}
}

func (b *BusyDay) index(id string) int {
	i, _ := strconv.Atoi(id)
	return i - 200000
}

func (b *BusyDay) lesson(n int) models.Lesson {
	loc := b.Info().Location
	if loc == nil {
		loc = time.Local
	}
	from, _ := models.DateOf(b.Now, loc).Bounds(loc)
	start := from.Add(7*time.Hour + time.Duration(n%56)*15*time.Minute)
	return models.Lesson{ID: fmt.Sprint(50000 + n), Start: start, End: start.Add(55 * time.Minute), Title: busyTitle[n%len(busyTitle)],
		Instructor: "Смирнова Елена", Room: fmt.Sprintf("Зал %d", 1+n%4), Capacity: b.PerRoster, Booked: b.PerRoster}
}

func (b *BusyDay) booking(lesson, k int) models.Booking {
	c := b.client((lesson*b.PerRoster + k) % max(b.Clients, 1))
	return models.Booking{ID: fmt.Sprint(6000000 + lesson*1000 + k), Lesson: b.lesson(lesson), ClientID: c.ID,
		ClientName: c.ShortName(), ClientPhone: c.Phone, Status: models.Booked}
}

// ClientByCard answers the clients of the day.
func (b *BusyDay) ClientByCard(_ context.Context, tag string) (models.Client, error) {
	i, _ := strconv.Atoi(tag)
	return b.client(i - 4000000), nil
}

// Client answers the clients of the day.
func (b *BusyDay) Client(_ context.Context, id string) (models.Client, error) {
	return b.client(b.index(id)), nil
}

// Memberships is each client's one membership.
func (b *BusyDay) Memberships(_ context.Context, id string) ([]models.Membership, error) {
	return []models.Membership{{ID: "m" + id, ClientID: id, PlanID: "3", Title: "Безлимит на месяц", State: models.StateActive,
		Start: models.NewDate(2026, 11, 20), End: models.NewDate(2026, 12, 19), Unlimited: true}}, nil
}

// Visits is each client's two last visits.
func (b *BusyDay) Visits(_ context.Context, id string, _ time.Time) ([]models.Visit, error) {
	l := b.lesson(b.index(id) % max(b.Rosters, 1))
	return []models.Visit{{ID: "v" + id, ClientID: id, At: b.Now, LessonID: l.ID, LessonTitle: l.Title, MembershipID: "m" + id},
		{ID: "w" + id, ClientID: id, At: b.Now.Add(-48 * time.Hour), MembershipID: "m" + id}}, nil
}

// ClientBookings is each client's two bookings of the day.
func (b *BusyDay) ClientBookings(_ context.Context, id string, _, _ time.Time) ([]models.Booking, error) {
	i := b.index(id)
	return []models.Booking{b.booking(i%max(b.Rosters, 1), 0), b.booking((i+1)%max(b.Rosters, 1), 1)}, nil
}

// Lessons is the day's timetable.
func (b *BusyDay) Lessons(context.Context, time.Time, time.Time) ([]models.Lesson, error) {
	out := make([]models.Lesson, b.Rosters)
	for n := range out {
		out[n] = b.lesson(n)
	}
	return out, nil
}

// Roster is a lesson's bookings.
func (b *BusyDay) Roster(_ context.Context, lessonID string) ([]models.Booking, error) {
	n, _ := strconv.Atoi(lessonID)
	n -= 50000
	out := make([]models.Booking, b.PerRoster)
	for k := range out {
		out[k] = b.booking(n, k)
	}
	return out, nil
}

// Read asks r — the offline desk over this day — for everything of the
// day once: the timetable, every roster, every client by card with their
// memberships, visits and bookings, as a day at the desk does.
func (b *BusyDay) Read(ctx context.Context, r providers.Reader) error {
	loc := b.Info().Location
	if loc == nil {
		loc = time.Local
	}
	from, to := models.DateOf(b.Now, loc).Bounds(loc)
	ls, err := r.Lessons(ctx, from, to)
	if err != nil {
		return err
	}
	for _, l := range ls {
		if _, err := r.Roster(ctx, l.ID); err != nil {
			return err
		}
	}
	for i := range b.Clients {
		if err := b.ReadClient(ctx, r, i); err != nil {
			return err
		}
	}
	return nil
}

// ReadClient is one client's card read through r: the scan, memberships,
// visits and the day's bookings.
func (b *BusyDay) ReadClient(ctx context.Context, r providers.Reader, i int) error {
	loc := b.Info().Location
	if loc == nil {
		loc = time.Local
	}
	from, to := models.DateOf(b.Now, loc).Bounds(loc)
	c, err := r.ClientByCard(ctx, b.Card(i))
	if err != nil {
		return err
	}
	if _, err := r.Memberships(ctx, c.ID); err != nil {
		return err
	}
	if _, err := r.Visits(ctx, c.ID, b.Now.AddDate(0, 0, -30)); err != nil {
		return err
	}
	_, err = r.ClientBookings(ctx, c.ID, from, to)
	return err
}

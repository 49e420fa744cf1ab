package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/models"
)

// The timetable is made per club day, the first time a day is asked for,
// from a seed of the date: the same date always has the same classes and
// the same people booked, and lesson and booking IDs carry the date
// (L20261122-03, B20261122-03-07) so that any of them can be found again
// without a table of every day ever shown.

const seedTimetable = 0x74696d65_7461626c // "timetabl"

// Rooms, in the order lessons at the same hour are listed.
const (
	roomHall  = "Зал 1"
	roomCycle = "Зал 2"
	roomPool  = "Бассейн"
)

var roomOrder = map[string]int{roomHall: 0, roomCycle: 1, roomPool: 2}

// class is a kind of lesson: how long, how many places, who teaches it.
type class struct {
	minutes  int
	capacity int
	coaches  []string
	kids     bool
}

var classes = map[string]class{
	"Функциональный тренинг": {55, 20, []string{"Дмитрий Орлов", "Кирилл Жуков"}, false},
	"Пилатес":      {55, 12, []string{"Екатерина Белова", "Марина Лебедева"}, false},
	"Йога":         {60, 14, []string{"Анна Соколова", "Марина Лебедева"}, false},
	"Стретчинг":    {55, 15, []string{"Екатерина Белова", "Анна Соколова"}, false},
	"Сайкл":        {45, 16, []string{"Игорь Крылов", "Сергей Волков"}, false},
	"Табата":       {45, 18, []string{"Кирилл Жуков", "Игорь Крылов"}, false},
	"Бокс":         {60, 12, []string{"Сергей Волков"}, false},
	"Аквааэробика": {45, 18, []string{"Наталья Комарова", "Ольга Тихонова"}, false},
	"Плавание для взрослых": {45, 10, []string{"Артём Гусев"}, false},
	"Детское плавание":      {45, 8, []string{"Ольга Тихонова", "Артём Гусев"}, true},
}

// block is a part of a room's day: pick of the start times, each with one of
// the titles.
type block struct {
	room   string
	times  []string
	pick   int
	titles []string
	chance int // percent of days the block runs at all; 0 means always
}

var (
	hallTitles  = []string{"Функциональный тренинг", "Пилатес", "Йога", "Стретчинг"}
	cycleTitles = []string{"Сайкл", "Табата", "Бокс"}
	aqua        = []string{"Аквааэробика"}
	kidsSwim    = []string{"Детское плавание"}

	weekday = []block{
		{room: roomHall, times: []string{"07:00", "08:00", "09:00", "10:00"}, pick: 2, titles: hallTitles},
		{room: roomHall, times: []string{"11:30", "12:00", "13:00"}, pick: 1, titles: hallTitles},
		{room: roomHall, times: []string{"18:00", "19:00", "20:00"}, pick: 2, titles: hallTitles},
		{room: roomCycle, times: []string{"07:30", "08:30", "09:30"}, pick: 1, titles: cycleTitles},
		{room: roomCycle, times: []string{"12:30", "14:00"}, pick: 1, titles: []string{"Стретчинг", "Пилатес"}, chance: 50},
		{room: roomCycle, times: []string{"17:30", "18:30", "19:30", "20:30"}, pick: 2, titles: cycleTitles},
		{room: roomPool, times: []string{"08:00", "10:00"}, pick: 1, titles: aqua},
		{room: roomPool, times: []string{"16:00", "17:00"}, pick: 1, titles: kidsSwim},
		{room: roomPool, times: []string{"19:00", "20:00"}, pick: 1, titles: []string{"Аквааэробика", "Плавание для взрослых"}},
	}
	weekend = []block{
		{room: roomHall, times: []string{"09:00", "10:00", "11:00"}, pick: 2, titles: hallTitles},
		{room: roomHall, times: []string{"12:00", "13:00"}, pick: 1, titles: hallTitles},
		{room: roomHall, times: []string{"17:00", "18:00", "19:00"}, pick: 2, titles: hallTitles},
		{room: roomCycle, times: []string{"10:00", "11:00", "12:00"}, pick: 2, titles: cycleTitles},
		{room: roomCycle, times: []string{"18:00", "19:00"}, pick: 1, titles: cycleTitles},
		{room: roomPool, times: []string{"09:00", "10:00", "11:00"}, pick: 2, titles: kidsSwim},
		{room: roomPool, times: []string{"12:00", "16:00"}, pick: 1, titles: []string{"Аквааэробика", "Плавание для взрослых"}},
	}
)

// lesson is a lesson and its bookings, in the order they were made.
type lesson struct {
	models.Lesson
	kids     bool
	bookings []*booking
}

type booking struct {
	id     string
	ci     int32
	status models.BookingStatus
	att    models.Attendance
	// due is the drop-in price a client without a usable membership owes
	// for the visit; paid is set once it is paid.
	due  models.Money
	paid bool
}

// day is a club day's timetable.
type day struct {
	date    models.Date
	lessons []*lesson
	full    *lesson // the one lesson booked to capacity when the day was made
}

func dateKey(d models.Date) uint64 { return uint64(d.Year*10000 + int(d.Month)*100 + d.Day) }

// buildDay lays out a day's lessons, without bookings.
func (c *Club) buildDay(d models.Date) (*day, *rand.Rand) {
	rng := rand.New(rand.NewPCG(seedTimetable, dateKey(d)))
	blocks := weekday
	if wd := d.In(time.UTC).Weekday(); wd == time.Saturday || wd == time.Sunday {
		blocks = weekend
	}
	dd := &day{date: d}
	midnight := d.In(c.loc)
	for _, b := range blocks {
		if b.chance > 0 && rng.IntN(100) >= b.chance {
			continue
		}
		times := slices.Clone(b.times)
		rng.Shuffle(len(times), func(i, j int) { times[i], times[j] = times[j], times[i] })
		for _, hm := range times[:b.pick] {
			title := b.titles[rng.IntN(len(b.titles))]
			cl := classes[title]
			h, _ := strconv.Atoi(hm[:2])
			m, _ := strconv.Atoi(hm[3:])
			start := midnight.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
			dd.lessons = append(dd.lessons, &lesson{
				Lesson: models.Lesson{Start: start, End: start.Add(time.Duration(cl.minutes) * time.Minute),
					Title: title, Instructor: cl.coaches[rng.IntN(len(cl.coaches))], Room: b.room,
					Capacity: cl.capacity},
				kids: cl.kids,
			})
		}
	}
	slices.SortFunc(dd.lessons, func(a, b *lesson) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return roomOrder[a.Room] - roomOrder[b.Room]
	})
	prefix := fmt.Sprintf("L%04d%02d%02d-", d.Year, int(d.Month), d.Day)
	var evening, morning []*lesson
	for i, l := range dd.lessons {
		l.ID = prefix + fmt.Sprintf("%02d", i+1)
		switch {
		case !l.kids && l.Start.Sub(midnight) >= 17*time.Hour:
			evening = append(evening, l)
		case !l.kids && l.Start.Sub(midnight) < 11*time.Hour:
			morning = append(morning, l)
		}
	}
	// The popular evening class is full; now and then a morning class has a
	// stand-in coach. (No class is ever called off: the desk's tests open
	// the next lesson's roster on whatever day they run, and a cancelled
	// class has nobody to mark.)
	if len(evening) > 0 {
		dd.full = evening[rng.IntN(len(evening))]
	}
	if len(morning) > 0 && rng.IntN(6) == 0 {
		l := morning[rng.IntN(len(morning))]
		l.Instructor = standIn(l.Title, l.Instructor) + " (замена)"
	}
	return dd, rng
}

// standIn is who covers a class for its coach: the class's other coach, or
// the club's head coach.
func standIn(title, coach string) string {
	for _, c := range classes[title].coaches {
		if c != coach {
			return c
		}
	}
	return "Дмитрий Орлов"
}

// add books client ci into the lesson.
func (l *lesson) add(ci int32, st models.BookingStatus) *booking {
	b := &booking{id: "B" + l.ID[1:] + "-" + fmt.Sprintf("%02d", len(l.bookings)+1), ci: ci, status: st}
	l.bookings = append(l.bookings, b)
	if st == models.Booked {
		l.Booked++
	}
	return b
}

// active is the client's booking that holds a place, or nil.
func (l *lesson) active(ci int32) *booking {
	for _, b := range l.bookings {
		if b.ci == ci && b.status == models.Booked {
			return b
		}
	}
	return nil
}

func (l *lesson) has(ci int32) bool {
	for _, b := range l.bookings {
		if b.ci == ci {
			return true
		}
	}
	return false
}

// usable reports whether a client can come in on day d on some membership.
func usable(cl *client, d models.Date) bool {
	for _, m := range cl.ms {
		if m.Usable(d) {
			return true
		}
	}
	return false
}

// fillDay books generated clients into the day's lessons: the full lesson
// to capacity, the others a quarter to most of the way, children into the
// children's classes, people who can actually come in first. A few
// bookings were cancelled along the way.
func (c *Club) fillDay(dd *day, rng *rand.Rand) {
	for _, l := range dd.lessons {
		if l.Cancelled {
			continue
		}
		target := l.Capacity
		if l != dd.full {
			target = max(l.Booked, min(l.Capacity-1, l.Capacity*(25+rng.IntN(61))/100))
		}
		pool := c.adults
		if l.kids {
			pool = c.kids
		}
		if len(pool) == 0 {
			continue
		}
		strict := target * 20
		for try := 0; l.Booked < target && try < target*40; try++ {
			ci := pool[rng.IntN(len(pool))]
			if l.has(ci) {
				continue
			}
			cl := c.client(ci)
			c.ensureHistory(cl)
			if try < strict && !usable(cl, c.base) {
				continue
			}
			l.add(ci, models.Booked).due = c.dropIn(cl, dd.date)
		}
		if rng.IntN(100) < 30 {
			ci := pool[rng.IntN(len(pool))]
			if !l.has(ci) {
				st := models.Cancelled
				if rng.IntN(3) == 0 {
					st = models.LateCancelled
				}
				l.add(ci, st)
			}
		}
	}
}

// markPast records attendance on a day that is over: most came.
func markPast(dd *day, rng *rand.Rand) {
	for _, l := range dd.lessons {
		for _, b := range l.bookings {
			if b.status != models.Booked {
				continue
			}
			b.att = models.Attended
			if rng.IntN(100) < 15 {
				b.att = models.NoShow
			}
			if b.due.IsPositive() { // a day that is over was settled
				b.due, b.paid = models.Money{}, true
			}
		}
	}
}

// day returns a club day's timetable, making it on first use.
func (c *Club) day(d models.Date) *day {
	if dd := c.days[d]; dd != nil {
		return dd
	}
	dd, rng := c.buildDay(d)
	c.fillDay(dd, rng)
	if d.Before(c.base) {
		markPast(dd, rng)
	}
	c.days[d] = dd
	return dd
}

// parseLessonID reads L20261122-03 as its date and index.
func parseLessonID(id string) (models.Date, int, bool) {
	if len(id) < 12 || id[0] != 'L' || id[9] != '-' {
		return models.Date{}, 0, false
	}
	return parseDateIndex(id[1:9], id[10:])
}

func parseDateIndex(date, idx string) (models.Date, int, bool) {
	t, err := time.Parse("20060102", date)
	n, err2 := strconv.Atoi(idx)
	if err != nil || err2 != nil || n < 1 || t.Year() < 2000 || t.Year() > 2100 {
		return models.Date{}, 0, false
	}
	return models.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}, n - 1, true
}

// findLesson returns the lesson with the given ID, or nil.
func (c *Club) findLesson(id string) *lesson {
	d, i, ok := parseLessonID(id)
	if !ok {
		return nil
	}
	dd := c.day(d)
	if i >= len(dd.lessons) || dd.lessons[i].ID != id {
		return nil
	}
	return dd.lessons[i]
}

// findBooking returns the booking with the given ID and its lesson.
func (c *Club) findBooking(id string) (*lesson, *booking) {
	if len(id) < 15 || id[0] != 'B' {
		return nil, nil
	}
	lessonID, seq, ok := strings.Cut(id[1:], "-")
	if !ok {
		return nil, nil
	}
	idx, seq, ok := strings.Cut(seq, "-")
	if !ok {
		return nil, nil
	}
	l := c.findLesson("L" + lessonID + "-" + idx)
	n, err := strconv.Atoi(seq)
	if l == nil || err != nil || n < 1 || n > len(l.bookings) || l.bookings[n-1].id != id {
		return nil, nil
	}
	return l, l.bookings[n-1]
}

// public is the booking as the desk sees it.
func (c *Club) public(l *lesson, b *booking) models.Booking {
	cl := c.client(b.ci)
	return models.Booking{ID: b.id, Lesson: l.Lesson, ClientID: cl.ID, ClientName: cl.ShortName(),
		ClientPhone: cl.Phone, Status: b.status, Attendance: b.att,
		AmountDue: rub(0).Add(b.due), Paid: b.paid}
}

// dropIn is what a visit on day d costs a client: nothing on a usable
// membership, else the single-visit price.
func (c *Club) dropIn(cl *client, d models.Date) models.Money {
	if usable(cl, d) {
		return models.Money{}
	}
	p, _ := c.plan(planSingle)
	return p.Price
}

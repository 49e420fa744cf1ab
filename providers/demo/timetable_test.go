package demo

import (
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
)

func TestTimetable(t *testing.T) {
	c := newClub(t, testNow, nil)
	today := models.DateOf(testNow, moscow)
	for i := -3; i < 14; i++ {
		d := today.AddDays(i)
		from, to := d.Bounds(moscow)
		ls, err := c.Lessons(bg, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if len(ls) < 10 || len(ls) > 13 {
			t.Errorf("%s: %d lessons, want about 12", d, len(ls))
		}
		rooms := map[string]bool{}
		full := 0
		prefix := "L" + strings.ReplaceAll(d.String(), "-", "") + "-"
		for k, l := range ls {
			rooms[l.Room] = true
			if l.Full() {
				full++
			}
			if !strings.HasPrefix(l.ID, prefix) {
				t.Errorf("%s: lesson ID %s does not carry the date", d, l.ID)
			}
			if k > 0 && l.Start.Before(ls[k-1].Start) {
				t.Errorf("%s: lessons out of order", d)
			}
			open, close := from.Add(7*time.Hour), from.Add(21*time.Hour+30*time.Minute)
			if l.Start.Before(open) || l.End.After(close) || !l.End.After(l.Start) {
				t.Errorf("%s: %s %s–%s outside 07:00–21:30", d, l.Title, l.Start.Format("15:04"), l.End.Format("15:04"))
			}
			if l.Capacity < 8 || l.Capacity > 20 || l.Title == "" || l.Instructor == "" || l.Cancelled {
				t.Errorf("%s: lesson %+v", d, l)
			}
			r, err := c.Roster(bg, l.ID)
			if err != nil {
				t.Fatal(err)
			}
			active := 0
			for _, b := range r {
				if b.Active() {
					active++
				}
				if b.ClientName == "" || b.ClientPhone == "" || b.Lesson.ID != l.ID {
					t.Errorf("%s: roster entry %+v", l.ID, b)
				}
				cl := c.find(b.ClientID)
				if l.Title == "Детское плавание" && !cl.kid {
					t.Errorf("%s: adult %s in a children's class", l.ID, b.ClientName)
				}
				switch {
				case b.Active() && d.Before(today) && b.Attendance == models.Expected:
					t.Errorf("%s: past booking %s not marked", l.ID, b.ID)
				case b.Active() && l.Start.After(testNow) && b.Attendance != models.Expected:
					t.Errorf("%s: future booking %s marked", l.ID, b.ID)
				}
			}
			if active != l.Booked {
				t.Errorf("%s: Booked %d but %d active bookings", l.ID, l.Booked, active)
			}
		}
		if len(rooms) != 3 {
			t.Errorf("%s: rooms %v, want 3", d, rooms)
		}
		if full != 1 {
			t.Errorf("%s: %d full lessons, want exactly one", d, full)
		}
	}
}

func TestTodayUnderWay(t *testing.T) {
	c := newClub(t, testNow, nil)
	from, to := models.DateOf(testNow, moscow).Bounds(moscow)
	bs, err := c.ClientBookings(bg, idGreen, from, to)
	if err != nil || len(bs) != 1 || bs[0].Status != models.Booked {
		t.Fatalf("Зеленина's bookings today: %+v, %v", bs, err)
	}
	if h := bs[0].Lesson.Start.Hour(); h < 11 || h > 13 {
		t.Errorf("Зеленина is booked at %v, want near midday", bs[0].Lesson.Start)
	}
	marked, expected := 0, 0
	ls, _ := c.Lessons(bg, from, to)
	for _, l := range ls {
		r, _ := c.Roster(bg, l.ID)
		for _, b := range r {
			if !l.Start.After(testNow) && b.Active() {
				if b.Attendance == models.Expected {
					expected++
				} else {
					marked++
				}
			}
		}
	}
	if marked == 0 {
		t.Error("no attendance marked on lessons that have begun")
	}
	// Darya checked in for the class at 10:00 and is marked.
	bs, _ = c.ClientBookings(bg, idCheckedIn, from, to)
	vs, _ := c.Visits(bg, idCheckedIn, from)
	if len(vs) != 1 || vs[0].At != testNow.Add(-12*time.Minute) {
		t.Fatalf("Пришвина's visits today: %+v", vs)
	}
	if len(bs) == 1 && (bs[0].Attendance != models.Attended || vs[0].LessonID != bs[0].Lesson.ID) {
		t.Errorf("Пришвина's booking %+v and visit %+v do not agree", bs[0], vs[0])
	}
	rep, err := c.ShiftReport(bg, models.DateOf(testNow, moscow))
	if err != nil || rep.CheckIns < marked || rep.Sales == 0 || !rep.Total.IsPositive() {
		t.Errorf("the report of a morning: %+v, %v", rep, err)
	}
}

func TestLessonRanges(t *testing.T) {
	c := newClub(t, testNow, map[string]any{"clients": 300})
	ls, err := c.Lessons(bg, testNow, testNow)
	if err != nil || len(ls) != 0 {
		t.Errorf("an empty range: %v, %v", ls, err)
	}
	ls, _ = c.Lessons(bg, testNow, testNow.Add(3*time.Hour))
	for _, l := range ls {
		if l.Start.Before(testNow) || !l.Start.Before(testNow.Add(3*time.Hour)) {
			t.Errorf("lesson at %v outside the range", l.Start)
		}
	}
	_, err = c.Lessons(bg, testNow, testNow.AddDate(2, 0, 0))
	wantKind(t, err, errValidation)
	for _, id := range []string{"", "L", "L20261122-99", "L20261122-00", "L2026112x-01", "X20261122-01"} {
		_, err := c.Roster(bg, id)
		wantKind(t, err, errNotFound)
	}
	// A lesson ID from any day works, even one never listed.
	r, err := c.Roster(bg, "L20270315-02")
	if err != nil || len(r) == 0 {
		t.Errorf("Roster of a day never listed: %d bookings, %v", len(r), err)
	}
}

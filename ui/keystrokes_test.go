package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/ui/screens"
)

// The rush-hour table of issue 18, counted on the real event loop: keys
// written to the console's input as a receptionist presses them, a CRM
// that answers late, and the outcome the task is for checked in the CRM
// and the journal. Each test asserts its target; a key the desk needed
// more would show as a task that does not get done.

const (
	strokeLatency = 20 * time.Millisecond
	strokeGap     = 150 * time.Millisecond // a receptionist who knows the keys
)

// running is a clock that starts at base and runs with the machine's.
func running(base time.Time) func() time.Time {
	start := time.Now()
	return func() time.Time { return base.Add(time.Since(start)) }
}

func (d *deskProgram) count(prefix string) int {
	n := 0
	for _, w := range d.writes.list() {
		if strings.HasPrefix(w, prefix) {
			n++
		}
	}
	return n
}

// press sends the task's keys at a receptionist's pace and returns how
// many they were.
func (d *deskProgram) press(keys ...string) int {
	d.apart(strokeGap, keys...)
	return len(keys)
}

func atMost(t *testing.T, task string, keys, target int) {
	t.Helper()
	if keys > target {
		t.Errorf("%s: %d keys, target ≤ %d", task, keys, target)
	}
	t.Logf("%s: %d keys (target ≤ %d)", task, keys, target)
}

// TestKeysAGreenMemberChecksInByCard: the scan only.
func TestKeysAGreenMemberChecksInByCard(t *testing.T) {
	d := startDeskProgramWith(t, strokeLatency, nil, RushOptions{CheckInOnScan: true})
	d.write(cardGreen + "\r") // the reader
	d.waitText("✔ вход отмечен", "Зеленина Ольга")
	d.quiet()
	if n := d.count("CheckIn "); n != 1 {
		t.Fatalf("%d check-ins reached the CRM", n)
	}
	atMost(t, "green member checks in by card", 0, 0)
}

// TestKeysARedMemberLetInWithAReason: scan, Enter, one key for a preset
// reason.
func TestKeysARedMemberLetInWithAReason(t *testing.T) {
	d := startDeskProgramWith(t, strokeLatency, nil, RushOptions{CheckInOnScan: true, BellOnRed: true, FlashOnRed: true})
	d.card(cardNoVisits, "Пустовойт Марина")
	keys := d.press("enter")
	d.waitText("1 — Оплатит после тренировки")
	d.look()
	keys += d.press("1")
	d.waitText("✔ вход отмечен")
	d.quiet()
	if n := d.count("CheckIn "); n != 1 {
		t.Fatalf("%d check-ins reached the CRM", n)
	}
	var reasons []string
	for _, op := range d.j.Since(time.Now().Add(-time.Hour)) {
		if op.Intent.Kind == journal.Override {
			reasons = append(reasons, op.Intent.Reason)
		}
	}
	if !slices.Equal(reasons, []string{"Оплатит после тренировки"}) {
		t.Fatalf("overrides journalled: %q", reasons)
	}
	atMost(t, "red member let in with a reason (after the scan)", keys, 2)
}

// rushRoster opens the timetable on Monday at 17:05, when the 17:30 Tabata
// has 12 booked and none marked, and puts the cursor on it.
func rushRoster(t *testing.T) (*deskProgram, models.Lesson) {
	t.Helper()
	base := time.Date(2026, 11, 23, 17, 5, 0, 0, moscow)
	d := startDeskProgramWith(t, strokeLatency, running(base), RushOptions{})
	d.together("f3")
	loaded(d, screens.KindCalendar)
	var lesson models.Lesson
	row, cursor := -1, 0
	d.inspect(func(m *Model) {
		p := screens.Peek(m.top())
		cursor = p.Cursor
		for i, l := range p.Lessons {
			if l.Title == "Табата" && l.Start.In(moscow).Format("15:04") == "17:30" {
				row, lesson = i, l
			}
		}
	})
	if row < cursor {
		t.Fatalf("no 17:30 Tabata ahead on the demo's Monday (row %d, cursor %d)", row, cursor)
	}
	for range row - cursor { // to it, before the task's keys
		d.apart(strokeGap, "down")
	}
	d.waitFor("the cursor on the Tabata", func(m *Model) bool { return screens.Peek(m.top()).Cursor == row })
	d.look()
	return d, lesson
}

func (d *deskProgram) unmarked(lessonID string) (left, all int) {
	d.t.Helper()
	got, err := d.writes.Roster(context.Background(), lessonID)
	if err != nil {
		d.t.Fatal(err)
	}
	for _, b := range got {
		if b.Active() {
			all++
			if b.Attendance == models.Expected {
				left++
			}
		}
	}
	return left, all
}

// TestKeysARosterOfTwelveMarkedCame: Enter and one key a row (≤ 13), or
// Enter, A and y.
func TestKeysARosterOfTwelveMarkedCame(t *testing.T) {
	d, lesson := rushRoster(t)
	if left, all := d.unmarked(lesson.ID); left != 12 {
		t.Fatalf("the roster has %d of %d to mark, want 12", left, all)
	}
	keys := d.press("enter")
	loaded(d, screens.KindRoster)
	d.look()
	for range 12 {
		keys += d.press("a")
	}
	d.quiet()
	if left, _ := d.unmarked(lesson.ID); left != 0 {
		t.Fatalf("%d left unmarked after %d keys:\n%s", left, keys, d.screen())
	}
	atMost(t, "roster of 12 marked came, a key a row", keys, 13)

	d, lesson = rushRoster(t)
	keys = d.press("enter")
	loaded(d, screens.KindRoster)
	d.look()
	keys += d.press("A")
	d.waitText("(12)? y — да, n — нет")
	d.look()
	keys += d.press("y")
	d.quiet()
	if left, _ := d.unmarked(lesson.ID); left != 0 {
		t.Fatalf("%d left unmarked after all came", left)
	}
	atMost(t, "roster of 12 marked came, all came", keys, 3)
}

// TestKeysASaleSplitCardAndCash: from the card to the review, 1 000 by
// card and the rest in cash, ≤ 8 keys.
func TestKeysASaleSplitCardAndCash(t *testing.T) {
	d := startDeskProgramWith(t, strokeLatency, nil, RushOptions{})
	d.card(cardGreen, "Зеленина Ольга")
	keys := d.press("f4")
	loaded(d, screens.KindSale)
	d.waitText("8 посещений")
	d.look()
	keys += d.press("enter")
	d.waitText("2 Условия")
	d.look()
	keys += d.press("enter")
	d.waitText("3 Оплата")
	d.look()
	keys += d.press("1", "0", "0", "0", "enter")
	d.waitText("4 Проверка", "Банковская карта 1 000 ₽", "Наличные")
	atMost(t, "sale split card + cash, to the review", keys, 8)
}

// TestKeysAWalkInOnALesson: the data and at most 3 keys more — Enter on
// the lesson, w, the surname, name and phone on one line, Ctrl+S.
func TestKeysAWalkInOnALesson(t *testing.T) {
	d, lesson := rushRoster(t)
	if lesson.Full() {
		t.Fatal("the Tabata is full")
	}
	keys := d.press("enter")
	loaded(d, screens.KindRoster)
	d.look()
	keys += d.press("w")
	d.waitText("Пришёл без записи")
	d.look()
	data := "Гостев Пётр 8 916 700-11-22"
	d.apart(90*time.Millisecond, strings.Split(data, "")...)
	d.look()
	keys += d.press("ctrl+s")
	d.waitText("Гостев Пётр — пришёл")
	d.quiet()
	found := false
	got, err := d.writes.Roster(context.Background(), lesson.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range got {
		found = found || b.ClientName == "Гостев Пётр" && b.Attendance == models.Attended
	}
	if !found {
		t.Fatalf("the walk-in is not on the roster as came:\n%s", d.screen())
	}
	atMost(t, "walk-in on a lesson, keys besides the data", keys, 3)
}

// TestAGreenScanAndAHabitualEnter: the old habit — scan, then Enter — read
// with the scan in one write, or a moment after, or twice, never checks in
// twice.
func TestAGreenScanAndAHabitualEnter(t *testing.T) {
	for _, tc := range []struct {
		name  string
		press func(d *deskProgram)
	}{
		{"in the reader's write", func(d *deskProgram) { d.write(cardGreen + "\r\r") }},
		{"a moment after", func(d *deskProgram) {
			d.write(cardGreen + "\r")
			time.Sleep(120 * time.Millisecond)
			d.together("enter")
		}},
		{"after the card showed, twice", func(d *deskProgram) {
			d.write(cardGreen + "\r")
			d.waitText("✔ вход отмечен")
			d.look()
			d.apart(strokeGap, "enter", "enter")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := startDeskProgramWith(t, strokeLatency, nil, RushOptions{CheckInOnScan: true})
			tc.press(d)
			d.waitText("вход отмечен")
			d.quiet()
			if n := d.count("CheckIn "); n != 1 {
				t.Fatalf("%d check-ins reached the CRM:\n%s", n, d.screen())
			}
		})
	}
}

package ui

import (
	"context"
	"strconv"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/screens"
)

// openRosterWhere opens, by keys, the first of today's rosters that ok
// accepts, and returns what it shows.
func openRosterWhere(h *harness, ok func(screens.Snapshot) bool) screens.Snapshot {
	h.t.Helper()
	h.press("f3")
	for i := range h.peek().Lessons {
		h.selectRow(i)
		h.press("enter")
		if r := h.peek(); r.Kind == screens.KindRoster && ok(r) {
			return r
		}
		h.press("esc")
	}
	h.t.Fatal("no demo roster fits")
	return screens.Snapshot{}
}

func expected(bs []models.Booking) int {
	n := 0
	for _, b := range bs {
		if b.Active() && b.Attendance == models.Expected {
			n++
		}
	}
	return n
}

func rosterOf(h *harness, lessonID string) []models.Booking {
	h.t.Helper()
	got, err := h.m.sh.Provider().Roster(context.Background(), lessonID)
	if err != nil {
		h.t.Fatal(err)
	}
	return got
}

// TestAllCameWithOneQuestion: A asks once, naming how many it marks; y
// marks them all; Enter does not answer.
func TestAllCameWithOneQuestion(t *testing.T) {
	h := newHarness(t, "ru")
	r := openRosterWhere(h, func(r screens.Snapshot) bool {
		return expected(r.Bookings) >= 2 && r.Lesson.Start.Sub(h.now) <= time.Hour
	})
	n := expected(r.Bookings)
	h.press("A")
	h.expect("Отметить «пришёл» всех, кто ещё не отмечен (" + itoa(n) + ")? y — да, n — нет")
	h.press("enter")
	if expected(rosterOf(h, r.Lesson.ID)) != n {
		t.Fatal("Enter answered the question")
	}
	h.press("y")
	if left := expected(rosterOf(h, r.Lesson.ID)); left != 0 {
		t.Fatalf("%d of %d left unmarked after all came", left, n)
	}
	h.press("A")
	h.expect("Все записи уже отмечены")
}

// TestAnEarlyMarkAsksFirst: more than an hour before the lesson, the first
// mark asks; once confirmed, the roster is marked at one key a row again.
func TestAnEarlyMarkAsksFirst(t *testing.T) {
	h := newHarness(t, "en")
	r := openRosterWhere(h, func(r screens.Snapshot) bool {
		return expected(r.Bookings) >= 2 && r.Lesson.Start.Sub(h.now) > time.Hour
	})
	n := expected(r.Bookings) // the snapshot's rows change as they are marked
	for i, b := range r.Bookings {
		if b.Active() && b.Attendance == models.Expected {
			h.selectRow(i)
			break
		}
	}
	h.press("space")
	h.expect("more than an hour away", "y — yes, n — no")
	if expected(rosterOf(h, r.Lesson.ID)) != n {
		t.Fatal("an early mark went out before the answer")
	}
	h.press("y")
	h.press("space")
	if got, want := expected(rosterOf(h, r.Lesson.ID)), n-2; got != want {
		t.Fatalf("%d left to mark, want %d", got, want)
	}
	h.expectNot("more than an hour away")
}

// TestAScanOnTheRoster: a booked client's card marks them came; a card
// whose client is not on the list asks to book them, and y books and marks.
func TestAScanOnTheRoster(t *testing.T) {
	h := newHarness(t, "ru")
	green, err := h.m.sh.Provider().ClientByCard(context.Background(), cardGreen)
	if err != nil {
		t.Fatal(err)
	}
	debtor, err := h.m.sh.Provider().ClientByCard(context.Background(), cardKid)
	if err != nil {
		t.Fatal(err)
	}
	r := openRosterWhere(h, func(r screens.Snapshot) bool {
		in := false
		for _, b := range r.Bookings {
			in = in || b.ClientID == green.ID && b.Active() && b.Attendance == models.Expected
			if b.ClientID == debtor.ID {
				return false
			}
		}
		return in && !r.Lesson.Full()
	})
	h.scan(cardGreen)
	if r.Lesson.Start.Sub(h.now) > time.Hour {
		h.expect("До занятия больше часа")
		h.press("y")
	}
	for _, b := range rosterOf(h, r.Lesson.ID) {
		if b.ClientID == green.ID && b.Attendance != models.Attended {
			t.Fatalf("the scan did not mark %s: %v", b.ClientName, b.Attendance)
		}
	}
	if h.peek().Kind != screens.KindRoster {
		t.Fatalf("the scan left the roster for %v", h.peek().Kind)
	}
	h.scan(cardKid)
	h.expect("нет в списке этого занятия. Записать и отметить «пришёл»?", "да, n — нет")
	h.press("y")
	found := false
	for _, b := range rosterOf(h, r.Lesson.ID) {
		if b.ClientID == debtor.ID {
			found = true
			if b.Attendance != models.Attended {
				t.Errorf("booked by scan but %v", b.Attendance)
			}
		}
	}
	if !found {
		t.Fatal("y did not book the scanned client")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestARosterOpensOnTheFirstRowToMark: a key a row from the start, even
// when the first rows came already.
func TestARosterOpensOnTheFirstRowToMark(t *testing.T) {
	h := newHarness(t, "en")
	r := openRosterWhere(h, func(r screens.Snapshot) bool {
		return len(r.Bookings) > 1 && r.Bookings[0].Attendance == models.Attended && expected(r.Bookings) > 0
	})
	if b := r.Bookings[r.Cursor]; !b.Active() || b.Attendance != models.Expected {
		t.Fatalf("the roster opened on %s (%v), not on the first row to mark", b.ClientName, b.Attendance)
	}
}

// TestScansInARowOnTheRoster: two cards scanned before the first lookup
// answered both mark; a card scanned while a question is up waits for the
// answer and says so.
func TestScansInARowOnTheRoster(t *testing.T) {
	h := newHarness(t, "en")
	prov := h.m.sh.Provider()
	r := openRosterWhere(h, func(r screens.Snapshot) bool {
		return r.Lesson.Capacity-r.Lesson.Booked >= 2 && r.Lesson.Start.After(h.now)
	})
	if r.Lesson.Start.Sub(h.now) > time.Hour {
		h.now = r.Lesson.Start.Add(-10 * time.Minute) // no early question
	}
	two := []string{cardGreen, cardKid}
	var ids []string
	for _, card := range two {
		c, err := prov.ClientByCard(context.Background(), card)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
		if _, err := prov.Book(context.Background(), r.Lesson.ID, c.ID); err != nil {
			t.Fatalf("book %s: %v", c.ShortName(), err)
		}
	}
	h.press("f5")
	// Both scans before either lookup is answered.
	var held []tea.Cmd
	for _, card := range two {
		a, took := h.top().TakeScan(card)
		if !took {
			t.Fatal("the roster did not take the scan")
		}
		held = append(held, h.m.apply(a))
	}
	for _, c := range held {
		h.run(c)
	}
	for _, b := range rosterOf(h, r.Lesson.ID) {
		for _, id := range ids {
			if b.ClientID == id && b.Active() && b.Attendance != models.Attended {
				t.Errorf("%s, scanned in a row, is %v", b.ClientName, b.Attendance)
			}
		}
	}
	h.press("A")
	h.scan(cardDebt)
	h.expect("Answer the question first")
}

// TestAWalkInOnOneLine: w, the surname, name and phone on the first line,
// Ctrl+S — registered, booked and marked came.
func TestAWalkInOnOneLine(t *testing.T) {
	h := newHarness(t, "ru")
	r := openRosterWhere(h, func(r screens.Snapshot) bool {
		return !r.Lesson.Full() && r.Lesson.End.After(h.now) && r.Lesson.Start.Sub(h.now) <= time.Hour
	})
	h.press("w")
	h.expect("Можно одной строкой в первом поле: фамилия, имя и телефон — и Ctrl+S")
	h.typeText("гостев пётр 8 916 700-11-22")
	h.press("ctrl+s")
	found := false
	for _, b := range rosterOf(h, r.Lesson.ID) {
		if b.ClientName == "Гостев Пётр" {
			found = true
			if b.Attendance != models.Attended {
				t.Errorf("the walk-in is %v", b.Attendance)
			}
		}
	}
	if !found {
		t.Fatalf("no walk-in on the roster:\n%s", h.screen())
	}
}

// TestOneLineNeverOverridesTypedFields: the first line is split only while
// the fields it would fill are empty.
func TestOneLineNeverOverridesTypedFields(t *testing.T) {
	h := newHarness(t, "en")
	h.press("ctrl+n")
	h.typeText("Де ла Круз")
	h.press("tab")
	h.typeText("Мария")
	h.press("tab", "tab")
	h.typeText("+7 916 700-11-23")
	h.press("ctrl+s")
	h.expect("Client: Де ла Круз Мария")
}

// TestAnEarlyMarkWhereTheCRMCannotMark: the CRM's refusal comes first, not
// a question whose yes could do nothing.
func TestAnEarlyMarkWhereTheCRMCannotMark(t *testing.T) {
	h := newHarness(t, "en", func(p providers.Provider) providers.Provider { return noMarks{p} })
	openRosterWhere(h, func(r screens.Snapshot) bool {
		return expected(r.Bookings) > 0 && r.Lesson.Start.Sub(h.now) > time.Hour
	})
	h.press("a")
	h.expectNot("more than an hour away")
	h.expect("This CRM cannot do that")
}

// noMarks is the demo club without attendance marks (LuckyFit, Go-CRM).
type noMarks struct{ providers.Provider }

func (n noMarks) Capabilities() providers.Capabilities {
	return n.Provider.Capabilities().Without(providers.CapAttendance, providers.Words{EN: "marks come from the turnstile", RU: "отметки ставит турникет"})
}

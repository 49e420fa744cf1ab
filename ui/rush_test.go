package ui

import (
	"context"
	"testing"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/screens"
)

// TestARosterIsMarkedAtOneKeyARow: a marks the row and moves to the next
// one still to mark, so a roster of N is marked with N presses of a.
func TestARosterIsMarkedAtOneKeyARow(t *testing.T) {
	h := newHarness(t, "ru")
	h.press("f3")
	var r screens.Snapshot
	toMark := 0
	for i := range h.peek().Lessons {
		h.selectRow(i)
		h.press("enter")
		r, toMark = h.peek(), 0
		for _, b := range r.Bookings {
			if b.Active() && b.Attendance == models.Expected {
				toMark++
			}
		}
		if toMark >= 3 {
			break
		}
		h.press("esc")
	}
	if toMark < 3 {
		t.Fatalf("no demo roster has rows to mark")
	}
	// From the first row to mark.
	for i, b := range r.Bookings {
		if b.Active() && b.Attendance == models.Expected {
			h.selectRow(i)
			break
		}
	}
	for range toMark {
		h.press("a")
	}
	got, err := h.m.sh.Provider().Roster(context.Background(), r.Lesson.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range got {
		if b.Active() && b.Attendance != models.Attended {
			t.Errorf("%s is %v after %d presses of a", b.ClientName, b.Attendance, toMark)
		}
	}
	// A row that came offers no cancellation, and x says why.
	h.expectNot("x отменить запись")
	h.press("x")
	h.expect("отмены нет")
}

// TestAnErrorStaysUntilRead: a red message is not cleared by the next key;
// Esc acknowledges it.
func TestAnErrorStaysUntilRead(t *testing.T) {
	h := newHarness(t, "en", func(p providers.Provider) providers.Provider { return limited{p} })
	h.press("f4") // no client: F4 says to open one first (yellow)
	h.expect("▲")
	h.press("down")
	h.expectNot("▲")
	h.press("f3") // this CRM has no timetable: red
	h.expect("✖ This CRM cannot do that")
	h.press("down")
	h.expect("✖ This CRM cannot do that")
	h.press("esc")
	h.expectNot("✖")
}

// TestDigitsTypedOnAProposedAmountReplaceIt: the payment proposes the
// total; typing an amount replaces it instead of being added to its end.
func TestDigitsTypedOnAProposedAmountReplaceIt(t *testing.T) {
	h := newHarness(t, "ru")
	h.scan(cardDebt)
	h.press("p")
	h.expect("2 500")
	h.typeText("1000")
	h.press("enter")
	h.expect("Провести оплату 1 000 ₽?")
}

// TestASplitIsTheOtherAmountTyped: the sale's payment proposes it all in
// cash and waits on the card: an amount typed is the card's, the rest stays
// cash by itself; the hint says so.
func TestASplitIsTheOtherAmountTyped(t *testing.T) {
	h := newHarness(t, "ru")
	h.scan(cardGreen)
	h.press("f4", "enter", "enter")
	h.expect("3 Оплата", "Сумма картой — остаток останется наличными")
	h.typeText("1000")
	h.press("enter")
	h.expect("4 Проверка", "Банковская карта 1 000 ₽", "Наличные")
	h.expectNot("Осталось распределить: -")
}

// TestTheBookingPickerFiltersAndMarks: typing filters the day by time or
// title; the lessons the client is booked in are marked, and Enter on one
// says so instead of asking the CRM.
func TestTheBookingPickerFiltersAndMarks(t *testing.T) {
	h := newHarness(t, "ru")
	h.scan(cardGreen)
	h.press("b")
	all := h.peek().Lessons
	h.expect("12:00–12:55 Пилатес            Зал 1        Марина Лебедева       ✔ записан(а)")
	h.typeText("12")
	got := h.peek().Lessons
	if len(got) == 0 || len(got) >= len(all) {
		t.Fatalf("\"12\" shows %d of %d lessons", len(got), len(all))
	}
	for _, l := range got {
		if hh := l.Start.In(moscow).Hour(); hh != 12 {
			t.Errorf("\"12\" shows %s at %d h", l.Title, hh)
		}
	}
	h.press("enter") // Пилатес 12:00, booked already
	h.expect("уже в списке")
	h.press("esc") // clears the filter
	if n := len(h.peek().Lessons); n != len(all) {
		t.Fatalf("Esc left %d of %d lessons", n, len(all))
	}
	h.typeText("gbkf") // "пила" typed with the Latin layout on
	for _, l := range h.peek().Lessons {
		if l.Title != "Пилатес" {
			t.Errorf("\"пила\" shows %s", l.Title)
		}
	}
	if len(h.peek().Lessons) != 3 {
		t.Fatalf("\"пила\" shows %d lessons, want the day's 3 Pilates", len(h.peek().Lessons))
	}
	h.press("esc", "esc")
	if h.peek().Kind != screens.KindCard {
		t.Fatalf("Esc Esc left %v on top", h.peek().Kind)
	}
}

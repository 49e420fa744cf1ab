package ui

import (
	"testing"

	"github.com/clubdesk/clubdesk/ui/screens"
)

// TestWhoIsHere: F8 lists the day's check-ins with names and times, newest
// first; typing filters by name (either layout) or time; F6's count has
// the names behind it on Enter.
func TestWhoIsHere(t *testing.T) {
	h, _ := rushHarness(t, "ru", rushDesk)
	h.press("f8")
	h.expect("Кто в клубе", "Сегодня входов ещё не было")
	h.press("esc")
	h.scan(cardGreen) // in by the scan
	h.scan(cardKid)
	h.scan(cardNoVisits)
	h.press("enter", "1") // let in with a reason
	h.press("f8")
	h.expect("Входов сегодня: 3", "Зеленина Ольга", "Малышев Тимофей", "Пустовойт Марина", "причина: Оплатит после тренировки", "10:05")
	h.typeText("мал")
	h.expect("Малышев Тимофей")
	h.expectNot("Зеленина Ольга", "Пустовойт Марина")
	h.press("esc") // clears the field first
	h.expect("Зеленина Ольга", "Малышев Тимофей")
	h.typeText("pt") // "зе" typed with the Latin layout on: no, "pt" is "зе"
	h.expect("Зеленина Ольга")
	h.expectNot("Малышев Тимофей")
	h.press("enter")
	if p := h.peek(); p.Kind != screens.KindCard || p.Client.LastName != "Зеленина" {
		t.Fatalf("Enter on Зеленина opened %v %q", p.Kind, p.Client.LastName)
	}
	h.press("esc")
	h.press("esc", "esc")
	if h.peek().Kind == screens.KindWho {
		t.Fatal("Esc with an empty field did not go back")
	}
	h.press("f6")
	h.expect("Enter — кто вошёл")
	h.press("enter")
	if p := h.peek(); p.Kind != screens.KindWho || p.Stage != 3 {
		t.Fatalf("Enter on the report: %v with %d rows", p.Kind, p.Stage)
	}
}

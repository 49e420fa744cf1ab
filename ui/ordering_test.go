package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/ui/i18n"
	"github.com/clubdesk/clubdesk/ui/screens"
)

// The reproductions of "keys act on what the receptionist saw", each on
// the real event loop with keys written as a link delivers them and a CRM
// that answers late. Each failed before the screens' actions were applied
// in the root's Update.

const cardKid = "0043318759" // Малышев: green

func hasWrite(writes []string, prefix string) bool {
	return slices.ContainsFunc(writes, func(w string) bool { return strings.HasPrefix(w, prefix) })
}

// A scan of another client's card, and an Enter 150 ms later while the
// CRM looks the card up: the Enter checks no one in — not the client on
// screen, not the one whose card is on its way — and says why.
func TestAScanThenEnterChecksNoOneIn(t *testing.T) {
	d := startDeskProgram(t, 400*time.Millisecond)
	d.card(cardKid, "Малышев Тимофей")
	d.write(cardGreen + "\r")
	time.Sleep(150 * time.Millisecond)
	d.write("\r")
	d.waitText("Карточка клиента: Зеленина Ольга", "Абонементы")
	d.quiet()
	if w := d.writes.list(); hasWrite(w, "CheckIn") {
		t.Fatalf("the Enter pressed during the lookup checked someone in: %v", w)
	}
}

// A scan split by a network in two (00408, 80 ms, 56634 and Enter) on a
// client's card is one scan: the card it names opens, and the client on
// screen is not checked in.
func TestASplitScanIsOneScan(t *testing.T) {
	d := startDeskProgram(t, 50*time.Millisecond)
	d.card(cardKid, "Малышев Тимофей")
	d.write(cardGreen[:5])
	time.Sleep(80 * time.Millisecond)
	d.write(cardGreen[5:] + "\r")
	d.waitText("Карточка клиента: Зеленина Ольга")
	d.quiet()
	if w := d.writes.list(); hasWrite(w, "CheckIn") {
		t.Fatalf("the Enter of a split scan checked someone in: %v", w)
	}
}

// Enter Enter on a client checked in minutes ago: the first asks whether
// to check in again, the second does not answer it.
func TestEnterEnterDoesNotCheckInTwice(t *testing.T) {
	d := startDeskProgram(t, 30*time.Millisecond)
	d.card(cardRecent, "Пришвина Дарья")
	d.together("enter", "enter")
	d.quiet()
	d.waitText("Отметить ещё раз?")
	if w := d.writes.list(); hasWrite(w, "CheckIn") {
		t.Fatalf("a repeated Enter checked her in again: %v", w)
	}
	d.together("y")
	d.quiet()
	if w := d.writes.list(); !hasWrite(w, "CheckIn 10011") {
		t.Fatalf("y did not check her in: %v", w)
	}
}

// Enter Enter on the sale's payment step reviews the sale and sends
// nothing; on a debt's payment, Enter Enter pays nothing.
func TestEnterEnterMovesNoMoney(t *testing.T) {
	d := startDeskProgram(t, 30*time.Millisecond)
	d.card(cardGreen, "Зеленина Ольга")
	d.together("f4")
	d.waitText("8 посещений")
	d.apart(300*time.Millisecond, "enter", "enter")
	d.waitText("3 Оплата")
	d.together("enter", "enter")
	d.quiet()
	d.waitText("4 Проверка", "y — да, n — нет")
	if w := d.writes.list(); hasWrite(w, "Sell") {
		t.Fatalf("Enter Enter sold: %v", w)
	}

	d.together("f2")
	d.card(cardDebt, "Должиков Игорь")
	d.together("p")
	d.waitText("Оплата долга")
	d.together("enter", "enter")
	d.quiet()
	d.waitText("Провести оплату 2 500 ₽?")
	if w := d.writes.list(); hasWrite(w, "TakePayment") {
		t.Fatalf("Enter Enter paid the debt: %v", w)
	}
}

// x Enter on a roster asks and cancels nothing; F10 Enter while a write is
// in flight does not quit.
func TestEnterAnswersNoQuestion(t *testing.T) {
	d := startDeskProgram(t, 30*time.Millisecond)
	d.together("f3")
	d.waitText("Расписание", "Время")
	d.quiet()
	d.together("enter")
	d.waitFor("the roster", func(m *Model) bool {
		p := screens.Peek(m.top())
		return p.Kind == screens.KindRoster && !p.Loading && len(p.Bookings) > 0
	})
	d.together("x", "enter")
	d.quiet()
	if w := d.writes.list(); hasWrite(w, "CancelBooking") {
		t.Fatalf("x Enter cancelled a booking: %v", w)
	}
	d.together("esc")
	d.quiet()

	slow := startDeskProgram(t, 2*time.Second)
	slow.card(cardRecent, "Пришвина Дарья")
	slow.together("enter", "y") // a check-in on its way for two seconds
	slow.waitFor("the write in flight", func(m *Model) bool { _, write := m.busy(); return write })
	slow.together("f10", "enter")
	time.Sleep(100 * time.Millisecond)
	slow.waitText("Идёт запись в CRM — выйти", "y — да, n — нет")
	select {
	case <-slow.done:
		t.Fatal("F10 Enter quit while a write was in flight")
	default:
	}
}

// Navigation read at once with the key before it lands where the
// receptionist asked: Enter F3 on the sale's result is the timetable, Enter
// F2 on the timetable is the search, Enter F3 on an unknown card is the
// timetable, Enter F3 on the search is the timetable.
func TestNavigationReadAtOnceLandsWhereAsked(t *testing.T) {
	d := startDeskProgram(t, 30*time.Millisecond)
	want := func(keys []string, top screens.Kind) {
		t.Helper()
		d.together(keys...)
		d.quiet()
		var got screens.Kind
		var depth int
		d.inspect(func(m *Model) { got, depth = m.top().Kind(), len(m.stack) })
		if got != top || depth > 2 {
			t.Fatalf("%v: the top is %s at depth %d, want %s:\n%s", keys, got, depth, top, d.screen())
		}
	}
	d.write("Зелен")
	d.waitText("Найдено: 1")
	want([]string{"enter", "f3"}, screens.KindCalendar) // search: Enter opens the card, F3 leaves it
	d.waitFor("the timetable", func(m *Model) bool { return len(screens.Peek(m.top()).Lessons) > 0 })
	want([]string{"enter", "f2"}, screens.KindSearch) // timetable: Enter opens the roster, F2 leaves it

	d.write("0099999999\r")
	d.waitText("Неизвестная карта")
	d.look()
	want([]string{"enter", "f3"}, screens.KindCalendar) // unknown card: Enter opens the pick, F3 leaves it

	d.together("f2")
	d.card(cardGreen, "Зеленина Ольга")
	d.together("f4")
	d.waitText("8 посещений")
	d.apart(300*time.Millisecond, "enter", "enter", "enter", "y")
	d.waitText("Продажа выполнена")
	want([]string{"enter", "f3"}, screens.KindCalendar) // sale result: Enter back to the card, F3 leaves it
}

// A sale confirmed and left at once (y F2): the receptionist is on the
// search, and the sale's outcome still reaches them.
func TestALeftSalesOutcomeIsShown(t *testing.T) {
	d := startDeskProgram(t, 300*time.Millisecond)
	d.card(cardGreen, "Зеленина Ольга")
	d.together("f4")
	d.waitText("8 посещений")
	d.apart(300*time.Millisecond, "enter", "enter", "enter")
	d.waitText("4 Проверка")
	d.together("y", "f2")
	d.waitText("Поиск клиента", "готово")
	if w := d.writes.list(); !hasWrite(w, "Sell") {
		t.Fatalf("the sale was not sent: %v", w)
	}
}

// Esc and a key read at once decode as Alt+key; both act: Esc and F3 on a
// card is the timetable, Esc and a letter on the search clears the field
// and types the letter.
func TestEscAndAKeyReadAtOnceBothAct(t *testing.T) {
	d := startDeskProgram(t, 30*time.Millisecond)
	d.card(cardGreen, "Зеленина Ольга")
	d.together("esc", "f3")
	d.waitFor("the timetable", func(m *Model) bool { return m.top().Kind() == screens.KindCalendar })
	d.together("f2")
	d.write("Зел")
	d.waitText("Поиск: Зел")
	d.quiet()
	d.together("esc", "и")
	d.quiet()
	if q := func() (q string) { d.inspect(func(m *Model) { q = screens.Peek(m.top()).Query }); return }(); q != "и" {
		t.Fatalf("the field holds %q, want the field cleared and и typed", q)
	}
}

// TestAllCameOnARosterStillLoadingSaysSo: Enter A y read at once from the
// timetable, with the CRM answering late, opens a roster whose list has not
// come: A marks no one, and the note that says why stays on the screen
// through the y bunched after it (it was "nothing to mark", wiped at once).
func TestAllCameOnARosterStillLoadingSaysSo(t *testing.T) {
	d := startDeskProgram(t, 400*time.Millisecond)
	d.together("f3")
	d.waitText("Расписание", "Время")
	d.quiet()
	d.together("down", "enter", "A", "y")
	tr := i18n.For("ru")
	d.waitText(tr.ListLoading)
	d.quiet()
	if w := d.writes.list(); hasWrite(w, "MarkAttendance") {
		t.Fatalf("A y on a roster still loading marked: %v", w)
	}
	if s := d.screen(); strings.Contains(s, tr.R.NothingToMark) {
		t.Fatalf("the roster said nothing to mark before its list came:\n%s", s)
	}
}

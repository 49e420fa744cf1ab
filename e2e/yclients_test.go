package e2e

import (
	"strings"
	"testing"

	"github.com/clubdesk/clubdesk/providers/yclients/yclientstest"
)

const (
	ycPartner = "yc-e2e-partner"
	ycUser    = "yc-e2e-user"
)

// startYCLIENTS opens the built console in tmux on a YCLIENTS profile
// pointing at srv, with the tokens passed by the environment override.
func startYCLIENTS(t *testing.T, srv *yclientstest.Server) *tmuxSession {
	t.Helper()
	config := `profile = "club"
language = "ru"
[profiles.club]
provider = "yclients"
base_url = "` + srv.URL + `"
branch = "37532"
operator = "Анна"
timezone = "Europe/Moscow"
`
	return startDesk(t, config, "CLUBDESK_YCLIENTS_PARTNER_TOKEN="+ycPartner, "CLUBDESK_YCLIENTS_USER_TOKEN="+ycUser)
}

// TestEndToEndYCLIENTS drives the built console in tmux against a local
// YCLIENTS (providers/yclients/yclientstest) with provider = "yclients":
// search by name, the card with its abonement, a scan with a frozen
// abonement and a balance debt, the timetable with capacity, a roster,
// marks (came, no-show), paying a visit by cash, booking a client, and what
// YCLIENTS does not offer.
func TestEndToEndYCLIENTS(t *testing.T) {
	srv := yclientstest.NewServer(ycPartner, ycUser, nil)
	defer srv.Close()
	s := startYCLIENTS(t, srv)
	s.waitFor("Поиск клиента", "YCLIENTS")

	// Search by name; the card shows the abonement and today's records.
	s.typeSlowly("Зелен")
	s.waitFor("Зеленина Ольга")
	s.keys("Enter")
	s.waitFor("Карточка клиента: Зеленина", "МОЖНО ПРОХОДИТЬ", "Безлимит на месяц", "Депозит: 1 500 ₽", "Йога", "Пилатес")

	// What YCLIENTS cannot do is said plainly.
	s.keys("F4")
	s.waitFor("Эта CRM так не умеет", "нет продажи абонемента")

	// A scan: the frozen abonement, the balance below zero, the discount.
	s.scan("27719048")
	s.waitFor("Карточка клиента: Блохин", "СТОП", "заморожен", "Долг: 1 200 ₽", "скидка 10%")

	// The timetable: group events with capacity and bookings.
	s.keys("F3")
	s.waitFor("Расписание", "Йога", "3/10", "мест нет 2/2", "Массаж спины", "записано 1")
	s.keys("PageUp", "Down", "Enter")
	roster := s.waitFor("Список группы: Пилатес", "Должиков Игорь", "Сонов Василий", "Оплата", "оплачено")
	if !strings.Contains(roster, "800 ₽") {
		t.Fatalf("the unpaid visits are not shown:\n%s", roster)
	}

	// Marks: Должиков came (row 1), Сонов did not (row 3).
	s.keys("a")
	// Before 11:00 (the machine's clock) the 12:00 lesson is more than an
	// hour ahead: the mark asks first.
	if screen := s.waitForAny("Должиков Игорь — пришёл", "До занятия больше часа"); !strings.Contains(screen, " — пришёл") {
		s.keys("y")
		s.waitFor("Должиков Игорь — пришёл")
	}
	s.keys("Down", "Down", "n")
	s.waitFor("Сонов Василий — не пришёл")
	if a, _ := srv.Attendance("Должиков", "Пилатес"); a != 1 {
		t.Fatalf("YCLIENTS has Должиков's attendance %d", a)
	}
	if a, _ := srv.Attendance("Сонов", "Пилатес"); a != -1 {
		t.Fatalf("YCLIENTS has Сонов's attendance %d", a)
	}

	// Pay Должиков's visit by cash, once.
	s.keys("Up", "Up", "p")
	s.waitFor("Оплата визита: Должиков", "Визит «Пилатес» в 12:00: 800 ₽", "Наличные", "Банковская карта")
	s.keys("Enter")
	s.waitFor("Провести оплату", "y — да, n — нет")
	s.keys("y")
	s.waitFor("Оплата выполнена: 800 ₽")
	if p := srv.Payments(); len(p) != 1 || p[0].Code != 1 {
		t.Fatalf("fast payments %+v, want one in cash", p)
	}
	s.keys("Enter")
	s.waitFor("Список группы: Пилатес")
	if a, _ := srv.Attendance("Должиков", "Пилатес"); a != 1 {
		t.Fatalf("paying changed the mark to %d", a)
	}

	// Book a client into the class from its roster.
	s.keys("+")
	s.waitFor("Выбор клиента")
	s.typeSlowly("Новосёл")
	s.waitFor("Новосёлов Кирилл")
	s.keys("Enter")
	s.waitFor("Добавлен(а): Новосёлов Кирилл", "4/10")
	if n := srv.Requests("POST /api/v1/records"); n != 1 {
		t.Fatalf("the booking was sent %d times", n)
	}

	s.keys("F10")
}

// TestEndToEndYCLIENTSWithoutEvents: on an account whose events search is
// refused, the timetable is the day's records grouped by class, with the
// bookings counted and no capacity invented.
func TestEndToEndYCLIENTSWithoutEvents(t *testing.T) {
	srv := yclientstest.NewServer(ycPartner, ycUser, nil)
	defer srv.Close()
	srv.RefuseEvents()
	s := startYCLIENTS(t, srv)
	s.waitFor("Поиск клиента", "YCLIENTS")
	s.keys("F3")
	screen := s.waitFor("Расписание", "Пилатес", "записано 3", "Сайкл", "записано 2")
	if strings.Contains(screen, "Бокс") || strings.Contains(screen, "/10") {
		t.Fatalf("an event without records or a capacity was invented:\n%s", screen)
	}
	s.keys("F10")
}

// TestEndToEndYCLIENTSVisitOfSeveralBookings: a tenge company whose client
// has three unpaid bookings today in one visit (28 000 + 24 000 + 22 000).
// `p` on her card lists the visit's bookings and what each owes; the whole
// visit is paid at the total shown, 74 000 ₸, in one fast payment of all
// three; in another run, this booking alone is paid through its own sale
// document, 28 000 ₸, and the others stay unpaid.
func TestEndToEndYCLIENTSVisitOfSeveralBookings(t *testing.T) {
	for _, whole := range []bool{true, false} {
		srv := yclientstest.NewServer(ycPartner, ycUser, nil)
		srv.SetCurrency("₸")
		ids := srv.SeedVisitOfThree()
		s := startYCLIENTS(t, srv)
		s.waitFor("Поиск клиента", "YCLIENTS")
		s.typeSlowly("Нурлан")
		s.waitFor("Нурланова Асель")
		s.keys("Enter")
		s.waitFor("Карточка клиента: Нурланова", "28 000 ₸", "абонементов нет", "визитов не было")
		s.keys("p")
		s.waitFor("В визите записей: 3", "Персональная тренировка", "Массаж спины", "Сауна", "Всего за визит: 74 000 ₸",
			"1 — только эта запись (28 000 ₸)", "2 — весь визит (74 000 ₸)")
		if whole {
			s.keys("2")
			s.waitFor("Наличные")
			s.keys("Enter")
			s.waitFor("Провести оплату 74 000 ₸ за весь визит?")
			s.keys("y")
			s.waitFor("Оплата выполнена: 74 000 ₸")
			if p := srv.Payments(); len(p) != 1 || len(p[0].Records) != 3 {
				t.Fatalf("fast payments %+v, want one of the three bookings", p)
			}
		} else {
			s.keys("1")
			s.waitFor("Наличные")
			s.keys("Enter")
			s.waitFor("Провести оплату 28 000 ₸?")
			s.keys("y")
			s.waitFor("Оплата выполнена: 28 000 ₸")
			if p := srv.SalePayments(); len(p) != 1 || p[0].Amount != 28000 || p[0].AccountID != yclientstest.CashDesk {
				t.Fatalf("sale payments %+v, want 28 000 into the cash desk", p)
			}
			if len(srv.Payments()) != 0 || srv.PaidOf(ids[1]) || srv.PaidOf(ids[2]) {
				t.Fatalf("paying one booking paid the others: %+v", srv.Payments())
			}
		}
		s.keys("F10")
		srv.Close()
	}
}

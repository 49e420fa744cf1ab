package e2e

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/providers/gocrm/gocrmtest"
)

// goCRMDesk opens the built console on a Go-CRM profile of crm, signed in.
func goCRMDesk(t *testing.T, crm *gocrmtest.Server) *tmuxSession {
	t.Helper()
	// base_url is the club's Go-CRM address: the client API is under /api
	// and the public API under /api/v3 of it.
	config := `profile = "club"
language = "ru"
[profiles.club]
provider = "gocrm"
base_url = "` + crm.URL + `"
branch = "` + gocrmtest.CenterID + `"
person = "admin"
operator = "Анна"
timezone = "` + gocrmtest.Timezone + `"
`
	// No refresh token: Go-CRM's documents give no call to use one, so the
	// desk starts without it.
	s := startDesk(t, config,
		"CLUBDESK_GOCRM_APP_TOKEN="+gocrmtest.AppToken,
		"CLUBDESK_GOCRM_ACCESS_TOKEN="+gocrmtest.AccessToken)
	s.waitFor("Поиск клиента", "Go-CRM", "имя ребёнка")
	return s
}

// TestEndToEndGoCRMLostBooking loses the answer to a booking Go-CRM made:
// the desk says the outcome is unknown and does not send it again; the
// journal asks Go-CRM, which shows the booking, and the receptionist
// settles it.
func TestEndToEndGoCRMLostBooking(t *testing.T) {
	crm := gocrmtest.New(nil)
	defer crm.Close()
	s := goCRMDesk(t, crm)
	s.typeSlowly("Алена")
	s.waitFor("Алена (Сидоров")
	s.keys("Enter")
	s.waitFor("Карточка клиента: Алена")
	s.keys("b")
	s.waitFor("Запись на занятие: Алена", "09:00–10:00")
	crm.DropAnswers("POST /api/client-hours/", 1)
	s.keys("Up", "Up", "Up", "Up", "Enter")
	s.waitFor("результат неизвестен", "проверить: 1")
	morning := crm.HourAt(9, 0)
	if got := crm.Booked(morning); !slices.Contains(got, "2") {
		t.Fatalf("the dropped booking did not reach Go-CRM: %v", got)
	}
	s.keys("F7")
	s.waitFor("Журнал операций · Требуют проверки", "Запись", "Алена")
	s.keys("Enter")
	s.waitFor("В CRM: ✔ выполнено — найдено: запись №")
	s.keys("y")
	s.waitFor("Отмечено: прошло", "Проверять нечего")
	if n := crm.Sent("POST /api/client-hours/"); n != 1 {
		t.Fatalf("the booking was sent %d times", n)
	}
	s.keys("F10")
}

// TestEndToEndGoCRM drives the built console in tmux against a local
// Go-CRM (providers/gocrm/gocrmtest, both of its APIs) with provider =
// "gocrm": a child found by name and by the parent's phone, the card with
// season tickets, debt and visits, the center's timetable and a roster,
// what Go-CRM cannot do, a booking, a walk-in registered as a lead
// (Go-CRM's validation_errors first), and the debt paid by QR — then the
// bank's refusal, sent once.
func TestEndToEndGoCRM(t *testing.T) {
	crm := gocrmtest.New(nil)
	defer crm.Close()
	s := goCRMDesk(t, crm)

	// A child by name: the card has her ticket, the debt at this center
	// (and the one at the other), yesterday's visit.
	s.typeSlowly("Маша")
	s.waitFor("Маша (Смирнова Ольга Петровна)")
	s.keys("Enter")
	card := s.waitFor("Карточка клиента: Маша", "СТОП", "Долг: 1 500 ₽", "Плавание груп. 8 за", "5 из 8",
		"родитель Смирнова Ольга Петровна", "Долг в другом центре", "17:00 Групповое · записан", "Последние визиты")
	if !strings.Contains(card, "17:00 Групповое") || strings.Contains(card, "Депозит") || strings.Contains(card, "карты нет") {
		t.Fatalf("the card:\n%s", card)
	}
	// Enter is check-in elsewhere; Go-CRM has none and says so.
	s.keys("Enter")
	s.waitFor("Эта CRM так не умеет")

	// Both of the parent's children by her phone.
	s.keys("F2")
	s.waitFor("Поиск клиента")
	s.typeSlowly("8 912 000")
	s.waitFor("Найдено: 2", "Маша (Смирнова", "Петя (Смирнова")
	s.keys("Down", "Enter")
	s.waitFor("Карточка клиента: Петя", "Осталось последнее посещение", "18:30 Групповое · Старшая группа")

	// The center's day; the first lesson's roster.
	s.keys("F3")
	s.waitFor("Расписание", "(сегодня)", "09:00–10:00", "Индивидуальное", "Мария Петровна, Олег", "Анна Сергеевна")
	s.keys("Up", "Up", "Up", "Up")
	s.keys("Enter")
	s.waitFor("Список группы: Групповое 09:00", "Ваня (Иванов Иван Иванович)", "записан")
	s.keys("a")
	s.waitFor("Эта CRM так не умеет")

	// Add a child to it from the roster.
	s.keys("+")
	s.waitFor("Выбор клиента")
	s.typeSlowly("Дима")
	s.waitFor("Дима (Кузнецов Алексей Викторович)")
	s.keys("Enter")
	s.waitFor("Список группы", "Дима (Кузнецов", "Добавлен(а)")
	morning := crm.HourAt(9, 0)
	if got := crm.Booked(morning); !slices.Contains(got, "1003") {
		t.Fatalf("Дима is not booked at 09:00 in the CRM: %v", got)
	}

	// Book from a card: Алена into the same lesson.
	s.keys("F2")
	s.waitFor("Поиск клиента")
	s.typeSlowly("Алена")
	s.waitFor("Алена (Сидоров")
	s.keys("Enter")
	s.waitFor("Карточка клиента: Алена")
	s.keys("b")
	s.waitFor("Запись на занятие: Алена", "09:00–10:00")
	s.keys("Up", "Up", "Up", "Up", "Enter")
	s.waitFor("записан(а) на «Групповое» в 09:00")
	if got := crm.Booked(morning); !slices.Contains(got, "2") || len(got) != 3 {
		t.Fatalf("bookings at 09:00: %v", got)
	}

	// A walk-in registered as a lead: Go-CRM wants the birthday first.
	s.keys("F2")
	s.waitFor("Поиск клиента")
	s.typeSlowly("Петрова")
	s.keys("C-n")
	s.waitFor("Новый клиент", "Фамилия:        Петрова")
	if screen := s.waitFor("Дата рождения"); strings.Contains(screen, "Карта:") {
		t.Fatalf("Go-CRM keeps no cards, yet the form asks for one:\n%s", screen)
	}
	s.keys("Tab")
	s.typeSlowly("Катя")
	s.keys("Tab", "Tab")
	s.typeSlowly("+79001112200")
	s.keys("C-s")
	s.waitFor("birthday: The birthday field is required.")
	if n := len(crm.Leads()); n != 0 {
		t.Fatalf("a refused lead was stored: %d", n)
	}
	s.keys("Tab", "Tab")
	s.typeSlowly("01.04.2019")
	// The parent, whose name and phone Go-CRM's lead form takes as the
	// contact's.
	s.keys("Tab")
	s.typeSlowly("Петрова Анна")
	s.keys("Tab")
	s.typeSlowly("+79001112201")
	s.keys("Enter")
	// A saved lead is done, in green, and says what happens next: no card
	// opens, since the child is not a client yet.
	s.waitFor("✔ Заявка №", "Поиск клиента")
	leads := crm.Leads()
	if len(leads) != 1 || leads[0]["name"] != "Катя" || leads[0]["birthday"] != "2019-04-01" || leads[0]["phone"] != "+79001112201" || leads[0]["fio"] != "Петрова Анна" {
		t.Fatalf("leads in the CRM: %v", leads)
	}

	// The debt by QR, from Маша's card.
	s.keys("F2")
	s.waitFor("Поиск клиента")
	s.typeSlowly("Маша")
	s.waitFor("Маша (Смирнова")
	s.keys("Enter")
	s.waitFor("Карточка клиента: Маша", "Долг: 1 500 ₽", "Ctrl+O")
	s.keys("C-o")
	s.waitFor("Оплата по QR: Маша", "Долг: 1 500 ₽", "Продлить «Плавание груп. 8 занятия»")
	s.keys("Enter")
	s.waitFor("Оплата с телефона: 1 500 ₽", "https://yoomoney.ru/api-", "█▀▀▀▀▀▀▀█")
	pays := crm.Payments()
	if len(pays) != 1 || pays[0].Type != "debt" || pays[0].ObjectID != gocrmtest.CenterID || pays[0].ClientID != "1001" {
		t.Fatalf("payments in the CRM: %+v", pays)
	}

	// The bank is down: its words, and the request went once.
	crm.SetBankDown(true)
	s.keys("Escape")
	s.waitFor("Что оплатить")
	s.keys("Down", "Enter")
	s.waitFor("Страница оплаты не открылась", "Нет связи с банком")
	time.Sleep(300 * time.Millisecond)
	if n := crm.Sent("PUT /api/payments/"); n != 2 {
		t.Fatalf("%d payment requests for two asks", n)
	}
	s.keys("Escape", "Escape")
	s.waitFor("Карточка клиента: Маша")
	s.keys("F10")
}

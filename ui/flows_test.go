package ui

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/screens"
)

func TestTypingFindsClientAndEnterOpensCard(t *testing.T) {
	h := newHarness(t, "ru")
	h.typeText("зелен")
	h.expect("Зеленина Ольга Сергеевна", "Найдено: 1")
	h.press("enter")
	h.expect("Карточка клиента: Зеленина Ольга", "МОЖНО ПРОХОДИТЬ", "Безлимит на месяц")
}

func TestSearchByPhoneInAnyFormat(t *testing.T) {
	for _, q := range []string{"+7 916 555-00-01", "8916555 00 01", "9165550001"} {
		h := newHarness(t, "ru")
		h.typeText(q)
		h.expect("Зеленина Ольга")
	}
}

func TestScanOpensCardOnAnyScreen(t *testing.T) {
	h := newHarness(t, "ru")
	h.press("f3")
	h.expect("Расписание")
	h.scan(cardGreen)
	h.expect("Карточка клиента: Зеленина Ольга")
	// Esc returns to where the scan found the receptionist.
	h.press("esc")
	h.expect("Расписание")

	// The same card written another way is the same card.
	h.scan("111,27706")
	h.expect("Карточка клиента: Зеленина Ольга")
}

func TestScanNeverLeaksIntoTextField(t *testing.T) {
	h := newHarness(t, "ru")
	h.typeText("Смир")
	h.scan(cardBlocked)
	h.expect("Блохин Андрей", "СТОП", "утеря")
	h.press("esc")
	if got := h.peek().Query; got != "Смир" {
		t.Fatalf("search field holds %q after a scan; the digits leaked", got)
	}
	// On the sale's plan filter too.
	h.scan(cardGreen)
	h.press("f4")
	h.scan(cardNote)
	h.expect("Письменная Вера")
	if strings.Contains(h.screen(), cardNote+"▌") {
		t.Fatal("scan typed into the filter")
	}
}

func TestTypedCardNumberIsNotAScanButStillFindsTheCard(t *testing.T) {
	h := newHarness(t, "ru")
	h.typeText(cardGreen)
	if h.top().Kind() == screens.KindCard {
		t.Fatal("slow typing was taken for a scan")
	}
	h.expect("Зеленина Ольга")
	h.press("enter")
	h.expect("Карточка клиента: Зеленина Ольга")
}

func TestRussianLayoutScan(t *testing.T) {
	h := newHarness(t, "ru")
	h.scan("01026а6с3ф") // 01026F6C3A typed with the Russian layout on
	h.expect("Карточка клиента: Зеленина Ольга")
}

func TestUnknownCardOffersToBind(t *testing.T) {
	h := newHarness(t, "ru")
	h.scan("0099999999")
	h.expect("Карта 0099999999 ни к кому не привязана")
	h.press("enter")
	h.expect("Выбор клиента")
	h.typeText("Новосёл")
	h.expect("Новосёлов Кирилл")
	h.press("enter")
	h.expect("Привязать карту 0099999999 к клиенту Новосёлов Кирилл Андреевич?", "y — да, n — нет")
	h.press("y")
	h.expect("Карточка клиента: Новосёлов Кирилл", "карта 0099999999")
	// The card now opens the client.
	h.press("f2")
	h.scan("0099999999")
	h.expect("Карточка клиента: Новосёлов Кирилл")
}

func TestBindCardRefusesCardOfAnotherClient(t *testing.T) {
	h := newHarness(t, "ru")
	h.typeText("Новосёл")
	h.press("enter", "k")
	h.scan(cardGreen)
	h.expect("Карта привязана к другому клиенту")
}

func TestSaleCompletesAndShowsOnCard(t *testing.T) {
	h := newHarness(t, "ru")
	h.typeText("Новосёл")
	h.press("enter")
	h.expect("Нет действующего абонемента")
	h.press("f4")
	h.typeText("8 пос")
	h.press("enter")
	h.expect("2 Условия")
	// 10% off with a reason; the reason is required.
	h.press("tab", "right", "tab")
	h.typeText("10")
	h.press("enter")
	h.expect("Укажите причину скидки")
	h.typeText("акция")
	h.press("enter")
	h.expect("Итого:             3 600 ₽", "Осталось распределить: 0 ₽")
	// Split: 1 000 on the bank card, where the form waits; the rest stays
	// in cash by itself.
	h.typeText("1000")
	h.expect("Оплачено: 3 600 ₽")
	h.press("enter")
	h.expect("Наличные 2 600 ₽ + Банковская карта 1 000 ₽", "Продать «8 посещений» за 3 600 ₽? y — да, n — нет")
	h.press("enter") // Enter is not a yes: nothing is sold
	h.expect("4 Проверка")
	h.press("y")
	h.expect("Продажа выполнена: 8 посещений", "Принято оплат: 3 600 ₽")
	h.press("enter")
	h.expect("Карточка клиента: Новосёлов", "МОЖНО ПРОХОДИТЬ", "8 из 8")
}

func TestSaleRefusesPaymentsThatDoNotAddUp(t *testing.T) {
	h := newHarness(t, "ru")
	h.typeText("Новосёл")
	h.press("enter", "f4")
	h.press("enter", "enter", "up") // to the cash, proposed in full
	for range 6 {
		h.press("backspace")
	}
	h.typeText("100")
	h.press("enter")
	h.expect("Оплата не сходится с итогом", "3 Оплата")
}

// sellFails is the demo club with a sale that breaks half-way: the
// membership and the cash part go through, the card part is refused.
type sellFails struct {
	providers.Provider
	calls   int
	unknown bool
}

func (p *sellFails) Sell(ctx context.Context, s models.Sale) (models.SaleResult, error) {
	p.calls++
	if p.unknown {
		return models.SaleResult{MembershipCreated: models.OutcomeUnknown}, &providers.Error{Kind: providers.ErrOutcomeUnknown, Op: "sell"}
	}
	r := models.SaleResult{MembershipCreated: models.OutcomeDone, Membership: models.Membership{ID: "m1", Title: s.Plan.Name}}
	r.Payments = []models.PaymentOutcome{
		{Payment: s.Payments[0], Outcome: models.OutcomeDone},
		{Payment: s.Payments[1], Outcome: models.OutcomeFailed, Detail: "Терминал: отказ банка"},
	}
	return r, &providers.Error{Kind: providers.ErrValidation, Op: "pay", Message: "Терминал: отказ банка"}
}

func splitSale(h *harness) {
	h.typeText("Новосёл")
	h.press("enter", "f4")
	h.press("enter", "enter", "up") // first plan, today, no discount; to the cash
	for range 6 {
		h.press("backspace")
	}
	h.typeText("1000")
	h.press("down", "=", "enter")
	h.press("y")
}

func TestSaleFailureSaysWhatWasCharged(t *testing.T) {
	fake := &sellFails{}
	h := newHarness(t, "ru", func(p providers.Provider) providers.Provider { fake.Provider = p; return fake })
	splitSale(h)
	// The membership was created and the cash taken: done in part, never
	// "failed".
	h.expect("Продажа выполнена частично", "Терминал: отказ банка",
		"Наличные               1 000 ₽        выполнено",
		"Банковская карта       4 000 ₽        отказ",
		"Принято оплат: 1 000 ₽")
	// Enter leaves the result; nothing sends the sale again.
	h.press("enter", "enter")
	if fake.calls != 1 {
		t.Fatalf("Sell called %d times; a sale is sent once", fake.calls)
	}
}

func TestSaleUnknownOutcomeSaysCheckTheCRM(t *testing.T) {
	fake := &sellFails{unknown: true}
	h := newHarness(t, "en", func(p providers.Provider) providers.Provider { fake.Provider = p; return fake })
	splitSale(h)
	h.expect("Sale outcome unknown", "may or may not have gone through", "UNKNOWN")
	h.expectNot("Sale not done", "Sale done")
	h.expectNot("No money was taken")
}

func TestAttendanceMarkingUpdatesRoster(t *testing.T) {
	h := newHarness(t, "ru")
	h.press("f3", "enter")
	h.expect("Список группы: Стретчинг 10:00")
	roster := h.peek()
	first := roster.Bookings[0]
	want := models.Attended
	if first.Attendance == models.Attended {
		want = models.NoShow
		h.press("n")
	} else {
		h.press("a")
	}
	got, err := h.m.sh.Provider().Roster(context.Background(), roster.Lesson.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range got {
		if b.ID == first.ID && b.Attendance != want {
			t.Fatalf("provider has %v for %s, want %v", b.Attendance, b.ClientName, want)
		}
	}
	h.press("u")
	h.expect("записан")
}

func TestRosterAddsAScannedClientInPickMode(t *testing.T) {
	h := newHarness(t, "ru")
	h.press("f3")
	for i, l := range h.peek().Lessons {
		if !l.Full() && l.Start.After(h.now) {
			h.selectRow(i)
			break
		}
	}
	h.press("enter", "+")
	h.expect("Выбор клиента")
	h.scan(cardNote)
	h.expect("Список группы", "Письменная Вера", "записан")
	// A scan on the roster itself is about the lesson: a client not on the
	// list is booked only on a yes.
	h.scan(cardBirthday)
	h.expect("Праздникова Алина нет в списке этого занятия")
	h.press("n")
	h.expect("Список группы")
	h.expectNot("Праздникова Алина")
}

func TestFullLessonIsRefused(t *testing.T) {
	h := newHarness(t, "ru")
	h.typeText("Новосёл")
	h.press("enter", "b")
	h.expect("Запись на занятие: Новосёлов Кирилл")
	full := -1
	for i, l := range h.peek().Lessons {
		if l.Full() {
			full = i
		}
	}
	if full < 0 {
		t.Fatal("the demo day has no full lesson")
	}
	h.selectRow(full)
	h.press("enter")
	h.expect("Занятие заполнено")
}

func TestBookFromCardAndDoubleBookingRefused(t *testing.T) {
	h := newHarness(t, "ru")
	h.typeText("Новосёл")
	h.press("enter", "b")
	lessons := h.peek().Lessons
	pick := -1
	for i, l := range lessons {
		if !l.Full() && l.Start.After(h.now) {
			pick = i
			break
		}
	}
	h.selectRow(pick)
	title := lessons[pick].Title
	h.press("enter")
	h.expect("Карточка клиента: Новосёлов", title+" · ")
	h.press("b")
	h.selectRow(pick)
	// The picker marks the lesson and refuses it without asking the CRM.
	h.expect("✔ записан(а)")
	h.press("enter")
	h.expect("Новосёлов Кирилл уже в списке")
}

func TestCheckInRedNeedsReasonAndDoubleCheckInAsks(t *testing.T) {
	h := newHarness(t, "ru")
	h.scan(cardNoVisits)
	h.press("enter")
	h.expect("Вердикт СТОП", "Enter пропустить · Esc назад")
	if strings.Contains(h.screen(), "y/Enter") {
		t.Fatalf("the reason's line offers y and n, which are letters of the reason:\n%s", h.screen())
	}
	h.press("enter")
	h.expect("Без причины пропустить нельзя")
	h.typeText("разрешил управляющий")
	h.press("enter")
	h.expect("Пустовойт Марина: вход отмечен")

	h.scan(cardRecent)
	h.expect("Вход уже отмечен сегодня: 12 мин назад")
	h.press("enter")
	h.expect("Отметить ещё раз?", "y — да")
	h.press("enter") // Enter does not answer: a second check-in takes a letter
	h.expect("Отметить ещё раз?")
	h.press("n")
	h.expectNot("Отметить ещё раз")
}

func TestCheckInLinksNearBooking(t *testing.T) {
	h := newHarness(t, "ru")
	h.now = time.Date(2026, 11, 22, 11, 45, 0, 0, moscow) // Зеленина's 12:00 Пилатес is in 15 minutes
	h.scan(cardGreen)
	h.press("enter")
	h.expect("вход отмечен, занятие «Пилатес» в 12:00")
}

func TestPayDebt(t *testing.T) {
	h := newHarness(t, "ru")
	h.scan(cardDebt)
	h.expect("Долг: 2 500 ₽")
	h.press("p", "enter")
	h.expect("Провести оплату 2 500 ₽? y — да, n — нет")
	h.press("enter") // a second Enter is not a yes: nothing is paid
	h.expect("Провести оплату 2 500 ₽?")
	h.press("y")
	h.expect("Оплата выполнена: 2 500 ₽")
	h.press("enter")
	h.expect("МОЖНО ПРОХОДИТЬ")
	h.expectNot("Долг: 2 500 ₽")
}

func TestWalkInIsRegisteredBookedAndMarked(t *testing.T) {
	h := newHarness(t, "ru")
	h.press("f3", "enter", "w")
	h.expect("Пришёл без записи")
	h.typeText("Гостев")
	h.press("tab")
	h.typeText("Пётр")
	h.press("tab", "tab")
	h.typeText("+7 916 000-11-22")
	h.press("ctrl+s")
	h.expect("Гостев Пётр", "пришёл")
}

func TestNewClientNeedsNameAndPhone(t *testing.T) {
	h := newHarness(t, "en")
	h.press("ctrl+n")
	h.press("ctrl+s")
	h.expect("Surname is required")
}

// hostile is the demo club whose client data carries terminal escapes.
type hostile struct{ providers.Provider }

func (p hostile) SearchClients(ctx context.Context, q string, n int) ([]models.Client, error) {
	return []models.Client{{ID: "x", LastName: "Evil\x1b]0;pwned\x07\x1b[2J", FirstName: "Ива\u202eн\r\nов", Phone: "+7 916 000\x1b[31m"}}, nil
}

func TestProviderTextNeverReachesTerminalRaw(t *testing.T) {
	h := newHarness(t, "ru", func(p providers.Provider) providers.Provider { return hostile{p} })
	h.typeText("evil")
	raw := h.m.View().Content
	for _, bad := range []string{"\x07", "\x1b]0;", "\x1b[2J", "\u202e", "\r"} {
		if strings.Contains(raw, bad) {
			t.Fatalf("raw frame contains %q", bad)
		}
	}
	h.expect("Evil Иван ов")
}

// limited is the demo club that can only search and read.
type limited struct{ providers.Provider }

func (limited) Capabilities() providers.Capabilities {
	return providers.Supports(providers.CapSearch, providers.CapCardLookup, providers.CapMemberships).
		Without(providers.CapSell, providers.Words{EN: "no sales in this CRM's API", RU: "в API этой CRM нет продаж"})
}

func TestUnsupportedActionsAreNotOffered(t *testing.T) {
	h := newHarness(t, "en", func(p providers.Provider) providers.Provider { return limited{p} })
	h.scan(cardGreen)
	h.expect("COME IN")
	h.expectNot("F4 sell", "b book")
	h.press("f4")
	h.expect("This CRM cannot do that: no sales in this CRM's API")
	h.press("f3")
	h.expect("the provider's API does not offer it")
}

func TestResizeKeepsEverythingInside(t *testing.T) {
	h := newHarness(t, "ru")
	h.scan(cardDebt)
	for _, size := range [][2]int{{100, 30}, {60, 16}, {80, 24}} {
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		lines := strings.Split(h.screen(), "\n")
		if len(lines) != size[1] {
			t.Errorf("%dx%d: %d lines", size[0], size[1], len(lines))
		}
		for i, l := range lines {
			if w := len([]rune(l)); w > size[0] {
				t.Errorf("%dx%d: line %d has %d cells", size[0], size[1], i, w)
			}
		}
	}
}

func TestQuitAsksWhileAWriteIsInFlight(t *testing.T) {
	h := newHarness(t, "ru")
	h.m.tasks[99] = task{label: "продажа", write: true, cancel: func() {}}
	h.key(namedKey("f10"))
	h.expect("Идёт запись в CRM — выйти")
	h.press("enter") // Enter does not quit mid-write
	h.expect("Идёт запись в CRM — выйти", "продажа")
	h.press("n")
	h.expectNot("Идёт запись в CRM")
	delete(h.m.tasks, 99)
	_, cmd := h.m.Update(namedKey("f10"))
	if cmd == nil || reflect.ValueOf(cmd()).Type() != reflect.TypeOf(tea.QuitMsg{}) {
		t.Fatal("F10 with nothing in flight should quit")
	}
}

func TestLetterKeysWorkWithRussianLayout(t *testing.T) {
	h := newHarness(t, "ru")
	h.press("f3", "enter")
	roster := h.peek()
	first := roster.Bookings[0]
	h.press("г") // u: undo
	h.press("ф") // a: came
	got, _ := h.m.sh.Provider().Roster(context.Background(), roster.Lesson.ID)
	for _, b := range got {
		if b.ID == first.ID && b.Attendance != models.Attended {
			t.Fatalf("ф (the a key in the Russian layout) did not mark %s", b.ClientName)
		}
	}
}

func TestOnlinePaymentShowsAQRCode(t *testing.T) {
	h := newHarness(t, "ru")
	h.typeText("Новосёл")
	h.press("enter", "f4", "enter", "enter")
	h.expect("Ctrl+O QR-оплата")
	h.key(tea.KeyPressMsg{Code: 'o', Mod: tea.ModCtrl})
	h.expect("Оплата с телефона: 5 000 ₽", "https://pay.demo.invalid/order?client_id=", "10010&ticket_id=", "█")
	lines := strings.Split(h.screen(), "\n")
	if len(lines) != 24 {
		t.Fatalf("%d lines", len(lines))
	}
	h.press("esc")
	h.expect("3 Оплата")
}

// leadsOnly is a CRM that saves a walk-in as a lead (Go-CRM's public form).
type leadsOnly struct {
	providers.Provider
	booked int
}

func (p *leadsOnly) CreateClient(_ context.Context, c models.NewClient) (models.Client, error) {
	return models.Client{LastName: c.LastName, FirstName: c.FirstName, Lead: &models.Lead{ID: "12345",
		Next:   models.Words{EN: "Lead № 12345 saved", RU: "Заявка № 12345 сохранена"},
		Roster: models.Words{EN: "lead № 12345 — not marked", RU: "заявка № 12345 — не отмечен"}}}, nil
}

func (p *leadsOnly) Book(ctx context.Context, l, c string) (models.Booking, error) {
	p.booked++
	return p.Provider.Book(ctx, l, c)
}

// TestAWalkInSavedAsALeadIsDone: the result is green, says what happens
// next, books and marks no one, and the roster lists the lead.
func TestAWalkInSavedAsALeadIsDone(t *testing.T) {
	fake := &leadsOnly{}
	h := newHarness(t, "ru", func(p providers.Provider) providers.Provider { fake.Provider = p; return fake })
	h.press("f3", "enter", "w")
	h.typeText("Гостев")
	h.press("tab")
	h.typeText("Пётр")
	h.press("tab", "tab")
	h.typeText("+7 916 000-11-22")
	h.press("ctrl+s")
	h.expect("✔ Заявка № 12345 сохранена", "Гостев Пётр — заявка № 12345 — не отмечен")
	h.expectNot("✖")
	if fake.booked != 0 {
		t.Fatalf("a lead was booked %d times", fake.booked)
	}
}

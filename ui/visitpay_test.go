package ui

import (
	"fmt"
	"testing"

	"github.com/clubdesk/clubdesk/providers"
)

// bookNewcomer books Новосёлов (no membership: he pays per visit) into the
// first lesson ahead that has room, from his card, and returns its index in
// the timetable and its title.
func bookNewcomer(t *testing.T, h *harness) (int, string) {
	t.Helper()
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
	if pick < 0 {
		t.Fatal("no lesson ahead with room")
	}
	h.selectRow(pick)
	title := lessons[pick].Title
	h.press("enter")
	h.expect("Карточка клиента: Новосёлов", title+" · ")
	return pick, title
}

func TestPayVisitFromTheCard(t *testing.T) {
	h := newHarness(t, "ru")
	_, title := bookNewcomer(t, h)
	h.expect("к оплате 900 ₽")
	if !offers(h, "оплатить визит") {
		t.Fatal("the card does not offer the visit's payment")
	}
	h.press("p")
	h.expect("Оплата визита: Новосёлов", "Визит «"+title+"»", "Наличные", "Банковская карта")
	h.expectNot("Депозит  ", "Перевод")
	// A split is refused: a visit is paid whole, one way.
	h.press("backspace", "backspace", "backspace", "down")
	h.typeText("900")
	h.press("up")
	h.typeText("100")
	h.press("enter")
	h.expect("Визит оплачивается целиком одним способом")
	h.press("backspace", "backspace", "backspace", "enter")
	h.expect("Итого: 900 ₽", "Банковская карта 900 ₽", "Провести оплату 900 ₽? y — да, n — нет")
	h.press("y")
	h.expect("Оплата выполнена: 900 ₽")
	h.press("enter")
	h.expect("Карточка клиента: Новосёлов")
	h.expectNot("к оплате 900 ₽")
	if offers(h, "оплатить визит") {
		t.Fatal("a paid visit is still offered for payment")
	}
}

// offers reports whether the top screen's help has a key described so.
func offers(h *harness, desc string) bool {
	for _, b := range h.top().Help() {
		if b.Help().Desc == desc {
			return true
		}
	}
	return false
}

func TestPayVisitFromTheRoster(t *testing.T) {
	h := newHarness(t, "ru")
	pick, _ := bookNewcomer(t, h)
	h.press("f3")
	h.selectRow(pick)
	h.press("enter")
	h.expect("Список группы", "Оплата", "900 ₽")
	at := -1
	for i, b := range h.peek().Bookings {
		if b.ClientName == "Новосёлов Кирилл" {
			at = i
		}
	}
	h.selectRow(at)
	if !offers(h, "оплатить визит") {
		t.Fatal("the roster does not offer the visit's payment")
	}
	h.press("p", "enter")
	h.expect("Наличные 900 ₽", "Провести оплату 900 ₽? y — да, n — нет")
	h.press("y", "enter")
	h.expect("Список группы", "оплачено")
	if b := h.peek().Bookings[at]; !b.Paid || b.AmountDue.IsPositive() {
		t.Fatalf("after the payment %+v", b)
	}
	// A visit with nothing due says so instead of opening a payment.
	h.press("p")
	h.expect("Долга нет")
}

func TestPayVisitIsNotOfferedWithoutTakePayment(t *testing.T) {
	h := newHarness(t, "ru", func(p providers.Provider) providers.Provider { return noPayments{p} })
	bookNewcomer(t, h)
	h.expect("к оплате 900 ₽")
	if offers(h, "оплатить визит") {
		t.Fatal("a payment is offered by a provider that takes none")
	}
	h.press("p")
	h.expect("Эта CRM так не умеет")
}

// TestGoldenVisitPayment renders the visit payment's screens in both
// languages: the card with a visit due, the payment, the roster.
func TestGoldenVisitPayment(t *testing.T) {
	for _, lang := range []string{"ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t, lang)
			g := func(name string) { h.golden(fmt.Sprintf("%s_%s", name, lang)) }
			h.typeText("Новосёл")
			h.press("enter", "b")
			pick := -1
			for i, l := range h.peek().Lessons {
				if !l.Full() && l.Start.After(h.now) {
					pick = i
					break
				}
			}
			h.selectRow(pick)
			h.press("enter")
			g("card_visit_due")
			h.press("p")
			g("pay_visit")
			h.press("f3")
			h.selectRow(pick)
			h.press("enter")
			g("roster_due")
		})
	}
}

// noPayments is a provider that takes no payments.
type noPayments struct{ providers.Provider }

func (n noPayments) Capabilities() providers.Capabilities {
	return n.Provider.Capabilities().Without(providers.CapTakePayment, providers.Words{EN: "no payments in this CRM's API", RU: "в API этой CRM нет оплат"})
}

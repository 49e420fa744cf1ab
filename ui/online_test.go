package ui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// payPage is the demo club with a payment page that answers as the test
// says, and a client who owes 1 000 ₽ outside any membership (Go-CRM's
// debt).
type payPage struct {
	providers.Provider
	calls []providers.OnlinePayment
	err   error
}

func (p *payPage) Client(ctx context.Context, id string) (models.Client, error) {
	c, err := p.Provider.Client(ctx, id)
	c.Debt = models.Major(1000, "RUB")
	return c, err
}

func (p *payPage) OpenPaymentPage(_ context.Context, op providers.OnlinePayment) (providers.PaymentPage, error) {
	p.calls = append(p.calls, op)
	if p.err != nil {
		return providers.PaymentPage{}, p.err
	}
	return providers.PaymentPage{URL: "https://pay.example.invalid/p/" + op.ClientID, ID: "77"}, nil
}

// openOnline opens Новосёлов's card and the pay-by-QR list, and chooses the
// first line (the debt) without running the request, so the loading state
// can be seen; it returns the request's command.
func openOnline(t *testing.T, h *harness) tea.Cmd {
	t.Helper()
	h.typeText("Новосёл")
	h.press("enter")
	h.expect("Долг: 1 000 ₽")
	h.key(tea.KeyPressMsg{Code: 'o', Mod: tea.ModCtrl})
	h.expect("Оплата по QR: Новосёлов Кирилл", "Долг: 1 000 ₽", "Купить «8 посещений»")
	_, cmd := h.m.Update(namedKey("enter"))
	h.expect("Открываю страницу оплаты", "Долг: 1 000 ₽")
	return cmd
}

func TestOnlinePaymentOfADebtFromTheCard(t *testing.T) {
	fake := &payPage{}
	h := newHarness(t, "ru", func(p providers.Provider) providers.Provider { fake.Provider = p; return fake })
	cmd := openOnline(t, h)
	// Keys do nothing while the page is being opened.
	h.press("esc", "enter")
	h.expect("Открываю страницу оплаты")
	h.run(cmd)
	h.expect("Оплата с телефона: 1 000 ₽", "https://pay.example.invalid/p/10010", "█")
	if len(fake.calls) != 1 || fake.calls[0].Purpose != providers.OnlineDebt || fake.calls[0].Amount.Minor != 100000 {
		t.Fatalf("calls %+v", fake.calls)
	}
	h.press("esc")
	h.expect("Что оплатить")
	h.press("esc")
	h.expect("Карточка клиента")
}

func TestOnlinePaymentRefusalShowsTheBanksWordsAndIsNotRepeated(t *testing.T) {
	fake := &payPage{err: &providers.Error{Kind: providers.ErrValidation, Op: "online payment", Message: "Нет связи с банком"}}
	h := newHarness(t, "ru", func(p providers.Provider) providers.Provider { fake.Provider = p; return fake })
	h.run(openOnline(t, h))
	h.expect("Страница оплаты не открылась", "Нет связи с банком")
	h.expectNot("█")
	if len(fake.calls) != 1 {
		t.Fatalf("the page was asked %d times", len(fake.calls))
	}
	h.press("enter")
	h.expect("Что оплатить")
}

func TestOnlinePaymentWithoutAnswerIsUnknown(t *testing.T) {
	fake := &payPage{err: &providers.Error{Kind: providers.ErrOutcomeUnknown, Op: "online payment"}}
	h := newHarness(t, "en", func(p providers.Provider) providers.Provider { fake.Provider = p; return fake })
	h.typeText("Новосёл")
	h.press("enter")
	h.key(tea.KeyPressMsg{Code: 'o', Mod: tea.ModCtrl})
	h.press("enter")
	h.expect("The payment page did not open", "a payment may have been created")
	if !strings.Contains(h.screen(), "check in the CRM") || len(fake.calls) != 1 {
		t.Fatalf("calls %d:\n%s", len(fake.calls), h.screen())
	}
}

func TestOnlinePaymentOffersTheClientsPlansFirst(t *testing.T) {
	h := newHarness(t, "en")
	h.typeText("Зелен")
	h.press("enter")
	h.key(tea.KeyPressMsg{Code: 'o', Mod: tea.ModCtrl})
	s := h.screen()
	renew, buy := strings.Index(s, "Renew “Безлимит на месяц”"), strings.Index(s, "Buy “")
	if renew < 0 || buy < 0 || renew > buy || strings.Contains(s, "The debt") {
		t.Fatalf("renewals first, no debt line:\n%s", s)
	}
}

func TestGoldenOnlinePayment(t *testing.T) {
	for _, lang := range []string{"ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			fake := &payPage{}
			h := newHarness(t, lang, func(p providers.Provider) providers.Provider { fake.Provider = p; return fake })
			h.typeText("Новосёл")
			h.press("enter")
			h.key(tea.KeyPressMsg{Code: 'o', Mod: tea.ModCtrl})
			h.golden("online_pick_" + lang)
			h.press("enter")
			h.golden("online_qr_" + lang)
		})
	}
}

package ui

import (
	"context"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// loseSale is the demo club on a line that drops the sale's answer after
// the club applied it.
type loseSale struct{ providers.Provider }

func (p loseSale) Sell(ctx context.Context, s models.Sale) (models.SaleResult, error) {
	res, _ := p.Provider.Sell(ctx, s)
	res.MembershipCreated = models.OutcomeUnknown
	for i := range res.Payments {
		res.Payments[i].Outcome = models.OutcomeUnknown
	}
	return res, &providers.Error{Kind: providers.ErrOutcomeUnknown, Op: "sell", Message: "CRM did not answer"}
}

// found is a CRM that can be asked about lost writes.
type found struct{ providers.Provider }

func (found) Reconcile(context.Context, models.LostWrite) (models.Finding, error) {
	return models.Finding{Found: true, Detail: models.Words{EN: "payment № 61", RU: "платёж № 61"}}, nil
}

func journalHarness(t *testing.T, dir string, lang string, wrap ...func(providers.Provider) providers.Provider) (*harness, *journal.Journal) {
	t.Helper()
	// The journal keeps the club's clock: twenty minutes before the test's now.
	j, err := journal.Open(dir, journal.Who{Profile: "main", Provider: "demo", Desk: "Reception 1", Operator: "Анна"},
		journal.WithClock(func() time.Time { return testNow.Add(-20 * time.Minute) }))
	if err != nil {
		t.Fatal(err)
	}
	wrap = append(wrap, func(p providers.Provider) providers.Provider { return journal.Wrap(p, j) })
	h := newHarnessWith(t, lang, func(o *Options) { o.Journal = j }, wrap...)
	return h, j
}

func TestALostSaleMustBeCheckedBeforeAnythingIsRepeated(t *testing.T) {
	dir := t.TempDir()
	h, _ := journalHarness(t, dir, "ru", func(p providers.Provider) providers.Provider { return loseSale{p} })
	h.expectNot("проверить:")
	h.typeText("Новосёл")
	h.press("enter", "f4")
	h.press("enter", "enter", "enter", "y")
	h.expect("проверить: 1 (F7)")

	// The next start (the terminal was closed) opens the journal first.
	h, _ = journalHarness(t, dir, "ru")
	h.expect("Журнал операций · Требуют проверки", "Продажа", "Новосёлов Кирилл", "неизвестно", "проверить: 1")
	h.press("enter")
	h.expect("Эту CRM нельзя спросить с кассы")
	h.press("y")
	h.expect("Отмечено: прошло", "Проверять нечего")
	h.expectNot("проверить:")
	h.press("tab")
	h.expect("Сегодня на этой кассе", "Продажа", "прошло")
}

func TestTheCRMIsAskedWhereTheAdapterCanLook(t *testing.T) {
	dir := t.TempDir()
	_, j := journalHarness(t, dir, "en")
	op, err := j.Begin(journal.Entry{Kind: journal.Pay, ClientID: "10004", ClientName: "Должиков Игорь", Amount: 250000, Currency: "RUB",
		Parts: []journal.Part{{Method: "cash", Amount: 250000, Currency: "RUB"}}})
	if err != nil {
		t.Fatal(err)
	}
	h, _ := journalHarness(t, dir, "en", func(p providers.Provider) providers.Provider { return found{p} })
	h.expect("Payment", "Должиков Игорь", "2 500 ₽", "no answer", "cash 2 500 ₽")
	h.press("enter")
	h.expect("found — it went through: payment № 61")
	h.press("y")
	h.expect("Nothing needs checking")
	if o, _ := j.Get(op); o.Phase() != journal.Unknown && o.Phase() != journal.Intent {
		t.Fatal("the journal object of the first console changed under it")
	}
	h, j = journalHarness(t, dir, "en")
	if o, _ := j.Get(op); o.Phase() != journal.Confirmed || o.Last.Message == "" {
		t.Fatalf("the verdict is not in the journal: %+v", o.Last)
	}
	h.expect("Find a client")
}

// TestGoldenJournal renders the journal with an operation that needs
// checking, its finding, and the day's trail, at 80x24 in both languages.
func TestGoldenJournal(t *testing.T) {
	for _, lang := range []string{"ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			dir := t.TempDir()
			_, j := journalHarness(t, dir, lang)
			op, _ := j.Begin(journal.Entry{Kind: journal.Pay, ClientID: "10004", ClientName: "Должиков Игорь", SubjectID: "m-1",
				Amount: 250000, Currency: "RUB", Parts: []journal.Part{{Method: "card", Amount: 100000, Currency: "RUB"}, {Method: "cash", Amount: 150000, Currency: "RUB"}}})
			j.Finish(op, journal.Unknown, journal.Answer{Error: "LuckyFit did not answer"}, "", nil)
			done, _ := j.Begin(journal.Entry{Kind: journal.Sell, ClientID: "10010", ClientName: "Новосёлов Кирилл", Subject: "8 посещений", Amount: 400000, Currency: "RUB"})
			j.Finish(done, journal.Done, journal.Answer{}, "m-2", nil)
			h, _ := journalHarness(t, dir, lang, func(p providers.Provider) providers.Provider { return found{p} })
			h.press("enter")
			h.golden("journal_pending_" + lang)
			h.press("tab")
			h.golden("journal_today_" + lang)
		})
	}
}

// foundInPart is a CRM that shows a lost sale's membership and its cash,
// but not its card payment.
type foundInPart struct{ providers.Provider }

func (foundInPart) Reconcile(_ context.Context, w models.LostWrite) (models.Finding, error) {
	rub := func(m int64) models.Money { return models.Money{Minor: m, Currency: "RUB"} }
	return models.Finding{Steps: []models.FoundStep{
		{Kind: models.StepMembership, Found: true, Ref: "m-9", What: models.Words{EN: "membership", RU: "абонемент"}},
		{Kind: models.StepPayment, Found: true, Ref: "61", Payment: models.Payment{Method: models.PayCash, Amount: rub(100000)},
			What: models.Words{EN: "cash 1 000 ₽", RU: "наличные 1 000 ₽"}},
		{Kind: models.StepPayment, Payment: models.Payment{Method: models.PayCard, Amount: rub(400000)},
			What: models.Words{EN: "card 4 000 ₽", RU: "карта 4 000 ₽"}},
	}}, nil
}

// TestALostSaleFoundInPartIsSettledInPart: F7 says what the CRM shows and
// what it does not, h settles the sale in part, and the client's card
// opens with what is left to take.
func TestALostSaleFoundInPartIsSettledInPart(t *testing.T) {
	dir := t.TempDir()
	h, _ := journalHarness(t, dir, "ru", func(p providers.Provider) providers.Provider { return loseSale{p} })
	splitSale(h)
	h, j := journalHarness(t, dir, "ru", func(p providers.Provider) providers.Provider { return foundInPart{p} })
	h.expect("Журнал операций · Требуют проверки", "Продажа")
	h.press("h")
	h.expect("Сначала спросите CRM")
	h.press("enter")
	h.expect("выполнено частично", "найдено: абонемент; наличные 1 000 ₽", "пока не", "карта 4 000 ₽", "h частично")
	h.press("h")
	h.expect("Карточка клиента: Новосёлов", "Осталось получить 4 000 ₽")
	ops := j.Since(testNow.Add(-time.Hour))
	if len(ops) == 0 || ops[0].Phase() != journal.ConfirmedPart || ops[0].Rest().Minor != 400000 {
		t.Fatalf("the journal holds %+v", ops)
	}
	// The shift report counts it in the same words.
	h.press("f6")
	h.expect("По журналу этой кассы", "выполнено частично 1", "Осталось получить:", "4 000 ₽")
}

// TestTheTrailSaysWhoSettledACheck: a session of clubdesk serve (its own
// desk and operator on the service's journal) settles a lost payment; F7's
// trail then says when and by whom, as the journal keeps it.
func TestTheTrailSaysWhoSettledACheck(t *testing.T) {
	dir := t.TempDir()
	_, j := journalHarness(t, dir, "ru")
	op, err := j.Begin(journal.Entry{Kind: journal.Pay, ClientID: "10004", ClientName: "Должиков Игорь", Amount: 250000, Currency: "RUB",
		Parts: []journal.Part{{Method: "cash", Amount: 250000, Currency: "RUB"}}})
	if err != nil {
		t.Fatal(err)
	}
	j, err = journal.Open(dir, journal.Who{Profile: "main", Provider: "demo", Desk: "service", Operator: "service"},
		journal.WithClock(func() time.Time { return testNow.Add(-20 * time.Minute) }))
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessWith(t, "ru", func(o *Options) { o.Journal, o.Operator, o.Desk = j, "Борис", "192.0.2.7:51312" },
		func(p providers.Provider) providers.Provider {
			return journal.WrapFor(p, j, "192.0.2.7:51312", "Борис")
		})
	h.expect("Журнал операций · Требуют проверки", "Должиков Игорь")
	h.expectNot("Проверено:")
	h.press("n")
	h.expect("Отмечено: не прошло", "Проверять нечего")
	h.press("tab")
	h.expect("Сегодня на этой кассе", "Ответ: не прошло", "Проверено: "+testNow.Add(-20*time.Minute).Format("02.01 15:04:05")+" · Борис @ 192.0.2.7:51312")
	if o, _ := j.Get(op); o.Last.Operator != "Борис" || o.Last.Desk != "192.0.2.7:51312" {
		t.Fatalf("the verdict line says %q @ %q", o.Last.Operator, o.Last.Desk)
	}
}

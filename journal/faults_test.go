package journal

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/luckyfit"
	"github.com/clubdesk/clubdesk/providers/luckyfit/luckyfittest"
)

// The fault-injection suite: the real LuckyFit adapter, through the
// journal, against a local LuckyFit that fails the way networks and CRMs
// do. Each case checks that nothing crashes, the error says the right
// thing, no write reached the server twice, and the journal holds the truth.

const faultKey = "lf-fault-key"

type secret string

func (s secret) Secret(string) (string, error)  { return string(s), nil }
func (s secret) SetSecret(string, string) error { return nil }

type faultDesk struct {
	srv *luckyfittest.Server
	lf  *luckyfit.Client
	rec *Recorded
	dir string
}

func newFaultDesk(t *testing.T, opts ...luckyfit.Option) *faultDesk {
	t.Helper()
	srv := luckyfittest.NewServer(faultKey, nil)
	t.Cleanup(srv.Close)
	opts = append([]luckyfit.Option{luckyfit.WithRetryWait(time.Millisecond), luckyfit.WithTimeout(2 * time.Second)}, opts...)
	lf, err := luckyfit.New(providers.Settings{BaseURL: srv.URL + "/api", Secrets: secret(faultKey), PointName: "Reception 1",
		Timezone: "Europe/Moscow"}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	return &faultDesk{srv: srv, lf: lf, rec: Wrap(lf, open(t, dir)), dir: dir}
}

// last is the journal's latest operation, as a restarted desk reads it.
func (d *faultDesk) last(t *testing.T) Operation {
	t.Helper()
	ops := open(t, d.dir).Since(time.Time{})
	if len(ops) == 0 {
		t.Fatal("nothing journalled")
	}
	return ops[len(ops)-1]
}

func rub(n int64) models.Money { return models.Major(n, "RUB") }

// payDebt pays 2 500 ₽ of Должиков's debt (ticket 502) in cash.
func (d *faultDesk) payDebt() (models.PaymentResult, error) {
	return d.rec.TakePayment(context.Background(), models.PaymentRequest{ClientID: "10004", Purpose: models.PayForMembership,
		MembershipID: "502", Payments: []models.Payment{{Method: models.PayCash, Amount: rub(2500)}}})
}

func TestFaultDroppedAfterThePaymentWasApplied(t *testing.T) {
	d := newFaultDesk(t)
	d.srv.Inject("POST /transactions", luckyfittest.Fault{Drop: true})
	res, err := d.payDebt()
	// The adapter looks the lost payment up and finds it: done, once.
	if err != nil || res.Charged() != rub(2500) || !strings.Contains(res.Payments[0].Detail, "найдено") {
		t.Fatalf("res %+v err %v", res, err)
	}
	if n := d.srv.Requests("POST /transactions"); n != 1 {
		t.Fatalf("the payment reached the server %d times", n)
	}
	if op := d.last(t); op.Phase() != Done || op.Last.Parts[0].Outcome != "done" {
		t.Fatalf("journal: %+v", op.Last)
	}
}

func TestFaultServerErrorOnAPaymentIsUnknownNotRetried(t *testing.T) {
	d := newFaultDesk(t)
	d.srv.Inject("POST /transactions", luckyfittest.Fault{Status: 503, Body: "<html><body>503 Service Unavailable</body></html>"})
	res, err := d.payDebt()
	if !errors.Is(err, providers.ErrOutcomeUnknown) || res.Payments[0].Outcome != models.OutcomeUnknown {
		t.Fatalf("res %+v err %v", res, err)
	}
	if n := d.srv.Requests("POST /transactions"); n != 1 {
		t.Fatalf("a payment answered 503 was sent %d times", n)
	}
	op := d.last(t)
	if op.Phase() != Unknown || !op.Phase().NeedsCheck() {
		t.Fatalf("journal: %+v", op.Last)
	}
	// Reconciling: the 503 came from in front of LuckyFit, nothing was
	// written, and the desk is told "not found yet", not "failed".
	f, err := d.lf.Reconcile(context.Background(), op.Lost())
	if err != nil || f.Found {
		t.Fatalf("reconcile: %+v %v", f, err)
	}
}

func TestFaultSaleAnswerLostIsUnknownAndNoPaymentFollows(t *testing.T) {
	d := newFaultDesk(t)
	plans, err := d.rec.Plans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	d.srv.Inject("POST /client_tickets", luckyfittest.Fault{Drop: true})
	sale := models.Sale{ClientID: "10012", Plan: plans[0], Start: models.NewDate(2026, 12, 1),
		Payments: []models.Payment{{Method: models.PayCash, Amount: plans[0].Price}}}
	res, err := d.rec.Sell(context.Background(), sale)
	if !errors.Is(err, providers.ErrOutcomeUnknown) || res.MembershipCreated != models.OutcomeUnknown || res.Charged().IsPositive() {
		t.Fatalf("res %+v err %v", res, err)
	}
	if d.srv.Requests("POST /client_tickets") != 1 || d.srv.Requests("POST /transactions") != 0 {
		t.Fatalf("tickets %d, transactions %d", d.srv.Requests("POST /client_tickets"), d.srv.Requests("POST /transactions"))
	}
	op := d.last(t)
	if op.Phase() != Unknown || op.Intent.Subject != plans[0].Name {
		t.Fatalf("journal: %+v", op)
	}
	// The ticket exists in LuckyFit, unpaid: the payments are not there, so
	// reconciling does not call the sale done.
	if f, err := d.lf.Reconcile(context.Background(), op.Lost()); err != nil || f.Found || !strings.Contains(f.Detail.RU, "абонемент №") {
		t.Fatalf("reconcile: %+v %v", f, err)
	}
}

func TestFaultTruncatedAnswerToABooking(t *testing.T) {
	d := newFaultDesk(t)
	ctx := context.Background()
	if _, err := d.rec.Lessons(ctx, time.Now().Add(-24*time.Hour), time.Now().Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	d.srv.Inject("POST /lesson_calendar_bookings", luckyfittest.Fault{Status: 200, Body: `{"success":true,"data":{"id":`})
	_, err := d.rec.Book(ctx, "3003", "10012")
	if !errors.Is(err, providers.ErrOutcomeUnknown) || !strings.Contains(err.Error(), "not answering properly") {
		t.Fatalf("err %v", err)
	}
	if n := d.srv.Requests("POST /lesson_calendar_bookings"); n != 1 {
		t.Fatalf("booked %d times", n)
	}
	if op := d.last(t); op.Phase() != Unknown || op.Intent.Subject == "" {
		t.Fatalf("journal (the lesson is named from the timetable): %+v", op.Intent)
	}
}

func TestFaultSlowAnswerPastTheDeadline(t *testing.T) {
	d := newFaultDesk(t, luckyfit.WithTimeout(100*time.Millisecond))
	d.srv.SetLatency(400 * time.Millisecond)
	res, err := d.payDebt()
	if !errors.Is(err, providers.ErrOutcomeUnknown) && !errors.Is(err, providers.ErrUnavailable) {
		t.Fatalf("err %v", err)
	}
	if res.Charged().IsPositive() {
		t.Fatal("a payment that timed out is reported charged")
	}
	if n := d.srv.Requests("POST /transactions"); n > 1 {
		t.Fatalf("the payment was sent %d times", n)
	}
	if op := d.last(t); op.Phase() != Unknown && op.Phase() != Refused {
		t.Fatalf("journal: %+v", op.Last)
	}
}

func TestFaultReadsRecoverFromABurstAndGiveUpClearly(t *testing.T) {
	ctx := context.Background()
	d := newFaultDesk(t)
	d.srv.Inject("GET /clients", luckyfittest.Fault{Status: 502, Body: "Bad Gateway"}, luckyfittest.Fault{Status: 503})
	if cs, err := d.rec.SearchClients(ctx, "Зелен", 10); err != nil || len(cs) != 1 {
		t.Fatalf("after a 5xx burst of two: %v %v", cs, err)
	}
	if n := d.srv.Requests("GET /clients"); n != 3 {
		t.Fatalf("%d attempts, want 3", n)
	}

	cases := []struct {
		name   string
		faults []luckyfittest.Fault
		want   error
		words  string
	}{
		{"5xx storm", []luckyfittest.Fault{{Status: 502}, {Status: 502}, {Status: 502}}, providers.ErrUnavailable, ""},
		{"429 storm", []luckyfittest.Fault{{Status: 429}, {Status: 429}, {Status: 429}}, providers.ErrRateLimited, ""},
		{"401 mid-session", []luckyfittest.Fault{{Status: 401, Body: `{"success":false,"error":"Неверный API-ключ"}`}}, providers.ErrUnauthorized, "Неверный API-ключ"},
		{"session expired", []luckyfittest.Fault{{Status: 200, Body: `{"success":false,"session_expired":true,"error":"Сессия истекла"}`}}, providers.ErrUnauthorized, "Сессия истекла"},
		// An answer that cannot be read is not a lost line: the desk stays
		// online (ErrBadAnswer, not ErrUnavailable).
		{"HTML page", []luckyfittest.Fault{{Status: 200, Body: "<!DOCTYPE html><html>Технические работы</html>"}}, providers.ErrBadAnswer, "not answering properly"},
		{"malformed JSON", []luckyfittest.Fault{{Status: 200, Body: `{"success":true,"data":[{"id":1,}]}`}}, providers.ErrBadAnswer, "not answering properly"},
	}
	for _, c := range cases {
		d := newFaultDesk(t)
		d.srv.Inject("GET /clients", c.faults...)
		_, err := d.rec.SearchClients(ctx, "Зелен", 10)
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.words) {
			t.Errorf("%s: %v", c.name, err)
		}
		if n := d.srv.Requests("GET /clients"); n != len(c.faults) {
			t.Errorf("%s: %d attempts, want %d", c.name, n, len(c.faults))
		}
	}
}

package journal

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/keys/redact"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/luckyfit"
	"github.com/clubdesk/clubdesk/providers/luckyfit/luckyfittest"
	"github.com/clubdesk/clubdesk/text"
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
		// A web page in place of the API is the web application's
		// (ErrNotAPI: doctor finds the address that answers); JSON that
		// cannot be read is not a lost line: the desk stays online
		// (ErrBadAnswer, not ErrUnavailable).
		{"HTML page", []luckyfittest.Fault{{Status: 200, Body: "<!DOCTYPE html><html>Технические работы</html>"}}, providers.ErrNotAPI, "not answering properly"},
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

// The red team's faults (issue 15): an echoed key, redirects on a
// payment, a 17 MB answer, a 2 MB name, money in every shape.

// filesHold reports the files under dir that contain s.
func filesHold(t *testing.T, dir, s string) []string {
	t.Helper()
	var hits []string
	filepath.WalkDir(dir, func(path string, de fs.DirEntry, err error) error {
		if err == nil && !de.IsDir() {
			if raw, _ := os.ReadFile(path); strings.Contains(string(raw), s) {
				hits = append(hits, path)
			}
		}
		return nil
	})
	return hits
}

// A CRM that echoes the API key in a refusal — 200 with success:false, a
// 401, a 500 — to a payment and to a search: the key is in no error text
// (what the screen, doctor and login show), no payment detail and no
// file. The key reaches the redaction only through the request that
// carried it (the store here is not the keyring).
func TestFaultAnEchoedKeyAppearsNowhere(t *testing.T) {
	echo := `{"success":false,"error":"Неверный API-ключ: ` + faultKey + ` (Api-Key: ` + faultKey + `)"}`
	for _, status := range []int{200, 401, 500} {
		redact.Forget()
		d := newFaultDesk(t)
		d.srv.Inject("POST /transactions", luckyfittest.Fault{Status: status, Body: echo})
		d.srv.Inject("GET /clients", luckyfittest.Fault{Status: status, Body: echo})
		res, payErr := d.payDebt()
		_, searchErr := d.rec.SearchClients(context.Background(), "Зелен", 10)
		if payErr == nil || searchErr == nil {
			t.Fatalf("%d: pay %v, search %v", status, payErr, searchErr)
		}
		var texts []string
		for _, err := range []error{payErr, searchErr} {
			texts = append(texts, err.Error(), providers.Explain(err, "ru"), providers.Explain(err, "en"), providers.ProviderMessage(err), fmt.Sprint(providers.FieldMessages(err)))
		}
		for _, p := range res.Payments {
			texts = append(texts, p.Detail)
		}
		for _, op := range open(t, d.dir).Since(time.Time{}) {
			texts = append(texts, op.Last.Message, op.Last.Error, op.Last.Why.RU, fmt.Sprint(op.Last.Parts))
		}
		for _, s := range texts {
			if strings.Contains(s, faultKey) {
				t.Errorf("%d: the key is shown: %q", status, s)
			}
		}
		if hits := filesHold(t, d.dir, faultKey); len(hits) > 0 {
			t.Errorf("%d: the key is in %v", status, hits)
		}
		if !strings.Contains(payErr.Error()+searchErr.Error(), "Неверный API-ключ") {
			t.Errorf("%d: the refusal lost its words: %v / %v", status, payErr, searchErr)
		}
	}
	redact.Forget()
}

// redirecting puts a front before the local LuckyFit that answers a
// payment with a redirect after passing it on: the server applied it.
func redirecting(t *testing.T, d *faultDesk, status int) *atomic.Int32 {
	t.Helper()
	target, _ := url.Parse(d.srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var after atomic.Int32
	var paid atomic.Bool
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if paid.Load() {
			after.Add(1)
		}
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/transactions") {
			proxy.ServeHTTP(httptest.NewRecorder(), r) // applied
			paid.Store(true)
			http.Redirect(w, r, "/api/transactions/applied", status)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	lf, err := luckyfit.New(providers.Settings{BaseURL: front.URL + "/api", Secrets: secret(faultKey), PointName: "Reception 1",
		Timezone: "Europe/Moscow"}, luckyfit.WithRetryWait(time.Millisecond), luckyfit.WithTimeout(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	d.lf, d.rec = lf, Wrap(lf, open(t, d.dir))
	return &after
}

// A payment answered 307 or 302: never sent again (307), never turned
// into a GET whose 404 would journal "refused" (302). It went through; the
// desk either finds it (done, once) or says it is unknown and keeps it to
// be checked — never "nothing happened".
func TestFaultARedirectOnAPaymentIsNeverFollowed(t *testing.T) {
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusFound} {
		d := newFaultDesk(t)
		after := redirecting(t, d, status)
		res, err := d.payDebt()
		if n := d.srv.Requests("POST /transactions"); n != 1 {
			t.Errorf("%d: the payment reached LuckyFit %d times", status, n)
		}
		if d.srv.Requests("GET /transactions/applied") != 0 {
			t.Errorf("%d: the redirect was followed", status)
		}
		op := d.last(t)
		t.Logf("%d: %s, %v", status, op.Phase(), err)
		switch op.Phase() {
		case Done: // looked up and found: charged once
			if err != nil || res.Charged() != rub(2500) {
				t.Errorf("%d: done, but res %+v err %v", status, res, err)
			}
		case Unknown:
			if !errors.Is(err, providers.ErrOutcomeUnknown) || !op.Phase().NeedsCheck() {
				t.Errorf("%d: unknown, but err %v", status, err)
			}
		default:
			t.Errorf("%d: a payment the server applied is journalled %s (%v), %d requests after it", status, op.Phase(), err, after.Load())
		}
	}
}

// A 17 MB answer to a search is not a lost connection: the error says the
// answer is too large, and the desk is not sent offline.
func TestFaultAHugeAnswerIsNotNoConnection(t *testing.T) {
	d := newFaultDesk(t)
	d.srv.Inject("GET /clients", luckyfittest.Fault{Status: 200, Body: `{"success":true,"data":[{"id":1,"surname":"` + strings.Repeat("x", 17<<20) + `"}]}`})
	_, err := d.rec.SearchClients(context.Background(), "Зелен", 10)
	if !errors.Is(err, providers.ErrBadAnswer) || !errors.Is(err, providers.ErrAnswerTooLarge) || errors.Is(err, providers.ErrUnavailable) {
		t.Fatalf("a 17 MB answer: %v", err)
	}
	if n := d.srv.Requests("GET /clients"); n != 1 {
		t.Fatalf("a 17 MB answer was asked for %d times", n)
	}
}

// A 2 MB surname is cut at decode, and the journal that names the client
// stays readable.
func TestFaultATwoMegabyteName(t *testing.T) {
	d := newFaultDesk(t)
	name := strings.Repeat("Щ", 1<<20)
	d.srv.Inject("GET /clients", luckyfittest.Fault{Status: 200, Body: `{"success":true,"data":[{"id":10004,"surname":"` + name + `","name":"Игорь"}]}`})
	cs, err := d.rec.SearchClients(context.Background(), "Щ", 10)
	if err != nil || len(cs) != 1 || len(cs[0].LastName) > text.MaxField || !strings.Contains(cs[0].LastName, text.CutMark) {
		t.Fatalf("a 2 MB name decoded: %d clients, %v", len(cs), err)
	}
	if _, err := d.payDebt(); err != nil {
		t.Fatal(err)
	}
	j, err := Open(d.dir, who)
	if err != nil || j.Skipped() != 0 {
		t.Fatalf("the journal after a 2 MB name: %v, skipped %d", err, j.Skipped())
	}
	if op := d.last(t); len(op.Intent.ClientName) > MaxText || !strings.HasPrefix(op.Intent.ClientName, "ЩЩЩ") {
		t.Fatalf("journalled name: %d bytes", len(op.Intent.ClientName))
	}
}

// Money in every shape a JSON CRM sends is read; what cannot be read is
// unknown, listed as such, and never sold at 0 ₽.
func TestFaultMoneyInEveryShape(t *testing.T) {
	d := newFaultDesk(t)
	d.srv.Inject("GET /tickets", luckyfittest.Fault{Status: 200, Body: `{"success":true,"data":[
		{"id":1,"name":"A","price":"3500.000","passes":8,"duration":1,"time_kind_id":4,"ticket_kind":1},
		{"id":2,"name":"B","price":1e4,"passes":8,"duration":1,"time_kind_id":4,"ticket_kind":1},
		{"id":3,"name":"C","price":"3500 руб.","passes":8,"duration":1,"time_kind_id":4,"ticket_kind":1},
		{"id":4,"name":"D","price":1234567890123,"passes":8,"duration":1,"time_kind_id":4,"ticket_kind":1},
		{"id":5,"name":"E","price":"3500.005","passes":8,"duration":1,"time_kind_id":4,"ticket_kind":1},
		{"id":6,"name":"F","price":"договорная","passes":8,"duration":1,"time_kind_id":4,"ticket_kind":1},
		{"id":7,"name":"G","passes":8,"duration":1,"time_kind_id":4,"ticket_kind":1}]}`})
	plans, err := d.rec.Plans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]models.Money{"A": rub(3500), "B": rub(10000), "C": rub(3500), "D": rub(1234567890123),
		"E": models.UnknownMoney("RUB"), "F": models.UnknownMoney("RUB"), "G": models.UnknownMoney("RUB")}
	for _, p := range plans {
		if p.Price != want[p.Name] {
			t.Errorf("plan %s: %+v (%s), want %s", p.Name, p.Price, p.Price, want[p.Name])
		}
		if !p.Price.Unknown {
			continue
		}
		_, err := d.rec.Sell(context.Background(), models.Sale{ClientID: "10012", Plan: p, Start: models.NewDate(2026, 12, 1)})
		if !errors.Is(err, models.ErrUnknownAmount) {
			t.Errorf("plan %s at an unknown price sold: %v", p.Name, err)
		}
	}
	if n := d.srv.Requests("POST /client_tickets"); n != 0 {
		t.Fatalf("%d tickets sent at an unknown price", n)
	}
	// A deposit of -1e18 rubles is more than the desk holds: unknown, not 0 ₽.
	d.srv.Inject("GET /client_accounts", luckyfittest.Fault{Status: 200, Body: `{"success":true,"data":[{"id":1,"balance":-1e18}]}`})
	c, err := d.rec.Client(context.Background(), "10004")
	if err != nil || !c.Deposit.Unknown || c.Deposit.IsZero() {
		t.Fatalf("a deposit of -1e18: %+v (%s), %v", c.Deposit, c.Deposit, err)
	}
}

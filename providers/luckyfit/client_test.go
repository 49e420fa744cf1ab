package luckyfit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/httpx/httpxtest"
)

var moscow, _ = time.LoadLocation("Europe/Moscow")

var testNow = time.Date(2026, 11, 22, 10, 5, 0, 0, moscow)

const testKey = "lf-contract-key"

type key string

func (k key) Secret(string) (string, error)  { return string(k), nil }
func (k key) SetSecret(string, string) error { return nil }

// call is one request the wire server received.
type call struct {
	Method string
	Path   string
	Params map[string]any
	Body   map[string]any
}

// fakeServer is a scripted LuckyFit: strict about the Api-Key header and the
// params variable, answering with the document-shaped fixtures. Its routes
// and the calls it received are the embedded script's.
type fakeServer struct {
	*httpxtest.Script[call]
	t *testing.T
}

func newWire(t *testing.T) (*fakeServer, *Client) {
	t.Helper()
	wr := &fakeServer{Script: httpxtest.New[call](t), t: t}
	srv := httptest.NewServer(http.HandlerFunc(wr.serve))
	t.Cleanup(srv.Close)
	c, err := New(providers.Settings{BaseURL: srv.URL + "/api", Secrets: key(testKey), PointName: "Reception 1",
		Timezone: "Europe/Moscow", Now: func() time.Time { return testNow }},
		WithRetryWait(time.Millisecond), WithTimeout(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return wr, c
}

func (wr *fakeServer) serve(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Api-Key") != testKey {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"success":false,"error":"Неверный API-ключ","session_expired":false}`)
		return
	}
	if !strings.HasPrefix(r.URL.Path, "/api/") {
		wr.t.Errorf("path %s lost the base URL's prefix", r.URL.Path)
	}
	c := call{Method: r.Method, Path: strings.TrimPrefix(r.URL.Path, "/api")}
	q := r.URL.Query()
	for k := range q {
		if k != "params" {
			wr.t.Errorf("%s %s: query variable %q besides params", r.Method, c.Path, k)
		}
	}
	if p := q.Get("params"); p != "" {
		if err := json.Unmarshal([]byte(p), &c.Params); err != nil {
			wr.t.Errorf("params is not a JSON object: %q", p)
		}
	}
	if r.Method != http.MethodGet {
		if len(q) > 0 {
			wr.t.Errorf("%s %s carries query variables", r.Method, c.Path)
		}
		data, _ := io.ReadAll(r.Body)
		if len(data) > 0 {
			if err := json.Unmarshal(data, &c.Body); err != nil {
				wr.t.Errorf("%s %s: body is not a JSON object: %s", r.Method, c.Path, data)
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				wr.t.Errorf("%s %s: Content-Type %q", r.Method, c.Path, ct)
			}
		}
	}
	route := wr.Receive(r.Method+" "+c.Path, c)
	if route == nil {
		io.WriteString(w, `{"success":false,"error":"Метод не найден","session_expired":false}`)
		return
	}
	route(w, c)
}

func ok(data string) string {
	return `{"success":true,"error":"","session_expired":false,"total":1,"data":` + data + `}`
}

func TestSearchSendsParamsAndDecodesTolerantly(t *testing.T) {
	wr, c := newWire(t)
	wr.Fixture("GET /clients", "clients.json")
	got, err := c.SearchClients(context.Background(), "Зелен Ольга", 50)
	if err != nil {
		t.Fatal(err)
	}
	calls := wr.Called("GET /clients")
	if len(calls) != 1 || calls[0].Params["match#surname"] != "Зелен" || calls[0].Params["match#name"] != "Ольга" {
		t.Fatalf("params = %v", calls)
	}
	if len(got) != 2 {
		t.Fatalf("%d clients", len(got))
	}
	b := got[0] // sorted: Блохин before Зеленина
	if b.ID != "10005" || b.LastName != "Блохин" || !b.Blocked || !strings.Contains(b.BlockReason, "утеря") ||
		b.Note != "Вернуть забытое полотенце" || b.Cards[0] != "27719048" || b.Birthday != models.NewDate(1980, 5, 2) {
		t.Fatalf("decoded %+v", b)
	}
	z := got[1]
	if z.ID != "10001" || z.Phone != "79165550001" || z.Cards[0] != "0040856634" || z.Birthday != models.NewDate(1992, 1, 14) {
		t.Fatalf("decoded %+v", z)
	}
}

func TestSearchByPhoneAndCard(t *testing.T) {
	wr, c := newWire(t)
	wr.Fixture("GET /clients", "clients.json")
	if _, err := c.SearchClients(context.Background(), "+7 916 555-00-01", 50); err != nil {
		t.Fatal(err)
	}
	if p := wr.Called("GET /clients")[0].Params; p["phone#phone1"] != "9165550001" || len(p) != 1 {
		t.Fatalf("phone search params %v", p)
	}
	if _, err := c.SearchClients(context.Background(), "0040856634", 50); err != nil {
		t.Fatal(err)
	}
	calls := wr.Called("GET /clients")[1:]
	var tag, phone bool
	for _, cl := range calls {
		tag = tag || cl.Params["tag"] == "0040856634"
		phone = phone || cl.Params["phone#phone1"] == "0040856634"
	}
	if !tag || !phone {
		t.Fatalf("digits that can be a card search both: %v", calls)
	}
	if _, err := c.SearchClients(context.Background(), "o.zelenina@mail.ru", 50); err != nil {
		t.Fatal(err)
	}
	if p := wr.Called("GET /clients")[3].Params; p["email1"] != "o.zelenina@mail.ru" {
		t.Fatalf("e-mail params %v", p)
	}
}

func TestCardLookup(t *testing.T) {
	wr, c := newWire(t)
	wr.On("GET /clients", func(w http.ResponseWriter, cl call) {
		if cl.Params["tag"] == "0040856634" {
			data, _ := os.ReadFile("testdata/clients.json")
			w.Write(data)
			return
		}
		io.WriteString(w, ok("[]"))
	})
	cl, err := c.ClientByCard(context.Background(), "0040856634")
	if err != nil || cl.ID == "" {
		t.Fatalf("%+v %v", cl, err)
	}
	if _, err := c.ClientByCard(context.Background(), "0099999999"); !errors.Is(err, providers.ErrNotFound) {
		t.Fatalf("unknown card: %v", err)
	}
}

func TestClientReadsDepositInTheSameRound(t *testing.T) {
	wr, c := newWire(t)
	wr.Fixture("GET /clients/id/10004", "client.json")
	wr.Fixture("GET /client_accounts", "client_accounts.json")
	cl, err := c.Client(context.Background(), "10004")
	if err != nil {
		t.Fatal(err)
	}
	if cl.LastName != "Должиков" || cl.Deposit.Minor != 150050 {
		t.Fatalf("%+v", cl)
	}
	if p := wr.Called("GET /client_accounts")[0].Params; p["client_id"] != "10004" {
		t.Fatalf("accounts params %v", p)
	}
}

func TestEnvelopeErrorsAreTyped(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		want   error
		msg    string
	}{
		{"refusal", 200, `{"success":false,"error":"Недопустимое значение","session_expired":false}`, providers.ErrValidation, "Недопустимое значение"},
		{"not found", 200, `{"success":false,"error":"Клиент не найден"}`, providers.ErrNotFound, "Клиент не найден"},
		{"session expired", 200, `{"success":false,"error":"Сессия истекла","session_expired":true}`, providers.ErrUnauthorized, "Сессия истекла"},
		{"401", 401, `{"success":false,"error":"Неверный API-ключ"}`, providers.ErrUnauthorized, "Неверный API-ключ"},
		{"success false with 500", 500, `{"success":false,"error":"Внутренняя ошибка"}`, providers.ErrUnavailable, "Внутренняя ошибка"},
		{"html", 500, `<html><body>502 Bad Gateway</body></html>`, providers.ErrUnavailable, ""},
		{"html with 200", 200, `<!doctype html><html>login</html>`, providers.ErrNotAPI, "not answering properly"},
		{"malformed", 200, `{"success":tru`, providers.ErrBadAnswer, "not answering properly"},
		{"empty", 200, ``, providers.ErrBadAnswer, "not answering properly"},
		{"data of the wrong shape", 200, `{"success":true,"data":"a string"}`, providers.ErrBadAnswer, "not answering properly"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wr, c := newWire(t)
			wr.On("GET /clients/id/1", func(w http.ResponseWriter, _ call) {
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			})
			wr.Fixture("GET /client_accounts", "client_accounts.json")
			_, err := c.Client(context.Background(), "1")
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("err = %v; want %v with %q", err, tc.want, tc.msg)
			}
		})
	}
}

func TestReadsAreRetriedWritesAreNot(t *testing.T) {
	wr, c := newWire(t)
	n := 0
	wr.On("GET /ticket_classes", func(w http.ResponseWriter, _ call) {
		n++
		if n < 3 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "<html>busy</html>")
			return
		}
		data, _ := os.ReadFile("testdata/ticket_classes.json")
		w.Write(data)
	})
	wr.Fixture("GET /tickets", "tickets.json")
	if _, err := c.Plans(context.Background()); err != nil {
		t.Fatalf("a read should survive two 503s: %v", err)
	}
	wr.On("POST /lesson_calendar_bookings", func(w http.ResponseWriter, _ call) {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "<html>busy</html>")
	})
	_, err := c.Book(context.Background(), "3001", "10001")
	if !errors.Is(err, providers.ErrOutcomeUnknown) {
		t.Fatalf("a write answered 503 has an unknown outcome: %v", err)
	}
	if got := len(wr.Called("POST /lesson_calendar_bookings")); got != 1 {
		t.Fatalf("the write was sent %d times", got)
	}
}

func TestPlansAreTheAssortmentGroupedAndCached(t *testing.T) {
	wr, c := newWire(t)
	wr.Fixture("GET /tickets", "tickets.json")
	wr.Fixture("GET /ticket_classes", "ticket_classes.json")
	ps, err := c.Plans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p := wr.Called("GET /tickets")[0].Params
	if v, has := p["ticket_id"]; !has || v != nil {
		t.Fatalf("/tickets without ticket_id:null: %v", p)
	}
	if len(ps) != 3 {
		t.Fatalf("%d plans", len(ps))
	}
	byName := map[string]models.Plan{}
	for _, pl := range ps {
		byName[pl.Name] = pl
	}
	year := byName["Годовой клубный"]
	if year.Group != "Тренажёрный зал" || year.Months != 12 || year.MembershipFee.Minor != 500000 || year.Kind != models.PlanMembership {
		t.Fatalf("annual %+v", year)
	}
	trial := byName["Пробное занятие"]
	if trial.Kind != models.PlanTrial || trial.Days != 1 || trial.Visits != 1 || !trial.StartsOnFirstVisit {
		t.Fatalf("trial %+v", trial)
	}
	if _, err := c.Plans(context.Background()); err != nil || len(wr.Called("GET /tickets")) != 1 {
		t.Fatal("plans are read once a session")
	}
}

func TestMembershipsMapStatesVisitsDebtAndFreeze(t *testing.T) {
	wr, c := newWire(t)
	wr.On("GET /client_tickets", func(w http.ResponseWriter, cl call) {
		file := "testdata/client_tickets_current.json"
		if fmt.Sprint(cl.Params["ticket_state"]) == "2" {
			file = "testdata/client_tickets_finished.json"
		}
		data, _ := os.ReadFile(file)
		w.Write(data)
	})
	ms, err := c.Memberships(context.Background(), "10004")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 4 {
		t.Fatalf("%d memberships", len(ms))
	}
	unl, pack, year, old := ms[0], ms[1], ms[2], ms[3]
	if unl.State != models.StateActive || !unl.Unlimited || unl.AmountDue.Minor != 250000 || unl.End != models.NewDate(2026, 12, 17) {
		t.Fatalf("unlimited %+v", unl)
	}
	if pack.State != models.StateNotStarted || pack.VisitsLeft != 3 || pack.VisitsTotal != 8 {
		t.Fatalf("pack %+v", pack)
	}
	if year.State != models.StateFrozen || year.FrozenUntil != models.NewDate(2026, 12, 2) || year.End != models.NewDate(2027, 5, 31) {
		t.Fatalf("annual %+v", year)
	}
	if old.State != models.StateExpired || old.VisitsLeft != 0 {
		t.Fatalf("finished %+v", old)
	}
	v := models.Judge(models.VerdictInput{Memberships: ms, Now: testNow, Location: moscow})
	if v.Level != models.Red {
		t.Fatalf("a debt of 2 500 ₽ is red: %+v", v)
	}
}

// saleWire scripts a LuckyFit that creates tickets and takes payments.
func saleWire(t *testing.T, refuse map[int]string) (*fakeServer, *Client) {
	wr, c := newWire(t)
	wr.On("POST /client_tickets", func(w http.ResponseWriter, cl call) {
		io.WriteString(w, ok(`{"id":777,"client_id":10010,"ticket_id":4,"name":"Годовой клубный","duration":1,"time_kind_id":5,"price":39000,"membership_summ":5000,"started":"2026-11-22","account_summ_id":9101,"account_membership_id":9102,"debt":"44000.00"}`))
	})
	n := 0
	wr.On("POST /transactions", func(w http.ResponseWriter, cl call) {
		n++
		if msg, bad := refuse[n]; bad {
			io.WriteString(w, `{"success":false,"error":"`+msg+`","session_expired":false}`)
			return
		}
		io.WriteString(w, ok(fmt.Sprintf(`{"id":%d,"summ":%v}`, 600+n, cl.Body["summ"])))
	})
	wr.On("DELETE /client_tickets/777", func(w http.ResponseWriter, _ call) { io.WriteString(w, ok("null")) })
	return wr, c
}

func annualSale() models.Sale {
	plan := models.Plan{ID: "4", Name: "Годовой клубный", Price: models.Major(39000, "RUB"), MembershipFee: models.Major(5000, "RUB"), Months: 12}
	return models.Sale{ClientID: "10010", Plan: plan, Start: models.NewDate(2026, 11, 22),
		Discount: models.Discount{Kind: models.DiscountPercent, Percent: 10, Reason: "акция"},
		Payments: []models.Payment{{Method: models.PayCash, Amount: models.Major(30000, "RUB")}, {Method: models.PayCard, Amount: models.Major(10100, "RUB")}}}
}

func TestSaleCreatesTicketThenPaysPriceAndFee(t *testing.T) {
	wr, c := saleWire(t, nil)
	res, err := c.Sell(context.Background(), annualSale())
	if err != nil {
		t.Fatal(err)
	}
	b := wr.Called("POST /client_tickets")[0].Body
	if b["client_id"] != "10010" || b["ticket_id"] != "4" || b["started"] != "2026-11-22" ||
		fmt.Sprint(b["discount"]) != "10" || fmt.Sprint(b["discount_kind"]) != "0" || b["discount_comment"] != "акция" {
		t.Fatalf("ticket body %v", b)
	}
	// 39 000 − 10 % = 35 100 for the ticket, then the 5 000 fee: cash 30 000
	// and card 5 100 pay the ticket, card 5 000 the fee.
	want := []string{"9101/2/2/30000", "9101/2/3/5100", "9102/3/3/5000"}
	txs := wr.Called("POST /transactions")
	if len(txs) != len(want) {
		t.Fatalf("%d transactions", len(txs))
	}
	for i, tx := range txs {
		got := fmt.Sprintf("%v/%v/%v/%v", tx.Body["account_dest_id"], tx.Body["finoperation_id"], tx.Body["paykind_id"], tx.Body["summ"])
		if got != want[i] || tx.Body["point_name"] != "Reception 1" || tx.Body["client_id"] != "10010" {
			t.Fatalf("transaction %d = %s %v; want %s", i, got, tx.Body, want[i])
		}
	}
	if res.MembershipCreated != models.OutcomeDone || res.Charged().Minor != 4010000 || !res.Membership.AmountDue.IsZero() {
		t.Fatalf("result %+v", res)
	}
}

func TestSaleRefusedAtFirstPaymentDeletesTheTicket(t *testing.T) {
	wr, c := saleWire(t, map[int]string{1: "Касса закрыта"})
	res, err := c.Sell(context.Background(), annualSale())
	if !errors.Is(err, providers.ErrValidation) || !strings.Contains(err.Error(), "Касса закрыта") {
		t.Fatalf("err = %v", err)
	}
	if len(wr.Called("DELETE /client_tickets/777")) != 1 || res.MembershipCreated != models.OutcomeFailed {
		t.Fatalf("the unpaid ticket was not taken back: %+v", res)
	}
	if res.Charged().IsPositive() || len(wr.Called("POST /transactions")) != 1 {
		t.Fatal("nothing may be charged after a refusal")
	}
}

func TestSaleRefusedHalfWayKeepsWhatWasPaid(t *testing.T) {
	wr, c := saleWire(t, map[int]string{2: "Терминал: отказ банка"})
	res, err := c.Sell(context.Background(), annualSale())
	if err == nil || len(wr.Called("DELETE /client_tickets/777")) != 0 {
		t.Fatalf("a paid ticket must stay: err=%v", err)
	}
	if res.MembershipCreated != models.OutcomeDone || res.Charged().Minor != 3000000 || res.Membership.AmountDue.Minor != 1010000 {
		t.Fatalf("result %+v", res)
	}
	if res.Payments[1].Outcome != models.OutcomeFailed || res.Payments[2].Outcome != models.OutcomeNotTried {
		t.Fatalf("outcomes %+v", res.Payments)
	}
}

// dropping closes the connection after reading the request, as a Wi-Fi
// drop during a payment looks to the desk.
func dropping(w http.ResponseWriter) {
	hj, _ := w.(http.Hijacker)
	conn, _, err := hj.Hijack()
	if err == nil {
		conn.Close()
	}
}

func TestDroppedPaymentIsUnknownNeverRetriedAndLookedUp(t *testing.T) {
	for _, applied := range []bool{false, true} {
		t.Run(fmt.Sprint("applied=", applied), func(t *testing.T) {
			wr, c := saleWire(t, nil)
			wr.On("POST /transactions", func(w http.ResponseWriter, _ call) { dropping(w) })
			wr.On("GET /transactions", func(w http.ResponseWriter, cl call) {
				if cl.Params["lo#created_at"] == nil || fmt.Sprint(cl.Params["finoperation_id"]) != "2" {
					t.Errorf("lookup params %v", cl.Params)
				}
				if !applied {
					io.WriteString(w, ok("[]"))
					return
				}
				io.WriteString(w, ok(`[{"id":999,"client_id":10010,"account_dest_id":9101,"finoperation_id":2,"paykind_id":2,"summ":"30000.00","created_at":"2026-11-22T10:05:00"}]`))
			})
			res, err := c.Sell(context.Background(), annualSale())
			if got := len(wr.Called("POST /transactions")); got != 1 && !applied {
				t.Fatalf("a payment was sent %d times", got)
			}
			if !applied {
				if !errors.Is(err, providers.ErrOutcomeUnknown) || res.Payments[0].Outcome != models.OutcomeUnknown {
					t.Fatalf("err=%v outcomes=%+v", err, res.Payments)
				}
				if len(wr.Called("DELETE /client_tickets/777")) != 0 {
					t.Fatal("a ticket whose payment may have gone through was deleted")
				}
				return
			}
			if res.Payments[0].Outcome != models.OutcomeDone || !strings.Contains(res.Payments[0].Detail, "найдено в LuckyFit") {
				t.Fatalf("the lookup should find the payment: %+v", res.Payments[0])
			}
		})
	}
}

func TestDepositTopUpAndDebtPayment(t *testing.T) {
	wr, c := newWire(t)
	wr.Fixture("GET /client_accounts", "client_accounts.json")
	wr.Fixture("GET /client_tickets", "client_tickets_current.json")
	wr.On("POST /transactions", func(w http.ResponseWriter, cl call) { io.WriteString(w, ok(`{"id":1}`)) })
	_, err := c.TopUpDeposit(context.Background(), models.PaymentRequest{ClientID: "10004", Purpose: models.PayToDeposit,
		Payments: []models.Payment{{Method: models.PayCash, Amount: models.Major(1000, "RUB")}}})
	if err != nil {
		t.Fatal(err)
	}
	if b := wr.Called("POST /transactions")[0].Body; fmt.Sprint(b["account_dest_id"], "/", b["finoperation_id"]) != "7004/1" {
		t.Fatalf("top-up %v", b)
	}
	_, err = c.TakePayment(context.Background(), models.PaymentRequest{ClientID: "10004", MembershipID: "501",
		Payments: []models.Payment{{Method: models.PayCard, Amount: models.Major(2500, "RUB")}}})
	if err != nil {
		t.Fatal(err)
	}
	if b := wr.Called("POST /transactions")[1].Body; fmt.Sprint(b["account_dest_id"], "/", b["finoperation_id"], "/", b["paykind_id"]) != "9001/2/3" {
		t.Fatalf("debt payment %v", b)
	}
}

func TestLessonsRosterAndClientBookings(t *testing.T) {
	wr, c := newWire(t)
	wr.Fixture("GET /lesson_calendars/feed", "feed.json")
	wr.On("GET /lesson_calendar_bookings", func(w http.ResponseWriter, cl call) {
		if fmt.Sprint(cl.Params["lesson_calendar_id"]) != "3001" {
			io.WriteString(w, ok("[]"))
			return
		}
		data, _ := os.ReadFile("testdata/bookings.json")
		w.Write(data)
	})
	from, to := models.NewDate(2026, 11, 22).Bounds(moscow)
	ls, err := c.Lessons(context.Background(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	p := wr.Called("GET /lesson_calendars/feed")[0].Params
	if p["start"] != "2026-11-22T00:00:00" || p["end"] != "2026-11-22T23:59:59" {
		t.Fatalf("feed params %v", p)
	}
	if len(ls) != 3 || ls[0].Title != "Йога" || ls[1].Room != "Бассейн" || ls[2].Instructor != "Игорь Крылов" || !ls[2].Full() {
		t.Fatalf("lessons %+v", ls)
	}
	roster, err := c.Roster(context.Background(), "3001")
	if err != nil || len(roster) != 2 || roster[1].ClientName != "Пришвина Дарья" || roster[1].Attendance != models.Attended {
		t.Fatalf("roster %+v %v", roster, err)
	}
	mine, err := c.ClientBookings(context.Background(), "10001", from, to)
	if err != nil || len(mine) != 1 || mine[0].Lesson.Title != "Йога" {
		t.Fatalf("client bookings %+v %v", mine, err)
	}
	if _, err := c.Book(context.Background(), "3002", "10001"); !errors.Is(err, providers.ErrLessonFull) {
		t.Fatalf("a full lesson is refused before asking: %v", err)
	}
	if len(wr.Called("POST /lesson_calendar_bookings")) != 0 {
		t.Fatal("booking a full lesson was sent")
	}
}

func TestBookingRefusalsInLuckyFitsWords(t *testing.T) {
	wr, c := newWire(t)
	wr.On("POST /lesson_calendar_bookings", func(w http.ResponseWriter, cl call) {
		if cl.Body["client_id"] != "10001" || cl.Body["lesson_calendar_id"] != "3001" {
			t.Errorf("book body %v", cl.Body)
		}
		io.WriteString(w, `{"success":false,"error":"Клиент уже записан на занятие"}`)
	})
	if _, err := c.Book(context.Background(), "3001", "10001"); !errors.Is(err, providers.ErrAlreadyBooked) {
		t.Fatalf("err = %v", err)
	}
}

func TestVisitsAreTodaysEntries(t *testing.T) {
	wr, c := newWire(t)
	wr.Fixture("GET /access_logs", "access_logs.json")
	vs, err := c.Visits(context.Background(), "10011", testNow.Add(-30*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if p := wr.Called("GET /access_logs")[0].Params; p["lo#created_at"] != "2026-11-22T00:00:00" {
		t.Fatalf("access log read from %v; only today is read", p["lo#created_at"])
	}
	if len(vs) != 2 || vs[0].At.Hour() != 9 || vs[0].At.Minute() != 53 {
		t.Fatalf("visits %+v", vs)
	}
	v := models.Judge(models.VerdictInput{Visits: vs, Now: testNow, Location: moscow})
	found := false
	for _, r := range v.Reasons {
		found = found || r.Code == models.ReasonCheckedIn
	}
	if !found {
		t.Fatal("an entry 12 minutes ago should warn against a second check-in")
	}
}

func TestShiftReportByPaymentKind(t *testing.T) {
	wr, c := newWire(t)
	wr.Fixture("GET /transactions", "transactions_day.json")
	wr.Fixture("GET /access_logs", "access_logs.json")
	r, err := c.ShiftReport(context.Background(), models.NewDate(2026, 11, 22))
	if err != nil {
		t.Fatal(err)
	}
	if p := wr.Called("GET /transactions")[0].Params; p["point_name"] != "Reception 1" || p["lo#created_at"] != "2026-11-22T00:00:00" {
		t.Fatalf("report params %v", p)
	}
	if r.Total.Minor != 750000 || len(r.Takings) != 2 || r.Takings[0].Amount.Minor != 250000 || r.Takings[1].Amount.Minor != 500000 {
		t.Fatalf("report %+v", r)
	}
	if r.CheckIns != 2 || r.Sales != 3 {
		t.Fatalf("check-ins %d sales %d", r.CheckIns, r.Sales)
	}
}

func TestBindCardRefusesATakenCard(t *testing.T) {
	wr, c := newWire(t)
	wr.Fixture("GET /clients", "clients.json")
	err := c.BindCard(context.Background(), "10010", "0040856634")
	if !errors.Is(err, providers.ErrCardInUse) || len(wr.Called("PUT /clients/10010")) != 0 {
		t.Fatalf("err = %v", err)
	}
	wr.On("GET /clients", func(w http.ResponseWriter, _ call) { io.WriteString(w, ok("[]")) })
	wr.On("PUT /clients/10010", func(w http.ResponseWriter, cl call) {
		if cl.Body["tag"] != "0099999999" || len(cl.Body) != 1 {
			t.Errorf("bind body %v", cl.Body)
		}
		io.WriteString(w, ok(`{"id":10010}`))
	})
	if err := c.BindCard(context.Background(), "10010", "0099999999"); err != nil {
		t.Fatal(err)
	}
}

func TestCreateClient(t *testing.T) {
	wr, c := newWire(t)
	wr.On("POST /clients", func(w http.ResponseWriter, cl call) {
		if cl.Body["surname"] != "Гостев" || cl.Body["phone1"] != "79160001122" || cl.Body["birthday"] != "1990-03-04" {
			t.Errorf("create body %v", cl.Body)
		}
		io.WriteString(w, ok(`{"id":20001,"surname":"Гостев","name":"Пётр","phone1":"79160001122"}`))
	})
	cl, err := c.CreateClient(context.Background(), models.NewClient{LastName: "Гостев", FirstName: "Пётр", Phone: "+7 916 000-11-22", Birthday: models.NewDate(1990, 3, 4)})
	if err != nil || cl.ID != "20001" {
		t.Fatalf("%+v %v", cl, err)
	}
}

func TestWhatLuckyFitCannotDoIsSaid(t *testing.T) {
	wr, c := newWire(t)
	for _, cap := range []providers.Capability{providers.CapAttendance, providers.CapCheckIn, providers.CapCancelBooking} {
		if c.Capabilities().Has(cap) || c.Capabilities().Reason(cap) == "" {
			t.Errorf("%s should be declared unsupported with a reason", cap)
		}
	}
	err := c.MarkAttendance(context.Background(), "1", models.Attended)
	var ue *providers.UnsupportedError
	if !errors.As(err, &ue) || !strings.Contains(ue.Reason, "access control") {
		t.Fatalf("err = %v", err)
	}
	// No check-in, so no undo of one: refused before any request.
	err = c.UndoCheckIn(context.Background(), models.Visit{ID: "1", ClientID: "1"})
	if !errors.As(err, &ue) || ue.Capability != providers.CapUndoCheckIn || !strings.Contains(ue.Reason, "/access_logs") ||
		c.Capabilities().Has(providers.CapUndoCheckIn) {
		t.Fatalf("undo check-in: %v", err)
	}
	if n := wr.Total(); n != 0 {
		t.Fatalf("%d requests reached LuckyFit", n)
	}
}

func TestMissingOrWrongKey(t *testing.T) {
	wr, _ := newWire(t)
	srv := httptest.NewServer(http.HandlerFunc(wr.serve))
	defer srv.Close()
	c, _ := New(providers.Settings{BaseURL: srv.URL + "/api", Secrets: key("revoked")}, WithRetryWait(time.Millisecond))
	if _, err := c.Check(context.Background()); !errors.Is(err, providers.ErrUnauthorized) {
		t.Fatalf("err = %v", err)
	}
}

func TestCheckReadsServerClock(t *testing.T) {
	wr, c := newWire(t)
	wr.Fixture("GET /branches", "branches.json")
	at, err := c.Check(context.Background())
	if err != nil || at.IsZero() {
		t.Fatalf("%v %v", at, err)
	}
}

func TestOversizedAnswerIsRefused(t *testing.T) {
	wr, c := newWire(t)
	wr.On("GET /branches", func(w http.ResponseWriter, _ call) {
		io.WriteString(w, `{"success":true,"data":"`)
		w.Write([]byte(strings.Repeat("x", 9<<20)))
		io.WriteString(w, `"}`)
	})
	if _, err := c.Check(context.Background()); !errors.Is(err, providers.ErrBadAnswer) {
		t.Fatalf("err = %v", err)
	}
}

func TestBranchZoneIsTheProfileBranchs(t *testing.T) {
	wr, c := newWire(t)
	wr.Fixture("GET /branches", "branches.json")
	if zone, err := c.BranchZone(context.Background()); err != nil || zone != "Europe/Moscow" {
		t.Fatalf("zone %q, %v", zone, err)
	}
	c.branchID = "7"
	if _, err := c.BranchZone(context.Background()); !errors.Is(err, providers.ErrNotFound) {
		t.Fatalf("an unknown branch: %v", err)
	}
}

func TestPaymentPageSellsPlansOnly(t *testing.T) {
	_, c := newWire(t)
	page, err := c.OpenPaymentPage(context.Background(), providers.OnlinePayment{ClientID: "10010", Purpose: providers.OnlineBuyPlan,
		Plan: models.Plan{ID: "4"}, Amount: models.Major(35100, "RUB")})
	if err != nil || !strings.HasSuffix(page.URL, "/api/payment_systems/pay/order_ticket?client_id=10010&summ=35100.00&ticket_id=4") {
		t.Fatalf("%+v %v", page, err)
	}
	_, err = c.OpenPaymentPage(context.Background(), providers.OnlinePayment{ClientID: "10010", Purpose: providers.OnlineDebt, Amount: models.Major(100, "RUB")})
	if !errors.Is(err, providers.ErrUnsupported) {
		t.Fatalf("a debt on LuckyFit's page: %v", err)
	}
}

func TestPlansWithANegativePriceAreNotForSale(t *testing.T) {
	wr, c := newWire(t)
	wr.On("GET /tickets", func(w http.ResponseWriter, _ call) {
		io.WriteString(w, ok(`[{"id":1,"ticket_id":null,"name":"Безлимит","price":"5000"},{"id":2,"ticket_id":null,"name":"Возврат","price":"-5000"}]`))
	})
	wr.Fixture("GET /ticket_classes", "ticket_classes.json")
	plans, err := c.Plans(context.Background())
	if err != nil || len(plans) != 1 || plans[0].Name != "Безлимит" {
		t.Fatalf("plans %+v, %v", plans, err)
	}
}

package yclients

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/wire"
)

func decodeJSON(s string, out any) error { return wire.Decode([]byte(s), out) }

// The tests of this file are the shapes a live account answers with where
// the document is silent or wrong (issue "YCLIENTS meets a real account"):
// the fixtures are invented, shaped like the full reference's samples and
// the live answers' fields.

// tengeWire is a wire server whose company counts in tenge.
func tengeWire(t *testing.T) (*wireServer, *Client) {
	ws, c := newWire(t)
	ws.Fixture("GET /api/v1/company/37532/", "company_kz.json")
	return ws, c
}

func kzt(major int64) models.Money { return models.Major(major, "KZT") }

func TestTheCompanysCurrencyIsTheDesks(t *testing.T) {
	ws, c := tengeWire(t)
	ws.Fixture("GET /api/v1/client/37532/5301", "client_altegio.json")
	if got := c.Info().Currency; got != "RUB" {
		t.Fatalf("before the company is read: %q", got) // RUB only while YCLIENTS has said nothing
	}
	cl, err := c.Client(bg, "5301")
	if err != nil {
		t.Fatal(err)
	}
	if c.Info().Currency != "KZT" || cl.Debt != kzt(211000) || cl.Debt.String() != "211 000 ₸" || cl.Deposit.Currency != "KZT" {
		t.Fatalf("currency %q, debt %v (%#v)", c.Info().Currency, cl.Debt, cl.Debt)
	}
	ws.Fixture("GET /api/v1/record/37532/9101", "record_9101.json")
	ws.Fixture("GET /api/v1/visits/5520001", "visit_three.json")
	ws.Fixture("GET /api/v1/record/37532/9102", "record_9102.json")
	ws.Fixture("GET /api/v1/record/37532/9103", "record_9103.json")
	one, err := c.Roster(bg, "R9101")
	if err != nil || one[0].AmountDue != kzt(28000) {
		t.Fatalf("roster %+v %v", one, err)
	}
	// A payment in roubles for a tenge visit is never taken.
	res, err := c.TakePayment(bg, models.PaymentRequest{Purpose: models.PayForBooking, BookingID: "9101",
		Payments: []models.Payment{{Method: models.PayCash, Amount: models.Major(28000, "RUB")}}})
	if !errors.Is(err, providers.ErrValidation) || res.Payments[0].Outcome != models.OutcomeFailed || !strings.Contains(providers.Explain(err, "en"), "KZT") {
		t.Fatalf("roubles for tenge: %+v %v", res, err)
	}
	// A company that says nothing counts in roubles (the document's).
	ws2, c2 := newWire(t)
	ws2.Fixture("GET /api/v1/client/37532/5301", "client_altegio.json")
	if cl, err := c2.Client(bg, "5301"); err != nil || cl.Debt != models.Major(211000, "RUB") || c2.Info().Currency != "RUB" {
		t.Fatalf("no currency said: %v %v", cl.Debt, err)
	}
}

func TestCurrencyOfTheCompanysData(t *testing.T) {
	for _, tc := range []struct {
		w    wireCompany
		want string
		said bool
	}{
		{wireCompany{CurrencyShortTitle: "₸"}, "KZT", true},
		{wireCompany{CurrencyShortTitle: "р"}, "RUB", true},
		{wireCompany{CurrencyShortTitle: "₽"}, "RUB", true},
		{wireCompany{CurrencyISO: "UZS", CurrencyShortTitle: "сум"}, "UZS", true},
		{wireCompany{Currency: []byte(`{"iso":"EUR","symbol":"€"}`)}, "EUR", true},
		{wireCompany{Currency: []byte(`"GEL"`)}, "GEL", true},
		// A sign that names no currency for certain is kept as written.
		{wireCompany{CurrencyShortTitle: "R"}, "R", true},
		{wireCompany{}, "", false},
	} {
		if got, said := tc.w.currencyOf(); got != tc.want || said != tc.said {
			t.Errorf("%+v: %q %v, want %q %v", tc.w, got, said, tc.want, tc.said)
		}
	}
}

func TestPaymentStatusIsTheRecordsOwnField(t *testing.T) {
	cases := []struct {
		json string
		paid bool
		due  int64
	}{
		// Live: payment_status is 1 exactly when paid_full is.
		{`{"paid_full":1,"payment_status":1,"services":[{"cost":800}],"finance_transactions":[{"amount":800}]}`, true, 0},
		{`{"paid_full":0,"payment_status":0,"services":[{"cost":800}],"finance_transactions":[]}`, false, 80000},
		// payment_status alone says paid.
		{`{"paid_full":0,"payment_status":1,"services":[{"cost":800}],"finance_transactions":[]}`, true, 0},
		// Partly paid is what the amounts say; a 2 is not "paid" here (it is
		// the visits search's enum, not the record's).
		{`{"paid_full":0,"payment_status":0,"services":[{"cost":800}],"finance_transactions":[{"amount":300}]}`, false, 50000},
		{`{"paid_full":0,"payment_status":2,"services":[{"cost":800}],"finance_transactions":[{"amount":300}]}`, false, 50000},
	}
	for _, tc := range cases {
		var w wireRecord
		if err := decodeJSON(tc.json, &w); err != nil {
			t.Fatal(err)
		}
		d, known := w.due("RUB")
		if w.paid() != tc.paid || d.Minor != tc.due || !known {
			t.Errorf("%s: paid %v, due %v (known %v)", tc.json, w.paid(), d, known)
		}
	}
}

func TestGoodsPaymentsDoNotPayTheServices(t *testing.T) {
	ws, c := tengeWire(t)
	ws.Fixture("GET /api/v1/record/37532/9201", "record_goods.json")
	ws.Fixture("GET /api/v1/visits/5520101", "visit_goods.json")
	// 2 500 for the service, 1 000 of it paid; the 500 paid for the towel
	// pays the towel: 1 500 is due, not 1 000.
	bs, err := c.Roster(bg, "R9201")
	if err != nil || bs[0].AmountDue != kzt(1500) || bs[0].Paid {
		t.Fatalf("due %+v %v", bs, err)
	}
	ws.Answer("PUT /api/v1/visits/5520101/9201", 200, "")
	if _, err := c.TakePayment(bg, models.PaymentRequest{Purpose: models.PayForBooking, BookingID: "9201",
		Payments: []models.Payment{{Method: models.PayCash, Amount: kzt(1000)}}}); !errors.Is(err, providers.ErrValidation) {
		t.Fatalf("the understated due was taken: %v", err)
	}
	if _, err := c.TakePayment(bg, models.PaymentRequest{Purpose: models.PayForBooking, BookingID: "9201",
		Payments: []models.Payment{{Method: models.PayCash, Amount: kzt(1500)}}}); err != nil {
		t.Fatal(err)
	}
	// Goods not yet paid: fast payment would take them too, so the desk
	// does not take it at all.
	ws2, c2 := tengeWire(t)
	ws2.On("GET /api/v1/record/37532/9201", func(w http.ResponseWriter, r request) {
		body := string(readFixture(t, "record_goods.json"))
		i := strings.Index(body, `"id": 561460502`)
		body = body[:strings.LastIndex(body[:i], ",")] + "]\n }\n}\n" // drop the goods payment
		io.WriteString(w, body)
	})
	ws2.Fixture("GET /api/v1/visits/5520101", "visit_goods.json")
	ws2.Answer("PUT /api/v1/visits/5520101/9201", 200, "")
	_, err = c2.TakePayment(bg, models.PaymentRequest{Purpose: models.PayForBooking, BookingID: "9201",
		Payments: []models.Payment{{Method: models.PayCash, Amount: kzt(1500)}}})
	if !errors.Is(err, providers.ErrValidation) || !strings.Contains(providers.Explain(err, "ru"), "товары") {
		t.Fatalf("unpaid goods: %v", err)
	}
	if n := len(ws2.Called("PUT /api/v1/visits/5520101/9201")); n != 0 {
		t.Fatalf("%d fast payments with goods unpaid", n)
	}
}

// visitOfThree is a tenge wire server with the visit of three records.
func visitOfThree(t *testing.T) (*wireServer, *Client) {
	ws, c := tengeWire(t)
	for _, r := range []string{"9101", "9102", "9103"} {
		ws.Fixture("GET /api/v1/record/37532/"+r, "record_"+r+".json")
	}
	ws.Fixture("GET /api/v1/visits/5520001", "visit_three.json")
	ws.Fixture("GET /api/v1/company/37532/sale/7701", "sale_7701.json")
	return ws, c
}

func payKZT(record string, method models.PaymentMethod, major int64, whole bool) models.PaymentRequest {
	return models.PaymentRequest{ClientID: "4240", Purpose: models.PayForBooking, BookingID: record, WholeVisit: whole,
		Payments: []models.Payment{{Method: method, Amount: kzt(major)}}}
}

func TestAVisitOfThreeRecordsIsShownWhole(t *testing.T) {
	_, c := visitOfThree(t)
	g, err := c.VisitOf(bg, "9101")
	if err != nil {
		t.Fatal(err)
	}
	due, known := g.Due()
	if g.ID != "5520001" || !g.Multi() || len(g.Records) != 3 || !known || due != kzt(74000) {
		t.Fatalf("visit %+v, due %v %v", g, due, known)
	}
	want := []struct {
		id, title string
		due       int64
	}{{"9101", "Персональная тренировка", 28000}, {"9102", "Массаж спины", 24000}, {"9103", "Сауна", 22000}}
	for i, w := range want {
		r := g.Records[i]
		if r.BookingID != w.id || r.Title != w.title || r.Due != kzt(w.due) || !r.DueKnown || r.Paid || r.Start.IsZero() {
			t.Errorf("record %d: %+v", i, r)
		}
	}
	if !g.PaysAlone(models.PayCash) || !g.PaysAlone(models.PayCard) {
		t.Fatalf("alone %v", g.Alone)
	}
}

func TestPayingOneRecordOfAVisitPaysThatRecordAlone(t *testing.T) {
	ws, c := visitOfThree(t)
	ws.On("POST /api/v1/company/37532/sale/7701/payment", func(w http.ResponseWriter, r request) {
		w.Write(readFixture(t, "sale_7701.json"))
	})
	ws.Answer("PUT /api/v1/visits/5520001/9101", 200, "")
	// The morning class only: 28 000 through the record's sale document.
	res, err := c.TakePayment(bg, payKZT("9101", models.PayCard, 28000, false))
	if err != nil || res.Charged() != kzt(28000) {
		t.Fatalf("%+v %v", res, err)
	}
	posts := ws.Called("POST /api/v1/company/37532/sale/7701/payment")
	if len(posts) != 1 {
		t.Fatalf("%d document payments", len(posts))
	}
	pay, _ := posts[0].Body["payment"].(map[string]any)
	method, _ := pay["method"].(map[string]any)
	if method["slug"] != "account" || method["account_id"] != float64(23182) || pay["amount"] != float64(28000) {
		t.Fatalf("body %v", posts[0].Body)
	}
	if n := len(ws.Called("PUT /api/v1/visits/5520001/9101")); n != 0 {
		t.Fatalf("%d fast payments: the whole visit (74 000) would have been paid", n)
	}
	// Anything but the record's own due is refused before it is sent.
	if _, err := c.TakePayment(bg, payKZT("9101", models.PayCash, 74000, false)); !errors.Is(err, providers.ErrValidation) {
		t.Fatalf("74 000 for one record: %v", err)
	}
	if n := len(ws.Called("POST /api/v1/company/37532/sale/7701/payment")); n != 1 {
		t.Fatalf("%d document payments", n)
	}
}

func TestAWholeVisitIsPaidOnlyWhenConfirmedAndExact(t *testing.T) {
	ws, c := visitOfThree(t)
	ws.Answer("PUT /api/v1/visits/5520001/9101", 200, "")
	// Confirmed, but 28 000 is not what the whole visit owes.
	_, err := c.TakePayment(bg, payKZT("9101", models.PayCash, 28000, true))
	if !errors.Is(err, providers.ErrValidation) || !strings.Contains(providers.Explain(err, "ru"), "74 000 ₸") {
		t.Fatalf("part of the visit: %v", err)
	}
	if n := len(ws.Called("PUT /api/v1/visits/5520001/9101")); n != 0 {
		t.Fatalf("%d fast payments", n)
	}
	res, err := c.TakePayment(bg, payKZT("9101", models.PayCash, 74000, true))
	if err != nil || res.Charged() != kzt(74000) {
		t.Fatalf("%+v %v", res, err)
	}
	puts := ws.Called("PUT /api/v1/visits/5520001/9101")
	if len(puts) != 1 || puts[0].Body["fast_payment"] != float64(1) {
		t.Fatalf("fast payments %+v", puts)
	}
}

func TestWithoutACashDeskOneRecordOfAVisitIsRefused(t *testing.T) {
	ws, c := visitOfThree(t)
	ws.On("GET /api/v1/company/37532/sale/7701", func(w http.ResponseWriter, r request) {
		io.WriteString(w, strings.ReplaceAll(string(readFixture(t, "sale_7701.json")), `"is_applicable": true`, `"is_applicable": false`))
	})
	ws.Answer("PUT /api/v1/visits/5520001/9101", 200, "")
	ws.Answer("POST /api/v1/company/37532/sale/7701/payment", 200, "")
	res, err := c.TakePayment(bg, payKZT("9101", models.PayCash, 28000, false))
	if !errors.Is(err, providers.ErrWholeVisit) || res.Payments[0].Outcome != models.OutcomeFailed {
		t.Fatalf("%+v %v", res, err)
	}
	for _, want := range []string{"Персональная тренировка 09:00 (к оплате 28 000 ₸)", "Массаж спины 14:00", "Сауна 16:00", "74 000 ₸"} {
		if !strings.Contains(providers.Explain(err, "ru"), want) {
			t.Errorf("the refusal does not say %q: %s", want, providers.Explain(err, "ru"))
		}
	}
	if !strings.Contains(providers.Explain(err, "en"), "3 bookings") {
		t.Errorf("in English: %s", providers.Explain(err, "en"))
	}
	if n := len(ws.Called("PUT /api/v1/visits/5520001/9101")) + len(ws.Called("POST /api/v1/company/37532/sale/7701/payment")); n != 0 {
		t.Fatalf("%d payments sent", n)
	}
	if g, err := c.VisitOf(bg, "9101"); err != nil || len(g.Alone) != 0 {
		t.Fatalf("alone without a desk: %+v %v", g, err)
	}
}

func TestMarkingOneRecordOfAVisitAsksFirst(t *testing.T) {
	ws, c := visitOfThree(t)
	ws.Answer("PUT /api/v1/visits/5520001/9101", 200, "")
	err := c.MarkAttendance(bg, "9101", models.Attended)
	if !errors.Is(err, providers.ErrWholeVisit) || !strings.Contains(providers.Explain(err, "en"), "Сауна 16:00") {
		t.Fatalf("mark one of three: %v", err)
	}
	if n := len(ws.Called("PUT /api/v1/visits/5520001/9101")); n != 0 {
		t.Fatalf("%d marks sent: the evening records would have been marked too", n)
	}
	if err := c.MarkVisit(bg, "9101", models.Attended); err != nil {
		t.Fatal(err)
	}
	puts := ws.Called("PUT /api/v1/visits/5520001/9101")
	if len(puts) != 1 || puts[0].Body["attendance"] != float64(1) {
		t.Fatalf("whole-visit mark %+v", puts)
	}
}

// When GET /visits is refused, the client's records of the day that carry
// the visit's id are the visit.
func TestAVisitRefusedIsReadFromTheDaysRecords(t *testing.T) {
	ws, c := tengeWire(t)
	ws.Fixture("GET /api/v1/record/37532/9101", "record_9101.json")
	ws.Answer("GET /api/v1/visits/5520001", 403, `{"success":false,"data":null,"meta":{"message":"Access denied."}}`)
	ws.On("GET /api/v1/records/37532", func(w http.ResponseWriter, r request) {
		if r.Query.Get("client_id") != "4240" || r.Query.Get("start_date") != "2026-11-22" {
			t.Errorf("query %v", r.Query)
		}
		var recs []json.RawMessage
		for _, id := range []string{"9101", "9102", "9103"} {
			var one struct {
				Data json.RawMessage `json:"data"`
			}
			if err := json.Unmarshal(readFixture(t, "record_"+id+".json"), &one); err != nil {
				t.Fatal(err)
			}
			recs = append(recs, one.Data)
		}
		body, _ := json.Marshal(map[string]any{"success": true, "data": recs, "meta": map[string]any{"page": 1, "total_count": 3}})
		w.Write(body)
	})
	g, err := c.VisitOf(bg, "9101")
	if due, _ := g.Due(); err != nil || len(g.Records) != 3 || due != kzt(74000) {
		t.Fatalf("%+v %v", g, err)
	}
}

func TestEventsAreAskedFromToday(t *testing.T) {
	ws, c := newWire(t)
	ws.On("GET /api/v1/activity/37532/search", func(w http.ResponseWriter, r request) {
		if r.Query.Get("from") < "2026-11-22" {
			w.WriteHeader(422)
			io.WriteString(w, `{"success":false,"data":null,"meta":{"message":"The search period cannot start in the past"}}`)
			return
		}
		w.Write(readFixture(t, "events.json"))
	})
	ws.Fixture("GET /api/v1/records/37532", "records_day.json")
	// Yesterday and today: the events are asked from today.
	from := models.NewDate(2026, 11, 21).In(moscow)
	_, to := models.DateOf(testNow, moscow).Bounds(moscow)
	ls, err := c.Lessons(bg, from, to)
	if err != nil {
		t.Fatal(err)
	}
	calls := ws.Called("GET /api/v1/activity/37532/search")
	if len(calls) != 1 || calls[0].Query.Get("from") != "2026-11-22" || byIDOf(ls)["A3480140"].Capacity != 12 {
		t.Fatalf("calls %v, lessons %+v", calls, ls)
	}
	// A day in the past is not asked at all: its records, grouped.
	past := models.NewDate(2026, 11, 20)
	pf, pt := past.Bounds(moscow)
	if _, err := c.Lessons(bg, pf, pt); err != nil {
		t.Fatal(err)
	}
	if n := len(ws.Called("GET /api/v1/activity/37532/search")); n != 1 {
		t.Fatalf("a past day asked the events search: %d calls", n)
	}
}

func TestAbonementStatusesAndUnlimitedLinks(t *testing.T) {
	ws, c := tengeWire(t)
	ws.Fixture("GET /api/v1/client/37532/5301", "client_altegio.json")
	ws.Fixture("GET /api/v1/loyalty/abonements", "abonements_states.json")
	ms, err := c.Memberships(bg, "5301")
	if err != nil || len(ms) != 4 {
		t.Fatalf("%+v %v", ms, err)
	}
	byID := map[string]models.Membership{}
	for _, m := range ms {
		byID[m.ID] = m
	}
	issued, active, expired, usedUp := byID["659101"], byID["659102"], byID["659103"], byID["659104"]
	if issued.State != models.StateNotStarted || issued.VisitsLeft != 8 {
		t.Errorf("issued %+v", issued)
	}
	if active.State != models.StateActive || !active.Unlimited || len(active.Services) != 2 ||
		!active.Services[0].Unlimited || active.Services[1] != (models.ServiceBalance{Title: "Массаж", Left: 3}) {
		t.Errorf("active with an unlimited link %+v", active)
	}
	if expired.State != models.StateExpired {
		t.Errorf("expired %+v", expired)
	}
	if usedUp.State != models.StateActive || usedUp.VisitsLeft != 0 || usedUp.Unlimited || usedUp.HasVisits() {
		t.Errorf("used up %+v", usedUp)
	}
	if active.AmountDue.Currency != "KZT" {
		t.Errorf("amount due in %q", active.AmountDue.Currency)
	}
	// The verdict of each alone.
	now := testNow
	for _, tc := range []struct {
		m     models.Membership
		level models.Level
		code  models.ReasonCode
	}{
		{issued, models.Green, models.ReasonActive},
		{active, models.Green, models.ReasonActive},
		{expired, models.Red, models.ReasonExpired},
		{usedUp, models.Red, models.ReasonNoVisits},
	} {
		v := models.Judge(models.VerdictInput{Memberships: []models.Membership{tc.m}, Now: now, Location: moscow})
		if v.Level != tc.level || v.Reasons[0].Code != tc.code {
			t.Errorf("%s: %+v", tc.m.Title, v)
		}
	}
	// The unlimited pass says so: not "0 visits left".
	v := models.Judge(models.VerdictInput{Memberships: []models.Membership{active}, Now: now, Location: moscow})
	if v.Reasons[0].Visits != -1 {
		t.Errorf("unlimited pass: %+v", v.Reasons[0])
	}
}

func TestClientsAsAltegioFilesThem(t *testing.T) {
	ws, c := tengeWire(t)
	ws.Fixture("GET /api/v1/client/37532/5301", "client_altegio.json")
	ws.Fixture("GET /api/v1/client/37532/5302", "client_noyear.json")
	ws.Fixture("GET /api/v1/client/37532/5303", "client_nobirth.json")
	dana, err := c.Client(bg, "5301")
	if err != nil {
		t.Fatal(err)
	}
	if dana.MiddleName != "Serikovna" || dana.FullName() != "Omarova Dana Serikovna" || dana.Birthday != models.NewDate(1990, 4, 1) ||
		strings.Join(dana.Tags, ",") != "VIP,Black list" {
		t.Fatalf("dana %+v", dana)
	}
	v := models.Judge(models.VerdictInput{Client: dana, Now: testNow, Location: moscow})
	if v.Level != models.Red || v.Reasons[0].Code != models.ReasonBlackList || v.Reasons[0].Text != "Black list" {
		t.Fatalf("a black-listed client: %+v", v)
	}
	kim, _ := c.Client(bg, "5302")
	if kim.Birthday != models.NoYear(time.March, 14) || kim.Birthday.Short() != "14.03" || len(kim.Tags) != 1 {
		t.Fatalf("no year: %+v (%q)", kim, kim.Birthday.Short())
	}
	if nobody, _ := c.Client(bg, "5303"); !nobody.Birthday.IsZero() {
		t.Fatalf("1900-01-01 is no birth date: %+v", nobody.Birthday)
	}
	// Binding a card sends the patronymic and the birthday back as
	// YCLIENTS keeps them: middle_name as patronymic, no year as 1900.
	ws.Answer("GET /api/v1/clients/37532", 200, `{"success":true,"data":[],"meta":{"page":1,"total_count":0}}`)
	ws.Answer("PUT /api/v1/client/37532/5301", 200, `{"success":true,"data":{"id":5301},"meta":[]}`)
	ws.Answer("PUT /api/v1/client/37532/5302", 200, `{"success":true,"data":{"id":5302},"meta":[]}`)
	if err := c.BindCard(bg, "5301", "0070001"); err != nil {
		t.Fatal(err)
	}
	if err := c.BindCard(bg, "5302", "0070002"); err != nil {
		t.Fatal(err)
	}
	b1 := ws.Called("PUT /api/v1/client/37532/5301")[0].Body
	b2 := ws.Called("PUT /api/v1/client/37532/5302")[0].Body
	if b1["patronymic"] != "Serikovna" || b1["birth_date"] != "1990-04-01" || b2["birth_date"] != "1900-03-14" {
		t.Fatalf("bodies %v / %v", b1, b2)
	}
}

func TestBirthDatesInEveryShape(t *testing.T) {
	almaty, _ := time.LoadLocation("Asia/Almaty")
	for _, tc := range []struct {
		raw  string
		want models.Date
	}{
		{`"1992-01-14"`, models.NewDate(1992, 1, 14)},
		{`"1900-03-14"`, models.NoYear(time.March, 14)},
		{`"1900-01-01"`, models.Date{}},
		{`0`, models.Date{}},
		{`"0"`, models.Date{}},
		{`""`, models.Date{}},
		{`"638928000"`, models.NewDate(1990, 4, 1)}, // midnight UTC: that day
		{`638928000`, models.NewDate(1990, 4, 1)},
		// 31 March 19:00 UTC is 1 April past midnight in Almaty: an instant
		// that is not midnight UTC is the company's day.
		{`"638910000"`, models.NewDate(1990, 4, 1)},
		{`"-631152000"`, models.NewDate(1950, 1, 1)},
		{`"19920114"`, models.NewDate(1992, 1, 14)},
	} {
		var w wireClient
		if err := decodeJSON(`{"birth_date":`+tc.raw+`}`, &w); err != nil {
			t.Fatal(err)
		}
		got, ok := w.birthday(almaty)
		if got != tc.want || ok != !tc.want.IsZero() {
			t.Errorf("%s: %v %v, want %v", tc.raw, got, ok, tc.want)
		}
	}
}

func TestPartialSearchGoesThroughTheQuickSearch(t *testing.T) {
	ws, c := newWire(t)
	ws.Fixture("POST /api/v1/company/37532/clients/search", "clients_search.json")
	ws.On("GET /api/v1/clients/37532", func(w http.ResponseWriter, r request) {
		if ids := r.Query["id[]"]; len(ids) != 2 || ids[0] != "16" || ids[1] != "1121412" {
			t.Errorf("the clients found are read by %v", r.Query)
		}
		w.Write(readFixture(t, "clients.json"))
	})
	got, err := c.SearchClients(bg, "8 916 999", 20)
	if err != nil || len(got) != 2 {
		t.Fatalf("%+v %v", got, err)
	}
	posts := ws.Called("POST /api/v1/company/37532/clients/search")
	filters, _ := posts[0].Body["filters"].([]any)
	f, _ := filters[0].(map[string]any)
	state, _ := f["state"].(map[string]any)
	if len(posts) != 1 || f["type"] != "quick_search" || state["value"] != "916999" || posts[0].Body["page_size"] != float64(20) {
		t.Fatalf("search body %v", posts[0].Body)
	}
	// The found clients are read in full: surname, card, balance.
	byID := map[string]models.Client{}
	for _, cl := range got {
		byID[cl.ID] = cl
	}
	if n := byID["1121412"]; n.LastName != "Сонов" || len(n.Cards) != 1 || n.Debt.Minor != 120000 {
		t.Fatalf("not read in full: %+v", n)
	}
	// A part of a name goes as typed.
	if _, err := c.SearchClients(bg, "  сон  ", 20); err != nil {
		t.Fatal(err)
	}
	posts = ws.Called("POST /api/v1/company/37532/clients/search")
	filters, _ = posts[1].Body["filters"].([]any)
	if v := filters[0].(map[string]any)["state"].(map[string]any)["value"]; v != "сон" {
		t.Fatalf("name value %v", v)
	}
}

func TestQuickValue(t *testing.T) {
	for q, want := range map[string]string{
		"8 916 999": "916999", "+7 916 99": "91699", "7916": "7916", "916999": "916999", "8 (916) 999-00-01": "79169990001",
		"Сонов": "Сонов", " сонов  василий ": "сонов василий", "12": "", "": "", "5663rt": "5663rt",
	} {
		if got := quickValue(q); got != want {
			t.Errorf("quickValue(%q) = %q, want %q", q, got, want)
		}
	}
}

func TestARefusedQuickSearchFallsBackForAWhile(t *testing.T) {
	ws, c := newWire(t)
	ws.Answer("POST /api/v1/company/37532/clients/search", 402, `{"success":false,"data":null,"meta":{"message":"Необходимо продлить лицензию"}}`)
	ws.On("GET /api/v1/clients/37532", func(w http.ResponseWriter, r request) {
		if r.Query.Get("phone") != "916999" {
			t.Errorf("fallback query %v", r.Query)
		}
		w.Write(readFixture(t, "clients.json"))
	})
	if got, err := c.SearchClients(bg, "8 916 999", 20); err != nil || len(got) != 2 {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := c.SearchClients(bg, "8 916 999", 20); err != nil {
		t.Fatal(err)
	}
	if n := len(ws.Called("POST /api/v1/company/37532/clients/search")); n != 1 {
		t.Fatalf("the refused search was asked %d times in a row", n)
	}
}

func TestRefusalsByStatusAndCodeThenWordsInEitherLanguage(t *testing.T) {
	cases := []struct {
		status int
		body   string
		want   error
	}{
		{422, `{"success":false,"data":null,"meta":{"message":"No free places"}}`, providers.ErrLessonFull},
		{422, `{"success":false,"data":null,"meta":{"message":"The event is fully booked."}}`, providers.ErrLessonFull},
		{422, `{"success":false,"data":null,"meta":{"message":"The client is already booked for this event"}}`, providers.ErrAlreadyBooked},
		{422, `{"success":false,"data":null,"meta":{"message":"Нет свободных мест"}}`, providers.ErrLessonFull},
		{422, `{"success":false,"data":null,"meta":{"message":"Клиент уже записан"}}`, providers.ErrAlreadyBooked},
		// The code before the words: 433, the time is taken.
		{422, `{"success":false,"data":null,"meta":{"message":"Выбранное время уже занято","code":433}}`, providers.ErrLessonFull},
		{422, `{"errors":{"code":433,"message":"The selected time is already taken"},"meta":{"message":"The selected time is already taken"}}`, providers.ErrLessonFull},
		// The status before the words.
		{409, `{"success":false,"data":null,"meta":{"message":"Conflict"}}`, providers.ErrAlreadyBooked},
		{404, `{"success":false,"data":null,"meta":{"message":"No places"}}`, providers.ErrNotFound},
		{200, `{"success":false,"data":null,"meta":{"message":"Record not found"}}`, providers.ErrNotFound},
		// "Access denied." is the user's rights, not the token.
		{403, `{"success":false,"data":null,"meta":{"message":"Access denied."}}`, providers.ErrValidation},
		{403, `{"success":false,"data":null,"meta":{"message":"Invalid user token"}}`, providers.ErrUnauthorized},
		{401, `{"success":false,"data":null,"meta":{"message":"Unauthorized"}}`, providers.ErrUnauthorized},
	}
	for _, tc := range cases {
		ws, c := dayWire(t)
		ws.Answer("POST /api/v1/records/37532", tc.status, tc.body)
		_, err := c.Book(bg, "A3480140", "1121412")
		if !errors.Is(err, tc.want) {
			t.Errorf("%d %s: %v, want %v", tc.status, tc.body, err, tc.want)
		}
		if msg := providers.ProviderMessage(err); !strings.Contains(tc.body, msg) || msg == "" {
			t.Errorf("%d %s: the CRM's words %q are not passed on", tc.status, tc.body, msg)
		}
	}
}

func TestAMarkAnswered429IsNotRetriedHere(t *testing.T) {
	ws, c := dayWire(t)
	if _, err := c.Roster(bg, "A3480140"); err != nil {
		t.Fatal(err)
	}
	visitOfOne(t, ws, "8263101", func() string { return record801(t, false) })
	ws.On("PUT /api/v1/visits/8263101/801", func(w http.ResponseWriter, r request) {
		w.Header().Set("Retry-After", "3")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"success":false,"data":null,"meta":{"message":"Too Many Requests"}}`)
	})
	err := c.MarkAttendance(bg, "801", models.Attended)
	var pe *providers.Error
	if !errors.Is(err, providers.ErrRateLimited) || !errors.As(err, &pe) || pe.RetryAfter != 3*time.Second {
		t.Fatalf("429 on a mark: %v", err)
	}
	// A write is never retried by the adapter: the desk keeps it (package
	// offline) and sends it after the Retry-After.
	if n := len(ws.Called("PUT /api/v1/visits/8263101/801")); n != 1 {
		t.Fatalf("the mark was sent %d times", n)
	}
}

func TestAPaymentAnswered429IsNotTakenYet(t *testing.T) {
	ws, c := newWire(t)
	var paid atomic.Bool
	payRecord(t, ws, &paid)
	ws.On("PUT /api/v1/visits/8263101/801", func(w http.ResponseWriter, r request) {
		w.Header().Set("Retry-After", "2")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	res, err := c.TakePayment(bg, pay(models.PayCash, 80000))
	if !errors.Is(err, providers.ErrRateLimited) || res.Payments[0].Outcome != models.OutcomeFailed || res.Charged().Minor != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	if ru := providers.Explain(err, "ru"); !strings.Contains(ru, "не принята") || !strings.Contains(ru, "2 с") {
		t.Fatalf("the refusal says %q", ru)
	}
	if en := providers.Explain(err, "en"); !strings.Contains(en, "not taken yet") {
		t.Fatalf("in English %q", en)
	}
	if n := len(ws.Called("PUT /api/v1/visits/8263101/801")); n != 1 {
		t.Fatalf("the payment was sent %d times", n)
	}
}

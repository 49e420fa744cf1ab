package yclients

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// dayWire is a wire server with today's events and records answered.
func dayWire(t *testing.T) (*wireServer, *Client) {
	ws, c := newWire(t)
	ws.Fixture("GET /api/v1/activity/37532/search", "events.json")
	ws.Fixture("GET /api/v1/records/37532", "records_day.json")
	ws.Fixture("GET /api/v1/client/37532/1121412", "client_created.json")
	lessonsToday(t, c)
	return ws, c
}

func TestBookSendsActivityIDAndTheClient(t *testing.T) {
	ws, c := dayWire(t)
	ws.On("POST /api/v1/records/37532", func(w http.ResponseWriter, r request) {
		w.WriteHeader(http.StatusCreated)
		w.Write(readFixture(t, "record_created.json"))
	})
	b, err := c.Book(bg, "A3480140", "1121412")
	if err != nil {
		t.Fatal(err)
	}
	posts := ws.Called("POST /api/v1/records/37532")
	if len(posts) != 1 {
		t.Fatalf("%d POSTs", len(posts))
	}
	body := posts[0].Body
	cl, _ := body["client"].(map[string]any)
	if body["activity_id"] != float64(3480140) || cl["phone"] != "79211234567" || cl["name"] != "Василий" || cl["surname"] != "Сонов" {
		t.Fatalf("body %v", body)
	}
	if b.ID != "901" || b.ClientID != "1121412" || b.Lesson.ID != "A3480140" || b.Lesson.Booked != 3 || b.AmountDue.Minor != 80000 {
		t.Fatalf("booking %+v", b)
	}
}

func TestBookRefusesBeforeSending(t *testing.T) {
	ws, c := dayWire(t)
	ws.Answer("POST /api/v1/records/37532", 500, "")
	// Already on the roster (record 801 is client 16's).
	if _, err := c.Book(bg, "A3480140", "16"); !errors.Is(err, providers.ErrAlreadyBooked) {
		t.Fatalf("already booked: %v", err)
	}
	// The boxing is full: 2 of 2.
	if _, err := c.Book(bg, "A3480142", "1121412"); !errors.Is(err, providers.ErrLessonFull) {
		t.Fatalf("full: %v", err)
	}
	// Nobody joins an individual appointment.
	if _, err := c.Book(bg, "R804", "1121412"); !errors.Is(err, providers.ErrValidation) {
		t.Fatalf("individual: %v", err)
	}
	if n := len(ws.Called("POST /api/v1/records/37532")); n != 0 {
		t.Fatalf("%d POSTs for refused bookings", n)
	}
	// YCLIENTS' own refusal, in its words.
	ws.Answer("POST /api/v1/records/37532", 422, `{"success":false,"data":null,"meta":{"message":"Нет свободных мест на это время"}}`)
	_, err := c.Book(bg, "A3480140", "1121412")
	if !errors.Is(err, providers.ErrLessonFull) || !strings.Contains(providers.ProviderMessage(err), "Нет свободных мест") {
		t.Fatalf("422: %v", err)
	}
	// A write the server failed on is never repeated: its outcome is unknown.
	ws.Answer("POST /api/v1/records/37532", 502, "<html><body>502 Bad Gateway</body></html>")
	before := len(ws.Called("POST /api/v1/records/37532"))
	if _, err := c.Book(bg, "A3480140", "1121412"); !errors.Is(err, providers.ErrOutcomeUnknown) {
		t.Fatalf("502 on a booking: %v", err)
	}
	if n := len(ws.Called("POST /api/v1/records/37532")) - before; n != 1 {
		t.Fatalf("booking sent %d times", n)
	}
}

func TestCancelDeletesTheRecord(t *testing.T) {
	ws, c := dayWire(t)
	ws.Answer("DELETE /api/v1/record/37532/801", http.StatusNoContent, "")
	if err := c.CancelBooking(bg, "801", false); err != nil {
		t.Fatal(err)
	}
	if len(ws.Called("DELETE /api/v1/record/37532/801")) != 1 {
		t.Fatal("no DELETE")
	}
	var ue *providers.UnsupportedError
	if err := c.CancelBooking(bg, "802", true); !errors.As(err, &ue) || ue.Capability != providers.CapLateCancel {
		t.Fatalf("late cancel: %v", err)
	}
}

// visitOfOne answers GET /visits/{visitID} with one record: the record's
// JSON (the data of a GET record answer) without its payments, as the
// reference shows the visit's records.
func visitOfOne(t *testing.T, ws *wireServer, visitID string, record func() string) {
	ws.On("GET /api/v1/visits/"+visitID, func(w http.ResponseWriter, r request) {
		var rec struct {
			Data map[string]any `json:"data"`
		}
		if err := json.Unmarshal([]byte(record()), &rec); err != nil {
			t.Fatal(err)
		}
		delete(rec.Data, "finance_transactions")
		body, _ := json.Marshal(map[string]any{"success": true, "meta": []any{},
			"data": map[string]any{"attendance": rec.Data["attendance"], "comment": 0, "records": []any{rec.Data}}})
		w.Write(body)
	})
}

func TestMarkAttendanceGoesThroughTheVisit(t *testing.T) {
	ws, c := dayWire(t)
	ws.Answer("PUT /api/v1/visits/8263101/801", 200, "")
	// The visit holds 801 alone, as the roster showed it (its comment).
	visitOfOne(t, ws, "8263101", func() string {
		return strings.Replace(record801(t, false), `"comment": "не записывать"`, `"comment": "первое занятие"`, 1)
	})
	if _, err := c.Roster(bg, "A3480140"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		mark models.Attendance
		want float64
	}{{models.Attended, 1}, {models.NoShow, -1}, {models.Expected, 0}} {
		if err := c.MarkAttendance(bg, "801", tc.mark); err != nil {
			t.Fatal(err)
		}
		puts := ws.Called("PUT /api/v1/visits/8263101/801")
		b := puts[len(puts)-1].Body
		if b["attendance"] != tc.want || b["comment"] != "первое занятие" {
			t.Fatalf("mark %v: body %v", tc.mark, b)
		}
	}
	// The visit's id came from the roster read: no record was read again,
	// the visit was read before each mark.
	if n := len(ws.Called("GET /api/v1/record/37532/801")); n != 0 {
		t.Fatalf("%d record reads", n)
	}
	if n := len(ws.Called("GET /api/v1/visits/8263101")); n != 3 {
		t.Fatalf("the visit was read %d times for 3 marks", n)
	}
	// A record the desk has not seen is read for its visit first.
	ws.Fixture("GET /api/v1/record/37532/2", "record.json")
	ws.Fixture("GET /api/v1/visits/8263004", "visit_one.json")
	ws.Answer("PUT /api/v1/visits/8263004/2", 200, `{"success":true,"data":null,"meta":[]}`)
	if err := c.MarkAttendance(bg, "2", models.Attended); err != nil {
		t.Fatal(err)
	}
	if len(ws.Called("GET /api/v1/record/37532/2")) != 1 || len(ws.Called("PUT /api/v1/visits/8263004/2")) != 1 {
		t.Fatal("unseen record not read before marking")
	}
	ws.Answer("PUT /api/v1/visits/8263101/801", 403, `{"success":false,"data":null,"meta":{"message":"Нет прав на изменение записи"}}`)
	err := c.MarkAttendance(bg, "801", models.Attended)
	if !errors.Is(err, providers.ErrValidation) || providers.ProviderMessage(err) != "Нет прав на изменение записи" {
		t.Fatalf("403: %v", err)
	}
}

// record801 is record.json as record 801 of visit 8263101, 800 due, or paid.
func record801(t *testing.T, paid bool) string {
	body := string(readFixture(t, "record.json"))
	body = strings.Replace(body, `"id": 2,`, `"id": 801,`, 1)
	body = strings.Replace(body, `"visit_id": "8263004"`, `"visit_id": "8263101"`, 1)
	body = strings.Replace(body, `"cost": 1200`, `"cost": 800`, 1)
	body = strings.Replace(body, `"amount": 500`, `"amount": 0`, 1)
	if paid {
		body = strings.Replace(body, `"paid_full": 0`, `"paid_full": 1`, 1)
		body = strings.Replace(body, `"payment_status": 0`, `"payment_status": 1`, 1)
	}
	return body
}

// payRecord answers GET record 801 (and its visit of one) as unpaid (800
// due) until paid is set.
func payRecord(t *testing.T, ws *wireServer, paid *atomic.Bool) {
	ws.On("GET /api/v1/record/37532/801", func(w http.ResponseWriter, r request) {
		io.WriteString(w, record801(t, paid.Load()))
	})
	visitOfOne(t, ws, "8263101", func() string { return record801(t, paid.Load()) })
}

func pay(method models.PaymentMethod, minor int64) models.PaymentRequest {
	return models.PaymentRequest{ClientID: "16", Purpose: models.PayForBooking, BookingID: "801",
		Payments: []models.Payment{{Method: method, Amount: models.Money{Minor: minor, Currency: "RUB"}}}}
}

func TestPayVisitWithFastPayment(t *testing.T) {
	for _, tc := range []struct {
		method models.PaymentMethod
		code   float64
	}{{models.PayCash, 1}, {models.PayCard, 2}} {
		ws, c := newWire(t)
		var paid atomic.Bool
		payRecord(t, ws, &paid)
		ws.On("PUT /api/v1/visits/8263101/801", func(w http.ResponseWriter, r request) {
			paid.Store(true)
			w.WriteHeader(200)
		})
		res, err := c.TakePayment(bg, pay(tc.method, 80000))
		if err != nil {
			t.Fatal(err)
		}
		puts := ws.Called("PUT /api/v1/visits/8263101/801")
		if len(puts) != 1 {
			t.Fatalf("%d PUTs", len(puts))
		}
		b := puts[0].Body
		if b["fast_payment"] != tc.code || b["attendance"] != float64(0) || b["comment"] != "не записывать" {
			t.Fatalf("body %v", b)
		}
		if len(res.Payments) != 1 || res.Payments[0].Outcome != models.OutcomeDone || res.Charged().Minor != 80000 {
			t.Fatalf("result %+v", res)
		}
		// Paid now: a second payment is refused before anything is sent.
		if _, err := c.TakePayment(bg, pay(tc.method, 80000)); !errors.Is(err, providers.ErrValidation) {
			t.Fatalf("paid twice: %v", err)
		}
		if len(ws.Called("PUT /api/v1/visits/8263101/801")) != 1 {
			t.Fatal("a paid visit was paid again")
		}
	}
}

func TestPayVisitRefusesWhatFastPaymentCannotDo(t *testing.T) {
	ws, c := newWire(t)
	var paid atomic.Bool
	payRecord(t, ws, &paid)
	ws.Answer("PUT /api/v1/visits/8263101/801", 200, "")
	split := pay(models.PayCash, 30000)
	split.Payments = append(split.Payments, models.Payment{Method: models.PayCard, Amount: models.Money{Minor: 50000, Currency: "RUB"}})
	cases := map[string]models.PaymentRequest{
		"a split":        split,
		"part of it":     pay(models.PayCash, 50000),
		"from a deposit": pay(models.PayDeposit, 80000),
		"a membership":   {ClientID: "16", Purpose: models.PayForMembership, MembershipID: "1", Payments: pay(models.PayCash, 100).Payments},
	}
	for name, r := range cases {
		res, err := c.TakePayment(bg, r)
		if err == nil {
			t.Fatalf("%s was taken", name)
		}
		for _, o := range res.Payments {
			if o.Outcome != models.OutcomeFailed {
				t.Fatalf("%s: outcome %v", name, o.Outcome)
			}
		}
	}
	if n := len(ws.Called("PUT /api/v1/visits/8263101/801")); n != 0 {
		t.Fatalf("%d payments sent", n)
	}
}

// dropOnce closes the connection of the first PUT without answering.
func dropOnce(ws *wireServer, route string, then func()) {
	ws.On(route, func(w http.ResponseWriter, r request) {
		if then != nil {
			then()
		}
		hj, ok := w.(http.Hijacker)
		if !ok {
			ws.t.Fatal("no hijacker")
		}
		conn, _, _ := hj.Hijack()
		conn.Close()
	})
}

func TestPayVisitDroppedIsUnknownAndSentOnce(t *testing.T) {
	ws, c := newWire(t)
	var paid atomic.Bool
	payRecord(t, ws, &paid)
	dropOnce(ws, "PUT /api/v1/visits/8263101/801", nil)
	res, err := c.TakePayment(bg, pay(models.PayCash, 80000))
	if !errors.Is(err, providers.ErrOutcomeUnknown) {
		t.Fatalf("dropped payment: %v", err)
	}
	if len(res.Payments) != 1 || res.Payments[0].Outcome != models.OutcomeUnknown {
		t.Fatalf("result %+v", res)
	}
	if n := len(ws.Called("PUT /api/v1/visits/8263101/801")); n != 1 {
		t.Fatalf("the payment was sent %d times", n)
	}
	// The record was read again after the drop: still unpaid, so unknown.
	if n := len(ws.Called("GET /api/v1/record/37532/801")); n != 2 {
		t.Fatalf("%d record reads, want one before and one after", n)
	}
}

func TestPayVisitDroppedButPaidIsDone(t *testing.T) {
	ws, c := newWire(t)
	var paid atomic.Bool
	payRecord(t, ws, &paid)
	dropOnce(ws, "PUT /api/v1/visits/8263101/801", func() { paid.Store(true) })
	res, err := c.TakePayment(bg, pay(models.PayCard, 80000))
	if err != nil || res.Payments[0].Outcome != models.OutcomeDone || !strings.Contains(res.Payments[0].Detail, "оплачен") {
		t.Fatalf("%+v %v", res, err)
	}
	if n := len(ws.Called("PUT /api/v1/visits/8263101/801")); n != 1 {
		t.Fatalf("the payment was sent %d times", n)
	}
}

func TestPayVisitRefusedByYCLIENTS(t *testing.T) {
	ws, c := newWire(t)
	var paid atomic.Bool
	payRecord(t, ws, &paid)
	ws.Answer("PUT /api/v1/visits/8263101/801", 422, `{"success":false,"data":null,"meta":{"message":"Касса закрыта"}}`)
	res, err := c.TakePayment(bg, pay(models.PayCash, 80000))
	if !errors.Is(err, providers.ErrValidation) || res.Payments[0].Outcome != models.OutcomeFailed || res.Payments[0].Detail != "Касса закрыта" {
		t.Fatalf("%+v %v", res, err)
	}
	ws.Answer("PUT /api/v1/visits/8263101/801", 500, `{"success":false,"data":null,"meta":{"message":"Internal error"}}`)
	res, err = c.TakePayment(bg, pay(models.PayCash, 80000))
	if !errors.Is(err, providers.ErrOutcomeUnknown) || res.Payments[0].Outcome != models.OutcomeUnknown {
		t.Fatalf("500 on a payment: %+v %v", res, err)
	}
	if n := len(ws.Called("PUT /api/v1/visits/8263101/801")); n != 2 {
		t.Fatalf("%d PUTs, want one per attempt the receptionist made", n)
	}
}

func TestReconcileALostPaymentAndBooking(t *testing.T) {
	ws, c := dayWire(t)
	var paid atomic.Bool
	payRecord(t, ws, &paid)
	lost := models.LostWrite{Kind: models.WritePay, ClientID: "16", SubjectID: "801"}
	f, err := c.Reconcile(bg, lost)
	if err != nil || f.Found || !strings.Contains(f.Detail.RU, "не оплачен") || !strings.Contains(f.Detail.EN, "not paid") {
		t.Fatalf("unpaid: %+v %v", f, err)
	}
	paid.Store(true)
	if f, err := c.Reconcile(bg, lost); err != nil || !f.Found {
		t.Fatalf("paid: %+v %v", f, err)
	}
	if f, err := c.Reconcile(bg, models.LostWrite{Kind: models.WriteBook, ClientID: "16", SubjectID: "A3480140"}); err != nil || !f.Found || f.Detail != (models.Words{EN: "booking № 801", RU: "запись № 801"}) {
		t.Fatalf("booked: %+v %v", f, err)
	}
	if f, err := c.Reconcile(bg, models.LostWrite{Kind: models.WriteBook, ClientID: "1121412", SubjectID: "A3480140"}); err != nil || f.Found {
		t.Fatalf("not booked: %+v %v", f, err)
	}
	if _, err := c.Reconcile(bg, models.LostWrite{Kind: models.WriteSell}); err == nil {
		t.Fatal("a sale was reconciled")
	}
}

package yclients

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/httpx/httpxtest"
)

var moscow, _ = time.LoadLocation("Europe/Moscow")

// testNow is a Sunday morning at the club.
var testNow = time.Date(2026, 11, 22, 10, 5, 0, 0, moscow)

const (
	testPartner = "partner-contract-token"
	testUser    = "user-contract-token"
	testCompany = "37532"
)

// secrets is a keyring for the tests: it records what is stored.
type secrets struct {
	mu   sync.Mutex
	vals map[string]string
	set  map[string]string
}

func newSecrets(vals map[string]string) *secrets {
	return &secrets{vals: vals, set: map[string]string{}}
}

func (s *secrets) Secret(name string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.vals[name]; ok {
		return v, nil
	}
	return "", errors.New("not found")
}

func (s *secrets) SetSecret(name, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.set[name] = value
	return nil
}

// request is one request the wire server received.
type request struct {
	Method string
	Path   string
	Query  url.Values
	Body   map[string]any
	Auth   string
	At     time.Time
}

// wireServer is a scripted YCLIENTS: strict about the documented headers
// (Accept, Content-Type, the comma form of Authorization), answering routes
// with the document-shaped fixtures.
type wireServer struct {
	*httpxtest.Script[request]
	t *testing.T
}

func newWire(t *testing.T, opts ...Option) (*wireServer, *Client) {
	t.Helper()
	ws := &wireServer{Script: httpxtest.New[request](t), t: t}
	srv := httptest.NewServer(http.HandlerFunc(ws.serve))
	t.Cleanup(srv.Close)
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("the test server is not on 127.0.0.1: %s", srv.URL)
	}
	opts = append([]Option{WithRetryWait(time.Millisecond), WithTimeout(2 * time.Second), WithLimits()}, opts...)
	c, err := New(providers.Settings{BaseURL: srv.URL, Branch: testCompany,
		Secrets: newSecrets(map[string]string{"partner_token": testPartner, "user_token": testUser}),
		Now:     func() time.Time { return testNow }}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	// Every test starts with the company and the permissions answered.
	ws.Fixture("GET /api/v1/company/37532/", "company.json")
	ws.Fixture("GET /api/v1/user/permissions/37532", "permissions.json")
	return ws, c
}

func (ws *wireServer) serve(w http.ResponseWriter, r *http.Request) {
	rq := request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Auth: r.Header.Get("Authorization"), At: time.Now()}
	if got := r.Header.Get("Accept"); got != "application/vnd.yclients.v2+json" {
		ws.t.Errorf("%s %s: Accept %q", r.Method, r.URL.Path, got)
	}
	if got := r.Header.Get("Content-Type"); got != "application/json" && !strings.HasPrefix(got, "application/json;") {
		ws.t.Errorf("%s %s: Content-Type %q", r.Method, r.URL.Path, got)
	}
	want := "Bearer " + testPartner + ", User " + testUser
	if r.URL.Path == "/api/v1/auth" {
		want = "Bearer " + testPartner
	}
	if rq.Auth != want {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"success":false,"data":null,"meta":{"message":"Необходима авторизация"}}`)
		ws.t.Logf("%s %s: Authorization %q", r.Method, r.URL.Path, rq.Auth)
		ws.Receive(r.Method+" "+r.URL.Path, rq)
		return
	}
	if r.Method != http.MethodGet {
		data, _ := io.ReadAll(r.Body)
		if len(data) > 0 {
			if err := json.Unmarshal(data, &rq.Body); err != nil {
				ws.t.Errorf("%s %s: body is not a JSON object: %s", r.Method, r.URL.Path, data)
			}
		}
	}
	route := ws.Receive(r.Method+" "+r.URL.Path, rq)
	if route == nil {
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"success":false,"data":null,"meta":{"message":"Метод не найден"}}`)
		return
	}
	route(w, rq)
}

// readFixture is testdata/<file>.
var readFixture = httpxtest.Fixture

var bg = context.Background()

func TestEveryCallCarriesTheDocumentedHeaders(t *testing.T) {
	ws, c := newWire(t)
	ws.Fixture("GET /api/v1/clients/37532", "clients.json")
	if _, err := c.SearchClients(bg, "Сонов", 20); err != nil {
		t.Fatal(err)
	}
	for _, r := range ws.Called("GET /api/v1/clients/37532") {
		if r.Auth != "Bearer "+testPartner+", User "+testUser {
			t.Fatalf("Authorization %q", r.Auth)
		}
	}
	// A wrong user token is refused by the strict server, and the desk says
	// so in YCLIENTS' words.
	c2, _ := New(providers.Settings{BaseURL: ws.urlOf(c), Branch: testCompany,
		Secrets: newSecrets(map[string]string{"partner_token": testPartner, "user_token": "stale"})}, WithLimits())
	_, err := c2.Client(bg, "16")
	if !errors.Is(err, providers.ErrUnauthorized) || !strings.Contains(providers.ProviderMessage(err), "Необходима авторизация") {
		t.Fatalf("stale user token: %v", err)
	}
}

// urlOf is the base URL a client was built with.
func (ws *wireServer) urlOf(c *Client) string { return c.http.Read.BaseURL }

func TestSearchChoosesTheDocumentedFilters(t *testing.T) {
	cases := []struct {
		query string
		want  []url.Values
	}{
		{"Сонов Василий", []url.Values{{"fullname": {"Сонов Василий"}}}},
		{"  сонов  ", []url.Values{{"fullname": {"сонов"}}}},
		{"test@", []url.Values{{"email": {"test@"}}}},
		{"+7 (911) 234-56-79", []url.Values{{"phone": {"79112345679"}}}},
		{"8 911 234 56 79", []url.Values{{"phone": {"79112345679"}}}},
		{"7916", []url.Values{{"phone": {"7916"}}}},
		{"555888666", []url.Values{{"phone": {"555888666"}}, {"card": {"555888666"}}}},
		{"5663rt", []url.Values{{"card": {"5663rt"}}}},
		{"12", nil},
		{"", nil},
	}
	for _, tc := range cases {
		got := searchFilters(tc.query)
		if len(got) != len(tc.want) {
			t.Errorf("%q: filters %v, want %v", tc.query, got, tc.want)
			continue
		}
		for i := range got {
			for k, v := range tc.want[i] {
				if got[i].Get(k) != v[0] || len(got[i]) != 1 {
					t.Errorf("%q: filters %v, want %v", tc.query, got, tc.want)
				}
			}
		}
	}
}

func TestSearchDecodesTheDocumentsClients(t *testing.T) {
	ws, c := newWire(t)
	ws.Fixture("GET /api/v1/clients/37532", "clients.json")
	got, err := c.SearchClients(bg, "Сонов", 20)
	if err != nil {
		t.Fatal(err)
	}
	calls := ws.Called("GET /api/v1/clients/37532")
	if len(calls) != 1 || calls[0].Query.Get("fullname") != "Сонов" || calls[0].Query.Get("page") != "1" || calls[0].Query.Get("count") != "20" {
		t.Fatalf("query %v", calls)
	}
	if len(got) != 2 {
		t.Fatalf("%d clients", len(got))
	}
	byID := map[string]models.Client{}
	for _, cl := range got {
		byID[cl.ID] = cl
	}
	v := byID["16"]
	if v.Phone != "79112345679" || !v.Birthday.IsZero() || len(v.Cards) != 0 || v.FullName() != "Сонов Василий Васильевич" {
		t.Fatalf("client 16: %+v", v)
	}
	n := byID["1121412"]
	if n.Cards[0] != "555888666" || n.Discount != 15 || n.Note != "кидает понты" || n.Debt.Minor != 120000 ||
		!n.Deposit.IsZero() || n.Birthday != models.NewDate(2010, 1, 1) || n.Email != "123456789@gmail.com" {
		t.Fatalf("client 1121412: %+v", n)
	}
}

func TestSearchByDigitsAsksPhoneAndCard(t *testing.T) {
	ws, c := newWire(t) // an account without the clients search: it answers 404
	ws.On("GET /api/v1/clients/37532", func(w http.ResponseWriter, r request) {
		if r.Query.Get("card") != "" {
			w.Write(readFixture(t, "clients.json"))
			return
		}
		io.WriteString(w, `{"success":true,"data":[],"meta":{"page":1,"total_count":0}}`)
	})
	got, err := c.SearchClients(bg, "555888666", 20)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ws.Called("GET /api/v1/clients/37532")); n != 2 {
		t.Fatalf("%d list calls, want phone and card", n)
	}
	if len(got) != 2 {
		t.Fatalf("%+v", got)
	}
}

func TestCardLookupComparesTheWholeCard(t *testing.T) {
	ws, c := newWire(t)
	ws.Fixture("GET /api/v1/clients/37532", "clients.json")
	cl, err := c.ClientByCard(bg, "555888666")
	if err != nil || cl.ID != "1121412" {
		t.Fatalf("%+v %v", cl, err)
	}
	if q := ws.Called("GET /api/v1/clients/37532")[0].Query; q.Get("card") != "555888666" {
		t.Fatalf("query %v", q)
	}
	// The card filter matches a part: a client whose card only contains the
	// tag is not its holder.
	if _, err := c.ClientByCard(bg, "5558"); !errors.Is(err, providers.ErrNotFound) {
		t.Fatalf("part of a card: %v", err)
	}
}

func TestClientReadsTheDocumentSample(t *testing.T) {
	ws, c := newWire(t)
	ws.Fixture("GET /api/v1/client/37532/16", "client.json")
	cl, err := c.Client(bg, "16")
	if err != nil {
		t.Fatal(err)
	}
	if cl.ID != "16" || cl.FirstName != "Василий" || cl.LastName != "Сонов" || cl.Phone != "79112345679" {
		t.Fatalf("%+v", cl)
	}
	ws.Answer("GET /api/v1/client/37532/99", 404, `{"success":false,"data":null,"meta":{"message":"Клиент не найден"}}`)
	if _, err := c.Client(bg, "99"); !errors.Is(err, providers.ErrNotFound) || providers.ProviderMessage(err) != "Клиент не найден" {
		t.Fatalf("404: %v", err)
	}
}

func TestBindCardSendsNameAndPhoneNeverMoney(t *testing.T) {
	ws, c := newWire(t)
	ws.On("GET /api/v1/clients/37532", func(w http.ResponseWriter, r request) {
		io.WriteString(w, `{"success":true,"data":[],"meta":{"page":1,"total_count":0}}`)
	})
	ws.Fixture("GET /api/v1/client/37532/1121412", "client_created.json")
	ws.On("PUT /api/v1/client/37532/1121412", func(w http.ResponseWriter, r request) {
		w.Write(readFixture(t, "client_created.json"))
	})
	if err := c.BindCard(bg, "1121412", "0040856634"); err != nil {
		t.Fatal(err)
	}
	puts := ws.Called("PUT /api/v1/client/37532/1121412")
	if len(puts) != 1 {
		t.Fatalf("%d PUTs", len(puts))
	}
	b := puts[0].Body
	if b["card"] != "0040856634" || b["name"] != "Василий" || b["phone"] != "79211234567" || b["surname"] != "Сонов" {
		t.Fatalf("body %v", b)
	}
	for _, k := range []string{"balance", "spent"} {
		if _, ok := b[k]; ok {
			t.Fatalf("the card binding writes %s: %v", k, b)
		}
	}
	// A card another client holds is refused before anything is written.
	ws.Fixture("GET /api/v1/clients/37532", "clients.json")
	if err := c.BindCard(bg, "16", "555888666"); !errors.Is(err, providers.ErrCardInUse) {
		t.Fatalf("card in use: %v", err)
	}
	if len(ws.Called("PUT /api/v1/client/37532/16")) != 0 {
		t.Fatal("a held card was written")
	}
}

func TestCreateClient(t *testing.T) {
	ws, c := newWire(t)
	ws.On("GET /api/v1/clients/37532", func(w http.ResponseWriter, r request) {
		io.WriteString(w, `{"success":true,"data":[],"meta":[]}`)
	})
	ws.On("POST /api/v1/clients/37532", func(w http.ResponseWriter, r request) {
		w.WriteHeader(http.StatusCreated)
		w.Write(readFixture(t, "client_created.json"))
	})
	cl, err := c.CreateClient(bg, models.NewClient{LastName: "Сонов", FirstName: "Василий", MiddleName: "Васильевич",
		Phone: "8 (921) 123-45-67", Email: "123456789@gmail.com", Birthday: models.NewDate(2010, 1, 1), Card: "555888666"})
	if err != nil {
		t.Fatal(err)
	}
	b := ws.Called("POST /api/v1/clients/37532")[0].Body
	if b["name"] != "Василий" || b["surname"] != "Сонов" || b["phone"] != "79211234567" || b["birth_date"] != "2010-01-01" || b["card"] != "555888666" {
		t.Fatalf("body %v", b)
	}
	if cl.ID != "1121412" || cl.Cards[0] != "555888666" {
		t.Fatalf("%+v", cl)
	}
	ws.Answer("POST /api/v1/clients/37532", 422, `{"success":false,"data":null,"meta":{"message":"Клиент с таким телефоном уже существует"}}`)
	_, err = c.CreateClient(bg, models.NewClient{FirstName: "Василий", Phone: "79211234567"})
	if !errors.Is(err, providers.ErrValidation) || !strings.Contains(providers.ProviderMessage(err), "уже существует") {
		t.Fatalf("422: %v", err)
	}
}

func TestMembershipsFromAbonements(t *testing.T) {
	ws, c := newWire(t)
	ws.Fixture("GET /api/v1/client/37532/16", "client.json")
	ws.Fixture("GET /api/v1/loyalty/abonements", "abonements.json")
	ms, err := c.Memberships(bg, "16")
	if err != nil {
		t.Fatal(err)
	}
	q := ws.Called("GET /api/v1/loyalty/abonements")[0].Query
	if q.Get("company_id") != testCompany || q.Get("phone") != "79112345679" {
		t.Fatalf("query %v", q)
	}
	if len(ms) != 2 {
		t.Fatalf("%+v", ms)
	}
	var surf, pil models.Membership
	for _, m := range ms {
		switch m.ID {
		case "659878":
			surf = m
		case "659879":
			pil = m
		}
	}
	if surf.Title != "89999" || surf.VisitsLeft != 10 || surf.VisitsTotal != 10 || surf.State != models.StateNotStarted || !surf.End.IsZero() {
		t.Fatalf("surfing: %+v", surf)
	}
	if pil.Title != "Пилатес 8 занятий" || pil.State != models.StateFrozen || pil.FrozenUntil != models.NewDate(2026, 12, 1) ||
		pil.VisitsLeft != 3 || pil.VisitsTotal != 8 || pil.End != models.NewDate(2026, 12, 15) || pil.Start != models.NewDate(2026, 10, 16) {
		t.Fatalf("pilates: %+v", pil)
	}
	// The phone the search saw is used: no second client read.
	if n := len(ws.Called("GET /api/v1/client/37532/16")); n != 1 {
		t.Fatalf("%d client reads", n)
	}
	if _, err := c.Memberships(bg, "16"); err != nil || len(ws.Called("GET /api/v1/client/37532/16")) != 1 {
		t.Fatalf("second read: %v, %d client reads", err, len(ws.Called("GET /api/v1/client/37532/16")))
	}
}

func byIDOf(ls []models.Lesson) map[string]models.Lesson {
	out := map[string]models.Lesson{}
	for _, l := range ls {
		out[l.ID] = l
	}
	return out
}

func lessonsToday(t *testing.T, c *Client) []models.Lesson {
	t.Helper()
	from, to := models.DateOf(testNow, moscow).Bounds(moscow)
	ls, err := c.Lessons(bg, from, to)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

func TestLessonsFromEventsAndRecords(t *testing.T) {
	ws, c := newWire(t)
	ws.Fixture("GET /api/v1/activity/37532/search", "events.json")
	ws.Fixture("GET /api/v1/records/37532", "records_day.json")
	ls := lessonsToday(t, c)
	ev := ws.Called("GET /api/v1/activity/37532/search")[0].Query
	if ev.Get("from") != "2026-11-22" || ev.Get("till") != "2026-11-22" || ev.Get("page") != "1" {
		t.Fatalf("events query %v", ev)
	}
	rq := ws.Called("GET /api/v1/records/37532")[0].Query
	if rq.Get("start_date") != "2026-11-22" || rq.Get("end_date") != "2026-11-22" || rq.Get("include_finance_transactions") != "1" {
		t.Fatalf("records query %v", rq)
	}
	byID := map[string]models.Lesson{}
	var order []string
	for _, l := range ls {
		byID[l.ID] = l
		order = append(order, l.ID)
	}
	if strings.Join(order, " ") != "A3480140 R804 A3480141 A3480142" {
		t.Fatalf("lessons %v", order)
	}
	p := byID["A3480140"]
	if p.Title != "Пилатес" || p.Capacity != 12 || p.Booked != 2 || p.Instructor != "Наталья" || p.Room != "Зал 1" ||
		!p.Start.Equal(time.Date(2026, 11, 22, 12, 0, 0, 0, moscow)) || p.End.Sub(p.Start) != time.Hour {
		t.Fatalf("pilates %+v", p)
	}
	if b := byID["A3480142"]; !b.Full() || b.Title != "Бокс" {
		t.Fatalf("boxing %+v", b)
	}
	// An event the search did not list is still shown from its records,
	// with its bookings counted and no capacity invented.
	if s := byID["A3480141"]; s.Capacity != 0 || s.Booked != 1 || s.Title != "Сайкл" {
		t.Fatalf("cycle %+v", s)
	}
	// An individual appointment is a row of its own.
	if m := byID["R804"]; m.Title != "Массаж спины" || m.Capacity != 0 || m.Booked != 1 || m.End.Sub(m.Start) != 30*time.Minute {
		t.Fatalf("massage %+v", m)
	}
}

func TestLessonsFallBackToRecordsWhenEventsAreRefused(t *testing.T) {
	ws, c := newWire(t)
	ws.Answer("GET /api/v1/activity/37532/search", 403, `{"success":false,"data":null,"meta":{"message":"Нет доступа"}}`)
	ws.Fixture("GET /api/v1/records/37532", "records_day.json")
	ls := lessonsToday(t, c)
	byID := map[string]models.Lesson{}
	for _, l := range ls {
		byID[l.ID] = l
	}
	if len(ls) != 3 {
		t.Fatalf("lessons %+v", ls)
	}
	if p := byID["A3480140"]; p.Capacity != 0 || p.Booked != 2 || p.Title != "Пилатес" || p.Instructor != "Наталья" {
		t.Fatalf("pilates without events: %+v", p)
	}
	// One refusal never switches the session: the next read asks again
	// (and falls back again while it is refused).
	if again := lessonsToday(t, c); len(again) != 3 {
		t.Fatalf("lessons on the second read %+v", again)
	}
	if n := len(ws.Called("GET /api/v1/activity/37532/search")); n != 2 {
		t.Fatalf("events asked %d times over two reads", n)
	}
	ws.Fixture("GET /api/v1/activity/37532/search", "events.json")
	if p := byIDOf(lessonsToday(t, c))["A3480140"]; p.Capacity != 12 {
		t.Fatalf("once the search answers, capacity is back: %+v", p)
	}
	// A failing line is not a refusal: the timetable says so.
	ws2, c2 := newWire(t)
	ws2.Answer("GET /api/v1/activity/37532/search", 503, `<html>503</html>`)
	ws2.Fixture("GET /api/v1/records/37532", "records_day.json")
	from, to := models.DateOf(testNow, moscow).Bounds(moscow)
	if _, err := c2.Lessons(bg, from, to); !errors.Is(err, providers.ErrUnavailable) {
		t.Fatalf("503 on events: %v", err)
	}
}

func TestRecordsAreReadEveryPage(t *testing.T) {
	ws, c := newWire(t)
	ws.Fixture("GET /api/v1/activity/37532/search", "events.json")
	var day struct {
		Data []map[string]any `json:"data"`
	}
	json.Unmarshal(readFixture(t, "records_day.json"), &day)
	template := day.Data[0]
	ws.On("GET /api/v1/records/37532", func(w http.ResponseWriter, r request) {
		page := r.Query.Get("page")
		n := 100
		if page == "2" {
			n = 50
		}
		var out []map[string]any
		for i := range n {
			rec := map[string]any{}
			for k, v := range template {
				rec[k] = v
			}
			rec["id"] = 10000 + i
			if page == "2" {
				rec["id"] = 20000 + i
			}
			out = append(out, rec)
		}
		json.NewEncoder(w).Encode(map[string]any{"success": true, "data": out, "meta": map[string]any{"page": page, "total_count": 150}})
	})
	ls := lessonsToday(t, c)
	calls := ws.Called("GET /api/v1/records/37532")
	if len(calls) != 2 || calls[1].Query.Get("page") != "2" || calls[0].Query.Get("count") != "100" {
		t.Fatalf("%d record pages: %v", len(calls), calls)
	}
	for _, l := range ls {
		if l.ID == "A3480140" && l.Booked != 2 {
			// The event's own count stands; the records are for rosters.
			t.Fatalf("pilates %+v", l)
		}
	}
	bs, err := c.Roster(bg, "A3480140")
	if err != nil || len(bs) != 150 {
		t.Fatalf("roster of 150: %d %v", len(bs), err)
	}
}

func TestRosterDueAndPaid(t *testing.T) {
	ws, c := newWire(t)
	ws.Fixture("GET /api/v1/activity/37532/search", "events.json")
	ws.Fixture("GET /api/v1/records/37532", "records_day.json")
	lessonsToday(t, c)
	bs, err := c.Roster(bg, "A3480140")
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 2 {
		t.Fatalf("%+v", bs)
	}
	d, v := bs[0], bs[1] // by name: "Дмитрий" before "Сонов Василий"
	if d.ClientName != "Дмитрий" || d.Attendance != models.Attended || !d.Paid || !d.AmountDue.IsZero() || d.ClientPhone != "79169999900" {
		t.Fatalf("dmitry %+v", d)
	}
	if v.ID != "801" || v.ClientID != "16" || v.ClientName != "Сонов Василий" || v.Attendance != models.Expected ||
		v.Paid || v.AmountDue.Minor != 80000 || v.Lesson.Title != "Пилатес" || v.Lesson.Capacity != 12 {
		t.Fatalf("vasily %+v", v)
	}
	// An individual appointment's roster is its record: 1 200 less a 500
	// payment leaves 700 due.
	ws.Fixture("GET /api/v1/record/37532/2", "record.json")
	one, err := c.Roster(bg, "R2")
	if err != nil || len(one) != 1 || one[0].AmountDue.Minor != 70000 || one[0].ClientName != "Сонов Василий" {
		t.Fatalf("individual %+v %v", one, err)
	}
	if _, err := c.Roster(bg, "nonsense"); !errors.Is(err, providers.ErrNotFound) {
		t.Fatalf("bad lesson id: %v", err)
	}
}

func TestClientBookingsUseTheClientFilter(t *testing.T) {
	ws, c := newWire(t)
	ws.On("GET /api/v1/records/37532", func(w http.ResponseWriter, r request) {
		var day struct {
			Data []map[string]any `json:"data"`
		}
		json.Unmarshal(readFixture(t, "records_day.json"), &day)
		var out []map[string]any
		for _, rec := range day.Data {
			if cl, _ := rec["client"].(map[string]any); cl != nil && r.Query.Get("client_id") != "" && jsonID(cl["id"]) == r.Query.Get("client_id") {
				out = append(out, rec)
			}
		}
		json.NewEncoder(w).Encode(map[string]any{"success": true, "data": out, "meta": map[string]any{"page": 1, "total_count": len(out)}})
	})
	from, to := models.DateOf(testNow, moscow).Bounds(moscow)
	bs, err := c.ClientBookings(bg, "555", from, to)
	if err != nil {
		t.Fatal(err)
	}
	if q := ws.Called("GET /api/v1/records/37532")[0].Query; q.Get("client_id") != "555" || q.Get("start_date") != "2026-11-22" {
		t.Fatalf("query %v", q)
	}
	if len(bs) != 2 || bs[0].Lesson.Title != "Пилатес" || bs[1].Lesson.Title != "Массаж спины" || bs[1].AmountDue.Minor != 250000 {
		t.Fatalf("%+v", bs)
	}
}

func jsonID(v any) string {
	switch v := v.(type) {
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case string:
		return v
	}
	return ""
}

func TestRecordsPagesFollowTotalCountNotThePageSize(t *testing.T) {
	ws, c := newWire(t)
	ws.Answer("GET /api/v1/activity/37532/search", 404, `{"success":false,"data":null,"meta":{"message":"Not found"}}`)
	ws.On("GET /api/v1/records/37532", func(w http.ResponseWriter, r request) {
		// This server answers 50 a page whatever was asked, 120 in all.
		page, _ := strconv.Atoi(r.Query.Get("page"))
		var out []map[string]any
		for i := (page - 1) * 50; i < min(page*50, 120); i++ {
			out = append(out, map[string]any{"id": 5000 + i, "activity_id": 77, "date": "2026-11-22 12:00:00",
				"client": map[string]any{"id": 10 + i, "name": "Клиент"}, "services": []any{}})
		}
		json.NewEncoder(w).Encode(map[string]any{"success": true, "data": out, "meta": map[string]any{"page": page, "total_count": 120}})
	})
	ls := lessonsToday(t, c)
	if n := len(ws.Called("GET /api/v1/records/37532")); n != 3 {
		t.Fatalf("%d pages read, want 3", n)
	}
	if len(ls) != 1 || ls[0].Booked != 120 {
		t.Fatalf("%+v", ls)
	}
}

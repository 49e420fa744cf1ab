package gocrm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/httpx/httpxtest"
)

var yekaterinburg, _ = time.LoadLocation("Asia/Yekaterinburg")

// testNow is the morning of the documents' example day, in the center's
// zone.
var testNow = time.Date(2024, 1, 7, 9, 0, 0, 0, yekaterinburg)

const (
	testApp    = "gocrm-contract-app-token"
	testAccess = "gocrm-contract-access-token"
)

// secrets is a keyring in memory that counts reads and keeps writes.
type secrets struct {
	mu    sync.Mutex
	vals  map[string]string
	reads int
}

func (s *secrets) Secret(name string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reads++
	v, ok := s.vals[name]
	if !ok {
		return "", errors.New("secret not found")
	}
	return v, nil
}

func (s *secrets) SetSecret(name, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.vals[name] = value
	return nil
}

// call is one request the wire server received.
type call struct {
	Method string
	Path   string // with /api or /api/v3
	Query  url.Values
	Body   map[string]any
	Raw    string
}

// fakeGoCRM speaks both APIs, strictly: the client API wants APP_TOKEN on
// every call and the Bearer access token on all but sign-in; the public API
// must get neither; a GET carries no body; a write sends a JSON object.
// Its routes and the calls it received are the embedded script's.
type fakeGoCRM struct {
	*httpxtest.Script[call]
	t *testing.T
}

func newWire(t *testing.T, branch string) (*fakeGoCRM, *Client, *secrets) {
	t.Helper()
	f := &fakeGoCRM{Script: httpxtest.New[call](t), t: t}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	sec := &secrets{vals: map[string]string{"app_token": testApp, "access_token": testAccess}}
	c, err := New(providers.Settings{BaseURL: srv.URL, Branch: branch, Secrets: sec, Timezone: "Asia/Yekaterinburg",
		PointName: "Ресепшен 1", Extra: map[string]any{"person": "admin"}, Now: func() time.Time { return testNow }},
		WithRetryWait(time.Millisecond), WithTimeout(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return f, c, sec
}

func (f *fakeGoCRM) serve(w http.ResponseWriter, r *http.Request) {
	c := call{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query()}
	data, _ := io.ReadAll(r.Body)
	c.Raw = string(data)
	if r.Method != http.MethodGet && len(data) > 0 {
		if err := json.Unmarshal(data, &c.Body); err != nil {
			f.t.Errorf("%s %s: body is not a JSON object: %s", r.Method, r.URL.Path, data)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			f.t.Errorf("%s %s: Content-Type %q", r.Method, r.URL.Path, ct)
		}
	}
	route := f.Receive(r.Method+" "+r.URL.Path, c)
	public := strings.HasPrefix(r.URL.Path, "/api/v3/")
	switch {
	case public:
		if r.Header.Get("APP_TOKEN") != "" || r.Header.Get("Authorization") != "" {
			f.t.Errorf("%s %s: credentials sent to the public API", r.Method, r.URL.Path)
		}
	case strings.HasPrefix(r.URL.Path, "/api/"):
		if r.Header.Get("APP_TOKEN") != testApp {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"message":"Unauthenticated."}`)
			return
		}
		signIn := r.URL.Path == "/api/auth/login"
		if signIn && r.Header.Get("Authorization") != "" {
			f.t.Errorf("sign-in carries an access token")
		}
		if !signIn && r.Header.Get("Authorization") != "Bearer "+testAccess {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"message":"Unauthenticated."}`)
			return
		}
	default:
		f.t.Errorf("path %s is under neither API", r.URL.Path)
	}
	if r.Method == http.MethodGet && len(data) > 0 {
		f.t.Errorf("GET %s carries a body: %s", r.URL.Path, data)
	}
	if route == nil {
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"message":"Not Found"}`)
		return
	}
	route(w, c)
}

func TestBases(t *testing.T) {
	cases := []struct{ base, public, api, pub string }{
		{"https://club.go-crm.ru", "", "https://club.go-crm.ru/api", "https://club.go-crm.ru/api/v3"},
		{"https://club.go-crm.ru/api/", "", "https://club.go-crm.ru/api", "https://club.go-crm.ru/api/v3"},
		{"https://club.go-crm.ru/api/v3", "", "https://club.go-crm.ru/api", "https://club.go-crm.ru/api/v3"},
		{"https://club.go-crm.ru", "https://beta.go-crm.ru/api/v3/", "https://club.go-crm.ru/api", "https://beta.go-crm.ru/api/v3"},
	}
	for _, tc := range cases {
		api, pub, err := bases(tc.base, tc.public)
		if err != nil || api != tc.api || pub != tc.pub {
			t.Errorf("%q %q → %q %q %v", tc.base, tc.public, api, pub, err)
		}
	}
	if _, _, err := bases(" ", ""); err == nil {
		t.Error("an empty base_url must be refused")
	}
}

func TestQueryIsWhereTheGetBodyGoes(t *testing.T) {
	q := query(map[string]any{"clientId": "1", "visited": 1, "missed": false, "signed": true, "none": nil, "center": int64(12)})
	if got := q.Encode(); got != "center=12&clientId=1&missed=0&signed=1&visited=1" {
		t.Fatalf("query = %s", got)
	}
}

func TestClientsAreReadOnceAndSearchedHere(t *testing.T) {
	f, c, _ := newWire(t, "1")
	f.Fixture("GET /api/clients", "clients.json")
	ctx := context.Background()
	cases := []struct {
		q    string
		want []string
	}{
		{"Ваня", []string{"1"}},             // the child's name
		{"сидоров", []string{"2"}},          // the parent's surname
		{"Иван", []string{"2", "1"}},        // the parents' first names, by name
		{"Иванов Ваня", []string{"1"}},      // both
		{"+7 987 654-32-11", []string{"2"}}, // a phone as typed
		{"89876543210", []string{"1"}},      // with the trunk prefix
		{"8 987 654", []string{"2", "1"}},   // its beginning, with the trunk prefix
		{"6543", []string{"2", "1"}},        // part of a number
		{"Петров", nil},
	}
	for _, tc := range cases {
		got, err := c.SearchClients(ctx, tc.q, 50)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, cl := range got {
			ids = append(ids, cl.ID)
		}
		if fmt.Sprint(ids) != fmt.Sprint(tc.want) {
			t.Errorf("%q → %v; want %v", tc.q, ids, tc.want)
		}
	}
	calls := f.Called("GET /api/clients")
	if len(calls) != 1 || len(calls[0].Query) != 0 {
		t.Fatalf("GET /clients was read %d times (once a session, no filter): %v", len(calls), calls)
	}
	got, _ := c.SearchClients(ctx, "Ваня", 50)
	v := got[0]
	if v.FirstName != "Ваня" || v.Guardian != "Иванов Иван Иванович" || v.Phone != "79876543210" || v.Birthday != models.NewDate(2024, 1, 8) {
		t.Fatalf("decoded %+v", v)
	}
}

func TestSearchesWhileTheListLoadsShareOneRead(t *testing.T) {
	f, c, _ := newWire(t, "1")
	release := make(chan struct{})
	data := httpxtest.Fixture(t, "clients.json")
	f.On("GET /api/clients", func(w http.ResponseWriter, _ call) {
		<-release
		w.Write(data)
	})
	var wg sync.WaitGroup
	// The first search is superseded (cancelled) while the list is on its way.
	first, cancel := context.WithCancel(context.Background())
	wg.Add(2)
	go func() { defer wg.Done(); c.SearchClients(first, "Ва", 50) }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	var found []models.Client
	go func() { defer wg.Done(); found, _ = c.SearchClients(context.Background(), "Ваня", 50) }()
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if len(found) != 1 || len(f.Called("GET /api/clients")) != 1 {
		t.Fatalf("found %v after %d reads", found, len(f.Called("GET /api/clients")))
	}
}

func TestClientReadsDebtsInTheSameRound(t *testing.T) {
	f, c, _ := newWire(t, "1")
	f.Fixture("GET /api/clients/1", "client.json")
	f.Fixture("GET /api/debts", "debts.json")
	cl, err := c.Client(context.Background(), "1")
	if err != nil {
		t.Fatal(err)
	}
	if cl.ID != "1" || cl.FirstName != "Ваня" || cl.Guardian != "Иванов Иван Иванович" {
		t.Fatalf("client %+v", cl)
	}
	if cl.Debt.Minor != 100000 || cl.Debt.Currency != "RUB" {
		t.Fatalf("debt at center 1 = %+v; want 1 000 ₽", cl.Debt)
	}
	if !strings.Contains(cl.Note, "ул.Победы, д.24 — 500 ₽") {
		t.Fatalf("the debt at the other center is not said: %q", cl.Note)
	}
	if q := f.Called("GET /api/debts")[0].Query; q.Get("clientId") != "1" {
		t.Fatalf("debts query %v", q)
	}
	v := models.Judge(models.VerdictInput{Client: cl, Now: testNow, Location: yekaterinburg})
	if v.Level != models.Red || v.Reasons[0].Code != models.ReasonDebt {
		t.Fatalf("a debt is an alert on the card: %+v", v)
	}
}

func TestIDsAsNumbersAndStrings(t *testing.T) {
	f, c, _ := newWire(t, "1")
	f.Answer("GET /api/clients", 200, `{"data":[{"id":"123456","fio":"Петрова Анна Сергеевна","name":"Соня","phone":79120001122,"birthday":"2019-03-01"},{"id":7,"fio":"Орлов Пётр","name":"","phone":"79120003344"}]}`)
	got, err := c.SearchClients(context.Background(), "соня", 5)
	if err != nil || len(got) != 1 || got[0].ID != "123456" || got[0].Phone != "79120001122" {
		t.Fatalf("%+v %v", got, err)
	}
	// No child's name: the client is the person in fio.
	got, _ = c.SearchClients(context.Background(), "Орлов", 5)
	if len(got) != 1 || got[0].ID != "7" || got[0].FirstName != "Орлов Пётр" || got[0].Guardian != "" {
		t.Fatalf("%+v", got)
	}
	for _, file := range []string{"profile.json", "profile_string_ids.json"} {
		f.Fixture("GET /api/profile", file)
		if _, err := c.Check(context.Background()); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
}

// lessons reads the documents' example day with names for the
// instructors and the kinds of exercise.
func lessons(t *testing.T, f *fakeGoCRM, c *Client) []models.Lesson {
	t.Helper()
	f.Fixture("GET /api/hours", "hours.json")
	f.Fixture("GET /api/season-tickets", "season_tickets.json")
	f.Answer("GET /api/v3/users", 200, `{"status":"success","message":"","data":[{"id":"1","name":"Мария","displayName":"Мария Петровна","position":4,"centerId":"1"},{"id":2,"name":"Олег","position":4,"centerId":1}]}`)
	from, to := models.NewDate(2024, 1, 7).Bounds(yekaterinburg)
	ls, err := c.Lessons(context.Background(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

func TestLessonsAreTheCentersDay(t *testing.T) {
	f, c, _ := newWire(t, "1")
	ls := lessons(t, f, c)
	q := f.Called("GET /api/hours")[0].Query
	if q.Get("center") != "1" || q.Get("dateStart") != "2024-01-07 00:00:00" || q.Get("dateEnd") != "2024-01-07 23:59:59" {
		t.Fatalf("hours query %v", q)
	}
	if u := f.Called("GET /api/v3/users")[0].Query; u.Get("centerId") != "1" || u.Get("position") != "4" {
		t.Fatalf("users query %v", u)
	}
	if len(ls) != 2 {
		t.Fatalf("%d lessons", len(ls))
	}
	a, b := ls[0], ls[1]
	if !a.Start.Equal(time.Date(2024, 1, 7, 10, 0, 0, 0, yekaterinburg)) || a.End.Sub(a.Start) != time.Hour {
		t.Fatalf("times %v–%v", a.Start, a.End)
	}
	if a.Title != "Групповое · Капризный ребенок" || b.Title != "Индивидуальное · Капризный родитель" {
		t.Fatalf("titles %q %q", a.Title, b.Title)
	}
	if a.Instructor != "Мария Петровна, Олег, #3" || a.Booked != 4 || a.Capacity != 0 || a.Full() {
		t.Fatalf("lesson %+v", a)
	}
}

func TestRosterIsTheHoursEntries(t *testing.T) {
	f, c, _ := newWire(t, "1")
	lessons(t, f, c)
	f.Fixture("GET /api/clients", "clients.json")
	// As documented: the entries do not say whose they are.
	f.Fixture("GET /api/client-hours", "client_hours.json")
	roster, err := c.Roster(context.Background(), "2")
	if err != nil {
		t.Fatal(err)
	}
	q := f.Called("GET /api/client-hours")[0].Query
	if q.Get("centerId") != "1" || q.Get("dateStart") != "2024-01-07 00:00:00" || q.Has("clientId") {
		t.Fatalf("roster query %v", q)
	}
	if len(roster) != 2 || !strings.Contains(roster[0].ClientName, "клиент не указан") {
		t.Fatalf("roster without client ids %+v", roster)
	}
	// With clientId on the entries (assumption 8) the roster names them.
	f.Answer("GET /api/client-hours", 200, `{"data":[
		{"id":1,"clientId":1,"individual":true,"visited":"visited","missed":"","hour":[{"id":2,"datetime":"2024-01-07 12:00:00"}]},
		{"id":"2","clientId":"2","individual":false,"visited":"","missed":"missed","hour":[{"id":2,"datetime":"2024-01-07 12:00:00"}]},
		{"id":3,"clientId":1,"visited":"","missed":"","hour":[{"id":1,"datetime":"2024-01-07 10:00:00"}]}]}`)
	roster, err = c.Roster(context.Background(), "2")
	if err != nil || len(roster) != 2 {
		t.Fatalf("%+v %v", roster, err)
	}
	alena, vanya := roster[0], roster[1]
	if vanya.ClientName != "Ваня (Иванов Иван Иванович)" || vanya.Attendance != models.Attended || vanya.Lesson.Title != "Индивидуальное · Капризный родитель" {
		t.Fatalf("Ваня %+v", vanya)
	}
	if alena.ClientID != "2" || alena.Attendance != models.NoShow || alena.ClientPhone != "79876543211" {
		t.Fatalf("Алена %+v", alena)
	}
	if _, err := c.Roster(context.Background(), "99"); !errors.Is(err, providers.ErrNotFound) {
		t.Fatalf("an hour the timetable did not show: %v", err)
	}
}

func TestClientBookingsAndVisits(t *testing.T) {
	f, c, _ := newWire(t, "1")
	f.Fixture("GET /api/client-hours", "client_hours.json")
	from, to := models.NewDate(2024, 1, 7).Bounds(yekaterinburg)
	bs, err := c.ClientBookings(context.Background(), "1", from, to)
	if err != nil || len(bs) != 2 || bs[0].Attendance != models.Attended || bs[1].Attendance != models.NoShow {
		t.Fatalf("%+v %v", bs, err)
	}
	if q := f.Called("GET /api/client-hours")[0].Query; q.Get("clientId") != "1" || q.Get("centerId") != "1" || q.Get("dateStart") != "2024-01-07 00:00:00" {
		t.Fatalf("bookings query %v", q)
	}
	at := time.Date(2024, 1, 7, 13, 0, 0, 0, yekaterinburg)
	c.now = func() time.Time { return at }
	vs, err := c.Visits(context.Background(), "1", at.Add(-30*24*time.Hour))
	if err != nil || len(vs) != 1 || vs[0].ID != "1" || vs[0].At.Hour() != 12 {
		t.Fatalf("visits %+v %v", vs, err)
	}
	q := f.Called("GET /api/client-hours")[1].Query
	if q.Get("visited") != "1" || q.Get("missed") != "0" || q.Get("dateStart") != "2023-12-08 13:00:00" {
		t.Fatalf("visits query %v", q)
	}
}

func TestBookSendsTheHourVersionAndTheClient(t *testing.T) {
	f, c, _ := newWire(t, "1")
	lessons(t, f, c)
	f.Fixture("GET /api/clients", "clients.json")
	f.Fixture("POST /api/client-hours/", "client_hour_booked.json")
	b, err := c.Book(context.Background(), "2", "1")
	if err != nil {
		t.Fatal(err)
	}
	body := f.Called("POST /api/client-hours/")[0].Raw
	var got map[string]any
	json.Unmarshal([]byte(body), &got)
	if fmt.Sprint(got["hourId"], "/", got["individual"], "/", got["version"], "/", got["clientId"]) != "2/1/1/1" || !strings.Contains(body, `"individual":"1"`) || !strings.Contains(body, `"hourId":2`) {
		t.Fatalf("book body %s", body)
	}
	if b.ID != "1" || b.Lesson.ID != "2" || b.ClientName != "Ваня (Иванов Иван Иванович)" {
		t.Fatalf("booking %+v", b)
	}
	if _, err := c.Book(context.Background(), "2", "lead:5"); err == nil || len(f.Called("POST /api/client-hours/")) != 1 {
		t.Fatalf("a lead cannot be booked: %v", err)
	}
}

func TestBookingRefusalsInGoCRMsWords(t *testing.T) {
	cases := []struct {
		body  string
		want  error
		field string
	}{
		{`{"message":"Нет свободных мест","errors":[]}`, providers.ErrLessonFull, ""},
		{`{"message":"Клиент уже записан на занятие","errors":{}}`, providers.ErrAlreadyBooked, ""},
		{`{"message":"Error","errors":{"version":"Расписание изменилось, обновите"}}`, providers.ErrValidation, "version"},
	}
	for _, tc := range cases {
		f, c, _ := newWire(t, "1")
		lessons(t, f, c)
		f.Answer("POST /api/client-hours/", 422, tc.body)
		_, err := c.Book(context.Background(), "1", "2")
		var pe *providers.Error
		if !errors.Is(err, tc.want) || !errors.As(err, &pe) || (tc.field != "" && pe.Fields[tc.field] == "") {
			t.Errorf("%s → %v", tc.body, err)
		}
		if tc.field != "" && pe.Message != "" {
			t.Errorf("the document's bare \"Error\" is not a message: %q", pe.Message)
		}
		if n := len(f.Called("POST /api/client-hours/")); n != 1 {
			t.Errorf("the booking was sent %d times", n)
		}
	}
}

func TestErrorsAreTyped(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		want   error
		msg    string
	}{
		{"422 with fields", 422, string(httpxtest.Fixture(t, "error_422.json")), providers.ErrValidation, ""},
		{"401", 401, `{"message":"Unauthenticated."}`, providers.ErrUnauthorized, "clubdesk login"},
		{"403 html", 403, `<html>Forbidden</html>`, providers.ErrUnauthorized, "войдите заново"},
		{"404", 404, `{"message":"Клиент не найден"}`, providers.ErrNotFound, "Клиент не найден"},
		{"500 html", 500, `<html><body>500</body></html>`, providers.ErrUnavailable, "HTTP 500"},
		{"html with 200", 200, `<!doctype html><html>вход</html>`, providers.ErrBadAnswer, "not answering properly"},
		{"empty", 200, ``, providers.ErrBadAnswer, "not answering properly"},
		{"malformed", 200, `{"data":[{"id":1,`, providers.ErrBadAnswer, "not answering properly"},
		{"status error in a 200", 200, `{"status":"error","message":"Центр закрыт"}`, providers.ErrValidation, "Центр закрыт"},
		{"data of the wrong shape", 200, `{"data":"a string"}`, providers.ErrBadAnswer, "not answering properly"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, c, _ := newWire(t, "1")
			f.Answer("GET /api/client-season-tickets", tc.status, tc.body)
			_, err := c.Memberships(context.Background(), "1")
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("err = %v; want %v with %q", err, tc.want, tc.msg)
			}
			if tc.name == "422 with fields" {
				var pe *providers.Error
				if !errors.As(err, &pe) || pe.Fields["fieldName"] != "Error" {
					t.Fatalf("fields lost: %+v", pe)
				}
			}
		})
	}
}

func TestRejectedTokenIsReadAgainAfterLogin(t *testing.T) {
	f, c, sec := newWire(t, "1")
	f.Fixture("GET /api/profile", "profile.json")
	if _, err := c.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	reads := sec.reads
	sec.SetSecret("access_token", "revoked")
	c.forgetTokens()
	if _, err := c.Check(context.Background()); !errors.Is(err, providers.ErrUnauthorized) {
		t.Fatalf("err = %v", err)
	}
	// `clubdesk login` stores a new token; the adapter reads it again
	// because the refused one was forgotten.
	sec.SetSecret("access_token", testAccess)
	if _, err := c.Check(context.Background()); err != nil || sec.reads <= reads+2 {
		t.Fatalf("err %v after %d reads", err, sec.reads-reads)
	}
	if n := len(f.Called("GET /api/profile")); n != 3 {
		t.Fatalf("%d profile reads: a 401 is not retried", n)
	}
}

func TestMissingTokensSendNothing(t *testing.T) {
	f, c, sec := newWire(t, "1")
	delete(sec.vals, "access_token")
	if _, err := c.Check(context.Background()); !errors.Is(err, providers.ErrUnauthorized) || !strings.Contains(err.Error(), "clubdesk login") {
		t.Fatalf("err = %v", err)
	}
	if f.Total() != 0 {
		t.Fatal("a request went out without a token")
	}
}

func TestReadsAreRetriedWritesAreNot(t *testing.T) {
	f, c, _ := newWire(t, "1")
	n := 0
	data := httpxtest.Fixture(t, "client_season_tickets.json")
	f.On("GET /api/client-season-tickets", func(w http.ResponseWriter, _ call) {
		n++
		if n < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "<html>busy</html>")
			return
		}
		w.Write(data)
	})
	if _, err := c.Memberships(context.Background(), "1"); err != nil {
		t.Fatalf("a read should survive two 503s: %v", err)
	}
	f.Answer("PUT /api/payments/", http.StatusBadGateway, "<html>bad gateway</html>")
	_, err := c.OpenPaymentPage(context.Background(), providers.OnlinePayment{ClientID: "1", Purpose: providers.OnlineDebt})
	if !errors.Is(err, providers.ErrOutcomeUnknown) || len(f.Called("PUT /api/payments/")) != 1 {
		t.Fatalf("a payment answered 502: %v, sent %d times", err, len(f.Called("PUT /api/payments/")))
	}
}

func TestPlansAndMemberships(t *testing.T) {
	f, c, _ := newWire(t, "1")
	f.Fixture("GET /api/season-tickets", "season_tickets.json")
	f.Fixture("GET /api/client-season-tickets", "client_season_tickets.json")
	ps, err := c.Plans(context.Background())
	if err != nil || len(ps) != 2 {
		t.Fatalf("%+v %v", ps, err)
	}
	byName := map[string]models.Plan{}
	for _, p := range ps {
		byName[p.Name] = p
	}
	ind := byName["Плавание инд. 4 занятия"]
	if ind.ID != "1" || ind.Price.Minor != 200000 || ind.Price.Currency != "RUB" || ind.Visits != 4 || ind.Days != 1 || ind.Group != "Индивидуальное" || ind.StartsOnFirstVisit {
		t.Fatalf("plan %+v", ind)
	}
	ms, err := c.Memberships(context.Background(), "1")
	if err != nil || len(ms) != 2 {
		t.Fatalf("%+v %v", ms, err)
	}
	if q := f.Called("GET /api/client-season-tickets")[0].Query; q.Get("clientId") != "1" {
		t.Fatalf("memberships query %v", q)
	}
	m := ms[1]
	if m.ID != "2" || m.PlanID != "2" || m.Title != "Плавание груп. 8 занятия" || m.VisitsTotal != 8 || m.VisitsLeft != 4 ||
		m.Start != models.NewDate(2024, 1, 24) || m.End != models.NewDate(2024, 5, 24) || m.State != models.StateNotStarted {
		t.Fatalf("membership %+v", m)
	}
	// Another client's ticket in the answer is not this client's.
	ms, _ = c.Memberships(context.Background(), "2")
	if len(ms) != 0 {
		t.Fatalf("client 2 got %+v", ms)
	}
}

func TestTicketStatesByBlockType(t *testing.T) {
	for name, want := range map[string]models.MembershipState{
		"Активный": models.StateActive, "Заморожен": models.StateFrozen, "Заблокирован": models.StateExpired, "Неактивный": models.StateExpired,
	} {
		w := wireTicket{ID: "1", BlockTypeName: text(name), NumberExercise: 8}
		if got := w.membership(models.NewDate(2024, 2, 1)).State; got != want {
			t.Errorf("%s → %v; want %v", name, got, want)
		}
	}
}

func TestLeadIsTheWalkIn(t *testing.T) {
	f, c, _ := newWire(t, "1")
	f.Fixture("POST /api/v3/leads", "lead.json")
	// The contact is the parent: fio and phone from the form's parent
	// fields, the child's first name as name (the Lead's "Имя Ребёнка").
	cl, err := c.CreateClient(context.Background(), models.NewClient{LastName: "Иванов", FirstName: "Вова", Guardian: "Иванова  Мария Ивановна",
		GuardianPhone: "8 987 654-32-10", Phone: "+7 900 000-00-01", Birthday: models.NewDate(2019, 11, 18), Email: "youremail@youremaildomain.com"})
	if err != nil {
		t.Fatal(err)
	}
	b := f.Called("POST /api/v3/leads")[0].Body
	if b["fio"] != "Иванова Мария Ивановна" || b["name"] != "Вова" || b["phone"] != "+79876543210" || b["center_id"] != "1" ||
		b["birthday"] != "18.11.2019" || b["mail"] != "youremail@youremaildomain.com" || !strings.Contains(fmt.Sprint(b["comment"]), "Ресепшен 1") {
		t.Fatalf("lead body %v", b)
	}
	if cl.ID != "lead:12345" || cl.FullName() != "Иванов Вова" || cl.Guardian != "Иванова Мария Ивановна" || !strings.Contains(cl.Note, "12345") || cl.Birthday != models.NewDate(2019, 11, 18) {
		t.Fatalf("lead %+v", cl)
	}
	// A saved lead is a success that says what happens next.
	if cl.Lead == nil || cl.Lead.ID != "12345" || cl.Lead.Status != "bid" || !strings.Contains(cl.Lead.Next.RU, "Заявка № 12345 сохранена") ||
		!strings.Contains(cl.Lead.Next.EN, "once Go-CRM's administrator registers") || !strings.Contains(cl.Lead.Roster.RU, "не отмечен") {
		t.Fatalf("lead words %+v", cl.Lead)
	}
	// Without the parent's fields, fio is not filled with the child's name:
	// it is left out, and the child's full name goes to the comment.
	f.Answer("POST /api/v3/leads", 200, `{"status":"success","message":"","validation_errors":[],"data":{"id":12346,"name":"Катя","status":"bid","phone":"+79001112200","birthday":"2019-04-01","center_id":"1"}}`)
	katya, err := c.CreateClient(context.Background(), models.NewClient{LastName: "Петрова", FirstName: "Катя", Phone: "+7 900 111-22-00", Birthday: models.NewDate(2019, 4, 1)})
	if err != nil || katya.ID != "lead:12346" || katya.FullName() != "Петрова Катя" || katya.Guardian != "" || katya.Lead == nil {
		t.Fatalf("lead %+v %v", katya, err)
	}
	if b := f.Called("POST /api/v3/leads")[1].Body; b["fio"] != nil || b["name"] != "Катя" || !strings.Contains(fmt.Sprint(b["comment"]), "Ребёнок: Петрова Катя") {
		t.Fatalf("lead body without a parent %v", b)
	}
	// Booking a lead is refused, typed: the walk-in flow checks Lead first.
	if _, err := c.Book(context.Background(), "1", katya.ID); !errors.Is(err, providers.ErrLead) {
		t.Fatalf("booking a lead: %v", err)
	}
	// The lead's card reads nothing from Go-CRM, and the lead is found again.
	before := f.Total()
	if got, err := c.Client(context.Background(), cl.ID); err != nil || got.Note != cl.Note {
		t.Fatalf("%+v %v", got, err)
	}
	if ms, err := c.Memberships(context.Background(), cl.ID); err != nil || ms != nil {
		t.Fatalf("%+v %v", ms, err)
	}
	f.Fixture("GET /api/clients", "clients.json")
	found, _ := c.SearchClients(context.Background(), "Вова", 5)
	if len(found) != 1 || found[0].ID != cl.ID || f.Total() != before+1 {
		t.Fatalf("found %+v, %d more calls", found, f.Total()-before)
	}
	if _, err := c.OpenPaymentPage(context.Background(), providers.OnlinePayment{ClientID: cl.ID, Purpose: providers.OnlineDebt}); !errors.Is(err, providers.ErrValidation) {
		t.Fatalf("a lead has nothing to pay: %v", err)
	}
}

func TestLeadValidationErrorsAreShown(t *testing.T) {
	for _, status := range []int{200, 422} {
		f, c, _ := newWire(t, "1")
		f.Answer("POST /api/v3/leads", status, string(httpxtest.Fixture(t, "lead_validation.json")))
		_, err := c.CreateClient(context.Background(), models.NewClient{LastName: "Иванова", Phone: "+7 987 654-32-10"})
		var pe *providers.Error
		if !errors.Is(err, providers.ErrValidation) || !errors.As(err, &pe) || pe.Fields["name"] != "The name field is required." {
			t.Fatalf("HTTP %d: %v", status, err)
		}
		if len(f.Called("POST /api/v3/leads")) != 1 {
			t.Fatal("a lead is sent once")
		}
	}
	f, c, _ := newWire(t, "1")
	f.Answer("POST /api/v3/leads", 200, `{"status":"error","message":"Validation error","validation_errors":{"phone":["The phone field is required."]},"data":{}}`)
	_, err := c.CreateClient(context.Background(), models.NewClient{FirstName: "Вова"})
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Fields["phone"] != "The phone field is required." {
		t.Fatalf("object form: %v", err)
	}
	f.Answer("POST /api/v3/leads", 200, `<html>maintenance</html>`)
	if _, err := c.CreateClient(context.Background(), models.NewClient{FirstName: "Вова"}); !errors.Is(err, providers.ErrOutcomeUnknown) {
		t.Fatalf("an unreadable answer to a write: %v", err)
	}
}

func TestPaymentPage(t *testing.T) {
	f, c, _ := newWire(t, "1")
	f.Fixture("PUT /api/payments/", "payment.json")
	_, err := c.OpenPaymentPage(context.Background(), providers.OnlinePayment{ClientID: "1", Purpose: providers.OnlineDebt, Amount: models.Major(1000, "RUB")})
	if !errors.Is(err, providers.ErrValidation) || !strings.Contains(err.Error(), "Нет связи с банком (код 304)") {
		t.Fatalf("the bank's refusal: %v", err)
	}
	raw := f.Called("PUT /api/payments/")[0].Raw
	if !strings.Contains(raw, `"type":"debt"`) || !strings.Contains(raw, `"id":1`) || !strings.Contains(raw, `"clientId":1`) {
		t.Fatalf("debt body %s", raw)
	}
	f.Fixture("PUT /api/payments/", "payment_ok.json")
	page, err := c.OpenPaymentPage(context.Background(), providers.OnlinePayment{ClientID: "1", Purpose: providers.OnlineBuyPlan,
		Plan: models.Plan{ID: "2", Name: "Плавание груп. 8 занятия"}, Amount: models.Major(3000, "RUB")})
	if err != nil || page.ID != "1" || !strings.HasPrefix(page.URL, "https://yoomoney.ru/api-pages/v2/payment-confirm/cash?orderId=") {
		t.Fatalf("%+v %v", page, err)
	}
	raw = f.Called("PUT /api/payments/")[1].Raw
	if !strings.Contains(raw, `"type":"seasonTicket"`) || !strings.Contains(raw, `"id":2`) {
		t.Fatalf("season ticket body %s", raw)
	}
	f.Answer("PUT /api/payments/", 200, `{"errorCode":"","error":"","paymentUrl":"javascript:alert(1)","paymentId":3,"status":"Success"}`)
	if _, err := c.OpenPaymentPage(context.Background(), providers.OnlinePayment{ClientID: "1", Purpose: providers.OnlineDebt}); !errors.Is(err, providers.ErrValidation) {
		t.Fatalf("only an https page becomes a QR code: %v", err)
	}
	f.Answer("PUT /api/payments/", 422, `{"message":"Error","errors":{"id":"Долга нет"}}`)
	_, err = c.OpenPaymentPage(context.Background(), providers.OnlinePayment{ClientID: "1", Purpose: providers.OnlineDebt})
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Fields["id"] != "Долга нет" {
		t.Fatalf("422: %v", err)
	}
	if n := len(f.Called("PUT /api/payments/")); n != 4 {
		t.Fatalf("%d payment requests for 4 asks", n)
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

func TestDroppedPaymentIsUnknownAndSentOnce(t *testing.T) {
	f, c, _ := newWire(t, "1")
	f.On("PUT /api/payments/", func(w http.ResponseWriter, _ call) { dropping(w) })
	_, err := c.OpenPaymentPage(context.Background(), providers.OnlinePayment{ClientID: "1", Purpose: providers.OnlineBuyPlan, Plan: models.Plan{ID: "1"}})
	if !errors.Is(err, providers.ErrOutcomeUnknown) {
		t.Fatalf("err = %v", err)
	}
	if n := len(f.Called("PUT /api/payments/")); n != 1 {
		t.Fatalf("the payment was sent %d times", n)
	}
}

func TestLoginByPhoneAndSMSCode(t *testing.T) {
	f, c, sec := newWire(t, "1")
	delete(sec.vals, "access_token")
	f.On("POST /api/auth/login", func(w http.ResponseWriter, cl call) {
		switch cl.Body["password"] {
		case nil:
			w.Write(httpxtest.Fixture(t, "sms_sent.json"))
		case "0001":
			w.Write(httpxtest.Fixture(t, "login_tokens.json"))
		default:
			w.WriteHeader(422)
			io.WriteString(w, `{"message":"Error","errors":{"password":"Неверный код"}}`)
		}
	})
	step := c.LoginStart()
	if len(step.Ask) != 1 || step.Ask[0].Name != "phone" {
		t.Fatalf("first round %+v", step)
	}
	step.Answers = map[string]string{"phone": "+7 951 000-00-00"}
	next, err := c.Login(context.Background(), step)
	if err != nil || len(next.Ask) != 1 || next.Ask[0].Name != "code" || !next.Ask[0].Hidden || next.State["phone"] != "79510000000" {
		t.Fatalf("second round %+v %v", next, err)
	}
	b := f.Called("POST /api/auth/login")[0]
	if b.Body["person"] != "admin" || b.Body["login"] != "79510000000" || strings.Contains(b.Raw, "password") || !strings.Contains(b.Raw, `"fcmToken":null`) {
		t.Fatalf("first sign-in body %s", b.Raw)
	}
	next.Answers = map[string]string{"code": "1234"}
	if _, err := c.Login(context.Background(), next); !errors.Is(err, providers.ErrValidation) || !strings.Contains(fmt.Sprint(err.(*providers.Error).Fields), "Неверный код") {
		t.Fatalf("a wrong code: %v", err)
	}
	next.Answers = map[string]string{"code": "0001"}
	done, err := c.Login(context.Background(), next)
	if err != nil || len(done.Ask) != 0 {
		t.Fatalf("%+v %v", done, err)
	}
	token := "OQyb4fzNldKWlbY0bbUwdMx4z2QtRwRu7TrprcVxVnJssufWStFdCBrgpWcu"
	if done.Secrets["access_token"] != token || done.Secrets["refresh_token"] != token || len(done.Secrets) != 2 {
		t.Fatalf("secrets %v: only the tokens, never the code", done.Secrets)
	}
	if n := len(f.Called("POST /api/auth/login")); n != 3 {
		t.Fatalf("%d sign-in requests for 3 rounds", n)
	}
}

func TestLogout(t *testing.T) {
	f, c, _ := newWire(t, "1")
	f.Fixture("POST /api/auth/logout", "logout.json")
	if err := c.Logout(context.Background()); err != nil || len(f.Called("POST /api/auth/logout")) != 1 {
		t.Fatalf("%v", err)
	}
	f.Answer("POST /api/auth/logout", 401, `{"message":"Unauthenticated."}`)
	if err := c.Logout(context.Background()); err != nil {
		t.Fatalf("a session already ended: %v", err)
	}
}

func TestCenterFromThePublicAPI(t *testing.T) {
	f, c, _ := newWire(t, "")
	f.Fixture("GET /api/v3/cities", "cities.json")
	f.Fixture("GET /api/v3/cities/12345/centers", "city_centers.json")
	zone, err := c.BranchZone(context.Background())
	if err != nil || zone != "Asia/Yekaterinburg" {
		t.Fatalf("%q %v", zone, err)
	}
	if id, _ := c.centerID(context.Background()); id != "12345" || c.Info().Branch != "12345" {
		t.Fatalf("the only center is the desk's: %q", id)
	}
	f2, c2, _ := newWire(t, "12345")
	f2.Fixture("GET /api/v3/centers/12345", "center.json")
	if zone, err := c2.BranchZone(context.Background()); err != nil || zone != "Asia/Yekaterinburg" {
		t.Fatalf("%q %v", zone, err)
	}
	f3, c3, _ := newWire(t, "")
	f3.Fixture("GET /api/v3/cities", "cities.json")
	f3.Answer("GET /api/v3/cities/12345/centers", 200, `{"status":"success","message":"","data":[{"id":"1","city":"Челябинск","address":"ул. Лесная, д.3"},{"id":2,"city":"Челябинск","address":"ул. Победы, д.24"}]}`)
	if _, err := c3.centerID(context.Background()); !errors.Is(err, providers.ErrValidation) || !strings.Contains(err.Error(), "branch") {
		t.Fatalf("several centers: %v", err)
	}
	f3.Answer("GET /api/v3/cities", 200, `{"status":"fail","message":"Сервис недоступен"}`)
	if _, err := c3.centerID(context.Background()); !errors.Is(err, providers.ErrValidation) || !strings.Contains(err.Error(), "Сервис недоступен") {
		t.Fatalf("a public refusal: %v", err)
	}
}

func TestWhatGoCRMCannotDoIsSaid(t *testing.T) {
	_, c, _ := newWire(t, "1")
	caps := c.Capabilities()
	for _, cp := range []providers.Capability{providers.CapCardLookup, providers.CapBindCard, providers.CapSell, providers.CapTakePayment,
		providers.CapDepositTopUp, providers.CapCancelBooking, providers.CapAttendance, providers.CapCheckIn, providers.CapUndoCheckIn,
		providers.CapShiftReport} {
		if caps.Has(cp) || caps.Reason(cp) == "" || !strings.Contains(caps.Reason(cp), "Go-CRM") {
			t.Errorf("%s should be declared unsupported with a reason", cp)
		}
	}
	for _, cp := range []providers.Capability{providers.CapSearch, providers.CapCreateClient, providers.CapMemberships, providers.CapVisits,
		providers.CapCalendar, providers.CapRoster, providers.CapBook, providers.CapOnlinePay} {
		if !caps.Has(cp) {
			t.Errorf("%s is offered", cp)
		}
	}
	var ue *providers.UnsupportedError
	if err := c.MarkAttendance(context.Background(), "1", models.Attended); !errors.As(err, &ue) || !strings.Contains(ue.Reason, "mark them in Go-CRM") {
		t.Fatalf("err = %v", err)
	}
	if _, err := c.ClientByCard(context.Background(), "0040856634"); !errors.Is(err, providers.ErrUnsupported) {
		t.Fatalf("err = %v", err)
	}
	if err := c.UndoCheckIn(context.Background(), models.Visit{ID: "1", ClientID: "1"}); !errors.As(err, &ue) ||
		ue.Capability != providers.CapUndoCheckIn || !strings.Contains(ue.Reason, "no check-in") {
		t.Fatalf("undo check-in: %v", err)
	}
}

func TestRegistered(t *testing.T) {
	p, err := providers.New("gocrm", providers.Settings{BaseURL: "https://club.go-crm.ru", Secrets: &secrets{vals: map[string]string{}}})
	if err != nil || p.Info().Title != "Go-CRM" || p.Info().Location.String() != DefaultTimezone {
		t.Fatalf("%v %v", p, err)
	}
	var _ providers.Checker = (*Client)(nil)
	var _ providers.Authenticator = (*Client)(nil)
	var _ providers.Logouter = (*Client)(nil)
	var _ providers.OnlinePayer = (*Client)(nil)
	var _ providers.ZoneReporter = (*Client)(nil)
}

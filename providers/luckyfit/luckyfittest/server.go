// Package luckyfittest is a small LuckyFit that lives in the test process:
// an HTTP server on 127.0.0.1 that speaks LuckyFit's wire format (the Api-Key
// header, GET filters in one params variable of URL-encoded JSON, the
// {success, error, session_expired, data, total} envelope) over a club whose
// state changes with every write. The end-to-end tests run the real console
// against it; it is strict the way the document is, so a request the real
// CRM would not understand fails here too.
//
// The shapes it answers with are the ones providers/luckyfit assumes (its
// package doc lists them); where a field could come as a number or a string,
// the server mixes both, as the document's own examples do.
package luckyfittest

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/clubdesk/clubdesk/models"
)

// Moscow is the club's zone.
var Moscow, _ = time.LoadLocation("Europe/Moscow")

const stampLayout = "2006-01-02T15:04:05"

// Server is the fake LuckyFit.
type Server struct {
	*httptest.Server
	key string
	now func() time.Time

	mu       sync.Mutex
	nextID   int
	clients  []map[string]any
	plans    []map[string]any
	classes  []map[string]any
	tickets  []map[string]any // client tickets
	accounts []map[string]any // deposit accounts
	lessons  []map[string]any
	bookings []map[string]any
	txs      []map[string]any
	entries  []map[string]any
	// Requests counts what reached the server, by "METHOD /path".
	requests map[string]int
	latency  time.Duration
	// arrived counts every request that came in; abandoned, those the
	// client gave up on (cancelled) while they waited out the latency.
	arrived, abandoned int
	// arrivedOn counts arrivals by route ("GET /clients").
	arrivedOn map[string]int
	faults    map[string][]Fault
	down      bool
	// web counts the requests the web application answered.
	web int
	// sparse: client tickets are answered as the document leaves them
	// open (SetSparse).
	sparse bool
	// byClient is how GET /lesson_calendar_bookings takes client_id
	// (SetClientFilter).
	byClient ClientFilter
	// clientQueries counts the GET /lesson_calendar_bookings that carried
	// client_id (they count under their route too).
	clientQueries int
	// byLesson and clientIdx index bookings and clients (a big club's day
	// is thousands of them).
	byLesson  map[string][]map[string]any
	clientIdx map[string]map[string]any
	// holds are the routes whose answers wait for the test (Hold).
	holds map[string]chan struct{}
}

// index rebuilds byLesson and clientIdx.
func (s *Server) index() {
	s.byLesson = map[string][]map[string]any{}
	for _, b := range s.bookings {
		k := str(b["lesson_calendar_id"])
		s.byLesson[k] = append(s.byLesson[k], b)
	}
	s.clientIdx = make(map[string]map[string]any, len(s.clients))
	for _, c := range s.clients {
		s.clientIdx[str(c["id"])] = c
	}
}

// ClientFilter is how the server takes client_id on GET
// /lesson_calendar_bookings, which the document lists only with
// lesson_calendar_id: an account may filter by it as by any field, refuse
// it, or ignore it.
type ClientFilter int

const (
	// ClientFilterApplied filters the bookings by client_id, alone or with
	// lesson_calendar_id, as the document's other lists filter by a field.
	ClientFilterApplied ClientFilter = iota
	// ClientFilterRefused answers success:false, as for a parameter it
	// does not know.
	ClientFilterRefused
	// ClientFilterIgnored drops client_id: the bookings of
	// lesson_calendar_id, none when it is absent.
	ClientFilterIgnored
	// ClientFilterIgnoredAll drops client_id and every other filter with
	// it: every booking of the club.
	ClientFilterIgnoredAll
)

// SetClientFilter says how client_id on GET /lesson_calendar_bookings is
// taken (ClientFilterApplied unless set).
func (s *Server) SetClientFilter(f ClientFilter) {
	s.mu.Lock()
	s.byClient = f
	s.mu.Unlock()
}

// SetSparse makes client tickets come as sparse as the document allows,
// the way a live account may answer them: POST /client_tickets answers
// only the created ticket's id, client, plan, the start and discount sent
// and its two accounts — no end, no duration, no name, no passes — and
// GET /client_tickets gives the plan's fields and the discount but no
// end the server did not store and no debt-like field: what is owed is the
// price with the discount and the fee, less the transactions to the
// ticket's accounts.
func (s *Server) SetSparse(on bool) {
	s.mu.Lock()
	s.sparse = on
	s.mu.Unlock()
}

// owedFields are the debt-like fields a sparse ticket leaves out.
var owedFields = []string{"debt", "fee_debt", "summ_debt", "unpaid"}

// ticketOut is a client ticket as GET /client_tickets answers it.
func (s *Server) ticketOut(t map[string]any) map[string]any {
	if !s.sparse {
		return t
	}
	out := maps.Clone(t)
	for _, k := range owedFields {
		delete(out, k)
	}
	if out["discount"] == nil {
		out["discount"] = 0 // the ticket says it had none
	}
	return out
}

// SetLatency delays every answer by d, as a distant CRM would (benchmarks,
// loading states).
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	s.latency = d
	s.mu.Unlock()
}

// Hold keeps the answers on route ("GET /lesson_calendars/feed") until
// release is called: its requests arrive (ArrivedOn counts them) and wait,
// unanswered and uncounted by Requests, as a slow CRM's would. A test thus
// decides whether a read in the background is still under way or done when
// the next call is made, rather than the scheduler. A request whose client
// gives up stops waiting (Abandoned). release may be called more than
// once; Close releases every hold.
func (s *Server) Hold(route string) (release func()) {
	ch := make(chan struct{})
	s.mu.Lock()
	if s.holds == nil {
		s.holds = map[string]chan struct{}{}
	}
	if was, ok := s.holds[route]; ok {
		close(was) // one hold a route: the newer one stands
	}
	s.holds[route] = ch
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.holds[route] == ch {
			delete(s.holds, route)
			close(ch)
		}
	}
}

// Close releases every hold (Hold), then shuts the server down.
func (s *Server) Close() {
	s.mu.Lock()
	for route, ch := range s.holds {
		delete(s.holds, route)
		close(ch)
	}
	s.mu.Unlock()
	s.Server.Close()
}

// NewServer starts a LuckyFit on 127.0.0.1, serving under URL+"/api", that
// accepts apiKey, with a club
// whose day is now's day in Moscow. Close it when done.
func NewServer(apiKey string, now func() time.Time) *Server {
	if now == nil {
		now = time.Now
	}
	s := &Server{key: apiKey, now: now, nextID: 90000, requests: map[string]int{}}
	s.seed()
	s.index()
	s.Server = httptest.NewServer(http.HandlerFunc(s.faulty))
	return s
}

// Requests reports how many times a route ("POST /transactions") was called.
func (s *Server) Requests(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[route]
}

// Total is how many requests the server answered, every route together.
func (s *Server) Total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.requests {
		n += c
	}
	return n
}

// Arrived is how many requests came in, answered or not.
func (s *Server) Arrived() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.arrived
}

// ArrivedOn is how many requests for route came in, answered or not (a
// search while the console reads today's rosters in the background).
func (s *Server) ArrivedOn(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.arrivedOn[route]
}

// Abandoned is how many requests the client cancelled while the server was
// still delaying them (SetLatency): a superseded search, a screen left.
func (s *Server) Abandoned() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.abandoned
}

// ClientQueries is how many GET /lesson_calendar_bookings asked by
// client_id rather than for a lesson's roster.
func (s *Server) ClientQueries() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clientQueries
}

// Counts is every route's count so far, to tell what a task cost.
func (s *Server) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.requests)
}

func (s *Server) id() int {
	s.nextID++
	return s.nextID
}

// seed fills the club: clients whose cards show the desk's alerts, plans,
// today's timetable with bookings, a morning of entries and payments.
func (s *Server) seed() {
	today := s.now().In(Moscow)
	day := func(offset int) string { return today.AddDate(0, 0, offset).Format("2006-01-02") }
	at := func(h, m int) string {
		return time.Date(today.Year(), today.Month(), today.Day(), h, m, 0, 0, Moscow).Format(stampLayout)
	}
	s.clients = []map[string]any{
		{"id": 10001, "surname": "Зеленина", "name": "Ольга", "patronymic": "Сергеевна", "sex": 0, "birthday": "1992-01-14",
			"phone1": "79165550001", "email1": "o.zelenina@mail.ru", "tag": "0040856634", "cardnum": "", "locked": "", "message": ""},
		{"id": "10004", "surname": "Должиков", "name": "Игорь", "patronymic": "Петрович", "sex": "1", "birthday": "1984-04-11 00:00:00",
			"phone1": "+7 (916) 555-00-04", "email1": "dolzhikov.igor@mail.ru", "tag": "0021478305", "locked": "", "message": ""},
		{"id": 10005, "surname": "Блохин", "name": "Андрей", "patronymic": "Николаевич", "sex": 1, "birthday": "1980-05-02",
			"phone1": "79165550005", "email1": nil, "tag": 27719048, "cardnum": nil,
			"locked": "Карта заблокирована: утеря, выдать новую", "message": "Вернуть забытое полотенце"},
		{"id": 10011, "surname": "Пришвина", "name": "Дарья", "patronymic": "Олеговна", "sex": 0, "birthday": "1995-07-30",
			"phone1": "79165550011", "email1": "darya.p@yandex.ru", "tag": "0049052213", "locked": "", "message": ""},
		{"id": 10012, "surname": "Новосёлов", "name": "Кирилл", "patronymic": "", "sex": 1, "birthday": "",
			"phone1": "79165550012", "email1": "", "tag": "", "locked": "", "message": ""},
	}
	s.classes = []map[string]any{
		{"id": 1, "name": "Тренажёрный зал", "ticket_class_id": nil, "position": 1},
		{"id": 2, "name": "Пробные", "ticket_class_id": nil, "position": 2},
	}
	s.plans = []map[string]any{
		{"id": 1, "ticket_id": nil, "ticket_class_id": 1, "ticket_kind": 1, "name": "Безлимит на месяц", "duration": 1, "time_kind_id": 4,
			"price": "5000.00", "membership_summ": 0, "passes": 0, "start_kind": 1},
		{"id": 2, "ticket_id": nil, "ticket_class_id": 1, "ticket_kind": 1, "name": "8 посещений", "duration": "1", "time_kind_id": "4",
			"price": 4000, "membership_summ": 0, "passes": "8", "start_kind": 1},
		{"id": 4, "ticket_id": nil, "ticket_class_id": 1, "ticket_kind": 1, "name": "Годовой клубный", "duration": 1, "time_kind_id": 5,
			"price": 39000, "membership_summ": "5000", "passes": 0, "start_kind": 1},
		{"id": 5, "ticket_id": nil, "ticket_class_id": 2, "ticket_kind": 0, "name": "Пробное занятие", "duration": 1, "time_kind_id": 3,
			"price": 500, "passes": 1, "start_kind": 2},
	}
	s.tickets = []map[string]any{
		{"id": 501, "client_id": 10001, "ticket_id": 1, "ticket_kind": 1, "name": "Безлимит на месяц", "duration": 1, "time_kind_id": 4,
			"price": "5000.00", "passes": 0, "started": day(-10), "ended": day(20), "account_summ_id": 9001, "debt": "0", "ticket_state": 1},
		{"id": "502", "client_id": "10004", "ticket_id": "1", "name": "Безлимит на месяц", "duration": 1, "time_kind_id": 4,
			"price": 5000, "passes": 0, "started": day(-5), "ended": day(25), "account_summ_id": "9002", "debt": "2500.00", "ticket_state": 1},
		{"id": 503, "client_id": 10011, "ticket_id": 2, "name": "8 посещений", "duration": 1, "time_kind_id": 4,
			"price": 4000, "passes": 8, "passes_left": 3, "started": day(-12), "ended": day(18), "account_summ_id": 9003, "unpaid": 0, "ticket_state": 1},
		{"id": 400, "client_id": 10004, "ticket_id": 2, "name": "8 посещений", "duration": 1, "time_kind_id": 4,
			"price": 4000, "passes": 8, "passes_left": 0, "started": day(-70), "ended": day(-40), "account_summ_id": 8001, "ticket_state": 2},
	}
	s.accounts = []map[string]any{
		{"id": 7001, "client_id": 10001, "name": "Депозит", "balance": "1500.00"},
		{"id": 7004, "client_id": 10004, "name": "Депозит", "balance": 0},
	}
	s.lessons = []map[string]any{
		{"id": 3001, "title": "Йога", "start": at(10, 0), "end": at(10, 55), "room": "Зал 1", "trainer": "Анна Соколова", "capacity": 15},
		{"id": "3002", "name": "Табата", "start": at(19, 0), "end": at(19, 45), "hall": "Зал 2", "staff_name": "Игорь Крылов", "max_clients": "2"},
		{"id": 3003, "title": "Аквааэробика", "start": at(12, 0), "end": at(12, 45), "room": "Бассейн", "instructor": "Ольга Тихонова", "places": 18},
	}
	s.bookings = []map[string]any{
		{"id": 4001, "client_id": 10001, "lesson_calendar_id": 3001},
		{"id": "4002", "client_id": "10011", "lesson_calendar_id": "3001", "visited": 1},
		{"id": 4003, "client_id": 10004, "lesson_calendar_id": 3002},
		{"id": 4004, "client_id": 10005, "lesson_calendar_id": 3002},
	}
	s.entries = []map[string]any{
		{"id": 1, "client_id": 10011, "created_at": at(7, 40), "direction": 1},
		{"id": 2, "client_id": 10001, "created_at": at(8, 10), "direction": 1},
	}
	s.txs = []map[string]any{
		{"id": 61, "client_id": 10004, "account_dest_id": 9002, "paykind_id": 2, "finoperation_id": 2, "summ": "2500.00",
			"point_name": "Reception 1", "created_at": at(7, 12)},
	}
}

// answer writes LuckyFit's envelope.
func answer(w http.ResponseWriter, status int, data any, errText string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	total := 1
	if list, ok := data.([]map[string]any); ok {
		total = len(list)
		if list == nil {
			data = []map[string]any{}
		}
	}
	json.NewEncoder(w).Encode(map[string]any{
		"success": errText == "", "error": errText, "session_expired": false, "data": data, "total": total,
	})
}

// routeOf names a request the way Requests and Inject count it: "PUT
// /clients/{id}", and gives the id.
func routeOf(method, path string) (route, last string) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	last = parts[len(parts)-1]
	if len(parts) > 1 && isNumber(last) {
		return method + " /" + strings.Join(parts[:len(parts)-1], "/") + "/{id}", last
	}
	return method + " " + path, last
}

// Fault is a failure the server plays once on a route, instead of its
// normal answer.
type Fault struct {
	// Drop applies the request, then closes the connection without an
	// answer: the lost answer to a payment that went through.
	Drop bool
	// Status and Body answer in LuckyFit's place without applying anything:
	// a 502 from the proxy, an HTML error page, truncated JSON.
	Status int
	Body   string
	// Pass serves the request normally: it holds a place in the queue, so
	// a later request is the one that fails.
	Pass bool
}

// Inject queues faults for a route ("POST /transactions"), one per request.
func (s *Server) Inject(route string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.faults == nil {
		s.faults = map[string][]Fault{}
	}
	s.faults[route] = append(s.faults[route], faults...)
}

// SetDown cuts the club off (true) or brings it back: while down every
// connection is closed at once, nothing applied, as when the club's Wi-Fi
// or the CRM is gone.
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	s.down = down
	s.mu.Unlock()
}

// hangUp closes the connection without an answer.
func hangUp(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
		}
	}
}

// faulty plays a queued fault, or serves normally.
func (s *Server) faulty(w http.ResponseWriter, r *http.Request) {
	path, under := strings.CutPrefix(strings.TrimRight(r.URL.Path, "/"), "/api")
	route, _ := routeOf(r.Method, path)
	s.mu.Lock()
	var f *Fault
	if q := s.faults[route]; len(q) > 0 && under {
		f, s.faults[route] = &q[0], q[1:]
	}
	down := s.down
	s.mu.Unlock()
	switch {
	case down:
		hangUp(w)
	case f == nil, f.Pass:
		s.serve(w, r)
	case f.Drop:
		s.serve(httptest.NewRecorder(), r) // applied; the answer is lost
		hangUp(w)
	default:
		s.mu.Lock()
		s.requests[route]++
		s.mu.Unlock()
		w.WriteHeader(f.Status)
		io.WriteString(w, f.Body)
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	// The body is read first, as a real server does: only then does Go's
	// server notice a client that went away, and end the wait below.
	raw, _ := io.ReadAll(r.Body)
	path, _ := strings.CutPrefix(strings.TrimRight(r.URL.Path, "/"), "/api")
	route, last := routeOf(r.Method, path)
	s.mu.Lock()
	delay := s.latency
	s.arrived++
	if s.arrivedOn == nil {
		s.arrivedOn = map[string]int{}
	}
	s.arrivedOn[route]++
	held := s.holds[route]
	s.mu.Unlock()
	if held != nil {
		select {
		case <-held:
		case <-r.Context().Done():
			s.mu.Lock()
			s.abandoned++
			s.mu.Unlock()
			return
		}
	}
	if delay > 0 {
		// Outside the lock: requests in parallel wait in parallel.
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			s.mu.Lock()
			s.abandoned++
			s.mu.Unlock()
			return
		}
	}
	// The club's installation serves the API under /api; everything else
	// is LuckyFit's web application, which sends whoever is not signed in
	// to its login page (what a desk whose base lacks /api reaches).
	if p := strings.TrimRight(r.URL.Path, "/"); p != "/api" && !strings.HasPrefix(p, "/api/") {
		s.webApp(w, r)
		return
	}
	if r.Header.Get("Api-Key") != s.key {
		answer(w, http.StatusUnauthorized, nil, "Неверный API-ключ")
		return
	}
	filters := map[string]any{}
	q := r.URL.Query()
	for k := range q {
		if k != "params" {
			answer(w, http.StatusBadRequest, nil, "Неизвестный параметр "+k)
			return
		}
	}
	if p := q.Get("params"); p != "" {
		if err := json.Unmarshal([]byte(p), &filters); err != nil {
			answer(w, http.StatusBadRequest, nil, "params: неверный JSON")
			return
		}
	}
	body := map[string]any{}
	if r.Method != http.MethodGet {
		if len(raw) > 0 {
			if err := json.Unmarshal(raw, &body); err != nil {
				answer(w, http.StatusBadRequest, nil, "тело запроса: неверный JSON")
				return
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[route]++
	switch route {
	case "GET /branches":
		answer(w, 200, []map[string]any{{"id": 1, "name": "Центральный", "timezone": "Europe/Moscow", "currency": "RUB"}}, "")
	case "GET /clients":
		answer(w, 200, s.findClients(filters), "")
	case "GET /clients/id/{id}":
		if c := s.client(last); c != nil {
			answer(w, 200, c, "")
		} else {
			answer(w, 200, nil, "Клиент не найден")
		}
	case "PUT /clients/{id}":
		c := s.client(last)
		if c == nil {
			answer(w, 200, nil, "Клиент не найден")
			return
		}
		for k, v := range body {
			c[k] = v
		}
		answer(w, 200, c, "")
	case "POST /clients":
		if str(body["surname"]) == "" || str(body["name"]) == "" {
			answer(w, 200, nil, "Не заполнены фамилия и имя")
			return
		}
		c := map[string]any{"id": s.id()}
		for k, v := range body {
			c[k] = v
		}
		s.clients = append(s.clients, c)
		s.clientIdx[str(c["id"])] = c
		answer(w, 200, c, "")
	case "GET /tickets":
		answer(w, 200, s.plans, "")
	case "GET /ticket_classes":
		answer(w, 200, s.classes, "")
	case "GET /client_tickets":
		answer(w, 200, s.clientTickets(filters), "")
	case "POST /client_tickets":
		s.sell(w, body)
	case "DELETE /client_tickets/{id}":
		s.tickets = slices.DeleteFunc(s.tickets, func(t map[string]any) bool { return str(t["id"]) == last })
		answer(w, 200, nil, "")
	case "GET /client_accounts":
		answer(w, 200, where(s.accounts, "client_id", str(filters["client_id"])), "")
	case "POST /transactions":
		s.pay(w, body)
	case "GET /transactions":
		answer(w, 200, s.transactions(filters), "")
	case "GET /lesson_calendars/feed":
		answer(w, 200, s.feed(filters), "")
	case "GET /lesson_calendar_bookings":
		s.bookingsList(w, filters)
	case "POST /lesson_calendar_bookings":
		s.book(w, body)
	case "GET /access_logs":
		answer(w, 200, between(s.entries, filters), "")
	default:
		answer(w, 404, nil, "Метод не найден")
	}
}

// loginPage is the web application's sign-in page.
const loginPage = `<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>LuckyFit — вход</title></head>
<body><form method="post" action="/login"><input name="login"><input name="password" type="password"><button>Войти</button></form></body></html>
`

// webApp is LuckyFit's web application: its login page at /login, and a
// redirect there for any other page, as for someone not signed in. It
// knows nothing of Api-Key.
func (s *Server) webApp(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.web++
	s.mu.Unlock()
	if strings.TrimRight(r.URL.Path, "/") == "/login" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, loginPage)
		return
	}
	http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.Path), http.StatusFound)
}

// WebRequests is how many requests reached the web application rather
// than the API (a base URL without /api).
func (s *Server) WebRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.web
}

func (s *Server) client(id string) map[string]any {
	return s.clientIdx[id]
}

// findClients applies the filters the document lists: match# is a
// case-insensitive substring, phone# matches digits anywhere in the number.
func (s *Server) findClients(f map[string]any) []map[string]any {
	var out []map[string]any
	for _, c := range s.clients {
		ok := true
		for k, v := range f {
			want := str(v)
			switch {
			case strings.HasPrefix(k, "match#"):
				ok = ok && strings.Contains(strings.ToLower(str(c[k[6:]])), strings.ToLower(want))
			case strings.HasPrefix(k, "phone#"):
				ok = ok && strings.Contains(models.Digits(str(c[k[6:]])), models.Digits(want))
			default:
				ok = ok && str(c[k]) == want
			}
		}
		if ok {
			out = append(out, c)
		}
	}
	return out
}

// clientTickets answers by ticket_state: 4 is "active or not started", 2
// finished, as the document numbers them.
func (s *Server) clientTickets(f map[string]any) []map[string]any {
	var out []map[string]any
	state := str(f["ticket_state"])
	for _, t := range where(s.tickets, "client_id", str(f["client_id"])) {
		finished := str(t["ticket_state"]) == "2"
		if state == "" || (state == "2") == finished {
			out = append(out, s.ticketOut(t))
		}
	}
	return out
}

func (s *Server) plan(id string) map[string]any {
	for _, p := range s.plans {
		if str(p["id"]) == id {
			return p
		}
	}
	return nil
}

// sell creates a client ticket with its payment accounts; the debt is the
// price less the discount, paid off by transactions to account_summ_id.
func (s *Server) sell(w http.ResponseWriter, b map[string]any) {
	p := s.plan(str(b["ticket_id"]))
	if p == nil || s.client(str(b["client_id"])) == nil {
		answer(w, 200, nil, "Абонемент или клиент не найден")
		return
	}
	if num(b["discount"]) > 0 && str(b["discount_comment"]) == "" {
		answer(w, 200, nil, "Укажите причину скидки")
		return
	}
	price := num(p["price"])
	switch str(b["discount_kind"]) {
	case "0":
		price -= price * num(b["discount"]) / 100
	case "1":
		price -= num(b["discount"])
	}
	t := map[string]any{}
	for k, v := range p {
		t[k] = v
	}
	fee := num(p["membership_summ"])
	t["id"], t["ticket_id"], t["client_id"] = s.id(), p["id"], b["client_id"]
	t["started"], t["account_summ_id"], t["debt"], t["ticket_state"] = b["started"], s.id(), money(price), 1
	t["passes_left"] = p["passes"]
	if fee > 0 {
		t["account_membership_id"] = s.id()
		t["fee_debt"] = money(fee)
	}
	if b["discount"] != nil {
		t["discount"], t["discount_kind"], t["discount_comment"] = b["discount"], b["discount_kind"], b["discount_comment"]
	}
	s.tickets = append(s.tickets, t)
	if s.sparse {
		out := map[string]any{}
		for _, k := range []string{"id", "client_id", "ticket_id", "started", "discount", "discount_kind", "account_summ_id", "account_membership_id"} {
			if v, ok := t[k]; ok && v != nil {
				out[k] = v
			}
		}
		answer(w, 200, out, "")
		return
	}
	answer(w, 200, t, "")
}

// pay records a transaction: to a ticket's account it pays off the debt
// (or the fee), to a deposit it adds to the balance; paykind 1 takes from
// the client's deposit.
func (s *Server) pay(w http.ResponseWriter, b map[string]any) {
	sum, dest := num(b["summ"]), str(b["account_dest_id"])
	if sum <= 0 {
		answer(w, 200, nil, "Сумма должна быть больше нуля")
		return
	}
	if str(b["paykind_id"]) == "1" {
		acc := first(where(s.accounts, "client_id", str(b["client_id"])))
		if acc == nil || num(acc["balance"]) < sum {
			answer(w, 200, nil, "Недостаточно средств на счёте клиента")
			return
		}
		acc["balance"] = money(num(acc["balance"]) - sum)
	}
	switch str(b["finoperation_id"]) {
	case "1":
		acc := first(where(s.accounts, "id", dest))
		if acc == nil {
			acc = map[string]any{"id": dest, "client_id": b["client_id"], "balance": 0}
			s.accounts = append(s.accounts, acc)
		}
		acc["balance"] = money(num(acc["balance"]) + sum)
	case "2":
		t := first(where(s.tickets, "account_summ_id", dest))
		if t == nil {
			answer(w, 200, nil, "Счёт абонемента не найден")
			return
		}
		t["debt"] = money(max(0, num(t["debt"])-sum))
	case "3":
		t := first(where(s.tickets, "account_membership_id", dest))
		if t == nil {
			answer(w, 200, nil, "Счёт членского взноса не найден")
			return
		}
		t["fee_debt"] = money(max(0, num(t["fee_debt"])-sum))
	default:
		answer(w, 200, nil, "Неизвестная операция")
		return
	}
	tx := map[string]any{"created_at": s.now().In(Moscow).Format(stampLayout), "signed": true}
	for k, v := range b {
		tx[k] = v
	}
	tx["id"] = s.id()
	s.txs = append(s.txs, tx)
	answer(w, 200, tx, "")
}

func (s *Server) transactions(f map[string]any) []map[string]any {
	var out []map[string]any
	for _, t := range between(s.txs, f) {
		if matches(t, f) {
			out = append(out, t)
		}
	}
	return out
}

// matches applies a filter's plain fields (point_name, finoperation_id,
// client_id, account_dest_id...) as equality, the way the document's
// filters name a field; the lo#/hi# ranges are between's.
func matches(row, f map[string]any) bool {
	for k, v := range f {
		if strings.Contains(k, "#") {
			continue
		}
		if str(row[k]) != str(v) {
			return false
		}
	}
	return true
}

// feed answers the events starting in [start, end], with how many are
// booked.
func (s *Server) feed(f map[string]any) []map[string]any {
	from, to := str(f["start"]), str(f["end"])
	var out []map[string]any
	for _, l := range s.lessons {
		st := str(l["start"])
		if (from == "" || st >= from) && (to == "" || st <= to) {
			e := map[string]any{}
			for k, v := range l {
				e[k] = v
			}
			e["booked"] = len(s.byLesson[str(l["id"])])
			out = append(out, e)
		}
	}
	return out
}

// bookingsList answers GET /lesson_calendar_bookings: a lesson's roster,
// or a client's bookings as SetClientFilter says.
func (s *Server) bookingsList(w http.ResponseWriter, f map[string]any) {
	lessonID, hasLesson := f["lesson_calendar_id"]
	clientID, hasClient := f["client_id"]
	if hasClient {
		s.clientQueries++
	}
	switch {
	case !hasClient:
		answer(w, 200, s.withClients(s.byLesson[str(lessonID)]), "")
	case s.byClient == ClientFilterRefused:
		answer(w, 200, nil, "Не указано занятие (lesson_calendar_id)")
	case s.byClient == ClientFilterIgnored:
		answer(w, 200, s.withClients(s.byLesson[str(lessonID)]), "")
	case s.byClient == ClientFilterIgnoredAll:
		answer(w, 200, s.withClients(s.bookings), "")
	case hasLesson:
		answer(w, 200, s.withClients(where(s.byLesson[str(lessonID)], "client_id", str(clientID))), "")
	default:
		answer(w, 200, s.withClients(where(s.bookings, "client_id", str(clientID))), "")
	}
}

// withClients is bookings with each client's name and phone, as a roster
// answers them.
func (s *Server) withClients(bookings []map[string]any) []map[string]any {
	var out []map[string]any
	for _, b := range bookings {
		e := map[string]any{}
		for k, v := range b {
			e[k] = v
		}
		if c := s.client(str(b["client_id"])); c != nil {
			e["client_surname"], e["client_name"], e["client_phone"] = c["surname"], c["name"], c["phone1"]
		}
		out = append(out, e)
	}
	return out
}

// book refuses full lessons and double bookings in LuckyFit's words.
func (s *Server) book(w http.ResponseWriter, b map[string]any) {
	lessonID, clientID := str(b["lesson_calendar_id"]), str(b["client_id"])
	l := first(where(s.lessons, "id", lessonID))
	if l == nil || s.client(clientID) == nil {
		answer(w, 200, nil, "Занятие или клиент не найден")
		return
	}
	booked := s.byLesson[lessonID]
	if slices.ContainsFunc(booked, func(x map[string]any) bool { return str(x["client_id"]) == clientID }) {
		answer(w, 200, nil, "Клиент уже записан на это занятие")
		return
	}
	capacity := num(first2(l, "capacity", "max_clients", "places"))
	if capacity > 0 && int64(len(booked)) >= capacity {
		answer(w, 200, nil, "Нет свободных мест")
		return
	}
	nb := map[string]any{"id": s.id(), "client_id": b["client_id"], "lesson_calendar_id": b["lesson_calendar_id"]}
	s.bookings = append(s.bookings, nb)
	s.byLesson[lessonID] = append(s.byLesson[lessonID], nb)
	answer(w, 200, nb, "")
}

// between filters by lo#created_at / hi#created_at, the document's range
// filter on a date-time.
func between(rows []map[string]any, f map[string]any) []map[string]any {
	lo, hi := str(f["lo#created_at"]), str(f["hi#created_at"])
	var out []map[string]any
	for _, r := range rows {
		at := str(r["created_at"])
		if (lo == "" || at >= lo) && (hi == "" || at <= hi) {
			out = append(out, r)
		}
	}
	return out
}

func where(rows []map[string]any, key, value string) []map[string]any {
	var out []map[string]any
	for _, r := range rows {
		if str(r[key]) == value {
			out = append(out, r)
		}
	}
	return out
}

func first(rows []map[string]any) map[string]any {
	if len(rows) == 0 {
		return nil
	}
	return rows[0]
}

func first2(m map[string]any, keys ...string) any {
	for _, k := range keys {
		if v, ok := m[k]; ok && v != nil {
			return v
		}
	}
	return nil
}

// str reads a JSON value as the text it stands for: 10001 and "10001" are
// the same id.
func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case json.Number:
		return x.String()
	default:
		return fmt.Sprint(x)
	}
}

// num reads an amount or count in whole units (the fake club deals in whole
// rubles; kopecks are truncated, which the tests do not use).
func num(v any) int64 {
	f, _ := strconv.ParseFloat(str(v), 64)
	return int64(f)
}

func money(rub int64) string { return strconv.FormatInt(rub, 10) + ".00" }

func isNumber(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// BigClient is a client AddDay made: the card that finds them, and the
// lessons they are booked into, by start.
type BigClient struct {
	ID, Tag string
	Lessons []string
}

// BookedLast is the client booked into the day's last lesson among made.
func BookedLast(made []BigClient) BigClient {
	var last string
	for _, c := range made {
		if n := len(c.Lessons); n > 0 && (last == "" || later(c.Lessons[n-1], last)) {
			last = c.Lessons[n-1]
		}
	}
	for _, c := range made {
		if slices.Contains(c.Lessons, last) {
			return c
		}
	}
	return BigClient{}
}

// later compares AddDay's lesson ids, which grow with the start.
func later(a, b string) bool {
	x, _ := strconv.Atoi(a)
	y, _ := strconv.Atoi(b)
	return x > y
}

// AddDay makes today a big club's day: lessons more group lessons from
// 07:00 to 22:00, perLesson clients booked into each, every client in one
// or two of them (a client a third of the lessons share). The clients made
// are returned, in the order of their first lesson; each has a card.
func (s *Server) AddDay(lessons, perLesson int) []BigClient {
	s.mu.Lock()
	defer s.mu.Unlock()
	today := s.now().In(Moscow)
	open := time.Date(today.Year(), today.Month(), today.Day(), 7, 0, 0, 0, Moscow)
	span := 15 * time.Hour
	n := max(lessons*perLesson*2/3, perLesson)
	made := make([]BigClient, n)
	for k := range made {
		id := s.id()
		tag := fmt.Sprintf("77%08d", id)
		s.clients = append(s.clients, map[string]any{
			"id": id, "surname": fmt.Sprintf("Клиентова-%d", k), "name": "Анна", "sex": 0,
			"phone1": fmt.Sprintf("7900%07d", id), "tag": tag, "locked": "", "message": "",
		})
		made[k] = BigClient{ID: strconv.Itoa(id), Tag: tag}
	}
	next := 0
	for i := range lessons {
		lid := s.id()
		start := open.Add(span * time.Duration(i) / time.Duration(lessons))
		s.lessons = append(s.lessons, map[string]any{
			"id": lid, "title": fmt.Sprintf("Группа %d", i+1), "start": start.Format(stampLayout),
			"end": start.Add(55 * time.Minute).Format(stampLayout), "room": fmt.Sprintf("Зал %d", i%6+1),
			"trainer": "Тренер", "capacity": perLesson + 5,
		})
		for range perLesson {
			c := &made[next%n]
			next++
			c.Lessons = append(c.Lessons, strconv.Itoa(lid))
			s.bookings = append(s.bookings, map[string]any{"id": s.id(), "client_id": c.ID, "lesson_calendar_id": lid})
		}
	}
	s.index()
	return made
}

// SetCapacity changes how many places a lesson has (clubdesk serve's
// end-to-end test leaves one place for two desks to want).
func (s *Server) SetCapacity(lessonID string, places int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := first(where(s.lessons, "id", lessonID))
	for _, k := range []string{"capacity", "max_clients", "places"} {
		if _, ok := l[k]; ok {
			l[k] = places
		}
	}
}

// FinishTicket moves a client ticket to ticket_state 2, as LuckyFit does
// when one ends (its days or its visits used up), changing nothing else.
func (s *Server) FinishTicket(ticketID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := first(where(s.tickets, "id", ticketID)); t != nil {
		t["ticket_state"] = 2
	}
}

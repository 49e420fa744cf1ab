// Package gocrmtest is a Go-CRM that runs inside a test process: both of
// its APIs — the client API under /api and the public API under /api/v3 —
// on 127.0.0.1, as strict about credentials as the real one should be, with
// data shaped like the documents' examples: a center in Asia/Yekaterinburg
// with its instructors, a few parents whose children are the clients,
// season tickets, debts, and today's lessons laid out from the clock in the
// center's zone. It keeps state: bookings, leads and payments made through
// it stay for its lifetime, so an end-to-end test can drive the console
// against it and then check what reached "the CRM".
//
// It also plays the parts the documents leave open the way package gocrm
// assumes them (see its package doc): Authorization: Bearer, GET
// parameters in the query, clientId on client-hours, the payment types
// "debt" and "seasonTicket".
package gocrmtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Credentials and data the fake knows.
const (
	AppToken     = "gocrmtest-app-token"
	AccessToken  = "gocrmtest-access-token"
	RefreshToken = "gocrmtest-refresh-token"
	// StaffPhone signs in; SMSCode is the code "sent" to it.
	StaffPhone = "79510000000"
	SMSCode    = "0001"
	CenterID   = "1"
	Timezone   = "Asia/Yekaterinburg"
)

// Payment is a payment page Go-CRM created.
type Payment struct {
	ID       int
	Type     string
	ObjectID string
	ClientID string
	URL      string
}

type client struct {
	id               any // a number or a string, as Go-CRM mixes them
	fio, name, phone string
	birthday         string
}

type hour struct {
	id              int
	at              time.Time
	duration        int
	kind            int // typesExercise: 1 group, 2 individual
	comment         string
	instructors     []int
	version         int
	capacity        int
	checkIndividual bool
}

type booking struct {
	id               int
	clientID, hourID string
	individual       bool
	visited, missed  bool
}

type ticket struct {
	id, clientID, planID, balance int
	created, validUntil           time.Time
	block                         string
}

type debt struct {
	clientID, centerID, money int
	address                   string
}

// Server is the fake Go-CRM.
type Server struct {
	*httptest.Server
	now func() time.Time
	loc *time.Location

	mu        sync.Mutex
	clients   []client
	hours     []hour
	bookings  []booking
	tickets   []ticket
	debts     []debt
	leads     []map[string]any
	payments  []Payment
	bankDown  bool
	usersDown bool
	requests  []string
	nextBook  int
	nextLead  int
	loggedOut bool
	// drops counts, per "METHOD /path", the next requests to apply and then
	// hang up on without an answer.
	drops map[string]int
}

// New starts the fake on 127.0.0.1. now is its clock (nil: time.Now):
// today's lessons are laid out on the center's day of it.
func New(now func() time.Time) *Server {
	if now == nil {
		now = time.Now
	}
	loc, err := time.LoadLocation(Timezone)
	if err != nil {
		loc = time.FixedZone("+05", 5*3600)
	}
	s := &Server{now: now, loc: loc, nextBook: 600, nextLead: 12345}
	s.seed()
	s.Server = httptest.NewServer(http.HandlerFunc(s.dropOrServe))
	return s
}

// DropAnswers makes the next n requests of route ("POST /api/client-hours/")
// go through and then lose their answer: the connection is closed instead.
func (s *Server) DropAnswers(route string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.drops == nil {
		s.drops = map[string]int{}
	}
	s.drops[route] += n
}

func (s *Server) dropOrServe(w http.ResponseWriter, r *http.Request) {
	route := r.Method + " " + r.URL.Path
	s.mu.Lock()
	drop := s.drops[route] > 0
	if drop {
		s.drops[route]--
	}
	s.mu.Unlock()
	if !drop {
		s.serve(w, r)
		return
	}
	s.serve(httptest.NewRecorder(), r) // applied; the answer is lost
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
		}
	}
}

func (s *Server) seed() {
	n := s.now().In(s.loc)
	day := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, s.loc)
	at := func(days, h, m int) time.Time {
		return day.AddDate(0, 0, days).Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	s.clients = []client{
		{1, "Иванов Иван Иванович", "Ваня", "79876543210", "2018-01-08"},
		{"2", "Сидоров Иван Иванович", "Алена", "79876543211", "2017-05-20"},
		{1001, "Смирнова Ольга Петровна", "Маша", "79120001122", "2016-03-14"},
		{"1002", "Смирнова Ольга Петровна", "Петя", "79120001122", "2019-09-02"},
		{1003, "Кузнецов Алексей Викторович", "Дима", "79223334455", "2015-11-30"},
		{"1004", "Орлова Дарья Сергеевна", "Соня", "79001112233", "2018-07-12"},
	}
	s.hours = []hour{
		{id: 90, at: at(-1, 17, 0), duration: 60, kind: 1, instructors: []int{11}, version: 3, capacity: 8},
		{id: 91, at: at(-3, 17, 0), duration: 60, kind: 1, instructors: []int{11}, version: 2, capacity: 8},
		{id: 101, at: at(0, 9, 0), duration: 60, kind: 1, instructors: []int{11, 12}, version: 1, capacity: 8},
		{id: 102, at: at(0, 11, 0), duration: 45, kind: 2, instructors: []int{13}, version: 1, capacity: 1, checkIndividual: true},
		{id: 103, at: at(0, 17, 0), duration: 60, kind: 1, instructors: []int{11}, version: 4, capacity: 8},
		{id: 104, at: at(0, 18, 30), duration: 60, kind: 1, comment: "Старшая группа", instructors: []int{12}, version: 1, capacity: 3},
	}
	s.bookings = []booking{
		{id: 501, clientID: "1001", hourID: "90", visited: true},
		{id: 502, clientID: "1001", hourID: "91", missed: true},
		{id: 503, clientID: "1001", hourID: "103"},
		{id: 504, clientID: "1", hourID: "101"},
		{id: 505, clientID: "2", hourID: "103"},
		{id: 506, clientID: "1004", hourID: "90", visited: true},
		{id: 507, clientID: "1002", hourID: "104"},
		{id: 508, clientID: "1003", hourID: "104"},
	}
	s.tickets = []ticket{
		{id: 7001, clientID: 1001, planID: 2, balance: 5, created: at(-10, 13, 23), validUntil: at(20, 0, 0), block: "Активный"},
		{id: 7002, clientID: 1002, planID: 1, balance: 1, created: at(-5, 10, 0), validUntil: at(25, 0, 0), block: "Активный"},
		{id: 7003, clientID: 1004, planID: 2, balance: 2, created: at(-40, 12, 0), validUntil: at(-1, 0, 0), block: "Активный"},
		{id: 7004, clientID: 1, planID: 3, balance: 0, created: at(-15, 9, 0), validUntil: at(15, 0, 0), block: "Активный"},
	}
	s.debts = []debt{
		{clientID: 1001, centerID: 1, money: 1500, address: "ул.Ленина, д.14"},
		{clientID: 1001, centerID: 2, money: 500, address: "ул.Победы, д.24"},
	}
}

// SetUsersDown makes the public API's GET /users fail with HTTP 500, as it
// does on a live center (issue 13).
func (s *Server) SetUsersDown(down bool) {
	s.mu.Lock()
	s.usersDown = down
	s.mu.Unlock()
}

// SetBankDown makes PUT /payments/ answer as when the bank is unreachable.
func (s *Server) SetBankDown(down bool) {
	s.mu.Lock()
	s.bankDown = down
	s.mu.Unlock()
}

// Leads are the leads POST /leads accepted.
func (s *Server) Leads() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]map[string]any(nil), s.leads...)
}

// Payments are the payment pages created.
func (s *Server) Payments() []Payment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Payment(nil), s.payments...)
}

// Booked lists the ids of the clients booked into an hour.
func (s *Server) Booked(hourID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, b := range s.bookings {
		if b.hourID == hourID {
			out = append(out, b.clientID)
		}
	}
	return out
}

// Sent is how many requests of route ("PUT /api/payments/") came.
func (s *Server) Sent(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r == route {
			n++
		}
	}
	return n
}

// Requests lists "METHOD /path" of every request, in order.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// HourAt is the id of today's lesson starting at hh:mm in the center's zone.
func (s *Server) HourAt(hh, mm int) string {
	n := s.now().In(s.loc)
	for _, h := range s.hours {
		if h.at.Year() == n.Year() && h.at.YearDay() == n.YearDay() && h.at.Hour() == hh && h.at.Minute() == mm {
			return strconv.Itoa(h.id)
		}
	}
	return ""
}

// reply writes a JSON answer.
func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// refuse is the client API's error: 422 {message, errors}.
func refuse(w http.ResponseWriter, status int, message string, errs map[string]string) {
	if errs == nil {
		reply(w, status, map[string]any{"message": message, "errors": []any{}})
		return
	}
	reply(w, status, map[string]any{"message": message, "errors": errs})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	s.mu.Lock()
	s.requests = append(s.requests, r.Method+" "+r.URL.Path)
	s.mu.Unlock()
	var in map[string]any
	if r.Method == http.MethodGet {
		if len(strings.TrimSpace(string(body))) > 0 {
			refuse(w, http.StatusBadRequest, "GET с телом запроса не принимается", nil)
			return
		}
	} else if len(body) > 0 {
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			refuse(w, http.StatusUnsupportedMediaType, "нужен application/json", nil)
			return
		}
		if err := json.Unmarshal(body, &in); err != nil {
			refuse(w, http.StatusBadRequest, "тело запроса не JSON-объект", nil)
			return
		}
	}
	switch {
	case strings.HasPrefix(r.URL.Path, "/api/v3/"):
		if r.Header.Get("APP_TOKEN") != "" || r.Header.Get("Authorization") != "" {
			reply(w, http.StatusBadRequest, map[string]any{"status": "error", "message": "публичному API не нужны токены", "data": nil})
			return
		}
		s.public(w, r, strings.TrimPrefix(r.URL.Path, "/api/v3"), in)
	case strings.HasPrefix(r.URL.Path, "/api/"):
		path := strings.TrimPrefix(r.URL.Path, "/api")
		if r.Header.Get("APP_TOKEN") != AppToken {
			reply(w, http.StatusUnauthorized, map[string]any{"message": "Неверный токен приложения"})
			return
		}
		if path != "/auth/login" && path != "/auth/registration" {
			s.mu.Lock()
			out := s.loggedOut
			s.mu.Unlock()
			if out || r.Header.Get("Authorization") != "Bearer "+AccessToken {
				reply(w, http.StatusUnauthorized, map[string]any{"message": "Unauthenticated."})
				return
			}
		}
		w.Header().Set("Date", time.Now().UTC().Format(http.TimeFormat))
		s.clientAPI(w, r, path, in)
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) clientAPI(w http.ResponseWriter, r *http.Request, path string, in map[string]any) {
	q := r.URL.Query()
	route := r.Method + " " + path
	switch {
	case route == "POST /auth/login":
		s.login(w, in)
	case route == "POST /auth/logout":
		s.mu.Lock()
		s.loggedOut = true
		s.mu.Unlock()
		reply(w, 200, map[string]any{"status": "success", "data": nil})
	case route == "GET /profile":
		reply(w, 200, map[string]any{"type": "admin", "id": 1, "centerId": 1, "name": "Администратор ресепшена", "phone": StaffPhone,
			"mail": "desk@example.invalid", "birthday": "1990-01-01"})
	case route == "GET /clients":
		s.mu.Lock()
		list := make([]any, len(s.clients))
		for i, c := range s.clients {
			list[i] = c.wire()
		}
		s.mu.Unlock()
		reply(w, 200, map[string]any{"data": list})
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/clients/"):
		c, ok := s.client(strings.TrimPrefix(path, "/clients/"))
		if !ok {
			refuse(w, http.StatusNotFound, "Клиент не найден", nil)
			return
		}
		reply(w, 200, c.wire())
	case route == "GET /hours":
		s.hoursList(w, q)
	case route == "GET /client-hours":
		s.clientHours(w, q)
	case route == "POST /client-hours/":
		s.book(w, in)
	case route == "GET /season-tickets":
		reply(w, 200, map[string]any{"data": plans()})
	case route == "GET /client-season-tickets":
		s.clientTickets(w, q)
	case route == "GET /debts":
		s.clientDebts(w, q)
	case route == "GET /payments":
		reply(w, 200, map[string]any{})
	case route == "PUT /payments/":
		s.pay(w, in)
	default:
		refuse(w, http.StatusNotFound, "Метод не найден: "+route, nil)
	}
}

func (s *Server) login(w http.ResponseWriter, in map[string]any) {
	if str(in["person"]) == "" {
		refuse(w, 422, "Error", map[string]string{"person": "Не указана роль"})
		return
	}
	if str(in["login"]) != StaffPhone {
		refuse(w, 422, "Error", map[string]string{"login": "Пользователь с таким телефоном не найден"})
		return
	}
	code, has := in["password"]
	switch {
	case !has || code == nil || str(code) == "":
		reply(w, 200, map[string]any{"status": "success", "data": nil})
	case str(code) == SMSCode:
		s.mu.Lock()
		s.loggedOut = false
		s.mu.Unlock()
		reply(w, 200, map[string]any{"status": "success", "data": map[string]any{"accessToken": AccessToken, "refreshToken": RefreshToken}})
	default:
		refuse(w, 422, "Error", map[string]string{"password": "Неверный код из SMS"})
	}
}

func (c client) wire() map[string]any {
	return map[string]any{"id": c.id, "fio": c.fio, "name": c.name, "phone": c.phone, "birthday": c.birthday}
}

func (s *Server) client(id string) (client, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.clients {
		if fmt.Sprint(c.id) == id {
			return c, true
		}
	}
	return client{}, false
}

const stampLayout = "2006-01-02 15:04:05"

func (s *Server) stamp(t time.Time) string { return t.In(s.loc).Format(stampLayout) }

func (s *Server) parse(v string) (time.Time, bool) {
	t, err := time.ParseInLocation(stampLayout, v, s.loc)
	return t, err == nil
}

// hourWire is an hour as GET /hours writes it; cnt is how many are booked.
func (s *Server) hourWire(h hour) map[string]any {
	cnt := 0
	for _, b := range s.bookings {
		if b.hourID == strconv.Itoa(h.id) {
			cnt++
		}
	}
	return map[string]any{
		"id": h.id, "datetime": s.stamp(h.at), "center": 1, "comment": h.comment, "schedule": 1,
		"instructors": h.instructors, "duration": h.duration, "typesExercise": h.kind, "service": 1,
		"version": h.version, "cnt": cnt, "isSigned": false, "checkIndividual": h.checkIndividual,
	}
}

func (s *Server) hoursList(w http.ResponseWriter, q map[string][]string) {
	center, start, end := first(q["center"]), first(q["dateStart"]), first(q["dateEnd"])
	from, ok1 := s.parse(start)
	to, ok2 := s.parse(end)
	if center != CenterID || !ok1 || !ok2 {
		refuse(w, 422, "Error", map[string]string{"dateStart": "Нужны center, dateStart и dateEnd (ГГГГ-ММ-ДД чч:мм:сс)"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []any
	for _, h := range s.hours {
		if !h.at.Before(from) && !h.at.After(to) {
			out = append(out, s.hourWire(h))
		}
	}
	if out == nil {
		out = []any{}
	}
	reply(w, 200, map[string]any{"data": out})
}

func (s *Server) hourByID(id string) (int, bool) {
	for i, h := range s.hours {
		if strconv.Itoa(h.id) == id {
			return i, true
		}
	}
	return 0, false
}

func (s *Server) clientHourWire(b booking) map[string]any {
	i, _ := s.hourByID(b.hourID)
	visited, missed := "", ""
	if b.visited {
		visited = "visited"
	}
	if b.missed {
		missed = "missed"
	}
	// clientId is what package gocrm expects on a center-wide read.
	var cid any = b.clientID
	if n, err := strconv.Atoi(b.clientID); err == nil && n%2 == 1 {
		cid = n
	}
	return map[string]any{"id": b.id, "clientId": cid, "individual": b.individual, "trial": false,
		"visited": visited, "missed": missed, "hour": []any{s.hourWire(s.hours[i])}}
}

func (s *Server) clientHours(w http.ResponseWriter, q map[string][]string) {
	from, ok := s.parse(first(q["dateStart"]))
	if first(q["centerId"]) != CenterID || !ok {
		refuse(w, 422, "Error", map[string]string{"dateStart": "Нужны centerId и dateStart"})
		return
	}
	clientID, visited, missed := first(q["clientId"]), first(q["visited"]), first(q["missed"])
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, b := range s.bookings {
		i, _ := s.hourByID(b.hourID)
		if s.hours[i].at.Before(from) || clientID != "" && b.clientID != clientID {
			continue
		}
		if visited == "1" && missed == "0" && !b.visited || missed == "1" && visited == "0" && !b.missed {
			continue
		}
		out = append(out, s.clientHourWire(b))
	}
	reply(w, 200, map[string]any{"data": out})
}

func (s *Server) book(w http.ResponseWriter, in map[string]any) {
	hourID, clientID := str(in["hourId"]), str(in["clientId"])
	if _, ok := s.client(clientID); !ok {
		refuse(w, 422, "Error", map[string]string{"clientId": "Клиент не найден"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.hourByID(hourID)
	if !ok {
		refuse(w, 422, "Error", map[string]string{"hourId": "Занятие не найдено"})
		return
	}
	h := &s.hours[i]
	if str(in["version"]) != strconv.Itoa(h.version) {
		refuse(w, 422, "Error", map[string]string{"version": "Расписание изменилось: обновите его"})
		return
	}
	n := 0
	for _, b := range s.bookings {
		if b.hourID == hourID {
			n++
			if b.clientID == clientID {
				refuse(w, 422, "Клиент уже записан на это занятие", nil)
				return
			}
		}
	}
	if n >= h.capacity {
		refuse(w, 422, "Нет свободных мест", nil)
		return
	}
	s.nextBook++
	b := booking{id: s.nextBook, clientID: clientID, hourID: hourID, individual: str(in["individual"]) == "1"}
	s.bookings = append(s.bookings, b)
	h.version++
	reply(w, 200, s.clientHourWire(b))
}

// plans are the season tickets for sale: the documents' two and a month.
func plans() []any {
	return []any{
		map[string]any{"id": 1, "name": "Плавание инд. 4 занятия", "common": true, "numberExercise": 4, "price": 2000, "currency": "руб.",
			"pointsPrice": 0, "description": "", "validity": 1, "periodTypeId": 2, "periodType": "Месяцев", "exerciseTypeId": 2,
			"exerciseType": "Индивидуальное", "startedTypeId": 1, "startedType": "С момента покупки", "center": 1},
		map[string]any{"id": 2, "name": "Плавание груп. 8 занятия", "common": true, "numberExercise": 8, "price": 3000, "currency": "руб.",
			"pointsPrice": 0, "description": "", "validity": 30, "periodTypeId": 1, "periodType": "Дней", "exerciseTypeId": 1,
			"exerciseType": "Групповое", "startedTypeId": 1, "startedType": "С момента покупки", "center": 1},
		map[string]any{"id": "3", "name": "Плавание груп. безлимит на месяц", "common": false, "numberExercise": 0, "price": "5000", "currency": "руб.",
			"pointsPrice": 0, "description": "", "validity": 1, "periodTypeId": 2, "periodType": "Месяцев", "exerciseTypeId": 1,
			"exerciseType": "Групповое", "startedTypeId": 1, "startedType": "С момента покупки", "center": "1"},
	}
}

func planByID(id string) (map[string]any, bool) {
	for _, p := range plans() {
		m := p.(map[string]any)
		if fmt.Sprint(m["id"]) == id {
			return m, true
		}
	}
	return nil, false
}

func (s *Server) clientTickets(w http.ResponseWriter, q map[string][]string) {
	clientID := first(q["clientId"])
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, t := range s.tickets {
		if clientID != "" && strconv.Itoa(t.clientID) != clientID {
			continue
		}
		p, _ := planByID(strconv.Itoa(t.planID))
		out = append(out, map[string]any{
			"id": t.id, "clientId": t.clientID, "seasonTicketId": t.planID, "seasonTicketName": p["name"],
			"exerciseTypeId": p["exerciseTypeId"], "exerciseTypeName": p["exerciseType"], "price": p["price"],
			"numberExercise": p["numberExercise"], "startedTypeId": 1, "startedTypeName": "С момента покупки",
			"periodTypeId": p["periodTypeId"], "periodTypeName": p["periodType"], "blockTypeId": 1, "blockTypeName": t.block,
			"createdAt": s.stamp(t.created), "balance": t.balance, "validity": p["validity"],
			"validityDate": t.validUntil.In(s.loc).Format("2006-01-02"), "validityDays": int(t.validUntil.Sub(s.now()).Hours() / 24),
		})
	}
	reply(w, 200, map[string]any{"data": out})
}

func (s *Server) clientDebts(w http.ResponseWriter, q map[string][]string) {
	clientID := first(q["clientId"])
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, d := range s.debts {
		if strconv.Itoa(d.clientID) == clientID && d.money > 0 {
			out = append(out, map[string]any{"centerId": d.centerID, "city": 1, "address": d.address, "money": d.money, "currency": "руб."})
		}
	}
	reply(w, 200, map[string]any{"data": out})
}

func (s *Server) pay(w http.ResponseWriter, in map[string]any) {
	typ, objectID, clientID := str(in["type"]), str(in["id"]), str(in["clientId"])
	s.mu.Lock()
	defer s.mu.Unlock()
	switch typ {
	case "debt":
		owed := false
		for _, d := range s.debts {
			owed = owed || strconv.Itoa(d.clientID) == clientID && strconv.Itoa(d.centerID) == objectID && d.money > 0
		}
		if !owed {
			refuse(w, 422, "Error", map[string]string{"id": "У клиента нет долга в этом центре"})
			return
		}
	case "seasonTicket":
		if _, ok := planByID(objectID); !ok {
			refuse(w, 422, "Error", map[string]string{"id": "Абонемент не найден"})
			return
		}
	default:
		refuse(w, 422, "Error", map[string]string{"type": "Неизвестный тип платежа"})
		return
	}
	if s.bankDown {
		reply(w, 200, map[string]any{"errorCode": "304", "error": "Нет связи с банком", "paymentUrl": "", "paymentId": 0, "status": "Error"})
		return
	}
	p := Payment{ID: len(s.payments) + 1, Type: typ, ObjectID: objectID, ClientID: clientID}
	p.URL = fmt.Sprintf("https://yoomoney.ru/api-pages/v2/payment-confirm/cash?orderId=22c5d3e2-000f-5000-8000-%012x", p.ID)
	s.payments = append(s.payments, p)
	reply(w, 200, map[string]any{"errorCode": "", "error": "", "paymentUrl": p.URL, "paymentId": p.ID, "status": "Success"})
}

// public is the public API: {status, message, validation_errors, data}.
func (s *Server) public(w http.ResponseWriter, r *http.Request, path string, in map[string]any) {
	ok := func(data any) {
		reply(w, 200, map[string]any{"status": "success", "message": "", "validation_errors": map[string]any{}, "data": data})
	}
	centers := []map[string]any{
		{"id": "1", "city": "Екатеринбург", "cityAlias": "ekb", "centerAlias": "lenina", "address": "ул.Ленина, д.14",
			"phone": "+73430000001", "email": "lenina@example.invalid", "cityId": 1, "firmId": 1, "timezone": Timezone,
			"description": "", "latitude": "56.838", "longitude": "60.605", "siteStatus": 1},
		{"id": "2", "city": "Екатеринбург", "cityAlias": "ekb", "centerAlias": "pobedy", "address": "ул.Победы, д.24",
			"phone": "+73430000002", "email": "pobedy@example.invalid", "cityId": 1, "firmId": 1, "timezone": Timezone,
			"description": "", "latitude": "56.9", "longitude": "60.6", "siteStatus": 1},
	}
	route := r.Method + " " + path
	switch {
	case route == "GET /cities":
		ok([]any{map[string]any{"id": "1", "alias": "ekb", "name": "Екатеринбург", "site": "https://example.invalid", "countryId": 20, "mobileAppWayId": 423}})
	case route == "GET /cities/1/centers":
		ok(centers)
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/centers/"):
		id := strings.TrimPrefix(path, "/centers/")
		for _, c := range centers {
			if c["id"] == id {
				ok(c)
				return
			}
		}
		reply(w, 404, map[string]any{"status": "error", "message": "Центр не найден", "data": nil})
	case route == "GET /users":
		s.mu.Lock()
		down := s.usersDown
		s.mu.Unlock()
		if down {
			reply(w, http.StatusInternalServerError, map[string]any{"message": "Server Error"})
			return
		}
		q := r.URL.Query()
		users := []map[string]any{
			{"id": "11", "login": "maria", "name": "Мария", "displayName": "Мария Петровна", "isDisplay": true, "position": 4, "centerId": 1},
			{"id": 12, "login": "oleg", "name": "Олег Иванов", "displayName": "", "isDisplay": true, "position": 4, "centerId": "1"},
			{"id": "13", "login": "anna", "name": "Анна", "displayName": "Анна Сергеевна", "isDisplay": false, "position": 4, "centerId": 1},
			{"id": "2", "login": "boss", "name": "Директор", "displayName": "Директор", "isDisplay": true, "position": 2, "centerId": 1},
		}
		var out []any
		for _, u := range users {
			if p := q.Get("position"); p != "" && fmt.Sprint(u["position"]) != p {
				continue
			}
			if c := q.Get("centerId"); c != "" && fmt.Sprint(u["centerId"]) != c {
				continue
			}
			out = append(out, u)
		}
		ok(out)
	case route == "POST /leads":
		s.lead(w, in)
	default:
		reply(w, 404, map[string]any{"status": "error", "message": "Метод не найден: " + route, "data": nil})
	}
}

// lead checks the Lead's required fields (name, phone, center_id,
// birthday) and answers as the document describes a refusal: the data
// sent back, a message and validation_errors as a JSON string.
func (s *Server) lead(w http.ResponseWriter, in map[string]any) {
	errs := map[string]string{}
	for _, f := range []string{"name", "phone", "center_id", "birthday"} {
		if strings.TrimSpace(str(in[f])) == "" {
			errs[f] = "The " + f + " field is required."
		}
	}
	birthday := str(in["birthday"])
	if b, err := time.Parse("02.01.2006", birthday); err == nil {
		birthday = b.Format("2006-01-02")
	} else if birthday != "" {
		errs["birthday"] = "The birthday is not a date (ДД.ММ.ГГГГ)."
	}
	if len(errs) > 0 {
		raw, _ := json.Marshal(errs)
		reply(w, 200, map[string]any{"status": "error", "message": "Validation error", "validation_errors": string(raw), "data": in})
		return
	}
	s.mu.Lock()
	s.nextLead++
	lead := map[string]any{"id": strconv.Itoa(s.nextLead), "name": in["name"], "status": "bid", "mail": in["mail"],
		"center_id": str(in["center_id"]), "phone": in["phone"], "fio": in["fio"], "birthday": birthday,
		"comment": in["comment"], "way_id": 1}
	s.leads = append(s.leads, lead)
	s.mu.Unlock()
	reply(w, 200, map[string]any{"status": "success", "message": "", "validation_errors": map[string]any{}, "data": lead})
}

func str(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// Package yclientstest is a small YCLIENTS that lives in the test process:
// an HTTP server on 127.0.0.1 that speaks YCLIENTS' wire format (the v2
// Accept header, "Bearer <partner>, User <user>", the {success, data, meta}
// envelope with meta.message refusals) over one company whose state changes
// with every write: clients, their abonements, today's group events in the
// company's zone and their records. The end-to-end tests run the real
// console against it; it is as strict as the document, so a request the
// real API would not understand fails here too.
//
// The shapes it answers with are the document's (and developer.alteg.io's
// for the events search and abonements), and the ones providers/yclients
// assumes where the document shows only {}: its package doc lists them.
// Like the document's samples it mixes types: a client's phone is a number,
// visit_id a string, some counts strings.
//
// It does what a live account does where the document is silent or wrong:
// a visit groups a client's records of one day, and PUT /visits pays
// (fast_payment) and marks every record of it; each record has its own
// sale document, payable by amount into a cash desk; payment_status is 1
// exactly when paid_full is; a record's finance_transactions include goods
// sold in it; the events search refuses a period that starts before today;
// clients carry categories, and may carry middle_name and a birth date of
// 1900 (no year). Opt-in scenarios change the company: SetCurrency (a
// tenge account), SeedVisitOfThree, English (Altegio's refusals),
// RateLimit (429 with Retry-After), RefuseClientsSearch, CloseCashDesks;
// and a big club (busy.go): SeedBusyDay, EnforceRateLimit (YCLIENTS'
// documented 5 a second and 200 a minute, 429 over them), the requests
// counted (Total, Peak, OverLimit), records listed by date and page with
// changed_after and with_deleted as the reference describes them, and
// changes made at another desk (MarkElsewhere, CancelElsewhere).
package yclientstest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The company's login for the 2FA flow: the password round answers with a
// uuid, the code round with the user token.
const (
	Login    = "admin@club.example"
	Password = "desk-pass"
	Code     = "4321"
	// CompanyID is the company the server knows.
	CompanyID = 37532
)

// Moscow is the company's zone.
var Moscow, _ = time.LoadLocation("Europe/Moscow")

const uuid2FA = "qwer1234-qw12-1234-q123-5c9a37d530cd"

type client struct {
	ID                          int
	Name, Surname, Patronymic   string
	MiddleName                  string // Altegio's field for the patronymic
	Phone, Email, Card, Comment string
	Birth                       string // as sent: "yyyy-mm-dd", "0", "1900-mm-dd", unix seconds
	Discount                    int
	Balance                     float64
	Categories                  []string
}

type staff struct {
	ID   int
	Name string
}

type event struct {
	ID       int
	Start    time.Time
	Length   int
	Capacity int
	Title    string
	Service  int
	Price    float64
	Staff    staff
	Room     string
}

type record struct {
	ID, VisitID, ActivityID, ClientID int
	Start                             time.Time
	Length                            int
	Title                             string
	Cost                              float64
	Staff                             staff
	Attendance                        int
	Comment                           string
	Paid                              []float64 // payments made for the services
	Goods                             []goods   // goods sold in the record
	GoodsPaid                         []float64 // payments made for the goods
	// Changed is when the record was created or last changed (its
	// last_change_date, what changed_after filters on); Deleted marks a
	// record deleted, listed only with with_deleted=1.
	Changed time.Time
	Deleted bool
}

// goods is one item sold in a record.
type goods struct {
	Title string
	Cost  float64
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}

func (r *record) goodsCost() float64 {
	t := 0.0
	for _, g := range r.Goods {
		t += g.Cost
	}
	return t
}

// paidFull: the services and the goods are paid.
func (r *record) paidFull() bool {
	return (r.Cost > 0 || r.goodsCost() > 0) && sum(r.Paid) >= r.Cost && sum(r.GoodsPaid) >= r.goodsCost()
}

// due is what the services still owe.
func (r *record) due() float64 { return max(r.Cost-sum(r.Paid), 0) }

// document is the record's own sale document.
func (r *record) document() int { return r.ID + 7000000 }

// Server is the fake YCLIENTS.
type Server struct {
	*httptest.Server
	partner, user string
	now           func() time.Time

	mu           sync.Mutex
	nextID       int
	clients      []*client
	abonements   map[int][]map[string]any // by client id
	events       []*event
	records      []*record
	refuseEvents bool
	latency      time.Duration
	requests     map[string]int
	// Payments lists every fast payment taken: record id and code.
	payments []Payment
	// salePayments lists every payment of a record's sale document.
	salePayments []SalePayment

	currency    string         // the company's currency_short_title; "" says nothing
	english     bool           // refusals in English, as Altegio words them
	limited     map[string]int // route → how many requests still answered 429
	retryAfter  int            // the Retry-After of those answers, in seconds
	noQuick     bool           // the clients search is refused (an account without it)
	closedDesks bool           // no cash desk takes a sale document's payment

	// gone is the deleted records, kept for with_deleted=1.
	gone []*record
	// rate is the rate limit the server enforces (EnforceRateLimit), and
	// arrivals every request's arrival, for the counts (busy.go).
	rate     []rateLimit
	arrivals []time.Time
	over     int
}

// Payment is one fast payment the server took.
type Payment struct {
	RecordID int
	Code     int
	// Records is every record of the visit it paid.
	Records []int
}

// SalePayment is one payment of a record's sale document.
type SalePayment struct {
	RecordID, AccountID int
	Amount              float64
}

// The company's cash desks: one for cash, one for cards.
const (
	CashDesk = 90218
	CardDesk = 23182
)

// NewServer starts a YCLIENTS on 127.0.0.1 that accepts the partner and
// user tokens, with a company whose day is now's day in Moscow (now nil:
// the clock). Close it when done.
func NewServer(partner, user string, now func() time.Time) *Server {
	if now == nil {
		now = time.Now
	}
	s := &Server{partner: partner, user: user, now: now, nextID: 90000, requests: map[string]int{}, abonements: map[int][]map[string]any{},
		limited: map[string]int{}}
	s.seed()
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// RefuseEvents makes the group-events search answer 404, as on an account
// without it: the desk must fall back to grouping records.
func (s *Server) RefuseEvents() {
	s.mu.Lock()
	s.refuseEvents = true
	s.mu.Unlock()
}

// SetCurrency makes the company count in the currency YCLIENTS' company
// data names with currency_short_title ("₸" for a tenge account).
func (s *Server) SetCurrency(shortTitle string) {
	s.mu.Lock()
	s.currency = shortTitle
	s.mu.Unlock()
}

// English makes the refusals Altegio's: in English.
func (s *Server) English() {
	s.mu.Lock()
	s.english = true
	s.mu.Unlock()
}

// RateLimit answers the next n requests of route ("PUT /api/v1/visits")
// 429 Too Many Requests with Retry-After: retryAfter seconds, processing
// nothing.
func (s *Server) RateLimit(route string, n, retryAfter int) {
	s.mu.Lock()
	s.limited[route] = n
	s.retryAfter = retryAfter
	s.mu.Unlock()
}

// RefuseClientsSearch makes POST .../clients/search answer 404, as on an
// account without it: the desk must search the deprecated list.
func (s *Server) RefuseClientsSearch() {
	s.mu.Lock()
	s.noQuick = true
	s.mu.Unlock()
}

// CloseCashDesks leaves no cash desk a sale document can be paid into: a
// record of a visit of several can then only be paid with its whole visit.
func (s *Server) CloseCashDesks() {
	s.mu.Lock()
	s.closedDesks = true
	s.mu.Unlock()
}

// SeedVisitOfThree adds a client (Нурланова Асель, phone 77011234567)
// whose visit today holds three unpaid individual records — 09:00
// "Персональная тренировка" 28 000, 14:00 "Массаж спины" 24 000, 16:00
// "Сауна" 22 000 — and returns their ids in that order.
func (s *Server) SeedVisitOfThree() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	today := s.now().In(Moscow)
	at := func(h int) time.Time { return time.Date(today.Year(), today.Month(), today.Day(), h, 0, 0, 0, Moscow) }
	s.clients = append(s.clients, &client{ID: 110, Name: "Асель", Surname: "Нурланова", Phone: "77011234567", Birth: "0"})
	trainer := staff{921105, "Айжан Ахметова"}
	visitID := s.id()
	var ids []int
	for _, r := range []struct {
		h     int
		title string
		cost  float64
	}{{9, "Персональная тренировка", 28000}, {14, "Массаж спины", 24000}, {16, "Сауна", 22000}} {
		rec := &record{ID: s.id(), VisitID: visitID, ClientID: 110, Start: at(r.h), Length: 3600, Title: r.title, Cost: r.cost, Staff: trainer}
		s.records = append(s.records, rec)
		ids = append(ids, rec.ID)
	}
	return ids
}

// SalePayments lists the payments of records' sale documents.
func (s *Server) SalePayments() []SalePayment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.salePayments)
}

// AttendanceOf is a record's mark by its id.
func (s *Server) AttendanceOf(recordID int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.record(strconv.Itoa(recordID)); r != nil {
		return r.Attendance
	}
	return 0
}

// PaidOf reports whether a record is paid in full.
func (s *Server) PaidOf(recordID int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.record(strconv.Itoa(recordID)); r != nil {
		return r.paidFull()
	}
	return false
}

// say is a refusal in the account's language.
func (s *Server) say(ru, en string) string {
	if s.english {
		return en
	}
	return ru
}

// SetLatency delays every answer (to see the desk's loading states).
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	s.latency = d
	s.mu.Unlock()
}

// Requests reports how many times a route ("PUT /api/v1/visits") was
// called; paths with ids count under their prefix as listed in serve.
func (s *Server) Requests(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[route]
}

// Payments lists the fast payments taken.
func (s *Server) Payments() []Payment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.payments)
}

// Attendance is a record's mark, by client surname and event title (for
// the tests' assertions); ok is false when there is no such record.
func (s *Server) Attendance(surname, title string) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.records {
		if c := s.client(r.ClientID); c != nil && c.Surname == surname && r.Title == title {
			return r.Attendance, true
		}
	}
	return 0, false
}

func (s *Server) id() int {
	s.nextID++
	return s.nextID
}

// seed fills the company: clients whose cards show the desk's alerts, their
// abonements, today's group events and records.
func (s *Server) seed() {
	today := s.now().In(Moscow)
	at := func(h, m int) time.Time {
		return time.Date(today.Year(), today.Month(), today.Day(), h, m, 0, 0, Moscow)
	}
	day := func(offset int) string { return today.AddDate(0, 0, offset).Format("2006-01-02") }
	s.clients = []*client{
		{ID: 101, Name: "Ольга", Surname: "Зеленина", Patronymic: "Сергеевна", Phone: "79165550001", Email: "o.zelenina@mail.ru",
			Card: "0040856634", Birth: "1992-01-14", Balance: 1500},
		{ID: 102, Name: "Игорь", Surname: "Должиков", Patronymic: "Петрович", Phone: "79165550004", Email: "dolzhikov.igor@mail.ru",
			Card: "0021478305", Birth: "0", Comment: "Вернуть ключ от шкафчика"},
		{ID: 103, Name: "Дарья", Surname: "Пришвина", Patronymic: "Олеговна", Phone: "79165550011", Email: "darya.p@yandex.ru",
			Card: "0049052213", Birth: "1995-07-30"},
		{ID: 104, Name: "Андрей", Surname: "Блохин", Patronymic: "Николаевич", Phone: "79165550005", Card: "27719048",
			Birth: "1980-05-02", Discount: 10, Balance: -1200},
		{ID: 105, Name: "Кирилл", Surname: "Новосёлов", Phone: "79165550012", Birth: "0"},
		{ID: 106, Name: "Василий", Surname: "Сонов", Patronymic: "Васильевич", Phone: "79112345679", Birth: "0"},
		// Clients as a live account files them: abonements in every
		// status, middle_name, a birthday without its year (1900), one in
		// unix seconds, categories with a black list.
		{ID: 107, Name: "Мария", Surname: "Ковалёва", Patronymic: "Ивановна", Phone: "79165550021", Birth: "1900-01-01",
			Categories: []string{"VIP"}},
		{ID: 108, Name: "Пётр", Surname: "Романов", MiddleName: "Андреевич", Phone: "79165550022", Birth: "1900-03-14",
			Categories: []string{"Black list"}, Comment: "Не пускать до оплаты долга"},
		{ID: 109, Name: "Анна", Surname: "Орлова", MiddleName: "Сергеевна", Phone: "79165550023", Birth: "638928000",
			Categories: []string{"Постоянный клиент"}},
	}
	link := func(n int, title string) map[string]any {
		return map[string]any{"count": n, "category": map[string]any{"id": 5092305, "category_id": 1, "title": title}}
	}
	abType := func(id int, title string, united bool, visits int, links ...map[string]any) map[string]any {
		return map[string]any{"id": id, "salon_group_id": 145071, "title": title, "period": 1, "period_unit_id": 3,
			"allow_freeze": true, "freeze_limit": 30, "is_allow_empty_code": false, "is_united_balance": united,
			"united_balance_services_count": visits, "balance_container": map[string]any{"links": links}}
	}
	s.abonements[101] = []map[string]any{{
		"id": 659001, "number": "788001", "balance_string": "Групповые занятия (безлимит)", "is_frozen": false, "freeze_period": 0,
		"period": 1, "period_unit_id": 3, "status": map[string]any{"id": 2, "title": "Активирован", "extended_title": "Активирован"},
		"balance_container": map[string]any{"links": []any{}},
		"type":              abType(97801, "Безлимит на месяц", true, 0),
		"expiration_date":   day(20) + "T23:59:59+03:00", "created_date": day(-10) + "T10:00:00+0300",
		"activated_date": day(-10) + "T10:00:00+0300", "is_united_balance": true, "is_united_balance_unlimited": true,
	}}
	s.abonements[103] = []map[string]any{{
		"id": 659003, "number": 788003, "balance_string": "Групповые занятия (x3)", "is_frozen": "false", "freeze_period": 0,
		"period": 1, "period_unit_id": "3", "status": map[string]any{"id": 2, "title": "Активирован", "extended_title": "Активирован"},
		"balance_container": map[string]any{"links": []any{link(3, "Групповые занятия")}},
		"type":              abType(97802, "8 занятий", false, 0, link(8, "Групповые занятия")),
		"expiration_date":   day(3) + " 23:59:59", "created_date": day(-25) + " 10:00:00",
		"activated_date": day(-25) + " 10:00:00", "is_united_balance": false, "is_united_balance_unlimited": false,
	}}
	s.abonements[104] = []map[string]any{{
		"id": 659004, "number": "788004", "balance_string": "Групповые занятия (x6)", "is_frozen": true, "freeze_period": 14,
		"freeze_till": day(9) + "T23:59:59+03:00",
		"period":      1, "period_unit_id": 3, "status": map[string]any{"id": 2, "title": "Активирован", "extended_title": "Активирован"},
		"balance_container": map[string]any{"links": []any{link(6, "Групповые занятия")}},
		"type":              abType(97802, "8 занятий", false, 0, link(8, "Групповые занятия")),
		"expiration_date":   day(30) + "T23:59:59+03:00", "created_date": day(-20) + "T10:00:00+0300",
		"activated_date": day(-20) + "T10:00:00+0300", "is_united_balance": false, "is_united_balance_unlimited": false,
	}}
	// Ковалёва's abonements, one of each status (1 issued, 2 active with an
	// unlimited link, 3 expired, 4 used up).
	unlimitedLink := func(title string) map[string]any {
		return map[string]any{"count": 0, "is_unlimited": true, "category": map[string]any{"id": 5092307, "category_id": 1, "title": title}}
	}
	status := func(id int, title string) map[string]any {
		return map[string]any{"id": id, "title": title, "extended_title": title}
	}
	abon := func(id, st int, stTitle, title string, links []any, exp, act string) map[string]any {
		a := map[string]any{"id": id, "number": strconv.Itoa(788000 + id%1000), "balance_string": title, "is_frozen": false,
			"freeze_period": 0, "period": 1, "period_unit_id": 3, "status": status(st, stTitle),
			"balance_container": map[string]any{"links": links},
			"type":              abType(97810+id%10, title, false, 0, link(8, "Групповые занятия")),
			"expiration_date":   exp, "created_date": day(-15) + "T10:00:00+0300", "activated_date": act,
			"is_united_balance": false, "is_united_balance_unlimited": false}
		return a
	}
	s.abonements[107] = []map[string]any{
		abon(659201, 1, "Выпущен", "Групповые 8 занятий", []any{link(8, "Групповые занятия")}, day(60)+"T23:59:59+03:00", ""),
		abon(659202, 2, "Активирован", "Безлимит групповые + 3 массажа",
			[]any{unlimitedLink("Групповые занятия"), link(3, "Массаж")}, day(20)+"T23:59:59+03:00", day(-10)+"T10:00:00+0300"),
		abon(659203, 3, "Истек", "Месяц утро", []any{link(5, "Групповые занятия")}, day(40)+"T23:59:59+03:00", day(-40)+"T10:00:00+0300"),
		abon(659204, 4, "Израсходован", "Разовое занятие", []any{link(1, "Групповые занятия")}, day(40)+"T23:59:59+03:00", day(-5)+"T10:00:00+0300"),
	}
	anna := staff{921101, "Анна Соколова"}
	natalia := staff{921102, "Наталья Комарова"}
	igor := staff{921103, "Игорь Крылов"}
	sergey := staff{921104, "Сергей Волков"}
	s.events = []*event{
		{ID: 3480101, Start: at(9, 0), Length: 3600, Capacity: 12, Title: "Йога", Service: 5243301, Price: 800, Staff: anna, Room: "Зал 1"},
		{ID: 3480102, Start: at(12, 0), Length: 3300, Capacity: 10, Title: "Пилатес", Service: 5243302, Price: 800, Staff: natalia, Room: "Зал 1"},
		{ID: 3480103, Start: at(18, 0), Length: 2700, Capacity: 2, Title: "Сайкл", Service: 5243303, Price: 700, Staff: igor, Room: "Зал 2"},
		{ID: 3480104, Start: at(19, 30), Length: 3600, Capacity: 12, Title: "Бокс", Service: 5243304, Price: 900, Staff: sergey, Room: "Зал 2"},
	}
	add := func(e *event, clientID, attendance int, paid bool) {
		r := &record{ID: s.id(), VisitID: s.id(), ActivityID: e.ID, ClientID: clientID, Start: e.Start, Length: e.Length,
			Title: e.Title, Cost: e.Price, Staff: e.Staff, Attendance: attendance}
		if paid {
			r.Paid = []float64{e.Price}
		}
		s.records = append(s.records, r)
	}
	// Abonement holders' visits are paid by the abonement: YCLIENTS shows
	// them paid. Должиков and Сонов pay per visit.
	add(s.events[0], 103, 1, true)
	add(s.events[0], 101, 0, true)
	add(s.events[1], 102, 0, false)
	add(s.events[1], 106, 2, false)
	add(s.events[1], 101, 0, true)
	add(s.events[2], 104, 0, true)
	add(s.events[2], 101, 0, true)
	// Visits of the past days, for the card's history.
	for _, past := range []struct {
		days, client int
		e            *event
	}{{1, 101, s.events[0]}, {2, 103, s.events[1]}, {3, 101, s.events[1]}, {5, 101, s.events[2]}} {
		r := &record{ID: s.id(), VisitID: s.id(), ActivityID: past.e.ID - 100, ClientID: past.client,
			Start: past.e.Start.AddDate(0, 0, -past.days), Length: past.e.Length, Title: past.e.Title, Cost: past.e.Price,
			Staff: past.e.Staff, Attendance: 1, Paid: []float64{past.e.Price}}
		s.records = append(s.records, r)
	}
	// An individual appointment.
	s.records = append(s.records, &record{ID: s.id(), VisitID: s.id(), ClientID: 106, Start: at(15, 0), Length: 1800,
		Title: "Массаж спины", Cost: 2500, Staff: natalia})
}

// answer writes YCLIENTS' envelope; a message makes it a refusal.
func answer(w http.ResponseWriter, status int, data any, meta any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if meta == nil {
		meta = []any{}
	}
	json.NewEncoder(w).Encode(map[string]any{"success": status < 400, "data": data, "meta": meta})
}

func refuse(w http.ResponseWriter, status int, message string) {
	answer(w, status, nil, map[string]any{"message": message})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	delay := s.latency
	s.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	if r.Header.Get("Accept") != "application/vnd.yclients.v2+json" {
		refuse(w, http.StatusNotAcceptable, "Укажите версию API в заголовке Accept")
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		refuse(w, http.StatusUnsupportedMediaType, "Content-Type должен быть application/json")
		return
	}
	path := strings.TrimSuffix(r.URL.Path, "/")
	parts := strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")
	auth := r.Header.Get("Authorization")
	if path == "/api/v1/auth" {
		if auth != "Bearer "+s.partner {
			refuse(w, http.StatusUnauthorized, "Неверный токен партнёра")
			return
		}
	} else if auth != "Bearer "+s.partner+", User "+s.user {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"errors":{"code":401,"message":"Необходима авторизация"},"meta":{"message":"Необходима авторизация"}}`)
		return
	}
	var body map[string]any
	if r.Method != http.MethodGet && r.Method != http.MethodDelete {
		data, _ := io.ReadAll(r.Body)
		if len(data) > 0 && json.Unmarshal(data, &body) != nil {
			refuse(w, http.StatusBadRequest, "Неверный JSON")
			return
		}
	}
	route := r.Method + " /api/v1/" + parts[0]
	s.mu.Lock()
	s.requests[route]++
	if wait, over := s.arrive(time.Now()); over {
		s.mu.Unlock()
		// Over YCLIENTS' documented rate: nothing is processed.
		w.Header().Set("Retry-After", strconv.Itoa(wait))
		refuse(w, http.StatusTooManyRequests, "Too Many Requests")
		return
	}
	limited := s.limited[route] > 0
	if limited {
		s.limited[route]--
	}
	wait := s.retryAfter
	s.mu.Unlock()
	if limited {
		// Over the rate: nothing is processed.
		w.Header().Set("Retry-After", strconv.Itoa(wait))
		refuse(w, http.StatusTooManyRequests, "Too Many Requests")
		return
	}
	q := r.URL.Query()
	company := strconv.Itoa(CompanyID)
	switch {
	case route == "POST /api/v1/auth":
		s.auth(w, body)
	case len(parts) >= 2 && parts[0] != "visits" && parts[0] != "loyalty" && parts[0] != "user" && parts[1] != company,
		parts[0] == "user" && (len(parts) < 3 || parts[2] != company):
		// Every company path names the company (the user's rights name it
		// third).
		refuse(w, http.StatusNotFound, "Компания не найдена")
	case route == "GET /api/v1/company" && len(parts) == 2:
		co := map[string]any{"id": CompanyID, "title": "Фитнес-клуб «Центральный»", "country_id": 1, "country": "Россия",
			"city_id": 1, "city": "Москва", "timezone_name": "Europe/Moscow", "address": "Большой Саввинский пер., д. 3",
			"social": map[string]any{}, "main_group": map[string]any{}, "access": map[string]any{}}
		s.mu.Lock()
		if s.currency != "" {
			co["currency_short_title"] = s.currency
		}
		s.mu.Unlock()
		answer(w, 200, co, map[string]any{})
	case route == "POST /api/v1/company" && len(parts) == 4 && parts[2] == "clients" && parts[3] == "search":
		s.searchClients(w, body)
	case route == "GET /api/v1/company" && len(parts) == 4 && parts[2] == "sale":
		s.getSale(w, parts[3])
	case route == "POST /api/v1/company" && len(parts) == 5 && parts[2] == "sale" && parts[4] == "payment":
		s.paySale(w, parts[3], body)
	case route == "GET /api/v1/user" && len(parts) == 3 && parts[1] == "permissions" && parts[2] == company:
		answer(w, 200, permissions(), []any{})
	case route == "GET /api/v1/clients" && len(parts) == 2:
		s.listClients(w, q)
	case route == "POST /api/v1/clients" && len(parts) == 2:
		s.createClient(w, body)
	case route == "GET /api/v1/client" && len(parts) == 3:
		s.getClient(w, parts[2])
	case route == "PUT /api/v1/client" && len(parts) == 3:
		s.updateClient(w, parts[2], body)
	case route == "GET /api/v1/loyalty" && len(parts) == 2 && parts[1] == "abonements":
		s.listAbonements(w, q)
	case route == "GET /api/v1/activity" && len(parts) == 3 && parts[2] == "search":
		s.searchEvents(w, q)
	case route == "GET /api/v1/records" && len(parts) == 2:
		s.listRecords(w, q)
	case route == "POST /api/v1/records" && len(parts) == 2:
		s.createRecord(w, body)
	case route == "GET /api/v1/record" && len(parts) == 3:
		s.getRecord(w, parts[2])
	case route == "DELETE /api/v1/record" && len(parts) == 3:
		s.deleteRecord(w, parts[2])
	case route == "PUT /api/v1/visits" && len(parts) == 3:
		s.updateVisit(w, parts[1], parts[2], body)
	case route == "GET /api/v1/visits" && len(parts) == 2:
		s.getVisit(w, parts[1])
	case route == "POST /api/v1/company" && len(parts) == 5 && parts[2] == "clients" && parts[3] == "visits" && parts[4] == "search":
		s.visitHistory(w, body)
	default:
		refuse(w, http.StatusNotFound, "Метод не найден")
	}
}

func (s *Server) auth(w http.ResponseWriter, body map[string]any) {
	switch {
	case body["login"] == Login && body["password"] == Password:
		answer(w, 200, map[string]any{"uuid": uuid2FA, "flow": "login", "transport": map[string]any{"slug": "sms"},
			"refresh_ttl_sec": 60, "attempts_left": 3}, []any{})
	case body["uuid"] == uuid2FA && fmt.Sprint(body["code"]) == Code:
		// 201 is documented bare, without the envelope.
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"id": 123456, "user_token": s.user, "name": "Анна Администратор",
			"phone": "79161001010", "login": Login, "email": Login, "is_approved": true, "is_email_confirmed": true})
	case body["uuid"] != nil:
		refuse(w, http.StatusUnauthorized, "Неверный код подтверждения")
	default:
		refuse(w, http.StatusUnauthorized, "Неверный логин или пароль")
	}
}

func permissions() map[string]any {
	return map[string]any{
		"timetable": map[string]any{"timetable_access": true, "master_id": 0, "position_id": 0, "last_days_count": 0},
		"record_form": map[string]any{"record_form_access": true, "create_records_access": true, "edit_records_access": true,
			"edit_records_attendance_access": true, "delete_records_access": true, "records_finances_access": true,
			"records_finances_last_days_count": -1},
		"finances":  map[string]any{"finances_access": false},
		"clients":   map[string]any{"clients_access": true},
		"loyalty":   map[string]any{"loyalty_access": true},
		"dashboard": map[string]any{}, "notification": map[string]any{}, "storages": map[string]any{},
		"settings": map[string]any{}, "other": map[string]any{},
	}
}

func (s *Server) client(id int) *client {
	for _, c := range s.clients {
		if c.ID == id {
			return c
		}
	}
	return nil
}

func (c *client) wire() map[string]any {
	phone, _ := strconv.ParseInt(c.Phone, 10, 64)
	cats := []any{}
	for i, t := range c.Categories {
		cats = append(cats, map[string]any{"id": 9220530 + i, "salon_id": CompanyID, "company_id": CompanyID, "title": t,
			"color": "#5495b0", "font_color": "#ffffff", "icon": "tag", "entity": 1, "entity_slug": "client", "deleted": 0})
	}
	out := map[string]any{"id": c.ID, "name": c.Name, "surname": c.Surname, "patronymic": c.Patronymic, "phone": phone,
		"email": c.Email, "categories": cats, "sex": "Неизвестно", "discount": c.Discount, "importance": "Без класса важности",
		"card": c.Card, "comment": c.Comment, "sms_check": 0, "sms_not": 0, "spent": 0, "balance": c.Balance, "visits": 3,
		"last_change_date": "2026-11-01T12:00:00+0300", "custom_fields": []any{}}
	if c.MiddleName != "" {
		out["middle_name"] = c.MiddleName
	}
	if c.Birth == "0" || c.Birth == "" {
		out["birth_date"] = 0
	} else {
		out["birth_date"] = c.Birth
	}
	return out
}

func contains(s, part string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(strings.TrimSpace(part)))
}

// listClients is the deprecated GET /clients/{company_id}: every filter
// matches a part.
func (s *Server) listClients(w http.ResponseWriter, q map[string][]string) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	for k := range q {
		switch k {
		case "fullname", "phone", "email", "card", "page", "count", "id", "id[]":
		default:
			refuse(w, http.StatusBadRequest, "Неизвестный параметр "+k)
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := map[int]bool{}
	for _, v := range append(q["id[]"], q["id"]...) {
		n, _ := strconv.Atoi(v)
		ids[n] = true
	}
	var out []map[string]any
	for _, c := range s.clients {
		full := strings.Join([]string{c.Surname, c.Name, c.Patronymic}, " ")
		switch {
		case len(ids) > 0 && !ids[c.ID]:
		case get("fullname") != "" && !contains(full, get("fullname")) && !contains(c.Name+" "+c.Surname, get("fullname")):
		case get("phone") != "" && !strings.Contains(c.Phone, get("phone")):
		case get("email") != "" && !contains(c.Email, get("email")):
		case get("card") != "" && (c.Card == "" || !contains(c.Card, get("card"))):
		default:
			out = append(out, c.wire())
		}
	}
	n, _ := strconv.Atoi(get("count"))
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	if out == nil {
		out = []map[string]any{}
	}
	answer(w, 200, out, map[string]any{"page": 1, "total_count": len(out)})
}

func (s *Server) getClient(w http.ResponseWriter, idText string) {
	id, _ := strconv.Atoi(idText)
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.client(id)
	if c == nil {
		refuse(w, http.StatusNotFound, "Клиент не найден")
		return
	}
	answer(w, 200, c.wire(), []any{})
}

func str(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

func (s *Server) createClient(w http.ResponseWriter, body map[string]any) {
	name, phone := str(body["name"]), str(body["phone"])
	if name == "" || phone == "" {
		refuse(w, http.StatusUnprocessableEntity, "Имя и телефон клиента обязательны")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.clients {
		if c.Phone == phone {
			refuse(w, http.StatusUnprocessableEntity, "Клиент с таким телефоном уже существует")
			return
		}
	}
	c := &client{ID: s.id(), Name: name, Surname: str(body["surname"]), Patronymic: str(body["patronymic"]), Phone: phone,
		Email: str(body["email"]), Card: str(body["card"]), Comment: str(body["comment"]), Birth: str(body["birth_date"])}
	s.clients = append(s.clients, c)
	answer(w, http.StatusCreated, c.wire(), []any{})
}

func (s *Server) updateClient(w http.ResponseWriter, idText string, body map[string]any) {
	id, _ := strconv.Atoi(idText)
	if str(body["name"]) == "" || str(body["phone"]) == "" {
		refuse(w, http.StatusUnprocessableEntity, "Имя и телефон клиента обязательны")
		return
	}
	if _, ok := body["balance"]; ok {
		refuse(w, http.StatusUnprocessableEntity, "Баланс клиента меняется только кассовыми операциями")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.client(id)
	if c == nil {
		refuse(w, http.StatusNotFound, "Клиент не найден")
		return
	}
	c.Name, c.Phone = str(body["name"]), str(body["phone"])
	if v, ok := body["card"]; ok {
		c.Card = str(v)
	}
	answer(w, 200, c.wire(), []any{})
}

func (s *Server) listAbonements(w http.ResponseWriter, q map[string][]string) {
	if len(q["company_id"]) == 0 || q["company_id"][0] != strconv.Itoa(CompanyID) {
		refuse(w, http.StatusUnprocessableEntity, "Не указан company_id")
		return
	}
	phone := ""
	if v := q["phone"]; len(v) > 0 {
		phone = v[0]
	}
	if len(phone) != 11 {
		refuse(w, http.StatusUnprocessableEntity, "Телефон нужен с кодом страны: 11 цифр")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []map[string]any{}
	for _, c := range s.clients {
		if c.Phone == phone {
			out = append(out, s.abonements[c.ID]...)
		}
	}
	answer(w, 200, out, []any{})
}

func (s *Server) active(activityID int) int {
	n := 0
	for _, r := range s.records {
		if r.ActivityID == activityID {
			n++
		}
	}
	return n
}

func (e *event) wire(booked int) map[string]any {
	return map[string]any{
		"id": e.ID, "service_id": e.Service, "company_id": CompanyID, "staff_id": e.Staff.ID,
		"date": e.Start.Format("2006-01-02T15:04:05.000-07:00"), "length": e.Length, "capacity": e.Capacity,
		"records_count": booked, "color": "", "instructions": "", "stream_link": "", "font_color": "", "notified": false,
		"prepaid": "forbidden",
		"service": map[string]any{"id": e.Service, "category_id": 5092305, "title": e.Title, "price_min": e.Price,
			"price_max": e.Price, "comment": "", "image_url": "", "prepaid": "forbidden"},
		"staff": map[string]any{"id": e.Staff.ID, "name": e.Staff.Name, "company_id": CompanyID, "specialization": "Тренер",
			"rating": 4.8, "show_rating": 0, "avatar": "", "comments_count": 0},
		"resource_instances": []any{map[string]any{"id": 40 + len(e.Room), "title": e.Room}},
		"labels":             []any{},
	}
}

func dateOf(q map[string][]string, k string) (time.Time, bool) {
	v := q[k]
	if len(v) == 0 {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation("2006-01-02", v[0], Moscow)
	return t, err == nil
}

func paging(q map[string][]string, def int) (page, count int) {
	page, count = 1, def
	if v := q["page"]; len(v) > 0 {
		page, _ = strconv.Atoi(v[0])
	}
	if v := q["count"]; len(v) > 0 {
		count, _ = strconv.Atoi(v[0])
	}
	return max(page, 1), max(count, 1)
}

func (s *Server) searchEvents(w http.ResponseWriter, q map[string][]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refuseEvents {
		refuse(w, http.StatusNotFound, "Метод не найден")
		return
	}
	from, ok1 := dateOf(q, "from")
	till, ok2 := dateOf(q, "till")
	if !ok1 || !ok2 {
		refuse(w, http.StatusUnprocessableEntity, "from и till обязательны (YYYY-MM-DD)")
		return
	}
	if today := s.now().In(Moscow); from.Before(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, Moscow)) {
		// Live accounts refuse a period that starts in the past.
		refuse(w, http.StatusUnprocessableEntity, s.say("Период поиска не может начинаться в прошлом", "The search period cannot start in the past"))
		return
	}
	page, count := paging(q, 25)
	var all []map[string]any
	for _, e := range s.events {
		if !e.Start.Before(from) && e.Start.Before(till.AddDate(0, 0, 1)) {
			all = append(all, e.wire(s.active(e.ID)))
		}
	}
	out := pageOf(all, page, count)
	answer(w, 200, out, map[string]any{"count": len(all)})
}

func pageOf(all []map[string]any, page, count int) []map[string]any {
	lo := min((page-1)*count, len(all))
	hi := min(lo+count, len(all))
	out := all[lo:hi]
	if out == nil {
		out = []map[string]any{}
	}
	return out
}

func (s *Server) recordWire(r *record) map[string]any {
	c := s.client(r.ClientID)
	cl := map[string]any{}
	if c != nil {
		cl = map[string]any{"id": c.ID, "name": c.Name, "surname": c.Surname, "patronymic": c.Patronymic,
			"phone": c.Phone, "email": c.Email, "card": c.Card}
	}
	// Payments as live answers show them: the expense they were booked to,
	// 5 for the services, 7 for goods sold in the visit.
	tx := func(i int, amount float64, expense int, goodsID int) map[string]any {
		title := map[int]string{5: "Оказание услуг", 7: "Продажа товаров"}[expense]
		return map[string]any{"id": r.ID*10 + i, "document_id": r.document(), "type_id": expense, "expense_id": expense,
			"account_id": CashDesk, "amount": amount, "client_id": r.ClientID, "record_id": r.ID, "goods_transaction_id": goodsID,
			"target_type_id": map[bool]int{true: 0, false: 1}[goodsID != 0],
			"expense":        map[string]any{"id": expense, "title": title, "type": 1},
			"account":        map[string]any{"id": CashDesk, "title": "Основная касса", "is_cash": true, "is_default": true}}
	}
	txs := []any{}
	for i, p := range r.Paid {
		txs = append(txs, tx(i, p, 5, 0))
	}
	goodsTx := []any{}
	for i, g := range r.Goods {
		goodsTx = append(goodsTx, map[string]any{"id": r.ID*100 + i, "title": g.Title, "amount": -1, "cost": g.Cost, "cost_to_pay": g.Cost,
			"price": g.Cost, "cost_per_unit": g.Cost, "discount": 0, "good_id": 232600 + i})
	}
	for i, p := range r.GoodsPaid {
		txs = append(txs, tx(50+i, p, 7, r.ID*100))
	}
	// payment_status is the record's own: 1 exactly when paid_full is.
	paidFull := 0
	if r.paidFull() {
		paidFull = 1
	}
	return map[string]any{
		"id": r.ID, "company_id": CompanyID, "staff_id": r.Staff.ID,
		"services": []any{map[string]any{"id": 5243300 + r.ActivityID%100, "title": r.Title, "cost": r.Cost,
			"cost_per_unit": r.Cost, "first_cost": r.Cost, "discount": 0, "amount": 1}},
		"goods_transactions": goodsTx, "staff": map[string]any{"id": r.Staff.ID, "name": r.Staff.Name, "position": map[string]any{}},
		"client": cl, "comer": nil, "clients_count": 1,
		"date":        r.Start.Format("2006-01-02 15:04:05"),
		"datetime":    r.Start.Format("2006-01-02T15:04:05-0700"),
		"create_date": r.Start.AddDate(0, 0, -2).Format("2006-01-02T15:04:05-0700"),
		"comment":     r.Comment, "visit_attendance": r.Attendance, "attendance": r.Attendance, "confirmed": 1,
		"seance_length": r.Length, "length": r.Length, "visit_id": strconv.Itoa(r.VisitID), "deleted": r.Deleted,
		"last_change_date": s.changed(r).Format("2006-01-02T15:04:05-0700"),
		"paid_full":        paidFull, "payment_status": paidFull, "prepaid": false, "prepaid_confirmed": false,
		"activity_id": r.ActivityID, "custom_fields": []any{}, "record_labels": []any{},
		"documents": []any{map[string]any{"id": r.document(), "type_id": 7, "storage_id": 0, "company_id": CompanyID,
			"number": r.ID % 10000, "comment": "", "date_created": r.Start.Format("2006-01-02 15:04:05"), "category_id": 0,
			"visit_id": r.VisitID, "record_id": r.ID, "type_title": "Визит"}},
		"finance_transactions": txs,
	}
}

// visitOf is the records of a visit.
func (s *Server) visitOf(visitID int) []*record {
	var out []*record
	for _, r := range s.records {
		if r.VisitID == visitID {
			out = append(out, r)
		}
	}
	return out
}

// getVisit is GET /visits/{visit_id}: the visit's records, without their
// payments, as the reference shows them.
func (s *Server) getVisit(w http.ResponseWriter, idText string) {
	id, _ := strconv.Atoi(idText)
	s.mu.Lock()
	defer s.mu.Unlock()
	recs := s.visitOf(id)
	if len(recs) == 0 {
		refuse(w, http.StatusNotFound, s.say("Визит не найден", "Visit not found"))
		return
	}
	out := []any{}
	for _, r := range recs {
		wr := s.recordWire(r)
		delete(wr, "finance_transactions")
		wr["events"] = []any{}
		out = append(out, wr)
	}
	answer(w, 200, map[string]any{"attendance": recs[0].Attendance, "datetime": recs[0].Start.Format("2006-01-02T15:04:05-0700"),
		"comment": 0, "records": out}, []any{})
}

// recordOfDocument is the record whose sale document doc is.
func (s *Server) recordOfDocument(docText string) *record {
	doc, _ := strconv.Atoi(docText)
	for _, r := range s.records {
		if r.document() == doc {
			return r
		}
	}
	return nil
}

func (s *Server) saleWire(r *record) map[string]any {
	pays := []any{}
	for i, p := range r.Paid {
		pays = append(pays, map[string]any{"id": r.ID*10 + i, "document_id": r.document(), "sale_item_id": r.ID, "sale_item_type": "service",
			"expense_id": 5, "account_id": CashDesk, "amount": p})
	}
	desk := func(id int, title string, cash bool) map[string]any {
		return map[string]any{"slug": "account", "is_applicable": !s.closedDesks, "applicable_amount": r.due(),
			"applicable_count": 0, "applicable_value": 0, "account_id": id,
			"account": map[string]any{"id": id, "title": title, "is_cash": cash}}
	}
	return map[string]any{
		"state": map[string]any{
			"items": []any{map[string]any{"id": r.ID, "type": "service", "document_id": r.document(), "title": r.Title, "amount": 1,
				"default_cost_per_unit": r.Cost, "default_cost_total": r.Cost, "client_discount_percent": 0, "cost_to_pay_total": r.Cost}},
			"loyalty_transactions": []any{}, "payment_transactions": pays},
		"kkm_state":       map[string]any{"last_operation_type": 1, "transactions": []any{}},
		"payment_methods": []any{desk(CashDesk, "Основная касса", true), desk(CardDesk, "Карты - эквайринг", false)},
	}
}

// getSale is GET /company/{id}/sale/{document_id}.
func (s *Server) getSale(w http.ResponseWriter, doc string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.recordOfDocument(doc)
	if r == nil {
		refuse(w, http.StatusNotFound, s.say("Документ не найден", "Document not found"))
		return
	}
	answer(w, 200, s.saleWire(r), []any{})
}

// paySale is POST /company/{id}/sale/{document_id}/payment into a cash
// desk: {payment: {method: {slug: "account", account_id}, amount}}. It
// pays the document's record, and that record only.
func (s *Server) paySale(w http.ResponseWriter, doc string, body map[string]any) {
	pay, _ := body["payment"].(map[string]any)
	method, _ := pay["method"].(map[string]any)
	amount, okA := pay["amount"].(float64)
	account, _ := method["account_id"].(float64)
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.recordOfDocument(doc)
	switch {
	case r == nil:
		refuse(w, http.StatusNotFound, s.say("Документ не найден", "Document not found"))
		return
	case method["slug"] != "account" || !okA || amount <= 0:
		refuse(w, http.StatusUnprocessableEntity, s.say("Неверные параметры оплаты", "Invalid payment parameters"))
		return
	case s.closedDesks || (int(account) != CashDesk && int(account) != CardDesk):
		refuse(w, http.StatusUnprocessableEntity, s.say("Касса недоступна", "The cash desk is not available"))
		return
	case amount > r.due()+0.001:
		refuse(w, http.StatusUnprocessableEntity, s.say("Сумма больше остатка к оплате", "The amount exceeds what is due"))
		return
	}
	r.Paid, r.Changed = append(r.Paid, amount), s.now()
	s.salePayments = append(s.salePayments, SalePayment{RecordID: r.ID, AccountID: int(account), Amount: amount})
	answer(w, 200, s.saleWire(r), []any{})
}

// searchClients is POST /company/{id}/clients/search: the quick_search
// filter matches a part of the phone, the name or the card; the answer
// holds only the fields asked for, from the search's own short list.
func (s *Server) searchClients(w http.ResponseWriter, body map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.noQuick {
		refuse(w, http.StatusNotFound, s.say("Метод не найден", "Not found"))
		return
	}
	filters, ok := body["filters"].([]any)
	if !ok {
		refuse(w, http.StatusBadRequest, s.say("Недопустимое значение фильтра", "Invalid filter value"))
		return
	}
	value := ""
	for _, f := range filters {
		fm, _ := f.(map[string]any)
		state, _ := fm["state"].(map[string]any)
		if fm["type"] != "quick_search" || state == nil {
			refuse(w, http.StatusBadRequest, s.say("Недопустимое значение фильтра", "Invalid filter value"))
			return
		}
		value = strings.TrimSpace(str(state["value"]))
	}
	fields := map[string]bool{"id": true}
	if fs, ok := body["fields"].([]any); ok {
		for _, f := range fs {
			switch f {
			case "id", "name", "phone", "email", "discount", "first_visit_date", "last_visit_date", "sold_amount", "visits_count":
				fields[str(f)] = true
			}
		}
	}
	size := 25
	if n, ok := body["page_size"].(float64); ok && n > 0 {
		size = min(int(n), 200)
	}
	var out []map[string]any
	for _, c := range s.clients {
		name := strings.Join([]string{c.Surname, c.Name, c.Patronymic, c.MiddleName}, " ")
		match := value == "" || contains(name, value) || contains(c.Name+" "+c.Surname, value) ||
			(c.Card != "" && contains(c.Card, value)) ||
			(strings.Trim(value, "0123456789") == "" && strings.Contains(c.Phone, value))
		if !match {
			continue
		}
		full := c.wire()
		full["phone"] = "+" + c.Phone
		short := map[string]any{}
		for k := range fields {
			if v, ok := full[k]; ok {
				short[k] = v
			}
		}
		out = append(out, short)
	}
	if len(out) > size {
		out = out[:size]
	}
	if out == nil {
		out = []map[string]any{}
	}
	answer(w, 200, out, map[string]any{"total_count": len(out)})
}

func (s *Server) listRecords(w http.ResponseWriter, q map[string][]string) {
	from, ok1 := dateOf(q, "start_date")
	to, ok2 := dateOf(q, "end_date")
	if !ok1 || !ok2 {
		refuse(w, http.StatusUnprocessableEntity, "start_date и end_date обязательны")
		return
	}
	clientID := 0
	if v := q["client_id"]; len(v) > 0 {
		clientID, _ = strconv.Atoi(v[0])
	}
	after, okAfter := stampOf(q, "changed_after")
	before, okBefore := stampOf(q, "changed_before")
	if (len(q["changed_after"]) > 0 && !okAfter) || (len(q["changed_before"]) > 0 && !okBefore) {
		refuse(w, http.StatusUnprocessableEntity, "changed_after и changed_before: дата и время")
		return
	}
	withDeleted := len(q["with_deleted"]) > 0 && (q["with_deleted"][0] == "1" || q["with_deleted"][0] == "true")
	page, count := paging(q, 50)
	s.mu.Lock()
	defer s.mu.Unlock()
	recs := s.records
	if withDeleted {
		recs = append(slices.Clone(recs), s.gone...)
	}
	var all []map[string]any
	for _, r := range recs {
		if r.Start.Before(from) || !r.Start.Before(to.AddDate(0, 0, 1)) || (clientID != 0 && r.ClientID != clientID) {
			continue
		}
		if ch := s.changed(r); (okAfter && ch.Before(after)) || (okBefore && ch.After(before)) {
			continue
		}
		all = append(all, s.recordWire(r))
	}
	answer(w, 200, pageOf(all, page, count), map[string]any{"page": page, "total_count": len(all)})
}

func (s *Server) record(idText string) *record {
	id, _ := strconv.Atoi(idText)
	for _, r := range s.records {
		if r.ID == id {
			return r
		}
	}
	return nil
}

func (s *Server) getRecord(w http.ResponseWriter, idText string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.record(idText)
	if r == nil {
		refuse(w, http.StatusNotFound, "Запись не найдена")
		return
	}
	answer(w, 200, s.recordWire(r), []any{})
}

// createRecord books into a group event: activity_id and the client (by
// phone, as YCLIENTS keys clients) are required.
func (s *Server) createRecord(w http.ResponseWriter, body map[string]any) {
	aid, _ := strconv.Atoi(str(body["activity_id"]))
	cl, _ := body["client"].(map[string]any)
	phone := str(cl["phone"])
	s.mu.Lock()
	defer s.mu.Unlock()
	var e *event
	for _, ev := range s.events {
		if ev.ID == aid {
			e = ev
		}
	}
	var c *client
	for _, x := range s.clients {
		if x.Phone == phone {
			c = x
		}
	}
	switch {
	case e == nil:
		refuse(w, http.StatusUnprocessableEntity, s.say("Групповое событие не найдено", "Group event not found"))
		return
	case c == nil:
		refuse(w, http.StatusUnprocessableEntity, s.say("Клиент с телефоном "+phone+" не найден", "Client with phone "+phone+" not found"))
		return
	case s.active(e.ID) >= e.Capacity:
		refuse(w, http.StatusUnprocessableEntity, s.say("Нет свободных мест", "No free places"))
		return
	}
	for _, r := range s.records {
		if r.ActivityID == e.ID && r.ClientID == c.ID {
			refuse(w, http.StatusUnprocessableEntity, s.say("Клиент уже записан на это событие", "The client is already booked for this event"))
			return
		}
	}
	r := &record{ID: s.id(), VisitID: s.id(), ActivityID: e.ID, ClientID: c.ID, Start: e.Start, Length: e.Length,
		Title: e.Title, Cost: e.Price, Staff: e.Staff, Changed: s.now()}
	if len(s.abonements[c.ID]) > 0 {
		r.Paid = []float64{e.Price} // the abonement pays for it
	}
	s.records = append(s.records, r)
	// The document's sample is a list with page meta (L9494).
	answer(w, http.StatusCreated, []any{s.recordWire(r)}, map[string]any{"page": 1, "total_count": 1})
}

func (s *Server) deleteRecord(w http.ResponseWriter, idText string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.record(idText)
	if r == nil {
		refuse(w, http.StatusNotFound, "Запись не найдена")
		return
	}
	s.records = slices.DeleteFunc(s.records, func(x *record) bool { return x == r })
	r.Deleted, r.Changed = true, s.now()
	s.gone = append(s.gone, r)
	w.WriteHeader(http.StatusNoContent)
}

// updateVisit is PUT /visits/{visit_id}/{record_id}: attendance and comment
// are required. It acts on the visit, as a live account does: the mark is
// every record's, and fast_payment pays what the whole visit still owes,
// services and goods.
func (s *Server) updateVisit(w http.ResponseWriter, visitText, recordText string, body map[string]any) {
	att, okA := body["attendance"].(float64)
	_, okC := body["comment"].(string)
	if !okA || !okC {
		refuse(w, http.StatusUnprocessableEntity, "attendance и comment обязательны")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.record(recordText)
	if r == nil || strconv.Itoa(r.VisitID) != visitText {
		refuse(w, http.StatusNotFound, s.say("Визит не найден", "Visit not found"))
		return
	}
	visit := s.visitOf(r.VisitID)
	if fp, ok := body["fast_payment"]; ok {
		code, _ := fp.(float64)
		switch int(code) {
		case 1, 2, 129, 130:
		default:
			refuse(w, http.StatusUnprocessableEntity, "Неизвестный способ быстрой оплаты")
			return
		}
		unpaid := slices.DeleteFunc(slices.Clone(visit), func(x *record) bool { return x.paidFull() })
		if len(unpaid) == 0 {
			refuse(w, http.StatusUnprocessableEntity, s.say("Визит уже оплачен", "The visit is already paid"))
			return
		}
		p := Payment{RecordID: r.ID, Code: int(code)}
		for _, x := range unpaid {
			if left := x.due(); left > 0 {
				x.Paid = append(x.Paid, left)
			}
			if left := x.goodsCost() - sum(x.GoodsPaid); left > 0 {
				x.GoodsPaid = append(x.GoodsPaid, left)
			}
			p.Records = append(p.Records, x.ID)
			x.Changed = s.now()
		}
		s.payments = append(s.payments, p)
	}
	for _, x := range visit {
		x.Attendance, x.Changed = int(att), s.now()
	}
	r.Comment = body["comment"].(string)
	w.WriteHeader(http.StatusOK)
}

// SellGoods adds goods sold in a record (cost, and whether they are paid).
func (s *Server) SellGoods(recordID int, title string, cost float64, paid bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.record(strconv.Itoa(recordID)); r != nil {
		r.Goods, r.Changed = append(r.Goods, goods{Title: title, Cost: cost}), s.now()
		if paid {
			r.GoodsPaid = append(r.GoodsPaid, cost)
		}
	}
}

func (s *Server) visitHistory(w http.ResponseWriter, body map[string]any) {
	cid, _ := strconv.Atoi(str(body["client_id"]))
	from, err1 := time.ParseInLocation("2006-01-02", str(body["from"]), Moscow)
	to, err2 := time.ParseInLocation("2006-01-02", str(body["to"]), Moscow)
	if cid == 0 && str(body["client_phone"]) == "" {
		refuse(w, http.StatusUnprocessableEntity, "Укажите client_id или client_phone")
		return
	}
	if _, ok := body["payment_statuses"].([]any); !ok {
		refuse(w, http.StatusUnprocessableEntity, "payment_statuses обязателен")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	recs := []any{}
	for _, r := range s.records {
		if r.ClientID != cid || (err1 == nil && r.Start.Before(from)) || (err2 == nil && !r.Start.Before(to.AddDate(0, 0, 1))) {
			continue
		}
		if a, ok := body["attendance"].(float64); ok && int(a) != r.Attendance {
			continue
		}
		recs = append(recs, s.recordWire(r))
	}
	answer(w, 200, map[string]any{"goods_transactions": []any{}, "records": recs}, map[string]any{"dateCursor": map[string]any{}})
}

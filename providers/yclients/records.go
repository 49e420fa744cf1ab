package yclients

import (
	"bytes"
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/models"
)

// wireRecord is a record (an appointment, or a client's place in a group
// event) as GET /api/v1/record/{company_id}/{record_id} shows it (L9650);
// its nested objects are read as assumption 5 says.
type wireRecord struct {
	ID              id                         `json:"id"`
	StaffID         id                         `json:"staff_id"`
	Services        list[wireService]          `json:"services"`
	Staff           object[wireStaff]          `json:"staff"`
	Client          object[wireRecordClient]   `json:"client"`
	Date            stamp                      `json:"date"`
	Datetime        stamp                      `json:"datetime"`
	SeanceLength    number                     `json:"seance_length"`
	Length          number                     `json:"length"`
	Comment         text                       `json:"comment"`
	Attendance      count                      `json:"attendance"`
	VisitAttendance count                      `json:"visit_attendance"`
	VisitID         id                         `json:"visit_id"`
	Deleted         flag                       `json:"deleted"`
	PaidFull        number                     `json:"paid_full"`
	PaymentStatus   number                     `json:"payment_status"`
	ActivityID      id                         `json:"activity_id"`
	Transactions    payments                   `json:"finance_transactions"`
	Goods           list[wireGoodsTransaction] `json:"goods_transactions"`
	Documents       list[wireDocument]         `json:"documents"`
}

// wireService is an item of a record's services (the user-records table,
// L2380): the price the client pays for it is cost.
type wireService struct {
	ID     id     `json:"id"`
	Title  text   `json:"title"`
	Cost   amount `json:"cost"`
	Amount number `json:"amount"`
}

// wireStaff is the staff member of a record or an event.
type wireStaff struct {
	ID   id   `json:"id"`
	Name text `json:"name"`
}

// wireRecordClient is a record's client (never described by the
// document: assumption 5).
type wireRecordClient struct {
	ID      id   `json:"id"`
	Name    text `json:"name"`
	Surname text `json:"surname"`
	Phone   text `json:"phone"`
	Email   text `json:"email"`
}

// wireFinanceTransact is a payment of a record
// (include_finance_transactions=1; assumption 6). Live answers carry the
// expense it was booked to (5 "Service payments", 7 "Product sales") and,
// for goods, the goods transaction it pays.
type wireFinanceTransact struct {
	ID                 id                  `json:"id"`
	Amount             amount              `json:"amount"`
	ExpenseID          number              `json:"expense_id"`
	Expense            object[wireExpense] `json:"expense"`
	GoodsTransactionID id                  `json:"goods_transaction_id"`
	RecordID           id                  `json:"record_id"`
}

type wireExpense struct {
	ID    number `json:"id"`
	Title text   `json:"title"`
}

// expenseGoods is the expense of a payment for goods ("Product sales",
// "Продажа товаров"): GET /visit/details and the live records show 5 for
// services and 7 for goods.
const expenseGoods = 7

// forGoods reports a payment for goods sold in the visit, not for its
// services (assumption 6).
func (t wireFinanceTransact) forGoods() bool {
	g := strings.TrimSpace(string(t.GoodsTransactionID))
	return (g != "" && g != "0") || t.ExpenseID == expenseGoods || t.Expense.V.ID == expenseGoods
}

// payments is a record's finance_transactions, and whether the answer
// carried them at all: GET /visits/{id} does not, and a record read
// without them has no known due.
type payments struct {
	items list[wireFinanceTransact]
	read  bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (p *payments) UnmarshalJSON(b []byte) error {
	p.read = string(bytes.TrimSpace(b)) != "null"
	return p.items.UnmarshalJSON(b)
}

// wireGoodsTransaction is goods sold in the visit, in the record: cost is
// what the client pays for it (cost_to_pay in live answers).
type wireGoodsTransaction struct {
	ID        id     `json:"id"`
	Title     text   `json:"title"`
	Cost      amount `json:"cost"`
	CostToPay amount `json:"cost_to_pay"`
}

// wireDocument is a record's document: type 7 "Визит" is the sale
// document the visit's record is paid through (each record has its own,
// with its record_id, in the reference and the live answers).
type wireDocument struct {
	ID       id     `json:"id"`
	TypeID   number `json:"type_id"`
	VisitID  id     `json:"visit_id"`
	RecordID id     `json:"record_id"`
}

// documentVisit is the type of a visit's sale document.
const documentVisit = 7

// recordEntry is what the desk remembers of a record it has shown, so that
// marking it needs no second read.
type recordEntry struct {
	visitID    string
	comment    string
	attendance int
	activityID string
	clientID   string
	due        models.Money
	paid       bool
	lesson     models.Lesson
}

func (w wireRecord) activity() string {
	if a := strings.TrimSpace(string(w.ActivityID)); a != "" && a != "0" {
		return a
	}
	return ""
}

// start is the record's time: datetime carries its offset, date is naive
// in the company's zone.
func (w wireRecord) start(loc *time.Location) (time.Time, bool) {
	if t, ok := w.Datetime.At(loc); ok {
		return t, true
	}
	return w.Date.At(loc)
}

func (w wireRecord) length() time.Duration {
	if d := seconds(first(w.SeanceLength, w.Length)); d > 0 {
		return d
	}
	return time.Hour
}

// attendance is the record's mark: attendance, or visit_attendance when
// only that is given (the PUT record answer).
func (w wireRecord) attendance() int {
	if w.Attendance.OK {
		return int(w.Attendance.Value)
	}
	return int(w.VisitAttendance.Value)
}

func attendanceModel(a int) models.Attendance {
	switch a {
	case 1:
		return models.Attended
	case -1:
		return models.NoShow
	}
	return models.Expected // 0 waiting, 2 confirmed
}

func attendanceWire(a models.Attendance) int {
	switch a {
	case models.Attended:
		return 1
	case models.NoShow:
		return -1
	}
	return 0
}

// title names a record by its services.
func (w wireRecord) title() string {
	var ts []string
	for _, s := range w.Services {
		if t := strings.TrimSpace(string(s.Title)); t != "" && !slices.Contains(ts, t) {
			ts = append(ts, t)
		}
	}
	return strings.Join(ts, ", ")
}

// paid reports a fully paid record: paid_full 1, or payment_status 1, the
// record's own field, which live answers set exactly with paid_full
// (assumption 6); a partly paid record is what the amounts say.
func (w wireRecord) paid() bool { return w.PaidFull == 1 || w.PaymentStatus == 1 }

// cost is what the record's services cost the client.
func (w wireRecord) cost(cur string) models.Money {
	total := models.Money{Currency: cur}
	for _, s := range w.Services {
		total = total.Add(money(s.Cost, cur))
	}
	return total
}

// due is what is left to pay for the record's services: their cost less
// the payments made for them — a payment for goods sold in the visit pays
// the goods, not the services (assumption 6); nothing once YCLIENTS says
// the record is paid. known is false when the answer carried no payments
// (GET /visits): the due is then not zero but unknown.
func (w wireRecord) due(cur string) (models.Money, bool) {
	if w.paid() {
		return models.Money{Currency: cur}, true
	}
	d := w.cost(cur)
	for _, t := range w.Transactions.items {
		if !t.forGoods() {
			d = d.Sub(money(t.Amount, cur))
		}
	}
	if d.Minor < 0 {
		d.Minor = 0
	}
	return d, w.Transactions.read
}

// dueOr is the due, or zero when the answer did not carry the payments
// (the rows of a roster read without them never are).
func (w wireRecord) dueOr(cur string) models.Money {
	d, _ := w.due(cur)
	return d
}

// goodsDue is what the goods sold in the record still owe: fast payment
// would take it too.
func (w wireRecord) goodsDue(cur string) models.Money {
	if w.paid() {
		return models.Money{Currency: cur}
	}
	d := models.Money{Currency: cur}
	for _, g := range w.Goods {
		c := g.CostToPay
		if _, ok := c.Money(cur); !ok {
			c = g.Cost
		}
		m := money(c, cur)
		if m.Minor < 0 {
			m.Minor = -m.Minor // goods leave the storage: some answers sign them
		}
		d = d.Add(m)
	}
	for _, t := range w.Transactions.items {
		if t.forGoods() {
			d = d.Sub(money(t.Amount, cur))
		}
	}
	if d.Minor < 0 {
		d.Minor = 0
	}
	return d
}

// document is the record's own sale document (type 7, this record's id,
// or the only type 7 one), "" when the answer shows none.
func (w wireRecord) document() string {
	var only []string
	for _, d := range w.Documents {
		if d.TypeID != documentVisit || d.ID == "" {
			continue
		}
		if string(d.RecordID) == string(w.ID) {
			return string(d.ID)
		}
		only = append(only, string(d.ID))
	}
	if len(only) == 1 {
		return only[0]
	}
	return ""
}

// lesson is the lesson a record stands for when the events search says
// nothing of it: its group event (capacity unknown, assumption 7), or the
// individual appointment itself (one client, no capacity).
func (w wireRecord) lesson(loc *time.Location) (models.Lesson, bool) {
	start, ok := w.start(loc)
	if !ok {
		return models.Lesson{}, false
	}
	l := models.Lesson{Start: start, End: start.Add(w.length()), Title: w.title(), Instructor: strings.TrimSpace(string(w.Staff.V.Name))}
	if a := w.activity(); a != "" {
		l.ID = activityLesson(a)
	} else {
		l.ID, l.Booked = recordLesson(string(w.ID)), 1 // no capacity claimed: "booked 1"
	}
	if l.Title == "" {
		l.Title = "Запись"
	}
	return l, true
}

// Lesson IDs say what they are: a group event (A<activity id>) or one
// individual record (R<record id>).
func activityLesson(a string) string { return "A" + a }
func recordLesson(r string) string   { return "R" + r }

func parseLesson(lessonID string) (kind byte, id string) {
	if len(lessonID) < 2 || (lessonID[0] != 'A' && lessonID[0] != 'R') {
		return 0, ""
	}
	return lessonID[0], pathID(lessonID[1:])
}

// booking maps a record into a booking of l, its amounts in cur.
func (w wireRecord) booking(l models.Lesson, cur string) models.Booking {
	cl := w.Client.V
	b := models.Booking{
		ID: string(w.ID), Lesson: l, ClientID: string(cl.ID),
		ClientName:  strings.TrimSpace(strings.TrimSpace(string(cl.Surname)) + " " + strings.TrimSpace(string(cl.Name))),
		ClientPhone: string(cl.Phone), Attendance: attendanceModel(w.attendance()),
		AmountDue: w.dueOr(cur), Paid: w.paid(),
	}
	if w.Deleted {
		b.Status = models.Cancelled
	}
	if b.ClientName == "" && b.ClientID != "" {
		b.ClientName = "#" + b.ClientID
	}
	return b
}

func (w wireRecord) entry(l models.Lesson, cur string) recordEntry {
	return recordEntry{
		visitID: strings.TrimSpace(string(w.VisitID)), comment: string(w.Comment), attendance: w.attendance(),
		activityID: w.activity(), clientID: string(w.Client.V.ID), due: w.dueOr(cur), paid: w.paid(), lesson: l,
	}
}

// remember keeps what a record's marking and payment need.
func (c *Client) remember(w wireRecord, l models.Lesson) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if w.ID != "" {
		c.records[string(w.ID)] = w.entry(l, c.currencyLocked())
	}
	if cl := w.Client.V; cl.ID != "" && cl.Phone != "" {
		c.phones[string(cl.ID)] = string(cl.Phone)
	}
}

// recordsQuery is the records list's filters for the days first..last.
func recordsQuery(first, last models.Date) url.Values {
	return url.Values{
		"start_date": {wireDate(first)}, "end_date": {wireDate(last)},
		"include_finance_transactions": {"1"},
	}
}

// listRecords reads GET /api/v1/records/{company_id} with q, every page.
func (c *Client) listRecords(ctx context.Context, op string, q url.Values) ([]wireRecord, error) {
	var all []wireRecord
	for page := 1; page <= maxPages; page++ {
		pq := url.Values{}
		for k, v := range q {
			pq[k] = v
		}
		pq.Set("page", strconv.Itoa(page))
		pq.Set("count", strconv.Itoa(recordPage))
		var rs list[wireRecord]
		m, err := c.get(ctx, op, "/api/v1/records/"+c.companyID, pq, &rs)
		if err != nil {
			return nil, err
		}
		all = append(all, rs...)
		if lastPage(len(rs), len(all), recordPage, m) {
			break
		}
	}
	return all, nil
}

// lastPage decides when a list is read: an empty page, or total_count
// reached when the answer gives it (a server may answer fewer per page than
// asked), else a page shorter than asked.
func lastPage(got, sofar, asked int, m meta) bool {
	switch {
	case got == 0:
		return true
	case m.TotalCount.OK:
		return int64(sofar) >= m.TotalCount.Value
	}
	return got < asked
}

// record reads one record with its payments.
func (c *Client) record(ctx context.Context, op, recordID string) (wireRecord, error) {
	var w wireRecord
	q := url.Values{"include_finance_transactions": {"1"}}
	if _, err := c.get(ctx, op, "/api/v1/record/"+c.companyID+"/"+pathID(recordID), q, &w); err != nil {
		return wireRecord{}, err
	}
	return w, nil
}

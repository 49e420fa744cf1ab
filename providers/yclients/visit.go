package yclients

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// A client's records of one day are one visit in YCLIENTS, and PUT
// /visits/{visit_id}/{record_id} acts on the visit: its fast payment pays
// all of it, its attendance marks every record (assumptions 11, 12, 21).
// So the desk reads the visit (GET /visits/{visit_id}) before it pays or
// marks, and acts on one record alone only when the visit holds no other.

// wireVisit is GET /api/v1/visits/{visit_id}: the visit's status and its
// records, whole but without their payments.
type wireVisit struct {
	Attendance count            `json:"attendance"`
	Datetime   stamp            `json:"datetime"`
	Records    list[wireRecord] `json:"records"`
}

// visit is a record's visit as the desk read it.
type visit struct {
	id     string
	record wireRecord   // the record asked about
	others []wireRecord // the visit's other records, by start
}

func (v visit) multi() bool { return len(v.others) > 0 }

// all is the visit's records, the asked one among them, by start.
func (v visit) all(loc *time.Location) []wireRecord {
	out := append([]wireRecord{v.record}, v.others...)
	slices.SortStableFunc(out, func(a, b wireRecord) int {
		ta, _ := a.start(loc)
		tb, _ := b.start(loc)
		return ta.Compare(tb)
	})
	return out
}

// due is what the whole visit owes for its services; ok is false when one
// unpaid record's payments are not known.
func (v visit) due(cur string) (models.Money, bool) {
	sum := models.Money{Currency: cur}
	for _, r := range append([]wireRecord{v.record}, v.others...) {
		d, ok := r.due(cur)
		if !ok {
			return models.Money{}, false
		}
		sum = sum.Add(d)
	}
	return sum, true
}

// goodsDue is what the goods sold in the visit still owe.
func (v visit) goodsDue(cur string) models.Money {
	sum := models.Money{Currency: cur}
	for _, r := range append([]wireRecord{v.record}, v.others...) {
		sum = sum.Add(r.goodsDue(cur))
	}
	return sum
}

// readVisit reads the visit record rid belongs to. With amounts, the
// record and every unpaid one of the visit are read with their payments
// (GET /visits carries none); without, the visit alone says which records
// it holds. When GET /visits is refused, the client's records of the day
// that carry the same visit_id are the visit (assumption 21).
func (c *Client) readVisit(ctx context.Context, op, rid string, amounts bool) (visit, error) {
	var w wireRecord
	var visitID string
	if !amounts {
		c.mu.Lock()
		e, ok := c.records[rid]
		c.mu.Unlock()
		if ok {
			visitID = e.visitID
		}
	}
	if visitID == "" || visitID == "0" || amounts {
		var err error
		if w, err = c.record(ctx, op, rid); err != nil {
			return visit{}, err
		}
		visitID = strings.TrimSpace(string(w.VisitID))
	}
	if visitID == "" || visitID == "0" {
		return visit{}, providers.Refusal(providers.ErrValidation, op, noVisit, rid)
	}
	recs, err := c.visitRecords(ctx, op, visitID, w)
	if err != nil {
		return visit{}, err
	}
	v := visit{id: visitID, record: w}
	found := false
	for _, r := range recs {
		if string(r.ID) == rid {
			found = true
			if w.ID == "" {
				v.record = r
			}
			continue
		}
		if r.Deleted {
			continue
		}
		if amounts {
			if _, known := r.due(c.currency()); !known {
				if fresh, err := c.record(ctx, op, string(r.ID)); err == nil {
					r = fresh
				}
				// A record that cannot be read keeps its due unknown: the
				// whole visit's due is then unknown too, never summed.
			}
		}
		v.others = append(v.others, r)
	}
	if !found && w.ID == "" {
		// The remembered visit does not hold the record any more: read the
		// record itself for its visit.
		return c.readVisit(ctx, op, rid, true)
	}
	if v.record.ID == "" {
		v.record.ID = id(rid)
	}
	loc := c.zone()
	slices.SortStableFunc(v.others, func(a, b wireRecord) int {
		ta, _ := a.start(loc)
		tb, _ := b.start(loc)
		return ta.Compare(tb)
	})
	return v, nil
}

// visitRecords is what GET /visits/{visit_id} says the visit holds, or,
// when the call is refused, the records of the day of w's client that
// carry the visit's id.
func (c *Client) visitRecords(ctx context.Context, op, visitID string, w wireRecord) ([]wireRecord, error) {
	var wv wireVisit
	_, err := c.get(ctx, op, "/api/v1/visits/"+pathID(visitID), nil, &wv)
	if err == nil {
		return wv.Records, nil
	}
	if !refused(err) || w.ID == "" {
		return nil, err
	}
	loc := c.zone()
	start, ok := w.start(loc)
	if !ok {
		return nil, err
	}
	day := models.DateOf(start, loc)
	q := recordsQuery(day, day)
	if cl := strings.TrimSpace(string(w.Client.V.ID)); cl != "" {
		q.Set("client_id", pathID(cl))
	}
	recs, lerr := c.listRecords(ctx, op, q)
	if lerr != nil {
		return nil, err
	}
	var out []wireRecord
	for _, r := range recs {
		if strings.TrimSpace(string(r.VisitID)) == visitID {
			out = append(out, r)
		}
	}
	return out, nil
}

// VisitOf implements providers.VisitInspector: the visit a booking belongs
// to, each record with what it owes, and the methods by which this record
// can be paid alone (its own sale document and a cash desk of that kind,
// assumption 21).
func (c *Client) VisitOf(ctx context.Context, bookingID string) (models.VisitGroup, error) {
	const op = "visit"
	if err := c.prepare(ctx, op); err != nil {
		return models.VisitGroup{}, err
	}
	if err := c.allowed(providers.CapRoster); err != nil {
		return models.VisitGroup{}, err
	}
	rid := pathID(bookingID)
	v, err := c.readVisit(ctx, op, rid, true)
	if err != nil {
		return models.VisitGroup{}, err
	}
	g := c.group(v)
	if v.multi() && c.Capabilities().Has(providers.CapTakePayment) {
		if s, err := c.sale(ctx, op, v.record); err == nil {
			for _, m := range []models.PaymentMethod{models.PayCash, models.PayCard} {
				if _, ok := s.account(m); ok {
					g.Alone = append(g.Alone, m)
				}
			}
		}
	}
	return g, nil
}

// group is the visit as the desk shows it.
func (c *Client) group(v visit) models.VisitGroup {
	loc, cur := c.zone(), c.currency()
	g := models.VisitGroup{ID: v.id, BookingID: string(v.record.ID)}
	for _, r := range v.all(loc) {
		l, _ := r.lesson(loc)
		if known, ok := c.lesson(l.ID); ok {
			l = known
		}
		due, known := r.due(cur)
		g.Records = append(g.Records, models.VisitRecord{
			BookingID: string(r.ID), LessonID: l.ID, Title: l.Title, Start: l.Start, Instructor: l.Instructor,
			Attendance: attendanceModel(r.attendance()), Due: due, DueKnown: known, Paid: r.paid(),
		})
	}
	return g
}

// Words of a refusal to act on one record of a visit of several.
var (
	wholeVisitPay = providers.Words{
		EN: "this visit holds %d bookings: %s. YCLIENTS pays a visit whole: confirm the whole visit, %s, or pay in YCLIENTS",
		RU: "в этом визите записей: %d — %s. YCLIENTS оплачивает визит целиком: подтвердите весь визит, %s, или примите оплату в YCLIENTS"}
	wholeVisitMark = providers.Words{
		EN: "this visit holds %d bookings: %s. YCLIENTS marks a visit whole: confirm marking all of them, or mark in YCLIENTS",
		RU: "в этом визите записей: %d — %s. YCLIENTS отмечает визит целиком: подтвердите отметку всех записей или отметьте в YCLIENTS"}
	dueUnknown = providers.Words{EN: "due unknown", RU: "к оплате — неизвестно"}
	paidWord   = providers.Words{EN: "paid", RU: "оплачено"}
	dueWord    = providers.Words{EN: "%s due", RU: "к оплате %s"}
)

// wholeVisit is the refusal to pay or mark one record of a visit of
// several: it lists the visit in both languages, each record with what it
// owes, and (for a payment) the whole visit's due.
func (c *Client) wholeVisit(op string, v visit, why providers.Words) error {
	loc, cur := c.zone(), c.currency()
	var lines []providers.Words
	for _, r := range v.all(loc) {
		at := ""
		if t, ok := r.start(loc); ok {
			at = " " + t.In(loc).Format("15:04")
		}
		state := paidWord
		if !r.paid() {
			if d, ok := r.due(cur); ok {
				state = dueWord.Fill(d)
			} else {
				state = dueUnknown
			}
		}
		title := r.title()
		if title == "" {
			title = "#" + string(r.ID)
		}
		if why == wholeVisitMark {
			// A mark says which records it changes; what they owe is the
			// payment's business (and not read for a mark).
			lines = append(lines, providers.Words{EN: title + at, RU: title + at})
			continue
		}
		lines = append(lines, providers.Words{EN: title + at + " (" + state.EN + ")", RU: title + at + " (" + state.RU + ")"})
	}
	list := models.Join(lines, ", ")
	n := len(v.others) + 1
	w := providers.Words{EN: fmt.Sprintf(why.EN, n, list.EN), RU: fmt.Sprintf(why.RU, n, list.RU)}
	if why == wholeVisitPay {
		total := dueUnknown
		if d, ok := v.due(cur); ok {
			total = providers.Words{EN: d.String(), RU: d.String()}
		}
		w = providers.Words{EN: fmt.Sprintf(why.EN, n, list.EN, total.EN), RU: fmt.Sprintf(why.RU, n, list.RU, total.RU)}
	}
	return &providers.Error{Kind: providers.ErrWholeVisit, Op: op, Desk: w}
}

// MarkAttendance sets the visit's status with PUT /api/v1/visits/{visit_id}
// /{record_id}: 1 came, -1 did not come, 0 waiting. It reads the visit
// first: YCLIENTS marks every record of a visit at once, so a visit that
// holds other records is refused (providers.ErrWholeVisit) until the
// receptionist confirms the whole visit (MarkVisit). The record's comment
// is sent back as it is (the call requires one). Re-sending the same mark
// is harmless, so after an unknown outcome the receptionist may press
// again.
func (c *Client) MarkAttendance(ctx context.Context, bookingID string, a models.Attendance) error {
	return c.mark(ctx, "mark attendance", bookingID, a, false)
}

// MarkVisit implements providers.VisitMarker: the mark of every record of
// the visit, after the receptionist has seen them.
func (c *Client) MarkVisit(ctx context.Context, bookingID string, a models.Attendance) error {
	return c.mark(ctx, "mark visit", bookingID, a, true)
}

func (c *Client) mark(ctx context.Context, op, bookingID string, a models.Attendance, whole bool) error {
	if err := c.prepare(ctx, op); err != nil {
		return err
	}
	if err := c.allowed(providers.CapAttendance); err != nil {
		return err
	}
	rid := pathID(bookingID)
	v, err := c.readVisit(ctx, op, rid, false)
	if err != nil {
		return err
	}
	if v.multi() && !whole {
		return c.wholeVisit(op, v, wholeVisitMark)
	}
	body := map[string]any{"attendance": attendanceWire(a), "comment": string(v.record.Comment)}
	if _, err := c.send(ctx, op, http.MethodPut, "/api/v1/visits/"+pathID(v.id)+"/"+rid, body, nil); err != nil {
		return err
	}
	c.mu.Lock()
	for _, r := range append([]wireRecord{v.record}, v.others...) {
		if e, ok := c.records[string(r.ID)]; ok {
			e.attendance = attendanceWire(a)
			c.records[string(r.ID)] = e
		}
	}
	c.mu.Unlock()
	for _, r := range append([]wireRecord{v.record}, v.others...) {
		c.patchDay(string(r.ID), func(w *wireRecord) {
			w.Attendance, w.VisitAttendance = count{Value: int64(attendanceWire(a)), OK: true}, count{Value: int64(attendanceWire(a)), OK: true}
		})
	}
	return nil
}

// wireSale is GET /company/{id}/sale/{document_id}: the sale document's
// items, payments and the ways it can be paid (the full reference's
// "Операция продажи").
type wireSale struct {
	State          object[wireSaleState]   `json:"state"`
	PaymentMethods list[wirePaymentMethod] `json:"payment_methods"`
}

type wireSaleState struct {
	Items    list[wireSaleItem]         `json:"items"`
	Payments list[wireSalePaymentTrans] `json:"payment_transactions"`
}

type wireSaleItem struct {
	ID             id     `json:"id"`
	Type           text   `json:"type"` // "service" or "good"
	Title          text   `json:"title"`
	CostToPayTotal amount `json:"cost_to_pay_total"`
}

type wireSalePaymentTrans struct {
	ID           id     `json:"id"`
	Amount       amount `json:"amount"`
	SaleItemType text   `json:"sale_item_type"`
	ExpenseID    number `json:"expense_id"`
}

type wirePaymentMethod struct {
	Slug         text                `json:"slug"`
	IsApplicable flag                `json:"is_applicable"`
	AccountID    id                  `json:"account_id"`
	Account      object[wireAccount] `json:"account"`
}

type wireAccount struct {
	ID        id   `json:"id"`
	Title     text `json:"title"`
	IsCash    flag `json:"is_cash"`
	IsDefault flag `json:"is_default"`
}

// sale is a record's own sale document, read.
type sale struct {
	doc string
	w   wireSale
}

// sale reads the record's own sale document.
func (c *Client) sale(ctx context.Context, op string, r wireRecord) (sale, error) {
	doc := r.document()
	if doc == "" {
		return sale{}, providers.Refusal(providers.ErrNotFound, op, noDocument, string(r.ID))
	}
	var w wireSale
	if _, err := c.get(ctx, op, "/api/v1/company/"+c.companyID+"/sale/"+pathID(doc), nil, &w); err != nil {
		return sale{}, err
	}
	return sale{doc: doc, w: w}, nil
}

var noDocument = providers.Words{EN: "record %s shows no sale document", RU: "у записи %s нет документа продажи"}

// account is the cash desk the document can be paid into by method: the
// applicable "account" method of that kind (cash or not), the only one or
// the default one.
func (s sale) account(m models.PaymentMethod) (string, bool) {
	var ids, defaults []string
	for _, pm := range s.w.PaymentMethods {
		if string(pm.Slug) != "account" || !bool(pm.IsApplicable) {
			continue
		}
		acct := first(strings.TrimSpace(string(pm.AccountID)), strings.TrimSpace(string(pm.Account.V.ID)))
		if acct == "" || bool(pm.Account.V.IsCash) != (m == models.PayCash) {
			continue
		}
		ids = append(ids, acct)
		if pm.Account.V.IsDefault {
			defaults = append(defaults, acct)
		}
	}
	switch {
	case len(ids) == 1:
		return ids[0], true
	case len(defaults) == 1:
		return defaults[0], true
	}
	return "", false
}

// due is what the document says its services still owe: their cost to pay
// less the payments for services.
func (s sale) due(cur string) models.Money {
	d := models.Money{Currency: cur}
	for _, it := range s.w.State.V.Items {
		if string(it.Type) == "service" {
			d = d.Add(money(it.CostToPayTotal, cur))
		}
	}
	for _, p := range s.w.State.V.Payments {
		if string(p.SaleItemType) == "good" || p.ExpenseID == expenseGoods {
			continue
		}
		d = d.Sub(money(p.Amount, cur))
	}
	if d.Minor < 0 {
		d.Minor = 0
	}
	return d
}

// payPath is the document's payment call.
func (c *Client) payPath(doc string) string {
	return "/api/v1/company/" + c.companyID + "/sale/" + pathID(doc) + "/payment"
}

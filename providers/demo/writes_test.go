package demo

import (
	"reflect"
	"strings"
	"testing"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

func plan(t *testing.T, c *Club, id string) models.Plan {
	t.Helper()
	p, ok := c.plan(id)
	if !ok {
		t.Fatalf("no plan %s", id)
	}
	return p
}

func pay(method models.PaymentMethod, roubles int64) models.Payment {
	return models.Payment{Method: method, Amount: rub(roubles)}
}

func TestSell(t *testing.T) {
	c := newClub(t, testNow, map[string]any{"clients": 300})
	today := models.DateOf(testNow, moscow)
	before, _ := c.ShiftReport(bg, today)

	res, err := c.Sell(bg, models.Sale{ClientID: idNew, Plan: plan(t, c, planUnlimited),
		Payments: []models.Payment{pay(models.PayCash, 2000), pay(models.PayCard, 3000)}})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Membership
	if res.MembershipCreated != models.OutcomeDone || m.State != models.StateActive || m.Start != today ||
		m.End != today.AddMonths(1).AddDays(-1) || !m.Unlimited || m.AmountDue.IsPositive() || m.ID == "" {
		t.Fatalf("sold %+v", res)
	}
	if len(res.Payments) != 2 || res.Charged() != rub(5000) || res.Payments[0].Detail == "" {
		t.Errorf("payments %+v", res.Payments)
	}
	if v := judge(t, c, idNew, testNow); v.Level != models.Green {
		t.Errorf("after the sale Новосёлов is %v", codes(v))
	}
	after, _ := c.ShiftReport(bg, today)
	if after.Sales != before.Sales+1 || after.Total.Minor-before.Total.Minor != rub(5000).Minor {
		t.Errorf("report before %+v after %+v", before, after)
	}

	// A plan that starts on the first visit is sold not started; the
	// year's plan carries its fee; a future start is not started.
	res, err = c.Sell(bg, models.Sale{ClientID: idNew, Plan: plan(t, c, planTwelve),
		Payments: []models.Payment{pay(models.PayCard, 5400)}})
	if err != nil || res.Membership.State != models.StateNotStarted || !res.Membership.Start.IsZero() ||
		res.Membership.VisitsLeft != 12 {
		t.Errorf("12 посещений: %+v, %v", res.Membership, err)
	}
	res, err = c.Sell(bg, models.Sale{ClientID: idNew, Plan: plan(t, c, planYear), Start: today.AddDays(7),
		Payments: []models.Payment{pay(models.PayTransfer, 44000)}})
	if err != nil || res.Membership.State != models.StateNotStarted || res.Membership.Start != today.AddDays(7) {
		t.Errorf("Годовой клубный from next week: %+v, %v", res.Membership, err)
	}
	// A discount with a reason.
	_, err = c.Sell(bg, models.Sale{ClientID: idNew, Plan: plan(t, c, planEight),
		Discount: models.Discount{Kind: models.DiscountPercent, Percent: 10, Reason: "Студент"},
		Payments: []models.Payment{pay(models.PayCash, 3600)}})
	if err != nil {
		t.Errorf("discounted sale: %v", err)
	}
}

func TestSellRefusals(t *testing.T) {
	c := newClub(t, testNow, map[string]any{"clients": 300})
	today := models.DateOf(testNow, moscow)
	p := plan(t, c, planUnlimited)
	cases := []struct {
		name string
		sale models.Sale
		kind error
	}{
		{"payments short", models.Sale{ClientID: idNew, Plan: p, Payments: []models.Payment{pay(models.PayCash, 4000)}}, providers.ErrValidation},
		{"no payments", models.Sale{ClientID: idNew, Plan: p}, providers.ErrValidation},
		{"discount without reason", models.Sale{ClientID: idNew, Plan: p, Discount: models.Discount{Kind: models.DiscountPercent, Percent: 10},
			Payments: []models.Payment{pay(models.PayCash, 4500)}}, providers.ErrValidation},
		{"start in the past", models.Sale{ClientID: idNew, Plan: p, Start: today.AddDays(-1),
			Payments: []models.Payment{pay(models.PayCash, 5000)}}, providers.ErrValidation},
		{"unknown client", models.Sale{ClientID: "77", Plan: p, Payments: []models.Payment{pay(models.PayCash, 5000)}}, providers.ErrNotFound},
		{"unknown plan", models.Sale{ClientID: idNew, Plan: models.Plan{ID: "x"}, Payments: []models.Payment{pay(models.PayCash, 5000)}}, providers.ErrNotFound},
	}
	for _, tc := range cases {
		res, err := c.Sell(bg, tc.sale)
		wantKind(t, err, tc.kind)
		if res.MembershipCreated != models.OutcomeFailed || res.Charged().IsPositive() {
			t.Errorf("%s: result %+v", tc.name, res)
		}
	}
	if ms, _ := c.Memberships(bg, idNew); len(ms) != 0 {
		t.Errorf("refused sales created %d memberships", len(ms))
	}
}

func TestSellFromDeposit(t *testing.T) {
	c := newClub(t, testNow, map[string]any{"clients": 300})
	today := models.DateOf(testNow, moscow)
	p := plan(t, c, planUnlimited) // 5 000 ₽; Зеленина has 1 500 ₽ on deposit
	clBefore, _ := c.Client(bg, idGreen)
	msBefore, _ := c.Memberships(bg, idGreen)
	repBefore, _ := c.ShiftReport(bg, today)

	res, err := c.Sell(bg, models.Sale{ClientID: idGreen, Plan: p,
		Payments: []models.Payment{pay(models.PayDeposit, 2000), pay(models.PayCash, 3000)}})
	pe := wantKind(t, err, providers.ErrInsufficientFunds)
	if !strings.Contains(pe.Message, "1 500") || res.Charged().IsPositive() ||
		res.Payments[0].Outcome != models.OutcomeFailed || res.Payments[1].Outcome != models.OutcomeNotTried {
		t.Errorf("refused deposit sale: %v %+v", err, res)
	}
	clAfter, _ := c.Client(bg, idGreen)
	msAfter, _ := c.Memberships(bg, idGreen)
	repAfter, _ := c.ShiftReport(bg, today)
	if !reflect.DeepEqual(clBefore, clAfter) || !reflect.DeepEqual(msBefore, msAfter) || !reflect.DeepEqual(repBefore, repAfter) {
		t.Fatal("a refused sale changed the club")
	}

	_, err = c.Sell(bg, models.Sale{ClientID: idGreen, Plan: p,
		Payments: []models.Payment{pay(models.PayDeposit, 1500), pay(models.PayCard, 3500)}})
	if err != nil {
		t.Fatal(err)
	}
	cl, _ := c.Client(bg, idGreen)
	rep, _ := c.ShiftReport(bg, today)
	if !cl.Deposit.IsZero() {
		t.Errorf("deposit after paying 1 500 ₽ from it: %v", cl.Deposit)
	}
	// Money from the deposit was taken when it was topped up, not now.
	if rep.Total.Minor-repBefore.Total.Minor != rub(3500).Minor || rep.Sales != repBefore.Sales+1 {
		t.Errorf("report %+v after %+v", rep, repBefore)
	}
}

func TestTakePayment(t *testing.T) {
	c := newClub(t, testNow, map[string]any{"clients": 300})
	ms, _ := c.Memberships(bg, idDebt)
	var m models.Membership
	for _, x := range ms {
		if x.AmountDue.IsPositive() {
			m = x
		}
	}
	req := func(pays ...models.Payment) models.PaymentRequest {
		return models.PaymentRequest{ClientID: idDebt, Purpose: models.PayForMembership, MembershipID: m.ID, Payments: pays}
	}
	res, err := c.TakePayment(bg, req(pay(models.PayCash, 3000)))
	wantKind(t, err, providers.ErrValidation)
	if res.Charged().IsPositive() || res.Payments[0].Outcome != models.OutcomeFailed {
		t.Errorf("refused overpayment: %+v", res)
	}
	_, err = c.TakePayment(bg, req(pay(models.PayDeposit, 1000)))
	wantKind(t, err, providers.ErrInsufficientFunds)
	_, err = c.TakePayment(bg, models.PaymentRequest{ClientID: idDebt, MembershipID: "M0", Payments: []models.Payment{pay(models.PayCash, 1)}})
	wantKind(t, err, providers.ErrNotFound)

	if res, err = c.TakePayment(bg, req(pay(models.PayCash, 1000))); err != nil || res.Charged() != rub(1000) {
		t.Fatalf("part payment: %+v, %v", res, err)
	}
	if v := judge(t, c, idDebt, testNow); v.Reasons[0].Amount != rub(1500) {
		t.Errorf("after paying 1 000 ₽ the debt is %v", v.Reasons[0].Amount)
	}
	if _, err = c.TakePayment(bg, req(pay(models.PayCard, 1500))); err != nil {
		t.Fatal(err)
	}
	if v := judge(t, c, idDebt, testNow); v.Level != models.Green {
		t.Errorf("after paying the debt: %v", codes(v))
	}
	_, err = c.TakePayment(bg, req(pay(models.PayCard, 100)))
	wantKind(t, err, providers.ErrValidation)
}

func TestTopUpDeposit(t *testing.T) {
	c := newClub(t, testNow, map[string]any{"clients": 300})
	today := models.DateOf(testNow, moscow)
	before, _ := c.ShiftReport(bg, today)
	top := func(pays ...models.Payment) (models.PaymentResult, error) {
		return c.TopUpDeposit(bg, models.PaymentRequest{ClientID: idNew, Purpose: models.PayToDeposit, Payments: pays})
	}
	_, err := top(pay(models.PayDeposit, 100))
	wantKind(t, err, providers.ErrValidation)
	_, err = top()
	wantKind(t, err, providers.ErrValidation)
	_, err = top(models.Payment{Method: models.PayCash, Amount: models.Money{Minor: -100, Currency: "RUB"}})
	wantKind(t, err, providers.ErrValidation)
	if res, err := top(pay(models.PayCash, 3000), pay(models.PayCard, 2000)); err != nil || res.Charged() != rub(5000) {
		t.Fatalf("top-up: %+v, %v", res, err)
	}
	cl, _ := c.Client(bg, idNew)
	after, _ := c.ShiftReport(bg, today)
	if cl.Deposit != rub(5000) || after.Total.Minor-before.Total.Minor != rub(5000).Minor || after.Sales != before.Sales {
		t.Errorf("deposit %v, report %+v after %+v", cl.Deposit, after, before)
	}
	// Now the deposit pays for a plan.
	if _, err := c.Sell(bg, models.Sale{ClientID: idNew, Plan: plan(t, c, planEight),
		Payments: []models.Payment{pay(models.PayDeposit, 4000)}}); err != nil {
		t.Errorf("sale from a topped-up deposit: %v", err)
	}
}

func TestShiftReportPastDay(t *testing.T) {
	c := newClub(t, testNow, map[string]any{"clients": 1000})
	rep, err := c.ShiftReport(bg, models.DateOf(testNow, moscow).AddDays(-1))
	if err != nil || rep.CheckIns == 0 || rep.Sales == 0 || !rep.Total.IsPositive() {
		t.Fatalf("yesterday: %+v, %v", rep, err)
	}
	var sum models.Money
	for _, p := range rep.Takings {
		if p.Method == models.PayDeposit || !p.Amount.IsPositive() {
			t.Errorf("taking %+v", p)
		}
		sum = sum.Add(p.Amount)
	}
	if sum != rep.Total {
		t.Errorf("takings add up to %v, total %v", sum, rep.Total)
	}
	rep, err = c.ShiftReport(bg, models.DateOf(testNow, moscow).AddDays(30))
	if err != nil || rep.CheckIns != 0 || rep.Sales != 0 || !rep.Total.IsZero() {
		t.Errorf("a day to come: %+v, %v", rep, err)
	}
}

func TestBindCard(t *testing.T) {
	c := newClub(t, testNow, map[string]any{"clients": 300})
	// Зеленина's card in another format is still hers.
	err := c.BindCard(bg, idNew, "111,27706")
	if pe := wantKind(t, err, providers.ErrCardInUse); !strings.Contains(pe.Message, "Зеленина Ольга") {
		t.Errorf("message %q does not name the holder", pe.Message)
	}
	wantKind(t, c.BindCard(bg, idNew, "не карта!"), providers.ErrValidation)
	wantKind(t, c.BindCard(bg, "404", "0000012345"), providers.ErrNotFound)
	if err := c.BindCard(bg, idNew, "0000012345"); err != nil {
		t.Fatal(err)
	}
	if err := c.BindCard(bg, idNew, "00003039"); err != nil { // the same card, in hex
		t.Errorf("binding the same card again: %v", err)
	}
	if err := c.BindCard(bg, idGreen, "0040856634"); err != nil {
		t.Errorf("binding a client's own card: %v", err)
	}
	cl, _ := c.Client(bg, idNew)
	if !reflect.DeepEqual(cl.Cards, []string{"0000012345"}) {
		t.Errorf("cards %v", cl.Cards)
	}
	if found, err := c.ClientByCard(bg, "12345"); err != nil || found.ID != idNew {
		t.Errorf("the new card finds %s, %v", found.ID, err)
	}
	wantKind(t, c.BindCard(bg, idGreen, "0000012345"), providers.ErrCardInUse)
}

func TestCreateClient(t *testing.T) {
	c := newClub(t, testNow, map[string]any{"clients": 300})
	_, err := c.CreateClient(bg, models.NewClient{Phone: "123"})
	pe := wantKind(t, err, providers.ErrValidation)
	for _, f := range []string{"LastName", "FirstName", "Phone"} {
		if pe.Fields[f] == "" {
			t.Errorf("no message for %s: %+v", f, pe)
		}
	}
	_, err = c.CreateClient(bg, models.NewClient{LastName: "Тестов", FirstName: "Тест", Phone: "+7 916 555-00-01"})
	if pe := wantKind(t, err, providers.ErrValidation); !strings.Contains(pe.Message, "Зеленина") {
		t.Errorf("a taken phone: %q", pe.Message)
	}
	_, err = c.CreateClient(bg, models.NewClient{LastName: "Тестов", FirstName: "Тест", Phone: "89990001122", Card: "07302202"})
	wantKind(t, err, providers.ErrCardInUse)

	cl, err := c.CreateClient(bg, models.NewClient{LastName: " ёлкина ", FirstName: "Мария", Phone: "8 (999) 000-11-22",
		Email: "m.elkina@mail.ru", Card: "0000054321", Birthday: models.NewDate(1990, 5, 17)})
	if err != nil {
		t.Fatal(err)
	}
	if cl.LastName != "Ёлкина" || cl.Phone != "+7 999 000-11-22" || cl.ID == "" || len(cl.Cards) != 1 {
		t.Errorf("created %+v", cl)
	}
	if got, err := c.Client(bg, cl.ID); err != nil || got.FullName() != "Ёлкина Мария" {
		t.Errorf("Client(%s) = %+v, %v", cl.ID, got, err)
	}
	for _, q := range []string{"елкина", "79990001122", "m.elkina", "0000054321"} {
		if res := search(t, c, q, 5); len(res) == 0 || res[0].ID != cl.ID {
			t.Errorf("search %q does not find the new client: %v", q, ids(res))
		}
	}
	if v := judge(t, c, cl.ID, testNow); v.Level != models.Red || v.Reasons[0].Code != models.ReasonNoMembership {
		t.Errorf("a new client's verdict: %v", codes(v))
	}
	second, err := c.CreateClient(bg, models.NewClient{LastName: "Ёлкин", FirstName: "Пётр", Phone: "+79990001123"})
	if err != nil || second.ID == cl.ID {
		t.Errorf("second client %+v, %v", second, err)
	}
}

// TestPayForBooking: a client booked without a usable membership owes the
// single visit's price; the desk takes all of it, once.
func TestPayForBooking(t *testing.T) {
	c := newClub(t, testNow, map[string]any{"clients": 300})
	open := lessonWhere(t, c, func(l models.Lesson) bool { return !l.Full() && l.Start.After(testNow) && !l.Cancelled })
	b, err := c.Book(bg, open.ID, idNew)
	if err != nil {
		t.Fatal(err)
	}
	single := plan(t, c, planSingle).Price
	if b.AmountDue != single || b.Paid {
		t.Fatalf("Новосёлов's drop-in: %+v", b)
	}
	covered, err := c.Book(bg, open.ID, idGreen)
	if err != nil || covered.AmountDue.IsPositive() {
		t.Fatalf("Зеленина's membership covers her visit: %+v %v", covered, err)
	}
	req := func(ps ...models.Payment) models.PaymentRequest {
		return models.PaymentRequest{ClientID: idNew, Purpose: models.PayForBooking, BookingID: b.ID, Payments: ps}
	}
	before, _ := c.ShiftReport(bg, models.DateOf(testNow, moscow))
	if _, err := c.TakePayment(bg, req(pay(models.PayCash, 500))); err == nil {
		t.Fatal("part of a visit was taken")
	}
	other := models.PaymentRequest{ClientID: idGreen, Purpose: models.PayForBooking, BookingID: b.ID, Payments: []models.Payment{pay(models.PayCash, 900)}}
	if _, err := c.TakePayment(bg, other); err == nil {
		t.Fatal("another client paid Новосёлов's visit")
	}
	res, err := c.TakePayment(bg, req(pay(models.PayCash, 400), pay(models.PayCard, 500)))
	if err != nil || res.Charged() != single || res.Payments[1].Detail == "" {
		t.Fatalf("%+v %v", res, err)
	}
	roster, _ := c.Roster(bg, open.ID)
	for _, rb := range roster {
		if rb.ID == b.ID && (!rb.Paid || rb.AmountDue.IsPositive()) {
			t.Fatalf("after payment %+v", rb)
		}
	}
	if _, err := c.TakePayment(bg, req(pay(models.PayCash, 900))); err == nil {
		t.Fatal("a visit was paid twice")
	}
	after, _ := c.ShiftReport(bg, models.DateOf(testNow, moscow))
	if after.Total.Minor-before.Total.Minor != single.Minor {
		t.Fatalf("takings moved by %v", after.Total.Sub(before.Total))
	}
}

// TestUndoCheckIn: a check-in taken back leaves the club as it was — no
// visit, the membership's visit given back, the booking unmarked, the
// day's count as before — and cannot be taken back twice; a visit the desk
// did not make is refused.
func TestUndoCheckIn(t *testing.T) {
	c := newClub(t, testNow, map[string]any{"clients": 300})
	today := models.DateOf(testNow, moscow)
	from, to := today.Bounds(moscow)
	bs, _ := c.ClientBookings(bg, idGreen, from, to)
	report, _ := c.ShiftReport(bg, today)
	v, err := c.CheckIn(bg, models.CheckIn{ClientID: idGreen, BookingID: bs[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.UndoCheckIn(bg, v); err != nil {
		t.Fatal(err)
	}
	if vs, _ := c.Visits(bg, idGreen, from); len(vs) != 0 {
		t.Errorf("visits today after the undo: %+v", vs)
	}
	if after, _ := c.ShiftReport(bg, today); after.CheckIns != report.CheckIns {
		t.Errorf("check-ins %d, want %d", after.CheckIns, report.CheckIns)
	}
	if bs, _ = c.ClientBookings(bg, idGreen, from, to); bs[0].Attendance != models.Expected {
		t.Errorf("the booking is %+v after the undo, want expected", bs[0])
	}
	wantKind(t, c.UndoCheckIn(bg, v), providers.ErrNotFound)
	// A new visit never takes the id of the one undone.
	v2, err := c.CheckIn(bg, models.CheckIn{ClientID: idGreen})
	if err != nil || v2.ID == v.ID {
		t.Errorf("check-in after the undo: %+v, %v (undone %s)", v2, err, v.ID)
	}

	// A pack gets its visit back; a plan started by the visit is not
	// started again.
	ms, _ := c.Memberships(bg, idLastVisit)
	left := ms[0].VisitsLeft
	v, err = c.CheckIn(bg, models.CheckIn{ClientID: idLastVisit})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.UndoCheckIn(bg, v); err != nil {
		t.Fatal(err)
	}
	if ms, _ = c.Memberships(bg, idLastVisit); ms[0].VisitsLeft != left {
		t.Errorf("visits left %d after the undo, want %d", ms[0].VisitsLeft, left)
	}
	if _, err := c.Sell(bg, models.Sale{ClientID: idNew, Plan: plan(t, c, planPoolTen),
		Payments: []models.Payment{pay(models.PayCard, 5000)}}); err != nil {
		t.Fatal(err)
	}
	v, err = c.CheckIn(bg, models.CheckIn{ClientID: idNew})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.UndoCheckIn(bg, v); err != nil {
		t.Fatal(err)
	}
	if ms, _ = c.Memberships(bg, idNew); ms[0].State != models.StateNotStarted || ms[0].VisitsLeft != 10 {
		t.Errorf("the first visit undone: %+v", ms[0])
	}

	// The club's own history is not the desk's to undo.
	old, _ := c.Visits(bg, idGreen, testNow.AddDate(0, -1, 0))
	if len(old) < 2 {
		t.Fatalf("Зеленина has %d visits in a month", len(old))
	}
	wantKind(t, c.UndoCheckIn(bg, old[len(old)-1]), providers.ErrValidation)
	wantKind(t, c.UndoCheckIn(bg, models.Visit{ID: "V1-1", ClientID: "999999"}), providers.ErrNotFound)
}

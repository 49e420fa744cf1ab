package luckyfit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/luckyfit/luckyfittest"
)

func rub(n int64) models.Money { return models.Major(n, "RUB") }

func membershipFor(t *testing.T, c *Client, clientID, ticketID string) models.Membership {
	t.Helper()
	ms, err := c.Memberships(context.Background(), clientID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.ID == ticketID {
			return m
		}
	}
	t.Fatalf("no membership %s in %+v", ticketID, ms)
	return models.Membership{}
}

// Another desk empties the deposit while this one sells 3 500 cash + 1 500
// from the deposit: LuckyFit takes the cash and refuses the deposit part.
// What is still owed is what LuckyFit holds — the price less what reached
// the ticket — on the card, in p, and in the shift report.
func TestWhatIsStillOwedStaysOwed(t *testing.T) {
	c, srv := sparseDesk(t)
	ctx := context.Background()
	other := lfAt(t, srv.URL+"/api", testKey)
	if _, err := other.TakePayment(ctx, models.PaymentRequest{ClientID: "10001", Purpose: models.PayForMembership, MembershipID: "501",
		Payments: []models.Payment{{Method: models.PayDeposit, Amount: rub(1500)}}}); err != nil {
		t.Fatalf("the other desk empties the deposit: %v", err)
	}
	month := planNamed(t, c, "Безлимит на месяц")
	res, err := c.Sell(ctx, models.Sale{ClientID: "10001", Plan: month, Start: models.DateOf(testNow, moscow),
		Payments: []models.Payment{{Method: models.PayCash, Amount: rub(3500)}, {Method: models.PayDeposit, Amount: rub(1500)}}})
	if !errors.Is(err, providers.ErrInsufficientFunds) || res.MembershipCreated != models.OutcomeDone ||
		res.Payments[0].Outcome != models.OutcomeDone || res.Payments[1].Outcome != models.OutcomeFailed {
		t.Fatalf("sale: %v %+v", err, res)
	}
	if res.Membership.AmountDue != rub(1500) {
		t.Fatalf("the result owes %s", res.Membership.AmountDue)
	}
	id := res.Membership.ID
	if m := membershipFor(t, c, "10001", id); m.AmountDue != rub(1500) || m.DueUnknown {
		t.Fatalf("the card owes %s (unknown %v)", m.AmountDue, m.DueUnknown)
	}
	// A desk started afresh reads the same from LuckyFit.
	fresh := lfAt(t, srv.URL+"/api", testKey)
	m := membershipFor(t, fresh, "10001", id)
	if m.AmountDue != rub(1500) || m.DueUnknown {
		t.Fatalf("a fresh desk reads %s (unknown %v)", m.AmountDue, m.DueUnknown)
	}
	v := models.Judge(models.VerdictInput{Memberships: []models.Membership{m}, Now: testNow, Location: moscow})
	if v.Level != models.Red {
		t.Fatalf("1 500 ₽ owed is red: %+v", v)
	}
	// p collects it; the ticket owes nothing more, and the shift counts it.
	paid, err := fresh.TakePayment(ctx, models.PaymentRequest{ClientID: "10001", Purpose: models.PayForMembership, MembershipID: id,
		Payments: []models.Payment{{Method: models.PayCash, Amount: m.AmountDue}}})
	if err != nil || paid.Charged() != rub(1500) {
		t.Fatalf("p: %v %+v", err, paid)
	}
	if m := membershipFor(t, fresh, "10001", id); !m.AmountDue.IsZero() || m.DueUnknown {
		t.Fatalf("after p the card owes %s", m.AmountDue)
	}
	r, err := fresh.ShiftReport(ctx, models.DateOf(testNow, moscow))
	if err != nil {
		t.Fatal(err)
	}
	cash := models.Money{}
	for _, p := range r.Takings {
		if p.Method == models.PayCash {
			cash = p.Amount
		}
	}
	if cash != rub(2500+3500+1500) { // the morning's 2 500, the sale's 3 500, the debt's 1 500
		t.Fatalf("shift cash %s: %+v", cash, r)
	}
}

// A fee refused after the price went through is owed on the fee account,
// and p pays it there.
func TestARefusedFeeIsOwedAndPaidToTheFeeAccount(t *testing.T) {
	c, srv := sparseDesk(t)
	ctx := context.Background()
	annual := planNamed(t, c, "Годовой клубный")
	res, err := c.Sell(ctx, models.Sale{ClientID: "10012", Plan: annual, Start: models.DateOf(testNow, moscow),
		Payments: []models.Payment{{Method: models.PayCash, Amount: rub(39000)}, {Method: models.PayDeposit, Amount: rub(5000)}}})
	if err == nil || res.Charged() != rub(39000) {
		t.Fatalf("sale: %v %+v", err, res)
	}
	fresh := lfAt(t, srv.URL+"/api", testKey)
	m := membershipFor(t, fresh, "10012", res.Membership.ID)
	if m.AmountDue != rub(5000) {
		t.Fatalf("owed %s", m.AmountDue)
	}
	before := srv.Requests("POST /transactions")
	if _, err := fresh.TakePayment(ctx, models.PaymentRequest{ClientID: "10012", Purpose: models.PayForMembership, MembershipID: m.ID,
		Payments: []models.Payment{{Method: models.PayCard, Amount: rub(5000)}}}); err != nil {
		t.Fatal(err)
	}
	if srv.Requests("POST /transactions") != before+1 {
		t.Fatal("one payment, one transaction")
	}
	if m := membershipFor(t, fresh, "10012", m.ID); !m.AmountDue.IsZero() {
		t.Fatalf("the fee is paid, still owed %s", m.AmountDue)
	}
}

// When LuckyFit's records cannot be read, or do not say the price with the
// discount, what is owed is unknown — never zero.
func TestAnUnreadableDueIsUnknownNotZero(t *testing.T) {
	c, srv := sparseDesk(t)
	srv.Inject("GET /transactions", luckyfittest.Fault{Status: 502}, luckyfittest.Fault{Status: 502}, luckyfittest.Fault{Status: 502})
	if m := membershipFor(t, c, "10004", "502"); !m.DueUnknown {
		t.Fatalf("transactions unreadable: %+v", m)
	}

	wr, c := newWire(t)
	wr.On("GET /client_tickets", func(w http.ResponseWriter, cl call) {
		if fmt.Sprint(cl.Params["ticket_state"]) == "2" {
			w.Write([]byte(ok("[]")))
			return
		}
		// No discount field, no debt field: the price with the discount
		// is not said.
		w.Write([]byte(ok(`[{"id":1,"client_id":10004,"ticket_id":1,"price":"5000","account_summ_id":9,"started":"2026-11-20"},
			{"id":2,"client_id":10004,"ticket_id":1,"price":"5000","account_summ_id":10,"started":"2026-11-20"}]`)))
	})
	wr.On("GET /transactions", func(w http.ResponseWriter, cl call) {
		if cl.Params["client_id"] != "10004" || cl.Params["lo#created_at"] == nil {
			t.Errorf("transactions asked with %v", cl.Params)
		}
		w.Write([]byte(ok(`[{"id":1,"client_id":10004,"account_dest_id":9,"summ":"2000"},{"id":2,"client_id":10004,"account_dest_id":10,"summ":"5000"},
			{"id":3,"client_id":10004,"account_dest_id":10,"summ":"900","signed":false}]`)))
	})
	if m := membershipFor(t, c, "10004", "1"); !m.DueUnknown {
		t.Fatalf("2 000 of an undiscounted 5 000 paid, the discount unknown: %+v", m)
	}
	if m := membershipFor(t, c, "10004", "2"); m.DueUnknown || !m.AmountDue.IsZero() {
		t.Fatalf("paid the whole price: nothing owed whatever the discount: %+v", m)
	}
}

// A debt payment that covers the rest of the price and the fee goes as
// two transactions, and the lost one is found as such.
func TestADebtPaymentSplitAcrossPriceAndFeeIsFound(t *testing.T) {
	c, srv := sparseDesk(t)
	ctx := context.Background()
	annual := planNamed(t, c, "Годовой клубный")
	res, _ := c.Sell(ctx, models.Sale{ClientID: "10012", Plan: annual, Start: models.DateOf(testNow, moscow),
		Payments: []models.Payment{{Method: models.PayCash, Amount: rub(38000)}, {Method: models.PayDeposit, Amount: rub(6000)}}})
	if res.Verdict() != models.SettledInPart {
		t.Fatalf("sale %+v", res)
	}
	m := membershipFor(t, c, "10012", res.Membership.ID)
	if m.AmountDue != rub(6000) {
		t.Fatalf("owed %s", m.AmountDue)
	}
	before := srv.Requests("POST /transactions")
	pay := models.PaymentRequest{ClientID: "10012", Purpose: models.PayForMembership, MembershipID: m.ID,
		Payments: []models.Payment{{Method: models.PayCash, Amount: rub(6000)}}}
	if r, err := c.TakePayment(ctx, pay); err != nil || r.Charged() != rub(6000) || len(r.Payments) != 2 {
		t.Fatalf("p: %+v %v", r, err)
	}
	if srv.Requests("POST /transactions") != before+2 {
		t.Fatal("1 000 to the price, 5 000 to the fee")
	}
	f, err := c.Reconcile(ctx, models.LostWrite{Kind: models.WritePay, ClientID: "10012", SubjectID: m.ID, Payments: pay.Payments, SentAt: testNow})
	if err != nil || !f.Found || len(f.Steps) != 1 || !strings.Contains(f.Detail.RU, "двумя транзакциями") {
		t.Fatalf("finding %+v %v", f, err)
	}
}

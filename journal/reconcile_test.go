package journal

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers/luckyfit/luckyfittest"
)

// annual is "Годовой клубный" (39 000 + 5 000 fee) with an amount off.
func (d *faultDesk) annual(t *testing.T, off int64, pays ...models.Payment) models.Sale {
	t.Helper()
	plans, err := d.rec.Plans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plans {
		if p.Name == "Годовой клубный" {
			s := models.Sale{ClientID: "10012", Plan: p, Start: models.DateOf(time.Now(), luckyfittest.Moscow), Payments: pays}
			if off > 0 {
				s.Discount = models.Discount{Kind: models.DiscountAmount, Amount: rub(off), Reason: "акция"}
			}
			return s
		}
	}
	t.Fatal("no annual plan")
	return models.Sale{}
}

// lostSale is a sale whose every request reached LuckyFit while the desk
// was killed before any answer: the journal holds its intent only.
func (d *faultDesk) lostSale(t *testing.T, s models.Sale) Operation {
	t.Helper()
	j := d.rec.Journal()
	totals := s.Totals()
	op, err := j.Begin(Entry{Kind: Sell, ClientID: s.ClientID, Subject: s.Plan.Name, SubjectID: s.Plan.ID, Amount: totals.Total.Minor,
		Currency: totals.Total.Currency, Fee: totals.Fee.Minor, Start: s.Start.String(), Parts: plannedParts(s.Payments)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.lf.Sell(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	o, _ := open(t, d.dir).Get(op)
	return o
}

// A lost "Годовой клубный" with its fee — 20 000 cash + 21 000 card, sent
// as the ticket, 20 000 and 16 000 to the price and 5 000 to the fee — is
// found whole: four requests, four found. (Matched by the planned parts'
// amounts it was "not found yet", inviting a second sale.)
func TestLostSaleWithAFeeIsFoundRequestByRequest(t *testing.T) {
	d := newFaultDesk(t)
	op := d.lostSale(t, d.annual(t, 3000, models.Payment{Method: models.PayCash, Amount: rub(20000)}, models.Payment{Method: models.PayCard, Amount: rub(21000)}))
	if op.Intent.Fee != 500000 || op.Lost().Fee != rub(5000) {
		t.Fatalf("the intent keeps the fee: %+v", op.Intent)
	}
	f, err := d.lf.Reconcile(context.Background(), op.Lost())
	if err != nil {
		t.Fatal(err)
	}
	if !f.Found || len(f.Steps) != 4 || f.Verdict() != models.SettledDone {
		t.Fatalf("finding %+v", f)
	}
	want := []struct {
		kind models.StepKind
		rub  int64
	}{{models.StepMembership, 0}, {models.StepPayment, 20000}, {models.StepPayment, 16000}, {models.StepFee, 5000}}
	for i, w := range want {
		if s := f.Steps[i]; !s.Found || s.Kind != w.kind || s.Payment.Amount.Minor != w.rub*100 || s.Ref == "" {
			t.Fatalf("step %d = %+v", i, s)
		}
	}
	if strings.Contains(f.Detail.RU, "не найдено") || !strings.Contains(f.Detail.RU, "платёж членского взноса 5 000 ₽ картой") {
		t.Fatalf("detail %q", f.Detail.RU)
	}
}

// A one-part cash sale of 38 000 (33 000 + the 5 000 fee) was two
// transactions: both are found.
func TestLostOnePartSaleWithAFeeIsFound(t *testing.T) {
	d := newFaultDesk(t)
	op := d.lostSale(t, d.annual(t, 6000, models.Payment{Method: models.PayCash, Amount: rub(38000)}))
	f, err := d.lf.Reconcile(context.Background(), op.Lost())
	if err != nil || !f.Found || len(f.Steps) != 3 {
		t.Fatalf("finding %+v %v", f, err)
	}
	// An intent written before the fee was journalled: the plan says it.
	op.Intent.Fee = 0
	if f, err := d.lf.Reconcile(context.Background(), op.Lost()); err != nil || !f.Found {
		t.Fatalf("without the journalled fee: %+v %v", f, err)
	}
}

// The ticket and the first payment went through, the second's answer was
// lost and it never reached LuckyFit: the finding says which is which (no
// found item under "not found"), the journal settles the sale in part,
// and the rest is what is left to take.
func TestSaleFoundInPartIsSettledInPartAndTheRestTaken(t *testing.T) {
	d := newFaultDesk(t)
	ctx := context.Background()
	s := d.annual(t, 0, models.Payment{Method: models.PayCash, Amount: rub(30000)}, models.Payment{Method: models.PayCard, Amount: rub(14000)})
	// The first payment goes through; the second is answered 502 by the
	// proxy in front of LuckyFit and never applied.
	d.srv.Inject("POST /transactions", luckyfittest.Fault{Pass: true}, luckyfittest.Fault{Status: 502})
	res, err := d.rec.Sell(ctx, s)
	if err == nil || res.Verdict() != models.SettledUnknown {
		t.Fatalf("sale %+v %v", res, err)
	}
	op := d.last(t)
	if op.Phase() != Unknown || op.Verdict() != models.SettledUnknown {
		t.Fatalf("journal %+v", op.Last)
	}
	f, err := d.lf.Reconcile(ctx, op.Lost())
	if err != nil || f.Found || f.Verdict() != models.SettledInPart {
		t.Fatalf("finding %+v %v", f, err)
	}
	if missing := f.Missing(); len(missing) != 2 || f.Unpaid() != rub(14000) {
		// 30 000 cash to the price; 9 000 card to the price and 5 000 to
		// the fee never arrived.
		t.Fatalf("missing %+v, unpaid %s", missing, f.Unpaid())
	}
	if i := strings.Index(f.Detail.RU, "пока не найдено"); i < 0 || strings.Contains(f.Detail.RU[i:], "абонемент") || strings.Contains(f.Detail.RU[i:], "30 000") {
		t.Fatalf("found items listed under not found: %q", f.Detail.RU)
	}
	parts, ref := PartsFound(f)
	if ref != res.Membership.ID || len(parts) != 3 {
		t.Fatalf("parts %+v ref %q", parts, ref)
	}
	j := d.rec.Journal()
	if err := j.ResolvePart(op.Intent.Op, parts, ref, "проверено на кассе"); err != nil {
		t.Fatal(err)
	}
	op, _ = j.Get(op.Intent.Op)
	if op.Phase() != ConfirmedPart || op.Phase().NeedsCheck() || op.Verdict() != models.SettledInPart || op.Rest() != rub(14000) || op.Created() != ref {
		t.Fatalf("settled %+v", op.Last)
	}
	if len(j.Pending()) != 0 || len(open(t, d.dir).Pending()) != 0 {
		t.Fatal("a sale settled in part still needs checking")
	}
	tally := TallyOf(j.Since(op.Intent.At), Sell)
	if tally.InPart != 1 || tally.Owed != rub(14000) || tally.Taken != rub(30000) {
		t.Fatalf("tally %+v", tally)
	}
	// Take the rest: a debt payment on the membership the sale created.
	paid, err := d.rec.TakePayment(ctx, models.PaymentRequest{ClientID: s.ClientID, Purpose: models.PayForMembership, MembershipID: ref,
		Payments: []models.Payment{{Method: models.PayCard, Amount: op.Rest()}}})
	if err != nil || paid.Charged() != rub(14000) {
		t.Fatalf("rest: %+v %v", paid, err)
	}
	// A settlement in part needs parts that went and parts that did not.
	if err := j.ResolvePart(op.Intent.Op, []Part{{Method: "cash", Amount: 1, Outcome: PartNotDone}}, "", ""); !errors.Is(err, ErrNotInPart) {
		t.Fatalf("nothing went: %v", err)
	}
	if err := j.ResolvePart(op.Intent.Op, []Part{{Method: "cash", Amount: 1, Outcome: "maybe"}}, "1", ""); err == nil {
		t.Fatal("a part without a verdict")
	}
}

func TestPhasesSpeakTheThreeWords(t *testing.T) {
	for ph, want := range map[Phase]models.Settled{Done: models.SettledDone, Confirmed: models.SettledDone, Partial: models.SettledInPart,
		ConfirmedPart: models.SettledInPart, Unknown: models.SettledUnknown, Intent: models.SettledUnknown, Refused: models.SettledFailed, Dismissed: models.SettledFailed} {
		if got, ok := ph.Settled(); !ok || got != want {
			t.Errorf("%s: %v", ph, got)
		}
	}
	if _, ok := Audit.Settled(); ok {
		t.Error("an audit line is no outcome")
	}
}

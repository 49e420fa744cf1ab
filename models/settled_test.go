package models

import "testing"

func TestSaleVerdictTellsTheTruth(t *testing.T) {
	rub := func(n int64) Money { return Major(n, "RUB") }
	part := func(n int64, o Outcome) PaymentOutcome {
		return PaymentOutcome{Payment: Payment{Amount: rub(n)}, Outcome: o}
	}
	cases := []struct {
		name string
		r    SaleResult
		want Settled
	}{
		{"all through", SaleResult{MembershipCreated: OutcomeDone, Payments: []PaymentOutcome{part(2000, OutcomeDone)}}, SettledDone},
		// The ticket was created and 2 000 taken: not "failed".
		{"ticket and first part", SaleResult{MembershipCreated: OutcomeDone, Payments: []PaymentOutcome{part(2000, OutcomeDone), part(1500, OutcomeFailed)}}, SettledInPart},
		{"ticket kept, nothing paid", SaleResult{MembershipCreated: OutcomeDone, Payments: []PaymentOutcome{part(2000, OutcomeFailed), part(1500, OutcomeNotTried)}}, SettledInPart},
		{"a part unknown", SaleResult{MembershipCreated: OutcomeDone, Payments: []PaymentOutcome{part(2000, OutcomeDone), part(1500, OutcomeUnknown)}}, SettledUnknown},
		{"ticket unknown", SaleResult{MembershipCreated: OutcomeUnknown}, SettledUnknown},
		{"refused, ticket taken back", SaleResult{MembershipCreated: OutcomeFailed, Payments: []PaymentOutcome{part(2000, OutcomeFailed)}}, SettledFailed},
		{"not sent", SaleResult{MembershipCreated: OutcomeNotTried}, SettledFailed},
	}
	for _, c := range cases {
		if got := c.r.Verdict(); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got.Words().EN, c.want.Words().EN)
		}
	}
	r := cases[1].r
	if h := r.Verdict().Heading(WriteSell, "Безлимит"); h.RU != "Продажа выполнена частично: Безлимит" || h.EN != "Sale done in part: Безлимит" {
		t.Fatalf("heading %+v", h)
	}
	if s := r.Summary(); s.RU != "принято 2 000 ₽, не принято 1 500 ₽" {
		t.Fatalf("summary %+v", s)
	}
	if r.NotTaken() != rub(1500) || r.Verdict().Level() != Yellow || r.Verdict().Mark() != "◐" {
		t.Fatalf("not taken %s, level %v", r.NotTaken(), r.Verdict().Level())
	}
	if h := SettledUnknown.Heading(WriteSell, "Безлимит").RU; h != "Исход продажи неизвестен: Безлимит — проверьте (F7), прежде чем повторять" {
		t.Fatalf("unknown heading %q", h)
	}
	if w := SettledInPart.Heading(WriteBook, "Йога"); w.RU != "Йога: выполнено частично" {
		t.Fatalf("other kinds %+v", w)
	}
	p := PaymentResult{Payments: []PaymentOutcome{part(1000, OutcomeDone), part(500, OutcomeFailed)}}
	if p.Verdict() != SettledInPart || (PaymentResult{}).Verdict() != SettledFailed {
		t.Fatal("payment verdicts")
	}
}

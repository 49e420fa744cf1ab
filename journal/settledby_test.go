package journal

import (
	"testing"
	"time"
)

// TestVerdictsSayWhoSettledThem: one journal for many desks (clubdesk
// serve): a verdict line — went through, did not, in part — says the desk
// and operator who gave it, read back after a reopen; Resolve without one
// says the journal's own.
func TestVerdictsSayWhoSettledThem(t *testing.T) {
	dir := t.TempDir()
	j := open(t, dir)
	var ops []string
	for range 3 {
		op, err := j.Begin(Entry{Kind: Pay, ClientID: "10004", Amount: 250000, Currency: "RUB",
			Parts: []Part{{Method: "cash", Amount: 150000, Currency: "RUB"}, {Method: "card", Amount: 100000, Currency: "RUB"}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := j.Finish(op, Unknown, Answer{Message: "no answer"}, "", nil); err != nil {
			t.Fatal(err)
		}
		ops = append(ops, op)
	}
	boris := Who{Desk: "192.0.2.7:51312", Operator: "Борис"}
	if err := j.ResolveBy(boris, ops[0], Confirmed, "платёж №61"); err != nil {
		t.Fatal(err)
	}
	if err := j.ResolvePartBy(Who{Operator: "Вера"}, ops[1], []Part{
		{Method: "cash", Amount: 150000, Currency: "RUB", Outcome: PartDone},
		{Method: "card", Amount: 100000, Currency: "RUB", Outcome: PartNotDone}}, "", "наличные есть"); err != nil {
		t.Fatal(err)
	}
	if err := j.Resolve(ops[2], Dismissed, "записи нет"); err != nil {
		t.Fatal(err)
	}
	want := map[string][3]string{
		ops[0]: {string(Confirmed), "192.0.2.7:51312", "Борис"},
		ops[1]: {string(ConfirmedPart), who.Desk, "Вера"},
		ops[2]: {string(Dismissed), who.Desk, who.Operator},
	}
	for _, jj := range []*Journal{j, open(t, dir)} {
		got := map[string][3]string{}
		for _, op := range jj.Since(time.Now().Add(-time.Hour)) {
			got[op.Intent.Op] = [3]string{string(op.Phase()), op.Last.Desk, op.Last.Operator}
			if op.Intent.Desk != who.Desk || op.Intent.Operator != who.Operator {
				t.Fatalf("the intent's desk changed: %+v", op.Intent)
			}
		}
		for op, w := range want {
			if got[op] != w {
				t.Fatalf("%s: phase, desk, operator = %q, want %q", op, got[op], w)
			}
		}
	}
}

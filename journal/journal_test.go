package journal

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/demo"
)

var who = Who{Profile: "main", Provider: "demo", Desk: "Reception 1", Operator: "Анна"}

func open(t *testing.T, dir string) *Journal {
	t.Helper()
	j, err := Open(dir, who)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func TestIntentsOutcomesAndVerdictsSurviveReopen(t *testing.T) {
	dir := t.TempDir()
	j := open(t, dir)
	sold, err := j.Begin(Entry{Kind: Sell, ClientID: "10001", ClientName: "Зеленина Ольга", Subject: "Безлимит", Amount: 500000, Currency: "RUB"})
	if err != nil {
		t.Fatal(err)
	}
	paid, _ := j.Begin(Entry{Kind: Pay, ClientID: "10004", Amount: 250000, Currency: "RUB"})
	booked, _ := j.Begin(Entry{Kind: Book, ClientID: "10004", SubjectID: "3001"})
	if err := j.Finish(sold, Done, Answer{}, "m-1", nil); err != nil {
		t.Fatal(err)
	}
	if err := j.Finish(paid, Unknown, Answer{Message: "CRM did not answer"}, "", nil); err != nil {
		t.Fatal(err)
	}
	// booked: the process died before the answer.

	j = open(t, dir)
	pending := j.Pending()
	if len(pending) != 2 || pending[0].Intent.Op != paid || pending[1].Intent.Op != booked {
		t.Fatalf("pending = %+v", pending)
	}
	if pending[0].Intent.Amount != 250000 || pending[0].Intent.Operator != "Анна" || pending[0].Last.Message != "CRM did not answer" {
		t.Fatalf("the payment lost its description: %+v", pending[0])
	}
	if err := j.Resolve(paid, Confirmed, "в CRM есть платёж №61"); err != nil {
		t.Fatal(err)
	}
	if err := j.Resolve(booked, Done, ""); err == nil {
		t.Fatal("done is not a receptionist's verdict")
	}
	if err := j.Resolve(booked, Dismissed, "записи нет"); err != nil {
		t.Fatal(err)
	}
	j = open(t, dir)
	if p := j.Pending(); len(p) != 0 {
		t.Fatalf("resolved operations still pending: %+v", p)
	}
	if op, ok := j.Get(sold); !ok || op.Phase() != Done || op.Last.Ref != "m-1" || op.Intent.ClientName != "Зеленина Ольга" {
		t.Fatalf("sale = %+v", op)
	}
	if n := len(j.Since(time.Now().Add(-time.Hour))); n != 3 {
		t.Fatalf("the audit trail has %d operations, want 3", n)
	}
	files, _ := filepath.Glob(filepath.Join(j.Dir(), "*.jsonl"))
	if len(files) != 1 {
		t.Fatalf("journal files: %v", files)
	}
	if st, err := os.Stat(files[0]); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("journal file mode: %v %v", st.Mode(), err)
	}
}

func TestTornLastLineIsSkippedAndTheNextLineReadable(t *testing.T) {
	dir := t.TempDir()
	j := open(t, dir)
	op, _ := j.Begin(Entry{Kind: Sell, ClientID: "1"})
	files, _ := filepath.Glob(filepath.Join(j.Dir(), "*.jsonl"))
	f, _ := os.OpenFile(files[0], os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"op":"` + op + `","phase":"do`) // the power went
	f.Close()

	j = open(t, dir)
	if j.Skipped() != 1 || len(j.Pending()) != 1 {
		t.Fatalf("skipped %d, pending %d", j.Skipped(), len(j.Pending()))
	}
	if err := j.Finish(op, Refused, Answer{Message: "нет"}, "", nil); err != nil {
		t.Fatal(err)
	}
	j = open(t, dir)
	if got, _ := j.Get(op); got.Phase() != Refused || len(j.Pending()) != 0 {
		t.Fatalf("after a torn line the outcome was lost: %+v", got)
	}
}

// TestKilledMidWriteLeavesTheIntent kills a process with SIGKILL after it
// recorded an intent and before the answer: the next start must show the
// operation as needing a check.
func TestKilledMidWriteLeavesTheIntent(t *testing.T) {
	if dir := os.Getenv("JOURNAL_TEST_CHILD"); dir != "" {
		j, err := Open(dir, who)
		if err != nil {
			os.Exit(2)
		}
		if _, err := j.Begin(Entry{Kind: Sell, ClientID: "10001", Amount: 500000, Currency: "RUB"}); err != nil {
			os.Exit(3)
		}
		os.WriteFile(filepath.Join(dir, "sent"), nil, 0o600)
		time.Sleep(time.Minute) // "waiting for the CRM"
		os.Exit(0)
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestKilledMidWriteLeavesTheIntent$")
	cmd.Env = append(os.Environ(), "JOURNAL_TEST_CHILD="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(dir, "sent")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the child never recorded its intent")
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	p := open(t, dir).Pending()
	if len(p) != 1 || p[0].Phase() != Intent || p[0].Intent.Amount != 500000 {
		t.Fatalf("after SIGKILL: %+v", p)
	}
}

// flaky is the demo club whose writes fail the way a network does.
type flaky struct {
	providers.Provider
	err   error
	calls int
}

func (f *flaky) Sell(ctx context.Context, s models.Sale) (models.SaleResult, error) {
	f.calls++
	if f.err != nil {
		return models.SaleResult{MembershipCreated: models.OutcomeUnknown}, f.err
	}
	return f.Provider.Sell(ctx, s)
}

func (f *flaky) MarkAttendance(ctx context.Context, id string, a models.Attendance) error {
	f.calls++
	if f.err != nil {
		return f.err
	}
	return f.Provider.MarkAttendance(ctx, id, a)
}

func demoClub(t *testing.T) providers.Provider {
	t.Helper()
	p, err := demo.New(providers.Settings{Now: func() time.Time { return time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRecordedWritesAreJournalledAroundTheCall(t *testing.T) {
	dir := t.TempDir()
	club := demoClub(t)
	f := &flaky{Provider: club}
	r := Wrap(f, open(t, dir))
	ctx := context.Background()

	cl, err := r.ClientByCard(ctx, "0040856634")
	if err != nil {
		t.Fatal(err)
	}
	plans, _ := r.Plans(ctx)
	plan := plans[0]
	sale := models.Sale{ClientID: cl.ID, Plan: plan, Start: models.NewDate(2026, 12, 1),
		Payments: []models.Payment{{Method: models.PayCash, Amount: plan.Price}}}
	if _, err := r.Sell(ctx, sale); err != nil {
		t.Fatal(err)
	}
	f.err = &providers.Error{Kind: providers.ErrOutcomeUnknown, Op: "sell", Message: "CRM did not answer"}
	if _, err := r.Sell(ctx, sale); !errors.Is(err, providers.ErrOutcomeUnknown) {
		t.Fatal(err)
	}
	f.err = context.Canceled // Esc while the mark was in flight
	r.MarkAttendance(ctx, "b-1", models.Attended)
	f.err = &providers.Error{Kind: providers.ErrValidation, Op: "attendance", Message: "Запись не найдена"}
	r.MarkAttendance(ctx, "b-2", models.NoShow)
	if f.calls != 4 {
		t.Fatalf("%d calls reached the provider, want 4 (each write once)", f.calls)
	}

	ops := open(t, dir).Since(time.Time{})
	if len(ops) != 4 {
		t.Fatalf("%d operations journalled", len(ops))
	}
	want := []Phase{Done, Unknown, Unknown, Refused}
	for i, op := range ops {
		if op.Phase() != want[i] {
			t.Errorf("operation %d (%s) is %s, want %s", i, op.Intent.Kind, op.Phase(), want[i])
		}
	}
	if ops[0].Intent.ClientName != cl.ShortName() || ops[0].Intent.Subject != plan.Name || ops[0].Intent.Amount != plan.Price.Minor ||
		len(ops[0].Intent.Parts) != 1 || ops[0].Intent.Parts[0].Method != "cash" {
		t.Errorf("the sale's intent: %+v", ops[0].Intent)
	}
	if ops[0].Last.Parts[0].Outcome != "done" || ops[3].Last.Message != "Запись не найдена" {
		t.Errorf("outcomes: %+v / %+v", ops[0].Last, ops[3].Last)
	}
}

func TestAWriteIsNotSentWhenItsIntentCannotBeRecorded(t *testing.T) {
	dir := t.TempDir()
	j := open(t, dir)
	// The month's file cannot be opened for writing (a directory stands in
	// its way; permissions would not stop root).
	if err := os.Mkdir(j.file(time.Now()), 0o700); err != nil {
		t.Fatal(err)
	}
	f := &flaky{Provider: demoClub(t)}
	err := Wrap(f, j).MarkAttendance(context.Background(), "b-1", models.Attended)
	if !errors.Is(err, providers.ErrUnavailable) || !strings.Contains(err.Error(), "nothing was sent") || f.calls != 0 {
		t.Fatalf("err %v, %d calls", err, f.calls)
	}
}

func TestOverrideIsAuditedWithItsReason(t *testing.T) {
	dir := t.TempDir()
	r := Wrap(demoClub(t), open(t, dir))
	ctx := context.Background()
	cl, err := r.ClientByCard(ctx, "0012630417") // expired membership: red
	if err != nil {
		t.Fatal(err)
	}
	r.CheckIn(ctx, models.CheckIn{ClientID: cl.ID, Override: "продлит после тренировки"})
	ops := open(t, dir).Since(time.Time{})
	if len(ops) != 2 || ops[0].Intent.Kind != Override || ops[0].Intent.Reason != "продлит после тренировки" ||
		ops[0].Intent.ClientName != cl.ShortName() || ops[0].Intent.Operator != "Анна" || ops[1].Intent.Kind != CheckIn {
		t.Fatalf("audit: %+v", ops)
	}
}

func TestLostWriteCarriesWhatWasSent(t *testing.T) {
	j := open(t, t.TempDir())
	op, _ := j.Begin(Entry{Kind: Pay, ClientID: "10004", SubjectID: "502", Amount: 250000, Currency: "RUB",
		Parts: []Part{{Method: "card", Amount: 100000, Currency: "RUB"}, {Method: "cash", Amount: 150000, Currency: "RUB"}}})
	o, _ := j.Get(op)
	w := o.Lost()
	if w.Kind != models.WritePay || w.ClientID != "10004" || w.SubjectID != "502" || w.Amount.Minor != 250000 || w.SentAt.IsZero() ||
		len(w.Payments) != 2 || w.Payments[0].Method != models.PayCard || w.Payments[1].Amount.Minor != 150000 {
		t.Fatalf("lost write = %+v", w)
	}
}

// A payment page is a write (Go-CRM creates a payment for it): journalled
// around the call, with what it was for, and the page's id as its answer.
func TestAPaymentPageIsJournalled(t *testing.T) {
	dir := t.TempDir()
	r := Wrap(demoClub(t), open(t, dir))
	ctx := context.Background()
	cl, err := r.ClientByCard(ctx, "0040856634")
	if err != nil {
		t.Fatal(err)
	}
	plans, _ := r.Plans(ctx)
	payer, ok := providers.As[providers.OnlinePayer](r)
	if !ok {
		t.Fatal("the journal hides the demo's payment page")
	}
	page, err := payer.OpenPaymentPage(ctx, providers.OnlinePayment{ClientID: cl.ID, Purpose: providers.OnlineBuyPlan, Plan: plans[0], Amount: plans[0].Price})
	if err != nil || page.URL == "" {
		t.Fatalf("%+v %v", page, err)
	}
	ops := open(t, dir).Since(time.Time{})
	if len(ops) != 1 {
		t.Fatalf("%d operations journalled", len(ops))
	}
	in := ops[0].Intent
	if in.Kind != PaymentPage || in.ClientName != cl.ShortName() || in.Subject != plans[0].Name || in.Amount != plans[0].Price.Minor || ops[0].Phase() != Done {
		t.Fatalf("journalled %+v, %s", in, ops[0].Phase())
	}
	if in.Kind.MovesMoney() {
		t.Fatal("showing a page moves no money at the desk")
	}
}

func TestAnAnswerKeepsEachVoiceApart(t *testing.T) {
	crm := &providers.Error{Kind: providers.ErrValidation, Op: "sell", Message: "Укажите причину скидки"}
	desk := providers.Refusal(providers.ErrNotFound, "card lookup", providers.CardNotFound, "0040")
	line := &providers.Error{Kind: providers.ErrOutcomeUnknown, Op: "pay", Message: "LuckyFit did not answer", Synthetic: true}
	for _, c := range []struct {
		err  error
		want Answer
	}{
		{nil, Answer{}},
		{crm, Answer{Message: "Укажите причину скидки"}},
		{desk, Answer{Why: models.Words{EN: "card 0040 not found", RU: "карта 0040 не найдена"}}},
		{line, Answer{Error: "LuckyFit did not answer"}},
		{errors.New("disk full"), Answer{Error: "disk full"}},
	} {
		if got := AnswerOf(c.err); got != c.want {
			t.Errorf("%v: %+v, want %+v", c.err, got, c.want)
		}
	}
}

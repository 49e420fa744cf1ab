package ui

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// visitsToday is what the demo club holds of the green member today.
func (d *deskProgram) visitsToday(t *testing.T) []models.Visit {
	t.Helper()
	ctx := context.Background()
	c, err := d.writes.ClientByCard(ctx, cardGreen)
	if err != nil {
		t.Fatal(err)
	}
	vs, err := d.writes.Visits(ctx, c.ID, time.Now().Add(-30*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

// TestUndoAScansCheckInOnTheRealLoop: the scan checks in; z and y, bunched
// in one write, take it back — the visit is gone at the demo club, the
// journal holds the undo as done, and the toast says so.
func TestUndoAScansCheckInOnTheRealLoop(t *testing.T) {
	d := startDeskProgramWith(t, strokeLatency, nil, RushOptions{CheckInOnScan: true})
	d.write(cardGreen + "\r")
	d.waitText("✔ вход отмечен", "z — отменить вход")
	d.quiet()
	if vs := d.visitsToday(t); len(vs) != 1 {
		t.Fatalf("%d visits after the scan, want 1", len(vs))
	}
	d.together("z", "y")
	d.waitText("отменён")
	d.quiet()
	if n := d.count("UndoCheckIn "); n != 1 {
		t.Fatalf("%d undos reached the CRM, want 1", n)
	}
	if vs := d.visitsToday(t); len(vs) != 0 {
		t.Fatalf("the demo club still holds %+v", vs)
	}
	var undo []journal.Phase
	for _, op := range d.j.Since(time.Now().Add(-time.Hour)) {
		if op.Intent.Kind == journal.UndoCheckIn {
			undo = append(undo, op.Phase())
		}
	}
	if !slices.Equal(undo, []journal.Phase{journal.Done}) {
		t.Fatalf("undos journalled: %v", undo)
	}
	// Never twice (a toast lasts until the next key: z alone).
	d.write("z")
	d.waitText("второй раз касса её не отправит")
	d.quiet()
	if n := d.count("UndoCheckIn "); n != 1 {
		t.Fatalf("%d undos reached the CRM after a second z y", n)
	}
}

// shifted is a running clock that a test can move forward.
type shifted struct {
	mu sync.Mutex
	by time.Duration
}

func (s *shifted) now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Now().Add(s.by)
}

func (s *shifted) add(d time.Duration) {
	s.mu.Lock()
	s.by += d
	s.mu.Unlock()
}

// TestUndoIsRefusedAfterFiveMinutes: past the window z says only the CRM
// can undo it now, and nothing is sent.
func TestUndoIsRefusedAfterFiveMinutes(t *testing.T) {
	clock := &shifted{}
	d := startDeskProgramWith(t, strokeLatency, clock.now, RushOptions{CheckInOnScan: true})
	d.write(cardGreen + "\r")
	d.waitText("✔ вход отмечен", "z — отменить вход")
	d.quiet()
	clock.add(5*time.Minute + time.Second)
	d.write("z")
	d.waitText("Прошло больше 5 минут")
	d.quiet()
	if n := d.count("UndoCheckIn "); n != 0 {
		t.Fatalf("%d undos reached the CRM after the window", n)
	}
	if vs := d.visitsToday(t); len(vs) != 1 {
		t.Fatalf("%d visits, want the check-in kept", len(vs))
	}
}

// noUndo is a CRM that can check in but not undo it.
type noUndo struct{ providers.Provider }

func (n noUndo) Capabilities() providers.Capabilities {
	return n.Provider.Capabilities().Without(providers.CapUndoCheckIn, providers.Words{EN: "no undo here", RU: "отмены тут нет"})
}

// TestNoUndoKeyWhereTheProviderCannot: the card says the desk cannot undo
// it, the help shows no undo key, and z is refused with the reason.
func TestNoUndoKeyWhereTheProviderCannot(t *testing.T) {
	n := 0
	h := newHarnessWith(t, "ru", func(o *Options) { o.Rush = rushDesk },
		func(p providers.Provider) providers.Provider { return countCheckIns{noUndo{p}, &n} })
	h.scan(cardGreen)
	if n != 1 {
		t.Fatalf("%d check-ins, want 1", n)
	}
	h.expect("✔ вход отмечен 10:05", "отменить вход с этой стойки нельзя — только в")
	h.expectNot("z — отменить вход")
	undoKey := h.m.sh.Keys().UndoCheckIn
	for _, b := range h.top().Help() {
		if slices.Equal(b.Keys(), undoKey.Keys()) {
			t.Fatalf("the help offers %q", b.Help().Key)
		}
	}
	h.press("z")
	h.expect("отмены тут нет")
	h.expectNot("Отменить вход")
}

// lostUndo is the demo club whose undo answer never comes.
type lostUndo struct{ providers.Provider }

func (l lostUndo) UndoCheckIn(ctx context.Context, v models.Visit) error {
	return &providers.Error{Kind: providers.ErrOutcomeUnknown, Op: "undo check in", Message: "no answer"}
}

// TestUndoAsksFirstAndAnUnknownOneNeedsChecking: z asks; n and Enter do
// not answer it; y sends it; an answer that never came leaves the undo in
// F7 to check, and z is not sent again.
func TestUndoAsksFirstAndAnUnknownOneNeedsChecking(t *testing.T) {
	h, _ := rushHarness(t, "ru", rushDesk)
	h.scan(cardGreen)
	h.press("z")
	h.expect("Отменить вход Зеленина Ольга 10:05? y — да, n — нет")
	h.press("n")
	h.expectNot("Отменить вход Зеленина")
	h.press("z", "enter")
	h.expect("Отменить вход Зеленина")
	if ops := undos(h); len(ops) != 0 {
		t.Fatalf("an undo went out without a yes: %+v", ops)
	}
	h.press("esc")
	h.expectNot("Отменить вход Зеленина")

	hl := newHarnessWith(t, "ru", func(o *Options) {
		o.Rush = rushDesk
		j, err := journal.Open(t.TempDir(), journal.Who{Profile: "main", Provider: "demo", Desk: "test", Operator: "Анна"}, journal.WithClock(o.Now))
		if err != nil {
			t.Fatal(err)
		}
		o.Journal = j
		o.Provider = journal.Wrap(o.Provider, j)
	}, func(p providers.Provider) providers.Provider { return lostUndo{p} })
	hl.scan(cardGreen)
	hl.press("z", "y")
	hl.expect("Отмена входа без ответа CRM")
	pend := hl.m.sh.Journal().Pending()
	if len(pend) != 1 || pend[0].Intent.Kind != journal.UndoCheckIn || pend[0].Phase() != journal.Unknown {
		t.Fatalf("pending %+v", pend)
	}
	hl.press("z")
	hl.expect("второй раз касса её не отправит")
	if n := len(undos(hl)); n != 1 {
		t.Fatalf("%d undos journalled, want 1", n)
	}
	hl.press("f7")
	hl.expect("Отмена входа")
	if !key.Matches(namedKey("z"), hl.m.sh.Keys().UndoCheckIn) {
		t.Fatal("z is not the undo key")
	}
}

func undos(h *harness) []journal.Operation {
	var out []journal.Operation
	for _, op := range h.m.sh.Journal().Since(testNow.Add(-time.Hour)) {
		if op.Intent.Kind == journal.UndoCheckIn {
			out = append(out, op)
		}
	}
	return out
}

// TestAnUndoneCheckInIsNoCheckIn: taken back, the check-in leaves who is
// here, and the same card scanned again checks in again (the journal no
// longer counts the one undone).
func TestAnUndoneCheckInIsNoCheckIn(t *testing.T) {
	h, n := rushHarness(t, "en", rushDesk)
	h.scan(cardGreen)
	h.press("z", "y")
	h.expect("undone")
	h.press("f8")
	h.expect("No check-ins yet today")
	h.press("esc", "esc")
	h.scan(cardGreen)
	if *n != 2 {
		t.Fatalf("%d check-ins, want the scan after the undo to check in again", *n)
	}
	h.expect("✔ checked in", "z — undo the check-in")
}

// TestUndoOffline: a check-in kept at the desk while the CRM is silent is
// dropped when taken back, and never sent; one that reached the CRM is not
// taken back offline, and the card says to do it in the CRM.
func TestUndoOffline(t *testing.T) {
	h, line, _ := offlineHarness(t)
	h.typeText("Зеленина")
	h.press("enter")
	h.expect("Карточка клиента: Зеленина")
	line.Cut()
	h.press("f5")
	h.expect("нет связи с 10:05")
	h.press("enter")
	h.expect("сохранено на кассе", "z — отменить вход")
	h.press("z", "y")
	h.expect("отменён")
	line.Mend()
	h.send(probeMsg{})
	if n := line.Calls("CheckIn"); n != 0 {
		t.Fatalf("the check-in taken back reached the club %d times", n)
	}
	if n := line.Calls("UndoCheckIn"); n != 0 {
		t.Fatalf("%d undos reached the club: nothing was there to undo", n)
	}

	// Online now: checked in at the CRM; then the line drops.
	h.press("esc") // the search, still on her
	h.press("enter")
	h.expect("Карточка клиента: Зеленина")
	h.now = h.now.Add(time.Second)
	h.press("enter")
	h.expect("✔ вход отмечен", "z — отменить вход")
	line.Cut()
	h.press("f5")
	h.expect("нет связи с")
	h.press("z", "y")
	h.expect("Нет связи с CRM: вход не отменён")
	if n := line.Calls("UndoCheckIn"); n != 0 {
		t.Fatalf("%d undos went out offline", n)
	}
	line.Mend()
	h.send(probeMsg{})
	if n := line.Calls("UndoCheckIn"); n != 0 {
		t.Fatalf("an undo refused offline was sent later (%d)", n)
	}
	// Refused, not sent: it may be asked again once the CRM answers.
	h.press("z", "y")
	h.expect("отменён")
	if n := line.Calls("UndoCheckIn"); n != 1 {
		t.Fatalf("%d undos reached the club, want 1", n)
	}
}

package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/demo"
	"github.com/clubdesk/clubdesk/ui/scanner"
	"github.com/clubdesk/clubdesk/ui/screens"
)

// A deskProgram is the console in Bubble Tea's own program, reading raw
// bytes from a pipe as it reads a terminal: keys written in one write
// reach the input decoder together, as an SSH link delivers them, and the
// provider answers late, from its own goroutines. The test looks at the
// model only on the program's goroutine (inspect).
type deskProgram struct {
	t      testing.TB
	p      *tea.Program
	in     *os.File
	writes *writeLog
	j      *journal.Journal
	done   chan struct{}
}

// inspectMsg runs fn on the program's goroutine, between two messages.
type inspectMsg struct {
	fn   func(m *Model)
	done chan struct{}
}

// probe is the root model with a window for the test.
type probe struct{ m *Model }

func (p probe) Init() tea.Cmd { return p.m.Init() }
func (p probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if in, ok := msg.(inspectMsg); ok {
		in.fn(p.m)
		close(in.done)
		return p, nil
	}
	_, cmd := p.m.Update(msg)
	return p, cmd
}
func (p probe) View() tea.View { return p.m.View() }

// writeLog is the demo club that counts the writes reaching it.
type writeLog struct {
	providers.Provider
	mu    sync.Mutex
	calls []string
}

func (w *writeLog) note(what string) {
	w.mu.Lock()
	w.calls = append(w.calls, what)
	w.mu.Unlock()
}

func (w *writeLog) list() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.calls)
}

func (w *writeLog) BindCard(ctx context.Context, id, tag string) error {
	w.note("BindCard " + id)
	return w.Provider.BindCard(ctx, id, tag)
}
func (w *writeLog) CreateClient(ctx context.Context, c models.NewClient) (models.Client, error) {
	w.note("CreateClient " + c.LastName)
	return w.Provider.CreateClient(ctx, c)
}
func (w *writeLog) Sell(ctx context.Context, s models.Sale) (models.SaleResult, error) {
	w.note("Sell " + s.ClientID)
	return w.Provider.Sell(ctx, s)
}
func (w *writeLog) TakePayment(ctx context.Context, r models.PaymentRequest) (models.PaymentResult, error) {
	w.note("TakePayment " + r.ClientID)
	return w.Provider.TakePayment(ctx, r)
}
func (w *writeLog) TopUpDeposit(ctx context.Context, r models.PaymentRequest) (models.PaymentResult, error) {
	w.note("TopUpDeposit " + r.ClientID)
	return w.Provider.TopUpDeposit(ctx, r)
}
func (w *writeLog) Book(ctx context.Context, lesson, client string) (models.Booking, error) {
	w.note("Book " + client)
	return w.Provider.Book(ctx, lesson, client)
}
func (w *writeLog) CancelBooking(ctx context.Context, id string, late bool) error {
	w.note("CancelBooking " + id)
	return w.Provider.CancelBooking(ctx, id, late)
}
func (w *writeLog) MarkAttendance(ctx context.Context, id string, a models.Attendance) error {
	w.note(fmt.Sprintf("MarkAttendance %s %v", id, a))
	return w.Provider.MarkAttendance(ctx, id, a)
}
func (w *writeLog) CheckIn(ctx context.Context, c models.CheckIn) (models.Visit, error) {
	w.note("CheckIn " + c.ClientID)
	return w.Provider.CheckIn(ctx, c)
}
func (w *writeLog) UndoCheckIn(ctx context.Context, v models.Visit) error {
	w.note("UndoCheckIn " + v.ID)
	return w.Provider.UndoCheckIn(ctx, v)
}

// startDeskProgram runs the demo club (every call latency late) through
// the journal, in a real program at 80x24.
func startDeskProgram(t testing.TB, latency time.Duration) *deskProgram {
	t.Helper()
	return startDeskProgramWith(t, latency, nil, RushOptions{})
}

// startDeskProgramWith is startDeskProgram on the club's clock now (nil:
// the machine's), with the desk's rush-hour settings.
func startDeskProgramWith(t testing.TB, latency time.Duration, now func() time.Time, rush RushOptions) *deskProgram {
	t.Helper()
	return startDeskProgramOpts(t, latency, now, func(o *Options) { o.Rush = rush })
}

// startDeskProgramOpts is startDeskProgramWith with the console's options
// as adjust leaves them.
func startDeskProgramOpts(t testing.TB, latency time.Duration, now func() time.Time, adjust func(*Options)) *deskProgram {
	t.Helper()
	club, err := demo.New(providers.Settings{Now: now, Extra: map[string]any{"latency": latency, "clients": 300}})
	if err != nil {
		t.Fatal(err)
	}
	var jopts []journal.Option
	if now != nil {
		jopts = append(jopts, journal.WithClock(now))
	}
	j, err := journal.Open(t.TempDir(), journal.Who{Profile: "main", Provider: "demo", Desk: "test", Operator: "Анна"}, jopts...)
	if err != nil {
		t.Fatal(err)
	}
	writes := &writeLog{Provider: club}
	o := Options{Provider: journal.Wrap(writes, j), Language: "ru", Operator: "Анна", Journal: j, Now: now}
	if adjust != nil {
		adjust(&o)
	}
	m, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	d := &deskProgram{t: t, in: w, writes: writes, j: j, done: make(chan struct{})}
	d.p = tea.NewProgram(probe{m}, tea.WithInput(scanner.NewInput(r)), tea.WithOutput(io.Discard), tea.WithoutSignals(),
		tea.WithWindowSize(80, 24), tea.WithoutRenderer())
	go func() {
		defer close(d.done)
		if _, err := d.p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
			t.Errorf("program: %v", err)
		}
	}()
	t.Cleanup(func() {
		d.p.Kill()
		w.Close()
		r.Close()
		<-d.done
	})
	d.waitFor("the first screen", func(m *Model) bool { return m.top().Kind() == screens.KindSearch })
	return d
}

// keyBytes are keys as an xterm sends them.
var keyBytes = map[string]string{
	"enter": "\r", "esc": "\x1b", "tab": "\t", "up": "\x1b[A", "down": "\x1b[B", "pgup": "\x1b[5~",
	"f1": "\x1bOP", "f2": "\x1bOQ", "f3": "\x1bOR", "f4": "\x1bOS", "f5": "\x1b[15~", "f6": "\x1b[17~",
	"f7": "\x1b[18~", "f10": "\x1b[21~", "ctrl+n": "\x0e", "ctrl+s": "\x13", "backspace": "\x7f",
}

func bytesOf(name string) string {
	if b, ok := keyBytes[name]; ok {
		return b
	}
	return name // a character types itself
}

// write sends raw bytes in one write.
func (d *deskProgram) write(raw string) {
	d.t.Helper()
	if _, err := d.in.WriteString(raw); err != nil {
		d.t.Fatal(err)
	}
}

// together presses keys in one write, as a link bunches them.
func (d *deskProgram) together(names ...string) {
	var b strings.Builder
	for _, n := range names {
		b.WriteString(bytesOf(n))
	}
	d.write(b.String())
}

// apart presses keys gap apart, each in a write of its own.
func (d *deskProgram) apart(gap time.Duration, names ...string) {
	for i, n := range names {
		if i > 0 {
			time.Sleep(gap)
		}
		d.write(bytesOf(n))
	}
}

// inspect runs fn on the program's goroutine.
func (d *deskProgram) inspect(fn func(m *Model)) {
	in := inspectMsg{fn: fn, done: make(chan struct{})}
	d.p.Send(in)
	select {
	case <-in.done:
	case <-time.After(10 * time.Second):
		d.t.Fatal("the program did not answer")
	}
}

func (d *deskProgram) screen() string {
	var s string
	d.inspect(func(m *Model) { s = ansi.Strip(m.View().Content) })
	return s
}

// waitFor waits until cond holds for the model.
func (d *deskProgram) waitFor(what string, cond func(m *Model) bool) {
	d.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok := false
		d.inspect(func(m *Model) { ok = cond(m) })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("waited for %s; the screen is:\n%s", what, d.screen())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitText waits until the screen shows every part.
func (d *deskProgram) waitText(parts ...string) {
	d.t.Helper()
	d.waitFor(fmt.Sprintf("%q", parts), func(m *Model) bool {
		s := ansi.Strip(m.View().Content)
		for _, p := range parts {
			if !strings.Contains(s, p) {
				return false
			}
		}
		return true
	})
}

// quiet waits until nothing is in flight and the keys held by the scanner
// have gone out: the end state.
func (d *deskProgram) quiet() {
	d.t.Helper()
	time.Sleep(400 * time.Millisecond) // the scanner's join window and the last timers
	d.waitFor("nothing in flight", func(m *Model) bool { return len(m.tasks) == 0 && !m.scan.Holding() })
}

// look waits as a person does before acting on what appeared.
func (d *deskProgram) look() { time.Sleep(300 * time.Millisecond) }

// card opens a client's card by a scan and waits until it is seen.
func (d *deskProgram) card(tag, name string) {
	d.t.Helper()
	d.write(tag + "\r")
	d.waitText("Карточка клиента: "+name, "Абонементы")
	d.waitFor("the card loaded", func(m *Model) bool { return !screens.Peek(m.top()).Loading })
	d.look()
}

// state is what a key sequence leaves behind, for comparing two runs.
type state struct {
	stack  string
	writes []string
	ops    []string
}

func (d *deskProgram) state() state {
	var st state
	d.inspect(func(m *Model) {
		var kinds []string
		for _, s := range m.stack {
			kinds = append(kinds, s.Kind().String())
		}
		st.stack = strings.Join(kinds, " > ")
	})
	st.writes = d.writes.list()
	for _, op := range d.j.Since(time.Now().Add(-time.Hour)) {
		st.ops = append(st.ops, fmt.Sprintf("%s:%s", op.Intent.Kind, op.Phase()))
	}
	return st
}

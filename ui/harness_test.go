package ui

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/demo"
	"github.com/clubdesk/clubdesk/ui/screens"
)

// updating reports whether -update was given: rewrite the golden screens in
// testdata/. The flag itself is registered by teatest's golden package.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// moscow is the demo club's zone; the tests pin "now" in it.
var moscow = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		panic(err)
	}
	return loc
}()

// testNow is a Sunday morning at the club: lessons behind and ahead.
var testNow = time.Date(2026, 11, 22, 10, 5, 0, 0, moscow)

// harness drives the root model message by message, running commands
// synchronously, with a clock the test controls. Timers shorter than a
// second fire at once; longer ones (the clock, toasts) never do.
type harness struct {
	t   testing.TB
	m   *Model
	now time.Time
	// raw is what the console wrote to the terminal past the renderer
	// (the bell).
	raw []string
	// frame, when set, is called after every message, as Bubble Tea calls
	// View.
	frame func()
}

func newDemo(t testing.TB, now *time.Time) providers.Provider {
	t.Helper()
	p, err := demo.New(providers.Settings{Now: func() time.Time { return *now }})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func newHarness(t testing.TB, lang string, wrap ...func(providers.Provider) providers.Provider) *harness {
	t.Helper()
	return newHarnessWith(t, lang, nil, wrap...)
}

// newHarnessWith lets a test adjust the options (a journal) before the
// console is built.
func newHarnessWith(t testing.TB, lang string, adjust func(*Options), wrap ...func(providers.Provider) providers.Provider) *harness {
	t.Helper()
	h := &harness{t: t, now: testNow}
	var prov providers.Provider = newDemo(t, &h.now)
	for _, w := range wrap {
		prov = w(prov)
	}
	o := Options{
		Provider: prov, Language: lang, Operator: "Анна",
		Now: func() time.Time { return h.now },
		After: func(d time.Duration, msg tea.Msg) tea.Cmd {
			if d > time.Second {
				return nil
			}
			return func() tea.Msg { return msg }
		},
	}
	if adjust != nil {
		adjust(&o)
	}
	m, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	h.m = m
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.run(m.Init())
	return h
}

// send delivers one message and runs what it starts.
func (h *harness) send(msg tea.Msg) {
	_, cmd := h.m.Update(msg)
	if h.frame != nil {
		h.frame()
	}
	h.run(cmd)
}

// run executes a command and everything it leads to, depth first, so that
// sequences keep their order.
func (h *harness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	msg := cmd()
	if msg == nil {
		return
	}
	if batch, ok := msg.(tea.BatchMsg); ok {
		for _, c := range batch {
			h.run(c)
		}
		return
	}
	// tea.Sequence's message is an unexported []Cmd.
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
		for i := range v.Len() {
			h.run(v.Index(i).Interface().(tea.Cmd))
		}
		return
	}
	if _, ok := msg.(tea.BackgroundColorMsg); ok {
		return
	}
	if raw, ok := msg.(tea.RawMsg); ok {
		h.raw = append(h.raw, fmt.Sprint(raw.Msg))
		return
	}
	h.send(msg)
}

// typeText types like a person: a key, then a pause longer than any reader.
func (h *harness) typeText(s string) {
	for _, r := range s {
		h.key(tea.KeyPressMsg{Code: r, Text: string(r)})
		h.now = h.now.Add(80 * time.Millisecond)
	}
}

// key presses one key.
func (h *harness) key(k tea.KeyPressMsg) { h.send(k) }

// press presses keys at a person's pace: one every 400 ms, time enough to
// see what each did.
func (h *harness) press(names ...string) {
	for _, n := range names {
		h.key(namedKey(n))
		h.now = h.now.Add(400 * time.Millisecond)
	}
}

func namedKey(n string) tea.KeyPressMsg {
	switch n {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10":
		num, _ := strconv.Atoi(n[1:])
		return tea.KeyPressMsg{Code: tea.KeyF1 + rune(num-1)}
	case "ctrl+n":
		return tea.KeyPressMsg{Code: 'n', Mod: tea.ModCtrl}
	case "ctrl+s":
		return tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	r := []rune(n)
	if len(r) != 1 {
		panic("unknown key " + n)
	}
	return tea.KeyPressMsg{Code: r[0], Text: n}
}

// scan is a card reader: every key at once, then Enter, with no time
// passing; the pending flush ticks fire after the scan is complete.
func (h *harness) scan(card string) {
	var cmds []tea.Cmd
	for _, r := range card {
		_, cmd := h.m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		cmds = append(cmds, cmd)
		h.now = h.now.Add(10 * time.Millisecond)
	}
	_, cmd := h.m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	cmds = append(cmds, cmd)
	for _, c := range cmds {
		h.run(c)
	}
	h.now = h.now.Add(3 * time.Second) // past the repeat window
}

// screen is the frame as the receptionist sees it, without colours.
func (h *harness) screen() string { return ansi.Strip(h.m.View().Content) }

func (h *harness) expect(parts ...string) {
	h.t.Helper()
	s := h.screen()
	for _, p := range parts {
		if !strings.Contains(s, p) {
			h.t.Fatalf("screen lacks %q:\n%s", p, s)
		}
	}
}

func (h *harness) expectNot(parts ...string) {
	h.t.Helper()
	s := h.screen()
	for _, p := range parts {
		if strings.Contains(s, p) {
			h.t.Fatalf("screen shows %q:\n%s", p, s)
		}
	}
}

// golden compares the frame with testdata/NAME.golden (go test -update
// rewrites it). Every line must also fit 80 cells.
func (h *harness) golden(name string) { h.goldenAt(name, 80, 24, h.screen()) }

// goldenAt compares a frame of width x height with testdata/NAME.golden.
func (h *harness) goldenAt(name string, width, height int, got string) {
	h.t.Helper()
	for i, l := range strings.Split(ansi.Strip(got), "\n") {
		if w := ansi.StringWidth(l); w > width {
			h.t.Errorf("%s: line %d is %d cells wide: %q", name, i+1, w, l)
		}
	}
	if n := strings.Count(got, "\n") + 1; n != height {
		h.t.Errorf("%s: frame has %d lines, want %d", name, n, height)
	}
	path := filepath.Join("testdata", name+".golden")
	if updating() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			h.t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			h.t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		h.t.Fatalf("%v (run go test ./ui -update to create it)", err)
	}
	if got != string(want) {
		h.t.Errorf("%s differs from %s:\n--- got ---\n%s\n--- want ---\n%s", name, path, got, want)
	}
}

// top is the screen on top of the stack.
func (h *harness) top() screens.Screen { return h.m.top() }

// peek is what the top screen shows, as data.
func (h *harness) peek() screens.Snapshot { return screens.Peek(h.m.top()) }

// selectRow moves the top list's cursor to row i by keys, as a person does.
func (h *harness) selectRow(i int) {
	h.t.Helper()
	h.press("pgup", "pgup", "pgup")
	for range i {
		h.press("down")
	}
	if got := h.peek().Cursor; got != i {
		h.t.Fatalf("cursor on %d, want %d", got, i)
	}
}

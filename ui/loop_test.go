package ui

import (
	"reflect"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// loop is Bubble Tea's event loop in miniature, for benchmarks and tests
// that talk to a real server: every command runs in a goroutine of its own,
// as the program runs them, and the messages they return reach Update one
// at a time, in the order they arrive. Timers are real unless the model was
// built with an After of its own.
type loop struct {
	tb   testing.TB
	m    *Model
	msgs chan tea.Msg
	quit chan struct{}
}

func newLoop(tb testing.TB, m *Model) *loop {
	l := &loop{tb: tb, m: m, msgs: make(chan tea.Msg, 64), quit: make(chan struct{})}
	tb.Cleanup(func() { close(l.quit) })
	return l
}

// start sends the first size and runs Init, as the program does.
func (l *loop) start() {
	l.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	l.exec(l.m.Init())
}

// exec runs cmd in the background and queues what it returns.
func (l *loop) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() { l.deliver(cmd()) }()
}

// deliver queues msg, unpacking batches (run in parallel) and sequences (in
// order).
func (l *loop) deliver(msg tea.Msg) {
	switch m := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range m {
			l.exec(c)
		}
		return
	}
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
		for i := range v.Len() {
			if c := v.Index(i).Interface().(tea.Cmd); c != nil {
				l.deliver(c())
			}
		}
		return
	}
	select {
	case l.msgs <- msg:
	case <-l.quit:
	}
}

// send is one message through Update, its command started.
func (l *loop) send(msg tea.Msg) {
	_, cmd := l.m.Update(msg)
	l.exec(cmd)
}

// until handles messages as they come until cond holds; a test that waits
// longer than limit fails with the screen.
func (l *loop) until(limit time.Duration, cond func() bool) {
	l.tb.Helper()
	timeout := time.NewTimer(limit)
	defer timeout.Stop()
	// cond may watch something other than the model (the server's
	// counters), so it is checked again every millisecond too.
	poll := time.NewTicker(time.Millisecond)
	defer poll.Stop()
	for !cond() {
		select {
		case msg := <-l.msgs:
			l.send(msg)
		case <-poll.C:
		case <-timeout.C:
			l.tb.Fatalf("waited %s; the screen is:\n%s", limit, l.m.View().Content)
		}
	}
}

// drain handles what has already arrived, without waiting.
func (l *loop) drain() {
	for {
		select {
		case msg := <-l.msgs:
			l.send(msg)
		default:
			return
		}
	}
}

// burst is a card reader: every key and Enter within microseconds.
func (l *loop) burst(card string) {
	for _, r := range card {
		l.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	l.send(tea.KeyPressMsg{Code: tea.KeyEnter})
}

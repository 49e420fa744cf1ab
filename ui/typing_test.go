package ui

import (
	"slices"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/providers/luckyfit/luckyfittest"
	"github.com/clubdesk/clubdesk/ui/screens"
)

// vclock is the console's clock and timers in a test's hands: time moves
// only when the test says, and a timer's message is delivered when its time
// comes. Requests still go to the real server and come back when they do.
type vclock struct {
	mu     sync.Mutex
	now    time.Time
	timers []vtimer
}

type vtimer struct {
	at  time.Time
	seq int
	msg tea.Msg
}

func (c *vclock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// after is Options.After: the timer is set when the console asks for it.
func (c *vclock) after(d time.Duration, msg tea.Msg) tea.Cmd {
	c.mu.Lock()
	c.timers = append(c.timers, vtimer{at: c.now.Add(d), seq: len(c.timers), msg: msg})
	c.mu.Unlock()
	return nil
}

// advance moves time on by d, delivering every timer that falls due on the
// way, in order, and whatever answers have come back meanwhile.
func (c *vclock) advance(l *loop, d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	c.mu.Unlock()
	for {
		l.drain()
		c.mu.Lock()
		slices.SortFunc(c.timers, func(a, b vtimer) int {
			if n := a.at.Compare(b.at); n != 0 {
				return n
			}
			return a.seq - b.seq
		})
		if len(c.timers) == 0 || c.timers[0].at.After(end) {
			c.now = end
			c.mu.Unlock()
			l.drain()
			return
		}
		t := c.timers[0]
		c.timers = c.timers[1:]
		c.now = t.at
		c.mu.Unlock()
		l.send(t.msg)
	}
}

// typing is what a receptionist types: text at a steady pace between keys,
// then a pause.
type typing struct {
	text  string
	gap   time.Duration
	pause time.Duration
}

// search is the route a search takes on LuckyFit.
const search = "GET /clients"

// typedCounts is what reached the server while typing.
type typedCounts struct {
	arrived, abandoned, answered int
}

// typeInSearch types the bursts into the search field of a console on
// LuckyFit with a virtual clock. After each pause it waits (in real time)
// until the search that pause started has reached the server, so that the
// next one finds it in flight, as a slow CRM would have it.
func typeInSearch(tb testing.TB, srv *luckyfittest.Server, bursts []typing) (*loop, typedCounts) {
	tb.Helper()
	vc := &vclock{now: time.Now()}
	m, err := New(Options{Provider: newLuckyFit(tb, srv), Language: "ru", Now: vc.Now, After: vc.after})
	if err != nil {
		tb.Fatal(err)
	}
	l := newLoop(tb, m)
	l.start()
	// Searches only: the console's start reads today's rosters meanwhile.
	arrived0, abandoned0, answered0 := srv.ArrivedOn(search), srv.Abandoned(), srv.Requests(search)
	for _, b := range bursts {
		before := srv.ArrivedOn(search)
		for _, r := range b.text {
			l.send(tea.KeyPressMsg{Code: r, Text: string(r)})
			vc.advance(l, b.gap)
		}
		vc.advance(l, b.pause)
		if screens.Peek(m.top()).Loading {
			l.until(10*time.Second, func() bool { return srv.ArrivedOn(search) > before })
		}
	}
	l.until(10*time.Second, func() bool { return !screens.Peek(m.top()).Loading })
	return l, typedCounts{
		arrived:   srv.ArrivedOn(search) - arrived0,
		abandoned: srv.Abandoned() - abandoned0,
		answered:  srv.Requests(search) - answered0,
	}
}

// TestTypingOneSearchPerPause is target 2's count: a fast typist (80 ms a
// key, under the 150 ms debounce) costs one search per pause, not one per
// key; a search overtaken by more typing is cancelled, so the server stops
// working on it, and its answer, whatever it is, is never shown.
func TestTypingOneSearchPerPause(t *testing.T) {
	srv := luckyfittest.NewServer(lfKey, nil)
	defer srv.Close()
	// Slow enough that the first search is still waiting when the second
	// starts.
	srv.SetLatency(time.Second)
	l, n := typeInSearch(t, srv, []typing{
		{text: "При", gap: 80 * time.Millisecond, pause: 300 * time.Millisecond},
		{text: "швина", gap: 80 * time.Millisecond, pause: 300 * time.Millisecond},
	})
	if n.arrived != 2 {
		t.Errorf("8 keys in two bursts sent %d searches, want 2 (one per pause)", n.arrived)
	}
	if n.abandoned != 1 || n.answered != 1 {
		t.Errorf("the overtaken search: %d abandoned, %d answered; want 1 and 1", n.abandoned, n.answered)
	}
	s := screens.Peek(l.m.top())
	if s.Query != "Пришвина" || len(s.Clients) != 1 || s.Clients[0].LastName != "Пришвина" {
		t.Errorf("the screen shows %q with %d results, want the answer to «Пришвина»", s.Query, len(s.Clients))
	}
	if !l.m.online {
		t.Error("a cancelled search marked the CRM offline")
	}
	if len(l.m.tasks) != 0 {
		t.Errorf("requests left in flight: %v", l.m.tasks)
	}
}

// TestTypingWithoutPauseSendsNothing: keys closer than the debounce send no
// search until the typist stops.
func TestTypingWithoutPauseSendsNothing(t *testing.T) {
	srv := luckyfittest.NewServer(lfKey, nil)
	defer srv.Close()
	vc := &vclock{now: time.Now()}
	m, err := New(Options{Provider: newLuckyFit(t, srv), Language: "ru", Now: vc.Now, After: vc.after})
	if err != nil {
		t.Fatal(err)
	}
	l := newLoop(t, m)
	l.start()
	before := srv.ArrivedOn(search)
	for _, r := range "Зеленина Ольга" {
		l.send(tea.KeyPressMsg{Code: r, Text: string(r)})
		vc.advance(l, 140*time.Millisecond)
	}
	if n := srv.ArrivedOn(search) - before; n != 0 {
		t.Fatalf("typing without a pause sent %d requests", n)
	}
	vc.advance(l, 100*time.Millisecond)
	l.until(10*time.Second, func() bool { return !screens.Peek(m.top()).Loading && srv.ArrivedOn(search) > before })
	if n := srv.ArrivedOn(search) - before; n != 1 {
		t.Fatalf("the pause sent %d requests, want 1", n)
	}
}

// BenchmarkTypingRequests reports target 2's request counts per typed name
// (two bursts with a hesitation, 80 ms a key) at 50 ms a request: searches
// that reached the server, how many of them were cancelled as stale.
func BenchmarkTypingRequests(b *testing.B) {
	srv := luckyfittest.NewServer(lfKey, nil)
	b.Cleanup(srv.Close)
	srv.SetLatency(benchRTT)
	var total typedCounts
	for range b.N {
		_, n := typeInSearch(b, srv, []typing{
			{text: "При", gap: 80 * time.Millisecond, pause: 300 * time.Millisecond},
			{text: "швина", gap: 80 * time.Millisecond, pause: 300 * time.Millisecond},
		})
		total.arrived += n.arrived
		total.abandoned += n.abandoned
	}
	b.ReportMetric(float64(total.arrived)/float64(b.N), "requests/name")
	b.ReportMetric(float64(total.abandoned)/float64(b.N), "cancelled/name")
	b.ReportMetric(8, "keys/name")
}

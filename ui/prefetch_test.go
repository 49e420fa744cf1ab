package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/demo"
)

// TestTimetableReadsTheRestingRosterAhead: the roster of the lesson the
// cursor rests on is read ahead, once; scrolling past lessons reads none;
// Enter then opens the roster with no request of its own, and F5 reads it
// again.
func TestTimetableReadsTheRestingRosterAhead(t *testing.T) {
	vc := &vclock{now: testNow}
	club, err := demo.New(providers.Settings{Now: vc.Now})
	if err != nil {
		t.Fatal(err)
	}
	cc := &callCounter{Provider: club, n: map[string]int{}}
	m, err := New(Options{Provider: cc, Language: "ru", Now: vc.Now, After: vc.after})
	if err != nil {
		t.Fatal(err)
	}
	l := newLoop(t, m)
	l.start()
	l.send(tea.KeyPressMsg{Code: tea.KeyF3})
	l.until(5*time.Second, func() bool {
		c, ok := m.top().(*calendarScreen)
		return ok && c.loaded
	})
	cal := m.top().(*calendarScreen)
	for range 3 {
		vc.advance(l, 100*time.Millisecond)
		l.send(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	vc.advance(l, 100*time.Millisecond)
	if n := cc.take()["Roster"]; n != 0 {
		t.Fatalf("scrolling past lessons read %d rosters", n)
	}
	vc.advance(l, prefetchDelay)
	want, _ := cal.selected()
	l.until(5*time.Second, func() bool { return cal.pre.lessonID == want.ID && cal.preReq == 0 })
	// Resting longer reads nothing more.
	vc.advance(l, 2*prefetchDelay)
	if n := cc.take()["Roster"]; n != 1 {
		t.Fatalf("resting on a lesson read %d rosters, want 1", n)
	}

	l.send(tea.KeyPressMsg{Code: tea.KeyEnter})
	l.until(5*time.Second, func() bool { _, ok := m.top().(*rosterScreen); return ok })
	r, ok := m.top().(*rosterScreen)
	if !ok || !r.loaded || r.lesson.ID != want.ID || len(r.bookings) == 0 {
		t.Fatalf("Enter did not open the roster read ahead: %T %+v", m.top(), r)
	}
	vc.advance(l, time.Millisecond)
	if n := cc.take()["Roster"]; n != 0 {
		t.Fatalf("the roster read ahead was read again on opening (%d)", n)
	}
	l.send(tea.KeyPressMsg{Code: tea.KeyF5})
	l.until(5*time.Second, func() bool { return r.req == 0 })
	if n := cc.take()["Roster"]; n != 1 {
		t.Fatalf("F5 read the roster %d times, want 1", n)
	}
}

// TestStaleRosterIsReadOnOpening: a roster read ahead too long ago is not
// shown; the roster reads for itself.
func TestStaleRosterIsReadOnOpening(t *testing.T) {
	var cc *callCounter
	h := newHarness(t, "ru", func(p providers.Provider) providers.Provider {
		cc = &callCounter{Provider: p, n: map[string]int{}}
		return cc
	})
	h.press("f3")
	h.expect("Расписание")
	if n := cc.take()["Roster"]; n != 1 {
		t.Fatalf("the selected lesson's roster was read ahead %d times, want 1", n)
	}
	h.now = h.now.Add(prefetchFresh + time.Second)
	h.press("enter")
	h.expect("Список группы")
	if n := cc.take()["Roster"]; n != 1 {
		t.Fatalf("a stale roster read ahead: the roster read %d times on opening, want 1", n)
	}
}

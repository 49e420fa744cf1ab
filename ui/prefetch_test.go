package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/demo"
	"github.com/clubdesk/clubdesk/ui/screens"
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
		c := screens.Peek(m.top())
		return c.Kind == screens.KindCalendar && len(c.Lessons) > 0
	})
	for range 3 {
		vc.advance(l, 100*time.Millisecond)
		l.send(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	vc.advance(l, 100*time.Millisecond)
	if n := cc.take()["Roster"]; n != 0 {
		t.Fatalf("scrolling past lessons read %d rosters", n)
	}
	vc.advance(l, screens.PrefetchDelay)
	cal := screens.Peek(m.top())
	want := cal.Lessons[cal.Cursor]
	l.until(5*time.Second, func() bool { return cc.peek("Roster") == 1 && !screens.Peek(m.top()).Loading })
	vc.advance(l, time.Millisecond)
	// Resting longer reads nothing more.
	vc.advance(l, 2*screens.PrefetchDelay)
	if n := cc.take()["Roster"]; n != 1 {
		t.Fatalf("resting on a lesson read %d rosters, want 1", n)
	}

	l.send(tea.KeyPressMsg{Code: tea.KeyEnter})
	l.until(5*time.Second, func() bool { return m.top().Kind() == screens.KindRoster })
	r := screens.Peek(m.top())
	if r.Loading || r.Lesson.ID != want.ID || len(r.Bookings) == 0 {
		t.Fatalf("Enter did not open the roster read ahead: %+v", r)
	}
	vc.advance(l, time.Millisecond)
	if n := cc.take()["Roster"]; n != 0 {
		t.Fatalf("the roster read ahead was read again on opening (%d)", n)
	}
	l.send(tea.KeyPressMsg{Code: tea.KeyF5})
	l.until(5*time.Second, func() bool { return !screens.Peek(m.top()).Loading })
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
	h.now = h.now.Add(screens.PrefetchFresh + time.Second)
	h.press("enter")
	h.expect("Список группы")
	if n := cc.take()["Roster"]; n != 1 {
		t.Fatalf("a stale roster read ahead: the roster read %d times on opening, want 1", n)
	}
}

package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/providers/luckyfit/luckyfittest"
	"github.com/clubdesk/clubdesk/ui/screens"
)

// BenchmarkTimetableToRoster is the wait after Enter on the timetable until
// the selected lesson's roster is drawn, at 50 ms a request, when the
// cursor has rested on the lesson for half a second first (as it does
// while the receptionist reads the line): the roster read ahead makes it
// no wait at all; reading it on Enter costs a round trip.
func BenchmarkTimetableToRoster(b *testing.B) {
	srv := luckyfittest.NewServer(lfKey, nil)
	b.Cleanup(srv.Close)
	srv.SetLatency(benchRTT)
	l := newLoop(b, newConsole(b, newLuckyFit(b, srv)))
	l.start()
	reqs := 0
	for range b.N {
		b.StopTimer()
		l.send(tea.KeyPressMsg{Code: tea.KeyF3})
		l.until(10*time.Second, func() bool {
			c := screens.Peek(l.m.top())
			return c.Kind == screens.KindCalendar && !c.Loading && len(c.Lessons) > 0
		})
		rest := time.Now().Add(500*time.Millisecond + 2*benchRTT)
		l.until(10*time.Second, func() bool { return time.Now().After(rest) })
		before := srv.Total()
		b.StartTimer()
		l.send(tea.KeyPressMsg{Code: tea.KeyEnter})
		l.until(10*time.Second, func() bool {
			r := screens.Peek(l.m.top())
			return r.Kind == screens.KindRoster && !r.Loading
		})
		_ = l.m.View()
		b.StopTimer()
		reqs += srv.Total() - before
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(benchRTT), "RTT/op")
	b.ReportMetric(float64(reqs)/float64(b.N), "requests-after-Enter/op")
}

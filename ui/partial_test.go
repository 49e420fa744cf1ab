package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/clubdesk/clubdesk/providers/luckyfit/luckyfittest"
	"github.com/clubdesk/clubdesk/ui/screens"
)

// TestCardShowsBookingsKnownInPart: at a big club whose LuckyFit refuses
// client_id on /lesson_calendar_bookings, the first card, scanned as the
// console starts, comes before the day's 203 rosters: it shows the client
// with a dim note that today's bookings are still being read (never an
// error), and asks again until they are all read; then the bookings are on
// the card and the note is gone.
func TestCardShowsBookingsKnownInPart(t *testing.T) {
	srv := luckyfittest.NewServer(lfKey, nil)
	t.Cleanup(srv.Close)
	who := luckyfittest.BookedLast(srv.AddDay(200, 50))
	srv.SetClientFilter(luckyfittest.ClientFilterRefused)
	srv.SetLatency(30 * time.Millisecond) // 51 rounds of rosters: a second and a half
	l := newLoop(t, newConsole(t, newLuckyFit(t, srv)))
	l.start()
	l.burst(who.Tag)
	screen := func() string { return ansi.Strip(l.m.View().Content) }
	l.until(10*time.Second, func() bool {
		return strings.Contains(screen(), "записи на сегодня ещё читаются")
	})
	if c := screens.Peek(l.m.top()); c.Kind != screens.KindCard || c.Client.ID != who.ID {
		t.Fatalf("not the client's card:\n%s", screen())
	}
	if strings.Contains(screen(), "Ошибка") {
		t.Errorf("a partial answer shown as an error:\n%s", screen())
	}
	l.until(10*time.Second, func() bool {
		s := screen()
		return !strings.Contains(s, "ещё читаются") && strings.Contains(s, "Группа 200 ")
	})
}

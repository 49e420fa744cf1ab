package offline

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/offline/offlinetest"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/demo"
)

var now = time.Date(2026, 12, 1, 10, 5, 0, 0, time.UTC)

type desk struct {
	club *demo.Club
	line *offlinetest.Line
	off  *Desk
	rec  *journal.Recorded
	j    *journal.Journal
	dir  string
}

func newDesk(t *testing.T, club *demo.Club, dir string) *desk {
	t.Helper()
	j, err := journal.Open(dir, journal.Who{Profile: "main", Provider: "demo", Operator: "Анна"}, journal.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	l := offlinetest.New(club)
	off := New(l, j, func() time.Time { return now })
	return &desk{club: club, line: l, off: off, rec: journal.Wrap(off, j), j: j, dir: dir}
}

func demoClub(t testing.TB) *demo.Club {
	t.Helper()
	c, err := demo.New(providers.Settings{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// firstRoster finds a lesson of the day with a booking to mark.
func (d *desk) firstRoster(t *testing.T) (models.Lesson, models.Booking) {
	t.Helper()
	ctx := context.Background()
	from, to := models.DateOf(now, d.club.Info().Location).Bounds(d.club.Info().Location)
	ls, err := d.rec.Lessons(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		bs, err := d.rec.Roster(ctx, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bs {
			if b.Active() && b.Attendance == models.Expected {
				return l, b
			}
		}
	}
	t.Fatal("no booking to mark today")
	return models.Lesson{}, models.Booking{}
}

func TestOfflineTheDeskAnswersFromWhatItSaw(t *testing.T) {
	d := newDesk(t, demoClub(t), t.TempDir())
	ctx := context.Background()
	if cs, err := d.rec.SearchClients(ctx, "Зеленина", 5); err != nil || len(cs) == 0 {
		t.Fatal(cs, err)
	}
	lesson, _ := d.firstRoster(t)
	if _, _, off := d.off.Offline(); off {
		t.Fatal("offline while the CRM answers")
	}

	d.line.Cut()
	cs, err := d.rec.SearchClients(ctx, "зелен", 5)
	if err != nil || len(cs) == 0 || cs[0].LastName != "Зеленина" {
		t.Fatalf("offline search over the clients seen: %v %v", cs, err)
	}
	if bs, err := d.rec.Roster(ctx, lesson.ID); err != nil || len(bs) == 0 {
		t.Fatalf("offline roster: %v %v", bs, err)
	}
	since, seen, off := d.off.Offline()
	if !off || !since.Equal(now) || !seen.Equal(now) {
		t.Fatalf("offline = %v since %v seen %v", off, since, seen)
	}
	// What the desk never saw is an honest failure.
	if _, err := d.rec.SearchClients(ctx, "Никтоневиделов", 5); err != nil {
		t.Fatalf("a search of the seen clients finds nothing, it does not fail: %v", err)
	}

	d.line.Mend()
	if err := d.off.Probe(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, off := d.off.Offline(); off {
		t.Fatal("still offline after the CRM answered")
	}
}

func TestOfflineMoneyNeverMoves(t *testing.T) {
	d := newDesk(t, demoClub(t), t.TempDir())
	ctx := context.Background()
	plans, _ := d.rec.Plans(ctx)
	d.line.Cut()
	d.rec.SearchClients(ctx, "x", 1) // the desk learns the CRM is away
	_, err := d.rec.Sell(ctx, models.Sale{ClientID: "10001", Plan: plans[0], Start: models.DateOf(now, time.UTC),
		Payments: []models.Payment{{Method: models.PayCash, Amount: plans[0].Price}}})
	if !errors.Is(err, providers.ErrOffline) || d.line.Calls("Sell") != 0 {
		t.Fatalf("offline sale: %v, %d reached the CRM", err, d.line.Calls("Sell"))
	}
	ops := d.j.Since(time.Time{})
	if last := ops[len(ops)-1]; last.Phase() != journal.Refused || last.Phase().NeedsCheck() {
		t.Fatalf("the refused sale in the journal: %+v", last.Last)
	}
}

func TestOfflineMarksAreKeptAndSentOnceWhenBack(t *testing.T) {
	dir := t.TempDir()
	club := demoClub(t)
	d := newDesk(t, club, dir)
	ctx := context.Background()
	lesson, b := d.firstRoster(t)

	d.line.Cut()
	err := d.rec.MarkAttendance(ctx, b.ID, models.Attended)
	if !errors.Is(err, providers.ErrQueued) || d.off.Queued() != 1 {
		t.Fatalf("offline mark: %v, queued %d", err, d.off.Queued())
	}
	bs, _ := d.rec.Roster(ctx, lesson.ID)
	for _, x := range bs {
		if x.ID == b.ID && x.Attendance != models.Attended {
			t.Fatal("the kept mark does not show in the remembered roster")
		}
	}
	if q := d.j.Queue(); len(q) != 1 || q[0].Intent.BookingID != b.ID {
		t.Fatalf("journal queue: %+v", q)
	}

	// The desk is closed and opened again before the line comes back: the
	// kept mark is still there.
	d = newDesk(t, club, dir)
	if d.off.Queued() != 1 {
		t.Fatalf("after a restart %d marks wait", d.off.Queued())
	}
	d.firstRoster(t) // the restarted desk sees the day (and the line is up)
	sent, err := d.off.SendQueued(ctx)
	if err != nil || sent != 1 || d.line.Calls("MarkAttendance") != 1 || d.off.Queued() != 0 {
		t.Fatalf("sent %d, err %v, marks reaching the CRM %d, left %d", sent, err, d.line.Calls("MarkAttendance"), d.off.Queued())
	}
	if ops := d.j.Since(time.Time{}); ops[len(ops)-1].Phase() != journal.Done {
		t.Fatalf("journal after sending: %+v", ops[len(ops)-1].Last)
	}
	if sent, _ := d.off.SendQueued(ctx); sent != 0 || d.line.Calls("MarkAttendance") != 1 {
		t.Fatal("a mark was sent twice")
	}
}

func TestOfflineAMarkThatGotThroughIsNotSentAgain(t *testing.T) {
	dir, club := t.TempDir(), demoClub(t)
	d := newDesk(t, club, dir)
	ctx := context.Background()
	_, b := d.firstRoster(t)
	d.line.Cut()
	d.rec.MarkAttendance(ctx, b.ID, models.NoShow)
	// Meanwhile another desk (or the CRM's own screen) marked it.
	if err := d.club.MarkAttendance(ctx, b.ID, models.NoShow); err != nil {
		t.Fatal(err)
	}
	// The desk restarts with the line back, before anything else: the
	// journal alone says which lesson to check.
	d = newDesk(t, club, dir)
	if q := d.j.Queue(); len(q) != 1 || q[0].Intent.LessonID == "" || q[0].Intent.ClientName == "" {
		t.Fatalf("the kept mark lost where it belongs: %+v", q)
	}
	sent, err := d.off.SendQueued(ctx)
	if err != nil || sent != 1 || d.line.Calls("MarkAttendance") != 0 {
		t.Fatalf("sent %d err %v; %d marks reached the CRM, want 0", sent, err, d.line.Calls("MarkAttendance"))
	}
	if ops := d.j.Since(time.Time{}); ops[len(ops)-1].Last.Why.RU != "уже есть в CRM" {
		t.Fatalf("journal: %+v", ops[len(ops)-1].Last)
	}
}

func TestOfflineQueueWaitsWhileTheLineIsStillDown(t *testing.T) {
	d := newDesk(t, demoClub(t), t.TempDir())
	ctx := context.Background()
	_, b := d.firstRoster(t)
	d.line.Cut()
	d.rec.MarkAttendance(ctx, b.ID, models.Attended)
	if sent, err := d.off.SendQueued(ctx); sent != 0 || !errors.Is(err, providers.ErrUnavailable) || d.off.Queued() != 1 {
		t.Fatalf("sent %d err %v queued %d", sent, err, d.off.Queued())
	}
}

package offline

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// busy answers the next marks "429 Too Many Requests, Retry-After" without
// applying them, as YCLIENTS does past its rate.
type busy struct {
	providers.Provider
	mu    sync.Mutex
	left  int // marks still refused
	marks int // marks that reached it
}

func (b *busy) refuse(n int) {
	b.mu.Lock()
	b.left = n
	b.mu.Unlock()
}

func (b *busy) MarkAttendance(ctx context.Context, bookingID string, a models.Attendance) error {
	b.mu.Lock()
	b.marks++
	refuse := b.left > 0
	if refuse {
		b.left--
	}
	b.mu.Unlock()
	if refuse {
		return &providers.Error{Kind: providers.ErrRateLimited, Op: "mark attendance", Status: 429, Message: "Too Many Requests", RetryAfter: 3 * time.Second}
	}
	return b.Provider.MarkAttendance(ctx, bookingID, a)
}

// TestAMarkAnswered429IsKeptAndSentAfterThePause: a 429 means the CRM did
// not process the mark. It is kept (journalled as kept, with the CRM's
// pause), shown in the roster, and sent again by the desk itself once the
// Retry-After has passed; a later mark of the same booking replaces it.
func TestAMarkAnswered429IsKeptAndSentAfterThePause(t *testing.T) {
	club := demoClub(t)
	b := &busy{Provider: club}
	dir := t.TempDir()
	clock := now
	j, err := journal.Open(dir, journal.Who{Profile: "main", Provider: "demo"}, journal.WithClock(func() time.Time { return clock }))
	if err != nil {
		t.Fatal(err)
	}
	off := New(b, j, func() time.Time { return clock })
	var waits []time.Duration
	var resend []func()
	off.after = func(d time.Duration, f func()) { waits, resend = append(waits, d), append(resend, f) }
	d := &desk{club: club, off: off, rec: journal.Wrap(off, j), j: j, dir: dir}
	lesson, booking := d.firstRoster(t)
	ctx := context.Background()

	b.refuse(1)
	err = d.rec.MarkAttendance(ctx, booking.ID, models.Attended)
	if !errors.Is(err, providers.ErrQueued) || !strings.Contains(providers.Explain(err, "ru"), "через 3 с") ||
		!strings.Contains(providers.Explain(err, "en"), "in 3 s") {
		t.Fatalf("429 on a mark: %v", err)
	}
	if off.Queued() != 1 || len(waits) != 1 || waits[0] != 3*time.Second {
		t.Fatalf("queued %d, resends %v", off.Queued(), waits)
	}
	ops := j.Since(time.Time{})
	if len(ops) != 1 || ops[0].Phase() != journal.Queued || !strings.Contains(ops[0].Last.Why.EN, "too many requests") {
		t.Fatalf("journal %+v", ops)
	}
	// The roster shows the kept mark while it waits.
	bs, err := d.rec.Roster(ctx, lesson.ID)
	if err != nil || attendanceOf(bs, booking.ID) != models.Attended {
		t.Fatalf("roster while kept: %v %v", attendanceOf(bs, booking.ID), err)
	}
	// Before the pause is over nothing is sent, even when asked.
	if n, err := off.SendQueued(ctx); n != 0 || err != nil || b.marks != 1 {
		t.Fatalf("sent %d (%v) before the pause; %d marks reached the CRM", n, err, b.marks)
	}
	clock = clock.Add(3 * time.Second)
	resend[0]()
	if off.Queued() != 0 || b.marks != 2 {
		t.Fatalf("after the pause: %d queued, %d marks", off.Queued(), b.marks)
	}
	if got := attendanceOf(mustRoster(t, club, lesson.ID), booking.ID); got != models.Attended {
		t.Fatalf("the CRM has %v", got)
	}
	if op, _ := j.Get(ops[0].Intent.Op); op.Phase() != journal.Done || !strings.Contains(op.Last.Why.EN, "after the CRM's pause") {
		t.Fatalf("settled as %+v", op.Last)
	}

	// 429 again, then the receptionist undoes it: the undo goes, the kept
	// mark is dropped and never lands after it.
	b.refuse(1)
	if err := d.rec.MarkAttendance(ctx, booking.ID, models.NoShow); !errors.Is(err, providers.ErrQueued) {
		t.Fatal(err)
	}
	if err := d.rec.MarkAttendance(ctx, booking.ID, models.Expected); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(5 * time.Second)
	for _, f := range resend[1:] {
		f()
	}
	if got := attendanceOf(mustRoster(t, club, lesson.ID), booking.ID); got != models.Expected || off.Queued() != 0 {
		t.Fatalf("the CRM has %v, %d queued: the replaced mark landed", got, off.Queued())
	}
	ops = j.Since(time.Time{})
	if ops[1].Phase() != journal.Refused || !strings.Contains(ops[1].Last.Why.RU, "заменено") || ops[2].Phase() != journal.Done {
		t.Fatalf("replaced %+v, undo %+v", ops[1].Last, ops[2].Last)
	}
}

// A 429 while sending a kept mark keeps it first in the queue, for after
// the new pause.
func TestAKeptMarkAnswered429AgainWaitsAgain(t *testing.T) {
	club := demoClub(t)
	b := &busy{Provider: club}
	clock := now
	off := New(b, nil, func() time.Time { return clock })
	var waits []time.Duration
	off.after = func(d time.Duration, _ func()) { waits = append(waits, d) }
	d := &desk{club: club, off: off, rec: journal.Wrap(off, mustJournal(t)), dir: t.TempDir()}
	_, booking := d.firstRoster(t)
	b.refuse(2)
	if err := off.MarkAttendance(context.Background(), booking.ID, models.Attended); !errors.Is(err, providers.ErrQueued) {
		t.Fatal(err)
	}
	clock = clock.Add(3 * time.Second)
	if n, err := off.SendQueued(context.Background()); n != 0 || err != nil || off.Queued() != 1 || len(waits) != 2 {
		t.Fatalf("sent %d (%v), %d queued, waits %v", n, err, off.Queued(), waits)
	}
	clock = clock.Add(3 * time.Second)
	if n, err := off.SendQueued(context.Background()); n != 1 || err != nil || off.Queued() != 0 {
		t.Fatalf("sent %d (%v), %d queued", n, err, off.Queued())
	}
}

// A whole-visit mark needs a provider whose visits group bookings.
func TestAWholeVisitMarkNeedsVisits(t *testing.T) {
	off := New(demoClub(t), nil, func() time.Time { return now })
	if err := off.MarkVisit(context.Background(), "b-1", models.Attended); !errors.Is(err, providers.ErrUnsupported) {
		t.Fatalf("no visits: %v", err)
	}
}

func attendanceOf(bs []models.Booking, id string) models.Attendance {
	for _, b := range bs {
		if b.ID == id {
			return b.Attendance
		}
	}
	return -1
}

func mustRoster(t *testing.T, p providers.Provider, lessonID string) []models.Booking {
	t.Helper()
	bs, err := p.Roster(context.Background(), lessonID)
	if err != nil {
		t.Fatal(err)
	}
	return bs
}

func mustJournal(t *testing.T) *journal.Journal {
	t.Helper()
	j, err := journal.Open(t.TempDir(), journal.Who{Profile: "main"})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

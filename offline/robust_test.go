package offline

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/keys/redact"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// clientsIn reads the ids of the clients a memory file holds.
func clientsIn(t *testing.T, file string) map[string]models.Client {
	t.Helper()
	log, err := readLog(file, 0)
	if err != nil {
		t.Fatal(err)
	}
	return log.snap.Clients
}

// plainText is a memory file's text as written, its frames unpacked.
func plainText(t *testing.T, file string) string {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for len(raw) >= 8 {
		n := int(binary.BigEndian.Uint32(raw[4:8]))
		lines, err := gunzip(raw[8 : 8+n])
		if err != nil {
			t.Fatal(err)
		}
		out.Write(lines)
		out.WriteByte('\n')
		raw = raw[8+n:]
	}
	return out.String()
}

// Two consoles on one profile: A saw some clients, B others; after both
// quit the file holds them all, and where both saw one, the newest.
func TestOfflineTwoConsolesMergeTheirMemory(t *testing.T) {
	dir, club := t.TempDir(), demoClub(t)
	file := filepath.Join(dir, "offline", "main.json")
	ctx := context.Background()
	a, b := newDesk(t, club, dir), newDesk(t, club, dir)
	a.off.Remember(file)
	b.off.Remember(file)
	if _, err := a.rec.ClientByCard(ctx, "0040856634"); err != nil { // Зеленина
		t.Fatal(err)
	}
	if _, err := b.rec.ClientByCard(ctx, "0012630417"); err != nil { // Старостин
		t.Fatal(err)
	}
	// Both open Должиков; B later, after the club changed his phone.
	dolzhikov, err := a.rec.ClientByCard(ctx, "0021478305")
	if err != nil {
		t.Fatal(err)
	}
	b.off.now = func() time.Time { return now.Add(time.Minute) }
	fresh := dolzhikov
	fresh.Phone = "79160000000"
	b.off.mu.Lock()
	b.off.keepClients(fresh)
	b.off.changed()
	b.off.mu.Unlock()

	if err := b.off.Close(); err != nil { // B quits first, A last
		t.Fatal(err)
	}
	if err := a.off.Close(); err != nil {
		t.Fatal(err)
	}
	got := clientsIn(t, file)
	for _, name := range []string{"Зеленина", "Старостин", "Должиков"} {
		found := false
		for _, c := range got {
			found = found || c.LastName == name
		}
		if !found {
			t.Errorf("the file lost %s: %d clients", name, len(got))
		}
	}
	if c := got[dolzhikov.ID]; c.Phone != "79160000000" {
		t.Errorf("the older record won the merge: %q", c.Phone)
	}
	// And a console started now has what both saw.
	c := newDesk(t, club, dir)
	if n, err := c.off.Remember(file); err != nil || n != len(got) {
		t.Fatalf("brought back %d of %d: %v", n, len(got), err)
	}
	c.off.Close()
}

// No secret the process holds reaches the memory file, wherever a CRM
// echoed it.
func TestOfflineMemoryHoldsNoSecret(t *testing.T) {
	redact.Forget()
	t.Cleanup(redact.Forget)
	const key = "lf-memory-key-90ab"
	redact.Remember(key)
	dir := t.TempDir()
	file := filepath.Join(dir, "offline", "main.json")
	d := newDesk(t, demoClub(t), dir)
	d.off.Remember(file)
	d.off.mu.Lock()
	d.off.keepClients(models.Client{ID: "x1", LastName: "Иванов", Note: "ключ " + key})
	d.off.changed()
	d.off.mu.Unlock()
	if err := d.off.Close(); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(file)
	if text := plainText(t, file); strings.Contains(string(raw), key) || strings.Contains(text, key) || !strings.Contains(text, "Иванов") {
		t.Fatalf("the memory holds the key:\n%s", text)
	}
	if c := clientsIn(t, file)["x1"]; c.LastName != "Иванов" || !strings.Contains(c.Note, redact.Mark) {
		t.Fatalf("the record: %+v", c)
	}
}

// Marks kept by an earlier run are sent when SendQueued is called at
// start — by whichever console of the profile gets there first, once: the
// other reads the journal and sends nothing.
func TestOfflineKeptMarksAreSentOnceByOneOfTwoConsoles(t *testing.T) {
	dir, club := t.TempDir(), demoClub(t)
	ctx := context.Background()
	d := newDesk(t, club, dir)
	_, b := d.firstRoster(t)
	d.line.Cut()
	if err := d.rec.MarkAttendance(ctx, b.ID, models.Attended); !errors.Is(err, providers.ErrQueued) {
		t.Fatal(err)
	}
	// Two consoles start with the line up: both find the kept mark.
	a, other := newDesk(t, club, dir), newDesk(t, club, dir)
	if a.off.Queued() != 1 || other.off.Queued() != 1 {
		t.Fatalf("queued at start: %d, %d", a.off.Queued(), other.off.Queued())
	}
	if sent, err := a.off.SendQueued(ctx); sent != 1 || err != nil {
		t.Fatalf("a: sent %d, %v", sent, err)
	}
	if sent, err := other.off.SendQueued(ctx); sent != 0 || err != nil || other.off.Queued() != 0 {
		t.Fatalf("the other console: sent %d, %v, queued %d", sent, err, other.off.Queued())
	}
	if n := a.line.Calls("MarkAttendance") + other.line.Calls("MarkAttendance") + other.line.Calls("Roster"); n != 1 {
		t.Fatalf("%d calls for one kept mark (want the mark once, and no check by the second console)", n)
	}
	if q := a.j.Queue(); len(q) != 0 {
		t.Fatalf("still queued: %+v", q)
	}
	fresh := newDesk(t, club, dir)
	all := fresh.j.Since(time.Time{})
	if last := all[len(all)-1]; last.Phase() != journal.Done || last.Last.Why.RU != "отправлено, когда связь вернулась" {
		t.Fatalf("the mark's outcome was written over by the second console: %+v", last.Last)
	}
}

// slowLine holds every roster read until it is let go.
type slowLine struct {
	providers.Provider
	gate chan struct{}
	mu   sync.Mutex
	n    map[string]int
}

func (s *slowLine) Roster(ctx context.Context, id string) ([]models.Booking, error) {
	<-s.gate
	return s.Provider.Roster(ctx, id)
}

func (s *slowLine) MarkAttendance(ctx context.Context, id string, a models.Attendance) error {
	s.mu.Lock()
	s.n["mark"]++
	s.mu.Unlock()
	return s.Provider.MarkAttendance(ctx, id, a)
}

// SendQueued may be called at any time, from the start and from every
// answer of the CRM: two calls at once send a mark once.
func TestOfflineSendQueuedCalledTwiceAtOnceSendsOnce(t *testing.T) {
	dir, club := t.TempDir(), demoClub(t)
	ctx := context.Background()
	d := newDesk(t, club, dir)
	_, b := d.firstRoster(t)
	d.line.Cut()
	d.rec.MarkAttendance(ctx, b.ID, models.Attended)

	j, err := journal.Open(dir, journal.Who{Profile: "main", Provider: "demo"}, journal.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	slow := &slowLine{Provider: club, gate: make(chan struct{}), n: map[string]int{}}
	off := New(slow, j, func() time.Time { return now })
	var wg sync.WaitGroup
	results := make([]int, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _ = off.SendQueued(ctx)
		}()
	}
	time.Sleep(50 * time.Millisecond) // both are in
	close(slow.gate)
	wg.Wait()
	if slow.n["mark"] != 1 || results[0]+results[1] != 1 || off.Queued() != 0 {
		t.Fatalf("marks sent %d, results %v, left %d", slow.n["mark"], results, off.Queued())
	}
}

// wide answers a search with more clients than asked, or with an answer
// it cannot read.
type wide struct {
	providers.Provider
	err error
}

func (w wide) SearchClients(ctx context.Context, q string, limit int) ([]models.Client, error) {
	if w.err != nil {
		return nil, w.err
	}
	out := make([]models.Client, 5000)
	for i := range out {
		out[i] = models.Client{ID: fmt.Sprint(i), LastName: "Иванов"}
	}
	return out, nil
}

// One search brings at most what was asked for (MaxSearch at most) into
// the desk's memory; an answer that cannot be read is said, and does not
// put the desk offline.
func TestOfflineASearchIsCappedAndABadAnswerIsNotOffline(t *testing.T) {
	off := New(wide{Provider: demoClub(t)}, nil, func() time.Time { return now })
	cs, err := off.SearchClients(context.Background(), "иван", 0)
	if err != nil || len(cs) != MaxSearch || len(off.clients) != MaxSearch {
		t.Fatalf("a search answered with 5000: %d shown, %d kept, %v", len(cs), len(off.clients), err)
	}
	if cs, _ := off.SearchClients(context.Background(), "иван", 20); len(cs) != 20 {
		t.Fatalf("a search for 20: %d", len(cs))
	}
	bad := &providers.Error{Kind: providers.ErrBadAnswer, Op: "search clients", Err: providers.ErrAnswerTooLarge}
	off = New(wide{Provider: demoClub(t), err: bad}, nil, func() time.Time { return now })
	if _, err := off.SearchClients(context.Background(), "иван", 20); !errors.Is(err, providers.ErrAnswerTooLarge) {
		t.Fatalf("err %v", err)
	}
	if _, _, offline := off.Offline(); offline {
		t.Fatal("an answer too large put the desk offline")
	}
}

package offline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/offline/offlinetest"
)

// A desk closed mid-outage and started again while the line is still down
// shows what the earlier run saw today, with its age, and its kept mark.
func TestOfflineMemoryOutlivesARestartWithinTheDay(t *testing.T) {
	dir, club := t.TempDir(), demoClub(t)
	file := filepath.Join(dir, "offline", "main.json")
	d := newDesk(t, club, dir)
	if n, err := d.off.Remember(file); err != nil || n != 0 {
		t.Fatalf("a first start brought back %d clients: %v", n, err)
	}
	ctx := context.Background()
	if _, err := d.rec.ClientByCard(ctx, "0040856634"); err != nil {
		t.Fatal(err)
	}
	lesson, b := d.firstRoster(t)
	d.line.Cut()
	d.rec.MarkAttendance(ctx, b.ID, models.Attended)
	if err := d.off.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the memory file: %v %v", fi, err)
	}

	later := now.Add(20 * time.Minute)
	again := newDesk(t, club, dir)
	again.off.now = func() time.Time { return later }
	again.line.Cut() // still down
	if n, err := again.off.Remember(file); err != nil || n == 0 {
		t.Fatalf("the restart brought back %d clients: %v", n, err)
	}
	defer again.off.Close()
	c, err := again.rec.ClientByCard(ctx, "0040856634")
	if err != nil || c.LastName != "Зеленина" {
		t.Fatalf("the card offline after a restart: %+v %v", c, err)
	}
	bs, err := again.rec.Roster(ctx, lesson.ID)
	if err != nil || len(bs) == 0 {
		t.Fatalf("the roster offline after a restart: %v %v", bs, err)
	}
	for _, x := range bs {
		if x.ID == b.ID && x.Attendance != models.Attended {
			t.Fatal("the kept mark does not show in the roster brought back")
		}
	}
	if _, seen, off := again.off.Offline(); !off || !seen.Equal(now) {
		t.Fatalf("offline %v, shown as of %v: the age must be the earlier run's (%v)", off, seen, now)
	}
}

// Yesterday's clients are not shown, and not kept.
func TestOfflineMemoryOfAnotherDayIsDropped(t *testing.T) {
	dir, club := t.TempDir(), demoClub(t)
	file := filepath.Join(dir, "offline", "main.json")
	d := newDesk(t, club, dir)
	d.off.Remember(file)
	if _, err := d.rec.ClientByCard(context.Background(), "0040856634"); err != nil {
		t.Fatal(err)
	}
	if err := d.off.Close(); err != nil {
		t.Fatal(err)
	}

	l := offlinetest.New(club)
	tomorrow := New(l, d.j, func() time.Time { return now.Add(24 * time.Hour) })
	if n, err := tomorrow.Remember(file); err != nil || n != 0 {
		t.Fatalf("tomorrow brought back %d clients: %v", n, err)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("yesterday's memory is still on disk: %v", err)
	}
	tomorrow.Close()
}

// A torn or foreign file is said and ignored: the desk starts empty.
func TestOfflineMemoryThatCannotBeReadStartsEmpty(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "offline", "main.json")
	os.MkdirAll(filepath.Dir(file), 0o700)
	os.WriteFile(file, []byte(`{"version":1,"day":{"Year":20`), 0o600)
	d := newDesk(t, demoClub(t), dir)
	n, err := d.off.Remember(file)
	if err == nil || n != 0 {
		t.Fatalf("a torn memory: %d clients, %v", n, err)
	}
	defer d.off.Close()
	if _, err := d.rec.ClientByCard(context.Background(), "0040856634"); err != nil {
		t.Fatal("the desk must still work after it", err)
	}
}

// BenchmarkMemorySave is the write the desk makes every few seconds after a
// change, with a busy day's memory: 2 000 clients seen, each with a
// membership and visits, and 40 rosters of 15. Nothing changed but the
// mark of change: the save appends the frame of its header alone.
func BenchmarkMemorySave(b *testing.B) {
	d := New(demoClub(b), nil, func() time.Time { return now })
	for i := range 2000 {
		id := fmt.Sprint(10000 + i)
		d.clients[id] = models.Client{ID: id, LastName: "Иванова", FirstName: "Мария", Phone: "79160000000", Cards: []string{"00" + id}}
		d.cards["00"+id] = id
		d.memberships[id] = []models.Membership{{ID: "m" + id, Title: "Безлимит на месяц", Start: models.NewDate(2026, 11, 20), End: models.NewDate(2026, 12, 19)}}
		d.visits[id] = []models.Visit{{ID: "v" + id, ClientID: id, At: now}, {ID: "w" + id, ClientID: id, At: now.Add(-48 * time.Hour)}}
	}
	for l := range 40 {
		bs := make([]models.Booking, 15)
		for i := range bs {
			bs[i] = models.Booking{ID: fmt.Sprint(l*100 + i), ClientID: fmt.Sprint(10000 + i), ClientName: "Иванова Мария"}
		}
		d.rosters[fmt.Sprint(l)] = bs
	}
	if _, err := d.Remember(filepath.Join(b.TempDir(), "main.json")); err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	// What save does under the lock when it writes the memory whole (the
	// most it holds it), timed apart.
	const copies = 20
	start := time.Now()
	for range copies {
		d.mu.Lock()
		d.allRecords()
		d.mu.Unlock()
	}
	locked := time.Since(start) / copies
	var size int64
	for b.Loop() {
		d.mu.Lock()
		d.changed()
		d.mu.Unlock()
		if err := d.save(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(locked.Microseconds()), "µs-locked")
	if fi, err := os.Stat(d.file.path); err == nil {
		size = fi.Size()
	}
	b.ReportMetric(float64(size)/1024, "KiB/file")
}

// A desk left open past midnight, its last answer from yesterday, writes
// yesterday's memory: the morning's start does not show it.
func TestOfflineMemoryWrittenAfterMidnightIsStillYesterdays(t *testing.T) {
	dir, club := t.TempDir(), demoClub(t)
	file := filepath.Join(dir, "offline", "main.json")
	d := newDesk(t, club, dir)
	d.off.Remember(file)
	if _, err := d.rec.ClientByCard(context.Background(), "0040856634"); err != nil {
		t.Fatal(err)
	}
	d.off.now = func() time.Time { return now.Add(24 * time.Hour) } // written the next morning
	if err := d.off.Close(); err != nil {
		t.Fatal(err)
	}
	morning := New(offlinetest.New(club), d.j, func() time.Time { return now.Add(24 * time.Hour) })
	if n, err := morning.Remember(file); err != nil || n != 0 {
		t.Fatalf("the morning brought back %d of yesterday's clients: %v", n, err)
	}
	morning.Close()
}

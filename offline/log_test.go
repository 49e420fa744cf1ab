package offline

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/offline/offlinetest"
)

// smallDay is BusyDay at a size a test reads in a blink.
func smallDay(t testing.TB) *offlinetest.BusyDay {
	return &offlinetest.BusyDay{Provider: demoClub(t), Clients: 300, Rosters: 20, PerRoster: 30, Now: now}
}

// A save writes what changed since the last one, not the day: one more
// card read at the end of the day is a few hundred bytes, however much
// the memory holds; a save with nothing new writes nothing.
func TestOfflineSaveWritesWhatChanged(t *testing.T) {
	day := smallDay(t)
	file := filepath.Join(t.TempDir(), "main.json")
	d := dayEnd(t, day, file)
	defer d.Close()
	if err := d.save(); err != nil {
		t.Fatal(err)
	}
	whole := fileSize(file)
	before := diskWritten()
	if err := d.save(); err != nil || diskWritten() != before {
		t.Fatalf("a save with nothing new wrote %d bytes: %v", diskWritten()-before, err)
	}
	if err := day.ReadClient(context.Background(), d, 7); err != nil {
		t.Fatal(err)
	}
	if err := d.save(); err != nil {
		t.Fatal(err)
	}
	if n := diskWritten() - before; n == 0 || n > 2<<10 {
		t.Fatalf("one card read made a save of %d bytes (the memory is %d)", n, whole)
	}
	if _, err := d.Roster(context.Background(), "50003"); err != nil {
		t.Fatal(err)
	}
	before = diskWritten()
	if err := d.save(); err != nil {
		t.Fatal(err)
	}
	if n := diskWritten() - before; n == 0 || n > 4<<10 {
		t.Fatalf("one roster of 30 read again made a save of %d bytes", n)
	}
}

// However many saves, the file is written whole again once it has
// doubled: it never grows past twice what it holds (or minCompact).
func TestOfflineLogIsWrittenWholeWhenItHasDoubled(t *testing.T) {
	day := smallDay(t)
	file := filepath.Join(t.TempDir(), "main.json")
	d := dayEnd(t, day, file)
	defer d.Close()
	if err := d.save(); err != nil {
		t.Fatal(err)
	}
	base := fileSize(file)
	largest := int64(0)
	for i := range 3000 {
		d.now = func() time.Time { return now.Add(time.Duration(i) * time.Second) }
		if _, err := d.Roster(context.Background(), "50001"); err != nil {
			t.Fatal(err)
		}
		if err := d.save(); err != nil {
			t.Fatal(err)
		}
		largest = max(largest, fileSize(file))
	}
	if limit := max(2*base, minCompact) + 8<<10; largest > limit {
		t.Fatalf("the file grew to %d bytes (holds %d, limit %d)", largest, base, limit)
	}
	if largest < minCompact {
		t.Fatalf("the file never reached %d bytes (largest %d): nothing was appended?", minCompact, largest)
	}
	again := New(day, nil, func() time.Time { return now })
	if n, err := again.Remember(file); err != nil || n != day.Clients {
		t.Fatalf("after the rewrites: %d clients back, %v", n, err)
	}
	again.Close()
}

// A file written by the version before the log (one JSON document) is
// read — a club upgrading mid-day keeps its memory — and written in the
// new form at the first save.
func TestOfflineMemoryOfTheVersionBeforeIsRead(t *testing.T) {
	file := filepath.Join(t.TempDir(), "main.json")
	c := models.Client{ID: "77", LastName: "Зеленина", FirstName: "Ольга", Cards: []string{"0040856634"}}
	roster := []models.Booking{{ID: "b-1", ClientID: "77", ClientName: "Зеленина Ольга"}}
	old := snapshot{Version: 2, Day: models.DateOf(now, demoClub(t).Info().Location), Seen: now.Add(-time.Minute),
		Clients: map[string]models.Client{"77": c}, Cards: map[string]string{"0040856634": "77"},
		Rosters: map[string][]models.Booking{"l-1": roster}, Stamps: map[string]time.Time{"c/77": now.Add(-time.Minute)}}
	raw, _ := json.Marshal(old)
	os.WriteFile(file, raw, 0o600)

	d := New(offlinetest.New(demoClub(t)), nil, func() time.Time { return now })
	if n, err := d.Remember(file); err != nil || n != 1 {
		t.Fatalf("the older memory: %d clients, %v", n, err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if raw, _ := os.ReadFile(file); !bytes.HasPrefix(raw, frameMagic[:]) {
		t.Fatalf("not rewritten in the new form: %.40q", raw)
	}
	again := New(offlinetest.New(demoClub(t)), nil, func() time.Time { return now })
	if n, err := again.Remember(file); err != nil || n != 1 {
		t.Fatalf("after the rewrite: %d clients, %v", n, err)
	}
	defer again.Close()
	if got := again.clients["77"]; got.LastName != "Зеленина" || again.cards["0040856634"] != "77" || len(again.rosters["l-1"]) != 1 {
		t.Fatalf("lost in the rewrite: %+v", got)
	}
	if !again.seen.Equal(now.Add(-time.Minute)) || !again.stamps["c/77"].Equal(now.Add(-time.Minute)) {
		t.Fatalf("seen %v, stamp %v", again.seen, again.stamps["c/77"])
	}
}

// A crash in the middle of a save leaves a torn last frame: what came
// before it is read, and the next save writes the file whole again, so
// the frames after it are not lost behind the tear.
func TestOfflineATornSaveKeepsWhatCameBefore(t *testing.T) {
	day := smallDay(t)
	file := filepath.Join(t.TempDir(), "main.json")
	d := dayEnd(t, day, file)
	if err := d.save(); err != nil {
		t.Fatal(err)
	}
	d.mu.Lock()
	d.keepClients(models.Client{ID: "torn", LastName: "Оборванная"})
	d.changed()
	d.mu.Unlock()
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	os.Truncate(file, fileSize(file)-5) // the last frame cut short

	again := New(day, nil, func() time.Time { return now })
	if n, err := again.Remember(file); err != nil || n != day.Clients {
		t.Fatalf("a torn file: %d clients back, %v", n, err)
	}
	if _, ok := again.clients["torn"]; ok {
		t.Fatal("a torn frame was read")
	}
	again.mu.Lock()
	again.keepClients(models.Client{ID: "after", LastName: "Последняя"})
	again.changed()
	again.mu.Unlock()
	if err := again.Close(); err != nil {
		t.Fatal(err)
	}
	log, err := readLog(file, 0)
	if err != nil || !log.clean || log.end != fileSize(file) || len(log.snap.Clients) != day.Clients+1 {
		t.Fatalf("after the tear: clean %v, %d clients, %v", log.clean, len(log.snap.Clients), err)
	}
	if _, ok := log.snap.Clients["after"]; !ok {
		t.Fatal("the save after the tear was lost")
	}
}

// Start does not wait for the memory; an answer from memory does, and
// finds it.
func TestOfflineMemoryReadInTheBackground(t *testing.T) {
	dir, club := t.TempDir(), demoClub(t)
	file := filepath.Join(dir, "offline", "main.json")
	d := newDesk(t, club, dir)
	d.off.Remember(file)
	if _, err := d.rec.ClientByCard(context.Background(), "0040856634"); err != nil {
		t.Fatal(err)
	}
	d.off.Close()

	again := newDesk(t, club, dir)
	again.line.Cut()
	brought := make(chan int, 1)
	again.off.RememberInBackground(file, func(n int, err error) {
		if err != nil {
			t.Error(err)
		}
		brought <- n
	})
	defer again.off.Close()
	c, err := again.rec.ClientByCard(context.Background(), "0040856634")
	if err != nil || c.LastName != "Зеленина" {
		t.Fatalf("offline, the memory read in the background: %+v %v", c, err)
	}
	if n := <-brought; n != 1 {
		t.Fatalf("brought back %d", n)
	}
}

// Two consoles: each save reads only the frames the other appended since,
// and appends its own.
func TestOfflineTwoConsolesAppendToOneLog(t *testing.T) {
	day := smallDay(t)
	file := filepath.Join(t.TempDir(), "main.json")
	a := dayEnd(t, day, file)
	defer a.Close()
	if err := a.save(); err != nil {
		t.Fatal(err)
	}
	b := New(day, nil, func() time.Time { return now.Add(time.Minute) })
	if n, err := b.Remember(file); err != nil || n != day.Clients {
		t.Fatalf("b: %d clients, %v", n, err)
	}
	defer b.Close()
	b.mu.Lock()
	b.keepClients(models.Client{ID: "from-b", LastName: "Бэ"})
	b.changed()
	b.mu.Unlock()
	if err := b.save(); err != nil {
		t.Fatal(err)
	}
	a.mu.Lock()
	a.keepClients(models.Client{ID: "from-a", LastName: "А"})
	a.changed()
	a.mu.Unlock()
	before := diskWritten()
	if err := a.save(); err != nil {
		t.Fatal(err)
	}
	if n := diskWritten() - before; n > 2<<10 {
		t.Fatalf("a's save after b's wrote %d bytes: the file was written whole", n)
	}
	if _, ok := a.clients["from-b"]; !ok {
		t.Fatal("a did not take what b appended")
	}
	log, err := readLog(file, 0)
	if err != nil || log.snap.Clients["from-a"].LastName != "А" || log.snap.Clients["from-b"].LastName != "Бэ" {
		t.Fatalf("the log: %v", err)
	}
}

// Several sessions read through one desk while its memory is saved: every
// client read is in the file at the end.
func TestOfflineSavesWhileManyRead(t *testing.T) {
	day := smallDay(t)
	file := filepath.Join(t.TempDir(), "main.json")
	d := New(day, nil, func() time.Time { return now })
	if _, err := d.Remember(file); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for s := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := s; i < day.Clients; i += 4 {
				if err := day.ReadClient(context.Background(), d, i); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	stop := make(chan struct{})
	saved := make(chan error, 1)
	go func() {
		for {
			select {
			case <-stop:
				saved <- nil
				return
			default:
			}
			if err := d.save(); err != nil {
				saved <- err
				return
			}
		}
	}()
	wg.Wait()
	close(stop)
	if err := <-saved; err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	log, err := readLog(file, 0)
	if err != nil || len(log.snap.Clients) != day.Clients || len(log.snap.Visits) != day.Clients {
		t.Fatalf("the file holds %d clients of %d: %v", len(log.snap.Clients), day.Clients, err)
	}
}

package offline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/clubdesk/clubdesk/models"
)

// The desk's memory outlives the process, for the club's day: the Wi-Fi
// drops, the terminal is closed or the machine restarts, and the desk that
// starts again still shows today's timetable, rosters and the clients it
// opened. It is a JSON file in the state folder (mode 0600, as the journal,
// which holds the same names), written in the background at most every
// saveEvery after a change and when the console closes, replaced whole (a
// crash mid-write leaves the previous one). A file of another day is not
// read, and is removed: the desk keeps no client data past the day it
// needed it.

// saveEvery is how often a changed memory is written at most: what a
// restart can lose is the last few seconds of reads.
const saveEvery = 5 * time.Second

// memoryVersion changes when the file's shape does; another version is
// ignored rather than misread.
const memoryVersion = 1

// snapshot is the memory as written to disk.
type snapshot struct {
	Version     int                            `json:"version"`
	Day         models.Date                    `json:"day"` // the club's day it belongs to
	Seen        time.Time                      `json:"seen"`
	Clients     map[string]models.Client       `json:"clients"`
	Cards       map[string]string              `json:"cards"`
	Memberships map[string][]models.Membership `json:"memberships"`
	Visits      map[string][]models.Visit      `json:"visits"`
	Bookings    map[string][]models.Booking    `json:"bookings"`
	Lessons     map[string][]models.Lesson     `json:"lessons"`
	Rosters     map[string][]models.Booking    `json:"rosters"`
	Plans       []models.Plan                  `json:"plans"`
}

// memoryFile is where a Desk keeps its memory, once Remember is called.
type memoryFile struct {
	path  string
	dirty bool          // changed since written; under Desk.mu
	stop  chan struct{} // closes the saver
	done  sync.WaitGroup
	once  sync.Once
}

// Remember keeps the desk's memory in path, and first reads what an earlier
// run of the club's day left there. It returns how many clients that
// brought back. The club's day is that of the provider's time zone.
func (d *Desk) Remember(path string) (int, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return 0, fmt.Errorf("offline memory: %w", err)
	}
	n, err := d.load(path)
	mf := &memoryFile{path: path, stop: make(chan struct{})}
	d.mu.Lock()
	d.file = mf
	d.mu.Unlock()
	mf.done.Add(1)
	go d.saver(mf)
	return n, err
}

// Close writes the memory one last time and stops the background writer.
func (d *Desk) Close() error {
	d.mu.Lock()
	mf := d.file
	d.mu.Unlock()
	if mf == nil {
		return nil
	}
	mf.once.Do(func() { close(mf.stop) })
	mf.done.Wait()
	return d.save()
}

func (d *Desk) saver(mf *memoryFile) {
	defer mf.done.Done()
	t := time.NewTicker(saveEvery)
	defer t.Stop()
	for {
		select {
		case <-mf.stop:
			return
		case <-t.C:
			_ = d.save() // tried again on the next tick; Close reports it
		}
	}
}

// changed marks the memory to be written. Locked.
func (d *Desk) changed() {
	if d.file != nil {
		d.file.dirty = true
	}
}

func (d *Desk) today() models.Date { return d.dayOf(d.now()) }

// dayOf is the club's day t falls on.
func (d *Desk) dayOf(t time.Time) models.Date {
	loc := d.Provider.Info().Location
	if loc == nil {
		loc = time.Local
	}
	return models.DateOf(t, loc)
}

// save writes the memory when it changed since it was last written.
func (d *Desk) save() error {
	d.mu.Lock()
	if d.file == nil || !d.file.dirty {
		d.mu.Unlock()
		return nil
	}
	snap := d.snapshot()
	path := d.file.path
	d.file.dirty = false
	d.mu.Unlock()
	data, err := json.Marshal(snap) // outside the lock: reads go on meanwhile
	if err == nil {
		err = writeWhole(path, data)
	}
	if err != nil {
		d.mu.Lock()
		d.file.dirty = true
		d.mu.Unlock()
		return fmt.Errorf("offline memory: %w", err)
	}
	return nil
}

// snapshot copies the memory for writing. Locked. The maps are copied and
// the rosters too, whose marks change in place (applyKept); every other
// value is replaced whole when it changes, never edited.
func (d *Desk) snapshot() snapshot {
	rosters := make(map[string][]models.Booking, len(d.rosters))
	for id, bs := range d.rosters {
		rosters[id] = slices.Clone(bs)
	}
	// The day is the newest answer's: a desk left open past midnight
	// writes yesterday's memory as yesterday's, and the morning drops it.
	day := d.today()
	if !d.seen.IsZero() {
		day = d.dayOf(d.seen)
	}
	return snapshot{Version: memoryVersion, Day: day, Seen: d.seen,
		Clients: maps.Clone(d.clients), Cards: maps.Clone(d.cards), Memberships: maps.Clone(d.memberships),
		Visits: maps.Clone(d.visits), Bookings: maps.Clone(d.bookings), Lessons: maps.Clone(d.lessons),
		Rosters: rosters, Plans: d.plans}
}

// load brings back an earlier run's memory of today.
func (d *Desk) load(path string) (int, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("offline memory: %w", err)
	}
	var snap snapshot
	if err := json.Unmarshal(data, &snap); err != nil || snap.Version != memoryVersion || snap.Day != d.today() {
		// Another day's clients are not kept; a torn or foreign file is
		// not trusted.
		_ = os.Remove(path)
		if err != nil {
			return 0, fmt.Errorf("offline memory: %s unreadable, started empty: %w", path, err)
		}
		return 0, nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for id, c := range snap.Clients {
		if _, fresher := d.clients[id]; !fresher {
			d.clients[id] = c
		}
	}
	fill(d.cards, snap.Cards)
	fill(d.memberships, snap.Memberships)
	fill(d.visits, snap.Visits)
	fill(d.bookings, snap.Bookings)
	fill(d.lessons, snap.Lessons)
	fill(d.rosters, snap.Rosters)
	for lesson := range snap.Rosters {
		d.applyKept(lesson) // a mark kept by the earlier run still shows
	}
	if d.plans == nil {
		d.plans = snap.Plans
	}
	if d.seen.IsZero() {
		d.seen = snap.Seen // "shown as of" stays honest
	}
	return len(snap.Clients), nil
}

// fill adds what dst does not have yet.
func fill[V any](dst, src map[string]V) {
	for k, v := range src {
		if _, ok := dst[k]; !ok {
			dst[k] = v
		}
	}
}

// writeWhole replaces path with data: a temporary file beside it, synced,
// then renamed over it.
func writeWhole(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".memory-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone after the rename; cleans up a failure
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

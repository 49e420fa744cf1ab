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
	"sync/atomic"
	"time"

	"github.com/clubdesk/clubdesk/keys/redact"
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
//
// Two consoles of one profile (two receptionists, one login) share the
// file: each save takes the file's lock (PROFILE.json.lock), reads what is
// there, keeps the newest of each record — every record carries when the
// desk was given it — and writes the merge, so neither overwrites what the
// other saw. No secret the process holds is written (package redact).

// saveEvery is how often a changed memory is written at most: what a
// restart can lose is the last few seconds of reads.
const saveEvery = 5 * time.Second

// memoryVersion changes when the file's shape does; another version is
// ignored rather than misread. Version 1 had no record times: its records
// are older than any this desk was given.
const memoryVersion = 2

// written counts the bytes the memory writes to disk (benchmarks and
// tests bound what a save writes).
var written atomic.Int64

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
	// Stamps is when each record was given to a desk ("c/ID" a client,
	// "r/ID" a roster...: stampKey): the newest wins a merge.
	Stamps map[string]time.Time `json:"stamps,omitempty"`
}

// Prefixes of the records' stamps.
const (
	stampClient     = "c/"
	stampCard       = "k/"
	stampMembership = "m/"
	stampVisits     = "v/"
	stampBookings   = "b/"
	stampLessons    = "l/"
	stampRoster     = "r/"
	stampPlans      = "p"
)

// stamp notes that a record was given to the desk now. Locked.
func (d *Desk) stamp(key string) { d.stamps[key] = d.now() }

// memoryFile is where a Desk keeps its memory, once Remember is called.
type memoryFile struct {
	path  string
	dirty bool // changed since written; under Desk.mu
	// wrote is the file as this desk last wrote it: while it is still so,
	// no other console wrote since, and a save need not read it. Under
	// the file's lock.
	wrote fileState
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
	loc := d.next.Info().Location
	if loc == nil {
		loc = time.Local
	}
	return models.DateOf(t, loc)
}

// save writes the memory when it changed since it was last written:
// under the file's lock, merged with what another console of the profile
// wrote there (the newest of each record), redacted.
func (d *Desk) save() error {
	d.mu.Lock()
	if d.file == nil || !d.file.dirty {
		d.mu.Unlock()
		return nil
	}
	path := d.file.path
	d.file.dirty = false
	d.mu.Unlock()
	err := d.saveMerged(path)
	if err != nil {
		d.mu.Lock()
		d.file.dirty = true
		d.mu.Unlock()
		return fmt.Errorf("offline memory: %w", err)
	}
	return nil
}

func (d *Desk) saveMerged(path string) error {
	release, err := lockPath(path+".lock", true)
	if err == nil {
		defer release()
	} // without locks, the merge still keeps most of what another wrote
	mf := d.fileOf()
	var disk snapshot
	ok := false
	if !stateOf(path).same(mf.wrote) {
		disk, ok = readSnapshot(path) // another console wrote since
	}
	d.mu.Lock()
	if ok && disk.Day == d.memoryDay() {
		d.adopt(disk)
	}
	snap := d.snapshot()
	d.mu.Unlock()
	data, err := json.Marshal(snap) // outside the lock: reads go on meanwhile
	if err != nil {
		return err
	}
	if err := writeWhole(path, redact.JSON(data)); err != nil {
		return err
	}
	mf.wrote = stateOf(path)
	return nil
}

func (d *Desk) fileOf() *memoryFile {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.file
}

// fileState is a file as it was: every write replaces it with a new one
// (writeWhole renames), so another console's write is another file.
type fileState struct{ info os.FileInfo }

func stateOf(path string) fileState {
	st, err := os.Stat(path)
	if err != nil {
		return fileState{}
	}
	return fileState{st}
}

// same reports whether s and o are the same file, unchanged.
func (s fileState) same(o fileState) bool {
	return s.info != nil && o.info != nil && os.SameFile(s.info, o.info) &&
		s.info.Size() == o.info.Size() && s.info.ModTime().Equal(o.info.ModTime())
}

// readSnapshot reads a memory file of this version; ok is false for none,
// a torn one or another version's.
func readSnapshot(path string) (snapshot, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return snapshot{}, false
	}
	var snap snapshot
	if json.Unmarshal(data, &snap) != nil || (snap.Version != memoryVersion && snap.Version != 1) {
		return snapshot{}, false
	}
	return snap, true
}

// memoryDay is the club's day the memory belongs to: the newest answer's.
// Locked.
func (d *Desk) memoryDay() models.Date {
	if !d.seen.IsZero() {
		return d.dayOf(d.seen)
	}
	return d.today()
}

// adopt takes from snap every record it has newer than the desk's (or
// that the desk does not have). Locked.
func (d *Desk) adopt(snap snapshot) int {
	n := adoptMap(d, stampClient, d.clients, snap.Clients, snap.Stamps)
	adoptMap(d, stampCard, d.cards, snap.Cards, snap.Stamps)
	adoptMap(d, stampMembership, d.memberships, snap.Memberships, snap.Stamps)
	adoptMap(d, stampVisits, d.visits, snap.Visits, snap.Stamps)
	adoptMap(d, stampBookings, d.bookings, snap.Bookings, snap.Stamps)
	adoptMap(d, stampLessons, d.lessons, snap.Lessons, snap.Stamps)
	if adoptMap(d, stampRoster, d.rosters, snap.Rosters, snap.Stamps) > 0 {
		for lesson := range snap.Rosters {
			d.applyKept(lesson) // a mark kept and not yet sent still shows
		}
	}
	if theirs := snap.Stamps[stampPlans]; snap.Plans != nil && (d.plans == nil || theirs.After(d.stamps[stampPlans])) {
		d.plans, d.stamps[stampPlans] = snap.Plans, theirs
	}
	if snap.Seen.After(d.seen) {
		d.seen = snap.Seen // "shown as of" stays honest
	}
	return n
}

// adoptMap takes the records of src newer than dst's; it returns how many.
func adoptMap[V any](d *Desk, prefix string, dst, src map[string]V, stamps map[string]time.Time) int {
	n := 0
	for k, v := range src {
		key := prefix + k
		theirs := stamps[key]
		if _, have := dst[k]; have && !theirs.After(d.stamps[key]) {
			continue
		}
		dst[k] = v
		d.stamps[key] = theirs
		n++
	}
	return n
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
	return snapshot{Version: memoryVersion, Day: d.memoryDay(), Seen: d.seen,
		Clients: maps.Clone(d.clients), Cards: maps.Clone(d.cards), Memberships: maps.Clone(d.memberships),
		Visits: maps.Clone(d.visits), Bookings: maps.Clone(d.bookings), Lessons: maps.Clone(d.lessons),
		Rosters: rosters, Plans: d.plans, Stamps: maps.Clone(d.stamps)}
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
	if err := json.Unmarshal(data, &snap); err != nil || (snap.Version != memoryVersion && snap.Version != 1) || snap.Day != d.today() {
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
	d.adopt(snap)
	return len(snap.Clients), nil
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
	n, err := tmp.Write(data)
	written.Add(int64(n))
	if err != nil {
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

package offline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/clubdesk/clubdesk/models"
)

// The desk's memory outlives the process, for the club's day: the Wi-Fi
// drops, the terminal is closed or the machine restarts, and the desk that
// starts again still shows today's timetable, rosters and the clients it
// opened. It is a file in the state folder (mode 0600, as the journal,
// which holds the same names): a log of records, each a client, a card, a
// client's memberships, visits or bookings, a timetable, a roster or the
// plans, with the time the desk was given it. A save, in the background at
// most every saveEvery after a change and when the console closes, appends
// only the records that changed since the last one, as one frame (a
// length, then the records as gzip'd JSON lines), synced; when the log has
// grown to twice what it held when last written whole, or its day has
// passed, or it was torn (a crash mid-append: what was read before the
// tear is kept), it is written whole again — a temporary file synced, then
// renamed over it, so a crash leaves the previous one. A file of another
// day is not read, and is removed: the desk keeps no client data past the
// day it needed it. A file an older version wrote (one JSON document,
// versions 1 and 2) is read, and written whole in the new form at the
// first save.
//
// Two consoles of one profile (two receptionists, one login) share the
// file: each save takes the file's lock (PROFILE.json.lock), reads what
// the other appended since (or the whole file when the other wrote it
// whole), keeps the newest of each record, and appends its own, so
// neither overwrites what the other saw. No secret the process holds is
// written (package redact).
//
// Start does not wait for the memory: RememberInBackground reads it while
// the first screen is drawn, and only an answer from memory (the CRM
// silent) waits for it.

// saveEvery is how often a changed memory is written at most: what a
// restart can lose is the last few seconds of reads.
const saveEvery = 5 * time.Second

// memoryVersion changes when the file's shape does; another version is
// ignored rather than misread. Versions 1 and 2 were one JSON document
// (1 without record times: its records are older than any this desk was
// given); 3 is the log.
const memoryVersion = 3

// frameMagic starts every frame of the log; a file that starts with "{"
// is an older version's document.
var frameMagic = [4]byte{'C', 'D', 'M', '3'}

// maxFrame bounds one frame: a length beyond it is a broken file.
const maxFrame = 256 << 20

// frameRecords is how many records one frame holds at most when the
// memory is written whole.
const frameRecords = 1000

// minCompact is the size under which the log is not written whole again
// for having grown.
const minCompact = 1 << 20

// written counts the bytes the memory writes to disk (benchmarks and
// tests bound what a save writes).
var written atomic.Int64

// record is one line of a frame: the frame's header (its first line: the
// version, the club's day, when the newest answer came) or one record.
type record struct {
	Version int             `json:"version,omitempty"`
	Day     *models.Date    `json:"day,omitempty"`
	Seen    time.Time       `json:"seen,omitzero"`
	Key     string          `json:"k,omitempty"` // a stamp key: "c/ID", "r/ID", "p"...
	At      time.Time       `json:"t,omitzero"`  // when the desk was given it
	Value   json.RawMessage `json:"-"`           // after a tab on the line
}

// snapshot is the memory as one document: what versions 1 and 2 wrote
// (read from a file of theirs), and what a log's records make when read.
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
func (d *Desk) stamp(key string) {
	d.stamps[key] = d.now()
	d.dirty[key] = struct{}{}
}

// memoryFile is where a Desk keeps its memory, once Remember is called.
type memoryFile struct {
	path  string
	dirty bool // changed since written; under Desk.mu
	// loaded is closed once the file has been read (RememberInBackground).
	loaded chan struct{}

	// saving keeps one save at a time; what follows is under it.
	saving sync.Mutex
	// info and size are the file as this desk last read or wrote it:
	// while it is still that file and that long, no other console wrote.
	info os.FileInfo
	size int64
	day  models.Date // the day of the file's records
	// rewrite says the next save writes the file whole (torn, an older
	// version's, another day's, grown past compactAt).
	rewrite   bool
	compactAt int64

	stop chan struct{} // closes the saver
	done sync.WaitGroup
	once sync.Once
}

// Remember keeps the desk's memory in path, and first reads what an earlier
// run of the club's day left there. It returns how many clients that
// brought back. The club's day is that of the provider's time zone.
func (d *Desk) Remember(path string) (int, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return 0, fmt.Errorf("offline memory: %w", err)
	}
	mf := &memoryFile{path: path, stop: make(chan struct{})}
	n, err := d.load(mf)
	d.mu.Lock()
	d.file = mf
	d.mu.Unlock()
	mf.done.Add(1)
	go d.saver(mf)
	return n, err
}

// RememberInBackground is Remember without waiting: the memory is read
// in the background while the console starts, and done (when not nil) is
// told what it brought back. Until then the desk answers from the CRM as
// usual; an answer from memory waits for it.
func (d *Desk) RememberInBackground(path string, done func(clients int, err error)) {
	mf := &memoryFile{path: path, stop: make(chan struct{}), loaded: make(chan struct{})}
	d.mu.Lock()
	d.file = mf
	d.mu.Unlock()
	mf.done.Add(1)
	go func() {
		n, err := 0, os.MkdirAll(filepath.Dir(path), 0o700)
		if err == nil {
			n, err = d.load(mf)
		} else {
			err = fmt.Errorf("offline memory: %w", err)
		}
		close(mf.loaded)
		if done != nil {
			done(n, err)
		}
		d.saver(mf)
	}()
}

// waitLoaded waits until the memory file has been read (at once when it
// is not being read).
func (d *Desk) waitLoaded(ctx context.Context) {
	mf := d.fileOf()
	if mf == nil || mf.loaded == nil {
		return
	}
	select {
	case <-mf.loaded:
	case <-ctx.Done():
	}
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

// save writes what changed since the last save: under the file's lock,
// after taking what another console of the profile wrote there meanwhile
// (the newest of each record), appended as one frame — or the whole
// memory, when the file is to be written whole again. Redacted.
func (d *Desk) save() error {
	mf := d.fileOf()
	if mf == nil {
		return nil
	}
	if mf.loaded != nil {
		<-mf.loaded
	}
	mf.saving.Lock()
	defer mf.saving.Unlock()
	d.mu.Lock()
	if !mf.dirty && !mf.rewrite {
		d.mu.Unlock()
		return nil
	}
	mf.dirty = false
	d.mu.Unlock()
	if err := d.saveLocked(mf); err != nil {
		d.mu.Lock()
		mf.dirty, mf.rewrite = true, true // what was not written goes whole next time
		d.mu.Unlock()
		return fmt.Errorf("offline memory: %w", err)
	}
	return nil
}

func (d *Desk) saveLocked(mf *memoryFile) error {
	release, err := lockPath(mf.path+".lock", true)
	if err == nil {
		defer release()
	} // without locks, the merge still keeps most of what another wrote
	d.catchUp(mf)
	d.mu.Lock()
	day := d.memoryDay()
	whole := mf.rewrite || mf.info == nil || day != mf.day || mf.size >= mf.compactAt
	var recs []pending
	if whole {
		recs = d.allRecords()
	} else {
		recs = d.dirtyRecords()
	}
	clear(d.dirty)
	seen := d.seen
	d.mu.Unlock()
	data, err := encodeFrames(day, seen, recs) // outside the lock: reads go on meanwhile
	if err != nil {
		return err
	}
	if whole {
		if err := writeWhole(mf.path, data); err != nil {
			return err
		}
		mf.info, _ = os.Stat(mf.path)
		mf.size, mf.day, mf.rewrite = int64(len(data)), day, false
		mf.compactAt = max(2*mf.size, minCompact)
		return nil
	}
	n, err := appendFrame(mf.path, data)
	mf.size += n
	if err != nil {
		mf.rewrite = true
		return err
	}
	mf.info, _ = os.Stat(mf.path)
	return nil
}

// catchUp takes what another console wrote to the file since this desk
// last read or wrote it: the frames it appended, or the whole file when
// it wrote it whole (or this desk has not read it). Under the file's lock.
func (d *Desk) catchUp(mf *memoryFile) {
	st, err := os.Stat(mf.path)
	if err != nil {
		mf.info, mf.size, mf.rewrite = nil, 0, true
		return
	}
	from := int64(0)
	if mf.info != nil && os.SameFile(mf.info, st) && st.Size() >= mf.size {
		if st.Size() == mf.size {
			return // no one wrote since
		}
		from = mf.size
	}
	log, err := readLog(mf.path, from)
	if err != nil {
		mf.info, mf.size, mf.rewrite = nil, 0, true
		return
	}
	if from == 0 {
		mf.day = log.day
	}
	d.mu.Lock()
	if log.day == d.memoryDay() && log.day == mf.day {
		d.adopt(log.snap)
	}
	d.mu.Unlock()
	mf.info, mf.size = st, log.end
	mf.rewrite = mf.rewrite || !log.clean
	if from == 0 {
		mf.compactAt = max(2*log.end, minCompact)
	}
}

func (d *Desk) fileOf() *memoryFile {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.file
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

// load brings back an earlier run's memory of today into the desk, and
// notes where the file stands for the saves to come.
func (d *Desk) load(mf *memoryFile) (int, error) {
	release, err := lockPath(mf.path+".lock", true)
	if err == nil {
		defer release()
	}
	st, err := os.Stat(mf.path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("offline memory: %w", err)
	}
	log, err := readLog(mf.path, 0)
	if err != nil || log.day != d.today() {
		// Another day's clients are not kept; a torn or foreign file is
		// not trusted.
		_ = os.Remove(mf.path)
		if err != nil {
			return 0, fmt.Errorf("offline memory: %s unreadable, started empty: %w", mf.path, err)
		}
		return 0, nil
	}
	mf.info, mf.size, mf.day = st, log.end, log.day
	mf.rewrite = !log.clean
	mf.compactAt = max(2*log.end, minCompact)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.adopt(log.snap)
	return len(log.snap.Clients), nil
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

// appendFrame appends frames to path and waits until they are on disk;
// it returns how many bytes it wrote.
func appendFrame(path string, data []byte) (int64, error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n, err := f.Write(data)
	written.Add(int64(n))
	if err != nil {
		return int64(n), err
	}
	return int64(n), f.Sync()
}

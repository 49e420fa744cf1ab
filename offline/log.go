package offline

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/keys/redact"
	"github.com/clubdesk/clubdesk/models"
)

// pending is a record to be written: its stamp key (prefix and id, put
// together outside the desk's lock), when the desk was given it, and its
// value.
type pending struct {
	prefix, id string
	at         time.Time
	value      any
}

// valueOf is the record a stamp key names; false when the desk has none.
// Locked.
func (d *Desk) valueOf(key string) (any, bool) {
	if key == stampPlans {
		return d.plans, d.plans != nil
	}
	i := strings.IndexByte(key, '/')
	if i < 0 {
		return nil, false
	}
	id := key[i+1:]
	var v any
	ok := false
	switch key[:i+1] {
	case stampClient:
		v, ok = d.clients[id]
	case stampCard:
		v, ok = d.cards[id]
	case stampMembership:
		v, ok = d.memberships[id]
	case stampVisits:
		v, ok = d.visits[id]
	case stampBookings:
		v, ok = d.bookings[id]
	case stampLessons:
		v, ok = d.lessons[id]
	case stampRoster:
		var bs []models.Booking
		bs, ok = d.rosters[id]
		v = slices.Clone(bs) // its marks change in place (applyKept)
	}
	return v, ok
}

// dirtyRecords are the records changed since the last save, in a stable
// order. Locked.
func (d *Desk) dirtyRecords() []pending {
	keys := make([]string, 0, len(d.dirty))
	for k := range d.dirty {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]pending, 0, len(keys))
	for _, k := range keys {
		if v, ok := d.valueOf(k); ok {
			out = append(out, pending{id: k, at: d.stamps[k], value: v})
		}
	}
	return out
}

// allRecords is the whole memory as records. Locked.
func (d *Desk) allRecords() []pending {
	var out []pending
	out = appendRecords(out, d, stampClient, d.clients)
	out = appendRecords(out, d, stampCard, d.cards)
	out = appendRecords(out, d, stampMembership, d.memberships)
	out = appendRecords(out, d, stampVisits, d.visits)
	out = appendRecords(out, d, stampBookings, d.bookings)
	out = appendRecords(out, d, stampLessons, d.lessons)
	for id, v := range d.rosters {
		out = append(out, pending{prefix: stampRoster, id: id, at: d.stamps[stampRoster+id], value: slices.Clone(v)})
	}
	if d.plans != nil {
		out = append(out, pending{id: stampPlans, at: d.stamps[stampPlans], value: d.plans})
	}
	return out
}

// appendRecords adds one kind of the memory's records, by id. Locked.
func appendRecords[V any](out []pending, d *Desk, prefix string, m map[string]V) []pending {
	for id, v := range m {
		out = append(out, pending{prefix: prefix, id: id, at: d.stamps[prefix+id], value: v})
	}
	return out
}

// encodeFrames encodes records as frames of at most frameRecords each,
// every one headed by the day and the newest answer's time; every line
// redacted. No records make one frame of the header alone.
func encodeFrames(day models.Date, seen time.Time, recs []pending) ([]byte, error) {
	var out bytes.Buffer
	for first := 0; first == 0 || first < len(recs); first += frameRecords {
		chunk := recs[first:min(first+frameRecords, len(recs))]
		var body bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&body, gzip.BestSpeed)
		head, err := json.Marshal(record{Version: memoryVersion, Day: &day, Seen: seen})
		if err != nil {
			return nil, err
		}
		zw.Write(redact.JSON(head))
		for _, p := range chunk {
			v, err := json.Marshal(p.value)
			if err != nil {
				return nil, err
			}
			key, err := json.Marshal(record{Key: p.prefix + p.id, At: p.at})
			if err != nil {
				return nil, err
			}
			// The key, a tab, the value: read without going over the
			// value twice (json.Marshal writes no raw tab).
			zw.Write([]byte{'\n'})
			zw.Write(redact.JSON(key))
			zw.Write([]byte{'\t'})
			zw.Write(redact.JSON(v))
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		var h [8]byte
		copy(h[:4], frameMagic[:])
		binary.BigEndian.PutUint32(h[4:], uint32(body.Len()))
		out.Write(h[:])
		out.Write(body.Bytes())
	}
	return out.Bytes(), nil
}

// logRead is what a memory file held from where it was read.
type logRead struct {
	snap  snapshot
	day   models.Date // the club's day of its records
	end   int64       // the end of the last whole frame
	clean bool        // nothing torn, and in this version's form
}

// errNotMemory: the file is neither a memory log nor an older version's
// memory.
var errNotMemory = errors.New("not a memory file")

// readLog reads a memory file from offset from (0, or the end of a frame):
// its frames, or an older version's document. A torn frame at the end (a
// crash mid-append) ends the reading: what came before it is kept, and
// the log is not clean.
func readLog(path string, from int64) (logRead, error) {
	f, err := os.Open(path)
	if err != nil {
		return logRead{}, err
	}
	defer f.Close()
	if _, err := f.Seek(from, io.SeekStart); err != nil {
		return logRead{}, err
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return logRead{}, err
	}
	if from == 0 && len(data) > 0 && data[0] == '{' {
		var snap snapshot
		if err := json.Unmarshal(data, &snap); err != nil {
			return logRead{}, err
		}
		if snap.Version != 1 && snap.Version != 2 {
			return logRead{}, fmt.Errorf("memory version %d", snap.Version)
		}
		return logRead{snap: snap, day: snap.Day, end: int64(len(data))}, nil
	}
	r := logRead{snap: emptySnapshot(), end: from, clean: true}
	haveDay := false
	for off := 0; off < len(data); {
		if len(data)-off < 8 || !bytes.Equal(data[off:off+4], frameMagic[:]) {
			if from == 0 && off == 0 {
				return logRead{}, errNotMemory
			}
			r.clean = false // torn, or garbage after the last frame
			break
		}
		n := int(binary.BigEndian.Uint32(data[off+4 : off+8]))
		if n > maxFrame || len(data)-off-8 < n {
			r.clean = false
			break
		}
		lines, err := gunzip(data[off+8 : off+8+n])
		if err != nil {
			r.clean = false
			break
		}
		off += 8 + n
		r.end = from + int64(off)
		frameDay, ok := models.Date{}, false
		for i, line := range bytes.Split(lines, []byte{'\n'}) {
			var rec record
			head, value, _ := bytes.Cut(line, []byte{'\t'})
			if json.Unmarshal(head, &rec) != nil {
				r.clean = false
				continue
			}
			rec.Value = value
			if i == 0 {
				if rec.Version != memoryVersion || rec.Day == nil {
					break // another version's frame: not misread
				}
				frameDay, ok = *rec.Day, true
				if !haveDay {
					r.day, haveDay = frameDay, true
				}
				if frameDay == r.day && rec.Seen.After(r.snap.Seen) {
					r.snap.Seen = rec.Seen
				}
				continue
			}
			if ok && frameDay == r.day {
				r.snap.put(rec)
			}
		}
	}
	if from == 0 && !haveDay {
		return logRead{}, errNotMemory
	}
	return r, nil
}

// gunzip unpacks one frame, into a buffer of the size its trailer gives
// (a frame is one gzip member).
func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	size := 0
	if len(b) >= 4 {
		size = int(binary.LittleEndian.Uint32(b[len(b)-4:]))
	}
	var out bytes.Buffer
	out.Grow(min(size, maxFrame*8) + bytes.MinRead)
	if _, err := out.ReadFrom(zr); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func emptySnapshot() snapshot {
	return snapshot{Version: memoryVersion, Clients: map[string]models.Client{}, Cards: map[string]string{},
		Memberships: map[string][]models.Membership{}, Visits: map[string][]models.Visit{},
		Bookings: map[string][]models.Booking{}, Lessons: map[string][]models.Lesson{},
		Rosters: map[string][]models.Booking{}, Stamps: map[string]time.Time{}}
}

// put takes a record into the snapshot unless it holds a newer one of
// the same key (a later line of the same time wins: it was written later).
func (s *snapshot) put(rec record) {
	if have, ok := s.Stamps[rec.Key]; ok && have.After(rec.At) {
		return
	}
	ok := false
	if rec.Key == stampPlans {
		var ps []models.Plan
		if ok = json.Unmarshal(rec.Value, &ps) == nil; ok {
			s.Plans = ps
		}
	} else if i := strings.IndexByte(rec.Key, '/'); i >= 0 {
		id := rec.Key[i+1:]
		switch rec.Key[:i+1] {
		case stampClient:
			ok = decodeInto(s.Clients, id, rec.Value)
		case stampCard:
			ok = decodeInto(s.Cards, id, rec.Value)
		case stampMembership:
			ok = decodeInto(s.Memberships, id, rec.Value)
		case stampVisits:
			ok = decodeInto(s.Visits, id, rec.Value)
		case stampBookings:
			ok = decodeInto(s.Bookings, id, rec.Value)
		case stampLessons:
			ok = decodeInto(s.Lessons, id, rec.Value)
		case stampRoster:
			ok = decodeInto(s.Rosters, id, rec.Value)
		}
	}
	if ok {
		s.Stamps[rec.Key] = rec.At
	}
}

func decodeInto[V any](m map[string]V, id string, raw json.RawMessage) bool {
	var v V
	if json.Unmarshal(raw, &v) != nil {
		return false
	}
	m[id] = v
	return true
}

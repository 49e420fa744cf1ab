package journal

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/clubdesk/clubdesk/keys/redact"
)

// The start index (checkpoint.json) is what the journal held in memory —
// the unsettled operations and the day's — as the month files stood at
// the sizes it names. Start takes it when every file it names is still
// there, at least that long, with the same bytes at the start and before
// the end of what it covers, and reads only the lines after; anything else
// (a file replaced, shortened, removed, an older month changed, a month
// older than those it names) and start reads the files instead. The index
// holds nothing the files do not: lines already cleaned, redacted again as
// it is written.

// ckptName is the start index's file in the journal's folder.
const ckptName = "checkpoint.json"

// ckptVersion changes when the index's shape does; another version is
// not read.
const ckptVersion = 1

// ckptEvery is how many bytes of lines written or read make the index
// worth making again: what a start reads beyond it.
const ckptEvery = 256 << 10

// fingerprintSpan is how many bytes at the start of a file and before the
// end of what the index covers are compared.
const fingerprintSpan = 4 << 10

// indexesMade counts start indexes written (tests).
var indexesMade atomic.Int32

type ckptFile struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
	// Whole is set for a month read whole (else through its summary).
	Whole bool   `json:"whole,omitempty"`
	Print string `json:"print"`
}

type ckptOp struct {
	Intent Entry  `json:"intent"`
	Last   *Entry `json:"last,omitempty"` // when it is not the intent
}

type checkpoint struct {
	Version int        `json:"version"`
	From    time.Time  `json:"from"`
	Skipped int        `json:"skipped"`
	Files   []ckptFile `json:"files"`
	Ops     []ckptOp   `json:"ops"`
}

// fingerprint is a hash of the first bytes of path and of those before
// size.
func fingerprint(path string, size int64) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	head := make([]byte, min(size, fingerprintSpan))
	if _, err := f.ReadAt(head, 0); err != nil {
		return "", err
	}
	h.Write(head)
	tail := make([]byte, min(size, fingerprintSpan))
	if _, err := f.ReadAt(tail, size-int64(len(tail))); err != nil {
		return "", err
	}
	h.Write(tail)
	return fmt.Sprintf("%d:", size) + hex.EncodeToString(h.Sum(nil)), nil
}

// loadIndexed reads the start index and the lines after it; false when
// there is no valid index for these files (nothing is applied then, or
// what was is reset by the caller).
func (j *Journal) loadIndexed(months []string, from time.Time) (bool, error) {
	raw, err := os.ReadFile(filepath.Join(j.dir, ckptName))
	if err != nil {
		return false, nil
	}
	var c checkpoint
	if json.Unmarshal(raw, &c) != nil || c.Version != ckptVersion {
		return false, nil
	}
	named := map[string]ckptFile{}
	newest := ""
	for _, f := range c.Files {
		path := filepath.Join(j.dir, f.Name)
		if !slices.Contains(months, path) {
			return false, nil // removed
		}
		st, err := os.Stat(path)
		if err != nil || st.Size() < f.Size || (!f.Whole && st.Size() != f.Size) {
			return false, nil // shortened, or an older month changed: its summary is made again
		}
		if print, err := fingerprint(path, f.Size); err != nil || print != f.Print {
			return false, nil // another file
		}
		named[path] = f
		newest = max(newest, path)
	}
	for _, path := range months {
		if _, ok := named[path]; !ok && path < newest {
			return false, nil // a month older than those named: its lines would come out of order
		}
	}
	for _, o := range c.Ops {
		j.apply(o.Intent)
		if o.Last != nil {
			j.apply(*o.Last)
		}
	}
	j.skipped = c.Skipped
	// An index made in a day that starts later (a zone changed, a clock
	// put back) holds less of the day: the rest is read when asked for.
	j.from = c.From
	for _, path := range months {
		f, ok := named[path]
		switch {
		case ok && f.Whole:
			j.read[path] = f.Size
			if err := j.readWhole(path, true); err != nil {
				return false, err
			}
		case ok:
			j.covered[path] = f.Size
		case j.isRecent(path):
			if err := j.readWhole(path, true); err != nil {
				return false, err
			}
		default:
			if err := j.readSummary(path); err != nil {
				return false, err
			}
		}
	}
	if from.Before(j.from) {
		from = j.from
	}
	j.from = from
	return true, nil
}

// index writes the start index of what the journal holds now: first it
// reads what other consoles appended, so the index is the files' as they
// stand. Locked.
func (j *Journal) index() error {
	if err := j.refresh(); err != nil {
		return err
	}
	c := checkpoint{Version: ckptVersion, From: j.from, Skipped: j.skipped}
	for path, size := range j.read {
		c.Files = append(c.Files, ckptFile{Name: filepath.Base(path), Size: size, Whole: true})
	}
	for path, size := range j.covered {
		if _, ok := j.read[path]; !ok {
			c.Files = append(c.Files, ckptFile{Name: filepath.Base(path), Size: size})
		}
	}
	slices.SortFunc(c.Files, func(a, b ckptFile) int { return strings.Compare(a.Name, b.Name) })
	for i, f := range c.Files {
		print, err := fingerprint(filepath.Join(j.dir, f.Name), f.Size)
		if err != nil {
			return err
		}
		c.Files[i].Print = print
	}
	c.Ops = make([]ckptOp, 0, len(j.order))
	for _, id := range j.order {
		op := j.ops[id]
		o := ckptOp{Intent: op.Intent}
		if !reflect.DeepEqual(op.Last, op.Intent) {
			last := op.Last
			o.Last = &last
		}
		c.Ops = append(c.Ops, o)
	}
	raw, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := writeWhole(filepath.Join(j.dir, ckptName), redact.JSON(raw)); err != nil {
		return err
	}
	indexesMade.Add(1)
	j.unindexed = 0
	return nil
}

// Close writes the start index when lines were written or read since it
// was made, so the next start reads none of them again. The journal stays
// usable.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.unindexed == 0 {
		return nil
	}
	if err := j.index(); err != nil {
		return fmt.Errorf("journal start index: %w", err)
	}
	return nil
}

// historyCache is the last answer Since read from the files, with the
// sizes of the files it read.
type historyCache struct {
	t     time.Time
	sizes map[string]int64
	ops   []Operation
}

// historySince reads the operations recorded from t on from the files
// (t is before the day held in memory): every month file from t's month
// on, whole, without the lock. The answer is kept while the files keep
// their sizes (a report drawn on every frame reads them once).
func (j *Journal) historySince(t time.Time) ([]Operation, error) {
	months, err := j.months()
	if err != nil {
		return nil, err
	}
	first := t.UTC().Format("2006-01") + ".jsonl"
	sizes := map[string]int64{}
	var paths []string
	for _, p := range months {
		if filepath.Base(p) < first {
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("read the journal: %w", err)
		}
		sizes[p] = st.Size()
		paths = append(paths, p)
	}
	j.mu.Lock()
	h := j.history
	j.mu.Unlock()
	if h.t.Equal(t) && maps.Equal(h.sizes, sizes) {
		return slices.Clone(h.ops), nil
	}
	ops := map[string]*Operation{}
	var order []string
	for _, p := range paths {
		if err := readHistory(p, sizes[p], func(e Entry) {
			op, ok := ops[e.Op]
			if !ok {
				if !e.Phase.opens() || e.At.Before(t) {
					return // an earlier operation's line, or an earlier one
				}
				op = &Operation{Intent: e}
				ops[e.Op] = op
				order = append(order, e.Op)
			}
			op.Last = e
		}); err != nil {
			return nil, err
		}
	}
	out := make([]Operation, 0, len(order))
	for _, id := range order {
		out = append(out, *ops[id])
	}
	j.mu.Lock()
	j.history = historyCache{t: t, sizes: sizes, ops: out}
	j.mu.Unlock()
	return slices.Clone(out), nil
}

// readHistory reads a month's file up to size.
func readHistory(path string, size int64, apply func(Entry)) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the journal: %w", err)
	}
	defer f.Close()
	if _, err := readLines(io.LimitReader(f, size), apply); err != nil {
		return fmt.Errorf("read the journal %s: %w", filepath.Base(path), err)
	}
	return nil
}

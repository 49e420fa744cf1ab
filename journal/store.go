package journal

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/clubdesk/clubdesk/keys/redact"
	"github.com/clubdesk/clubdesk/text"
)

// Limits of what one entry holds.
const (
	// MaxText is the most of one text an entry keeps (a CRM's message, a
	// name, a reason): far above any refusal a person writes.
	MaxText = 2 << 10
	// MaxID is the most of one identifier an entry keeps.
	MaxID = 256
	// maxLine is the longest line the reader takes. Entries are capped
	// when written, so a longer line is not the desk's (or is broken): it
	// is skipped like any unreadable line, without being held in memory.
	maxLine = 1 << 20
	// preCap bounds the work of cleaning a huge text before it is capped.
	preCap = 64 << 10
)

// summaryVersion changes when a summary's shape does; another version is
// made again from its month's file.
const summaryVersion = 1

// summariesMade counts summaries made from a month's file (tests check
// that a valid one is not made again).
var summariesMade atomic.Int32

// load reads what start needs: through the start index when it still
// describes the files, else every month (loadAll); then it lets go of
// what the day does not need, and makes the index again when it read many
// lines without one.
func (j *Journal) load() error {
	months, err := j.months()
	if err != nil {
		return err
	}
	from := j.dayStart()
	indexed, err := j.loadIndexed(months, from)
	if err != nil {
		return err
	}
	if !indexed {
		j.reset()
		if err := j.loadAll(months); err != nil {
			return err
		}
		j.unindexed = ckptEvery // made now, for the next start
	}
	if j.from.Before(from) {
		j.from = from
	}
	j.prune()
	if j.unindexed >= ckptEvery/4 && j.index() != nil {
		j.unindexed = 0 // the next start reads the lines again; no retry on every line
	}
	return nil
}

// months lists the journal's month files, oldest first, made private.
func (j *Journal) months() ([]string, error) {
	entries, err := os.ReadDir(j.dir)
	if err != nil {
		return nil, fmt.Errorf("read the journal: %w", err)
	}
	var out []string
	for _, de := range entries {
		month, ok := strings.CutSuffix(de.Name(), ".jsonl")
		if !ok || de.IsDir() || !isMonth(month) {
			continue
		}
		path := filepath.Join(j.dir, de.Name())
		tighten(path, 0o600)
		out = append(out, path)
	}
	slices.Sort(out)
	return out, nil
}

// recentMonth is the oldest month read whole: last month.
func (j *Journal) recentMonth() string {
	now := j.now().UTC()
	thisMonth := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	return thisMonth.AddDate(0, -1, 0).Format("2006-01")
}

// isRecent reports whether a month's file is read whole.
func (j *Journal) isRecent(path string) bool {
	return strings.TrimSuffix(filepath.Base(path), ".jsonl") >= j.recentMonth()
}

// reset forgets what was read (an index found wrong halfway).
func (j *Journal) reset() {
	j.ops, j.order, j.skipped, j.needs = map[string]*Operation{}, nil, 0, 0
	j.read, j.covered = map[string]int64{}, map[string]int64{}
	j.from = time.Time{}
	j.counted()
}

// loadAll reads every month of the journal: the older months through
// their summaries, oldest first, then last month's and this month's files
// whole.
func (j *Journal) loadAll(months []string) error {
	for _, path := range months {
		if j.isRecent(path) {
			if err := j.readWhole(path, true); err != nil {
				return err
			}
			continue
		}
		if err := j.readSummary(path); err != nil {
			return err
		}
	}
	return nil
}

// readSummary applies an older month's summary.
func (j *Journal) readSummary(path string) error {
	lines, size, err := j.summary(path)
	if err != nil {
		return err
	}
	for _, e := range lines {
		j.applyKnown(e)
	}
	j.covered[path] = size
	return nil
}

// prune lets go of the operations settled before the day held in memory
// (they are read from the files when asked for). Locked (or not yet
// shared).
func (j *Journal) prune() {
	keep := j.order[:0]
	for _, id := range j.order {
		op := j.ops[id]
		if op.Intent.At.Before(j.from) && !op.Phase().NeedsCheck() && op.Phase() != Queued && !j.inflight[id] {
			delete(j.ops, id)
			continue
		}
		keep = append(keep, id)
	}
	clear(j.order[len(keep):])
	j.order = keep
}

// applyLine applies a line read from a file. Once the day is set, a
// settled line about an operation not in memory is about one settled
// before the day (or whose intent could not be read): it shows nothing.
func (j *Journal) applyLine(e Entry) {
	if _, ok := j.ops[e.Op]; !ok && !j.from.IsZero() && !e.Phase.opens() && !e.Phase.NeedsCheck() && e.Phase != Queued {
		return
	}
	j.apply(e)
}

// isMonth reports whether s is "YYYY-MM".
func isMonth(s string) bool {
	_, err := time.Parse("2006-01", s)
	return err == nil && len(s) == 7
}

// readWhole reads a month's file from where it was last read, applying
// every line. Lines that cannot be read are counted and passed over; a
// last line without its newline (torn, or being written by another
// console) is counted only when the file is first read, and read again
// later in case it is completed (first says the file is read on start).
// Locked (or not yet shared).
func (j *Journal) readWhole(path string, first bool) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the journal: %w", err)
	}
	defer f.Close()
	from, seen := j.read[path]
	if from > 0 {
		if _, err := f.Seek(from, io.SeekStart); err != nil {
			return fmt.Errorf("read the journal: %w", err)
		}
	}
	res, err := readLines(f, j.applyLine)
	if err != nil {
		return fmt.Errorf("read the journal %s: %w", filepath.Base(path), err)
	}
	j.skipped += res.skipped
	j.unindexed += res.complete
	end := from + res.complete
	if (first || !seen) && res.partial {
		j.skipped++ // a torn last line, as found on start
		end = from + res.size
	}
	j.read[path] = end
	return nil
}

// Refresh reads what other consoles of this profile on this machine
// appended since the journal was read (their kept marks, their outcomes),
// so a decision taken now — sending a kept mark — sees them. Lines this
// journal wrote itself are read again in their place, which changes
// nothing.
func (j *Journal) Refresh() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.refresh()
}

// refresh is Refresh. Locked.
func (j *Journal) refresh() error {
	paths := []string{j.file(j.now())}
	for p := range j.read {
		if !slices.Contains(paths, p) {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	for _, p := range paths {
		if err := j.readWhole(p, false); err != nil {
			return err
		}
	}
	return nil
}

// readResult is what readLines found.
type readResult struct {
	skipped  int   // unreadable complete lines
	complete int64 // bytes up to the end of the last complete line
	size     int64 // bytes read in all
	partial  bool  // something after the last newline
}

// readLines reads JSON lines of any length without holding more than
// maxLine of one: a longer line, a broken one or one without an op is
// skipped and counted, and reading goes on after it.
func readLines(r io.Reader, apply func(Entry)) (readResult, error) {
	var res readResult
	br := bufio.NewReaderSize(r, 64<<10)
	var buf []byte
	long := false
	for {
		chunk, err := br.ReadSlice('\n')
		res.size += int64(len(chunk))
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			if !long {
				buf = append(buf, chunk...)
				if len(buf) > maxLine {
					long, buf = true, buf[:0]
				}
			}
			continue
		case err == nil:
			line := chunk
			if len(buf) > 0 {
				line = append(buf, chunk...)
			}
			switch {
			case long:
				res.skipped++
			default:
				if !decodeLine(line, apply) {
					res.skipped++
				}
			}
			buf, long = buf[:0], false
			res.complete = res.size
			continue
		case errors.Is(err, io.EOF):
			rest := append(buf, chunk...)
			res.partial = long || len(bytes.TrimSpace(rest)) > 0
			return res, nil
		default:
			return res, err
		}
	}
}

// decodeLine applies one line; false when it cannot be read. An empty
// line is no line.
func decodeLine(line []byte, apply func(Entry)) bool {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return true
	}
	var e Entry
	if json.Unmarshal(line, &e) != nil || e.Op == "" {
		return false
	}
	apply(e)
	return true
}

// summaryFile is an older month's summary: what the month leaves
// unsettled, and the size and time of the file it was made from.
type summaryFile struct {
	Version int       `json:"version"`
	Size    int64     `json:"size"`
	ModTime time.Time `json:"mod_time"`
	Skipped int       `json:"skipped"`
	Lines   []Entry   `json:"lines"`
}

// summary returns what an older month's file leaves unsettled: its
// summary when that still describes the file, else one made from the
// file (and kept beside it, when it can be written).
func (j *Journal) summary(path string) ([]Entry, int64, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, 0, fmt.Errorf("read the journal: %w", err)
	}
	sumPath := path + ".open"
	if raw, err := os.ReadFile(sumPath); err == nil {
		var s summaryFile
		if json.Unmarshal(raw, &s) == nil && s.Version == summaryVersion && s.Size == st.Size() && s.ModTime.Equal(st.ModTime()) {
			return s.Lines, s.Size, nil
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("read the journal: %w", err)
	}
	defer f.Close()
	summariesMade.Add(1)
	type state struct {
		intent *Entry
		last   Entry
	}
	ops := map[string]*state{}
	var order []string
	res, err := readLines(f, func(e Entry) {
		s, ok := ops[e.Op]
		if !ok {
			s = &state{}
			if e.Phase == Intent {
				in := e
				s.intent = &in
			}
			ops[e.Op] = s
			order = append(order, e.Op)
		}
		s.last = e
	})
	if err != nil {
		return nil, 0, fmt.Errorf("read the journal %s: %w", filepath.Base(path), err)
	}
	var lines []Entry
	for _, id := range order {
		s := ops[id]
		switch {
		case s.intent == nil:
			// About an operation of an earlier month: it may settle it.
			lines = append(lines, s.last)
		case s.last.Phase.NeedsCheck() || s.last.Phase == Queued:
			lines = append(lines, *s.intent)
			if s.last.Phase != Intent {
				lines = append(lines, s.last)
			}
		}
	}
	sum := summaryFile{Version: summaryVersion, Size: st.Size(), ModTime: st.ModTime(), Skipped: res.skipped, Lines: lines}
	if res.partial {
		sum.Skipped++
	}
	if raw, err := json.Marshal(sum); err == nil {
		_ = writeWhole(sumPath, raw) // without it the next start reads the month again
	}
	return lines, st.Size(), nil
}

// appendLine writes one line and waits until it is on disk; it returns
// where in the file what it wrote starts and how long it is. A file whose
// last line was torn gets a newline first, so the new line stays readable.
// A file found wider than 0600 is tightened. A month's file just made is
// made durable in its folder too.
func appendLine(path string, line []byte) (at, n int64, err error) {
	_, statErr := os.Lstat(path)
	created := errors.Is(statErr, fs.ErrNotExist)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	if st.Mode().Perm()&^0o600 != 0 {
		if err := f.Chmod(0o600); err != nil {
			return 0, 0, fmt.Errorf("the journal file is readable by others and cannot be made private: %w", err)
		}
	}
	if st.Size() > 0 && !endsWithNewline(path, st.Size()) {
		line = append([]byte{'\n'}, line...)
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		return 0, 0, err
	}
	n = int64(len(line) + 1)
	// O_APPEND wrote at the end as it was then, whoever wrote before.
	end, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		end = -1 // unknown: the line is read again by Refresh
	}
	if err := f.Sync(); err != nil {
		return 0, 0, err
	}
	if created {
		if err := syncDir(filepath.Dir(path)); err != nil {
			return 0, 0, err
		}
	}
	return end - n, n, nil
}

func endsWithNewline(path string, size int64) bool {
	f, err := os.Open(path)
	if err != nil {
		return true
	}
	defer f.Close()
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, size-1); err != nil {
		return true
	}
	return b[0] == '\n'
}

// syncDir makes a file just created in dir survive a power cut: without
// it, the file's data is on disk and its name may not be. (A variable:
// tests count the calls.)
var syncDir = func(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) {
		return err // EINVAL: a file system that cannot sync a folder
	}
	return nil
}

// tighten takes away whatever mode bits path has beyond mode (a file an
// older version or a copy left 0644).
func tighten(path string, mode os.FileMode) {
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&^mode != 0 {
		_ = os.Chmod(path, st.Mode().Perm()&mode)
	}
}

// writeWhole replaces path with data: a temporary file beside it, synced,
// then renamed over it.
func writeWhole(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".summary-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
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

// sanitize cleans, redacts and caps every text of an entry, and caps its
// identifiers, before it is written.
func sanitize(e Entry) Entry {
	e.ClientName = cleanText(e.ClientName)
	e.Subject = cleanText(e.Subject)
	e.Reason = cleanText(e.Reason)
	e.Message = cleanText(e.Message)
	e.Error = cleanText(e.Error)
	e.Why.EN, e.Why.RU = cleanText(e.Why.EN), cleanText(e.Why.RU)
	e.Profile, e.Provider = cleanID(e.Profile), cleanID(e.Provider)
	e.Desk, e.Operator = cleanText(e.Desk), cleanText(e.Operator)
	e.ClientID, e.SubjectID, e.LessonID, e.BookingID = capID(e.ClientID), capID(e.SubjectID), capID(e.LessonID), capID(e.BookingID)
	e.Ref, e.Currency = capID(e.Ref), capID(e.Currency)
	if e.Parts != nil {
		parts := make([]Part, len(e.Parts))
		for i, p := range e.Parts {
			p.Method, p.Currency, p.Outcome = capID(p.Method), capID(p.Currency), capID(p.Outcome)
			p.Detail = cleanText(p.Detail)
			parts[i] = p
		}
		e.Parts = parts
	}
	return e
}

// cleanText is one text of an entry: cleaned (a hidden character would
// also hide a secret from redaction), redacted, then capped (so no part of
// a secret is left at the cut).
func cleanText(s string) string {
	if s == "" {
		return s
	}
	if len(s) > preCap {
		s = text.Cap(s, preCap)
	}
	return text.Cap(redact.String(text.Clean(redact.String(s))), MaxText)
}

// cleanID is a name from the config: redacted and capped.
func cleanID(s string) string { return capID(redact.String(s)) }

// capID keeps an identifier as it is (it is looked up later), but for its
// length.
func capID(s string) string { return text.Cap(s, MaxID) }

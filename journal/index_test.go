package journal

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/keys/redact"
)

// monthOf writes n settled sales a day for the 30 days before end (the
// busy month), and returns their ids.
func monthOf(t *testing.T, dir string, end time.Time, perDay int) []string {
	t.Helper()
	var ids []string
	for d := 30; d >= 1; d-- {
		day := end.AddDate(0, 0, -d)
		j := at(t, dir, day)
		for range perDay {
			op, err := j.Begin(Entry{Kind: Sell, ClientID: "1", Amount: 100, Currency: "RUB"})
			if err != nil {
				t.Fatal(err)
			}
			j.Finish(op, Done, Answer{}, "m-1", nil)
			ids = append(ids, op)
		}
	}
	return ids
}

// Start holds the unsettled operations and the day's (and yesterday's),
// not the month's history: what a frame or F7 walks does not grow with
// the journal.
func TestStartHoldsTheUnsettledAndTheDayNotTheMonth(t *testing.T) {
	dir := t.TempDir()
	today := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	old := monthOf(t, dir, today, 10)
	lost := at(t, dir, today.AddDate(0, 0, -20))
	unknown, _ := lost.Begin(Entry{Kind: Pay, ClientID: "2", Amount: 500, Currency: "RUB"})
	lost.Finish(unknown, Unknown, Answer{Message: "no answer"}, "", nil)
	kept, _ := lost.Begin(Entry{Kind: Attend, BookingID: "b-1", Subject: "attended"})
	lost.Finish(kept, Queued, Answer{}, "", nil)

	j := at(t, dir, today)
	mine, _ := j.Begin(Entry{Kind: Sell, ClientID: "3"})
	j.Finish(mine, Done, Answer{}, "", nil)
	j = at(t, dir, today.Add(time.Hour))
	if n := len(j.order); n != 3+10 {
		t.Fatalf("start holds %d operations, want 13 (the unknown, the kept mark, yesterday's ten sales, today's)", n)
	}
	if j.PendingCount() != 1 || len(j.Queue()) != 1 || len(j.Pending()) != 1 {
		t.Fatalf("pending %d, queue %d", j.PendingCount(), len(j.Queue()))
	}
	start := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	if ops := j.Since(start); len(ops) != 1 || ops[0].Intent.Op != mine {
		t.Fatalf("today: %+v", ops)
	}
	// Older history is read from the files when it is asked for.
	week := j.Since(start.AddDate(0, 0, -7))
	if len(week) != 7*10+1 || week[0].Phase() != Done || week[len(week)-1].Intent.Op != mine {
		t.Fatalf("the week: %d operations", len(week))
	}
	if all := j.Since(time.Time{}); len(all) != len(old)+3 {
		t.Fatalf("the whole journal: %d operations, want %d", len(all), len(old)+3)
	}
	if _, ok := j.Get(old[0]); ok {
		t.Error("a settled operation of last month is held in memory")
	}
	// Settled, the unknown one is let go at the next start.
	if err := j.Resolve(unknown, Confirmed, "платёж № 7"); err != nil {
		t.Fatal(err)
	}
	if j = at(t, dir, today.Add(2*time.Hour)); j.PendingCount() != 0 || len(j.order) != 2+10 {
		t.Fatalf("after the verdict: pending %d, %d held", j.PendingCount(), len(j.order))
	}
}

// A start after the first reads the start index and only the lines
// written after it; lines written after it (a crash before the next
// index) are read, nothing lost.
func TestStartReadsTheIndexAndTheLinesAfterIt(t *testing.T) {
	dir := t.TempDir()
	today := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	monthOf(t, dir, today, 20)
	os.Remove(filepath.Join(dir, "journal", "main", ckptName)) // as an older version left it
	j := at(t, dir, today)
	if j.unindexed != 0 {
		t.Fatalf("the first start left %d bytes out of its index", j.unindexed)
	}
	if _, err := os.Stat(filepath.Join(j.Dir(), ckptName)); err != nil {
		t.Fatal("no start index after the first start:", err)
	}
	made := summariesMade.Load()
	j = at(t, dir, today)
	if j.unindexed != 0 || summariesMade.Load() != made {
		t.Fatalf("a second start read %d bytes beyond its index", j.unindexed)
	}
	// Written, then killed: no Close, no index since.
	var ops []string
	for range 3 {
		op, _ := j.Begin(Entry{Kind: Pay, ClientID: "4"})
		ops = append(ops, op)
	}
	j.Finish(ops[0], Done, Answer{}, "", nil)
	size := j.unindexed
	j = at(t, dir, today.Add(time.Minute))
	if j.unindexed != size {
		t.Fatalf("read %d bytes after the index, want the %d written after it", j.unindexed, size)
	}
	if j.PendingCount() != 2 || len(j.Since(today.Truncate(24*time.Hour))) != 3 {
		t.Fatalf("after a crash: pending %d", j.PendingCount())
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if j = at(t, dir, today.Add(time.Minute)); j.unindexed != 0 || j.PendingCount() != 2 {
		t.Fatalf("after Close: %d bytes beyond the index, pending %d", j.unindexed, j.PendingCount())
	}
}

// An index that no longer describes the files (a file replaced by a
// backup, shortened, removed) is not trusted: start reads the files.
func TestAnIndexThatDoesNotDescribeTheFilesIsNotTrusted(t *testing.T) {
	dir := t.TempDir()
	today := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	j := at(t, dir, today)
	a, _ := j.Begin(Entry{Kind: Pay, ClientID: "1"})
	b, _ := j.Begin(Entry{Kind: Pay, ClientID: "2"})
	j.Close()
	path := monthFile(t, j)
	raw, _ := os.ReadFile(path)
	// The same bytes but one outcome more, in the middle: another file
	// of the same length and more.
	lines := strings.SplitAfter(string(raw), "\n")
	settled := `{"op":"` + a + `","phase":"done","at":"2026-12-03T12:00:00.5Z"}` + "\n"
	os.WriteFile(path, []byte(lines[0]+settled+lines[1]), 0o600)
	if j = at(t, dir, today); j.PendingCount() != 1 || len(j.Pending()) != 1 || j.Pending()[0].Intent.Op != b {
		t.Fatalf("a replaced file: pending %d", j.PendingCount())
	}
	// Shortened.
	os.WriteFile(path, []byte(lines[0]), 0o600)
	if j = at(t, dir, today); j.PendingCount() != 1 || j.Pending()[0].Intent.Op != a {
		t.Fatalf("a shortened file: pending %d", j.PendingCount())
	}
	// Removed.
	os.Remove(path)
	if j = at(t, dir, today); j.PendingCount() != 0 {
		t.Fatalf("a removed file: pending %d", j.PendingCount())
	}
}

// Two consoles of a profile: the index one makes holds what the other
// wrote before it, read first.
func TestAnIndexHoldsAnotherConsolesLines(t *testing.T) {
	dir := t.TempDir()
	today := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	a, b := at(t, dir, today), at(t, dir, today)
	theirs, _ := b.Begin(Entry{Kind: Attend, BookingID: "b-1", Subject: "attended"})
	b.Finish(theirs, Queued, Answer{}, "", nil)
	mine, _ := a.Begin(Entry{Kind: Pay, ClientID: "1"})
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	c := at(t, dir, today)
	if c.unindexed != 0 {
		t.Fatalf("%d bytes beyond a's index", c.unindexed)
	}
	if q := c.Queue(); len(q) != 1 || q[0].Intent.Op != theirs || c.PendingCount() != 1 || c.Pending()[0].Intent.Op != mine {
		t.Fatalf("queue %+v, pending %d", q, c.PendingCount())
	}
}

// The index is cleaned like every line: a secret the process learned
// after an older version wrote it into a line is not copied.
func TestTheIndexHoldsNoSecret(t *testing.T) {
	redact.Forget()
	t.Cleanup(redact.Forget)
	const key = "lf-index-key-5c2e90"
	dir := t.TempDir()
	today := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	j := at(t, dir, today)
	op, _ := j.Begin(Entry{Kind: Pay, ClientID: "1"})
	f, _ := os.OpenFile(monthFile(t, j), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"op":"` + op + `","phase":"unknown","at":"2026-12-03T12:00:01Z","message":"echo ` + key + `"}` + "\n")
	f.Close()
	redact.Remember(key)
	j = at(t, dir, today)
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(j.Dir(), ckptName))
	if err != nil || strings.Contains(string(raw), key) || !strings.Contains(string(raw), "echo") {
		t.Fatalf("the index: %v\n%s", err, raw)
	}
	if st, _ := os.Stat(filepath.Join(j.Dir(), ckptName)); st.Mode().Perm() != 0o600 {
		t.Fatalf("the index is %v", st.Mode())
	}
}

// The frame's count never waits on the journal's lock (a write being
// synced, a history read).
func TestPendingCountDoesNotWaitForTheLock(t *testing.T) {
	j := open(t, t.TempDir())
	j.Begin(Entry{Kind: Pay})
	other := open(t, j.dir[:len(j.dir)-len("/journal/main")])
	j.mu.Lock()
	defer j.mu.Unlock()
	var wg sync.WaitGroup
	wg.Add(1)
	got := -1
	go func() { defer wg.Done(); got = j.PendingCount() + j.InFlight() + other.PendingCount() }()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("PendingCount waits for the lock")
	}
	if got != 0+1+1 {
		t.Fatalf("counts %d", got)
	}
}

// Several sessions of one desk service share a journal: writes, counts,
// the day's trail, refreshes and start indexes at once lose nothing.
func TestAJournalSharedByManyGoroutines(t *testing.T) {
	dir := t.TempDir()
	today := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	j := at(t, dir, today)
	const sessions, each = 4, 150
	long := strings.Repeat("ответ CRM ", 120) // ~2 KB a line: indexes are made on the way
	var wg sync.WaitGroup
	ids := make([][]string, sessions)
	for s := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				op, err := j.Begin(Entry{Kind: Pay, ClientID: "1", Amount: int64(i)})
				if err != nil {
					t.Error(err)
					return
				}
				ids[s] = append(ids[s], op)
				phase := Done
				if i%10 == 0 {
					phase = Unknown
				}
				j.Finish(op, phase, Answer{Message: long}, "", nil)
				_ = j.PendingCount()
				if i%25 == 0 {
					_ = j.Since(today.Truncate(24 * time.Hour))
					_ = j.Refresh()
					_ = j.Close()
				}
			}
		}()
	}
	wg.Wait()
	want := sessions * each / 10
	if j.PendingCount() != want || j.InFlight() != 0 {
		t.Fatalf("pending %d, want %d; in flight %d", j.PendingCount(), want, j.InFlight())
	}
	if indexesMade.Load() == 0 {
		t.Fatal("no start index was made on the way")
	}
	again := at(t, dir, today)
	if again.PendingCount() != want || len(again.Since(today.Truncate(24*time.Hour))) != sessions*each {
		t.Fatalf("reopened: pending %d, %d today", again.PendingCount(), len(again.Since(today.Truncate(24*time.Hour))))
	}
	for _, s := range ids {
		for _, op := range s {
			if _, ok := again.Get(op); !ok {
				t.Fatalf("lost %s", op)
			}
		}
	}
}

// An index that cannot be written costs the next start time, never a
// write: the lines are on disk, and start reads them.
func TestAnIndexThatCannotBeWrittenStopsNothing(t *testing.T) {
	dir := t.TempDir()
	today := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	j := at(t, dir, today)
	os.Mkdir(filepath.Join(j.Dir(), ckptName), 0o700) // in its way
	long := strings.Repeat("ответ CRM ", 200)
	var ops []string
	for range 200 { // about 800 KB: three indexes due
		op, err := j.Begin(Entry{Kind: Pay, ClientID: "1", Reason: long})
		if err != nil {
			t.Fatal("a write failed for its index:", err)
		}
		ops = append(ops, op)
	}
	if j = at(t, dir, today); j.PendingCount() != len(ops) {
		t.Fatalf("pending %d, want %d", j.PendingCount(), len(ops))
	}
}

// A console left open for days holds what a start would: the settled
// operations of the days before yesterday are let go as it writes.
func TestAConsoleOpenForDaysLetsOldDaysGo(t *testing.T) {
	dir := t.TempDir()
	clock := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	j := must(Open(dir, who, WithClock(func() time.Time { return clock }), WithLocation(time.UTC)))
	first, _ := j.Begin(Entry{Kind: Sell})
	j.Finish(first, Done, Answer{}, "", nil)
	lost, _ := j.Begin(Entry{Kind: Pay})
	j.Finish(lost, Unknown, Answer{}, "", nil)
	clock = clock.AddDate(0, 0, 2)
	later, _ := j.Begin(Entry{Kind: Sell})
	if _, ok := j.Get(first); ok {
		t.Fatal("a settled sale of two days ago is still held")
	}
	if _, ok := j.Get(lost); !ok || j.PendingCount() != 1 || len(j.order) != 2 {
		t.Fatalf("held %d, pending %d", len(j.order), j.PendingCount())
	}
	if all := j.Since(time.Time{}); len(all) != 3 || all[2].Intent.Op != later {
		t.Fatalf("the files still hold all three: %d", len(all))
	}
}

// must is the journal or the test's end.
func must(j *Journal, err error) *Journal {
	if err != nil {
		panic(err)
	}
	return j
}

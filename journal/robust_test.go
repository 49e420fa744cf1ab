package journal

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/keys/redact"
	"github.com/clubdesk/clubdesk/text"
)

// at is a journal whose clock stands at t.
func at(t *testing.T, dir string, when time.Time) *Journal {
	t.Helper()
	j, err := Open(dir, who, WithClock(func() time.Time { return when }))
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func monthFile(t *testing.T, j *Journal) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(j.Dir(), "*.jsonl"))
	if len(files) != 1 {
		t.Fatalf("journal files: %v", files)
	}
	return files[0]
}

// One line over 1 MB (an older version's uncapped 2 MB surname, a broken
// write) must not keep the console from starting: it is skipped and
// counted, and the lines after it are read.
func TestALineOfAnyLengthIsSkippedAndTheRestRead(t *testing.T) {
	dir := t.TempDir()
	j := open(t, dir)
	sold, _ := j.Begin(Entry{Kind: Sell, ClientID: "1", Amount: 500000, Currency: "RUB"})
	paid, _ := j.Begin(Entry{Kind: Pay, ClientID: "2", Amount: 250000, Currency: "RUB"})
	path := monthFile(t, j)
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	// A valid entry 2 MB long, then 3 MB of garbage, then an empty line.
	f.WriteString(`{"op":"` + sold + `","phase":"refused","message":"` + strings.Repeat("Щ", 1<<20) + `"}` + "\n")
	f.WriteString(strings.Repeat("x", 3<<20) + "\n\n")
	f.Close()
	if err := j.Finish(paid, Done, Answer{}, "r-1", nil); err != nil {
		t.Fatal(err)
	}

	j, err := Open(dir, who)
	if err != nil {
		t.Fatalf("a long line stops the journal: %v", err)
	}
	if j.Skipped() != 2 {
		t.Errorf("skipped %d lines, want 2", j.Skipped())
	}
	if op, _ := j.Get(paid); op.Phase() != Done || op.Last.Ref != "r-1" {
		t.Errorf("the line after the long ones was lost: %+v", op.Last)
	}
	if op, _ := j.Get(sold); op.Phase() != Intent || j.PendingCount() != 1 {
		t.Errorf("the sale: %s, pending %d", op.Phase(), j.PendingCount())
	}
}

// What the CRM sends is capped when it is written: a 2 MB surname and a
// 1.3 MB stack trace as a refusal make lines a desk can read back, with
// the cut marked.
func TestEveryTextIsCappedWhenWritten(t *testing.T) {
	dir := t.TempDir()
	j := open(t, dir)
	surname := strings.Repeat("Щ", 1<<20) // 2 MB
	trace := strings.Repeat("at com.crm.Handler(Handler.java:42)\n", 1<<20/28)
	op, err := j.Begin(Entry{Kind: Book, ClientName: surname, Subject: surname, ClientID: strings.Repeat("9", 1<<20)})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Finish(op, Refused, Answer{Message: trace, Error: trace, Why: Answer{}.Why}, "", []Part{{Method: "cash", Detail: trace}}); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(monthFile(t, j))
	defer f.Close()
	sc := bufio.NewScanner(f) // the default 64 KB token: every line fits
	n := 0
	for sc.Scan() {
		if len(sc.Bytes()) > 16<<10 {
			t.Errorf("a line of %d bytes", len(sc.Bytes()))
		}
		n++
	}
	if sc.Err() != nil || n != 2 {
		t.Fatalf("%d lines, %v", n, sc.Err())
	}
	got, _ := open(t, dir).Get(op)
	if len(got.Intent.ClientName) > MaxText || !strings.Contains(got.Intent.ClientName, text.CutMark) ||
		!strings.HasPrefix(got.Intent.ClientName, "ЩЩЩ") || len(got.Last.Message) > MaxText || len(got.Last.Parts[0].Detail) > MaxText {
		t.Fatalf("name %d bytes, message %d", len(got.Intent.ClientName), len(got.Last.Message))
	}
	if strings.Contains(got.Last.Message, "\n") {
		t.Fatal("a CRM's text keeps its line breaks in the journal")
	}
}

// A key echoed by the CRM in a refusal never reaches the journal's file.
func TestAnEchoedKeyIsNotJournalled(t *testing.T) {
	redact.Forget()
	t.Cleanup(redact.Forget)
	const key = "lf-journal-key-41d7"
	redact.Remember(key)
	dir := t.TempDir()
	j := open(t, dir)
	op, _ := j.Begin(Entry{Kind: Pay, ClientID: "1", Reason: "ключ " + key})
	j.Finish(op, Refused, Answer{Message: "Неверный API-ключ " + key, Error: "Api-Key: other-secret-1", Why: Answer{}.Why}, "", []Part{{Method: "cash", Detail: key}})
	raw, _ := os.ReadFile(monthFile(t, j))
	if strings.Contains(string(raw), key) || strings.Contains(string(raw), "other-secret-1") {
		t.Fatalf("the journal holds the key:\n%s", raw)
	}
	if !strings.Contains(string(raw), "Неверный API-ключ") {
		t.Fatalf("the refusal lost its words:\n%s", raw)
	}
}

// An unknown outcome two months old still needs checking, and a mark
// kept then is still waiting; an old month is read through its summary,
// which is made once.
func TestAnOldUnknownOutcomeStillNeedsChecking(t *testing.T) {
	dir := t.TempDir()
	sep := time.Date(2026, 9, 15, 10, 0, 0, 0, time.UTC)
	j := at(t, dir, sep)
	lost, _ := j.Begin(Entry{Kind: Pay, ClientID: "10004", Amount: 250000, Currency: "RUB"})
	j.Finish(lost, Unknown, Answer{Message: "no answer"}, "", nil)
	kept, _ := j.Begin(Entry{Kind: Attend, BookingID: "b-1", Subject: "attended"})
	j.Finish(kept, Queued, Answer{}, "", nil)
	done, _ := j.Begin(Entry{Kind: Sell, ClientID: "1"})
	j.Finish(done, Done, Answer{}, "", nil)
	settledLater, _ := j.Begin(Entry{Kind: Book, ClientID: "2"})
	// October: the booking is checked and settled (its line is October's).
	at(t, dir, time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC)).Resolve(settledLater, Dismissed, "записи нет")

	made := summariesMade.Load()
	dec := time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC)
	j = at(t, dir, dec)
	p := j.Pending()
	if len(p) != 1 || p[0].Intent.Op != lost || p[0].Last.Message != "no answer" || j.PendingCount() != 1 {
		t.Fatalf("pending in December: %+v (count %d)", p, j.PendingCount())
	}
	if q := j.Queue(); len(q) != 1 || q[0].Intent.Op != kept {
		t.Fatalf("the kept mark from September: %+v", q)
	}
	if _, ok := j.Get(done); ok {
		t.Error("a settled old operation was loaded")
	}
	if n := summariesMade.Load() - made; n != 2 {
		t.Fatalf("%d summaries made, want 2 (September, October)", n)
	}
	if _, err := os.Stat(filepath.Join(j.Dir(), "2026-09.jsonl.open")); err != nil {
		t.Fatal(err)
	}
	// Started again: the summaries are read, not made again.
	j = at(t, dir, dec)
	if n := summariesMade.Load() - made; n != 2 || j.PendingCount() != 1 {
		t.Fatalf("second start made %d summaries in all, pending %d", n, j.PendingCount())
	}
	// Settled in December: gone, and September's summary still holds.
	if err := j.Resolve(lost, Confirmed, "платёж №61"); err != nil {
		t.Fatal(err)
	}
	if j = at(t, dir, dec); j.PendingCount() != 0 || len(j.Pending()) != 0 {
		t.Fatalf("after the verdict: pending %d", j.PendingCount())
	}
	// A month's file that changed (a console with its clock wrong wrote
	// there) is summarised again.
	at(t, dir, sep.Add(time.Hour)).Begin(Entry{Kind: Book, ClientID: "3"})
	if j = at(t, dir, dec); j.PendingCount() != 1 || summariesMade.Load()-made != 3 {
		t.Fatalf("a changed old month: pending %d, summaries %d", j.PendingCount(), summariesMade.Load()-made)
	}
}

// The month before this one is read whole even on the 31st (March 31 less
// a month is not March 3).
func TestLastMonthIsReadOnTheThirtyFirst(t *testing.T) {
	dir := t.TempDir()
	j := at(t, dir, time.Date(2027, 2, 20, 10, 0, 0, 0, time.UTC))
	op, _ := j.Begin(Entry{Kind: Sell})
	made := summariesMade.Load()
	j = at(t, dir, time.Date(2027, 3, 31, 10, 0, 0, 0, time.UTC))
	if _, ok := j.Get(op); !ok || summariesMade.Load() != made {
		t.Fatal("February is not read whole on March 31")
	}
}

// A write being sent by this process is in flight, not "needs checking";
// the same intent seen by another console (or after a crash) is.
func TestAWriteInFlightIsNotPending(t *testing.T) {
	dir := t.TempDir()
	j := open(t, dir)
	op, _ := j.Begin(Entry{Kind: Pay, ClientID: "1"})
	if j.PendingCount() != 0 || len(j.Pending()) != 0 || j.InFlight() != 1 {
		t.Fatalf("in flight: pending %d, in flight %d", j.PendingCount(), j.InFlight())
	}
	if other := open(t, dir); other.PendingCount() != 1 || other.InFlight() != 0 {
		t.Fatalf("another console: pending %d, in flight %d", other.PendingCount(), other.InFlight())
	}
	j.Finish(op, Unknown, Answer{}, "", nil)
	if j.PendingCount() != 1 || j.InFlight() != 0 {
		t.Fatalf("unknown: pending %d, in flight %d", j.PendingCount(), j.InFlight())
	}
	// An outcome that cannot be written leaves the write needing a check.
	op2, _ := j.Begin(Entry{Kind: Pay, ClientID: "2"})
	path := monthFile(t, j)
	os.Rename(path, path+".away")
	os.Mkdir(path, 0o700)
	if err := j.Finish(op2, Done, Answer{}, "", nil); err == nil {
		t.Fatal("an outcome was written into a folder")
	}
	if j.PendingCount() != 2 || j.InFlight() != 0 {
		t.Fatalf("an outcome not written: pending %d, in flight %d", j.PendingCount(), j.InFlight())
	}
}

// A journal file found readable by others is made private; a month's new
// file is made durable in its folder.
func TestFilesAreTightenedAndANewMonthIsDurable(t *testing.T) {
	dir := t.TempDir()
	var synced []string
	was := syncDir
	syncDir = func(d string) error { synced = append(synced, d); return was(d) }
	t.Cleanup(func() { syncDir = was })
	j := open(t, dir)
	j.Begin(Entry{Kind: Sell})
	j.Begin(Entry{Kind: Sell})
	if len(synced) != 1 || synced[0] != j.Dir() {
		t.Fatalf("folder synced %v, want once, for the new file", synced)
	}
	path := monthFile(t, j)
	os.Chmod(path, 0o644)
	os.Chmod(j.Dir(), 0o755)
	j = open(t, dir)
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("on open: %v", st.Mode())
	}
	if st, _ := os.Stat(j.Dir()); st.Mode().Perm() != 0o700 {
		t.Fatalf("the folder: %v", st.Mode())
	}
	os.Chmod(path, 0o644)
	j.Begin(Entry{Kind: Sell})
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("on append: %v", st.Mode())
	}
}

// Refresh reads what another console of the profile appended.
func TestRefreshReadsAnotherConsolesLines(t *testing.T) {
	dir := t.TempDir()
	a, b := open(t, dir), open(t, dir)
	op, _ := b.Begin(Entry{Kind: Attend, BookingID: "b-1", Subject: "attended"})
	b.Finish(op, Queued, Answer{}, "", nil)
	if len(a.Queue()) != 0 {
		t.Fatal("a saw b's line without reading")
	}
	if err := a.Refresh(); err != nil {
		t.Fatal(err)
	}
	if q := a.Queue(); len(q) != 1 || q[0].Intent.Op != op {
		t.Fatalf("after Refresh: %+v", q)
	}
	mine, _ := a.Begin(Entry{Kind: Sell})
	a.Finish(mine, Done, Answer{}, "", nil)
	b.Finish(op, Done, Answer{}, "", nil)
	if err := a.Refresh(); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.Get(op); got.Phase() != Done || len(a.Queue()) != 0 || len(a.Since(time.Time{})) != 2 {
		t.Fatalf("after b sent it: %s, queue %d, ops %d", got.Phase(), len(a.Queue()), len(a.Since(time.Time{})))
	}
	if got, _ := a.Get(mine); got.Phase() != Done || a.PendingCount() != 0 {
		t.Fatalf("a's own line read again: %s, pending %d", got.Phase(), a.PendingCount())
	}
}

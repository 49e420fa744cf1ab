package scanner

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/models"
)

func keyText(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Text: string(r)} }

var enter = tea.KeyPressMsg{Code: tea.KeyEnter}

// feed types s with the given gap between keys, then the end key, and
// collects what the scanner released, scanned and refused. Flush ticks are
// simulated whenever the next key comes later than the tick would.
func feed(s *Scanner, start time.Time, text string, gap time.Duration, end tea.KeyPressMsg) (released string, scans []string, at time.Time) {
	r := run{s: s, at: start}
	r.typeText(text, gap, gap)
	if end.Code != 0 {
		r.key(end, gap)
	}
	r.settle()
	return r.released, r.scans, r.at
}

// run drives a scanner key by key with the flush ticks it asks for.
type run struct {
	s          *Scanner
	at         time.Time
	released   string
	enters     int // Enters released as keys
	scans      []string
	refused    []string
	pendingSeq int
	pendingAt  time.Time
}

func (r *run) handle(st Step) {
	for _, k := range st.Release {
		if k.Code == tea.KeyEnter {
			r.enters++
		}
		r.released += k.Text
	}
	if st.Scan != "" && !st.Repeat {
		r.scans = append(r.scans, st.Scan)
	}
	if st.Refused != "" {
		r.refused = append(r.refused, st.Refused)
	}
	if st.FlushIn > 0 {
		r.pendingSeq, r.pendingAt = st.Seq, r.at.Add(st.FlushIn)
	}
}

// flushUntil fires the ticks due before t.
func (r *run) flushUntil(t time.Time) {
	for r.pendingSeq != 0 && !r.pendingAt.After(t) {
		seq, at := r.pendingSeq, r.pendingAt
		r.pendingSeq = 0
		saved := r.at
		r.at = at
		r.handle(r.s.Flush(seq, at))
		r.at = saved
	}
}

// key presses k after a pause.
func (r *run) key(k tea.KeyPressMsg, pause time.Duration) {
	t := r.at.Add(pause)
	r.flushUntil(t)
	r.at = t
	r.handle(r.s.Key(k, t))
}

// typeText types text, the first key after first, the others gap apart.
func (r *run) typeText(text string, first, gap time.Duration) {
	for i, c := range text {
		pause := gap
		if i == 0 {
			pause = first
		}
		r.key(keyText(c), pause)
	}
}

// settle lets every pending tick fire.
func (r *run) settle() { r.flushUntil(r.at.Add(time.Hour)) }

func testScanner() *Scanner {
	return New(Config{MaxGap: 35 * time.Millisecond, MinLength: 6})
}

func TestScannerRecognisesReaderBursts(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for _, gap := range []time.Duration{0, 7 * time.Millisecond, 20 * time.Millisecond, 34 * time.Millisecond} {
		s := testScanner()
		released, scans, _ := feed(s, t0, "0040856634", gap, enter)
		if released != "" || len(scans) != 1 || scans[0] != "0040856634" {
			t.Errorf("gap %v: released %q, scans %q; want the scan and nothing typed", gap, released, scans)
		}
	}
}

func TestScannerLetsPeopleType(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for _, gap := range []time.Duration{60 * time.Millisecond, 120 * time.Millisecond, 300 * time.Millisecond} {
		s := testScanner()
		released, scans, _ := feed(s, t0, "0040856634", gap, enter)
		if len(scans) != 0 {
			t.Errorf("gap %v: typing taken for a scan %q", gap, scans)
		}
		if !strings.HasPrefix(released, "0040856634") {
			t.Errorf("gap %v: released %q, want every typed key in order", gap, released)
		}
	}
}

// TestScannerShortBurstIsTyping: a burst of digits below min_length ended
// by Enter, with no piece of a card before it, is a person's keys bunched
// by a link: typing and their Enter.
func TestScannerShortBurstIsTyping(t *testing.T) {
	r := run{s: testScanner(), at: time.Now()}
	r.typeText("12345", 0, 5*time.Millisecond)
	r.key(enter, 5*time.Millisecond)
	r.settle()
	if len(r.scans) != 0 || r.released != "12345" || r.enters != 1 || len(r.refused) != 0 {
		t.Errorf("released %q (%d Enter) scans %q refused %q; want the digits and the Enter typed", r.released, r.enters, r.scans, r.refused)
	}
}

// TestScannerRejoinsASplitScan: a network split the reader's burst in two
// with an 80 ms gap; the halves are one card, and nothing is typed.
func TestScannerRejoinsASplitScan(t *testing.T) {
	for _, pause := range []time.Duration{60 * time.Millisecond, 80 * time.Millisecond, 250 * time.Millisecond} {
		r := run{s: testScanner(), at: time.Now()}
		r.typeText("00408", 0, time.Millisecond)
		r.typeText("56634", pause, time.Millisecond)
		r.key(enter, time.Millisecond)
		r.settle()
		if len(r.scans) != 1 || r.scans[0] != "0040856634" || r.released != "" || r.enters != 0 {
			t.Errorf("pause %v: scans %q released %q (%d Enter); want one scan", pause, r.scans, r.released, r.enters)
		}
	}
}

// TestScannerRefusesTheTailOfAScanSplitTooLong: halves too far apart to be
// one burst — the head was typed by the time the tail came — are not
// joined, and the tail's Enter is refused rather than delivered.
func TestScannerRefusesTheTailOfAScanSplitTooLong(t *testing.T) {
	r := run{s: testScanner(), at: time.Now()}
	r.typeText("00408", 0, time.Millisecond)
	r.typeText("56634", 600*time.Millisecond, time.Millisecond)
	r.key(enter, time.Millisecond)
	r.settle()
	if len(r.scans) != 0 || r.enters != 0 || len(r.refused) != 1 || r.refused[0] != "56634" {
		t.Errorf("scans %q refused %q released %q (%d Enter)", r.scans, r.refused, r.released, r.enters)
	}
}

// TestScannerHoldsAPieceOnlyAsLongAsAJoin: a fast burst of digits with
// nothing after it is typing after JoinGap, not lost.
func TestScannerHoldsAPieceOnlyAsLongAsAJoin(t *testing.T) {
	r := run{s: testScanner(), at: time.Now()}
	r.typeText("79", 0, time.Millisecond)
	r.flushUntil(r.at.Add(100 * time.Millisecond))
	if r.released != "" {
		t.Fatalf("released %q within the join window", r.released)
	}
	r.settle()
	if r.released != "79" {
		t.Errorf("released %q after the join window; want 79", r.released)
	}
}

// TestScannerTakesOnlyTheClubsCardShape: with dec-to-hex the reader types
// decimal numbers; a hex burst is not a card of this club.
func TestScannerTakesOnlyTheClubsCardShape(t *testing.T) {
	s := New(Config{MaxGap: 35 * time.Millisecond, MinLength: 6, Format: models.TagDecToHex})
	_, scans, _ := feed(s, time.Now(), "01026F6C3A", 5*time.Millisecond, enter)
	if len(scans) != 0 {
		t.Errorf("a hex burst was taken for a decimal card: %q", scans)
	}
	_, scans, _ = feed(s, time.Now().Add(time.Minute), "0040856634", 5*time.Millisecond, enter)
	if len(scans) != 1 {
		t.Errorf("a decimal card was not taken: %q", scans)
	}
}

func TestScannerLFEndsAScan(t *testing.T) {
	s := testScanner()
	lf := tea.KeyPressMsg{Code: 'j', Mod: tea.ModCtrl}
	_, scans, _ := feed(s, time.Now(), "0040856634", 10*time.Millisecond, lf)
	if len(scans) != 1 {
		t.Fatalf("ctrl+j did not end the scan: %q", scans)
	}
}

func TestScannerIgnoresRepeatWithinTwoSeconds(t *testing.T) {
	s := testScanner()
	t0 := time.Now()
	_, first, at := feed(s, t0, "0040856634", 10*time.Millisecond, enter)
	_, second, at := feed(s, at.Add(time.Second), "0040856634", 10*time.Millisecond, enter)
	_, third, _ := feed(s, at.Add(2500*time.Millisecond), "0040856634", 10*time.Millisecond, enter)
	if len(first) != 1 || len(second) != 0 || len(third) != 1 {
		t.Errorf("scans %q %q %q; want the repeat inside 2 s ignored and the later one kept", first, second, third)
	}
}

func TestScannerPrefixWinsOverTiming(t *testing.T) {
	s := New(Config{MaxGap: 35 * time.Millisecond, MinLength: 6, Prefix: "%", Suffix: "?"})
	// Over SSH a scan can arrive in 20 ms batches with larger gaps: the
	// prefix says what it is.
	released, scans, _ := feed(s, time.Now(), "%0040856634?", 80*time.Millisecond, tea.KeyPressMsg{})
	if released != "" || len(scans) != 1 || scans[0] != "0040856634" {
		t.Errorf("released %q scans %q; want the framed card", released, scans)
	}
}

func TestScannerReleasesOnOtherKeys(t *testing.T) {
	s := testScanner()
	t0 := time.Now()
	st := s.Key(keyText('a'), t0)
	if len(st.Release) != 0 || st.FlushIn == 0 {
		t.Fatalf("first key should be held with a flush tick: %+v", st)
	}
	st = s.Key(tea.KeyPressMsg{Code: tea.KeyDown}, t0.Add(5*time.Millisecond))
	if len(st.Release) != 2 || st.Release[0].Text != "a" || st.Release[1].Code != tea.KeyDown {
		t.Errorf("release = %+v; want the held key then the arrow", st.Release)
	}
}

// TestScannerStaleFlushIsIgnored: the first key's tick fires before the
// burst has gone quiet (the second key moved the deadline): nothing goes.
func TestScannerStaleFlushIsIgnored(t *testing.T) {
	s := testScanner()
	t0 := time.Now()
	first := s.Key(keyText('1'), t0)
	s.Key(keyText('2'), t0.Add(5*time.Millisecond))
	if got := s.Flush(first.Seq, t0.Add(40*time.Millisecond)); got.Release != nil {
		t.Errorf("a flush for an older key released %d keys", len(got.Release))
	}
}

func TestScannerPaste(t *testing.T) {
	s := testScanner()
	now := time.Now()
	if _, ok := s.Paste("0040856634", true, now); ok {
		t.Error("a bare number pasted into a text field must stay text")
	}
	if st, ok := s.Paste("0040856634", false, now); !ok || st.Scan != "0040856634" {
		t.Error("a bare card number pasted outside a text field is a scan")
	}
	if st, ok := s.Paste("0040856635\r", true, now.Add(3*time.Second)); !ok || st.Scan != "0040856635" {
		t.Error("a paste ending in Enter is a reader's output")
	}
	if _, ok := s.Paste("Смирнова Анна", false, now); ok {
		t.Error("a name is not a card")
	}
}

func TestScannerCyrillicLayoutBurst(t *testing.T) {
	s := testScanner()
	_, scans, _ := feed(s, time.Now(), "01026а6с3ф", 8*time.Millisecond, enter)
	if len(scans) != 1 || scans[0] != "01026а6с3ф" {
		t.Fatalf("scans %q", scans)
	}
}

func TestScannerFastTypedWordsAreNotScans(t *testing.T) {
	for _, word := range []string{"Смирнов", "пропускаю по просьбе"} {
		s := testScanner()
		released, scans, _ := feed(s, time.Now(), word, 5*time.Millisecond, enter)
		if len(scans) != 0 || !strings.HasPrefix(released, word) {
			t.Errorf("%q typed in a burst: released %q, scans %q", word, released, scans)
		}
	}
}

// TestScannerAsksOneTickABurst: a reader's ten digits and Enter ask for
// one flush tick, not one a key; each tick costs the UI an Update and a
// frame.
func TestScannerAsksOneTickABurst(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	s := testScanner()
	ticks := 0
	at := t0
	for _, c := range "0040856634" {
		if st := s.Key(keyText(c), at); st.FlushIn > 0 {
			ticks++
		}
		at = at.Add(2 * time.Millisecond)
	}
	st := s.Key(tea.KeyPressMsg{Code: tea.KeyEnter}, at)
	if st.Scan != "0040856634" {
		t.Fatalf("no scan: %+v", st)
	}
	if ticks != 1 {
		t.Fatalf("a burst asked for %d flush ticks, want 1", ticks)
	}
}

// TestScannerOneTickKeepsTheGap: the one tick fires MaxGap after the
// burst's first key; keys came since, so it asks once more for the rest,
// and the held keys go out MaxGap after the last key, as they did when
// every key had its own tick.
func TestScannerOneTickKeepsTheGap(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	s := testScanner()
	first := s.Key(keyText('a'), t0)
	if first.FlushIn != 36*time.Millisecond {
		t.Fatalf("the first key asked for a tick in %v", first.FlushIn)
	}
	last := t0.Add(60 * time.Millisecond)
	for at := t0.Add(20 * time.Millisecond); !at.After(last); at = at.Add(20 * time.Millisecond) {
		if st := s.Key(keyText('b'), at); st.FlushIn != 0 || len(st.Release) != 0 {
			t.Fatalf("a key inside the burst: %+v", st)
		}
	}
	// The tick fires early: it asks for the remainder and releases nothing.
	early := s.Flush(first.Seq, t0.Add(first.FlushIn))
	if len(early.Release) != 0 || early.FlushIn != last.Add(36*time.Millisecond).Sub(t0.Add(first.FlushIn)) {
		t.Fatalf("the early tick: %+v", early)
	}
	// The first tick is stale now; the second releases the burst.
	if st := s.Flush(first.Seq, last.Add(36*time.Millisecond)); len(st.Release) != 0 {
		t.Fatalf("a stale tick released %d keys", len(st.Release))
	}
	st := s.Flush(early.Seq, last.Add(36*time.Millisecond))
	if len(st.Release) != 4 || st.FlushIn != 0 {
		t.Fatalf("the second tick: %+v", st)
	}
}

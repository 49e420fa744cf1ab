package scanner

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

func keyText(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Text: string(r)} }

var enter = tea.KeyPressMsg{Code: tea.KeyEnter}

// feed types s with the given gap between keys, then the end key, and
// collects what the scanner released and scanned. Flush ticks are simulated
// whenever the next key comes later than the tick would.
func feed(s *scanner, start time.Time, text string, gap time.Duration, end tea.KeyPressMsg) (released string, scans []string, at time.Time) {
	at = start
	var pendingSeq int
	var pendingAt time.Time
	handle := func(st scanStep) {
		for _, k := range st.Release {
			released += k.Text
		}
		if st.Scan != "" && !st.Repeat {
			scans = append(scans, st.Scan)
		}
		if st.FlushIn > 0 {
			pendingSeq, pendingAt = st.Seq, at.Add(st.FlushIn)
		}
	}
	keys := []tea.KeyPressMsg{}
	for _, r := range text {
		keys = append(keys, keyText(r))
	}
	if end.Code != 0 {
		keys = append(keys, end)
	}
	for i, k := range keys {
		if i > 0 {
			at = at.Add(gap)
		}
		if pendingSeq != 0 && !pendingAt.After(at) {
			for _, r := range s.Flush(pendingSeq, pendingAt) {
				released += r.Text
			}
			pendingSeq = 0
		}
		handle(s.Key(k, at))
	}
	if pendingSeq != 0 {
		for _, r := range s.Flush(pendingSeq, pendingAt) {
			released += r.Text
		}
	}
	return released, scans, at
}

func testScanner() *scanner {
	return newScanner(scanConfig{MaxGap: 35 * time.Millisecond, MinLength: 6})
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

func TestScannerShortBurstIsTyping(t *testing.T) {
	s := testScanner()
	released, scans, _ := feed(s, time.Now(), "12345", 5*time.Millisecond, enter)
	if len(scans) != 0 || released != "12345" {
		t.Errorf("released %q scans %q; a 5-key burst is below min_length", released, scans)
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
	s := newScanner(scanConfig{MaxGap: 35 * time.Millisecond, MinLength: 6, Prefix: "%", Suffix: "?"})
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

func TestScannerStaleFlushIsIgnored(t *testing.T) {
	s := testScanner()
	t0 := time.Now()
	first := s.Key(keyText('1'), t0)
	s.Key(keyText('2'), t0.Add(5*time.Millisecond))
	if got := s.Flush(first.Seq, t0.Add(40*time.Millisecond)); got != nil {
		t.Errorf("a flush for an older key released %d keys", len(got))
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

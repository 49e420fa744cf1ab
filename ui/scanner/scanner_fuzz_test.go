package scanner

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// FuzzScanner types any sequence of keys with any gaps: the scanner never
// loses, doubles or reorders a key — what it releases as typing, what it
// takes as scans and the Enters it refuses add up to what was typed — and
// it takes as a scan only a burst of at least min_length characters ended
// by Enter within max_gap, whose gaps are within max_gap or, where a
// network split it, within the join gap.
func FuzzScanner(f *testing.F) {
	f.Add([]byte("0040856634\n"), []byte{8, 9, 10, 8, 9, 10, 8, 9, 10, 8, 9})
	f.Add([]byte("Иванов\n"), []byte{90, 120, 80, 110, 95, 100, 90})
	f.Add([]byte("12\n345678\n"), []byte{5, 5, 200, 5, 5, 5, 5, 5, 5, 5})
	const maxGap, minLen, joinGap = 35 * time.Millisecond, 6, 250 * time.Millisecond
	f.Fuzz(func(t *testing.T, typed []byte, gaps []byte) {
		// What a keyboard (or a reader) types: printable characters and
		// Enter; a terminal never delivers other control characters as text.
		var keys []rune
		for _, r := range string(typed) {
			switch {
			case r == '\n' || r == '\r':
				keys = append(keys, '\n')
			case r >= ' ' && r != 0x7f && !(r >= 0x80 && r < 0xa0):
				keys = append(keys, r)
			}
		}
		if len(keys) > 200 {
			keys = keys[:200]
		}
		sc := New(Config{MaxGap: maxGap, MinLength: minLen, JoinGap: joinGap})
		at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
		var out strings.Builder
		release := func(ks []tea.KeyPressMsg) {
			for _, k := range ks {
				if k.Code == tea.KeyEnter {
					out.WriteRune('\n')
				} else {
					out.WriteString(k.Text)
				}
			}
		}
		var times []time.Time
		// The tick the scanner asked for last: one at a time, as the UI
		// keeps them (a newer one makes the older one stale).
		var tickSeq int
		var tickAt time.Time
		ask := func(st Step, from time.Time) {
			if st.FlushIn > 0 {
				tickSeq, tickAt = st.Seq, from.Add(st.FlushIn)
			}
		}
		for i, r := range keys {
			gap := time.Duration(10) * time.Millisecond
			if i < len(gaps) {
				gap = time.Duration(gaps[i]) * time.Millisecond
			}
			// The ticks that fire before this key.
			for tickSeq != 0 && !tickAt.After(at.Add(gap)) {
				seq, when := tickSeq, tickAt
				tickSeq = 0
				st := sc.Flush(seq, when)
				release(st.Release)
				ask(st, when)
			}
			at = at.Add(gap)
			times = append(times, at)
			k := tea.KeyPressMsg{Code: r, Text: string(r)}
			if r == '\n' {
				k = tea.KeyPressMsg{Code: tea.KeyEnter}
			}
			step := sc.Key(k, at)
			release(step.Release)
			if step.Scan != "" {
				n := len([]rune(step.Scan))
				if n < minLen {
					t.Fatalf("a scan of %d characters: %q", n, step.Scan)
				}
				// Its Enter came within max_gap, its characters within the
				// join gap of each other.
				if times[i].Sub(times[i-1]) > maxGap {
					t.Fatalf("scan %q ended by a late Enter: %v", step.Scan, times[i].Sub(times[i-1]))
				}
				for j := i - n + 1; j < i; j++ {
					if times[j].Sub(times[j-1]) > joinGap {
						t.Fatalf("scan %q spans a gap of %v", step.Scan, times[j].Sub(times[j-1]))
					}
				}
				out.WriteString(step.Scan + "\n")
			}
			if step.Refused != "" {
				out.WriteRune('\n') // the refused Enter, accounted for
			}
			ask(step, at)
		}
		for n := 0; tickSeq != 0; n++ {
			if n > 3 {
				t.Fatalf("the scanner keeps asking for ticks after the last key")
			}
			seq, when := tickSeq, tickAt
			tickSeq = 0
			st := sc.Flush(seq, when)
			release(st.Release)
			ask(st, when)
		}
		release(sc.Take())
		if got := out.String(); got != string(keys) {
			t.Fatalf("typed %q, the desk got %q", string(keys), got)
		}
	})
}

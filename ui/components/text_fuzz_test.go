package components

import (
	"testing"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// FuzzClean: whatever a CRM sends as a name or a note, what reaches the
// screen has no control characters, escape sequences or bidi overrides,
// cleaning twice changes nothing, and a fitted cell is exactly as wide as
// its column, whatever the script (Cyrillic, CJK, emoji, combining marks).
func FuzzClean(f *testing.F) {
	for _, s := range []string{
		"Зеленина Ольга", "\x1b[2J\x1b[31mИванов", "\x1b]8;;http://evil\x07ссылка\x1b]8;;\x07", "\x1b]52;c;ZXZpbA==\x07",
		"Анна\u202eанилеЗ", "王小明", "👩‍👧 Мама", "é́ combining", "\x9b31mC1 CSI", "line\nbreak\ttab\r", "\xff\xfe broken utf-8",
	} {
		f.Add(s, uint8(20))
	}
	f.Fuzz(func(t *testing.T, s string, width uint8) {
		c := Clean(s)
		isBidiControl := func(r rune) bool {
			return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
		}
		for _, r := range c {
			if r == 0x1b || unicode.IsControl(r) || isBidiControl(r) || r == unicode.ReplacementChar {
				t.Fatalf("Clean(%q) = %q keeps %U", s, c, r)
			}
		}
		if again := Clean(c); again != c {
			t.Fatalf("clean is not idempotent: %q → %q → %q", s, c, again)
		}
		w := int(width%60) + 1
		if got := ansi.StringWidth(Fit(c, w)); got != w {
			t.Fatalf("Fit(%q, %d) is %d cells wide", c, w, got)
		}
		if got := ansi.StringWidth(Cut(c, w)); got > w {
			t.Fatalf("Cut(%q, %d) is %d cells wide", c, w, got)
		}
	})
}

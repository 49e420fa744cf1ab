// Package text holds the two rules every text from a CRM — a client's name,
// a note, its own error message — passes before the desk shows or keeps
// it: it is cut to a length a desk has use for (Cap), and it is cleaned of
// whatever could steer the terminal or pass one name off as another
// (Clean). Text from a CRM is data, never an instruction to the terminal.
package text

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// MaxField is the most of one text field the desk keeps from an
// answer: far above any name, note or refusal a person writes, far below
// the megabytes a broken CRM can send (a 3 MB surname, a 1.3 MB stack
// trace as the error).
const MaxField = 4 << 10

// CutMark ends a text that was cut, followed by how many bytes it had.
const CutMark = "…"

// Cap cuts s to at most max bytes (never inside a character) and says
// so: "Иванов…[+3145728 B]". A text within max is returned as it is.
func Cap(s string, max int) string {
	if len(s) <= max {
		return s
	}
	tail := CutMark + "[+" + strconv.Itoa(len(s)) + " B]"
	keep := max - len(tail)
	if keep < 0 {
		keep = 0
	}
	for keep > 0 && !utf8.RuneStart(s[keep]) {
		keep--
	}
	return s[:keep] + tail
}

// maxMarks is how many combining marks one character keeps: enough for
// any language's accents, not for a tower of them over the next row.
const maxMarks = 4

// Clean makes text from a CRM safe to print and honest to read:
//
//   - escape sequences (CSI, OSC, DCS, APC…) and C0/C1 control characters
//     are dropped;
//   - line and paragraph breaks (\n, \r, U+2028, U+2029, U+0085), tabs
//     and the Unicode spaces (no-break, thin, ideographic…) become a plain
//     space, none right after a space;
//   - format characters are dropped: bidi overrides and isolates, zero-
//     width spaces and joiners, the word joiner, the BOM (U+FEFF), soft
//     hyphens, Unicode tag characters (U+E0000–U+E007F), invisible
//     operators — all that can make two different names look alike or
//     reorder what the receptionist reads; a zero-width joiner between
//     two pictographs (an emoji family, 👩‍👧) stays;
//   - invisible fillers (Hangul fillers, U+3164) and variation selectors
//     other than the emoji ones after a pictograph are dropped;
//   - a character keeps at most four combining marks;
//   - invalid UTF-8 is dropped.
//
// It is idempotent: cleaning twice changes nothing.
func Clean(s string) string {
	if plainText(s) {
		return s
	}
	s = ansi.Strip(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false // the last rune written is a space
	marks := 0
	var prev rune // the last rune written, 0 at the start
	for i, w := 0, 0; i < len(s); i += w {
		var r rune
		r, w = utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && w <= 1 {
			continue
		}
		switch {
		case r == ' ':
			b.WriteByte(' ')
			space, prev, marks = true, ' ', 0
			continue
		case isBreakOrSpace(r):
			// A line break, a tab or a Unicode space is one plain space,
			// none after a space.
			if !space {
				b.WriteByte(' ')
				space, prev, marks = true, ' ', 0
			}
			continue
		case r == '\u200d':
			next, _ := utf8.DecodeRuneInString(s[i+w:])
			if isPictograph(prev) && isPictograph(next) {
				b.WriteRune(r)
				prev, space, marks = r, false, 0
			}
			continue
		case r == '\ufe0f' || r == '\ufe0e':
			if isPictograph(prev) {
				b.WriteRune(r)
				space = false
			}
			continue
		case dropped(r):
			continue
		case unicode.In(r, unicode.Mn, unicode.Me):
			if marks >= maxMarks || prev == 0 || space {
				continue
			}
			marks++
			b.WriteRune(r)
			continue
		}
		b.WriteRune(r)
		prev, space, marks = r, false, 0
	}
	return b.String()
}

// plainText is the fast path: most text has nothing to remove.
func plainText(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
		if r >= 0x80 && (r < 0xa0 || r == 0xa0 || r == 0xad || r >= 0x2000 && r <= 0x206f || r >= 0xfe00 && r <= 0xfe0f ||
			r == 0xfeff || r >= 0xfff0 || r == 0x3000 || r == 0x3164 || r == 0x115f || r == 0x1160 || r == 0x180e ||
			r == 0x061c || r == 0x034f || unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Zs, unicode.Zl, unicode.Zp)) {
			return false
		}
	}
	return true
}

// isBreakOrSpace: every rune that breaks a line or shows as a space.
func isBreakOrSpace(r rune) bool {
	switch r {
	case '\n', '\r', '\t', '\v', '\f', ' ', '\u0085', '\u2028', '\u2029':
		return true
	}
	return unicode.Is(unicode.Zs, r)
}

// dropped: controls, format characters, fillers and stray selectors.
func dropped(r rune) bool {
	switch {
	case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Cf, r):
		return true // C0, C1, bidi, zero-width, BOM, soft hyphen, tags...
	case r >= 0xe0000 && r <= 0xe007f, r >= 0xfe00 && r <= 0xfe0f, r >= 0xe0100 && r <= 0xe01ef:
		return true // tags; variation selectors (the emoji ones are kept above)
	case r == 0x034f, r == 0x115f, r == 0x1160, r == 0x3164, r == 0xffa0, r == 0x180e, r == 0x2800:
		return true // combining grapheme joiner; Hangul fillers; Mongolian vowel separator; braille blank
	case r >= 0xfff0 && r <= 0xfffb, r == 0xfffe || r == 0xffff:
		return true // specials, interlinear annotation, non-characters
	}
	return false
}

// isPictograph: an emoji or another symbol a joiner may bind.
func isPictograph(r rune) bool {
	return r != 0 && r != utf8.RuneError && (unicode.Is(unicode.So, r) || r >= 0x1f000 && r <= 0x1faff || r >= 0x2600 && r <= 0x27bf)
}

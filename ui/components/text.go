package components

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
	"github.com/clubdesk/clubdesk/models"
)

// Clean makes provider text safe to print: a client's name or a CRM's error
// message is data and must never steer the terminal. It drops escape
// sequences (CSI, OSC, DCS...), C0/C1 control characters and the bidi
// overrides that can reorder what the receptionist reads, and folds line
// breaks and tabs into spaces.
func Clean(s string) string {
	if isPlain(s) {
		return s
	}
	s = ansi.Strip(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		case r == unicode.ReplacementChar, unicode.IsControl(r), isBidiControl(r):
			continue
		}
		space = r == ' '
		b.WriteRune(r)
	}
	return b.String()
}

// isPlain is the fast path: most text has nothing to remove.
func isPlain(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidiControl(r) || r == unicode.ReplacementChar {
			return false
		}
	}
	return true
}

func isBidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}

// Fit cuts s to width cells with an ellipsis and pads it to exactly width,
// measuring in terminal cells so Cyrillic, CJK and emoji line up.
func Fit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	w := ansi.StringWidth(s)
	if w > width {
		s = ansi.Truncate(s, width, "…")
		w = ansi.StringWidth(s)
	}
	if w < width {
		s += strings.Repeat(" ", width-w)
	}
	return s
}

// Cut shortens s to width cells with an ellipsis, without padding.
func Cut(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}

// Spread puts left and right on one line of width cells, right-aligned,
// cutting left first when they do not fit.
func Spread(left, right string, width int) string {
	rw := ansi.StringWidth(right)
	if rw >= width {
		return Cut(right, width)
	}
	return Fit(left, width-rw) + right
}

// Wrap breaks text into lines of at most width cells, at spaces where it
// can, each indented by indent.
func Wrap(s string, width int, indent string) []string {
	w := max(width-ansi.StringWidth(indent), 10)
	lines := strings.Split(ansi.Wrap(s, w, ""), "\n")
	for i, l := range lines {
		lines[i] = indent + l
	}
	return lines
}

// FormatPhone prints a Russian number as +7 916 123-45-67 and leaves other
// numbers as the provider wrote them.
func FormatPhone(s string) string {
	d := models.PhoneDigits(s)
	if len(d) == 11 && d[0] == '7' {
		return "+7 " + d[1:4] + " " + d[4:7] + "-" + d[7:9] + "-" + d[9:11]
	}
	return Clean(s)
}

package components

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/text"
)

// Clean makes provider text safe to print: a client's name or a CRM's error
// message is data and must never steer the terminal or pass for another
// name. The rules are package text's, the one cleaner every text that
// leaves the process passes (escape sequences, control characters, bidi
// overrides, zero-width and tag characters, line separators...).
func Clean(s string) string { return text.Clean(s) }

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

// CutMiddle shortens s to width cells by taking out its middle: "Детское
// пл…8 занятий", "Детское пл…безлимит". Names in a list often share their
// start (a club's plans, a family's children), and the end tells them apart.
func CutMiddle(s string, width int) string {
	w := ansi.StringWidth(s)
	if w <= width {
		return s
	}
	if width < 8 {
		return Cut(s, width)
	}
	head := (width - 1) / 2
	tail := width - 1 - head
	return ansi.Truncate(s, head, "") + "…" + ansi.TruncateLeft(s, w-tail, "")
}

// Spread puts left and right on one line of width cells, right-aligned,
// cutting left first when they do not fit.
func Spread(left, right string, width int) string {
	rw := ansi.StringWidth(right)
	if rw >= width {
		return Cut(right, width)
	}
	// One cell always parts them: a cut left side ends in "…", never
	// runs into the right one ("Цент…● на связи").
	return Fit(left, width-rw-1) + " " + right
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

// Package styles holds every style the desk draws with, built in one place
// from the terminal's background.
package styles

import (
	"charm.land/lipgloss/v2"
	"github.com/clubdesk/clubdesk/models"
)

// Theme holds every style the desk draws with, built once. Colours are the
// 16 ANSI ones so the desk looks the same on a Linux console, over SSH and in
// a modern terminal; every colour also comes with a word or a symbol, so the
// meaning survives NO_COLOR.
type Theme struct {
	Header    lipgloss.Style
	HeaderDim lipgloss.Style
	Title     lipgloss.Style
	Dim       lipgloss.Style
	Bold      lipgloss.Style
	Label     lipgloss.Style
	Section   lipgloss.Style
	Selected  lipgloss.Style
	TableHead lipgloss.Style
	Status    lipgloss.Style
	StatusKey lipgloss.Style
	Help      lipgloss.Style
	HelpKey   lipgloss.Style
	Error     lipgloss.Style
	Warn      lipgloss.Style
	OK        lipgloss.Style
	Input     lipgloss.Style
	Focused   lipgloss.Style
	Box       lipgloss.Style
	// Dark says the terminal's background is dark (QR codes are drawn
	// for it).
	Dark bool

	verdict [3]lipgloss.Style
	level   [3]lipgloss.Style
}

// palette is the colours of one background. A dark terminal gets the 16
// ANSI colours (the Linux console has no others); a light one gets darker
// shades of the 256, since bright yellow and green cannot be read on white.
// Every text colour is at least 4.5:1 against its background (WCAG AA, on
// xterm's palette): a test pins it.
type palette struct {
	fg, dim, accent, onAccent, err, warn, ok lipgloss.Style
}

func paletteFor(dark bool) palette {
	c := func(code string) lipgloss.Style { return lipgloss.NewStyle().Foreground(lipgloss.Color(code)) }
	if dark {
		return palette{fg: c("15"), dim: c("8"), accent: c("14"), onAccent: c("0"), err: c("9"), warn: c("11"), ok: c("10")}
	}
	return palette{fg: c("0"), dim: c("242"), accent: c("25"), onAccent: c("15"), err: c("124"), warn: c("130"), ok: c("28")}
}

// New builds the theme for a dark or a light background.
func New(dark bool) Theme {
	p := paletteFor(dark)
	accent := p.accent.GetForeground()
	t := Theme{Dark: dark,
		Header:    p.onAccent.Bold(true).Background(accent),
		HeaderDim: p.onAccent.Background(accent),
		Title:     p.fg.Bold(true),
		Dim:       p.dim,
		Bold:      lipgloss.NewStyle().Bold(true),
		Label:     p.dim,
		Section:   p.accent.Bold(true),
		Selected:  lipgloss.NewStyle().Reverse(true),
		TableHead: lipgloss.NewStyle().Bold(true).Underline(true),
		Status:    lipgloss.NewStyle().Foreground(lipgloss.Color("0")).Background(lipgloss.Color("7")),
		StatusKey: lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("15")).Background(lipgloss.Color("0")),
		Help:      p.dim,
		HelpKey:   p.accent.Bold(true),
		Error:     p.err.Bold(true),
		Warn:      p.warn,
		OK:        p.ok,
		Input:     lipgloss.NewStyle(),
		Focused:   p.accent.Bold(true),
		Box:       lipgloss.NewStyle().Border(lipgloss.NormalBorder()).BorderForeground(accent).Padding(0, 1),
	}
	// Banners carry their own background, whatever the terminal's.
	t.verdict = [3]lipgloss.Style{
		models.Green:  lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("0")).Background(lipgloss.Color("10")),
		models.Yellow: lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("0")).Background(lipgloss.Color("11")),
		models.Red:    lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("15")).Background(lipgloss.Color("1")),
	}
	t.level = [3]lipgloss.Style{
		models.Green:  p.ok,
		models.Yellow: p.warn,
		models.Red:    p.err.Bold(true),
	}
	return t
}

// Verdict is the banner style of a level.
func (t Theme) Verdict(l models.Level) lipgloss.Style { return t.verdict[l] }

// Level is the text style of a level.
func (t Theme) Level(l models.Level) lipgloss.Style { return t.level[l] }

// LevelMark is the symbol that carries a level without colour.
func LevelMark(l models.Level) string {
	switch l {
	case models.Red:
		return "✖"
	case models.Yellow:
		return "▲"
	}
	return "✔"
}

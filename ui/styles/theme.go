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

func New(dark bool) Theme {
	fg := lipgloss.Color("15")
	dim := lipgloss.Color("8")
	if !dark {
		fg = lipgloss.Color("0")
	}
	accent := lipgloss.Color("6")
	t := Theme{Dark: dark,
		Header:    lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("0")).Background(accent),
		HeaderDim: lipgloss.NewStyle().Foreground(lipgloss.Color("0")).Background(accent),
		Title:     lipgloss.NewStyle().Bold(true).Foreground(fg),
		Dim:       lipgloss.NewStyle().Foreground(dim),
		Bold:      lipgloss.NewStyle().Bold(true),
		Label:     lipgloss.NewStyle().Foreground(dim),
		Section:   lipgloss.NewStyle().Bold(true).Foreground(accent),
		Selected:  lipgloss.NewStyle().Reverse(true),
		TableHead: lipgloss.NewStyle().Bold(true).Underline(true),
		Status:    lipgloss.NewStyle().Foreground(fg).Background(lipgloss.Color("8")),
		StatusKey: lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("0")).Background(lipgloss.Color("7")),
		Help:      lipgloss.NewStyle().Foreground(dim),
		HelpKey:   lipgloss.NewStyle().Bold(true).Foreground(accent),
		Error:     lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("9")),
		Warn:      lipgloss.NewStyle().Foreground(lipgloss.Color("11")),
		OK:        lipgloss.NewStyle().Foreground(lipgloss.Color("10")),
		Input:     lipgloss.NewStyle(),
		Focused:   lipgloss.NewStyle().Bold(true).Foreground(accent),
		Box:       lipgloss.NewStyle().Border(lipgloss.NormalBorder()).BorderForeground(accent).Padding(0, 1),
	}
	t.verdict = [3]lipgloss.Style{
		models.Green:  lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("0")).Background(lipgloss.Color("2")),
		models.Yellow: lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("0")).Background(lipgloss.Color("3")),
		models.Red:    lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("15")).Background(lipgloss.Color("1")),
	}
	t.level = [3]lipgloss.Style{
		models.Green:  lipgloss.NewStyle().Foreground(lipgloss.Color("10")),
		models.Yellow: lipgloss.NewStyle().Foreground(lipgloss.Color("11")),
		models.Red:    lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("9")),
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

package scanner

import (
	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
)

// LinuxFnKeys turns a Linux console's F1–F5 into the keys they are. The
// console (TERM=linux, also over SSH from one) sends them as ESC [ [ A …
// ESC [ [ E, which the input decoder does not know: it hands over an
// unknown "ESC [ [" and then a capital letter, which would be typed into
// the search field. F6 and up are sent as xterm sends them.
type LinuxFnKeys struct{ pending bool }

// Translate returns the message to handle in msg's place, or swallowed
// when there is none yet.
func (f *LinuxFnKeys) Translate(msg tea.Msg) (out tea.Msg, swallowed bool) {
	switch k := msg.(type) {
	case uv.UnknownCsiEvent:
		if string(k) == "\x1b[[" {
			f.pending = true
			return nil, true
		}
	case tea.KeyPressMsg:
		if f.pending {
			f.pending = false
			if len(k.Text) == 1 && k.Text[0] >= 'A' && k.Text[0] <= 'E' {
				return tea.KeyPressMsg{Code: tea.KeyF1 + rune(k.Text[0]-'A')}, false
			}
		}
	}
	return msg, false
}

package components

import (
	"strconv"

	"charm.land/bubbles/v2/textinput"
)

// Memo keeps one drawn piece of a frame with the inputs it was drawn from.
// Bubble Tea calls View after every message (each key of a card's burst,
// each answer), and styling (lipgloss) and measuring (grapheme widths) were
// most of a frame's cost; a piece whose inputs did not change is not drawn
// again. Its key must name everything the drawing reads, the theme's
// Dark included: the memo is then a cache of a pure function, and a frame
// is still a function of the model.
type Memo struct {
	key, out string
	ok       bool
}

// Draw returns what draw returned for key, calling it only when key
// differs from the last one.
func (m *Memo) Draw(key string, draw func() string) string {
	if !m.ok || m.key != key {
		m.key, m.out, m.ok = key, draw(), true
	}
	return m.out
}

// InputView is in.View() for a field made by NewInput, kept while the field
// is empty and shows its placeholder (the search field between two scans):
// that view reads only the focus, the width, the prompt and the
// placeholder, the cursor being steady.
func (m *Memo) InputView(in textinput.Model) string {
	if in.Value() != "" || in.Placeholder == "" {
		return in.View()
	}
	return m.Draw(strconv.FormatBool(in.Focused())+"\x00"+strconv.Itoa(in.Width())+"\x00"+in.Prompt+"\x00"+in.Placeholder, in.View)
}

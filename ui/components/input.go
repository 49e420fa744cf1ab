package components

import "charm.land/bubbles/v2/textinput"

// NewInput is a text field with a steady cursor: a blinking one redraws the
// screen twice a second, which costs bytes on every SSH session for nothing.
func NewInput(prompt string, limit int) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	in.CharLimit = limit
	st := in.Styles()
	st.Cursor.Blink = false
	in.SetStyles(st)
	return in
}

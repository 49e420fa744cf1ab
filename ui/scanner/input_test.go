package scanner

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
)

// decode is what the program's decoder makes of raw input.
func decode(raw []byte) []string {
	var d uv.EventDecoder
	var out []string
	for len(raw) > 0 {
		n, ev := d.Decode(raw)
		if n == 0 {
			break
		}
		raw = raw[n:]
		if k, ok := ev.(uv.KeyPressEvent); ok {
			out = append(out, tea.KeyPressMsg(k).String())
		}
	}
	return out
}

// TestEscPressesReadAtOnceStayApart: three Esc presses in one read are
// three Esc keys, not one Alt+Esc; other input is unchanged.
func TestEscPressesReadAtOnceStayApart(t *testing.T) {
	for raw, want := range map[string]string{
		"\x1b\x1b\x1b": "esc esc esc",
		"\x1b\x1b":     "esc esc",
		"\x1b\x1bOQ":   "esc f2",
		"\x1bOQ\x1b[B": "f2 down",
		"\x1bx":        "alt+x", // one Esc and a key: the root splits it
	} {
		got := decode(SplitEscapes([]byte(raw)))
		if s := strings.Join(got, " "); s != want {
			t.Errorf("%q: %q, want %q", raw, s, want)
		}
	}
}

package scanner

import (
	"bytes"
	"io"
	"os"
)

// Input is the terminal's input with every Esc that a second Esc follows in
// the same read spelled out on its own. A terminal sends the Esc key as a
// bare ESC byte, and the input decoder reads ESC ESC ESC — Esc pressed
// three times, or bunched by an SSH link — as one Alt+Esc: two of the three
// steps back would be lost. Written as the kitty keyboard protocol's
// unambiguous Esc (CSI 27 u), each press is one key. Everything else passes
// byte for byte.
//
// Input keeps the file's descriptor, so the program still puts the terminal
// in raw mode and waits on it.
type Input struct{ f *os.File }

// NewInput wraps the terminal's input (os.Stdin).
func NewInput(f *os.File) *Input { return &Input{f: f} }

// escKey is the Esc key as the kitty keyboard protocol writes it.
var escKey = []byte("\x1b[27u")

// Read reads at most a fifth of p from the terminal, so that the Esc
// presses spelled out still fit: nothing is held back between reads (the
// program waits on the descriptor, not on this reader).
func (in *Input) Read(p []byte) (int, error) { return readSplit(in.f, p) }

func readSplit(r io.Reader, p []byte) (int, error) {
	if len(p) < len(escKey) {
		return r.Read(p)
	}
	buf := make([]byte, max(len(p)/len(escKey), 1))
	n, err := r.Read(buf)
	return copy(p, SplitEscapes(buf[:n])), err
}

// Reader is Input for a terminal that is not a file of this process: an
// SSH session's channel (clubdesk serve), whose client's terminal is in
// raw mode at the far end.
type Reader struct{ r io.Reader }

// NewReader wraps a session's input.
func NewReader(r io.Reader) *Reader { return &Reader{r: r} }

// Read is Input.Read over the session.
func (in *Reader) Read(p []byte) (int, error) { return readSplit(in.r, p) }

// SplitEscapes spells out every ESC that another ESC follows.
func SplitEscapes(b []byte) []byte {
	if !bytes.Contains(b, []byte{0x1b, 0x1b}) {
		return b
	}
	out := make([]byte, 0, len(b)+8)
	for i, c := range b {
		if c == 0x1b && i+1 < len(b) && b[i+1] == 0x1b {
			out = append(out, escKey...)
			continue
		}
		out = append(out, c)
	}
	return out
}

// Write passes to the terminal.
func (in *Input) Write(p []byte) (int, error) { return in.f.Write(p) }

// Close closes the terminal's input.
func (in *Input) Close() error { return in.f.Close() }

// Fd is the terminal's descriptor.
func (in *Input) Fd() uintptr { return in.f.Fd() }

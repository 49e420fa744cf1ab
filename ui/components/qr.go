package components

import (
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// RenderQR draws a QR code with half-block characters, two modules per
// line, so a phone can read it off any terminal. Scanners want dark modules
// on a light ground: on a dark terminal the light modules are the ones
// drawn.
func RenderQR(content string, darkBackground bool) (string, error) {
	q, err := qrcode.New(content, qrcode.Low)
	if err != nil {
		return "", err
	}
	q.DisableBorder = true
	bits := q.Bitmap()
	// One module of quiet zone around the code; wider does not fit 80x24.
	n := len(bits) + 2
	on := func(y, x int) bool {
		y, x = y-1, x-1
		dark := y >= 0 && x >= 0 && y < len(bits) && x < len(bits) && bits[y][x]
		if darkBackground {
			return !dark
		}
		return dark
	}
	var b strings.Builder
	for y := 0; y < n; y += 2 {
		for x := 0; x < n; x++ {
			top, bottom := on(y, x), y+1 < n && on(y+1, x)
			switch {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteString(" ")
			}
		}
		b.WriteByte('\n')
	}
	return strings.TrimRight(b.String(), "\n"), nil
}

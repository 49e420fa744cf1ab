package styles

import (
	"image/color"
	"math"
	"reflect"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/clubdesk/clubdesk/models"
)

// luminance is WCAG's relative luminance of c.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v>>8) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// TestTextIsReadableOnEitherBackground: every style with a colour of its
// own is at least 4.5:1 (WCAG AA) against its background — its own, or the
// terminal's, black or white — on xterm's palette.
func TestTextIsReadableOnEitherBackground(t *testing.T) {
	for _, dark := range []bool{true, false} {
		th := New(dark)
		screen := color.Color(color.White)
		if dark {
			screen = color.Black
		}
		styles := map[string]lipgloss.Style{}
		v := reflect.ValueOf(th)
		for i := range v.NumField() {
			if !v.Type().Field(i).IsExported() {
				continue
			}
			if s, ok := v.Field(i).Interface().(lipgloss.Style); ok {
				styles[v.Type().Field(i).Name] = s
			}
		}
		for _, l := range []models.Level{models.Green, models.Yellow, models.Red} {
			styles["Verdict"+LevelMark(l)] = th.Verdict(l)
			styles["Level"+LevelMark(l)] = th.Level(l)
		}
		for name, s := range styles {
			fg := s.GetForeground()
			if fg == nil || isNoColor(fg) {
				continue
			}
			bg := screen
			if b := s.GetBackground(); b != nil && !isNoColor(b) {
				bg = b
			}
			if c := contrast(fg, bg); c < 4.5 {
				t.Errorf("dark=%v %s: contrast %.2f:1, want 4.5:1", dark, name, c)
			}
		}
	}
}

func isNoColor(c color.Color) bool {
	_, ok := c.(lipgloss.NoColor)
	return ok
}

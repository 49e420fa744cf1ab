package ui

import (
	"fmt"
	"image/color"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestScreensReadWholeAtEverySize renders the desk's screens at 60x20 and
// 200x50 (80x24 is TestGoldenScreens) in both languages, compares each
// with its golden, and checks what each screen must show first is there
// whole: a question with its amount and "y", an error, every row's status
// beside its name.
func TestScreensReadWholeAtEverySize(t *testing.T) {
	for _, size := range [][2]int{{60, 20}, {200, 50}} {
		for _, lang := range []string{"ru", "en"} {
			w, hgt := size[0], size[1]
			t.Run(fmt.Sprintf("%dx%d_%s", w, hgt, lang), func(t *testing.T) {
				h := newHarness(t, lang)
				h.send(tea.WindowSizeMsg{Width: w, Height: hgt})
				tr := h.m.tr
				g := func(name string, must ...string) {
					t.Helper()
					h.goldenAt(fmt.Sprintf("%s_%dx%d_%s", name, w, hgt, lang), w, hgt, h.screen())
					h.expect(must...)
				}
				h.typeText("Зелен")
				g("search_results", "Зеленина")
				h.press("enter")
				g("card_green", tr.VerdictGreen)
				h.scan(cardBlocked)
				g("card_blocked", tr.VerdictRed)
				h.scan(cardGreen)
				h.press("f4")
				// Two plans that share their start stay apart.
				g("sale_plans", "8 занятий", "безлимит", "39 000 ₽")
				h.press("down", "enter", "enter")
				g("sale_payment")
				h.press("enter")
				g("sale_confirm", "4 000 ₽", tr.YesNo)
				h.press("y")
				g("sale_result", "8 посещений")
				h.press("enter", "f3")
				g("calendar")
				h.press("enter")
				g("roster", tr.BookingAttended, "Пришвина Дарья")
				h.press("f1")
				g("help")
				h.press("esc", "f7")
				g("journal")
				h.press("esc", "f6")
				g("shift_report")
			})
		}
	}
}

// TestFramesLayTheSameOnBothBackgrounds: a light terminal gets its own
// palette, not another layout: at every size the text of each frame is the
// dark one's, and its colours are not.
func TestFramesLayTheSameOnBothBackgrounds(t *testing.T) {
	for _, size := range [][2]int{{60, 20}, {80, 24}, {200, 50}} {
		frames := map[bool][]string{}
		styled := map[bool][]string{}
		for _, dark := range []bool{true, false} {
			h := newHarness(t, "ru")
			bg := color.Color(color.Black)
			if !dark {
				bg = color.White
			}
			h.send(tea.BackgroundColorMsg{Color: bg})
			h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			snap := func() {
				frames[dark] = append(frames[dark], h.screen())
				styled[dark] = append(styled[dark], h.m.View().Content)
			}
			h.scan(cardGreen)
			snap()
			h.scan(cardBlocked)
			snap()
			h.press("f3", "enter")
			snap()
		}
		for i := range frames[true] {
			if frames[true][i] != frames[false][i] {
				t.Errorf("%dx%d frame %d: the light one lays out differently:\n%s\n---\n%s", size[0], size[1], i, frames[true][i], frames[false][i])
			}
			if styled[true][i] == styled[false][i] {
				t.Errorf("%dx%d frame %d: the same colours on a light and a dark background", size[0], size[1], i)
			}
			if strings.Count(frames[true][i], "\n")+1 != size[1] {
				t.Errorf("%dx%d frame %d: not %d lines", size[0], size[1], i, size[1])
			}
		}
	}
}

package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/clubdesk/clubdesk/ui/scanner"
	"github.com/clubdesk/clubdesk/ui/screens"
)

// feed decodes raw terminal input as the program's reader does and sends
// every event to the console.
func (h *harness) feed(raw string) {
	var d uv.EventDecoder
	b := []byte(raw)
	for len(b) > 0 {
		n, ev := d.Decode(b)
		if n == 0 {
			h.t.Fatalf("cannot decode %q", b)
		}
		b = b[n:]
		switch e := ev.(type) {
		case nil:
		case uv.KeyPressEvent: // as the program translates it
			h.send(tea.KeyPressMsg(e))
		default:
			h.send(e)
		}
	}
}

// TestLinuxConsoleFunctionKeys: F1–F5 as a Linux console sends them open
// help, the timetable, search; nothing is typed into the search field.
func TestLinuxConsoleFunctionKeys(t *testing.T) {
	h := newHarness(t, "ru")
	h.feed("\x1b[[C") // F3
	h.expect("Расписание")
	h.feed("\x1b[[B") // F2
	h.expect("Поиск клиента")
	if v := h.peek().Query; v != "" {
		t.Fatalf("the search field got %q", v)
	}
	h.feed("\x1b[[A") // F1
	h.expect("Esc или F1 — закрыть")
	h.feed("\x1b[[A")
	h.expectNot("Esc или F1 — закрыть")
	// Capital letters typed after an F-key stay letters.
	h.feed("\x1b[[B")
	h.feed("C")
	h.now = h.now.Add(100 * time.Millisecond)
	h.send(scanner.FlushMsg{Seq: h.m.scan.Seq()})
	if v := h.peek().Query; v != "C" {
		t.Fatalf("a capital C after F2 became %q", v)
	}
}

// Two Esc presses read at once (a double tap, keys bunched by SSH) decode
// as Alt+Esc: they are two steps back, the second on the screen the first
// went back to.
func TestTwoEscPressesInOneReadAreTwoStepsBack(t *testing.T) {
	h := newHarness(t, "ru")
	h.typeText("Новосёл")
	h.press("enter", "f4")
	h.expect("Продажа абонемента")
	h.key(tea.KeyPressMsg{Code: tea.KeyEscape, Mod: tea.ModAlt})
	h.expect("Поиск клиента")
	if h.top().Kind() != screens.KindSearch {
		t.Fatalf("two steps back from the sale is the search, not %s", h.top().Kind())
	}
}

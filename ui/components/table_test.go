package components

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/clubdesk/clubdesk/ui/styles"
)

func lines(tb Table) []string { return strings.Split(ansi.Strip(tb.View()), "\n") }

// TestTableLaysOutByWhatComesFirst: a narrow table drops the columns that
// may go before it cuts the name below its least width; a wide one stops
// the name at its most, so the status stays beside it; a Fit column is as
// wide as its widest cell.
func TestTableLaysOutByWhatComesFirst(t *testing.T) {
	th := styles.New(true)
	name := "Константинопольская Александра Владимировна"
	build := func(w int) Table {
		tb := NewTable(&th,
			Column{Title: "ФИО", Flex: 1, Min: 26, Max: 44},
			Column{Title: "Телефон", Width: 16},
			Column{Title: "Карта", Width: 12, Drop: 1},
			Column{Title: "Д. р.", Width: 10, Drop: 2},
		)
		tb.SetSize(w, 3)
		tb.SetRows([]Row{{Cells: []string{name, "+7 916 123-45-67", "0012345678", "01.02.2003"}}})
		return tb
	}
	narrow := lines(build(58))
	if strings.Contains(narrow[0], "Д. р.") || !strings.Contains(narrow[0], "Карта") {
		t.Errorf("at 58 the birthday goes first, the card stays: %q", narrow[0])
	}
	if got := lipgloss.Width(narrow[1]); got > 58 {
		t.Errorf("row %d wide at 58", got)
	}
	if !strings.Contains(narrow[1], "Константинопольская Алекса") {
		t.Errorf("the name got less than its least: %q", narrow[1])
	}
	tiny := lines(build(46))
	if strings.Contains(tiny[0], "Карта") {
		t.Errorf("at 46 the card goes too: %q", tiny[0])
	}
	wide := lines(build(200))
	if i := strings.Index(wide[1], "+7 916"); lipgloss.Width(wide[1][:i]) != 45 {
		t.Errorf("the phone should start right after the name's 44 columns: %q", wide[1])
	}
	if strings.Contains(wide[1], "…") {
		t.Errorf("nothing is cut at 200: %q", wide[1])
	}

	fit := NewTable(&th, Column{Title: "План", Flex: 1}, Column{Title: "Цена", Width: 26, Fit: true, Right: true})
	fit.SetSize(40, 3)
	fit.SetRows([]Row{{Cells: []string{"Детское плавание — 8 занятий", "4 800 ₽"}}})
	if row := lines(fit)[1]; !strings.Contains(row, "Детское плавание — 8 занятий") {
		t.Errorf("a Fit column left the name no room: %q", row)
	}
}

func TestCutMiddleTellsNamesApart(t *testing.T) {
	a := CutMiddle("Детское плавание — 8 занятий", 20)
	b := CutMiddle("Детское плавание — безлимит", 20)
	if a == b || lipgloss.Width(a) != 20 || lipgloss.Width(b) != 20 {
		t.Fatalf("%q and %q", a, b)
	}
	if got := CutMiddle("Сауна", 20); got != "Сауна" {
		t.Fatalf("a short name is cut: %q", got)
	}
}

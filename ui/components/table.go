package components

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/clubdesk/clubdesk/ui/styles"
)

// Column is one column of a table. Width 0 columns share what the fixed
// ones leave, weighted by Flex (1 when unset).
//
// A table lays out by what it must show first: a flexible column is never
// narrower than Min while a column that may go (Drop > 0, the highest
// first) is still shown, and never wider than Max (0: no limit), so on a
// wide terminal a row's status stays near its name instead of drifting
// to the far edge. A Fit column is as wide as its widest cell, up to Width.
type Column struct {
	Title string
	Width int
	Flex  int
	Right bool
	Min   int
	Max   int
	Drop  int
	Fit   bool
	// Middle cuts a long cell in its middle (CutMiddle), for names that
	// share their start.
	Middle bool
}

// Row is one line of a table; Style colours the whole line (attendance,
// verdict) and is dropped for the selected row, which is shown reversed.
type Row struct {
	Cells []string
	Style *lipgloss.Style
}

// Table draws rows in columns measured in terminal cells, with a cursor and
// scrolling. It renders only the visible rows, so ten thousand rows cost the
// same as twenty.
type Table struct {
	th      *styles.Theme
	cols    []Column
	rows    []Row
	cursor  int
	offset  int
	width   int
	height  int // rows of data, header excluded
	focused bool
	widths  []int
	shown   []bool
}

// NewTable builds a table drawn with th, which the root may restyle.
func NewTable(th *styles.Theme, cols ...Column) Table {
	return Table{th: th, cols: cols, focused: true}
}

// SetSize gives the table its width and the rows of data it shows.
func (t *Table) SetSize(width, height int) {
	t.width, t.height = width, max(height, 1)
	t.layout()
	t.clamp()
}

// SetRows replaces the rows, keeping the cursor inside them.
func (t *Table) SetRows(rows []Row) {
	t.rows = rows
	if t.fits() {
		t.layout()
	}
	t.clamp()
}

func (t *Table) fits() bool {
	for _, c := range t.cols {
		if c.Fit {
			return true
		}
	}
	return false
}

// Len is the number of rows.
func (t *Table) Len() int { return len(t.rows) }

// Cursor is the selected row.
func (t *Table) Cursor() int { return t.cursor }

// SetCursor selects row i (clamped to the rows).
func (t *Table) SetCursor(i int) { t.cursor = i; t.clamp() }

// Height is how many rows of data are visible: a page.
func (t *Table) Height() int { return t.height }

// Move moves the cursor by delta rows.
func (t *Table) Move(delta int) {
	t.cursor += delta
	t.clamp()
}

func (t *Table) clamp() {
	t.cursor = max(min(t.cursor, len(t.rows)-1), 0)
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+t.height {
		t.offset = t.cursor - t.height + 1
	}
	t.offset = max(min(t.offset, len(t.rows)-t.height), 0)
}

func (t *Table) layout() {
	fixed := make([]int, len(t.cols))
	for i, c := range t.cols {
		fixed[i] = c.Width
		if c.Fit {
			fixed[i] = t.widest(i, c.Width)
		}
	}
	shown := make([]bool, len(t.cols))
	for i := range shown {
		shown[i] = true
	}
	// Drop the columns that may go, the highest Drop first, until the
	// ones left get their least width.
	for {
		if t.least(fixed, shown) <= t.width {
			break
		}
		drop := -1
		for i, c := range t.cols {
			if shown[i] && c.Drop > 0 && (drop < 0 || c.Drop > t.cols[drop].Drop) {
				drop = i
			}
		}
		if drop < 0 {
			break
		}
		shown[drop] = false
	}
	t.widths = make([]int, len(t.cols))
	gaps, flex := -1, 0
	free := t.width
	for i, c := range t.cols {
		if !shown[i] {
			continue
		}
		gaps++
		if c.Width > 0 || c.Fit {
			t.widths[i] = fixed[i]
			free -= fixed[i]
		} else {
			flex += max(c.Flex, 1)
		}
	}
	free = max(free-max(gaps, 0), 0)
	left := free
	for i, c := range t.cols {
		if shown[i] && c.Width == 0 && !c.Fit && flex > 0 {
			w := free * max(c.Flex, 1) / flex
			if c.Max > 0 {
				w = min(w, c.Max)
			}
			t.widths[i] = w
			left -= w
		}
	}
	// Give rounding leftovers to the last flexible column below its Max.
	for i := len(t.cols) - 1; i >= 0 && left > 0; i-- {
		c := t.cols[i]
		if shown[i] && c.Width == 0 && !c.Fit {
			add := left
			if c.Max > 0 {
				add = min(add, c.Max-t.widths[i])
			}
			t.widths[i] += add
			left -= add
		}
	}
	t.shown = shown
}

// least is the width the shown columns need at the least.
func (t *Table) least(fixed []int, shown []bool) int {
	n, gaps := 0, -1
	for i, c := range t.cols {
		if !shown[i] {
			continue
		}
		gaps++
		if c.Width > 0 || c.Fit {
			n += fixed[i]
		} else {
			n += c.Min
		}
	}
	return n + max(gaps, 0)
}

// widest is the width of column i's widest cell, title included, up to
// limit (0: no limit).
func (t *Table) widest(i, limit int) int {
	w := lipgloss.Width(t.cols[i].Title)
	for _, r := range t.rows {
		if i < len(r.Cells) {
			w = max(w, lipgloss.Width(r.Cells[i]))
		}
	}
	if limit > 0 {
		w = min(w, limit)
	}
	return w
}

func (t *Table) line(cells []string) string {
	var b strings.Builder
	first := true
	for i, w := range t.widths {
		if !t.shown[i] {
			continue
		}
		if !first {
			b.WriteByte(' ')
		}
		first = false
		cell := ""
		if i < len(cells) {
			cell = cells[i]
		}
		if t.cols[i].Right {
			cell = Cut(cell, w)
			b.WriteString(strings.Repeat(" ", max(w-lipgloss.Width(cell), 0)))
			b.WriteString(cell)
		} else {
			if t.cols[i].Middle {
				cell = CutMiddle(cell, w)
			}
			b.WriteString(Fit(cell, w))
		}
	}
	return b.String()
}

// Indented is View with every line moved one cell right, as screens lay
// tables out.
func (t *Table) Indented() string {
	return " " + strings.ReplaceAll(t.View(), "\n", "\n ")
}

// View renders the header and the visible rows; cells are expected to be
// cleaned already.
func (t *Table) View() string {
	if t.widths == nil {
		t.layout()
	}
	titles := make([]string, len(t.cols))
	for i, c := range t.cols {
		titles[i] = c.Title
	}
	lines := make([]string, 0, t.height+1)
	lines = append(lines, t.th.TableHead.Render(t.line(titles)))
	end := min(t.offset+t.height, len(t.rows))
	for i := t.offset; i < end; i++ {
		r := t.rows[i]
		text := t.line(r.Cells)
		switch {
		case i == t.cursor && t.focused:
			text = t.th.Selected.Render(text)
		case r.Style != nil:
			text = r.Style.Render(text)
		}
		lines = append(lines, text)
	}
	return strings.Join(lines, "\n")
}

package components

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/clubdesk/clubdesk/ui/styles"
)

// Column is one column of a table. Width 0 columns share what the fixed
// ones leave, weighted by Flex (1 when unset).
type Column struct {
	Title string
	Width int
	Flex  int
	Right bool
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
	t.clamp()
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
	t.widths = make([]int, len(t.cols))
	gaps := len(t.cols) - 1
	fixed, flex := gaps, 0
	for i, c := range t.cols {
		if c.Width > 0 {
			t.widths[i] = c.Width
			fixed += c.Width
		} else {
			flex += max(c.Flex, 1)
		}
	}
	free := max(t.width-fixed, 0)
	for i, c := range t.cols {
		if c.Width == 0 && flex > 0 {
			t.widths[i] = free * max(c.Flex, 1) / flex
		}
	}
	// Give rounding leftovers to the last flexible column.
	used := gaps
	for _, w := range t.widths {
		used += w
	}
	for i := len(t.cols) - 1; i >= 0 && used < t.width; i-- {
		if t.cols[i].Width == 0 {
			t.widths[i] += t.width - used
			break
		}
	}
}

func (t *Table) line(cells []string) string {
	var b strings.Builder
	for i, w := range t.widths {
		if i > 0 {
			b.WriteByte(' ')
		}
		cell := ""
		if i < len(cells) {
			cell = cells[i]
		}
		if t.cols[i].Right {
			cell = Cut(cell, w)
			b.WriteString(strings.Repeat(" ", max(w-lipgloss.Width(cell), 0)))
			b.WriteString(cell)
		} else {
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

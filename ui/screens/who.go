package screens

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/ui/components"
)

// whoScreen is who came in today: the check-ins of this desk's journal,
// newest first, with names and times, filtered by typing. No CRM the desk
// speaks to lists the whole club's entries through its contract, so the
// screen says the list is this desk's.
type whoScreen struct {
	base
	sh     *Common
	filter textinput.Model
	all    []journal.Operation
	shown  []journal.Operation
	table  components.Table
	width  int
	height int
}

func newWho(sh *Common) *whoScreen {
	t := sh.tr
	in := components.NewInput(t.R.WhoFilter, 40)
	in.Focus()
	s := &whoScreen{sh: sh, filter: in}
	s.table = components.NewTable(sh.th,
		components.Column{Title: t.R.ColWhen, Width: 5},
		components.Column{Title: t.ColName, Width: 26},
		components.Column{Title: t.J.ColState, Width: 11},
		components.Column{Title: "", Flex: 1},
	)
	s.reload()
	return s
}

// NewWho is who came in today, by this desk's journal.
func NewWho(sh *Common) Screen { return newWho(sh) }

func (s *whoScreen) Title() string { return s.sh.tr.R.WhoTitle }
func (s *whoScreen) Kind() Kind    { return KindWho }
func (s *whoScreen) Typing() bool  { return true }

func (s *whoScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.filter.SetWidth(min(w-12, 40))
	s.table.SetSize(w-2, max(h-6, 1))
}

func (s *whoScreen) Help() []key.Binding {
	k := s.sh.keys
	return []key.Binding{k.Open, k.Up, k.Refresh, k.Back}
}

func (s *whoScreen) peek() Snapshot {
	return Snapshot{Kind: KindWho, Query: s.filter.Value(), Cursor: s.table.Cursor(), Stage: len(s.shown)}
}

// reload reads the day's check-ins from the journal (memory, not I/O):
// those that went through, are kept to send, or are still to be checked —
// not the ones refused, found not to have happened, or taken back.
func (s *whoScreen) reload() {
	s.all = s.all[:0]
	if j := s.sh.journal; j != nil {
		from, _ := s.sh.today().Bounds(s.sh.loc)
		ops := j.Since(from)
		undone := undoneVisits(ops)
		for i := len(ops) - 1; i >= 0; i-- {
			op := ops[i]
			if op.Intent.Kind != journal.CheckIn || takenBack(op, undone) {
				continue
			}
			if p := op.Phase(); p == journal.Refused || p == journal.Dismissed {
				continue
			}
			s.all = append(s.all, op)
		}
	}
	s.apply()
}

// apply filters by the field: a part of the name, in either layout, or of
// the time.
func (s *whoScreen) apply() {
	q := strings.ToLower(strings.TrimSpace(s.filter.Value()))
	alt := strings.ToLower(models.RussianLayout(q))
	s.shown = s.shown[:0]
	rows := []components.Row{}
	for _, op := range s.all {
		name := strings.ToLower(s.name(op))
		at := s.sh.clock(op.Intent.At)
		if q != "" && !strings.Contains(name, q) && !strings.Contains(name, alt) && !strings.HasPrefix(at, q) {
			continue
		}
		s.shown = append(s.shown, op)
		note := ""
		if r := strings.TrimSpace(op.Intent.Reason); r != "" {
			note = fmt.Sprintf(s.sh.tr.R.WhoOverride, components.Clean(r))
		}
		var style = &s.sh.th.OK
		if op.Phase() != journal.Done && op.Phase() != journal.Confirmed {
			style = &s.sh.th.Warn
		}
		rows = append(rows, components.Row{Cells: []string{at, components.Clean(s.name(op)), s.sh.tr.J.Phase[op.Phase()], note}, Style: style})
	}
	s.table.SetRows(rows)
}

func (s *whoScreen) name(op journal.Operation) string {
	if op.Intent.ClientName != "" {
		return op.Intent.ClientName
	}
	return op.Intent.ClientID
}

func (s *whoScreen) Update(msg tea.Msg) Action {
	switch msg := msg.(type) {
	case Refresh:
		s.reload()
		return nil
	case tea.KeyPressMsg:
		k := s.sh.keys
		switch {
		case key.Matches(msg, k.Back):
			if s.filter.Value() != "" {
				s.filter.SetValue("")
				s.apply()
				return nil
			}
			return Pop{Screen: s}
		case s.sh.moveInList(&s.table, msg):
			return nil
		case key.Matches(msg, k.Open):
			if len(s.shown) == 0 {
				return nil
			}
			// The card reads the client in full as it opens; until then
			// it shows the name the journal holds.
			op := s.shown[s.table.Cursor()].Intent
			if op.ClientID == "" {
				return nil
			}
			words := strings.Fields(op.ClientName)
			c := models.Client{ID: op.ClientID}
			if len(words) > 0 {
				c.LastName, c.FirstName = words[0], strings.Join(words[1:], " ")
			}
			return OpenClient{c}
		}
	}
	return typeInto(&s.filter, msg, s.apply)
}

func (s *whoScreen) View() string {
	sh, t := s.sh, s.sh.tr
	lines := []string{" " + s.filter.View()}
	status := fmt.Sprintf(t.R.WhoCount, len(s.all))
	switch {
	case len(s.all) == 0:
		status = t.R.WhoNone
	case len(s.shown) == 0:
		status = fmt.Sprintf(t.R.WhoNoMatch, components.Clean(s.filter.Value()))
	}
	lines = append(lines, " "+components.Cut(status, s.width-2))
	for _, l := range components.Wrap(fmt.Sprintf(t.R.WhoNoCRM, sh.crmName()), s.width-1, " ") {
		lines = append(lines, sh.th.Dim.Render(l))
	}
	if len(s.shown) > 0 {
		lines = append(lines, s.table.Indented())
	}
	return strings.Join(lines, "\n")
}

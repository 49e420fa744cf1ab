package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// pickPurpose says why a search was opened to choose a client.
type pickPurpose int

const (
	pickNone   pickPurpose = iota // the ordinary search: Enter opens the card
	pickBind                      // choose who gets an unknown card
	pickRoster                    // choose who joins a lesson
)

// pickedMsg returns the chosen client to the screen that asked.
type pickedMsg struct {
	purpose pickPurpose
	client  models.Client
}

// focusMsg tells the search screen it was brought back with F2: start over.
type focusMsg struct{}

// manualCardMsg asks the root to treat typed digits as a scan.
type manualCardMsg struct{ raw string }

// debounceMsg fires a search once typing pauses.
type debounceMsg struct{ seq int }

const (
	debounce    = 150 * time.Millisecond
	searchLimit = 50
)

// searchScreen finds clients as the receptionist types.
type searchScreen struct {
	sh      *shared
	pick    pickPurpose
	input   textinput.Model
	table   table
	results []models.Client
	shown   string // the query the results answer
	pending int    // id of the search in flight
	seq     int
	// openOnResult opens the only result of a search started by Enter.
	openOnResult bool
	err          string
	width        int
	height       int
	pickReq      int
}

func newSearch(sh *shared, pick pickPurpose) *searchScreen {
	in := newInput(sh.tr.SearchPrompt, 100)
	in.Placeholder = sh.tr.SearchPlaceholder
	if !sh.can(providers.CapCardLookup) {
		in.Placeholder = sh.tr.SearchPlaceholderNoCard
	}
	in.Focus()
	s := &searchScreen{sh: sh, pick: pick, input: in}
	s.table = newTable(&sh.th,
		column{Title: sh.tr.ColName, Flex: 1},
		column{Title: sh.tr.ColPhone, Width: 16},
		column{Title: sh.tr.ColCard, Width: 12},
		column{Title: sh.tr.ColBirthday, Width: 10},
	)
	return s
}

func (s *searchScreen) Init() tea.Cmd { return nil }

func (s *searchScreen) Title() string {
	if s.pick != pickNone {
		return s.sh.tr.Screen.Pick
	}
	return s.sh.tr.Screen.Search
}

func (s *searchScreen) Typing() bool { return true }

func (s *searchScreen) Help() []key.Binding {
	k := &s.sh.keys
	open := k.Open
	if s.pick != pickNone {
		open.SetHelp(open.Help().Key, s.sh.tr.KeyPick)
	}
	out := []key.Binding{open, k.Up}
	if s.pick == pickNone && s.sh.can(providers.CapCreateClient) {
		out = append(out, k.NewClient)
	}
	return append(out, k.Back)
}

func (s *searchScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.input.SetWidth(w - len([]rune(s.input.Prompt)) - 2)
	s.table.SetSize(w-2, max(h-4, 1))
}

func (s *searchScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	k := &s.sh.keys
	switch msg := msg.(type) {
	case focusMsg:
		s.input.SetValue("")
		s.clear()
		return s, s.input.Focus()
	case debounceMsg:
		if msg.seq == s.seq {
			return s, s.search()
		}
		return s, nil
	case doneMsg[[]models.Client]:
		if !ours(&s.pending, msg) {
			return s, nil
		}
		if msg.err != nil {
			s.err = describe(s.sh.tr, msg.err)
			s.openOnResult = false
			return s, nil
		}
		s.setResults(msg.val)
		if s.openOnResult && len(s.results) == 1 {
			s.openOnResult = false
			return s, s.choose(s.results[0])
		}
		s.openOnResult = false
		return s, nil
	case doneMsg[models.Client]:
		if !ours(&s.pickReq, msg) {
			return s, nil
		}
		if msg.err != nil {
			return s, toast(models.Red, "%s", describe(s.sh.tr, msg.err))
		}
		return s, s.choose(msg.val)
	case refreshMsg:
		s.shown = ""
		return s, s.search()
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Back):
			if s.input.Value() != "" {
				s.input.SetValue("")
				s.clear()
				return s, nil
			}
			if s.pick != pickNone {
				return s, pop(nil)
			}
			return s, nil
		case key.Matches(msg, k.Open):
			return s, s.enter()
		case key.Matches(msg, k.Up):
			s.table.Move(-1)
			return s, nil
		case key.Matches(msg, k.Down):
			s.table.Move(1)
			return s, nil
		case key.Matches(msg, k.PageUp):
			s.table.Move(-s.table.height)
			return s, nil
		case key.Matches(msg, k.PageDown):
			s.table.Move(s.table.height)
			return s, nil
		case key.Matches(msg, k.NewClient) && s.pick == pickNone:
			if !s.sh.can(providers.CapCreateClient) {
				return s, s.sh.refuse(providers.CapCreateClient)
			}
			return s, push(newClientForm(s.sh, s.input.Value(), nil))
		}
	}
	before := s.input.Value()
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	if s.input.Value() != before {
		s.seq++
		seq := s.seq
		s.err = ""
		cmd = tea.Batch(cmd, s.sh.after(debounce, debounceMsg{seq}))
	}
	return s, cmd
}

// TakeScan picks the scanned card's client when choosing; the ordinary
// search lets the root open the card.
func (s *searchScreen) TakeScan(tag string) (screen, tea.Cmd, bool) {
	if s.pick == pickNone || !s.sh.can(providers.CapCardLookup) {
		return s, nil, false
	}
	var cmd tea.Cmd
	s.pickReq, cmd = run(s.sh, s, s.sh.tr.LabelCard+" "+tag, false, lookupCard(s.sh, tag))
	return s, cmd, true
}

func (s *searchScreen) query() string { return strings.TrimSpace(s.input.Value()) }

func (s *searchScreen) clear() {
	s.sh.cancelTask(s.pending)
	s.pending, s.results, s.shown, s.err = 0, nil, "", ""
	s.table.SetRows(nil)
}

// search starts a search for the current query, cancelling the one in
// flight: only the newest answer matters.
func (s *searchScreen) search() tea.Cmd {
	q := s.query()
	if len([]rune(q)) < 2 {
		s.clear()
		return nil
	}
	if q == s.shown && s.pending == 0 {
		return nil
	}
	s.sh.cancelTask(s.pending)
	prov := s.sh.prov
	id, cmd := run(s.sh, s, fmt.Sprintf("%s «%s»", strings.ToLower(s.sh.tr.KeySearch), q), false,
		func(ctx context.Context) ([]models.Client, error) { return prov.SearchClients(ctx, q, searchLimit) })
	s.pending = id
	s.shown = q
	return cmd
}

func (s *searchScreen) setResults(cs []models.Client) {
	s.results = cs
	rows := make([]row, len(cs))
	for i, c := range cs {
		card := ""
		if len(c.Cards) > 0 {
			card = clean(c.Cards[0])
		}
		name := clean(c.FullName())
		if c.Guardian != "" {
			name += " (" + clean(c.Guardian) + ")"
		}
		rows[i] = row{Cells: []string{name, formatPhone(c.Phone), card, c.Birthday.Short()}}
	}
	s.table.SetRows(rows)
	s.table.SetCursor(0)
}

func (s *searchScreen) enter() tea.Cmd {
	q := s.query()
	if q == "" {
		return nil
	}
	if q == s.shown && s.pending == 0 {
		if len(s.results) > 0 {
			return s.choose(s.results[s.table.Cursor()])
		}
		if _, err := models.CleanTag(q); err == nil && len(q) >= 6 && s.sh.can(providers.CapCardLookup) {
			return func() tea.Msg { return manualCardMsg{q} }
		}
		return nil
	}
	s.openOnResult = true
	return s.search()
}

func (s *searchScreen) choose(c models.Client) tea.Cmd {
	if s.pick == pickNone {
		return openClient(c)
	}
	return pop(pickedMsg{purpose: s.pick, client: c})
}

func (s *searchScreen) View() string {
	var b strings.Builder
	b.WriteString(" " + s.input.View() + "\n")
	status := ""
	switch q := s.query(); {
	case s.err != "":
		status = s.sh.th.Error.Render(s.err)
	case q == "" || len([]rune(q)) < 2:
		hint := s.sh.tr.SearchHint
		if !s.sh.can(providers.CapCardLookup) {
			hint = s.sh.tr.SearchHintNoCard
		}
		status = s.sh.th.Dim.Render(hint)
	case s.shown == q && s.pending == 0 && len(s.results) == 0:
		status = s.sh.th.Warn.Render(fmt.Sprintf(s.sh.tr.SearchNone, clean(q)))
	case len(s.results) > 0:
		status = s.sh.th.Dim.Render(fmt.Sprintf(s.sh.tr.SearchFound, len(s.results)))
		if len(s.results) >= searchLimit {
			status += s.sh.th.Dim.Render(" — " + fmt.Sprintf(s.sh.tr.SearchMore, searchLimit))
		}
	}
	b.WriteString(" " + cut(status, s.width-2) + "\n\n")
	if len(s.results) > 0 {
		b.WriteString(s.table.Indented())
	}
	return b.String()
}

// lookupCard is the request behind a scan: the client a card is bound to.
func lookupCard(sh *shared, tag string) func(context.Context) (models.Client, error) {
	prov := sh.prov
	return func(ctx context.Context) (models.Client, error) {
		c, err := prov.ClientByCard(ctx, tag)
		if err != nil && !errors.Is(err, providers.ErrNotFound) {
			return c, fmt.Errorf("card %s: %w", tag, err)
		}
		return c, err
	}
}

package screens

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/components"
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

// debounceMsg fires a search once typing pauses.
type debounceMsg struct{ seq int }

const (
	debounce    = 150 * time.Millisecond
	searchLimit = 50
)

// searchScreen finds clients as the receptionist types.
type searchScreen struct {
	base
	sh      *Common
	pick    pickPurpose
	input   textinput.Model
	table   components.Table
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
	// memo keeps the field and the status line between frames.
	memo struct{ input, status components.Memo }
}

// NewSearch is the client search, the screen at the bottom of the stack.
func NewSearch(sh *Common) Screen { return newSearch(sh, pickNone) }

func newSearch(sh *Common, pick pickPurpose) *searchScreen {
	in := components.NewInput(sh.tr.SearchPrompt, 100)
	in.Placeholder = sh.tr.SearchPlaceholder
	if !sh.can(providers.CapCardLookup) {
		in.Placeholder = sh.tr.SearchPlaceholderNoCard
	}
	in.Focus()
	s := &searchScreen{sh: sh, pick: pick, input: in}
	s.table = components.NewTable(sh.th,
		// The name first: on a narrow terminal the birthday and then the
		// card make room for it; on a wide one it stops at 44 columns.
		components.Column{Title: sh.tr.ColName, Flex: 1, Min: 26, Max: 44},
		components.Column{Title: sh.tr.ColPhone, Width: 16},
		components.Column{Title: sh.tr.ColCard, Width: 12, Drop: 1},
		components.Column{Title: sh.tr.ColBirthday, Width: 10, Drop: 2},
	)
	return s
}

func (s *searchScreen) Title() string {
	if s.pick != pickNone {
		return s.sh.tr.Screen.Pick
	}
	return s.sh.tr.Screen.Search
}

func (s *searchScreen) Typing() bool { return true }

func (s *searchScreen) Kind() Kind {
	if s.pick != pickNone {
		return KindPick
	}
	return KindSearch
}

func (s *searchScreen) peek() Snapshot {
	return Snapshot{Kind: s.Kind(), Query: s.input.Value(), Loading: s.pending != 0, Cursor: s.table.Cursor(), Clients: s.results}
}

func (s *searchScreen) Help() []key.Binding {
	k := s.sh.keys
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

func (s *searchScreen) Update(msg tea.Msg) Action {
	k := s.sh.keys
	switch msg := msg.(type) {
	case Focus:
		s.input.SetValue(msg.Query)
		s.input.CursorEnd()
		a := Then(s.clear(), cmd(s.input.Focus()))
		if msg.Query != "" {
			a = Then(a, s.search())
			s.openOnResult = msg.Open
		}
		return a
	case debounceMsg:
		if msg.seq == s.seq {
			return s.search()
		}
		return nil
	case doneMsg[[]models.Client]:
		if !ours(&s.pending, msg) {
			return nil
		}
		if msg.err != nil {
			s.err = s.sh.describe(msg.err)
			s.openOnResult = false
			return nil
		}
		s.setResults(msg.val)
		if s.openOnResult && len(s.results) == 1 {
			s.openOnResult = false
			return s.choose(s.results[0])
		}
		s.openOnResult = false
		return nil
	case doneMsg[models.Client]:
		if !ours(&s.pickReq, msg) {
			return nil
		}
		if msg.err != nil {
			return toast(models.Red, "%s", s.sh.describe(msg.err))
		}
		return s.choose(msg.val)
	case Refresh:
		s.shown = ""
		return s.search()
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Back):
			if s.input.Value() != "" {
				s.input.SetValue("")
				return s.clear()
			}
			if s.pick != pickNone {
				return Pop{Screen: s}
			}
			return nil
		case key.Matches(msg, k.Open):
			return s.enter()
		case s.sh.moveInList(&s.table, msg):
			return nil
		case key.Matches(msg, k.NewClient) && s.pick == pickNone:
			if !s.sh.can(providers.CapCreateClient) {
				return s.sh.refuse(providers.CapCreateClient)
			}
			return Push{newClientForm(s.sh, s.input.Value(), nil)}
		}
	}
	before := s.input.Value()
	var c tea.Cmd
	s.input, c = s.input.Update(msg)
	a := cmd(c)
	if s.input.Value() != before {
		s.seq++
		s.err = ""
		a = Then(a, cmd(s.sh.after(debounce, debounceMsg{s.seq})))
	}
	return a
}

// TakeScan picks the scanned card's client when choosing; the ordinary
// search lets the root open the card.
func (s *searchScreen) TakeScan(tag string) (Action, bool) {
	if s.pick == pickNone || !s.sh.can(providers.CapCardLookup) {
		return nil, false
	}
	var a Action
	s.pickReq, a = Run(s.sh, s, s.sh.tr.LabelCard+" "+tag, false, lookupCard(s.sh, tag))
	return a, true
}

func (s *searchScreen) query() string { return strings.TrimSpace(s.input.Value()) }

func (s *searchScreen) clear() Action {
	a := cancelRead(s.pending)
	s.pending, s.results, s.shown, s.err = 0, nil, "", ""
	s.table.SetRows(nil)
	return a
}

// cancelRead cancels a read the screen no longer waits for.
func cancelRead(id int) Action {
	if id == 0 {
		return nil
	}
	return CancelRead{id}
}

// search starts a search for the current query, cancelling the one in
// flight: only the newest answer matters.
func (s *searchScreen) search() Action {
	q := s.query()
	if len([]rune(q)) < 2 {
		return s.clear()
	}
	if q == s.shown && s.pending == 0 {
		return nil
	}
	superseded := cancelRead(s.pending)
	prov := s.sh.prov
	id, a := Run(s.sh, s, fmt.Sprintf("%s «%s»", strings.ToLower(s.sh.tr.KeySearch), q), false,
		func(ctx context.Context) ([]models.Client, error) { return prov.SearchClients(ctx, q, searchLimit) })
	s.pending = id
	s.shown = q
	return Then(superseded, a)
}

// setResults shows a search's answer. The cursor stays on the client it
// was on when that client is still listed: the row the receptionist looks
// at does not change under the key about to press.
func (s *searchScreen) setResults(cs []models.Client) {
	keep := ""
	if i := s.table.Cursor(); i >= 0 && i < len(s.results) {
		keep = s.results[i].ID
	}
	s.results = cs
	rows := make([]components.Row, len(cs))
	cursor := 0
	for i, c := range cs {
		if keep != "" && c.ID == keep {
			cursor = i
		}
		card := ""
		if len(c.Cards) > 0 {
			card = components.Clean(c.Cards[0])
		}
		name := components.Clean(c.FullName())
		if c.Guardian != "" {
			name += " (" + components.Clean(c.Guardian) + ")"
		}
		rows[i] = components.Row{Cells: []string{name, components.FormatPhone(c.Phone), card, c.Birthday.Short()}}
	}
	s.table.SetRows(rows)
	s.table.SetCursor(cursor)
}

// enter opens the selected client. A query whose search has not answered
// yet opens its only result when it comes; a query that found no one and
// has the shape of a card in the club's format is looked up as a card.
// Anything else stays a search: a misspelt surname never becomes a card.
func (s *searchScreen) enter() Action {
	q := s.query()
	if q == "" {
		return nil
	}
	if q == s.shown && s.pending == 0 {
		if len(s.results) > 0 {
			return s.choose(s.results[s.table.Cursor()])
		}
		if s.sh.isCard(q) && s.sh.can(providers.CapCardLookup) {
			return LookupCard{q}
		}
		return nil
	}
	s.openOnResult = true
	return s.search()
}

func (s *searchScreen) choose(c models.Client) Action {
	if s.pick == pickNone {
		return OpenClient{c}
	}
	return Pop{Screen: s, Then: pickedMsg{purpose: s.pick, client: c}}
}

func (s *searchScreen) View() string {
	var b strings.Builder
	b.WriteString(" " + s.memo.input.InputView(s.input) + "\n")
	th := s.sh.th
	// The status line is drawn again only when its words change.
	style, status, more := 0, "", "" // style: 0 dim, 1 error, 2 warn
	switch q := s.query(); {
	case s.err != "":
		style, status = 1, s.err
	case q == "" || len([]rune(q)) < 2:
		status = s.sh.tr.SearchHint
		if !s.sh.can(providers.CapCardLookup) {
			status = s.sh.tr.SearchHintNoCard
		}
	case s.shown == q && s.pending == 0 && len(s.results) == 0:
		style, status = 2, fmt.Sprintf(s.sh.tr.SearchNone, components.Clean(q))
	case len(s.results) > 0:
		status = fmt.Sprintf(s.sh.tr.SearchFound, len(s.results))
		if len(s.results) >= searchLimit {
			more = " — " + fmt.Sprintf(s.sh.tr.SearchMore, searchLimit)
		}
	}
	key := strconv.FormatBool(th.Dark) + "\x00" + strconv.Itoa(s.width) + "\x00" + strconv.Itoa(style) + "\x00" + status + "\x00" + more
	b.WriteString(s.memo.status.Draw(key, func() string {
		line := ""
		if status != "" {
			line = [...]*lipgloss.Style{&th.Dim, &th.Error, &th.Warn}[style].Render(status)
		}
		if more != "" {
			line += th.Dim.Render(more)
		}
		return " " + components.Cut(line, s.width-2) + "\n\n"
	}))
	if len(s.results) > 0 {
		b.WriteString(s.table.Indented())
	}
	return b.String()
}

// lookupCard is the request behind a scan: the client a card is bound to.
func lookupCard(sh *Common, tag string) func(context.Context) (models.Client, error) {
	return LookupCardRequest(sh.prov, tag)
}

// LookupCardRequest is the read behind a scan: the client a card is bound
// to, ErrNotFound when none is.
func LookupCardRequest(prov providers.Provider, tag string) func(context.Context) (models.Client, error) {
	return func(ctx context.Context) (models.Client, error) {
		c, err := prov.ClientByCard(ctx, tag)
		if err != nil && !errors.Is(err, providers.ErrNotFound) {
			return c, fmt.Errorf("card %s: %w", tag, err)
		}
		return c, err
	}
}

// isCard reports whether typed text has the shape of a card in the club's
// format and length: what can be looked up as one.
func (sh *Common) isCard(text string) bool {
	return len([]rune(strings.TrimSpace(text))) >= sh.minCard && models.AcceptsTag(text, sh.tagFmt)
}

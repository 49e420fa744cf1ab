package ui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// boundMsg reports a card binding the provider confirmed.
type boundMsg struct{}

// bindRequest starts a BindCard write.
func bindRequest(sh *shared, owner screen, c models.Client, tag string) (int, tea.Cmd) {
	prov := sh.prov
	return run(sh, owner, sh.tr.KeyBindCard+": "+tag, true, func(ctx context.Context) (boundMsg, error) {
		return boundMsg{}, prov.BindCard(ctx, c.ID, tag)
	})
}

// bindCardScreen binds a card to the client whose card it was opened from:
// scan the card or type its number.
type bindCardScreen struct {
	sh     *shared
	client models.Client
	input  textinput.Model
	req    int
	tag    string
	err    string
	width  int
}

func newBindCard(sh *shared, c models.Client) *bindCardScreen {
	in := newInput("> ", 32)
	in.Focus()
	return &bindCardScreen{sh: sh, client: c, input: in}
}

func (s *bindCardScreen) Init() tea.Cmd { return nil }
func (s *bindCardScreen) Title() string {
	return s.sh.tr.Screen.BindCard + ": " + clean(s.client.ShortName())
}
func (s *bindCardScreen) Typing() bool     { return true }
func (s *bindCardScreen) SetSize(w, _ int) { s.width = w; s.input.SetWidth(min(w-6, 40)) }
func (s *bindCardScreen) Help() []key.Binding {
	return []key.Binding{s.sh.keys.Confirm, s.sh.keys.Back}
}

// TakeScan: the scanned card is the one to bind.
func (s *bindCardScreen) TakeScan(tag string) (screen, tea.Cmd, bool) {
	s.input.SetValue(tag)
	return s, s.submit(), true
}

func (s *bindCardScreen) submit() tea.Cmd {
	if s.req != 0 {
		return nil
	}
	tag, err := models.NormalizeTag(s.input.Value(), s.sh.tagFmt)
	if err != nil {
		s.err = fmt.Sprintf(s.sh.tr.CardNotRead, clean(s.input.Value()))
		return nil
	}
	s.tag, s.err = tag, ""
	var cmd tea.Cmd
	s.req, cmd = bindRequest(s.sh, s, s.client, tag)
	return cmd
}

func (s *bindCardScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case doneMsg[boundMsg]:
		if !ours(&s.req, msg) {
			return s, nil
		}
		if msg.err != nil {
			s.err = describe(s.sh.tr, msg.err)
			return s, nil
		}
		return s, tea.Batch(pop(reloadMsg{}), toast(models.Green, s.sh.tr.BoundOK, s.tag, clean(s.client.ShortName())))
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, s.sh.keys.Back):
			return s, pop(nil)
		case key.Matches(msg, s.sh.keys.Confirm):
			return s, s.submit()
		}
	}
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	return s, cmd
}

func (s *bindCardScreen) View() string {
	sh := s.sh
	lines := []string{"", " " + sh.tr.BindPrompt, "", " " + s.input.View(), ""}
	if s.err != "" {
		lines = append(lines, " "+sh.th.Error.Render(cut(s.err, s.width-2)))
	}
	return strings.Join(lines, "\n")
}

// unknownCardScreen says a scanned card is not bound and offers to bind it
// to a client chosen by search.
type unknownCardScreen struct {
	sh     *shared
	tag    string
	chosen *models.Client
	req    int
	err    string
	width  int
}

func newUnknownCard(sh *shared, tag string) *unknownCardScreen {
	return &unknownCardScreen{sh: sh, tag: tag}
}

func (s *unknownCardScreen) Init() tea.Cmd    { return nil }
func (s *unknownCardScreen) Title() string    { return s.sh.tr.Screen.UnknownCard }
func (s *unknownCardScreen) Typing() bool     { return false }
func (s *unknownCardScreen) SetSize(w, _ int) { s.width = w }
func (s *unknownCardScreen) Help() []key.Binding {
	if s.chosen != nil {
		return []key.Binding{s.sh.keys.Yes, s.sh.keys.No}
	}
	b := s.sh.keys.Open
	b.SetHelp(b.Help().Key, s.sh.tr.KeyBindCard)
	if !s.sh.can(providers.CapBindCard) {
		return []key.Binding{s.sh.keys.Back}
	}
	return []key.Binding{b, s.sh.keys.Back}
}

func (s *unknownCardScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	k := &s.sh.keys
	switch msg := msg.(type) {
	case pickedMsg:
		if msg.purpose == pickBind {
			c := msg.client
			s.chosen = &c
		}
	case doneMsg[boundMsg]:
		if !ours(&s.req, msg) {
			return s, nil
		}
		if msg.err != nil {
			s.err, s.chosen = describe(s.sh.tr, msg.err), nil
			return s, nil
		}
		c := *s.chosen
		return s, tea.Sequence(pop(nil), openClient(c),
			toast(models.Green, s.sh.tr.BoundOK, s.tag, clean(c.ShortName())))
	case tea.KeyPressMsg:
		if s.chosen != nil && s.req == 0 {
			switch {
			case key.Matches(msg, k.Yes):
				var cmd tea.Cmd
				s.req, cmd = bindRequest(s.sh, s, *s.chosen, s.tag)
				return s, cmd
			case key.Matches(msg, k.No):
				s.chosen = nil
			}
			return s, nil
		}
		switch {
		case key.Matches(msg, k.Back):
			return s, pop(nil)
		case key.Matches(msg, k.Open) && s.sh.can(providers.CapBindCard):
			s.err = ""
			return s, push(newSearch(s.sh, pickBind))
		}
	}
	return s, nil
}

func (s *unknownCardScreen) View() string {
	sh := s.sh
	lines := []string{"", " " + sh.th.Verdict(models.Yellow).Render(fit(" ▲ "+fmt.Sprintf(sh.tr.UnknownCardText, clean(s.tag)), s.width-2)), ""}
	switch {
	case s.chosen != nil:
		lines = append(lines, " "+sh.th.Warn.Render(fmt.Sprintf(sh.tr.BindConfirm, clean(s.tag), clean(s.chosen.FullName()))))
	case !sh.can(providers.CapBindCard):
		lines = append(lines, " "+sh.th.Dim.Render(sh.tr.ErrUnsupported+": "+sh.why(providers.CapBindCard)))
	default:
		lines = append(lines, " "+sh.tr.UnknownCardHint)
	}
	if s.err != "" {
		lines = append(lines, "", " "+sh.th.Error.Render(cut(s.err, s.width-2)))
	}
	return strings.Join(lines, "\n")
}

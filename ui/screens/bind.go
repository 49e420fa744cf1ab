package screens

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/components"
)

// boundMsg reports a card binding the provider confirmed.
type boundMsg struct{}

// bindRequest starts a BindCard write.
func bindRequest(sh *Common, owner Screen, c models.Client, tag string) (int, Action) {
	prov := sh.prov
	return Run(sh, owner, sh.tr.KeyBindCard+": "+tag, true, func(ctx context.Context) (boundMsg, error) {
		return boundMsg{}, prov.BindCard(ctx, c.ID, tag)
	})
}

// bindCardScreen binds a card to the client whose card it was opened from:
// scan the card or type its number.
type bindCardScreen struct {
	base
	sh     *Common
	client models.Client
	input  textinput.Model
	req    int
	tag    string
	err    string
	width  int
}

func newBindCard(sh *Common, c models.Client) *bindCardScreen {
	in := components.NewInput("> ", 32)
	in.Focus()
	return &bindCardScreen{sh: sh, client: c, input: in}
}

func (s *bindCardScreen) Title() string {
	return s.sh.tr.Screen.BindCard + ": " + components.Clean(s.client.ShortName())
}
func (s *bindCardScreen) Typing() bool     { return true }
func (s *bindCardScreen) Kind() Kind       { return KindBindCard }
func (s *bindCardScreen) SetSize(w, _ int) { s.width = w; s.input.SetWidth(min(w-6, 40)) }
func (s *bindCardScreen) Help() []key.Binding {
	return []key.Binding{s.sh.keys.Confirm, s.sh.keys.Back}
}

// TakeScan: the scanned card is the one to bind.
func (s *bindCardScreen) TakeScan(tag string) (Action, bool) {
	s.input.SetValue(tag)
	return s.submit(), true
}

// submit binds what was scanned or typed, if it has the shape of a card in
// the club's format: a word or a short number is refused, never bound.
func (s *bindCardScreen) submit() Action {
	if s.req != 0 {
		return nil
	}
	raw := s.input.Value()
	tag, err := models.NormalizeTag(raw, s.sh.tagFmt)
	if err != nil || !s.sh.isCard(raw) {
		s.err = fmt.Sprintf(s.sh.tr.CardNotRead, components.Clean(raw))
		return nil
	}
	s.tag, s.err = tag, ""
	var a Action
	s.req, a = bindRequest(s.sh, s, s.client, tag)
	return a
}

func (s *bindCardScreen) Update(msg tea.Msg) Action {
	switch msg := msg.(type) {
	case doneMsg[boundMsg]:
		if !ours(&s.req, msg) {
			return nil
		}
		if msg.err != nil {
			s.err = s.sh.describe(msg.err)
			return nil
		}
		return Then(Pop{Screen: s, Then: reloadMsg{}}, toast(models.Green, s.sh.tr.BoundOK, s.tag, components.Clean(s.client.ShortName())))
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, s.sh.keys.Back):
			return Pop{Screen: s}
		case key.Matches(msg, s.sh.keys.Confirm):
			return s.submit()
		}
	}
	var c tea.Cmd
	s.input, c = s.input.Update(msg)
	return cmd(c)
}

func (s *bindCardScreen) View() string {
	sh := s.sh
	lines := []string{"", " " + sh.tr.BindPrompt, "", " " + s.input.View(), ""}
	if s.err != "" {
		lines = append(lines, " "+sh.th.Error.Render(components.Cut(s.err, s.width-2)))
	}
	return strings.Join(lines, "\n")
}

// unknownCardScreen says a scanned card is not bound and offers to bind it
// to a client chosen by search.
type unknownCardScreen struct {
	base
	sh     *Common
	tag    string
	chosen *models.Client
	req    int
	err    string
	width  int
}

func newUnknownCard(sh *Common, tag string) *unknownCardScreen {
	return &unknownCardScreen{sh: sh, tag: tag}
}

// NewUnknownCard says a scanned card is bound to no one and offers to
// bind it.
func NewUnknownCard(sh *Common, tag string) Screen { return newUnknownCard(sh, tag) }

func (s *unknownCardScreen) Title() string    { return s.sh.tr.Screen.UnknownCard }
func (s *unknownCardScreen) Kind() Kind       { return KindUnknownCard }
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

func (s *unknownCardScreen) Update(msg tea.Msg) Action {
	k := s.sh.keys
	switch msg := msg.(type) {
	case pickedMsg:
		if msg.purpose == pickBind {
			c := msg.client
			s.chosen = &c
		}
	case doneMsg[boundMsg]:
		if !ours(&s.req, msg) {
			return nil
		}
		if msg.err != nil {
			s.err, s.chosen = s.sh.describe(msg.err), nil
			return nil
		}
		c := *s.chosen
		return Then(Pop{Screen: s}, OpenClient{c},
			toast(models.Green, s.sh.tr.BoundOK, s.tag, components.Clean(c.ShortName())))
	case tea.KeyPressMsg:
		if s.req != 0 {
			return nil // the binding is on its way
		}
		if s.chosen != nil {
			// A card changes hands on a letter only.
			switch {
			case key.Matches(msg, k.Yes):
				var a Action
				s.req, a = bindRequest(s.sh, s, *s.chosen, s.tag)
				return a
			case key.Matches(msg, k.No, k.Back):
				s.chosen = nil
			}
			return nil
		}
		switch {
		case key.Matches(msg, k.Back):
			return Pop{Screen: s}
		case key.Matches(msg, k.Open) && s.sh.can(providers.CapBindCard):
			s.err = ""
			return Push{newSearch(s.sh, pickBind)}
		}
	}
	return nil
}

func (s *unknownCardScreen) View() string {
	sh := s.sh
	lines := []string{"", " " + sh.th.Verdict(models.Yellow).Render(components.Fit(" ▲ "+fmt.Sprintf(sh.tr.UnknownCardText, components.Clean(s.tag)), s.width-2)), ""}
	switch {
	case s.chosen != nil:
		for _, l := range components.Wrap(fmt.Sprintf(sh.tr.BindConfirm, components.Clean(s.tag), components.Clean(s.chosen.FullName())), s.width-1, " ") {
			lines = append(lines, sh.th.Warn.Render(l))
		}
		lines = append(lines, " "+sh.th.Warn.Render(sh.tr.YesNo))
	case !sh.can(providers.CapBindCard):
		lines = append(lines, " "+sh.th.Dim.Render(sh.tr.ErrUnsupported+": "+sh.why(providers.CapBindCard)))
	default:
		lines = append(lines, " "+sh.tr.UnknownCardHint)
	}
	if s.err != "" {
		lines = append(lines, "", " "+sh.th.Error.Render(components.Cut(s.err, s.width-2)))
	}
	return strings.Join(lines, "\n")
}

// Package cli holds the commands that are not the console: `clubdesk login`,
// `logout` and `doctor`, and the words for a keyring out of reach. They
// speak the desk's languages (package ui/i18n) and never print a secret.
package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/ui/components"
	"github.com/clubdesk/clubdesk/ui/i18n"
	"github.com/clubdesk/clubdesk/ui/styles"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/keys"
	"github.com/clubdesk/clubdesk/keys/redact"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/text"
)

// LoginInput is what `clubdesk login` works with.
type LoginInput struct {
	Language string
	Profile  string
	Provider string
	Store    *keys.Store
	// Build makes the provider over the given secrets, so that what was
	// typed is tried before anything is stored.
	Build func(providers.Secrets) (providers.Provider, error)
	// Stdin, when set, supplies name=value lines instead of the form
	// (scripted set-up); Out receives the messages.
	Stdin io.Reader
	Out   io.Writer
	// Program options for the form (tests run it without a terminal).
	ProgramOptions []tea.ProgramOption
	// ProfileZone is the profile's timezone; ZoneMemory, when set, keeps
	// the zone the CRM gives once the keys are saved, so the first start
	// of the console has the club's clock (providers.ClubZone).
	ProfileZone string
	ZoneMemory  providers.ZoneMemory
}

// pending serves secrets typed during a login ahead of the keyring, so the
// provider can be tried with them before they are stored.
type pending struct {
	vals map[string]string
	base providers.Secrets
}

func (p *pending) Secret(name string) (string, error) {
	if v, ok := p.vals[name]; ok {
		return v, nil
	}
	return p.base.Secret(name)
}

func (p *pending) SetSecret(name, value string) error {
	p.vals[name] = value
	return nil
}

// loginFlow runs a login round by round: the secrets typed as they are,
// the provider's own sign-in where it has one; then one harmless read, and
// only then the keyring.
type loginFlow struct {
	in    LoginInput
	t     *i18n.Texts
	prov  providers.Provider
	auth  providers.Authenticator
	step  providers.LoginStep
	typed *pending
	asked []string
	saved []string
}

func newLoginFlow(in LoginInput) (*loginFlow, []providers.Prompt, error) {
	f := &loginFlow{in: in, t: i18n.For(in.Language), typed: &pending{vals: map[string]string{}, base: in.Store}}
	prov, err := in.Build(f.typed)
	if err != nil {
		return nil, nil, err
	}
	f.prov = prov
	var prompts []providers.Prompt
	for _, s := range keys.Needed(in.Provider) {
		if s.Asked {
			prompts = append(prompts, providers.Prompt{Name: s.Name, Hidden: true})
			f.asked = append(f.asked, s.Name)
		}
	}
	if auth, ok := prov.(providers.Authenticator); ok {
		f.auth = auth
		f.step = auth.LoginStart()
		prompts = append(prompts, f.step.Ask...)
	}
	return f, prompts, nil
}

// answer takes one round's answers and returns the next round's prompts;
// none when the login is verified and stored.
func (f *loginFlow) answer(ctx context.Context, answers map[string]string) ([]providers.Prompt, string, error) {
	// What was typed hidden (a key, a password, an SMS code) is hidden in
	// every text that leaves the process from now on, stored or not.
	for name, v := range answers {
		if f.hidden(name) {
			redact.Remember(strings.TrimSpace(v))
		}
	}
	for _, n := range f.asked {
		if _, asked := answers[n]; !asked {
			continue
		}
		v := strings.TrimSpace(answers[n])
		if v == "" {
			return f.step.Ask, "", fmt.Errorf(f.t.Required, f.label(n))
		}
		f.typed.vals[n] = v
	}
	message := ""
	if f.auth != nil && len(f.step.Ask) > 0 {
		step := f.step
		step.Answers = answers
		next, err := f.auth.Login(ctx, step)
		if err != nil {
			return f.step.Ask, "", err
		}
		f.step, message = next, next.Message.In(f.t.Lang)
		if len(next.Ask) > 0 {
			return next.Ask, message, nil
		}
		maps.Copy(f.typed.vals, next.Secrets)
	}
	if c, ok := f.prov.(providers.Checker); ok {
		if _, err := c.Check(ctx); err != nil {
			return nil, "", f.probe(ctx, err)
		}
	}
	names := slices.Sorted(maps.Keys(f.typed.vals))
	for _, n := range names {
		if err := f.in.Store.Set(n, f.typed.vals[n]); err != nil {
			return nil, "", err
		}
	}
	f.saved = names
	return nil, message, nil
}

// hidden reports whether the answer to a prompt of this round is typed
// hidden: an asked secret, or a hidden step of the provider's sign-in.
func (f *loginFlow) hidden(name string) bool {
	if slices.Contains(f.asked, name) {
		return true
	}
	return slices.ContainsFunc(f.step.Ask, func(p providers.Prompt) bool { return p.Name == name && p.Hidden })
}

// probedError is a check that reached the CRM's web application rather
// than its API, with what the base URL and its neighbour answered.
type probedError struct {
	err   error
	probe providers.BaseProbe
}

func (e *probedError) Error() string { return e.err.Error() }
func (e *probedError) Unwrap() error { return e.err }

// probe adds to a check that answered a web page (providers.ErrNotAPI)
// which address does answer as the API (providers.BaseProber): one
// harmless GET per address, to the same host.
func (f *loginFlow) probe(ctx context.Context, err error) error {
	if !errors.Is(err, providers.ErrNotAPI) {
		return err
	}
	bp, ok := providers.As[providers.BaseProber](f.prov)
	if !ok {
		return err
	}
	p, perr := bp.ProbeBase(ctx)
	if perr != nil && len(p.Tried) == 0 {
		return err
	}
	return &probedError{err: err, probe: p}
}

// Login runs `clubdesk login`: a small form with hidden input, or name=value
// lines from Stdin.
func Login(ctx context.Context, in LoginInput) error {
	t := i18n.For(in.Language)
	if len(keys.Needed(in.Provider)) == 0 {
		fmt.Fprintln(in.Out, fmt.Sprintf(t.LoginNone, in.Provider))
		return nil
	}
	// A keyring that cannot store is found out before anything is typed.
	if err := in.Store.Probe(); err != nil {
		return errors.New(KeyringProblem(in.Language, err, in.Provider))
	}
	flow, prompts, err := newLoginFlow(in)
	if err != nil {
		return err
	}
	if in.Stdin != nil {
		err = loginFromStdin(ctx, flow, prompts, in.Stdin)
	} else {
		err = loginForm(flow, prompts, in)
	}
	if err != nil {
		return flow.wordError(err)
	}
	fmt.Fprintln(in.Out, fmt.Sprintf(t.LoginSaved, strings.Join(flow.saved, ", ")))
	loginZone(ctx, in, flow.prov)
	return nil
}

// loginZone learns the club's time zone from the CRM now that the keys
// work, keeps it for the console's first start and says it.
func loginZone(ctx context.Context, in LoginInput, prov providers.Provider) {
	if in.ZoneMemory == nil {
		return
	}
	if _, ok := providers.As[providers.ZoneReporter](prov); !ok {
		return
	}
	ct := i18n.CLIFor(in.Language)
	crm := prov.Info().Title
	z := providers.ClubZone(ctx, prov, providers.ZoneSetup{Profile: in.ProfileZone, Memory: in.ZoneMemory, AskAlways: true})
	fmt.Fprintln(in.Out, text.Clean(fmt.Sprintf(ct.LoginZone, z.Words(crm).In(in.Language))))
	if z.Disagrees() {
		fmt.Fprintln(in.Out, text.Clean(fmt.Sprintf(ct.ZoneDisagrees, z.Profile, crm, z.CRM, z.CRM)))
	}
}

func (f *loginFlow) label(name string) string {
	if l := f.t.Prompt[name]; l != "" {
		return l
	}
	return name
}

func (f *loginFlow) wordError(err error) error {
	var pe *probedError
	if errors.As(err, &pe) {
		return errors.New(f.wordError(pe.err).Error() + "\n" + text.Clean(pe.probe.Words().In(f.t.Lang)))
	}
	switch {
	case isKeyringDown(err):
		return errors.New(KeyringProblem(f.in.Language, err, f.in.Provider))
	case errors.Is(err, errCancelled):
		return err
	case errors.Is(err, providers.ErrUnauthorized):
		if msg := providers.Explain(err, f.t.Lang); msg != "" {
			return fmt.Errorf("%s: %s", f.t.LoginRejected, components.Clean(msg))
		}
		return errors.New(f.t.LoginRejected)
	}
	if d := components.Describe(f.t, err); d != "" {
		return errors.New(d)
	}
	return err
}

var errCancelled = errors.New("cancelled")

func loginFromStdin(ctx context.Context, f *loginFlow, prompts []providers.Prompt, r io.Reader) error {
	given := map[string]string{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		if !ok {
			return fmt.Errorf("--stdin: a line is not name=value (its name: %q)", components.Clean(strings.TrimSpace(line[:min(len(line), 20)])))
		}
		given[strings.TrimSpace(name)] = strings.TrimSpace(value)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	for len(prompts) > 0 {
		answers := map[string]string{}
		for _, p := range prompts {
			v, ok := given[p.Name]
			if !ok || v == "" {
				return fmt.Errorf(f.t.LoginNoStdin, p.Name)
			}
			answers[p.Name] = v
		}
		rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		next, _, err := f.answer(rctx, answers)
		cancel()
		if err != nil {
			return err
		}
		prompts = next
	}
	return nil
}

// loginRoundMsg is the outcome of one submitted round of the form.
type loginRoundMsg struct {
	next    []providers.Prompt
	message string
	err     error
}

// loginModel is the form: the current round's fields, hidden where the
// answer is a secret.
type loginModel struct {
	flow    *loginFlow
	t       *i18n.Texts
	th      styles.Theme
	title   string
	prompts []providers.Prompt
	inputs  []textinput.Model
	focus   int
	busy    bool
	message string
	err     error
	done    bool
}

func loginForm(f *loginFlow, prompts []providers.Prompt, in LoginInput) error {
	m := &loginModel{flow: f, t: f.t, th: styles.New(true), title: fmt.Sprintf(f.t.LoginTitle, in.Profile, in.Provider)}
	// The provider's first words (Go-CRM: where APP_TOKEN comes from) are
	// shown before anything is typed.
	m.message = f.step.Message.In(f.t.Lang)
	m.ask(prompts)
	final, err := tea.NewProgram(m, in.ProgramOptions...).Run()
	if err != nil {
		return err
	}
	fm := final.(*loginModel)
	if !fm.done {
		if fm.err != nil {
			return fm.err
		}
		return errCancelled
	}
	return nil
}

func (m *loginModel) ask(prompts []providers.Prompt) {
	m.prompts, m.inputs, m.focus = prompts, nil, 0
	for _, p := range prompts {
		in := components.NewInput(components.Fit(m.flow.label(p.Name)+":", 30), 500)
		if p.Hidden {
			in.EchoMode = textinput.EchoPassword
		}
		m.inputs = append(m.inputs, in)
	}
	if len(m.inputs) > 0 {
		m.inputs[0].Focus()
	}
}

func (m *loginModel) Init() tea.Cmd { return nil }

func (m *loginModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case loginRoundMsg:
		m.busy = false
		m.err = msg.err
		if msg.message != "" {
			m.message = msg.message
		}
		if msg.err != nil {
			return m, nil
		}
		if len(msg.next) == 0 {
			m.done = true
			return m, tea.Quit
		}
		m.ask(msg.next)
		return m, nil
	case tea.KeyPressMsg:
		if m.busy {
			if msg.String() == "ctrl+c" {
				return m, tea.Quit
			}
			return m, nil
		}
		switch msg.String() {
		case "ctrl+c", "esc":
			return m, tea.Quit
		case "tab", "down":
			m.move(1)
			return m, nil
		case "shift+tab", "up":
			m.move(-1)
			return m, nil
		case "enter":
			if m.focus < len(m.inputs)-1 {
				m.move(1)
				return m, nil
			}
			return m, m.submit()
		}
	}
	var cmd tea.Cmd
	if len(m.inputs) > 0 {
		m.inputs[m.focus], cmd = m.inputs[m.focus].Update(msg)
	}
	return m, cmd
}

func (m *loginModel) move(d int) {
	if len(m.inputs) == 0 {
		return
	}
	m.inputs[m.focus].Blur()
	m.focus = (m.focus + d + len(m.inputs)) % len(m.inputs)
	m.inputs[m.focus].Focus()
}

func (m *loginModel) submit() tea.Cmd {
	answers := map[string]string{}
	for i, p := range m.prompts {
		answers[p.Name] = strings.TrimSpace(m.inputs[i].Value())
	}
	m.busy, m.err = true, nil
	flow := m.flow
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		next, message, err := flow.answer(ctx, answers)
		return loginRoundMsg{next: next, message: message, err: err}
	}
}

func (m *loginModel) View() tea.View {
	var b strings.Builder
	b.WriteString(m.th.Title.Render(m.title) + "\n\n")
	for i, in := range m.inputs {
		mark := "  "
		if i == m.focus {
			mark = m.th.Focused.Render("› ")
		}
		b.WriteString(mark + in.View() + "\n")
		// Where the secret comes from, under its field.
		if i < len(m.prompts) {
			if where := keys.Where(m.flow.in.Provider, m.prompts[i].Name).In(m.t.Lang); where != "" {
				b.WriteString("    " + m.th.Dim.Render(text.Clean(where)) + "\n")
			}
		}
	}
	b.WriteString("\n")
	switch {
	case m.busy:
		b.WriteString(m.th.Warn.Render("⟳ "+m.t.LoginVerifying) + "\n")
	case m.err != nil:
		b.WriteString(m.th.Error.Render(m.flow.wordError(m.err).Error()) + "\n")
	case m.message != "":
		b.WriteString(components.Clean(m.message) + "\n")
	}
	b.WriteString(m.th.Dim.Render(m.t.LoginHint) + "\n")
	return tea.NewView(b.String())
}

// LogoutInput is what `clubdesk logout` works with.
type LogoutInput struct {
	Language string
	Profile  string
	Provider string
	Store    *keys.Store
	Build    func(providers.Secrets) (providers.Provider, error)
	Out      io.Writer
}

// Logout ends the provider's session where it has one and deletes the
// profile's secrets from the keyring.
func Logout(ctx context.Context, in LogoutInput) error {
	t := i18n.For(in.Language)
	names := keys.Names(in.Provider)
	if len(names) == 0 {
		fmt.Fprintln(in.Out, fmt.Sprintf(t.LogoutNone, in.Profile))
		return nil
	}
	if in.Build != nil {
		if prov, err := in.Build(in.Store); err == nil {
			if lo, ok := prov.(providers.Logouter); ok {
				lctx, cancel := context.WithTimeout(ctx, 15*time.Second)
				if err := lo.Logout(lctx); err != nil {
					fmt.Fprintln(in.Out, components.Describe(t, err))
				}
				cancel()
			}
		}
	}
	for _, n := range names {
		if err := in.Store.Delete(n); err != nil {
			if isKeyringDown(err) {
				return errors.New(KeyringProblem(in.Language, err, in.Provider))
			}
			return err
		}
	}
	fmt.Fprintln(in.Out, fmt.Sprintf(t.LogoutDone, strings.Join(names, ", ")))
	return nil
}

// Package ui is clubdesk's terminal console: one root model that owns the
// screen size, the global keys, the card reader and the status bar, and a
// stack of small screens (search, client card, sale, timetable, roster...)
// that it composes.
//
// Screens never talk to the provider in Update or View: they start requests
// with run, which returns a command, and act on the doneMsg that comes back
// tagged with the request id, dropping answers they no longer wait for.
package ui

import (
	"context"
	"errors"
	"fmt"
	"github.com/charmbracelet/x/ansi"
	"log/slog"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// screen is one page of the console.
type screen interface {
	Init() tea.Cmd
	Update(tea.Msg) (screen, tea.Cmd)
	View() string
	SetSize(width, height int)
	Title() string
	// Help lists the bindings the help line shows for this screen.
	Help() []key.Binding
	// Typing reports whether a text field has focus, so that single-letter
	// global keys are left to it.
	Typing() bool
}

// scanTaker is a screen that wants card scans for itself (binding a card,
// picking a client, marking a roster) instead of the root opening the card.
type scanTaker interface {
	TakeScan(tag string) (screen, tea.Cmd, bool)
}

// Navigation messages: children ask, the root acts.
type (
	pushMsg struct{ s screen }
	popMsg  struct{ then tea.Msg }
	// openClientMsg opens a client's card. The client, as a search or a
	// scan found it, is shown at once and read again with the rest of the
	// card, since a search answer may lack parts (LuckyFit's deposit).
	openClientMsg struct{ client models.Client }
	toastMsg      struct {
		text  string
		level models.Level
	}
	toastExpiredMsg struct{ seq int }
	refreshMsg      struct{}
	sellMsg         struct{}
	clockMsg        struct{}
)

// secondEscAfter is how long after the first the second of two Esc
// presses read at once is handled.
const secondEscAfter = 25 * time.Millisecond

func push(s screen) tea.Cmd    { return func() tea.Msg { return pushMsg{s} } }
func pop(then tea.Msg) tea.Cmd { return func() tea.Msg { return popMsg{then} } }
func openClient(c models.Client) tea.Cmd {
	return func() tea.Msg { return openClientMsg{c} }
}

func toast(level models.Level, format string, args ...any) tea.Cmd {
	text := format
	if len(args) > 0 {
		text = fmt.Sprintf(format, args...)
	}
	return func() tea.Msg { return toastMsg{text, level} }
}

// Options configure the console.
type Options struct {
	Provider providers.Provider
	Language string // ru | en
	Operator string
	// Location overrides the provider's time zone for "today".
	Location *time.Location
	Scanner  ScannerOptions
	// KeyOverrides are the config's [keymap] entries.
	KeyOverrides map[string][]string
	Now          func() time.Time
	Logger       *slog.Logger
	// NoConfig says the desk runs without a config file (the demo club), so
	// the status bar can tell the receptionist.
	NoConfig bool
	// SecretsFromEnv says a secret comes from a CLUBDESK_* variable rather
	// than the keyring; the status bar says so.
	SecretsFromEnv bool
	// Journal is the operation journal the provider's writes go through
	// (journal.Wrap); the console shows what needs checking. Optional.
	Journal *journal.Journal
	// After delivers msg after d; nil means tea.Tick. Tests replace it to
	// run timers at once.
	After func(d time.Duration, msg tea.Msg) tea.Cmd
}

// ScannerOptions describe the card reader.
type ScannerOptions struct {
	MaxGap    time.Duration
	MinLength int
	Prefix    string
	Suffix    string
	TagFormat models.TagFormat
}

// Model is the root of the console.
type Model struct {
	sh    *shared
	stack []screen
	scan  *scanner

	showHelp    bool
	confirmQuit bool
	toast       string
	toastLevel  models.Level
	toastSeq    int

	scanReq int
	scanTag string
	linux   linuxFnKeys

	// The line to the CRM: whether it was down at the last look, and
	// whether a probe is on its way.
	wasOffline bool
	probing    bool
}

// probeEvery is how often a silent CRM is asked whether it is back.
const probeEvery = 10 * time.Second

type (
	probeMsg     struct{}
	probeDoneMsg struct{}
	sentKeptMsg  struct {
		sent int
		err  error
	}
)

// New builds the console. It does no I/O: the first frame never waits for
// the network.
func New(o Options) (*Model, error) {
	if o.Provider == nil {
		return nil, errors.New("ui: no provider")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	tr := textsFor(o.Language)
	keys, err := newKeyMap(tr, o.KeyOverrides)
	if err != nil {
		return nil, err
	}
	info := o.Provider.Info()
	loc := o.Location
	if loc == nil {
		loc = info.Location
	}
	if loc == nil {
		loc = time.Local
	}
	sh := &shared{
		prov: o.Provider, caps: o.Provider.Capabilities(), info: info,
		loc: loc, now: o.Now, tr: tr, th: newTheme(true), dark: true, keys: keys,
		log: o.Logger, tagFmt: o.Scanner.TagFormat, operator: o.Operator,
		width: 80, height: 24, online: true, inflight: map[int]task{},
		after: o.After, noConfig: o.NoConfig, secretsFromEnv: o.SecretsFromEnv, journal: o.Journal,
	}
	if sh.after == nil {
		sh.after = func(d time.Duration, msg tea.Msg) tea.Cmd {
			return tea.Tick(d, func(time.Time) tea.Msg { return msg })
		}
	}
	sh.conn, _ = providers.As[providers.Connectivity](o.Provider)
	sc := o.Scanner
	if sc.MaxGap == 0 {
		sc.MaxGap = 35 * time.Millisecond
	}
	if sc.MinLength == 0 {
		sc.MinLength = 6
	}
	m := &Model{
		sh:   sh,
		scan: newScanner(scanConfig{MaxGap: sc.MaxGap, MinLength: sc.MinLength, Prefix: sc.Prefix, Suffix: sc.Suffix}),
	}
	m.stack = []screen{newSearch(sh, pickNone)}
	if pendingCount(sh) > 0 {
		// What an earlier session left unanswered comes first: nothing is
		// repeated before it is checked.
		m.stack = append(m.stack, newJournal(sh))
	}
	m.resize()
	return m, nil
}

// Init starts the first screen and the clock.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.top().Init(), m.tick(), tea.RequestBackgroundColor)
}

func (m *Model) top() screen { return m.stack[len(m.stack)-1] }

// contentHeight is what screens get: the header, help and status lines are
// the root's.
func (m *Model) contentHeight() int { return max(m.sh.height-3, 1) }

func (m *Model) resize() {
	for _, s := range m.stack {
		s.SetSize(m.sh.width, m.contentHeight())
	}
}

func (m *Model) tick() tea.Cmd {
	now := m.sh.now()
	next := now.Truncate(time.Minute).Add(time.Minute)
	return m.sh.after(next.Sub(now), clockMsg{})
}

// watchLine follows the line to the CRM: while it is down a probe asks
// every few seconds; when it comes back the kept marks are sent and what
// went unanswered meanwhile is pointed out.
func (m *Model) watchLine() tea.Cmd {
	off := m.sh.offline()
	was := m.wasOffline
	m.wasOffline = off
	var cmds []tea.Cmd
	if off && !m.probing && m.sh.conn != nil {
		m.probing = true
		cmds = append(cmds, m.sh.after(probeEvery, probeMsg{}))
	}
	if was && !off {
		if c := m.sh.conn; c != nil && c.Queued() > 0 {
			cmds = append(cmds, func() tea.Msg {
				ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
				defer cancel()
				n, err := c.SendQueued(ctx)
				return sentKeptMsg{n, err}
			})
		}
		if n := pendingCount(m.sh); n > 0 {
			cmds = append(cmds, toast(models.Yellow, m.sh.tr.J.NeedCheckF, n, m.sh.keys.Journal.Help().Key))
		}
	}
	return tea.Batch(cmds...)
}

// Update routes messages: keys through the scanner, results to the screens
// that wait for them, navigation to the stack.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	msg, swallowed := m.linux.translate(msg)
	if swallowed {
		return m, nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && k.Code == tea.KeyEscape && k.Mod == tea.ModAlt {
		// Two Esc presses that arrive in one read — a quick double tap, or
		// an SSH link bunching keys — decode as Alt+Esc, which nobody means
		// at a desk: they are two steps back. The second follows a moment
		// later, so that it reaches the screen the first one went back to
		// (a step back is a command, popMsg).
		esc := tea.KeyPressMsg{Code: tea.KeyEscape}
		_, first := m.Update(esc)
		return m, tea.Batch(first, tea.Tick(secondEscAfter, func(time.Time) tea.Msg { return esc }))
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.sh.width, m.sh.height = msg.Width, msg.Height
		m.resize()
		return m, nil
	case tea.BackgroundColorMsg:
		m.sh.th, m.sh.dark = newTheme(msg.IsDark()), msg.IsDark()
		return m, nil
	case clockMsg:
		return m, tea.Batch(m.tick(), m.watchLine())
	case probeMsg:
		c := m.sh.conn
		return m, func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
			defer cancel()
			_ = c.Probe(ctx)
			return probeDoneMsg{}
		}
	case probeDoneMsg:
		m.probing = false
		return m, m.watchLine()
	case sentKeptMsg:
		if msg.err != nil {
			return m, tea.Batch(toast(models.Yellow, "%s: %s", m.sh.tr.J.SendFailed, describe(m.sh.tr, msg.err)), m.watchLine())
		}
		return m, tea.Batch(toast(models.Green, m.sh.tr.J.SentQueued, msg.sent), m.updateTop(refreshMsg{}))
	case tea.KeyPressMsg:
		return m, m.onKey(msg)
	case scanFlushMsg:
		return m, m.deliverKeys(m.scan.Flush(msg.seq, m.sh.now()))
	case tea.PasteMsg:
		if step, ok := m.scan.Paste(msg.Content, m.top().Typing(), m.sh.now()); ok {
			return m, m.onScan(step)
		}
		return m, m.updateTop(msg)
	case toastMsg:
		m.toastSeq++
		m.toast, m.toastLevel = msg.text, msg.level
		seq := m.toastSeq
		return m, m.sh.after(6*time.Second, toastExpiredMsg{seq})
	case toastExpiredMsg:
		if msg.seq == m.toastSeq {
			m.toast = ""
		}
		return m, nil
	case pushMsg:
		msg.s.SetSize(m.sh.width, m.contentHeight())
		m.stack = append(m.stack, msg.s)
		return m, msg.s.Init()
	case popMsg:
		return m, m.pop(msg.then)
	case openClientMsg:
		return m, m.openCard(msg)
	case manualCardMsg:
		return m, m.onScan(scanStep{Scan: msg.raw})
	case doneMsg[models.Client]:
		if msg.id == m.scanReq {
			m.sh.finish(msg.id, msg.err)
			return m, m.onScanLookup(msg)
		}
	}
	if f, ok := msg.(finished); ok {
		m.sh.finish(f.taskID(), f.taskErr())
		return m, tea.Batch(m.broadcast(msg), m.watchLine())
	}
	return m, m.updateTop(msg)
}

func (m *Model) updateTop(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	m.stack[len(m.stack)-1], cmd = m.top().Update(msg)
	return cmd
}

// broadcast hands a result to every screen on the stack: the one that asked
// recognises its request id, the others ignore it.
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for i := range m.stack {
		var cmd tea.Cmd
		m.stack[i], cmd = m.stack[i].Update(msg)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

func (m *Model) pop(then tea.Msg) tea.Cmd {
	if len(m.stack) == 1 {
		if then != nil {
			return m.updateTop(then)
		}
		return nil
	}
	m.sh.cancelOwned(m.top())
	m.stack = m.stack[:len(m.stack)-1]
	if then != nil {
		return m.updateTop(then)
	}
	return nil
}

// home returns to the bottom of the stack (search) or replaces everything
// above it with s.
func (m *Model) home(s screen) tea.Cmd {
	for len(m.stack) > 1 {
		m.sh.cancelOwned(m.top())
		m.stack = m.stack[:len(m.stack)-1]
	}
	if s == nil {
		return m.updateTop(focusMsg{})
	}
	s.SetSize(m.sh.width, m.contentHeight())
	m.stack = append(m.stack, s)
	return s.Init()
}

func (m *Model) openCard(msg openClientMsg) tea.Cmd {
	if _, isCard := m.top().(*cardScreen); isCard {
		m.sh.cancelOwned(m.top())
		m.stack = m.stack[:len(m.stack)-1]
	}
	c := newCard(m.sh, msg.client)
	c.SetSize(m.sh.width, m.contentHeight())
	m.stack = append(m.stack, c)
	return c.Init()
}

func (m *Model) onKey(k tea.KeyPressMsg) tea.Cmd {
	if m.confirmQuit {
		switch {
		case key.Matches(k, m.sh.keys.Yes):
			return tea.Quit
		case key.Matches(k, m.sh.keys.No), k.String() == "ctrl+c":
			m.confirmQuit = false
		}
		return nil
	}
	if k.String() == "ctrl+c" || key.Matches(k, m.sh.keys.Quit) {
		m.scan.take()
		return m.quit()
	}
	step := m.scan.Key(k, m.sh.now())
	cmd := m.deliverKeys(step.Release)
	switch {
	case step.Scan != "":
		return tea.Batch(cmd, m.onScan(step))
	case step.FlushIn > 0:
		seq := step.Seq
		return tea.Batch(cmd, m.sh.after(step.FlushIn, scanFlushMsg{seq}))
	}
	return cmd
}

func (m *Model) quit() tea.Cmd {
	if _, write := m.sh.busy(); write {
		m.confirmQuit = true
		return nil
	}
	return tea.Quit
}

func (m *Model) deliverKeys(keys []tea.KeyPressMsg) tea.Cmd {
	var cmds []tea.Cmd
	for _, k := range keys {
		cmds = append(cmds, m.routeKey(k))
	}
	return tea.Batch(cmds...)
}

// routeKey applies global keys, then gives the key to the top screen.
func (m *Model) routeKey(k tea.KeyPressMsg) tea.Cmd {
	keys := &m.sh.keys
	m.toast = ""
	if m.showHelp {
		if key.Matches(k, keys.Help, keys.Back) {
			m.showHelp = false
		}
		return nil
	}
	typing := m.top().Typing()
	switch {
	case key.Matches(k, keys.Help) && (!typing || k.Text == ""):
		m.showHelp = true
		return nil
	case key.Matches(k, keys.Search):
		return m.home(nil)
	case key.Matches(k, keys.Calendar):
		if !m.sh.can(providers.CapCalendar) {
			return m.sh.refuse(providers.CapCalendar)
		}
		return m.home(newCalendar(m.sh, nil))
	case key.Matches(k, keys.Report):
		if !m.sh.can(providers.CapShiftReport) {
			return m.sh.refuse(providers.CapShiftReport)
		}
		return m.home(newReport(m.sh))
	case key.Matches(k, keys.Journal):
		if _, open := m.top().(*journalScreen); open {
			return nil
		}
		return m.home(newJournal(m.sh))
	case key.Matches(k, keys.Refresh):
		return m.updateTop(refreshMsg{})
	case key.Matches(k, keys.Sell):
		if _, onCard := m.top().(*cardScreen); !onCard {
			return toast(models.Yellow, "%s", m.sh.tr.OpenClientFirst)
		}
		return m.updateTop(sellMsg{})
	}
	return m.updateTop(k)
}

// onScan handles a complete card scan: a screen that takes scans gets it;
// otherwise the card's client opens.
func (m *Model) onScan(step scanStep) tea.Cmd {
	if step.Repeat {
		return nil
	}
	tag, err := models.NormalizeTag(step.Scan, m.sh.tagFmt)
	if err != nil {
		return toast(models.Red, m.sh.tr.CardNotRead, clean(step.Scan))
	}
	if taker, ok := m.top().(scanTaker); ok {
		s, cmd, took := taker.TakeScan(tag)
		m.stack[len(m.stack)-1] = s
		if took {
			return cmd
		}
	}
	if !m.sh.can(providers.CapCardLookup) {
		return m.sh.refuse(providers.CapCardLookup)
	}
	m.scanTag = tag
	var cmd tea.Cmd
	m.scanReq, cmd = run(m.sh, nil, m.sh.tr.LabelCard+" "+tag, false, lookupCard(m.sh, tag))
	return cmd
}

func (m *Model) onScanLookup(msg doneMsg[models.Client]) tea.Cmd {
	m.scanReq = 0
	switch {
	case msg.err == nil:
		return m.openCard(openClientMsg{client: msg.val})
	case errors.Is(msg.err, providers.ErrNotFound):
		if _, same := m.top().(*unknownCardScreen); same {
			m.stack = m.stack[:len(m.stack)-1]
		}
		s := newUnknownCard(m.sh, m.scanTag)
		s.SetSize(m.sh.width, m.contentHeight())
		m.stack = append(m.stack, s)
		return s.Init()
	}
	return toast(models.Red, "%s", describe(m.sh.tr, msg.err))
}

// View draws the header, the top screen (or the full help), the help line
// and the status bar.
func (m *Model) View() tea.View {
	sh := m.sh
	var b strings.Builder
	b.WriteString(m.header())
	b.WriteByte('\n')
	body := ""
	if m.showHelp {
		body = m.fullHelp()
	} else {
		body = m.top().View()
	}
	b.WriteString(fitLines(body, sh.width, m.contentHeight()))
	b.WriteByte('\n')
	b.WriteString(m.helpLine())
	b.WriteByte('\n')
	b.WriteString(m.statusBar())
	v := tea.NewView(b.String())
	v.AltScreen = true
	v.WindowTitle = "clubdesk"
	return v
}

// fitLines pads or cuts s to exactly height lines of at most width cells, so
// that a screen can never push the status bar off the terminal.
func fitLines(s string, width, height int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		lines[i] = cut(l, width)
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

func (m *Model) header() string {
	sh := m.sh
	left := " clubdesk · " + m.top().Title()
	if m.showHelp {
		left = " clubdesk · " + sh.tr.Screen.Help
	}
	right := sh.tr.longDate(sh.now().In(sh.loc)) + " "
	return sh.th.Header.Render(spread(left, right, sh.width))
}

func (m *Model) helpLine() string {
	sh := m.sh
	switch {
	case m.confirmQuit:
		label, _ := sh.busy()
		return sh.th.Error.Render(cut(" "+fmt.Sprintf(sh.tr.QuitConfirm, label), sh.width))
	case m.toast != "":
		return sh.th.Level(m.toastLevel).Render(cut(" "+levelMark(m.toastLevel)+" "+clean(m.toast), sh.width))
	case m.showHelp:
		return sh.th.Help.Render(" " + sh.tr.HelpClose)
	}
	return " " + shortHelp(sh, m.top().Help(), sh.width-1)
}

// shortHelp renders "key desc · key desc" as far as the width allows,
// leaving out what does not fit. The help key always ends the line, so the
// keys left out are one press away; it says "more" when some were.
func shortHelp(sh *shared, bindings []key.Binding, width int) string {
	type item struct{ key, desc string }
	var shown []item
	help := sh.keys.Help.Help()
	helpItem := item{help.Key, help.Desc}
	room := width
	if sh.keys.Help.Enabled() {
		room -= max(helpWidth(help.Key, help.Desc), helpWidth(help.Key, sh.tr.KeyAllKeys)) + 3
	}
	used, left := 0, false
	for _, kb := range bindings {
		if !kb.Enabled() {
			continue
		}
		h := kb.Help()
		w := helpWidth(h.Key, h.Desc)
		sep := 0
		if used > 0 {
			sep = 3
		}
		if used+sep+w > room {
			left = true
			continue // a shorter one further on (Esc) may still fit
		}
		shown = append(shown, item{h.Key, h.Desc})
		used += sep + w
	}
	if sh.keys.Help.Enabled() {
		if left {
			helpItem.desc = sh.tr.KeyAllKeys
		}
		shown = append(shown, helpItem)
	}
	var b strings.Builder
	for i, it := range shown {
		if i > 0 {
			b.WriteString(sh.th.Help.Render(" · "))
		}
		b.WriteString(sh.th.HelpKey.Render(it.key) + " " + sh.th.Help.Render(it.desc))
	}
	return b.String()
}

// helpWidth is how many cells "key desc" takes.
func helpWidth(key, desc string) int { return ansi.StringWidth(key + " " + desc) }

func (m *Model) statusBar() string {
	sh := m.sh
	parts := []string{sh.info.Title}
	if sh.info.Demo {
		parts[0] = sh.tr.Demo
		if sh.noConfig {
			parts[0] += " (" + sh.tr.NoConfig + ")"
		}
	}
	if sh.info.Branch != "" {
		parts = append(parts, clean(sh.info.Branch))
	}
	if sh.operator != "" {
		parts = append(parts, clean(sh.operator))
	}
	if sh.secretsFromEnv {
		parts = append(parts, sh.tr.SecretsFromEnv)
	}
	left := " " + strings.Join(parts, " · ")
	if n := pendingCount(sh); n > 0 {
		left = " " + sh.th.Error.Render("⚠ "+fmt.Sprintf(sh.tr.J.NeedCheck, n)+" ("+sh.keys.Journal.Help().Key+")") + sh.th.Status.Render(left)
	}
	conn := "● " + sh.tr.Online
	switch {
	case sh.conn != nil:
		if since, seen, off := sh.conn.Offline(); off {
			shown := "—"
			if !seen.IsZero() {
				shown = sh.clock(seen)
			}
			conn = "○ " + fmt.Sprintf(sh.tr.J.OfflineSince, sh.clock(since), shown)
		}
		if n := sh.conn.Queued(); n > 0 {
			conn += " · " + fmt.Sprintf(sh.tr.J.QueuedN, n)
		}
	case !sh.online:
		conn = "○ " + sh.tr.Offline
	}
	if label, write := sh.busy(); label != "" {
		verb := sh.tr.Loading
		if write {
			verb = sh.tr.Sending
		}
		conn = "⟳ " + verb + ": " + clean(label) + " │ " + conn
	}
	right := conn + " │ " + sh.clock(sh.now()) + " "
	return sh.th.Status.Render(spread(left, right, sh.width))
}

func (m *Model) fullHelp() string {
	sh := m.sh
	k := &sh.keys
	global := []key.Binding{k.Help, k.Search, k.Calendar, k.Sell, k.Refresh, k.Report, k.Journal, k.Back, k.Tab, k.Quit}
	var b strings.Builder
	b.WriteString(sh.th.Section.Render(sh.tr.HelpGlobal) + "\n")
	writeBindings(&b, sh, global)
	b.WriteString("\n" + sh.th.Section.Render(sh.tr.HelpScreen+": "+m.top().Title()) + "\n")
	writeBindings(&b, sh, m.top().Help())
	return b.String()
}

func writeBindings(b *strings.Builder, sh *shared, bindings []key.Binding) {
	seen := map[string]bool{}
	for _, kb := range bindings {
		h := kb.Help()
		if !kb.Enabled() || seen[h.Key+h.Desc] {
			continue
		}
		seen[h.Key+h.Desc] = true
		b.WriteString("  " + sh.th.HelpKey.Render(fit(h.Key, 16)) + " " + h.Desc + "\n")
	}
}

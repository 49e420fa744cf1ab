// Package ui is clubdesk's terminal console: one root model that owns the
// screen size, the global keys, the card reader, the requests in flight
// and the line to the CRM, and a stack of small screens (package screens)
// that it composes, with the chrome around them (chrome.go).
//
// Everything a screen asks of the root — going back, opening a card, a
// toast, a request — comes back from the screen's Update as an action and
// is applied in the same Update, before the next key is read: keys that
// arrive together (an SSH link bunches them) act on the screen they were
// meant for. Screens never talk to the provider in Update or View; their
// requests run as commands and answer with a message tagged with the
// request's id.
package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
	"unicode"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/components"
	"github.com/clubdesk/clubdesk/ui/i18n"
	"github.com/clubdesk/clubdesk/ui/keymap"
	"github.com/clubdesk/clubdesk/ui/scanner"
	"github.com/clubdesk/clubdesk/ui/screens"
	"github.com/clubdesk/clubdesk/ui/styles"
)

// Options configure the console.
type Options struct {
	Provider providers.Provider
	Language string // ru | en
	Operator string
	// Location overrides the provider's time zone for "today".
	Location *time.Location
	// Zone says where Location came from (the profile, the CRM, the
	// adapter's default), for the status bar and the help.
	Zone    *providers.Zone
	Scanner ScannerOptions
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
	// Rush is how the desk behaves at rush hour (the config's [desk]).
	Rush RushOptions
	// After delivers msg after d; nil means tea.Tick. Tests replace it to
	// run timers at once.
	After func(d time.Duration, msg tea.Msg) tea.Cmd

	// What clubdesk serve sets for a session over SSH.
	//
	// IdleLock, when positive, locks the console after that long without
	// a key: the screen shows only who is logged in, and the next key
	// opens it again (nothing is asked: the SSH key was).
	IdleLock time.Duration
	// Desk is where the session comes from, for the lock screen.
	Desk string
	// NoMoney, when set, is why the operator may not take money: F4 says
	// it at once (the provider under the console refuses every money
	// write with it too).
	NoMoney error
	// NoOverride, when set, is why the operator may not let a client in
	// past a red verdict: the card says it at once, before asking the
	// reason (the provider under the console refuses such a check-in
	// with it too).
	NoOverride error
}

// Notice is a message from outside the console (clubdesk serve's
// graceful stop) shown as a toast of its level.
type Notice struct {
	Level models.Level
	Text  string
}

// ScannerOptions describe the card reader.
type ScannerOptions struct {
	MaxGap    time.Duration
	MinLength int
	Prefix    string
	Suffix    string
	TagFormat models.TagFormat
}

// RushOptions are the config's [desk] switches.
type RushOptions = screens.RushSettings

// task is a request in flight.
type task struct {
	label  string
	write  bool
	owner  screens.Screen
	cancel func()
}

// Model is the root of the console.
type Model struct {
	sh    *screens.Common
	tr    *i18n.Texts
	keys  *keymap.KeyMap
	th    *styles.Theme
	info  providers.Info
	stack []screens.Screen
	scan  *scanner.Scanner
	linux scanner.LinuxFnKeys

	width, height int
	noConfig      bool
	fromEnv       bool
	zone          *providers.Zone
	operator      string

	showHelp    bool
	helpOffset  int // the first line of the full help shown, on a short terminal
	confirmQuit bool
	toast       string
	toastLevel  models.Level
	toastSeq    int
	toastAt     time.Time // when the toast was shown (toastUnread)

	// tasks are the requests in flight, by id.
	tasks map[int]task
	// scanReq is the lookup of a scanned card in flight (0: none), for
	// the card scanTag; keys pressed meanwhile do not reach the screen
	// below it.
	scanReq int
	scanTag string

	// The line to the CRM: whether it answered the last request (where
	// no offline desk says), whether it was down at the last look, and
	// whether a probe is on its way.
	online     bool
	wasOffline bool
	probing    bool
	// sendKept says kept marks wait to be sent once the CRM answers.
	sendKept bool

	// The idle lock (Options.IdleLock): when the last key came, and
	// whether the console is locked.
	idleLock time.Duration
	lastKey  time.Time
	locked   bool
	desk     string
	noMoney  error
	// chrome is the last frame's lines kept for the next (View is called
	// after every message).
	chrome chromeMemo
}

// probeEvery is how often a silent CRM is asked whether it is back.
const probeEvery = 10 * time.Second

type (
	clockMsg     struct{}
	probeMsg     struct{}
	probeDoneMsg struct{}
	sentKeptMsg  struct {
		sent int
		err  error
	}
	toastExpiredMsg struct{ seq int }
	// idleMsg asks whether the console has been idle for IdleLock.
	idleMsg struct{}
	// scanLookupMsg answers the lookup of a scanned card.
	scanLookupMsg struct {
		id     int
		client models.Client
		err    error
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
	tr := i18n.For(o.Language)
	keys, err := keymap.New(tr, o.KeyOverrides)
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
	if o.After == nil {
		o.After = func(d time.Duration, msg tea.Msg) tea.Cmd {
			return tea.Tick(d, func(time.Time) tea.Msg { return msg })
		}
	}
	th := styles.New(true)
	sc := o.Scanner
	m := &Model{
		tr: tr, keys: &keys, th: &th, info: info,
		width: 80, height: 24, noConfig: o.NoConfig, fromEnv: o.SecretsFromEnv, operator: o.Operator, zone: o.Zone,
		tasks: map[int]task{}, online: true, sendKept: true,
		idleLock: o.IdleLock, lastKey: o.Now(), desk: o.Desk, noMoney: o.NoMoney,
		scan: scanner.New(scanner.Config{MaxGap: sc.MaxGap, MinLength: sc.MinLength, Prefix: sc.Prefix, Suffix: sc.Suffix, Format: sc.TagFormat}),
	}
	minCard := sc.MinLength
	if minCard == 0 {
		minCard = 6
	}
	m.sh = screens.NewCommon(screens.CommonOptions{
		Provider: o.Provider, Journal: o.Journal, Location: loc, Now: o.Now, Texts: tr, Theme: m.th, Keys: m.keys,
		Logger: o.Logger, TagFormat: sc.TagFormat, MinCard: minCard, Operator: o.Operator, Desk: o.Desk, NoOverride: o.NoOverride, After: o.After, Rush: o.Rush,
	})
	m.stack = []screens.Screen{screens.NewSearch(m.sh)}
	if m.pendingCount() > 0 {
		// What an earlier session left unanswered comes first: nothing is
		// repeated before it is checked.
		m.stack = append(m.stack, screens.NewJournal(m.sh))
	}
	m.resize()
	return m, nil
}

// Init starts the first screen, the clock, the line's watch and the
// adapter's reads ahead (providers.Warmer).
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.apply(m.top().Init()), m.tick(), tea.RequestBackgroundColor, m.watchLine(), warm(m.sh.Provider()), m.armIdle(m.idleLock))
}

// warm asks the adapter to start reading what the desk asks first (today's
// rosters on LuckyFit); it returns at once, the reads go on in the
// adapter.
func warm(p providers.Provider) tea.Cmd {
	w, ok := providers.As[providers.Warmer](p)
	if !ok {
		return nil
	}
	return func() tea.Msg {
		w.Warm()
		return nil
	}
}

// armIdle asks again in d whether the console has been idle long enough.
func (m *Model) armIdle(d time.Duration) tea.Cmd {
	if m.idleLock <= 0 {
		return nil
	}
	return m.sh.After(d, idleMsg{})
}

// onIdle locks the console when no key came for IdleLock; else it looks
// again when that would be.
func (m *Model) onIdle() tea.Cmd {
	if m.locked {
		return nil
	}
	idle := m.sh.Now().Sub(m.lastKey)
	if idle >= m.idleLock {
		m.locked = true
		m.showHelp = false
		return nil
	}
	return m.armIdle(m.idleLock - idle)
}

// unlock opens a locked console.
func (m *Model) unlock() tea.Cmd {
	m.locked = false
	return m.armIdle(m.idleLock)
}

// onLocked is what a locked console makes of what the scanner read: a
// card scanned at it opens the card (a client is at the desk) as it would
// unlocked; anything typed only opens the console and goes nowhere else.
// Keys go through the scanner so that a reader's burst is not cut into
// a first digit that unlocks and a shorter number that is looked up.
func (m *Model) onLocked(step scanner.Step) tea.Cmd {
	switch {
	case step.Scan != "":
		return tea.Batch(m.unlock(), m.onScan(step))
	case len(step.Release) > 0 || step.Refused != "":
		return m.unlock()
	case step.FlushIn > 0:
		return m.sh.After(step.FlushIn, scanner.FlushMsg{Seq: step.Seq})
	}
	return nil
}

func (m *Model) top() screens.Screen { return m.stack[len(m.stack)-1] }

// contentHeight is what screens get: the header, help and status lines are
// the root's.
func (m *Model) contentHeight() int { return max(m.height-3, 1) }

func (m *Model) resize() {
	for _, s := range m.stack {
		s.SetSize(m.width, m.contentHeight())
	}
}

func (m *Model) tick() tea.Cmd {
	now := m.sh.Now()
	next := now.Truncate(time.Minute).Add(time.Minute)
	return m.sh.After(next.Sub(now), clockMsg{})
}

// offline reports whether the CRM is silent: as the offline desk knows it,
// or from the last request's failure.
func (m *Model) offline() bool {
	if c := m.sh.Connectivity(); c != nil {
		_, _, off := c.Offline()
		return off
	}
	return !m.online
}

// watchLine follows the line to the CRM: while it is down a probe asks
// every few seconds; whenever it answers, the marks kept meanwhile — in
// this run or an earlier one — are sent, and what went unanswered is
// pointed out.
func (m *Model) watchLine() tea.Cmd {
	off := m.offline()
	was := m.wasOffline
	m.wasOffline = off
	var cmds []tea.Cmd
	conn := m.sh.Connectivity()
	if off && !m.probing && conn != nil {
		m.probing = true
		cmds = append(cmds, m.sh.After(probeEvery, probeMsg{}))
	}
	if was && !off {
		m.sendKept = true
		if n := m.pendingCount(); n > 0 {
			cmds = append(cmds, m.showToast(models.Yellow, m.tr.J.NeedCheckF, n, m.keys.Journal.Help().Key))
		}
	}
	if !off && m.sendKept && conn != nil && conn.Queued() > 0 {
		m.sendKept = false
		cmds = append(cmds, func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), screens.WriteTimeout)
			defer cancel()
			n, err := conn.SendQueued(ctx)
			return sentKeptMsg{n, err}
		})
	}
	return tea.Batch(cmds...)
}

// Update routes messages: keys through the scanner, results to the screens
// that wait for them; what a screen asks for is applied before the next
// message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	msg, swallowed := m.linux.Translate(msg)
	if swallowed {
		return m, nil
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		return m, nil
	case tea.BackgroundColorMsg:
		*m.th = styles.New(msg.IsDark())
		m.chrome = chromeMemo{}
		return m, nil
	case clockMsg:
		return m, tea.Batch(m.tick(), m.watchLine())
	case probeMsg:
		c := m.sh.Connectivity()
		return m, func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), screens.ReadTimeout)
			defer cancel()
			_ = c.Probe(ctx)
			return probeDoneMsg{}
		}
	case probeDoneMsg:
		m.probing = false
		return m, m.watchLine()
	case sentKeptMsg:
		if msg.err != nil {
			m.sendKept = true // asked again when the CRM next answers
			return m, tea.Batch(m.showToast(models.Yellow, "%s: %s", m.tr.J.SendFailed, components.Describe(m.tr, msg.err)), m.watchLine())
		}
		if msg.sent == 0 {
			return m, nil
		}
		return m, tea.Batch(m.showToast(models.Green, m.tr.J.SentQueued, msg.sent), m.deliver(m.top(), screens.Refresh{}))
	case idleMsg:
		return m, m.onIdle()
	case Notice:
		return m, m.showToast(msg.Level, "%s", components.Clean(msg.Text))
	case tea.KeyPressMsg:
		m.lastKey = m.sh.Now()
		if m.locked && msg.String() != "ctrl+c" {
			return m, m.onLocked(m.scan.Key(withoutAlt(msg), m.sh.Now()))
		}
		return m, m.onKeys(msg)
	case scanner.FlushMsg:
		if m.locked {
			return m, m.onLocked(m.scan.Flush(msg.Seq, m.sh.Now()))
		}
		return m, m.onStep(m.scan.Flush(msg.Seq, m.sh.Now()))
	case tea.PasteMsg:
		m.lastKey = m.sh.Now()
		if m.locked {
			if step, ok := m.scan.Paste(msg.Content, false, m.sh.Now()); ok {
				return m, m.onLocked(step)
			}
			return m, m.unlock()
		}
		if step, ok := m.scan.Paste(msg.Content, m.top().Typing(), m.sh.Now()); ok {
			return m, m.onScan(step)
		}
		return m, m.deliver(m.top(), msg)
	case toastExpiredMsg:
		if msg.seq == m.toastSeq && m.toastLevel != models.Red {
			m.toast = ""
		}
		return m, nil
	case scanLookupMsg:
		return m, m.onScanLookup(msg)
	case screens.Finished:
		return m, m.finished(msg)
	}
	return m, m.deliver(m.top(), msg)
}

// finished closes a request and hands its result to every screen on the
// stack: the one that asked recognises its id. A write whose screen was
// left meanwhile still reaches the receptionist, as a toast.
func (m *Model) finished(f screens.Finished) tea.Cmd {
	id, err := f.TaskID(), f.TaskErr()
	t, known := m.tasks[id]
	m.closeTask(id, err)
	var cmds []tea.Cmd
	if known && t.write && !m.onStack(t.owner) {
		cmds = append(cmds, m.orphanOutcome(t, err))
	}
	for _, s := range m.stack {
		cmds = append(cmds, m.deliver(s, f))
	}
	if _, write := m.busy(); m.confirmQuit && !write {
		m.confirmQuit = false // nothing left to wait for: F10 quits at once now
	}
	cmds = append(cmds, m.watchLine())
	return tea.Batch(cmds...)
}

// orphanOutcome words the outcome of a write whose screen is gone.
func (m *Model) orphanOutcome(t task, err error) tea.Cmd {
	label := components.Clean(t.label)
	switch {
	case err == nil:
		return m.showToast(models.Green, m.tr.WriteDone, label)
	case components.UnknownOutcome(err):
		return m.showToast(models.Red, m.tr.WriteUnknown, label)
	}
	return m.showToast(components.FailLevel(err), m.tr.WriteFailed, label, components.Describe(m.tr, err))
}

func (m *Model) onStack(s screens.Screen) bool {
	for _, x := range m.stack {
		if x == s {
			return true
		}
	}
	return false
}

// closeTask forgets a request and notes what its outcome says about the
// line to the provider.
func (m *Model) closeTask(id int, err error) {
	if t, ok := m.tasks[id]; ok {
		t.cancel()
		delete(m.tasks, id)
	}
	switch {
	case err == nil:
		m.online = true
		// The branch's name may arrive with the first answer (YCLIENTS'
		// company title); the zone does not change here: "today" is
		// fixed at start.
		m.info.Branch = m.sh.Provider().Info().Branch
	case components.IsConnectionError(err):
		m.online = false
	}
}

// deliver hands msg to screen s and applies what it asks for.
func (m *Model) deliver(s screens.Screen, msg tea.Msg) tea.Cmd {
	return m.apply(s.Update(msg))
}

// apply carries out a screen's action at once, in order; what it returns
// is I/O only.
func (m *Model) apply(a screens.Action) tea.Cmd {
	switch a := a.(type) {
	case nil:
		return nil
	case screens.Batch:
		cmds := make([]tea.Cmd, 0, len(a))
		for _, x := range a {
			cmds = append(cmds, m.apply(x))
		}
		return tea.Batch(cmds...)
	case screens.Do:
		return a.Cmd
	case screens.Start:
		m.tasks[a.ID] = task{label: a.Label, write: a.Write, owner: a.Owner, cancel: a.Cancel}
		return a.Cmd
	case screens.CancelRead:
		m.cancelRead(a.ID)
		return nil
	case screens.Push:
		return m.push(a.Screen)
	case screens.Pop:
		return m.pop(a.Screen, a.Then)
	case screens.Home:
		return m.home(a.Screen)
	case screens.OpenClient:
		return m.openCard(a.Client)
	case screens.Toast:
		return m.showToast(a.Level, "%s", a.Text)
	case screens.LookupCard:
		return m.onScan(scanner.Step{Scan: a.Raw})
	}
	return nil
}

func (m *Model) push(s screens.Screen) tea.Cmd {
	s.SetSize(m.width, m.contentHeight())
	m.stack = append(m.stack, s)
	return m.apply(s.Init())
}

// pop closes s when it is the top — never another screen — and hands then
// to the screen below.
func (m *Model) pop(s screens.Screen, then tea.Msg) tea.Cmd {
	if len(m.stack) == 1 || m.top() != s {
		return nil
	}
	m.drop()
	if then != nil {
		return m.deliver(m.top(), then)
	}
	return nil
}

// drop takes the top screen off and cancels its reads. Writes are never
// cancelled: their outcome must be learnt.
func (m *Model) drop() {
	owner := m.top()
	for id, t := range m.tasks {
		if t.owner == owner && !t.write {
			t.cancel()
			delete(m.tasks, id)
		}
	}
	m.stack = m.stack[:len(m.stack)-1]
}

// cancelRead cancels one read (a superseded search).
func (m *Model) cancelRead(id int) {
	if t, ok := m.tasks[id]; ok && !t.write {
		t.cancel()
		delete(m.tasks, id)
	}
}

// home returns to the search at the bottom of the stack and opens s above
// it (the search starts over when s is nil).
func (m *Model) home(s screens.Screen) tea.Cmd {
	for len(m.stack) > 1 {
		m.drop()
	}
	if s == nil {
		return m.deliver(m.top(), screens.Focus{})
	}
	return m.push(s)
}

func (m *Model) openCard(c models.Client) tea.Cmd {
	if m.top().Kind() == screens.KindCard {
		m.drop()
	}
	return m.push(screens.NewCard(m.sh, c))
}

// toastUnread is how soon after a message a key cannot have been pressed
// in answer to it.
const toastUnread = 300 * time.Millisecond

func (m *Model) showToast(level models.Level, format string, args ...any) tea.Cmd {
	text := format
	if len(args) > 0 {
		text = fmt.Sprintf(format, args...)
	}
	m.toastSeq++
	m.toast, m.toastLevel, m.toastAt = text, level, m.sh.Now()
	return m.sh.After(6*time.Second, toastExpiredMsg{m.toastSeq})
}

// onKeys handles what the terminal read as one key. Esc and a key read at
// once decode as Alt+key (a quick double tap, or an SSH link bunching
// keys); nobody means Alt at a desk, so it is Esc and then the key, both
// handled here, in order.
func (m *Model) onKeys(k tea.KeyPressMsg) tea.Cmd {
	if k.Mod&tea.ModAlt == 0 {
		return m.onKey(k)
	}
	first := m.onKey(tea.KeyPressMsg{Code: tea.KeyEscape})
	return tea.Batch(first, m.onKey(withoutAlt(k)))
}

// withoutAlt is the key that came after an Esc the decoder took for Alt,
// as the terminal would have sent it alone.
func withoutAlt(k tea.KeyPressMsg) tea.KeyPressMsg {
	k.Mod &^= tea.ModAlt
	if k.Text == "" && k.Code >= ' ' && k.Code != 0x7f && k.Code <= unicode.MaxRune && k.Mod&^tea.ModShift == 0 {
		r := k.Code
		if k.Mod&tea.ModShift != 0 {
			r = unicode.ToUpper(r)
			k.ShiftedCode = r
		}
		k.Text = string(r)
	}
	return k
}

func (m *Model) onKey(k tea.KeyPressMsg) tea.Cmd {
	if m.confirmQuit {
		switch {
		case key.Matches(k, m.keys.Yes):
			return tea.Quit
		case key.Matches(k, m.keys.No, m.keys.Back), k.String() == "ctrl+c":
			m.confirmQuit = false
		}
		return nil // quitting mid-write takes a letter, not Enter
	}
	if k.String() == "ctrl+c" || key.Matches(k, m.keys.Quit) {
		m.scan.Take()
		return m.quit()
	}
	return m.onStep(m.scan.Key(k, m.sh.Now()))
}

// onStep carries out what the scanner made of a key: typing to deliver, a
// scan to look up, a piece of a card to refuse, a flush to wait for.
func (m *Model) onStep(step scanner.Step) tea.Cmd {
	var cmds []tea.Cmd
	for _, k := range step.Release {
		cmds = append(cmds, m.routeKey(k))
	}
	switch {
	case step.Scan != "":
		cmds = append(cmds, m.onScan(step))
	case step.Refused != "":
		cmds = append(cmds, m.showToast(models.Yellow, m.tr.ScanPiece, components.Clean(step.Refused)))
	case step.FlushIn > 0:
		cmds = append(cmds, m.sh.After(step.FlushIn, scanner.FlushMsg{Seq: step.Seq}))
	}
	return tea.Batch(cmds...)
}

func (m *Model) quit() tea.Cmd {
	if _, write := m.busy(); write {
		m.confirmQuit = true
		return nil
	}
	return tea.Quit
}

// navigates reports whether k is a global key that goes to another screen.
func (m *Model) navigates(k tea.KeyPressMsg) bool {
	keys := m.keys
	return key.Matches(k, keys.Search, keys.Calendar, keys.Report, keys.Journal, keys.Who, keys.Back)
}

// routeKey applies global keys, then gives the key to the top screen. While
// a scanned card is being looked up, a key is not given to the screen below
// it — it would act on the previous client — and says so; a key that goes
// elsewhere (Esc, F2, F3…) drops the lookup instead.
func (m *Model) routeKey(k tea.KeyPressMsg) tea.Cmd {
	keys := m.keys
	// A message goes with the next key, but an error stays until it is
	// read: replaced by another, or acknowledged with Esc (which still
	// goes back). A key that comes within toastUnread of the message was
	// pressed before anyone could read it (keys bunched by a link: "A y"
	// on a roster still loading) and leaves it on the screen.
	unread := m.sh.Now().Sub(m.toastAt) < toastUnread
	if (m.toastLevel != models.Red && !unread) || key.Matches(k, keys.Back) {
		m.toast = ""
	}
	if m.showHelp {
		switch {
		case key.Matches(k, keys.Help, keys.Back):
			m.showHelp = false
			return nil
		case key.Matches(k, keys.Search, keys.Calendar, keys.Report, keys.Journal, keys.Who):
			m.showHelp = false // and on to where the key goes
		case key.Matches(k, keys.Up):
			m.helpOffset--
			return nil
		case key.Matches(k, keys.Down):
			m.helpOffset++
			return nil
		case key.Matches(k, keys.PageUp):
			m.helpOffset -= m.contentHeight()
			return nil
		case key.Matches(k, keys.PageDown):
			m.helpOffset += m.contentHeight()
			return nil
		default:
			return nil
		}
	}
	if m.scanReq != 0 {
		if !m.navigates(k) {
			return m.showToast(models.Yellow, m.tr.ScanWait, components.Clean(m.scanTag), keyName(k))
		}
		m.cancelRead(m.scanReq)
		m.scanReq = 0
		if key.Matches(k, keys.Back) {
			return m.showToast(models.Yellow, m.tr.ScanCancelled, components.Clean(m.scanTag))
		}
	}
	typing := m.top().Typing()
	switch {
	case key.Matches(k, keys.Help) && (!typing || k.Text == ""):
		m.showHelp, m.helpOffset = true, 0
		return nil
	case key.Matches(k, keys.Search):
		return m.home(nil)
	case key.Matches(k, keys.Calendar):
		if !m.can(providers.CapCalendar) {
			return m.refuse(providers.CapCalendar)
		}
		return m.home(screens.NewCalendar(m.sh))
	case key.Matches(k, keys.Report):
		if !m.can(providers.CapShiftReport) {
			return m.refuse(providers.CapShiftReport)
		}
		return m.home(screens.NewReport(m.sh))
	case key.Matches(k, keys.Journal):
		if m.top().Kind() == screens.KindJournal {
			return nil
		}
		return m.home(screens.NewJournal(m.sh))
	case key.Matches(k, keys.Who):
		if m.top().Kind() == screens.KindWho {
			return nil
		}
		return m.home(screens.NewWho(m.sh))
	case key.Matches(k, keys.Refresh):
		return m.deliver(m.top(), screens.Refresh{})
	case key.Matches(k, keys.Sell):
		if m.noMoney != nil {
			return m.showToast(models.Red, "%s", components.Describe(m.tr, m.noMoney))
		}
		if m.top().Kind() != screens.KindCard {
			return m.showToast(models.Yellow, "%s", m.tr.OpenClientFirst)
		}
		return m.deliver(m.top(), screens.Sell{})
	}
	return m.deliver(m.top(), k)
}

// keyName is a key as the help writes it.
func keyName(k tea.KeyPressMsg) string {
	if k.Text != "" {
		return k.Text
	}
	return keymap.Label([]string{k.String()})
}

func (m *Model) can(c providers.Capability) bool {
	return m.sh.Provider().Capabilities().Has(c)
}

func (m *Model) refuse(c providers.Capability) tea.Cmd {
	why := components.Clean(m.sh.Provider().Capabilities().Why(c).In(m.tr.Lang))
	return m.showToast(models.Red, "%s: %s", m.tr.ErrUnsupported, why)
}

// onScan handles a complete card scan: a screen that takes scans gets it;
// otherwise the card's client is looked up, and opens when found.
func (m *Model) onScan(step scanner.Step) tea.Cmd {
	if step.Repeat {
		return nil
	}
	tag, err := models.NormalizeTag(step.Scan, m.sh.TagFormat())
	if err != nil {
		return m.showToast(models.Red, m.tr.CardNotRead, components.Clean(step.Scan))
	}
	if a, took := m.top().TakeScan(tag); took {
		return m.apply(a)
	}
	if !m.can(providers.CapCardLookup) {
		return m.refuse(providers.CapCardLookup)
	}
	m.cancelRead(m.scanReq)
	id := screens.NextRequestID()
	ctx, cancel := context.WithTimeout(context.Background(), screens.ReadTimeout)
	m.tasks[id] = task{label: m.tr.LabelCard + " " + tag, cancel: cancel}
	m.scanReq, m.scanTag = id, step.Scan
	lookup := screens.LookupCardRequest(m.sh.Provider(), tag)
	return func() tea.Msg {
		defer cancel()
		c, err := lookup(ctx)
		return scanLookupMsg{id: id, client: c, err: err}
	}
}

// onScanLookup opens the scanned card's client; a card no one holds opens
// the unknown card — or, when what was read is a phone number, the search
// for it.
func (m *Model) onScanLookup(msg scanLookupMsg) tea.Cmd {
	m.closeTask(msg.id, msg.err)
	if msg.id != m.scanReq {
		return nil // dropped by a key that went elsewhere
	}
	m.scanReq = 0
	switch {
	case msg.err == nil:
		if m.top().Kind() == screens.KindCard {
			m.drop()
		}
		return m.push(screens.NewScannedCard(m.sh, msg.client))
	case errors.Is(msg.err, providers.ErrNotFound) && models.ReadsAsPhone(m.scanTag):
		for len(m.stack) > 1 {
			m.drop()
		}
		return m.deliver(m.top(), screens.Focus{Query: m.scanTag, Open: true})
	case errors.Is(msg.err, providers.ErrNotFound):
		if m.top().Kind() == screens.KindUnknownCard {
			m.drop()
		}
		tag, _ := models.NormalizeTag(m.scanTag, m.sh.TagFormat())
		return m.push(screens.NewUnknownCard(m.sh, tag))
	}
	return m.showToast(models.Red, "%s", components.Describe(m.tr, msg.err))
}

// pendingCount is how many operations need checking (none without a
// journal).
func (m *Model) pendingCount() int {
	if j := m.sh.Journal(); j != nil {
		return j.PendingCount()
	}
	return 0
}

// busy is the label of the oldest task in flight, writes first.
func (m *Model) busy() (label string, write bool) {
	best := -1
	for id, t := range m.tasks {
		if best == -1 || (t.write && !write) || (t.write == write && id < best) {
			best, label, write = id, t.label, t.write
		}
	}
	return label, write
}

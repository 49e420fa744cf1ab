package screens

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/components"
	"github.com/clubdesk/clubdesk/ui/i18n"
	"github.com/clubdesk/clubdesk/ui/keymap"
	"github.com/clubdesk/clubdesk/ui/styles"
)

// Common is what every screen needs, built once by the root and passed
// down by pointer. It holds dependencies only — the provider, the journal,
// the club's clock and zone, the texts, styles and keys — never state that
// a request changes: requests and the line to the CRM are the root's, and
// reach screens as messages, so a frame is a function of the models.
type Common struct {
	prov     providers.Provider
	journal  *journal.Journal
	conn     providers.Connectivity
	loc      *time.Location
	now      func() time.Time
	tr       *i18n.Texts
	th       *styles.Theme
	keys     *keymap.KeyMap
	log      *slog.Logger
	tagFmt   models.TagFormat
	minCard  int
	operator string
	desk     string
	// noOverride is why the operator may not let in past a red verdict
	// (nil: they may).
	noOverride error
	// after is tea.Tick, or a test's instant timer.
	after func(d time.Duration, msg tea.Msg) tea.Cmd
	rush  RushSettings
}

// RushSettings are how the desk behaves at rush hour (the config's
// [desk]). The zero value is the desk as it was: Enter checks in, a red
// verdict is silent and still.
type RushSettings struct {
	// CheckInOnScan checks a scanned card in at once when its verdict is
	// green and the CRM can check in.
	CheckInOnScan bool
	// BellOnRed rings the terminal's bell on a red verdict; FlashOnRed
	// flashes its banner.
	BellOnRed, FlashOnRed bool
	// OverrideReasons are picked with a digit to let a red verdict in;
	// nil offers the desk's own, an empty list none.
	OverrideReasons []string
}

// CommonOptions build a Common.
type CommonOptions struct {
	Provider  providers.Provider
	Journal   *journal.Journal
	Location  *time.Location
	Now       func() time.Time
	Texts     *i18n.Texts
	Theme     *styles.Theme
	Keys      *keymap.KeyMap
	Logger    *slog.Logger
	TagFormat models.TagFormat
	// MinCard is the shortest card number (the reader's min_length).
	MinCard  int
	Operator string
	// Desk is where a session of clubdesk serve comes from ("" for a
	// console of its own).
	Desk string
	// NoOverride, when set, is why the operator may not let a client in
	// past a red verdict: the card says it at once, before a reason is
	// asked.
	NoOverride error
	After      func(d time.Duration, msg tea.Msg) tea.Cmd
	Rush       RushSettings
}

// NewCommon builds the screens' dependencies.
func NewCommon(o CommonOptions) *Common {
	c := &Common{
		prov: &planCache{Provider: o.Provider}, journal: o.Journal, loc: o.Location, now: o.Now,
		tr: o.Texts, th: o.Theme, keys: o.Keys, log: o.Logger, tagFmt: o.TagFormat, minCard: o.MinCard,
		operator: o.Operator, desk: o.Desk, noOverride: o.NoOverride, after: o.After, rush: o.Rush,
	}
	c.conn, _ = providers.As[providers.Connectivity](o.Provider)
	if c.minCard == 0 {
		c.minCard = 6
	}
	return c
}

// settler is who gives a verdict in the journal from this console: a
// session's operator and desk, or (empty) the journal's own.
func (sh *Common) settler() journal.Who { return journal.Who{Desk: sh.desk, Operator: sh.operator} }

// overrideReasons are the reasons a digit picks to let a red verdict in.
func (sh *Common) overrideReasons() []string {
	if sh.rush.OverrideReasons != nil {
		return sh.rush.OverrideReasons
	}
	return sh.tr.R.DefaultReasons[:]
}

// crmName is the CRM's name as the status bar says it.
func (sh *Common) crmName() string {
	if info := sh.prov.Info(); !info.Demo {
		return components.Clean(info.Title)
	}
	return sh.tr.Demo
}

// Provider is the club's CRM as the screens see it.
func (sh *Common) Provider() providers.Provider { return sh.prov }

// Texts are the desk's words.
func (sh *Common) Texts() *i18n.Texts { return sh.tr }

// Keys are the desk's bindings.
func (sh *Common) Keys() *keymap.KeyMap { return sh.keys }

// Theme is the desk's styles.
func (sh *Common) Theme() *styles.Theme { return sh.th }

// Journal is the operation journal (nil in tests that do without).
func (sh *Common) Journal() *journal.Journal { return sh.journal }

// Connectivity is the offline desk under the provider, when there is one.
func (sh *Common) Connectivity() providers.Connectivity { return sh.conn }

// Now is the desk's clock.
func (sh *Common) Now() time.Time { return sh.now() }

// Location is the club's time zone.
func (sh *Common) Location() *time.Location { return sh.loc }

// Logger is the desk's log.
func (sh *Common) Logger() *slog.Logger { return sh.log }

// After delivers msg after d.
func (sh *Common) After(d time.Duration, msg tea.Msg) tea.Cmd { return sh.after(d, msg) }

// planCache keeps the club's plans for the session: they change rarely and
// every sale starts with them. It is the provider for the screens, so a
// sale reads the plans as any request and the second sale gets them from
// memory.
type planCache struct {
	providers.Provider
	mu    sync.Mutex
	plans []models.Plan
}

// Plans answers from memory once read.
func (p *planCache) Plans(ctx context.Context) ([]models.Plan, error) {
	p.mu.Lock()
	cached := p.plans
	p.mu.Unlock()
	if cached != nil {
		return cached, nil
	}
	plans, err := p.Provider.Plans(ctx)
	if err == nil && plans != nil {
		p.mu.Lock()
		p.plans = plans
		p.mu.Unlock()
	}
	return plans, err
}

// Unwrap returns the provider underneath (for its optional interfaces).
func (p *planCache) Unwrap() providers.Provider { return p.Provider }

// Deadlines of requests. A write that runs out of time has an unknown
// outcome, so its deadline is generous.
const (
	ReadTimeout  = 20 * time.Second
	WriteTimeout = 45 * time.Second
)

// offline reports whether the CRM is silent, as the offline desk knows it.
func (sh *Common) offline() bool {
	if sh.conn != nil {
		_, _, off := sh.conn.Offline()
		return off
	}
	return false
}

// noMoneyOffline refuses to start a sale or a payment while the CRM is
// silent (nil when it answers): money never moves offline.
func (sh *Common) noMoneyOffline() Action {
	if !sh.offline() {
		return nil
	}
	return toast(models.Red, "%s", sh.tr.J.ErrOffline)
}

// today is the club's current day.
func (sh *Common) today() models.Date { return models.DateOf(sh.now(), sh.loc) }

// can reports whether the provider supports a capability. It asks the
// provider each time: what it offers may narrow once it has answered (the
// YCLIENTS user's permissions).
func (sh *Common) can(c providers.Capability) bool { return sh.prov.Capabilities().Has(c) }

// refuse tells the receptionist the provider cannot do c, and why.
func (sh *Common) refuse(c providers.Capability) Action {
	return toast(models.Red, "%s: %s", sh.tr.ErrUnsupported, sh.why(c))
}

// why says in the desk's language why the provider cannot do c.
func (sh *Common) why(c providers.Capability) string {
	return components.Clean(sh.prov.Capabilities().Why(c).In(sh.tr.Lang))
}

// listStatus is the line above a list: the error when loading failed, what
// "empty" means once loaded, or nothing.
func (sh *Common) listStatus(width int, err string, emptyLoaded bool, empty string) string {
	switch {
	case err != "":
		return " " + sh.th.Error.Render(components.Cut(err, width-2))
	case emptyLoaded:
		return " " + sh.th.Dim.Render(components.Cut(empty, width-2))
	}
	return ""
}

// clock formats an instant as the club's HH:MM.
func (sh *Common) clock(t time.Time) string { return t.In(sh.loc).Format("15:04") }

// describe words an error in the desk's language.
func (sh *Common) describe(err error) string { return components.Describe(sh.tr, err) }

// currency is the club's, as the CRM says it now: YCLIENTS tells its
// company's only once it has answered.
func (sh *Common) currency() string { return sh.prov.Info().Currency }

// payDeps are what a payment form needs.
func (sh *Common) payDeps() components.PayDeps {
	return components.PayDeps{Texts: sh.tr, Keys: sh.keys, Theme: sh.th, Currency: sh.currency()}
}

// doneMsg carries the result of a request started by Run. id ties it to
// the screen that asked, which drops answers it no longer waits for.
type doneMsg[T any] struct {
	id  int
	val T
	err error
}

// Finished is a request's result, whatever its type: the root closes the
// request by it and hands it to the screens.
type Finished interface {
	TaskID() int
	TaskErr() error
}

func (d doneMsg[T]) TaskID() int    { return d.id }
func (d doneMsg[T]) TaskErr() error { return d.err }

// ours reports whether msg answers the request *req is waiting for, and if
// so stops waiting. Answers to superseded requests are dropped this way.
func ours[T any](req *int, msg doneMsg[T]) bool {
	if *req == 0 || msg.id != *req {
		return false
	}
	*req = 0
	return true
}

// requestIDs numbers requests for the whole process, so ids never repeat
// between screens or sessions.
var requestIDs atomic.Int64

// NextRequestID is a fresh request id (the root's own requests take theirs
// here too).
func NextRequestID() int { return int(requestIDs.Add(1)) }

// Run starts fn as a request of owner with a deadline. It returns the id
// the owner waits for and the action that registers the request with the
// root and runs it. Only the command touches the provider; state changes
// happen when the doneMsg arrives.
func Run[T any](sh *Common, owner Screen, label string, write bool, fn func(ctx context.Context) (T, error)) (int, Action) {
	id := NextRequestID()
	timeout := ReadTimeout
	if write {
		timeout = WriteTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	return id, Start{ID: id, Label: label, Write: write, Owner: owner, Cancel: cancel, Cmd: func() tea.Msg {
		defer cancel()
		v, err := fn(ctx)
		return doneMsg[T]{id: id, val: v, err: err}
	}}
}

// TagFormat is how the club's CRM writes card numbers.
func (sh *Common) TagFormat() models.TagFormat { return sh.tagFmt }

// moveInList moves a list's cursor by the list keys (↑ ↓ PgUp PgDn) and
// reports whether msg was one of them.
func (sh *Common) moveInList(t *components.Table, msg tea.KeyPressMsg) bool {
	k := sh.keys
	switch {
	case key.Matches(msg, k.Up):
		t.Move(-1)
	case key.Matches(msg, k.Down):
		t.Move(1)
	case key.Matches(msg, k.PageUp):
		t.Move(-t.Height())
	case key.Matches(msg, k.PageDown):
		t.Move(t.Height())
	default:
		return false
	}
	return true
}

// readingWidth is the widest a screen lays a row of facts out: on a 200
// column terminal, a row's status stays within reach of its name.
const readingWidth = 110

// squeeze fits a screen's lines into height by taking out blank lines,
// the last first, before the root would cut the bottom: the bottom is
// where a question or an error stands.
func squeeze(lines []string, height int) []string {
	if height <= 0 {
		return lines
	}
	for i := len(lines) - 1; i > 0 && len(lines) > height; i-- {
		if strings.TrimSpace(ansi.Strip(lines[i])) == "" {
			lines = append(lines[:i], lines[i+1:]...)
		}
	}
	return lines
}

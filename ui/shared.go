package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"
	"log/slog"
	"time"

	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// shared is what every screen needs, built once by New and passed down by
// pointer: the provider and what it can do, the club's clock and zone, the
// language, styles and keys, and the bookkeeping of requests in flight.
type shared struct {
	prov     providers.Provider
	caps     providers.Capabilities
	info     providers.Info
	loc      *time.Location
	now      func() time.Time
	tr       *texts
	th       theme
	dark     bool // the terminal's background, as it answered
	keys     keyMap
	log      *slog.Logger
	tagFmt   models.TagFormat
	operator string
	noConfig bool
	// secretsFromEnv: a CLUBDESK_* variable overrides the keyring.
	secretsFromEnv bool

	width, height int
	// after is tea.Tick, or a test's instant timer.
	after func(d time.Duration, msg tea.Msg) tea.Cmd

	online   bool
	nextID   int
	inflight map[int]task
	// journal records every write (nil in tests that do not need it).
	journal *journal.Journal
	// conn is the offline desk under the provider, when there is one: it
	// says whether the CRM answers, and keeps marks for later.
	conn providers.Connectivity
	// plans are cached for the session: they change rarely and every sale
	// starts with them.
	plans []models.Plan
}

// task is a request in flight.
type task struct {
	label  string
	write  bool
	owner  screen
	cancel context.CancelFunc
}

// Deadlines of requests. A write that runs out of time has an unknown
// outcome, so its deadline is generous.
const (
	readTimeout  = 20 * time.Second
	writeTimeout = 45 * time.Second
)

// offline reports whether the CRM is silent: as the offline desk knows it,
// or from the last request's failure.
func (sh *shared) offline() bool {
	if sh.conn != nil {
		_, _, off := sh.conn.Offline()
		return off
	}
	return !sh.online
}

// noMoneyOffline refuses to start a sale or a payment while the CRM is
// silent (nil when it answers): money never moves offline.
func (sh *shared) noMoneyOffline() tea.Cmd {
	if !sh.offline() {
		return nil
	}
	return toast(models.Red, "%s", sh.tr.J.ErrOffline)
}

// loadPlans returns the session's plans, or starts reading them for owner
// (the request id in *req) and returns the command: plans change rarely and
// every sale starts with them.
func (sh *shared) loadPlans(owner screen, label string, req *int) ([]models.Plan, tea.Cmd) {
	if sh.plans != nil {
		return sh.plans, nil
	}
	prov := sh.prov
	var cmd tea.Cmd
	*req, cmd = run(sh, owner, label, false, func(ctx context.Context) ([]models.Plan, error) { return prov.Plans(ctx) })
	return nil, cmd
}

// plansArrived takes the answer to the plans request *req waits for: the
// plans, kept for the session, or the failure in words. ok is false for an
// answer the screen no longer waits for.
func (sh *shared) plansArrived(req *int, msg doneMsg[[]models.Plan]) (plans []models.Plan, failure string, ok bool) {
	if !ours(req, msg) {
		return nil, "", false
	}
	if msg.err != nil {
		return nil, describe(sh.tr, msg.err), true
	}
	sh.plans = msg.val
	return msg.val, "", true
}

// today is the club's current day.
func (sh *shared) today() models.Date { return models.DateOf(sh.now(), sh.loc) }

// can reports whether the provider supports a capability.
func (sh *shared) can(c providers.Capability) bool { return sh.caps.Has(c) }

// refuse tells the receptionist the provider cannot do c, and why.
func (sh *shared) refuse(c providers.Capability) tea.Cmd {
	return toast(models.Red, "%s: %s", sh.tr.ErrUnsupported, sh.why(c))
}

// why says in the desk's language why the provider cannot do c.
func (sh *shared) why(c providers.Capability) string { return clean(sh.caps.Why(c).In(sh.tr.Lang)) }

// listStatus is the line above a list: the error when loading failed, what
// "empty" means once loaded, or nothing.
func (sh *shared) listStatus(width int, err string, emptyLoaded bool, empty string) string {
	switch {
	case err != "":
		return " " + sh.th.Error.Render(cut(err, width-2))
	case emptyLoaded:
		return " " + sh.th.Dim.Render(cut(empty, width-2))
	}
	return ""
}

// clock formats an instant as the club's HH:MM.
func (sh *shared) clock(t time.Time) string { return t.In(sh.loc).Format("15:04") }

// doneMsg carries the result of a request started by run. id ties it to the
// screen that asked, which drops answers it no longer waits for.
type doneMsg[T any] struct {
	id  int
	val T
	err error
}

func (d doneMsg[T]) taskID() int    { return d.id }
func (d doneMsg[T]) taskErr() error { return d.err }

// ours reports whether msg answers the request *req is waiting for, and if
// so stops waiting. Answers to superseded requests are dropped this way.
func ours[T any](req *int, msg doneMsg[T]) bool {
	if *req == 0 || msg.id != *req {
		return false
	}
	*req = 0
	return true
}

// finished is implemented by every doneMsg, so the root can close the task
// whatever its type.
type finished interface {
	taskID() int
	taskErr() error
}

// run starts fn as a command with a deadline and registers it as in flight
// under owner. It returns the request id the owner waits for. Only run's
// command touches the provider; state changes happen when doneMsg arrives.
func run[T any](sh *shared, owner screen, label string, write bool, fn func(ctx context.Context) (T, error)) (int, tea.Cmd) {
	sh.nextID++
	id := sh.nextID
	timeout := readTimeout
	if write {
		timeout = writeTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	sh.inflight[id] = task{label: label, write: write, owner: owner, cancel: cancel}
	return id, func() tea.Msg {
		defer cancel()
		v, err := fn(ctx)
		return doneMsg[T]{id: id, val: v, err: err}
	}
}

// finish forgets a task and notes what its outcome says about the line to
// the provider.
func (sh *shared) finish(id int, err error) {
	if t, ok := sh.inflight[id]; ok {
		t.cancel()
		delete(sh.inflight, id)
	}
	switch {
	case err == nil:
		sh.online = true
		// What the provider offers may narrow once it has answered (the
		// YCLIENTS user's permissions): hide what is no longer possible.
		// The branch's name may arrive too (YCLIENTS' company title); the
		// zone does not change here: "today" is fixed at start.
		sh.caps = sh.prov.Capabilities()
		sh.info.Branch = sh.prov.Info().Branch
	case isConnectionError(err):
		sh.online = false
	}
}

// cancelOwned cancels the reads a screen started; called when the screen is
// left. Writes are never cancelled: their outcome must be learnt.
func (sh *shared) cancelOwned(owner screen) {
	for id, t := range sh.inflight {
		if t.owner == owner && !t.write {
			t.cancel()
			delete(sh.inflight, id)
		}
	}
}

// cancelTask cancels one read (a superseded search).
func (sh *shared) cancelTask(id int) {
	if t, ok := sh.inflight[id]; ok && !t.write {
		t.cancel()
		delete(sh.inflight, id)
	}
}

// busy is the label of the oldest task in flight, writes first.
func (sh *shared) busy() (label string, write bool) {
	best := -1
	for id, t := range sh.inflight {
		if best == -1 || (t.write && !write) || (t.write == write && id < best) {
			best, label, write = id, t.label, t.write
		}
	}
	return label, write
}

// Package screens holds the console's pages — search, client card, sale,
// payment, timetable, roster, journal... — one file a screen, and the
// actions by which a screen asks the root for what it cannot do itself.
//
// A screen never asks the root through a command: a command runs in a
// goroutine, so its message would arrive after keys already read, and a key
// meant for this screen would reach the one below it. A screen returns an
// Action from Update instead, and the root applies it before it reads the
// next message: navigation, toasts, requests. Commands are for I/O only,
// and every request is started by Run, which returns the action that
// registers it with the root.
package screens

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/models"
)

// Screen is one page of the console.
type Screen interface {
	// Init starts what the screen needs once it is on the stack.
	Init() Action
	// Update handles a key or a result and says what the root must do.
	Update(tea.Msg) Action
	View() string
	SetSize(width, height int)
	Title() string
	// Help lists the bindings the help line shows for this screen.
	Help() []key.Binding
	// Typing reports whether a text field has focus, so that printable
	// global keys ("?") are left to it.
	Typing() bool
	// Kind says what the screen is, for the root's few rules about
	// screens (a card replaces a card; F7 does not open the journal twice).
	Kind() Kind
	// TakeScan lets a screen use a card scan itself (binding a card,
	// picking a client); ok false lets the root open the card's client.
	TakeScan(tag string) (a Action, ok bool)
}

// Kind is what a screen is.
type Kind int

// The kinds of screen. The root tells a few apart (a card replaces a card;
// F7 does not open the journal twice); tests name the screen they expect.
const (
	KindOther Kind = iota
	KindSearch
	KindPick
	KindCard
	KindSale
	KindPayment
	KindCalendar
	KindBookFor
	KindRoster
	KindUnknownCard
	KindBindCard
	KindNewClient
	KindJournal
	KindReport
	KindOnline
	KindWho
)

var kindNames = [...]string{"other", "search", "pick", "card", "sale", "payment", "calendar", "book-for", "roster",
	"unknown-card", "bind-card", "new-client", "journal", "report", "online", "who"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind?"
}

// Snapshot is what a screen shows, as data: what tests and benchmarks
// check instead of reaching into a screen.
type Snapshot struct {
	Kind Kind
	// Query is the search field, Stage the step of a sale or payment.
	Query string
	Stage int
	// Loading says a read of the screen's own data is in flight.
	Loading  bool
	Cursor   int
	Clients  []models.Client
	Client   models.Client
	Verdict  *models.Verdict
	Lesson   models.Lesson
	Lessons  []models.Lesson
	Bookings []models.Booking
}

// peeker is a screen that can show its data.
type peeker interface{ peek() Snapshot }

// Peek is what s shows.
func Peek(s Screen) Snapshot {
	if p, ok := s.(peeker); ok {
		return p.peek()
	}
	return Snapshot{Kind: s.Kind()}
}

// base gives a screen the defaults it does not care about.
type base struct{}

func (base) Init() Action                   { return nil }
func (base) Typing() bool                   { return false }
func (base) Kind() Kind                     { return KindOther }
func (base) TakeScan(string) (Action, bool) { return nil, false }

// Action is what a screen asks of the root. The root applies it in the
// same Update, before the next message is read.
type Action interface{ action() }

type (
	// Push puts a screen on top of the stack and starts it.
	Push struct{ Screen Screen }
	// Pop closes Screen — only if it is the top: a pop never closes
	// another screen — and hands Then to the screen below.
	Pop struct {
		Screen Screen
		Then   tea.Msg
	}
	// Home returns to the search at the bottom of the stack, and opens
	// Screen above it when set.
	Home struct{ Screen Screen }
	// OpenClient opens a client's card (a card on top is replaced). The
	// client, as a search or a scan found it, is shown at once and read
	// again with the rest of the card.
	OpenClient struct{ Client models.Client }
	// Toast shows a line for the receptionist.
	Toast struct {
		Level models.Level
		Text  string
	}
	// Start registers a request with the root (what the status bar says
	// is loading, what quitting waits for) and runs it.
	Start struct {
		ID     int
		Label  string
		Write  bool
		Owner  Screen
		Cancel func()
		Cmd    tea.Cmd
	}
	// CancelRead cancels a read in flight (a superseded search).
	CancelRead struct{ ID int }
	// LookupCard asks the root to treat typed characters as a scan.
	LookupCard struct{ Raw string }
	// Do runs a command that is not a request (a timer, a cursor).
	Do struct{ Cmd tea.Cmd }
	// Batch applies actions in order.
	Batch []Action
)

func (Push) action()       {}
func (Pop) action()        {}
func (Home) action()       {}
func (OpenClient) action() {}
func (Toast) action()      {}
func (Start) action()      {}
func (CancelRead) action() {}
func (LookupCard) action() {}
func (Do) action()         {}
func (Batch) action()      {}

// Then joins actions to apply in order, leaving out the nil ones.
func Then(as ...Action) Action {
	var out Batch
	for _, a := range as {
		if a != nil {
			out = append(out, a)
		}
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return out
}

// cmd wraps a command that is not a request; nil stays nil.
// typeInto gives a key to a filter field and, when it changed what the
// field holds, calls changed to filter the list again.
func typeInto(field *textinput.Model, msg tea.Msg, changed func()) Action {
	before := field.Value()
	var c tea.Cmd
	*field, c = field.Update(msg)
	if field.Value() != before {
		changed()
	}
	return cmd(c)
}

func cmd(c tea.Cmd) Action {
	if c == nil {
		return nil
	}
	return Do{c}
}

// toast is a Toast with a formatted text.
func toast(level models.Level, format string, args ...any) Action {
	text := format
	if len(args) > 0 {
		text = fmt.Sprintf(format, args...)
	}
	return Toast{Level: level, Text: text}
}

// Messages the root sends to screens.
type (
	// Refresh asks the top screen to read its data again (F5).
	Refresh struct{}
	// Sell asks the card on top to start a sale (F4).
	Sell struct{}
	// Focus tells the search it was brought back (F2): start over, with
	// Query in the field when it is set; Open opens the client it finds
	// when it finds one (the query ended with Enter).
	Focus struct {
		Query string
		Open  bool
	}
)

// Package keymap is every key binding of the desk, grouped by the context
// it works in, built once from the defaults, the language and the config's
// [keymap] overrides, and checked before the console starts.
//
// The checks are what keep a key acting on what the receptionist meant:
//   - a global key is never a letter, a digit or Space, so a text field
//     never loses a typed letter to a screen change (and nor does its
//     Russian-layout twin);
//   - a key is bound to one action per context, global keys included, so
//     no key does two things at once;
//   - the keys that answer a question which moves money or identity (yes,
//     went through, did not) are never Enter or Space: a repeated Enter
//     cannot charge, check in twice or cancel;
//   - the keys of a context that has a text field are not printable, since
//     the field types them.
package keymap

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/ui/i18n"
)

// Context is where a binding works. Global keys work on every screen; the
// others only on the screens (or screen states) of their context.
type Context string

// The contexts of the desk.
const (
	Global   Context = "global"   // every screen
	List     Context = "list"     // moving through a list (with a search field above some)
	Form     Context = "form"     // text fields
	Date     Context = "date"     // the start date of a sale
	Choice   Context = "choice"   // a choice of a few (the kind of discount)
	Card     Context = "card"     // the client's card
	Calendar Context = "calendar" // the timetable
	Roster   Context = "roster"   // a lesson's list
	Journal  Context = "journal"  // the operation journal
	Payment  Context = "payment"  // splitting a payment over methods
	Confirm  Context = "confirm"  // a question that moves money or identity
)

// typing lists the contexts where a text field has the focus: their keys
// must not be what the field types.
var typing = map[Context]func(k string) bool{
	List:    printable,
	Form:    printable,
	Date:    func(k string) bool { return printable(k) && strings.ContainsAny(k, "0123456789.,/ ") },
	Payment: func(k string) bool { return printable(k) && strings.ContainsAny(k, "0123456789.,- ") },
}

// KeyMap is every binding the desk knows. The field's tags are the action
// name users write in the config and the context the key works in.
type KeyMap struct {
	Help     key.Binding `action:"help" ctx:"global"`
	Search   key.Binding `action:"search" ctx:"global"`
	Calendar key.Binding `action:"calendar" ctx:"global"`
	Sell     key.Binding `action:"sell" ctx:"global"`
	Refresh  key.Binding `action:"refresh" ctx:"global"`
	Report   key.Binding `action:"report" ctx:"global"`
	Journal  key.Binding `action:"journal" ctx:"global"`
	// Who lists who came in today.
	Who  key.Binding `action:"who_is_here" ctx:"global"`
	Quit key.Binding `action:"quit" ctx:"global"`
	Back key.Binding `action:"back" ctx:"global"`

	Up       key.Binding `action:"up" ctx:"list"`
	Down     key.Binding `action:"down" ctx:"list"`
	PageUp   key.Binding `action:"page_up" ctx:"list"`
	PageDown key.Binding `action:"page_down" ctx:"list"`
	Open     key.Binding `action:"open" ctx:"list"`

	Tab     key.Binding `action:"tab" ctx:"form"`
	BackTab key.Binding `action:"back_tab" ctx:"form"`
	Confirm key.Binding `action:"confirm" ctx:"form"`
	Submit  key.Binding `action:"submit" ctx:"form"`
	// NewClient opens the registration form from the search field.
	NewClient key.Binding `action:"new_client" ctx:"form"`

	DayLater   key.Binding `action:"day_later" ctx:"date"`
	DayEarlier key.Binding `action:"day_earlier" ctx:"date"`
	Cycle      key.Binding `action:"cycle" ctx:"choice"`

	CheckIn  key.Binding `action:"check_in" ctx:"card"`
	Book     key.Binding `action:"book" ctx:"card"`
	BindCard key.Binding `action:"bind_card" ctx:"card"`
	Pay      key.Binding `action:"pay" ctx:"card"`
	TopUp    key.Binding `action:"top_up" ctx:"card"`
	Online   key.Binding `action:"online_pay" ctx:"card"`
	// UndoCheckIn takes back the check-in just made, after a yes.
	UndoCheckIn key.Binding `action:"undo_check_in" ctx:"card"`

	PrevDay key.Binding `action:"prev_day" ctx:"calendar"`
	NextDay key.Binding `action:"next_day" ctx:"calendar"`
	Today   key.Binding `action:"today" ctx:"calendar"`

	Attended key.Binding `action:"attended" ctx:"roster"`
	// AllCame marks every booking not yet marked, after one question.
	AllCame    key.Binding `action:"all_came" ctx:"roster"`
	NoShow     key.Binding `action:"no_show" ctx:"roster"`
	Undo       key.Binding `action:"undo" ctx:"roster"`
	AddClient  key.Binding `action:"add_client" ctx:"roster"`
	WalkIn     key.Binding `action:"walk_in" ctx:"roster"`
	Cancel     key.Binding `action:"cancel_booking" ctx:"roster"`
	LateCancel key.Binding `action:"late_cancel" ctx:"roster"`
	PayVisit   key.Binding `action:"pay_visit" ctx:"roster"`

	// WentThrough and NotThrough settle an operation that needs checking:
	// letters only, never Enter or Esc, which are pressed out of habit.
	WentThrough key.Binding `action:"went_through" ctx:"journal"`
	NotThrough  key.Binding `action:"not_through" ctx:"journal"`
	Ask         key.Binding `action:"ask_crm" ctx:"journal"`
	// InPart settles a sale the CRM shows in part: what it shows went
	// through, the rest did not (and is left to take).
	InPart key.Binding `action:"went_in_part" ctx:"journal"`
	Trail  key.Binding `action:"journal_list" ctx:"journal"`

	FillRest key.Binding `action:"fill_rest" ctx:"payment"`
	QR       key.Binding `action:"qr_pay" ctx:"payment"`

	// Yes and No answer a question that moves money or identity: letters,
	// never Enter (Esc goes back, which answers no).
	Yes key.Binding `action:"yes" ctx:"confirm"`
	No  key.Binding `action:"no" ctx:"confirm"`
	// VisitOne and VisitWhole choose what a payment of a booking takes
	// when its visit holds other bookings: this booking, or the visit.
	VisitOne   key.Binding `action:"visit_one" ctx:"confirm"`
	VisitWhole key.Binding `action:"visit_whole" ctx:"confirm"`
}

func bind(help string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(bothLayouts(keys)...), key.WithHelp(Label(keys), help))
}

// bothLayouts adds, for every single-letter key, the letter the same key
// types with the Russian layout, which is usually on at a Russian desk: "b"
// also matches "и".
func bothLayouts(keys []string) []string {
	out := keys
	for _, k := range keys {
		if len([]rune(k)) != 1 {
			continue
		}
		if ru := models.RussianLayout(k); ru != k && !slices.Contains(keys, ru) {
			out = append(out[:len(out):len(out)], ru)
		}
	}
	return out
}

// Label is how keys are written in the help: "F2", "Ctrl+N", "↑".
func Label(keys []string) string {
	labels := make([]string, 0, len(keys))
	for _, k := range keys {
		switch k {
		case "up":
			k = "↑"
		case "down":
			k = "↓"
		case "left":
			k = "←"
		case "right":
			k = "→"
		case "pgup":
			k = "PgUp"
		case "pgdown":
			k = "PgDn"
		case "enter":
			k = "Enter"
		case "esc":
			k = "Esc"
		case "tab":
			k = "Tab"
		case "shift+tab":
			k = "Shift+Tab"
		case "space":
			k = "Space"
		default:
			if strings.HasPrefix(k, "f") && len(k) <= 3 && len(k) > 1 {
				k = strings.ToUpper(k)
			} else if strings.HasPrefix(k, "ctrl+") {
				k = "Ctrl+" + strings.ToUpper(strings.TrimPrefix(k, "ctrl+"))
			}
		}
		labels = append(labels, k)
	}
	return strings.Join(labels, "/")
}

// New builds the keymap in the desk's language with the config's overrides
// and checks it; an error says exactly which binding is wrong and why.
func New(t *i18n.Texts, overrides map[string][]string) (KeyMap, error) {
	k := KeyMap{
		Help:     bind(t.KeyHelp, "f1", "?"),
		Search:   bind(t.KeySearch, "f2"),
		Calendar: bind(t.KeyCalendar, "f3"),
		Sell:     bind(t.KeySell, "f4"),
		Refresh:  bind(t.KeyRefresh, "f5"),
		Report:   bind(t.KeyReport, "f6"),
		Journal:  bind(t.J.KeyJournal, "f7"),
		Who:      bind(t.R.KeyWhoHere, "f8"),
		Quit:     bind(t.KeyQuit, "f10", "ctrl+c"),
		Back:     bind(t.KeyBack, "esc"),

		Up:       key.NewBinding(key.WithKeys("up"), key.WithHelp("↑↓", t.KeyMove)),
		Down:     bind(t.KeyMove, "down"),
		PageUp:   bind(t.KeyPage, "pgup"),
		PageDown: bind(t.KeyPage, "pgdown"),
		Open:     bind(t.KeyOpen, "enter"),

		Tab:       bind(t.KeyTab, "tab"),
		BackTab:   bind(t.KeyTab, "shift+tab"),
		Confirm:   bind(t.KeyConfirm, "enter"),
		Submit:    bind(t.KeySubmit, "ctrl+s"),
		NewClient: bind(t.KeyNewClient, "ctrl+n"),

		DayLater:   bind(t.KeyDayLater, "+"),
		DayEarlier: bind(t.KeyDayEarlier, "-"),
		Cycle:      bind(t.KeyCycle, "space"),

		CheckIn:  key.NewBinding(key.WithKeys("enter", "c", "с"), key.WithHelp("Enter", t.KeyCheckIn)),
		Book:     bind(t.KeyBook, "b"),
		BindCard: bind(t.KeyBindCard, "k"),
		Pay:      bind(t.KeyPay, "p"),
		TopUp:    bind(t.KeyTopUp, "d"),
		Online:   bind(t.KeyOnline, "ctrl+o"),

		UndoCheckIn: bind(t.R.KeyUndoCheckIn, "z"),

		PrevDay: bind(t.KeyPrevDay, "left"),
		NextDay: bind(t.KeyNextDay, "right"),
		Today:   bind(t.KeyToday, "t"),

		Attended:   bind(t.KeyAttended, "a", "space"),
		AllCame:    bind(t.R.KeyAllCame, "A"),
		NoShow:     bind(t.KeyNoShow, "n"),
		Undo:       bind(t.KeyUndo, "u"),
		AddClient:  bind(t.KeyAddClient, "+", "i"),
		WalkIn:     bind(t.KeyWalkIn, "w"),
		Cancel:     bind(t.KeyCancel, "x"),
		LateCancel: bind(t.KeyLateCancel, "X"),
		PayVisit:   bind(t.KeyPayVisit, "p"),

		WentThrough: bind(t.J.KeyWent, "y"),
		NotThrough:  bind(t.J.KeyNotWent, "n"),
		Ask:         bind(t.J.KeyAsk, "enter"),
		InPart:      bind(t.J.KeyInPart, "h"),
		Trail:       bind(t.J.KeyList, "tab"),

		FillRest: bind(t.KeyFillRest, "="),
		QR:       bind(t.KeyOnline, "ctrl+o"),

		Yes:        bind(t.KeyYes, "y"),
		VisitOne:   bind(t.KeyVisitOne, "1"),
		VisitWhole: bind(t.KeyVisitWhole, "2"),
		No:         bind(t.KeyNo, "n"),
	}
	if err := k.override(overrides); err != nil {
		return KeyMap{}, err
	}
	if err := k.check(); err != nil {
		return KeyMap{}, err
	}
	return k, nil
}

// entry is one binding with its names.
type entry struct {
	action string
	ctx    Context
	b      *key.Binding
}

// entries lists the bindings in field order, read from the struct tags so
// the list cannot drift from the fields.
func (k *KeyMap) entries() []entry {
	var out []entry
	v := reflect.ValueOf(k).Elem()
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if name := f.Tag.Get("action"); name != "" {
			out = append(out, entry{name, Context(f.Tag.Get("ctx")), v.Field(i).Addr().Interface().(*key.Binding)})
		}
	}
	return out
}

// Actions lists the action names the config may set, sorted.
func (k *KeyMap) Actions() []string {
	var names []string
	for _, e := range k.entries() {
		names = append(names, e.action)
	}
	sort.Strings(names)
	return names
}

// override applies the config's [keymap] table. An unknown action is an
// error, so a typo does not silently leave the default in place.
func (k *KeyMap) override(overrides map[string][]string) error {
	byName := map[string]*key.Binding{}
	for _, e := range k.entries() {
		byName[e.action] = e.b
	}
	var unknown []string
	for action, keys := range overrides {
		b, ok := byName[action]
		if !ok {
			unknown = append(unknown, action)
			continue
		}
		if len(keys) == 0 {
			b.SetEnabled(false)
			continue
		}
		b.SetKeys(bothLayouts(keys)...)
		b.SetHelp(Label(keys), b.Help().Desc)
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return fmt.Errorf("keymap: unknown action %s (known: %s)", strings.Join(unknown, ", "), strings.Join(k.Actions(), ", "))
	}
	return nil
}

// printable reports whether a key name types a character: a letter, a
// digit, a sign or Space.
func printable(k string) bool {
	if k == "space" || k == " " {
		return true
	}
	r := []rune(k)
	return len(r) == 1 && unicode.IsPrint(r[0])
}

// letterLike is what a global key may not be: what a text field types as
// part of a word or a number.
func letterLike(k string) bool {
	if k == "space" || k == " " {
		return true
	}
	r := []rune(k)
	return len(r) == 1 && (unicode.IsLetter(r[0]) || unicode.IsDigit(r[0]) || unicode.IsSpace(r[0]))
}

// check refuses a keymap in which a key would act on something else than
// what the receptionist meant (see the package doc).
func (k *KeyMap) check() error {
	es := k.entries()
	var problems []string
	for _, e := range es {
		if !e.b.Enabled() {
			continue
		}
		for _, key := range e.b.Keys() {
			switch {
			case e.ctx == Global && letterLike(key):
				problems = append(problems, fmt.Sprintf("%q cannot be a global key (%s): letters, digits and Space are typed into fields; use a function key or Ctrl+…", key, e.action))
			case e.ctx == Confirm || e.action == "went_through" || e.action == "not_through" || e.action == "went_in_part":
				if key == "enter" || key == "space" || key == "esc" {
					problems = append(problems, fmt.Sprintf("%q cannot answer a question that moves money or identity (%s): it is pressed out of habit; use a letter", key, e.action))
				}
			}
			if types := typing[e.ctx]; types != nil && types(key) {
				problems = append(problems, fmt.Sprintf("%q cannot be a %s key (%s): the text field there types it", key, e.ctx, e.action))
			}
		}
	}
	// One action per key in a context and in global together.
	for i, a := range es {
		for _, b := range es[i+1:] {
			if !a.b.Enabled() || !b.b.Enabled() || a.ctx != b.ctx && a.ctx != Global && b.ctx != Global {
				continue
			}
			if sharedByDesign(a.action, b.action) {
				continue
			}
			for _, key := range a.b.Keys() {
				if slices.Contains(b.b.Keys(), key) {
					where := string(a.ctx)
					if a.ctx != b.ctx {
						where = string(a.ctx) + " and " + string(b.ctx)
					}
					problems = append(problems, fmt.Sprintf("%q is bound to both %s and %s (%s)", key, a.action, b.action, where))
				}
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("keymap: %s", strings.Join(dedupe(problems), "; "))
	}
	return nil
}

// sharedByDesign are pairs of actions that share a key on purpose: they
// are one meaning in two places (one key moves "up" as the help shows
// "↑↓"; Tab and Shift+Tab both say "field").
func sharedByDesign(a, b string) bool {
	pair := []string{a, b}
	sort.Strings(pair)
	switch strings.Join(pair, "+") {
	case "back_tab+tab":
		return true
	}
	return false
}

func dedupe(ss []string) []string {
	var out []string
	for _, s := range ss {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

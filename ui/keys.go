package ui

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	"github.com/clubdesk/clubdesk/models"
)

// keyMap is every binding the desk knows, built once from the defaults, the
// language and the config's [keymap] overrides. The field's tag is the
// action name users write in the config.
type keyMap struct {
	Help     key.Binding `action:"help"`
	Search   key.Binding `action:"search"`
	Calendar key.Binding `action:"calendar"`
	Sell     key.Binding `action:"sell"`
	Refresh  key.Binding `action:"refresh"`
	Report   key.Binding `action:"report"`
	Journal  key.Binding `action:"journal"`
	Quit     key.Binding `action:"quit"`
	Back     key.Binding `action:"back"`
	Tab      key.Binding `action:"tab"`
	BackTab  key.Binding `action:"back_tab"`

	Up       key.Binding `action:"up"`
	Down     key.Binding `action:"down"`
	PageUp   key.Binding `action:"page_up"`
	PageDown key.Binding `action:"page_down"`
	PrevDay  key.Binding `action:"prev_day"`
	NextDay  key.Binding `action:"next_day"`
	Today    key.Binding `action:"today"`
	Open     key.Binding `action:"open"`

	CheckIn   key.Binding `action:"check_in"`
	Book      key.Binding `action:"book"`
	BindCard  key.Binding `action:"bind_card"`
	Pay       key.Binding `action:"pay"`
	TopUp     key.Binding `action:"top_up"`
	NewClient key.Binding `action:"new_client"`

	Attended   key.Binding `action:"attended"`
	NoShow     key.Binding `action:"no_show"`
	Undo       key.Binding `action:"undo"`
	AddClient  key.Binding `action:"add_client"`
	WalkIn     key.Binding `action:"walk_in"`
	Cancel     key.Binding `action:"cancel_booking"`
	LateCancel key.Binding `action:"late_cancel"`

	FillRest key.Binding `action:"fill_rest"`
	Online   key.Binding `action:"online_pay"`
	Confirm  key.Binding `action:"confirm"`
	Yes      key.Binding `action:"yes"`
	// WentThrough and NotThrough settle an operation that needs checking:
	// letters only, never Enter or Esc, which are pressed out of habit.
	WentThrough key.Binding `action:"went_through"`
	NotThrough  key.Binding `action:"not_through"`
	No          key.Binding `action:"no"`
}

func bind(help string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(bothLayouts(keys)...), key.WithHelp(keyLabel(keys), help))
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

func keyLabel(keys []string) string {
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
			if strings.HasPrefix(k, "f") && len(k) <= 3 {
				k = strings.ToUpper(k)
			} else if strings.HasPrefix(k, "ctrl+") {
				k = "Ctrl+" + strings.ToUpper(strings.TrimPrefix(k, "ctrl+"))
			}
		}
		labels = append(labels, k)
	}
	return strings.Join(labels, "/")
}

func newKeyMap(t *texts, overrides map[string][]string) (keyMap, error) {
	k := keyMap{
		Help:     bind(t.KeyHelp, "f1", "?"),
		Search:   bind(t.KeySearch, "f2"),
		Calendar: bind(t.KeyCalendar, "f3"),
		Sell:     bind(t.KeySell, "f4"),
		Refresh:  bind(t.KeyRefresh, "f5"),
		Report:   bind(t.KeyReport, "f6"),
		Journal:  bind(t.J.KeyJournal, "f7"),
		Quit:     bind(t.KeyQuit, "f10", "ctrl+c"),
		Back:     bind(t.KeyBack, "esc"),
		Tab:      bind(t.KeyTab, "tab"),
		BackTab:  bind(t.KeyTab, "shift+tab"),

		Up:       key.NewBinding(key.WithKeys("up"), key.WithHelp("↑↓", t.KeyMove)),
		Down:     bind(t.KeyMove, "down"),
		PageUp:   bind(t.KeyPage, "pgup"),
		PageDown: bind(t.KeyPage, "pgdown"),
		PrevDay:  bind(t.KeyPrevDay, "left"),
		NextDay:  bind(t.KeyNextDay, "right"),
		Today:    bind(t.KeyToday, "t"),
		Open:     bind(t.KeyOpen, "enter"),

		CheckIn:   key.NewBinding(key.WithKeys("enter", "c", "с"), key.WithHelp("Enter", t.KeyCheckIn)),
		Book:      bind(t.KeyBook, "b"),
		BindCard:  bind(t.KeyBindCard, "k"),
		Pay:       bind(t.KeyPay, "p"),
		TopUp:     bind(t.KeyTopUp, "d"),
		NewClient: bind(t.KeyNewClient, "ctrl+n"),

		Attended:   bind(t.KeyAttended, "a", "space"),
		NoShow:     bind(t.KeyNoShow, "n"),
		Undo:       bind(t.KeyUndo, "u"),
		AddClient:  bind(t.KeyAddClient, "+", "i"),
		WalkIn:     bind(t.KeyWalkIn, "w"),
		Cancel:     bind(t.KeyCancel, "x"),
		LateCancel: bind(t.KeyLateCancel, "X"),

		FillRest: bind(t.KeyFillRest, "="),
		Online:   bind(t.KeyOnline, "ctrl+o"),
		Confirm:  bind(t.KeyConfirm, "enter"),
		Yes:      bind(t.KeyYes, "y", "enter"),

		WentThrough: bind(t.J.KeyWent, "y"),
		NotThrough:  bind(t.J.KeyNotWent, "n"),
		No:          bind(t.KeyNo, "n", "esc"),
	}
	if err := k.override(overrides); err != nil {
		return keyMap{}, err
	}
	return k, nil
}

// override applies the config's [keymap] table. An unknown action is an
// error, so a typo does not silently leave the default in place.
func (k *keyMap) override(overrides map[string][]string) error {
	byName := k.byAction()
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
		b.SetHelp(keyLabel(keys), b.Help().Desc)
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		known := make([]string, 0, len(byName))
		for n := range byName {
			known = append(known, n)
		}
		sort.Strings(known)
		return fmt.Errorf("keymap: unknown action %s (known: %s)", strings.Join(unknown, ", "), strings.Join(known, ", "))
	}
	return nil
}

package keymap

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/ui/i18n"
)

func TestDefaultsPassTheirOwnChecks(t *testing.T) {
	for _, lang := range []string{"ru", "en"} {
		if _, err := New(i18n.For(lang), nil); err != nil {
			t.Fatalf("%s: the default keymap is refused: %v", lang, err)
		}
	}
}

// TestRefusedKeymaps: each override that would let a key act on something
// else than the receptionist meant is refused at start, naming the key and
// the action.
func TestRefusedKeymaps(t *testing.T) {
	for _, c := range []struct {
		name      string
		overrides map[string][]string
		want      []string
	}{
		{"a letter as a global key", map[string][]string{"calendar": {"f3", "t"}}, []string{`"t"`, "calendar", "global"}},
		{"its Russian twin too", map[string][]string{"report": {"f6", "е"}}, []string{`"е"`, "report"}},
		{"Space as a global key", map[string][]string{"search": {"f2", "space"}}, []string{`"space"`, "search"}},
		{"a digit as a global key", map[string][]string{"journal": {"7"}}, []string{`"7"`, "journal"}},
		{"two actions on one key in a context", map[string][]string{"cancel_booking": {"n"}}, []string{`"n"`, "cancel_booking", "no_show"}},
		{"a screen key that is a global key", map[string][]string{"open": {"f2"}}, []string{`"f2"`, "open", "search"}},
		{"Enter answering a question of money", map[string][]string{"yes": {"y", "enter"}}, []string{`"enter"`, "yes"}},
		{"Esc settling a journal entry", map[string][]string{"not_through": {"esc"}}, []string{`"esc"`, "not_through"}},
		{"a letter in a text field's context", map[string][]string{"submit": {"s"}}, []string{`"s"`, "submit"}},
		{"a digit in the payment form", map[string][]string{"fill_rest": {"5"}}, []string{`"5"`, "fill_rest"}},
		{"an unknown action", map[string][]string{"teleport": {"f9"}}, []string{"unknown action teleport"}},
	} {
		_, err := New(i18n.For("en"), c.overrides)
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not say %s", c.name, err, w)
			}
		}
	}
}

func TestAcceptedOverrides(t *testing.T) {
	k, err := New(i18n.For("ru"), map[string][]string{"search": {"f2", "ctrl+f"}, "book": {"g"}, "late_cancel": {}})
	if err != nil {
		t.Fatal(err)
	}
	if !key.Matches(tea.KeyPressMsg{Code: 'f', Mod: tea.ModCtrl}, k.Search) {
		t.Error("ctrl+f does not search")
	}
	// A letter works on either layout: g is п with the Russian one.
	if !key.Matches(tea.KeyPressMsg{Code: 'п', Text: "п"}, k.Book) {
		t.Error("the Russian twin of g does not book")
	}
	if k.LateCancel.Enabled() {
		t.Error("an empty list should switch the action off")
	}
}

func TestQuestionsOfMoneyTakeALetter(t *testing.T) {
	k, _ := New(i18n.For("ru"), nil)
	enter := tea.KeyPressMsg{Code: tea.KeyEnter}
	for _, b := range []key.Binding{k.Yes, k.WentThrough, k.NotThrough, k.No} {
		if key.Matches(enter, b) {
			t.Errorf("Enter answers %q", b.Help().Desc)
		}
	}
	if !key.Matches(tea.KeyPressMsg{Code: 'н', Text: "н"}, k.Yes) {
		t.Error("y on the Russian layout (н) does not answer yes")
	}
}

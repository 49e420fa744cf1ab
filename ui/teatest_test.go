package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/demo"
	"github.com/clubdesk/clubdesk/ui/screens"
)

// TestRealEventLoopTellsScansFromTyping runs the console in Bubble Tea's own
// event loop (teatest), with real timers: a person typing a surname with
// human gaps gets search results; a reader's burst on the same screen opens
// the card, and its digits never reach the search field.
func TestRealEventLoopTellsScansFromTyping(t *testing.T) {
	prov, err := demo.New(providers.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(Options{Provider: prov, Language: "ru"})
	if err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))

	for _, r := range "Зелен" {
		tm.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
		time.Sleep(70 * time.Millisecond)
	}
	time.Sleep(400 * time.Millisecond) // debounce and search
	for _, r := range "0027719048" {
		tm.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	time.Sleep(400 * time.Millisecond)
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)

	if len(final.stack) != 2 {
		t.Fatalf("stack has %d screens, want search then the scanned card", len(final.stack))
	}
	search := screens.Peek(final.stack[0])
	if got := search.Query; got != "Зелен" {
		t.Errorf("search field holds %q: typing was lost or the scan leaked into it", got)
	}
	if len(search.Clients) == 0 || search.Clients[0].LastName != "Зеленина" {
		t.Errorf("typing did not find Зеленина: %d results", len(search.Clients))
	}
	card := screens.Peek(final.stack[1])
	if card.Kind != screens.KindCard || card.Client.LastName != "Блохин" {
		t.Fatalf("the burst did not open Блохин's card: %s", card.Kind)
	}
	view := ansi.Strip(final.View().Content)
	if !contains(view, "СТОП", "утеря") {
		t.Errorf("the blocked card's verdict is not on screen:\n%s", view)
	}
}

func contains(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

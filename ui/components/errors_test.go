package components

import (
	"fmt"
	"strings"
	"testing"

	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/i18n"
)

func TestTheDesksOwnEnglishWordsStayOutOfTheRussianConsole(t *testing.T) {
	err := &providers.Error{Kind: providers.ErrUnavailable, Op: "lessons", Status: 502, Message: "LuckyFit answered HTTP 502", Synthetic: true}
	if got := Describe(i18n.For("ru"), err); got != "CRM недоступна — проверьте связь: HTTP 502" {
		t.Errorf("ru: %q", got)
	}
	if got := Describe(i18n.For("en"), err); !strings.Contains(got, "LuckyFit answered HTTP 502") {
		t.Errorf("en: %q", got)
	}
	own := &providers.Error{Kind: providers.ErrValidation, Op: "sell", Message: "Укажите причину скидки"}
	if got := Describe(i18n.For("ru"), own); !strings.Contains(got, "Укажите причину скидки") {
		t.Errorf("the CRM's own words were dropped: %q", got)
	}
}

func TestAnAdaptersOwnRefusalSpeaksTheConsolesLanguage(t *testing.T) {
	err := providers.Refusal(providers.ErrNotFound, "card lookup", providers.CardNotFound, "0040856634")
	if got := Describe(i18n.For("en"), err); !strings.HasSuffix(got, ": card 0040856634 not found") || strings.ContainsAny(got, "кн") {
		t.Errorf("en: %q", got)
	}
	if got := Describe(i18n.For("ru"), err); !strings.HasSuffix(got, ": карта 0040856634 не найдена") {
		t.Errorf("ru: %q", got)
	}
	if !strings.Contains(err.Error(), "card 0040856634 not found") {
		t.Errorf("the log line %q lost the reason", err.Error())
	}
}

func TestAJournalThatCannotBeWrittenIsNotBlamedOnTheCRM(t *testing.T) {
	err := &providers.Error{Kind: providers.ErrUnavailable, Op: "sell", Message: "the operation journal cannot be written, so nothing was sent",
		Err: fmt.Errorf("%w: disk full", journal.ErrNotRecorded)}
	if got := Describe(i18n.For("ru"), err); strings.Contains(got, "CRM недоступна") || !strings.Contains(got, "Журнал операций не записывается") {
		t.Errorf("ru: %q", got)
	}
}

package screens

import (
	"strings"
	"testing"

	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/ui/i18n"
)

// The journal words what it stores as codes: a mark, a cancellation, a debt.
func TestJournalWordsItsCodedSubjects(t *testing.T) {
	for _, lang := range []string{"en", "ru"} {
		s := &journalScreen{sh: &Common{tr: i18n.For(lang)}}
		for _, in := range []journal.Entry{
			{Kind: models.WriteAttend, Subject: "attended"},
			{Kind: models.WriteCancel, Subject: "late cancel"},
			{Kind: models.WritePaymentPage, Subject: "debt"},
		} {
			got, words := s.what(in), s.sh.tr.J.Subject[in.Subject]
			if words == "" || got != s.sh.tr.J.Kind[in.Kind]+": "+words || lang == "ru" && strings.ContainsAny(got, "abcdefghijklmnopqrstuvwxyz") {
				t.Errorf("%s: %s %q shows as %q", lang, in.Kind, in.Subject, got)
			}
		}
		if got := s.what(journal.Entry{Kind: models.WriteSell, Subject: "debt"}); !strings.HasSuffix(got, ": debt") {
			t.Errorf("%s: a plan's own name was translated: %q", lang, got)
		}
	}
}

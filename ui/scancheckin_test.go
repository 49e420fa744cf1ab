package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/screens"
)

// countCheckIns counts the check-ins reaching the CRM.
type countCheckIns struct {
	providers.Provider
	n *int
}

func (c countCheckIns) CheckIn(ctx context.Context, in models.CheckIn) (models.Visit, error) {
	*c.n++
	return c.Provider.CheckIn(ctx, in)
}

// rushHarness is the console set as a club at rush hour sets it, with a
// journal, counting the check-ins that reach the CRM.
func rushHarness(t *testing.T, lang string, rush RushOptions) (*harness, *int) {
	t.Helper()
	n := new(int)
	var j *journal.Journal
	h := newHarnessWith(t, lang, func(o *Options) {
		o.Rush = rush
		var err error
		j, err = journal.Open(t.TempDir(), journal.Who{Profile: "main", Provider: "demo", Desk: "test", Operator: "Анна"}, journal.WithClock(o.Now))
		if err != nil {
			t.Fatal(err)
		}
		o.Journal = j
		o.Provider = journal.Wrap(o.Provider, j)
	}, func(p providers.Provider) providers.Provider { return countCheckIns{p, n} })
	return h, n
}

var rushDesk = RushOptions{CheckInOnScan: true, BellOnRed: true, FlashOnRed: true}

// TestAGreenScanChecksIn: the scan alone checks a green member in,
// journalled; the card says so in green, and how long it can be undone
// (undo_test.go); the same card again — the CRM's visit and this desk's journal both
// know — is not a second check-in, and Enter asks first.
func TestAGreenScanChecksIn(t *testing.T) {
	h, n := rushHarness(t, "ru", rushDesk)
	h.scan(cardGreen)
	if *n != 1 {
		t.Fatalf("%d check-ins after a green scan, want 1", *n)
	}
	h.expect("✔ вход отмечен 10:05", "z — отменить вход (до 10:10)")
	h.expectNot("ВНИМАНИЕ", "уже отмечен сегодня")
	ops := h.m.sh.Journal().Since(testNow.Add(-time.Hour))
	if len(ops) != 1 || ops[0].Intent.Kind != journal.CheckIn || ops[0].Phase() != journal.Done {
		t.Fatalf("journal = %+v", ops)
	}
	if len(h.raw) != 0 {
		t.Errorf("a green verdict rang: %q", h.raw)
	}
	h.scan(cardGreen)
	if *n != 1 {
		t.Fatalf("%d check-ins after the same card again, want 1", *n)
	}
	h.press("enter")
	h.expect("Отметить ещё раз?")
	h.press("enter") // Enter never answers it
	if *n != 1 {
		t.Fatalf("a second check-in went out on Enter")
	}
}

// TestARepeatedScanIsNotASecondCheckInWhenTheCRMLags: the CRM has not
// shown the first visit yet; this desk's journal has it, so the scan checks
// no one in again, the verdict says they are in already, and Enter asks.
func TestARepeatedScanIsNotASecondCheckInWhenTheCRMLags(t *testing.T) {
	h, n := rushHarness(t, "en", rushDesk)
	c, err := h.m.sh.Provider().ClientByCard(context.Background(), cardGreen)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.m.sh.Journal().Record(journal.Entry{Kind: journal.CheckIn, ClientID: c.ID, Phase: journal.Done}); err != nil {
		t.Fatal(err)
	}
	h.scan(cardGreen)
	if *n != 0 {
		t.Fatalf("%d check-ins, want none: the journal holds one", *n)
	}
	h.expect("CHECK", "Already checked in today: just now")
	h.press("enter")
	h.expect("Check in again?")
}

// TestScanCheckInSwitchedOff: clubs that want Enter get the card as it
// was; Enter checks in and the verdict then says it was done.
func TestScanCheckInSwitchedOff(t *testing.T) {
	h, n := rushHarness(t, "en", RushOptions{})
	h.scan(cardGreen)
	if *n != 0 {
		t.Fatalf("%d check-ins with the switch off", *n)
	}
	h.expect("COME IN")
	h.press("enter")
	if *n != 1 {
		t.Fatalf("%d check-ins after Enter, want 1", *n)
	}
	h.expect("✔ checked in 10:05")
	h.expectNot("CHECK ·", "Already checked in")
}

// TestYellowAndRedAreNotCheckedInByAScan: they open the card as before.
func TestYellowAndRedAreNotCheckedInByAScan(t *testing.T) {
	h, n := rushHarness(t, "ru", rushDesk)
	for _, card := range []string{cardRecent, cardNoVisits, cardDebt, cardBlocked, cardExpired} {
		h.scan(card)
		if p := h.peek(); p.Kind != screens.KindCard || p.Verdict == nil || p.Verdict.Level == models.Green {
			t.Fatalf("%s: %+v", card, p.Verdict)
		}
	}
	if *n != 0 {
		t.Fatalf("%d check-ins from yellow and red scans", *n)
	}
}

// TestARedVerdictIsHeardAndSeen: the bell rings once, the banner flashes
// and ends still; with either switched off, it does not; the banner says
// STOP in words whatever the colours.
func TestARedVerdictIsHeardAndSeen(t *testing.T) {
	h, _ := rushHarness(t, "ru", rushDesk)
	h.scan(cardNoVisits)
	if strings.Join(h.raw, "") != "\a" {
		t.Fatalf("wrote %q to the terminal, want one bell", h.raw)
	}
	h.expect("✖ СТОП")
	h.press("f5") // read again: not a new alarm
	if len(h.raw) != 1 {
		t.Fatalf("the bell rang again on F5: %q", h.raw)
	}

	quiet, _ := rushHarness(t, "en", RushOptions{CheckInOnScan: true})
	quiet.scan(cardNoVisits)
	if len(quiet.raw) != 0 {
		t.Fatalf("the bell rang with bell_on_red off: %q", quiet.raw)
	}
	quiet.expect("✖ STOP")
}

// TestARedVerdictFlashes: the banner turns over and back while flashing
// and ends as it began; its words never change (NO_COLOR keeps them).
func TestARedVerdictFlashes(t *testing.T) {
	var held []tea.Msg
	h := newHarnessWith(t, "en", func(o *Options) {
		o.Rush = rushDesk
		instant := o.After
		o.After = func(d time.Duration, msg tea.Msg) tea.Cmd {
			if strings.HasSuffix(fmt.Sprintf("%T", msg), "flashMsg") {
				held = append(held, msg)
				return nil
			}
			return instant(d, msg)
		}
	})
	h.scan(cardNoVisits)
	banner := func() string {
		for _, l := range strings.Split(h.m.View().Content, "\n") {
			if strings.Contains(ansi.Strip(l), "✖ STOP") {
				return l
			}
		}
		t.Fatalf("no STOP banner:\n%s", h.screen())
		return ""
	}
	first := banner()
	var turned, steps int
	for len(held) > 0 {
		msg := held[0]
		held = held[1:]
		h.send(msg)
		if steps++; steps > 20 {
			t.Fatal("the flashing does not end")
		}
		if banner() != first {
			turned++
		}
	}
	if turned < 2 {
		t.Errorf("the banner turned over %d times in %d steps", turned, steps)
	}
	if banner() != first {
		t.Error("the banner did not end as it began")
	}

	still := newHarnessWith(t, "en", func(o *Options) { o.Rush = RushOptions{BellOnRed: true} })
	still.scan(cardNoVisits)
	still.expect("✖ STOP")
}

// TestARedVerdictLetInWithAPresetReason: scan, Enter, one digit — the
// check-in goes out with the config's reason, journalled as an override;
// a typed reason still works, and a digit typed into it is text.
func TestARedVerdictLetInWithAPresetReason(t *testing.T) {
	desk := rushDesk
	desk.OverrideReasons = []string{"Оплатит после тренировки", "Разрешил управляющий"}
	h, n := rushHarness(t, "ru", desk)
	h.scan(cardNoVisits)
	h.press("enter")
	h.expect("1 — Оплатит после тренировки", "2 — Разрешил управляющий")
	h.press("2")
	if *n != 1 {
		t.Fatalf("%d check-ins after a preset reason, want 1", *n)
	}
	h.expect("✔ вход отмечен")
	var reasons []string
	for _, op := range h.m.sh.Journal().Since(testNow.Add(-time.Hour)) {
		if op.Intent.Kind == journal.Override {
			reasons = append(reasons, op.Intent.Reason)
		}
	}
	if len(reasons) != 1 || reasons[0] != "Разрешил управляющий" {
		t.Fatalf("overrides journalled: %q", reasons)
	}

	h.scan(cardExpired)
	h.press("enter")
	h.typeText("сам 2 раз")
	h.press("enter")
	if *n != 2 {
		t.Fatalf("%d check-ins after a typed reason, want 2", *n)
	}
	last := h.m.sh.Journal().Since(testNow.Add(-time.Hour))
	found := false
	for _, op := range last {
		found = found || op.Intent.Kind == journal.Override && op.Intent.Reason == "сам 2 раз"
	}
	if !found {
		t.Error("the typed reason with a digit in it was not journalled whole")
	}
	// The desk's own reasons where the config lists none.
	en, _ := rushHarness(t, "en", rushDesk)
	en.scan(cardNoVisits)
	en.press("enter")
	en.expect("1 — Will pay after the workout")
}

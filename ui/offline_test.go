package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/offline"
	"github.com/clubdesk/clubdesk/offline/offlinetest"
	"github.com/clubdesk/clubdesk/providers"
)

// offlineHarness is the console over the demo club behind a line the test
// cuts, with the offline desk and the journal in between, as main builds it.
func offlineHarness(t *testing.T) (*harness, *offlinetest.Line, *offline.Desk) {
	t.Helper()
	j, err := journal.Open(t.TempDir(), journal.Who{Profile: "main", Provider: "demo", Operator: "Анна"})
	if err != nil {
		t.Fatal(err)
	}
	var line *offlinetest.Line
	var desk *offline.Desk
	h := newHarnessWith(t, "ru", func(o *Options) { o.Journal = j }, func(p providers.Provider) providers.Provider {
		line = offlinetest.New(p)
		desk = offline.New(line, j, func() time.Time { return testNow })
		return journal.Wrap(desk, j)
	})
	return h, line, desk
}

func TestOfflineDeskKeepsWorkingAndCatchesUp(t *testing.T) {
	h, line, _ := offlineHarness(t)
	h.typeText("Новосёл")
	h.expect("Новосёлов Кирилл")
	h.press("f3", "enter")
	h.expect("Список группы")

	line.Cut()
	h.press("f5")
	h.expect("нет связи с 10:05 · данные на 10:05", "Список группы")
	if line.Calls("MarkAttendance") != 0 {
		t.Fatal("setup")
	}
	before := strings.Count(h.screen(), "не пришёл  ")
	h.press("n")
	h.expect("сохранено на кассе", "ждут отправки: 1")
	if strings.Count(h.screen(), "не пришёл  ") != before+1 {
		t.Fatalf("the kept mark does not show:\n%s", h.screen())
	}

	// A sale offline: refused before anything is sent.
	h.press("f2")
	h.typeText("Новосёл")
	h.press("enter")
	h.press("f4")
	h.expect("без связи деньги не принимаются", "Карточка клиента")
	h.press("p")
	h.expect("без связи деньги не принимаются")
	if line.Calls("Sell") != 0 {
		t.Fatal("a sale went out while offline")
	}

	line.Mend()
	h.send(probeMsg{})
	h.expect("отправлено отложенных отметок: 1")
	h.expectNot("нет связи", "ждут отправки")
	if n := line.Calls("MarkAttendance"); n != 1 {
		t.Fatalf("the kept mark reached the club %d times", n)
	}
}

package ui

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/i18n"
)

// logBuffer is a log the program's goroutines may write at once.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// noOverride is clubdesk serve's refusal for an operator the operators
// file does not let override (serve.NoOverride, which ui cannot import).
func noOverride(name string) error {
	return providers.Refusal(providers.ErrNotPermitted, "check in",
		models.Words{EN: i18n.Serve("en").NoOverride, RU: i18n.Serve("ru").NoOverride}, name)
}

// TestNoOverrideRefusedBeforeTheReason: an operator without the override
// permission presses Enter on a red card and is told at once, in the
// program's own event loop: no reason is asked, a digit typed after is no
// preset reason, nothing reaches the CRM or the journal, and the log says
// no override.
func TestNoOverrideRefusedBeforeTheReason(t *testing.T) {
	var log logBuffer
	d := startDeskProgramOpts(t, strokeLatency, nil, func(o *Options) {
		o.NoOverride = noOverride("Борис")
		o.Logger = slog.New(slog.NewTextHandler(&log, nil))
	})
	d.card(cardNoVisits, "Пустовойт Марина")
	d.together("enter")
	d.waitText("Нет права: Борис не может пропустить при СТОП (permit=override в operators)")
	if s := d.screen(); strings.Contains(s, "Вердикт СТОП. Чтобы всё же пропустить") || strings.Contains(s, "1 — ") {
		t.Fatalf("the reason is asked all the same:\n%s", s)
	}
	d.together("1", "enter")
	d.quiet()
	if n := d.count("CheckIn "); n != 0 {
		t.Fatalf("%d check-ins reached the CRM", n)
	}
	for _, op := range d.j.Since(time.Now().Add(-time.Hour)) {
		if op.Intent.Kind == journal.Override || op.Intent.Kind == journal.CheckIn {
			t.Fatalf("journalled: %s %q", op.Intent.Kind, op.Intent.Reason)
		}
	}
	if strings.Contains(log.String(), "overridden") {
		t.Fatalf("the log tells of an override that did not happen:\n%s", log.String())
	}
}

// refusingCheckIn is a CRM that refuses every check-in.
type refusingCheckIn struct{ providers.Provider }

func (refusingCheckIn) CheckIn(context.Context, models.CheckIn) (models.Visit, error) {
	return models.Visit{}, fmt.Errorf("check in: %w", providers.ErrValidation)
}

// TestOverrideLoggedOnlyWhenItWentThrough: an operator who may override
// types the reason; the log says "red verdict overridden" once the
// check-in went through, and not when the CRM refused it.
func TestOverrideLoggedOnlyWhenItWentThrough(t *testing.T) {
	for _, refused := range []bool{true, false} {
		t.Run(fmt.Sprintf("refused=%v", refused), func(t *testing.T) {
			var log logBuffer
			h := newHarnessWith(t, "ru", func(o *Options) { o.Logger = slog.New(slog.NewTextHandler(&log, nil)) },
				func(p providers.Provider) providers.Provider {
					if refused {
						return refusingCheckIn{p}
					}
					return p
				})
			h.scan(cardNoVisits)
			h.expect("Пустовойт Марина", "СТОП")
			h.press("enter")
			h.expect("Вердикт СТОП")
			h.typeText("разрешил управляющий")
			h.press("enter")
			logged := strings.Contains(log.String(), "red verdict overridden")
			if refused {
				h.expectNot("вход отмечен")
				if logged {
					t.Fatalf("a refused override is logged:\n%s", log.String())
				}
				return
			}
			h.expect("вход отмечен")
			if !logged || !strings.Contains(log.String(), "разрешил управляющий") {
				t.Fatalf("the override is not logged with its reason:\n%s", log.String())
			}
		})
	}
}

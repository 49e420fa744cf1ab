package screens

import (
	"context"
	"errors"
	"time"

	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/ui/components"
)

// Taking back a check-in made from the card (issue 18): for undoWindow
// after it went through, where the provider can (CapUndoCheckIn), after a
// yes; once. Its answer is a toast like any write's: done, refused, or
// unknown — which the journal lists in F7 to be checked.

// madeAt is when the card's check-in went through, or was kept at the
// desk; zero when it made none.
func (s *cardScreen) madeAt() time.Time {
	if !s.checkedAt.IsZero() {
		return s.checkedAt
	}
	return s.keptAt
}

// undoOffered reports whether the card offers to undo its check-in now.
func (s *cardScreen) undoOffered() bool {
	return s.sh.can(providers.CapUndoCheckIn) && !s.madeAt().IsZero() && !s.undone && s.undoing == 0 &&
		s.sh.now().Sub(s.madeAt()) < undoWindow
}

// startUndo asks before taking the check-in back, or says why it cannot.
func (s *cardScreen) startUndo() Action {
	t := s.sh.tr
	switch {
	case s.undoing != 0:
		return nil // one undo at a time: its answer is on its way
	case s.checkIn != 0:
		// The check-in's answer is on its way: nothing to act on yet.
		return toast(models.Yellow, "%s", t.CardLoading)
	case s.unsupported(providers.CapUndoCheckIn):
		return s.sh.refuse(providers.CapUndoCheckIn)
	case s.undone:
		return toast(models.Yellow, "%s", t.R.UndoOnce)
	case s.madeAt().IsZero():
		return toast(models.Yellow, "%s", t.R.NothingToUndo)
	case s.sh.now().Sub(s.madeAt()) >= undoWindow:
		return toast(models.Yellow, t.R.UndoTooLate, s.sh.crmName())
	}
	s.mode = cardUndo
	return nil
}

// doUndo sends the undo the receptionist said yes to — unless the window
// closed while the question was on the screen.
func (s *cardScreen) doUndo() Action {
	if s.sh.now().Sub(s.madeAt()) >= undoWindow {
		return toast(models.Yellow, s.sh.tr.R.UndoTooLate, s.sh.crmName())
	}
	prov, v := s.sh.prov, s.visit
	var a Action
	s.undoing, a = Run(s.sh, s, s.sh.tr.R.KeyUndoCheckIn+": "+components.Clean(s.client.ShortName()), true,
		func(ctx context.Context) (undoneCheckIn, error) { return undoneCheckIn{}, prov.UndoCheckIn(ctx, v) })
	return a
}

// undid says what became of the undo. Done, the banner is the verdict
// again; unknown, it may have happened, so it is never sent again; refused,
// nothing happened and it may be asked again within the window.
func (s *cardScreen) undid(err error) Action {
	sh, name := s.sh, components.Clean(s.client.ShortName())
	switch {
	case err == nil:
		at := sh.clock(s.madeAt())
		s.undone, s.checkedAt, s.keptAt, s.visit = true, time.Time{}, time.Time{}, models.Visit{}
		s.judgedAt = sh.now()
		return toast(models.Green, sh.tr.R.Undone, name, at)
	case errors.Is(err, providers.ErrOffline):
		return toast(models.Red, sh.tr.R.UndoOffline, sh.crmName())
	case components.UnknownOutcome(err), errors.Is(err, context.Canceled):
		s.undone = true
	}
	return toast(components.FailLevel(err), "%s", sh.describe(err))
}

// undoneVisits are the visits whose check-in this desk's journal shows
// taken back (done, or checked and found gone through).
func undoneVisits(ops []journal.Operation) map[string]bool {
	out := map[string]bool{}
	for _, op := range ops {
		if p := op.Phase(); op.Intent.Kind == journal.UndoCheckIn && (p == journal.Done || p == journal.Confirmed) {
			out[op.Intent.SubjectID] = true
		}
	}
	return out
}

// takenBack reports whether the check-in op made the visit an undo took
// back (undone: undoneVisits).
func takenBack(op journal.Operation, undone map[string]bool) bool {
	return op.Last.Ref != "" && undone[op.Last.Ref]
}

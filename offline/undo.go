package offline

import (
	"context"
	"errors"
	"path/filepath"
	"slices"

	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// Taking back a check-in (providers.Writer.UndoCheckIn) follows one rule,
// decided here:
//   - A check-in still kept at the desk (made offline, not sent yet) is
//     dropped from the queue: it never reaches the CRM, its journal
//     operation is settled as not sent, and the visit the desk showed is
//     forgotten. Nothing is sent, so this works offline too.
//   - Any other undo goes to the CRM, and only while it answers. Offline it
//     is refused at once (providers.ErrOffline) and never kept: an undo
//     sent later, of a check-in that may or may not have reached the CRM,
//     at a moment nobody at the desk chose, is not what the receptionist
//     asked for. The card then says to take it back in the CRM.
//   - A kept check-in being sent right now (by this console or another of
//     the profile) is neither dropped nor undone: the receptionist is asked
//     to try again in a moment, when the visit is in the CRM.

// Words of the undo the desk settles or refuses itself.
var (
	undoneKept = models.Words{EN: "taken back at the desk before it was sent", RU: "отменён на кассе до отправки"}
	undoBusy   = models.Words{EN: "the kept check-in is being sent to the CRM right now: try again in a moment",
		RU: "сохранённый вход как раз отправляется в CRM: повторите через минуту"}
	undoSent = models.Words{EN: "the check-in is no longer kept at the desk (sent meanwhile, or settled): take it back in the CRM",
		RU: "вход больше не хранится на кассе (уже отправлен или решён): отмените его в CRM"}
)

// UndoCheckIn drops a check-in still kept at the desk; otherwise it takes
// the check-in back at the CRM, refused while the CRM is silent.
func (d *Desk) UndoCheckIn(ctx context.Context, v models.Visit) error {
	const op = "undo check in"
	if v.ID == "" {
		// The visit the desk showed for a kept check-in: the CRM has none.
		return d.dropKeptCheckIn(op, v)
	}
	if d.isOffline() {
		since, _, _ := d.Offline()
		return &providers.Error{Kind: providers.ErrOffline, Op: op,
			Message: "no connection to the CRM since " + since.Format("15:04") + ": a check-in is not taken back offline, nothing was sent"}
	}
	err := d.next.UndoCheckIn(ctx, v)
	d.note(err)
	if err == nil {
		d.forgetVisit(v, func(x models.Visit) bool { return x.ID == v.ID })
	}
	return err
}

// dropKeptCheckIn takes the kept check-in v stands for off the queue.
func (d *Desk) dropKeptCheckIn(op string, v models.Visit) error {
	if !d.sending.TryLock() {
		return &providers.Error{Kind: providers.ErrUnavailable, Op: op, Desk: undoBusy}
	}
	defer d.sending.Unlock()
	if d.j != nil {
		release, err := lockPath(filepath.Join(d.j.Dir(), ".send.lock"), false)
		if errors.Is(err, errBusy) {
			return &providers.Error{Kind: providers.ErrUnavailable, Op: op, Desk: undoBusy}
		}
		if err == nil {
			defer release()
		}
		if err := d.j.Refresh(); err == nil {
			d.requeue()
		}
	}
	d.mu.Lock()
	i := slices.IndexFunc(d.queue, func(k kept) bool {
		return k.kind == models.WriteCheckIn && k.checkIn.ClientID == v.ClientID && k.at.Equal(v.At)
	})
	var k kept
	if i >= 0 {
		k = d.queue[i]
	}
	d.mu.Unlock()
	if i < 0 || d.standing(k) == keptSettled {
		return &providers.Error{Kind: providers.ErrValidation, Op: op, Desk: undoSent}
	}
	d.drop(k)
	if d.j != nil && k.op != "" {
		_ = d.j.Finish(k.op, journal.Refused, journal.Answer{Why: undoneKept}, "", nil)
	}
	d.forgetVisit(v, func(x models.Visit) bool { return x.ID == "" && x.At.Equal(v.At) })
	return nil
}

// forgetVisit takes the visits of v's client that match out of the desk's
// memory.
func (d *Desk) forgetVisit(v models.Visit, match func(models.Visit) bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	vs, ok := d.visits[v.ClientID]
	if !ok {
		return
	}
	kept := slices.DeleteFunc(slices.Clone(vs), match)
	if len(kept) == len(vs) {
		return
	}
	d.visits[v.ClientID] = kept
	d.stamp(stampVisits + v.ClientID)
	d.changed()
}

package journal

import (
	"context"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// lostUndo sends the undo and never hears back.
type lostUndo struct{ providers.Provider }

func (l lostUndo) UndoCheckIn(ctx context.Context, v models.Visit) error {
	_ = l.Provider.UndoCheckIn(ctx, v)
	return &providers.Error{Kind: providers.ErrOutcomeUnknown, Op: "undo check in", Message: "the answer never came"}
}

// TestUndoCheckInIsAWriteOfItsOwn: taking a check-in back is journalled
// apart from the check-in, naming the visit; done at the CRM it is done,
// and one whose answer never came needs checking like any write.
func TestUndoCheckInIsAWriteOfItsOwn(t *testing.T) {
	dir := t.TempDir()
	club := demoClub(t)
	r := Wrap(club, open(t, dir))
	ctx := context.Background()
	v, err := r.CheckIn(ctx, models.CheckIn{ClientID: "10001"})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.UndoCheckIn(ctx, v); err != nil {
		t.Fatal(err)
	}
	if vs, _ := club.Visits(ctx, "10001", v.At.Add(-time.Minute)); len(vs) != 0 {
		t.Errorf("the visit is still there: %+v", vs)
	}
	ops := open(t, dir).Since(time.Time{})
	if len(ops) != 2 {
		t.Fatalf("%d operations, want the check-in and its undo", len(ops))
	}
	in, undo := ops[0], ops[1]
	if in.Intent.Kind == UndoCheckIn {
		in, undo = undo, in
	}
	if in.Intent.Kind != CheckIn || in.Phase() != Done {
		t.Errorf("the check-in: %+v", in)
	}
	if undo.Intent.Kind != UndoCheckIn || undo.Intent.SubjectID != v.ID || undo.Intent.ClientID != "10001" || undo.Phase() != Done {
		t.Errorf("the undo: %+v %s", undo.Intent, undo.Phase())
	}

	// Refused by the CRM (the visit is gone already): refused, nothing to check.
	if err := r.UndoCheckIn(ctx, v); err == nil {
		t.Fatal("a second undo of the same visit went through")
	}
	// Sent, no answer: it needs checking.
	v, err = r.CheckIn(ctx, models.CheckIn{ClientID: "10001", Override: "тест"})
	if err != nil {
		t.Fatal(err)
	}
	lost := Wrap(lostUndo{club}, r.Journal())
	if err := lost.UndoCheckIn(ctx, v); err == nil {
		t.Fatal("the lost undo reported done")
	}
	pend := open(t, dir).Pending()
	if len(pend) != 1 || pend[0].Intent.Kind != UndoCheckIn || pend[0].Intent.SubjectID != v.ID || pend[0].Phase() != Unknown {
		t.Fatalf("pending %+v", pend)
	}
	if w := pend[0].Lost(); w.Kind != models.WriteUndoCheckIn || w.SubjectID != v.ID {
		t.Errorf("lost write %+v", w)
	}
}

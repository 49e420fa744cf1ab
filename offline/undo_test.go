package offline

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// TestUndoCheckInOnline passes the undo to the CRM and forgets the visit.
func TestUndoCheckInOnline(t *testing.T) {
	d := newDesk(t, demoClub(t), t.TempDir())
	ctx := context.Background()
	v, err := d.rec.CheckIn(ctx, models.CheckIn{ClientID: "10001"})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.rec.UndoCheckIn(ctx, v); err != nil {
		t.Fatal(err)
	}
	if d.line.Calls("UndoCheckIn") != 1 {
		t.Errorf("%d undos reached the CRM", d.line.Calls("UndoCheckIn"))
	}
	if vs, _ := d.club.Visits(ctx, "10001", now.Add(-time.Hour)); len(vs) != 0 {
		t.Errorf("the CRM still has %+v", vs)
	}
	if vs, _ := d.rec.Visits(ctx, "10001", now.Add(-time.Hour)); len(vs) != 0 {
		t.Errorf("the desk still shows %+v", vs)
	}
}

// TestUndoCheckInOfflineIsRefused: a check-in that reached the CRM is not
// taken back while the CRM is silent, and the undo is not kept for later.
func TestUndoCheckInOfflineIsRefused(t *testing.T) {
	d := newDesk(t, demoClub(t), t.TempDir())
	ctx := context.Background()
	v, err := d.rec.CheckIn(ctx, models.CheckIn{ClientID: "10001"})
	if err != nil {
		t.Fatal(err)
	}
	d.line.Cut()
	if _, err := d.rec.Plans(ctx); err == nil {
		t.Fatal("the line is cut but the CRM answered")
	}
	if _, _, off := d.off.Offline(); !off {
		t.Fatal("not offline after the CRM went silent")
	}
	err = d.rec.UndoCheckIn(ctx, v)
	if !errors.Is(err, providers.ErrOffline) {
		t.Fatalf("undo offline: %v, want ErrOffline", err)
	}
	if d.line.Calls("UndoCheckIn") != 0 {
		t.Error("an undo was sent while offline")
	}
	if n := len(d.j.Queue()); n != 0 {
		t.Errorf("%d writes kept: an undo must not wait for the line", n)
	}
	d.line.Mend()
	if _, err := d.off.SendQueued(ctx); err != nil {
		t.Fatal(err)
	}
	if vs, _ := d.club.Visits(ctx, "10001", now.Add(-time.Hour)); len(vs) != 1 {
		t.Errorf("after the line came back the CRM has %d visits, want the check-in still there", len(vs))
	}
}

// TestUndoOfAKeptCheckInDropsIt: a check-in kept offline and taken back
// never reaches the CRM; its journal operation says it was not sent.
func TestUndoOfAKeptCheckInDropsIt(t *testing.T) {
	d := newDesk(t, demoClub(t), t.TempDir())
	ctx := context.Background()
	if _, err := d.rec.Client(ctx, "10001"); err != nil {
		t.Fatal(err)
	}
	d.line.Cut()
	v, err := d.rec.CheckIn(ctx, models.CheckIn{ClientID: "10001"})
	if !errors.Is(err, providers.ErrQueued) {
		t.Fatalf("check-in offline: %v, want it kept", err)
	}
	if err := d.rec.UndoCheckIn(ctx, v); err != nil {
		t.Fatalf("undo of the kept check-in: %v", err)
	}
	if n := len(d.j.Queue()); n != 0 {
		t.Errorf("%d writes still kept", n)
	}
	if vs, _ := d.rec.Visits(ctx, "10001", now.Add(-time.Hour)); len(vs) != 0 {
		t.Errorf("the desk still shows %+v", vs)
	}
	d.line.Mend()
	if _, err := d.off.SendQueued(ctx); err != nil {
		t.Fatal(err)
	}
	if d.line.Calls("CheckIn") != 0 {
		t.Errorf("%d check-ins reached the CRM", d.line.Calls("CheckIn"))
	}
	if vs, _ := d.club.Visits(ctx, "10001", now.Add(-time.Hour)); len(vs) != 0 {
		t.Errorf("the CRM has %+v", vs)
	}
	var in, undo journal.Operation
	for _, op := range d.j.Since(time.Time{}) {
		switch op.Intent.Kind {
		case journal.CheckIn:
			in = op
		case journal.UndoCheckIn:
			undo = op
		}
	}
	if in.Phase() != journal.Refused || undo.Phase() != journal.Done {
		t.Errorf("check-in %s, undo %s; want refused (not sent) and done", in.Phase(), undo.Phase())
	}
	// Taken back once: a second undo finds nothing kept.
	if err := d.rec.UndoCheckIn(ctx, v); err == nil {
		t.Error("the kept check-in was taken back twice")
	}
}

package gocrmtest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/gocrm"
	"github.com/clubdesk/clubdesk/providers/gocrm/gocrmtest"
)

// A booking whose answer was lost is looked for by a desk started again
// (nothing of the timetable read yet): found when Go-CRM holds it, not
// found for a client who is not booked.
func TestReconcileFindsALostBooking(t *testing.T) {
	loc, _ := time.LoadLocation(gocrmtest.Timezone)
	now := time.Date(2026, 11, 22, 10, 5, 0, 0, loc)
	srv := gocrmtest.New(func() time.Time { return now })
	defer srv.Close()
	desk := func() *gocrm.Client {
		c, err := gocrm.New(providers.Settings{BaseURL: srv.URL, Branch: gocrmtest.CenterID, Timezone: gocrmtest.Timezone,
			Secrets: keyring{"app_token": gocrmtest.AppToken, "access_token": gocrmtest.AccessToken},
			Extra:   map[string]any{"person": "admin"}, Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ctx := context.Background()
	first := desk()
	from, to := models.DateOf(now, loc).Bounds(loc)
	if _, err := first.Lessons(ctx, from, to); err != nil {
		t.Fatal(err)
	}
	evening := srv.HourAt(17, 0)
	lost := models.LostWrite{Kind: models.WriteBook, ClientID: "1003", SubjectID: evening, SentAt: now}
	if f, err := first.Reconcile(ctx, lost); err != nil || f.Found {
		t.Fatalf("before the booking: %+v %v", f, err)
	}
	b, err := first.Book(ctx, evening, "1003")
	if err != nil {
		t.Fatal(err)
	}

	again := desk()
	var rec providers.Reconciler = again
	f, err := rec.Reconcile(ctx, lost)
	if err != nil || !f.Found || f.Detail.EN != "booking № "+b.ID || !strings.Contains(f.Detail.RU, b.ID) {
		t.Fatalf("lost booking: %+v %v", f, err)
	}
	f, err = rec.Reconcile(ctx, models.LostWrite{Kind: models.WriteBook, ClientID: "1003", SubjectID: srv.HourAt(9, 0), SentAt: now})
	if err != nil || f.Found || f.Detail != providers.BookingMissing {
		t.Fatalf("a lesson the client is not booked for: %+v %v", f, err)
	}
	if _, err := rec.Reconcile(ctx, models.LostWrite{Kind: models.WriteNewClient, SentAt: now}); err == nil {
		t.Fatal("a lead cannot be looked for, and the desk must say so")
	}
}

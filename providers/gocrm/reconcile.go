package gocrm

import (
	"context"
	"fmt"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// Reconcile implements providers.Reconciler for the one write of the desk's
// that Go-CRM's documents let it read back: a booking (POST /client-hours/)
// leaves the client's entry for the hour in GET /client-hours, asked for
// with clientId from the start of the day the booking was sent (or of the
// hour's day, when the timetable read it and it is earlier). Found is said
// only when the entry is there. A lead (POST /leads) cannot be looked for:
// the public API lists no leads. Money is never taken at this desk, so
// there is no payment to look for.
func (c *Client) Reconcile(ctx context.Context, w models.LostWrite) (models.Finding, error) {
	if w.Kind != models.WriteBook {
		return models.Finding{}, fmt.Errorf("reconcile: Go-CRM keeps no trace of a %s the desk can look up", w.Kind)
	}
	if w.ClientID == "" || w.SubjectID == "" {
		return models.Finding{}, fmt.Errorf("reconcile: the lost booking names no client or lesson")
	}
	since, _ := models.DateOf(w.SentAt, c.loc).Bounds(c.loc)
	if h, ok := c.hour(w.SubjectID); ok {
		if at, ok := h.Datetime.At(c.loc); ok {
			if day, _ := models.DateOf(at, c.loc).Bounds(c.loc); day.Before(since) {
				since = day
			}
		}
	}
	ws, err := c.clientHours(ctx, "reconcile", w.ClientID, since, nil)
	if err != nil {
		return models.Finding{}, err
	}
	step := models.FoundStep{Kind: models.StepRecord, What: providers.Words{EN: "the booking", RU: "запись"}}
	for _, e := range ws {
		if id := e.clientID(); id != "" && id != w.ClientID {
			continue // assumption 5: keep what is the client's
		}
		for _, h := range e.Hour {
			if string(h.ID) == w.SubjectID {
				step.Found, step.Ref, step.Detail = true, string(e.ID), providers.Words{EN: "№ %s", RU: "№ %s"}.Fill(e.ID)
				return models.Finding{Found: true, Detail: providers.BookingFound.Fill(e.ID), Steps: []models.FoundStep{step}}, nil
			}
		}
	}
	return models.Finding{Detail: providers.BookingMissing, Steps: []models.FoundStep{step}}, nil
}

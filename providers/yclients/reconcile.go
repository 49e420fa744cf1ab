package yclients

import (
	"context"
	"fmt"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// Reconcile implements providers.Reconciler: it looks in YCLIENTS for what
// a write whose answer was lost left there. A visit's payment leaves its
// record paid; a booking, the client's record in the group event. Found is
// said only when YCLIENTS shows it; nothing found is not proof it failed.
func (c *Client) Reconcile(ctx context.Context, w models.LostWrite) (models.Finding, error) {
	switch w.Kind {
	case models.WritePay:
		if w.SubjectID == "" {
			return models.Finding{}, fmt.Errorf("reconcile: the lost payment names no visit")
		}
		if err := c.prepare(ctx, "reconcile"); err != nil {
			return models.Finding{}, err
		}
		r, err := c.record(ctx, "reconcile", w.SubjectID)
		if err != nil {
			return models.Finding{}, err
		}
		if r.paid() {
			return models.Finding{Found: true, Detail: providers.Words{EN: "the visit (record № %s) is paid", RU: "визит (запись № %s) оплачен"}.Fill(r.ID)}, nil
		}
		return models.Finding{Detail: providers.Words{EN: "the visit (record № %s) is not paid, %s due", RU: "визит (запись № %s) не оплачен, к оплате %s"}.Fill(r.ID, r.dueOr(c.currency()))}, nil
	case models.WriteBook:
		kind, aid := parseLesson(w.SubjectID)
		if kind != 'A' {
			return models.Finding{}, fmt.Errorf("reconcile: %q is not a group event", w.SubjectID)
		}
		if err := c.prepare(ctx, "reconcile"); err != nil {
			return models.Finding{}, err
		}
		roster, _, err := c.activityRoster(ctx, w.SubjectID, aid, true)
		if err != nil {
			return models.Finding{}, err
		}
		for _, b := range roster {
			if b.ClientID == w.ClientID && b.Active() {
				return models.Finding{Found: true, Detail: providers.BookingFound.Fill(b.ID)}, nil
			}
		}
		return models.Finding{Detail: providers.BookingMissing}, nil
	}
	return models.Finding{}, fmt.Errorf("reconcile: YCLIENTS keeps no trace of a %s the desk can look up", w.Kind)
}

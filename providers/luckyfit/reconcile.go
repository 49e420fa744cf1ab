package luckyfit

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// reconcileWindow is how far around the moment a lost write was sent its
// trace is looked for: the desk's and LuckyFit's clocks may differ a little.
const reconcileWindow = 5 * time.Minute

// Reconcile implements providers.Reconciler: it looks for what a write
// whose answer was lost left in LuckyFit. A payment or top-up leaves
// transactions of the client at this desk's point_name, one per part, for
// the part's amount; a sale leaves the client's ticket for the plan, and
// its payments; a booking, the client in the lesson's bookings. Found is
// said only when every part is there. (A sale is matched by the plan: a
// client who already held a ticket for the same plan is told apart by the
// payments, which must be there too.)
func (c *Client) Reconcile(ctx context.Context, w models.LostWrite) (models.Finding, error) {
	switch w.Kind {
	case models.WriteSell, models.WritePay, models.WriteTopUp:
	case models.WriteBook:
		return c.bookingTrace(ctx, w)
	default:
		return models.Finding{}, fmt.Errorf("reconcile: LuckyFit keeps no trace of a %s the desk can look up", w.Kind)
	}
	var found []models.Words
	if w.Kind == models.WriteSell {
		ticket, ok, err := c.soldTicket(ctx, w)
		if err != nil {
			return models.Finding{}, err
		}
		if !ok {
			return models.Finding{Detail: providers.Words{EN: "the membership was not found on the client", RU: "абонемент клиенту не найден"}}, nil
		}
		found = append(found, providers.Words{EN: "membership № %s «%s»", RU: "абонемент № %s «%s»"}.Fill(ticket.ID, ticket.Name))
	}
	txs, err := c.transactionsAround(ctx, w.ClientID, w.SentAt)
	if err != nil {
		return models.Finding{}, err
	}
	for _, p := range w.Payments {
		i := slices.IndexFunc(txs, func(t wireTransaction) bool { return money(t.Summ).Minor == p.Amount.Minor })
		if i < 0 {
			missing := providers.Words{EN: "payment %s not found", RU: "платёж %s не найден"}.Fill(p.Amount)
			return models.Finding{Detail: models.Join(append(found, missing), "; ")}, nil
		}
		at, _ := txs[i].CreatedAt.At(c.loc)
		found = append(found, providers.Words{EN: "payment %s № %s at %s", RU: "платёж %s № %s в %s"}.Fill(p.Amount, txs[i].ID, at.Format("15:04")))
		txs = slices.Delete(txs, i, i+1) // one transaction answers one part
	}
	return models.Finding{Found: true, Detail: models.Join(found, "; ")}, nil
}

// bookingTrace looks for the client in the lesson's bookings.
func (c *Client) bookingTrace(ctx context.Context, w models.LostWrite) (models.Finding, error) {
	var ws []wireBooking
	if err := c.get(ctx, "reconcile", "/lesson_calendar_bookings", map[string]any{"lesson_calendar_id": w.SubjectID}, &ws); err != nil {
		return models.Finding{}, err
	}
	for _, b := range ws {
		if string(b.ClientID) == w.ClientID {
			return models.Finding{Found: true, Detail: providers.BookingFound.Fill(b.ID)}, nil
		}
	}
	return models.Finding{Detail: providers.BookingMissing}, nil
}

// soldTicket finds the client's ticket for the plan of a lost sale.
func (c *Client) soldTicket(ctx context.Context, w models.LostWrite) (wireTicket, bool, error) {
	var current []wireTicket
	filters := map[string]any{"client_id": w.ClientID, "ticket_state": stateActiveNotStarted}
	if err := c.get(ctx, "reconcile", "/client_tickets", filters, &current); err != nil {
		return wireTicket{}, false, err
	}
	for _, t := range current {
		if string(t.TicketID) == w.SubjectID {
			return t, true, nil
		}
	}
	return wireTicket{}, false, nil
}

// transactionsAround lists the client's transactions at this desk written
// around the moment sent.
func (c *Client) transactionsAround(ctx context.Context, clientID string, sent time.Time) ([]wireTransaction, error) {
	filters := map[string]any{
		"lo#created_at": wireTime(sent.Add(-reconcileWindow), c.loc),
		"hi#created_at": wireTime(sent.Add(reconcileWindow), c.loc),
	}
	if c.pointName != "" {
		filters["point_name"] = c.pointName
	}
	var txs []wireTransaction
	if err := c.get(ctx, "reconcile", "/transactions", filters, &txs); err != nil {
		return nil, err
	}
	return slices.DeleteFunc(txs, func(t wireTransaction) bool { return string(t.ClientID) != clientID }), nil
}

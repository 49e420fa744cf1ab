package luckyfit

import (
	"context"
	"slices"
	"time"

	"github.com/clubdesk/clubdesk/models"
)

// wireEntry is a pass through the access control, from /access_logs
// (assumption 10).
type wireEntry struct {
	ID        id    `json:"id"`
	ClientID  id    `json:"client_id"`
	CreatedAt stamp `json:"created_at"`
}

// entries reads the access log between two instants.
func (c *Client) entries(ctx context.Context, op string, from, to time.Time) ([]wireEntry, error) {
	var es []wireEntry
	filters := map[string]any{"lo#created_at": wireTime(from, c.loc), "hi#created_at": wireTime(to, c.loc)}
	err := c.get(ctx, op, "/access_logs", filters, &es)
	return es, err
}

// Visits are the client's entries through LuckyFit's access control. The
// log has no client filter, so only today's entries are read (a club's
// whole month would be thousands of lines), newest first.
func (c *Client) Visits(ctx context.Context, clientID string, since time.Time) ([]models.Visit, error) {
	now := c.now()
	dayStart, _ := models.DateOf(now, c.loc).Bounds(c.loc)
	if since.Before(dayStart) {
		since = dayStart
	}
	es, err := c.entries(ctx, "visits", since, now.Add(time.Minute))
	if err != nil {
		return nil, err
	}
	var out []models.Visit
	for _, e := range es {
		if string(e.ClientID) != clientID {
			continue
		}
		if at, ok := e.CreatedAt.At(c.loc); ok {
			out = append(out, models.Visit{ID: string(e.ID), ClientID: clientID, At: at})
		}
	}
	slices.SortFunc(out, func(a, b models.Visit) int { return b.At.Compare(a.At) })
	return out, nil
}

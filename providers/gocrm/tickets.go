package gocrm

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/models"
)

// plansTTL is how long the season tickets for sale are kept.
const plansTTL = time.Hour

// seasonTickets is GET /season-tickets, kept for an hour: the plans, and
// the names of the kinds of exercise the timetable shows.
func (c *Client) seasonTickets(ctx context.Context) ([]wirePlan, error) {
	c.mu.Lock()
	if c.cache.plans != nil && c.now().Sub(c.cache.plansAt) < plansTTL {
		ps := c.cache.plans
		c.mu.Unlock()
		return ps, nil
	}
	c.mu.Unlock()
	var ps []wirePlan
	if _, err := c.get(ctx, "plans", "/season-tickets", nil, &ps); err != nil {
		return nil, err
	}
	if ps == nil {
		ps = []wirePlan{}
	}
	c.mu.Lock()
	c.cache.plans, c.cache.plansAt = ps, c.now()
	c.mu.Unlock()
	return ps, nil
}

// Plans lists the season tickets this center sells: the common ones and
// its own.
func (c *Client) Plans(ctx context.Context) ([]models.Plan, error) {
	center, err := c.centerID(ctx)
	if err != nil {
		return nil, err
	}
	ps, err := c.seasonTickets(ctx)
	if err != nil {
		return nil, err
	}
	var out []models.Plan
	for _, p := range ps {
		if p.ID == "" || !bool(p.Common) && p.Center != "" && string(p.Center) != center {
			continue
		}
		out = append(out, p.plan())
	}
	slices.SortStableFunc(out, func(a, b models.Plan) int { return strings.Compare(a.Group, b.Group) })
	return out, nil
}

// typeNames maps exerciseTypeId to its name, as season tickets give them
// (assumption 7).
func typeNames(ps []wirePlan) map[string]string {
	out := map[string]string{}
	for _, p := range ps {
		if p.ExerciseTypeID != "" && strings.TrimSpace(string(p.ExerciseType)) != "" {
			out[string(p.ExerciseTypeID)] = strings.TrimSpace(string(p.ExerciseType))
		}
	}
	return out
}

// exerciseTypes names the kinds of exercise; the timetable does not wait
// on it.
func (c *Client) exerciseTypes(ctx context.Context) map[string]string {
	ps, err := c.seasonTickets(ctx)
	if err != nil {
		c.log.Warn("kinds of exercise not read", "err", err)
		return nil
	}
	return typeNames(ps)
}

// Memberships is the client's GET /client-season-tickets (assumption 5:
// the client is asked for with clientId, and the answer is kept to that
// client's tickets).
func (c *Client) Memberships(ctx context.Context, clientID string) ([]models.Membership, error) {
	if _, isLead := c.lead(clientID); isLead {
		return nil, nil
	}
	var ts []wireTicket
	if _, err := c.get(ctx, "memberships", "/client-season-tickets", map[string]any{"clientId": clientID}, &ts); err != nil {
		return nil, err
	}
	today := c.today()
	var out []models.Membership
	for _, t := range ts {
		if t.ID == "" || t.ClientID != "" && string(t.ClientID) != clientID {
			continue
		}
		m := t.membership(today)
		m.ClientID = clientID
		out = append(out, m)
	}
	return out, nil
}

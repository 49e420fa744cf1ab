package luckyfit

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"golang.org/x/sync/errgroup"
)

// wireTicket is a plan from /tickets, or a client's ticket from
// /client_tickets, which carries the plan's fields and its own
// (assumptions 1, 2).
type wireTicket struct {
	ID             id     `json:"id"`
	TicketID       id     `json:"ticket_id"`
	TicketClassID  id     `json:"ticket_class_id"`
	TicketKind     number `json:"ticket_kind"`
	Name           text   `json:"name"`
	Description    text   `json:"description"`
	Duration       number `json:"duration"`
	TimeKindID     number `json:"time_kind_id"`
	Price          amount `json:"price"`
	MembershipSumm amount `json:"membership_summ"`
	Passes         number `json:"passes"`
	StartKind      number `json:"start_kind"`

	ClientID            id     `json:"client_id"`
	Started             stamp  `json:"started"`
	Ended               stamp  `json:"ended"`
	Finished            stamp  `json:"finished"`
	EndDate             stamp  `json:"end_date"`
	ExpiredAt           stamp  `json:"expired_at"`
	PassesLeft          count  `json:"passes_left"`
	RestPasses          count  `json:"rest_passes"`
	RemainingPasses     count  `json:"remaining_passes"`
	AccountSummID       id     `json:"account_summ_id"`
	AccountMembershipID id     `json:"account_membership_id"`
	Frozen              flag   `json:"frozen"`
	IsFrozen            flag   `json:"is_frozen"`
	FreezeEnd           stamp  `json:"freeze_end"`
	FrozenUntil         stamp  `json:"frozen_until"`
	Debt                amount `json:"debt"`
	SummDebt            amount `json:"summ_debt"`
	Unpaid              amount `json:"unpaid"`
	Discount            amount `json:"discount"`
	DiscountKind        count  `json:"discount_kind"`
	CreatedAt           stamp  `json:"created_at"`
}

// startOnFirstVisit is start_kind 2: the ticket starts on the first entry
// (1 starts at the sale).
const startOnFirstVisit = 2

// time_kind_id units of duration.
const (
	kindMinute = 1
	kindHour   = 2
	kindDay    = 3
	kindMonth  = 4
	kindYear   = 5
)

func (w wireTicket) plan(group string) models.Plan {
	p := models.Plan{
		ID: string(w.ID), Name: string(w.Name), Group: group, Description: string(w.Description),
		Price: w.Price.Known(currency), MembershipFee: money(w.MembershipSumm), Visits: max(int(w.Passes), 0),
		StartsOnFirstVisit: w.StartKind == startOnFirstVisit,
	}
	p.Days, p.Months = validity(w.Duration, w.TimeKindID)
	switch {
	case w.TicketKind == 0:
		p.Kind = models.PlanTrial
	case w.TicketKind == 2:
		p.Kind = models.PlanExtra
	case p.MembershipFee.IsPositive():
		p.Kind = models.PlanMembership
	}
	return p
}

// validity reads duration in time_kind_id's units (1 minute, 2 hour, 3
// day, 4 month, 5 year). Minutes and hours are a pass within the day. A
// duration or unit that is missing implies no validity at all (assumption
// 2): the desk never makes an end up.
func validity(duration, kind number) (days, months int) {
	n := int(duration)
	if n <= 0 {
		return 0, 0
	}
	switch kind {
	case kindMonth:
		return 0, n
	case kindYear:
		return 0, 12 * n
	case kindDay:
		return n, 0
	case kindMinute, kindHour:
		return 1, 0
	}
	return 0, 0
}

// end is the last day the ticket itself states, from the first present of
// its aliased fields.
func (w wireTicket) end() (models.Date, bool) {
	for _, s := range []stamp{w.Ended, w.Finished, w.EndDate, w.ExpiredAt} {
		if d, ok := s.Date(); ok {
			return d, true
		}
	}
	return models.Date{}, false
}

// firstAmount is the first of several aliased amounts that could be read;
// when one was sent and none could be read, the amount is unknown (never
// zero).
func firstAmount(as ...amount) models.Money {
	sent := false
	for _, a := range as {
		if m, ok := a.Money(currency); ok {
			return m
		}
		sent = sent || a.Sent()
	}
	if sent {
		return models.UnknownMoney(currency)
	}
	return models.Money{Currency: currency}
}

func money(a amount) models.Money { return a.Or(currency) }

// membership maps a client's ticket; listed says under which ticket_state
// it came (active-or-not-started, or finished).
func (w wireTicket) membership(finished bool, today models.Date) models.Membership {
	p := w.plan("")
	m := models.Membership{
		ID: string(w.ID), ClientID: string(w.ClientID), PlanID: string(w.TicketID), Kind: p.Kind,
		Title: string(w.Name), Unlimited: p.Unlimited(), VisitsTotal: p.Visits,
		AmountDue: firstAmount(w.Debt, w.SummDebt, w.Unpaid),
	}
	if d, ok := w.Started.Date(); ok {
		m.Start = d
	}
	if d, ok := w.end(); ok {
		m.End = d
	} else if !m.Start.IsZero() && p.HasValidity() {
		m.End = p.EndFor(m.Start)
	}
	left := first(w.PassesLeft, w.RestPasses, w.RemainingPasses)
	switch {
	case m.Unlimited:
	case left.OK:
		m.VisitsLeft = int(left.Value)
	default:
		m.VisitsLeft = m.VisitsTotal
	}
	for _, s := range []stamp{w.FreezeEnd, w.FrozenUntil} {
		if d, ok := s.Date(); ok {
			m.FrozenUntil = d
			break
		}
	}
	switch {
	case finished:
		m.State = models.StateExpired
	case bool(w.Frozen || w.IsFrozen):
		m.State = models.StateFrozen
	case m.Start.IsZero() || m.Start.After(today):
		m.State = models.StateNotStarted
	default:
		m.State = models.StateActive
	}
	return m
}

// planEntry is a cached plan with the accounts it needs for a sale.
type planEntry struct {
	plan models.Plan
}

// Plans lists the assortment (ticket_id: null keeps clients' tickets out),
// grouped by /ticket_classes, cached for the session.
func (c *Client) Plans(ctx context.Context) ([]models.Plan, error) {
	c.mu.Lock()
	cached := c.plans
	c.mu.Unlock()
	if cached != nil {
		return plansOf(cached), nil
	}
	var tickets []wireTicket
	var classes []struct {
		ID   id   `json:"id"`
		Name text `json:"name"`
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return c.get(gctx, "plans", "/tickets", map[string]any{"ticket_id": nil}, &tickets) })
	g.Go(func() error { return c.get(gctx, "plans", "/ticket_classes", nil, &classes) })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	group := map[id]string{}
	for _, cl := range classes {
		group[cl.ID] = string(cl.Name)
	}
	entries := make([]planEntry, 0, len(tickets))
	for _, t := range tickets {
		if t.ID == "" || t.TicketID != "" {
			continue // a client's ticket slipped in: not for sale
		}
		p := t.plan(group[t.TicketClassID])
		if p.Price.Minor < 0 || p.MembershipFee.Minor < 0 {
			c.log.Warn("plan with a negative price left out", "plan", p.ID)
			continue // nobody is sold a plan that pays the client
		}
		entries = append(entries, planEntry{plan: p})
	}
	slices.SortStableFunc(entries, func(a, b planEntry) int { return strings.Compare(a.plan.Group, b.plan.Group) })
	c.mu.Lock()
	c.plans = entries
	c.mu.Unlock()
	return plansOf(entries), nil
}

func plansOf(es []planEntry) []models.Plan {
	out := make([]models.Plan, len(es))
	for i, e := range es {
		out[i] = e.plan
	}
	return out
}

// Ticket states of /client_tickets.
const (
	stateFinished         = 2
	stateActiveNotStarted = 4
)

// finishedShown is how many ended memberships the card lists.
const finishedShown = 3

// Memberships lists the client's current tickets and the latest ended ones.
// The current ones are read every time. The ended ones are read with them,
// in one parallel round, unless this client's were read within finishedTTL
// and every ticket current then is current still: a ticket reaches
// ticket_state 2 by leaving 4, so with none gone the ended list is as it
// was (assumption 2). One gone (ended, or deleted) has them read again.
func (c *Client) Memberships(ctx context.Context, clientID string) ([]models.Membership, error) {
	var current, ended []wireTicket
	kept, ok := c.keptFinished(clientID)
	readCurrent := func(ctx context.Context) error {
		return c.get(ctx, "memberships", "/client_tickets", map[string]any{"client_id": clientID, "ticket_state": stateActiveNotStarted}, &current)
	}
	readEnded := func(ctx context.Context) error {
		return c.get(ctx, "memberships", "/client_tickets", map[string]any{"client_id": clientID, "ticket_state": stateFinished}, &ended)
	}
	at := c.now()
	if ok {
		if err := readCurrent(ctx); err != nil {
			return nil, err
		}
		if kept.covers(current) {
			ended = kept.ended
			at = kept.at // the ended list is as old as its read
		} else if err := readEnded(ctx); err != nil {
			return nil, err
		}
	} else {
		g, gctx := errgroup.WithContext(ctx)
		g.Go(func() error { return readCurrent(gctx) })
		g.Go(func() error { return readEnded(gctx) })
		if err := g.Wait(); err != nil {
			return nil, err
		}
	}
	c.keepFinished(clientID, current, ended, at)
	today := models.DateOf(c.now(), c.loc)
	dues := c.dues(ctx, clientID, current)
	var out []models.Membership
	for _, t := range current {
		m := t.membership(false, today)
		m.AmountDue, m.DueUnknown = dues[string(t.ID)].amount()
		out = append(out, m)
	}
	var old []models.Membership
	for _, t := range ended {
		old = append(old, t.membership(true, today))
	}
	slices.SortFunc(old, func(a, b models.Membership) int { return b.End.Compare(a.End) })
	return append(out, old[:min(len(old), finishedShown)]...), nil
}

// finishedTTL is how long a client's ended tickets are kept for the cards
// after (assumption 2): a change that does not pass through the current
// list (an ended ticket edited or deleted in LuckyFit) shows within it.
const finishedTTL = 10 * time.Minute

// finishedMemo is a client's ended tickets as read at at, and the ids of
// the tickets current when they were last known to be the whole list.
type finishedMemo struct {
	at      time.Time
	ended   []wireTicket
	current map[string]bool
}

// covers reports whether every ticket current at the memo's time is in
// current: none has ended since.
func (f finishedMemo) covers(current []wireTicket) bool {
	now := make(map[string]bool, len(current))
	for _, t := range current {
		now[string(t.ID)] = true
	}
	for id := range f.current {
		if !now[id] {
			return false
		}
	}
	return true
}

// keptFinished is the client's ended tickets if read within finishedTTL.
func (c *Client) keptFinished(clientID string) (finishedMemo, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.finished[clientID]
	if !ok || c.now().Sub(f.at) > finishedTTL {
		return finishedMemo{}, false
	}
	return f, true
}

// keepFinished keeps the client's ended tickets, read at at, with the
// current ones they go with, and drops the memos past finishedTTL.
func (c *Client) keepFinished(clientID string, current, ended []wireTicket, at time.Time) {
	ids := make(map[string]bool, len(current))
	for _, t := range current {
		ids[string(t.ID)] = true
	}
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, f := range c.finished {
		if now.Sub(f.at) > finishedTTL {
			delete(c.finished, id)
		}
	}
	c.finished[clientID] = finishedMemo{at: at, ended: ended, current: ids}
}

// clientTicket reads one of the client's current tickets by id.
func (c *Client) clientTicket(ctx context.Context, op, clientID, ticketID string) (wireTicket, error) {
	var current []wireTicket
	if err := c.get(ctx, op, "/client_tickets", map[string]any{"client_id": clientID, "ticket_state": stateActiveNotStarted}, &current); err != nil {
		return wireTicket{}, err
	}
	for _, t := range current {
		if string(t.ID) == ticketID {
			return t, nil
		}
	}
	return wireTicket{}, providers.Refusal(providers.ErrNotFound, op, providers.Words{EN: "the client has no membership %s", RU: "абонемент %s не найден у клиента"}, ticketID)
}

// wireAccount is a deposit account of /client_accounts (assumption 9).
type wireAccount struct {
	ID      id     `json:"id"`
	Balance amount `json:"balance"`
	Summ    amount `json:"summ"`
}

func (a wireAccount) balance() models.Money {
	return firstAmount(a.Balance, a.Summ)
}

func (c *Client) accounts(ctx context.Context, clientID string) ([]wireAccount, error) {
	var as []wireAccount
	err := c.get(ctx, "deposit", "/client_accounts", map[string]any{"client_id": clientID}, &as)
	return as, err
}

// dayRange is the club's day as LuckyFit's filters want it.
func (c *Client) dayRange(d models.Date) (string, string) {
	from, to := d.Bounds(c.loc)
	return wireTime(from, c.loc), wireTime(to.Add(-time.Second), c.loc)
}

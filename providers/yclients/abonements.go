package yclients

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// wireAbonement is a client's abonement from GET /api/v1/loyalty/abonements
// (developer.alteg.io, "Get Client Memberships"; assumption 8).
type wireAbonement struct {
	ID                 id                        `json:"id"`
	Number             text                      `json:"number"`
	BalanceString      text                      `json:"balance_string"`
	IsFrozen           flag                      `json:"is_frozen"`
	FreezeTill         stamp                     `json:"freeze_till"`
	Period             number                    `json:"period"`
	PeriodUnitID       number                    `json:"period_unit_id"`
	Status             object[wireStatus]        `json:"status"`
	Balance            object[wireBalance]       `json:"balance_container"`
	Type               object[wireAbonementType] `json:"type"`
	ExpirationDate     stamp                     `json:"expiration_date"`
	ActivatedDate      stamp                     `json:"activated_date"`
	CreatedDate        stamp                     `json:"created_date"`
	IsUnitedBalance    flag                      `json:"is_united_balance"`
	UnitedUnlimited    flag                      `json:"is_united_balance_unlimited"`
	UnitedServicesLeft count                     `json:"united_balance_services_count"`
}

type wireStatus struct {
	ID    number `json:"id"`
	Title text   `json:"title"`
}

type wireBalance struct {
	Links list[wireBalanceLink] `json:"links"`
}

// wireBalanceLink is what an abonement holds for one service or category:
// count visits, or unlimited (Altegio's is_unlimited).
type wireBalanceLink struct {
	Count       number                      `json:"count"`
	IsUnlimited flag                        `json:"is_unlimited"`
	Category    object[wireBalanceCategory] `json:"category"`
	Service     object[wireBalanceCategory] `json:"service"`
}

type wireBalanceCategory struct {
	ID    id   `json:"id"`
	Title text `json:"title"`
}

func (l wireBalanceLink) title() string {
	return first(strings.TrimSpace(string(l.Category.V.Title)), strings.TrimSpace(string(l.Service.V.Title)))
}

// Abonement status ids (status.id): 1 issued, not yet used; 2 active; 3
// expired; 4 used up (assumption 8).
const (
	abonementIssued  = 1
	abonementActive  = 2
	abonementExpired = 3
	abonementUsedUp  = 4
)

type wireAbonementType struct {
	ID                  id                  `json:"id"`
	Title               text                `json:"title"`
	IsUnitedBalance     flag                `json:"is_united_balance"`
	UnitedServicesCount number              `json:"united_balance_services_count"`
	Balance             object[wireBalance] `json:"balance_container"`
}

// visits sums the limited links; unlimited says a link has no limit.
func (b wireBalance) visits() (n int, unlimited bool) {
	for _, l := range b.Links {
		if l.IsUnlimited {
			unlimited = true
			continue
		}
		n += max(int(l.Count), 0)
	}
	return n, unlimited
}

// services is the abonement's balance per link, for the row, when it has
// more than one link or an unlimited one.
func (b wireBalance) services(usedUp bool) []models.ServiceBalance {
	var out []models.ServiceBalance
	unlimited := false
	for _, l := range b.Links {
		sb := models.ServiceBalance{Title: l.title(), Left: max(int(l.Count), 0), Unlimited: bool(l.IsUnlimited)}
		if usedUp {
			sb.Left, sb.Unlimited = 0, false
		}
		unlimited = unlimited || sb.Unlimited
		out = append(out, sb)
	}
	if len(out) < 2 && !unlimited {
		return nil
	}
	return out
}

func (w wireAbonement) model(clientID, cur string) models.Membership {
	t := w.Type.V
	m := models.Membership{
		ID: string(w.ID), ClientID: clientID, PlanID: string(t.ID), Kind: models.PlanRegular,
		Title:     first(strings.TrimSpace(string(t.Title)), strings.TrimSpace(string(w.BalanceString)), "Абонемент "+string(w.Number)),
		AmountDue: models.Money{Currency: cur},
	}
	status := int(w.Status.V.ID)
	united := bool(w.IsUnitedBalance) || bool(t.IsUnitedBalance)
	left, unlimitedLink := w.Balance.V.visits()
	switch {
	case bool(w.UnitedUnlimited):
		m.Unlimited = true
	case united:
		m.VisitsLeft = left
		if w.UnitedServicesLeft.OK {
			m.VisitsLeft = int(w.UnitedServicesLeft.Value)
		}
		m.VisitsTotal = int(t.UnitedServicesCount)
	default:
		// A link without a limit lets the client in whatever the others
		// hold: "0 visits left" would turn away an unlimited pass.
		m.VisitsLeft, m.Unlimited = left, unlimitedLink
		m.VisitsTotal, _ = t.Balance.V.visits()
	}
	if status == abonementUsedUp {
		// YCLIENTS says it is used up, whatever its links still show.
		m.VisitsLeft, m.Unlimited = 0, false
	}
	m.Services = w.Balance.V.services(status == abonementUsedUp)
	m.VisitsTotal = max(m.VisitsTotal, m.VisitsLeft)
	if d, ok := w.ExpirationDate.Date(); ok {
		m.End = d
	}
	if d, ok := w.ActivatedDate.Date(); ok {
		m.Start = d
	}
	switch {
	case status == abonementExpired:
		m.State = models.StateExpired
	case bool(w.IsFrozen):
		m.State = models.StateFrozen
		if d, ok := w.FreezeTill.Date(); ok {
			m.FrozenUntil = d
		}
	case status == abonementIssued, status != abonementActive && status != abonementUsedUp && m.Start.IsZero():
		m.State = models.StateNotStarted // issued: activated on its first use
	default:
		m.State = models.StateActive // ended ones are told by End; used up by its visits
	}
	return m
}

// phone is the client's number for the abonements call: remembered from a
// search or card, or read.
func (c *Client) phone(ctx context.Context, op, clientID string) (string, error) {
	c.mu.Lock()
	p := c.phones[clientID]
	c.mu.Unlock()
	if p != "" {
		return p, nil
	}
	w, err := c.wireClient(ctx, op, clientID)
	if err != nil {
		return "", err
	}
	return string(w.Phone), nil
}

// Memberships lists the client's abonements, found by phone (with the
// country code), newest first. Selling them is not offered.
func (c *Client) Memberships(ctx context.Context, clientID string) ([]models.Membership, error) {
	const op = "memberships"
	if err := c.prepare(ctx, op); err != nil {
		return nil, err
	}
	if err := c.allowed(providers.CapMemberships); err != nil {
		return nil, err
	}
	phone, err := c.phone(ctx, op, clientID)
	if err != nil {
		return nil, err
	}
	if models.PhoneDigits(phone) == "" {
		return []models.Membership{}, nil
	}
	q := url.Values{"company_id": {c.companyID}, "phone": {models.PhoneDigits(phone)}}
	var ws list[wireAbonement]
	if _, err := c.get(ctx, op, "/api/v1/loyalty/abonements", q, &ws); err != nil {
		return nil, err
	}
	cur := c.currency()
	out := make([]models.Membership, 0, len(ws))
	for _, w := range ws {
		if w.ID != "" {
			out = append(out, w.model(clientID, cur))
		}
	}
	slices.SortStableFunc(out, func(a, b models.Membership) int { return b.End.Compare(a.End) })
	return out, nil
}

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

type wireBalanceLink struct {
	Count number `json:"count"`
}

type wireAbonementType struct {
	ID                  id                  `json:"id"`
	Title               text                `json:"title"`
	IsUnitedBalance     flag                `json:"is_united_balance"`
	UnitedServicesCount number              `json:"united_balance_services_count"`
	Balance             object[wireBalance] `json:"balance_container"`
}

func (b wireBalance) visits() int {
	n := 0
	for _, l := range b.Links {
		n += max(int(l.Count), 0)
	}
	return n
}

func (w wireAbonement) model(clientID string) models.Membership {
	t := w.Type.V
	m := models.Membership{
		ID: string(w.ID), ClientID: clientID, PlanID: string(t.ID), Kind: models.PlanRegular,
		Title:     first(strings.TrimSpace(string(t.Title)), strings.TrimSpace(string(w.BalanceString)), "Абонемент "+string(w.Number)),
		AmountDue: models.Money{Currency: currency},
	}
	united := bool(w.IsUnitedBalance) || bool(t.IsUnitedBalance)
	switch {
	case bool(w.UnitedUnlimited):
		m.Unlimited = true
	case united:
		m.VisitsLeft = w.Balance.V.visits()
		if w.UnitedServicesLeft.OK {
			m.VisitsLeft = int(w.UnitedServicesLeft.Value)
		}
		m.VisitsTotal = int(t.UnitedServicesCount)
	default:
		m.VisitsLeft = w.Balance.V.visits()
		m.VisitsTotal = t.Balance.V.visits()
	}
	m.VisitsTotal = max(m.VisitsTotal, m.VisitsLeft)
	if d, ok := w.ExpirationDate.Date(); ok {
		m.End = d
	}
	if d, ok := w.ActivatedDate.Date(); ok {
		m.Start = d
	}
	switch {
	case bool(w.IsFrozen):
		m.State = models.StateFrozen
		if d, ok := w.FreezeTill.Date(); ok {
			m.FrozenUntil = d
		}
	case m.Start.IsZero():
		m.State = models.StateNotStarted // activated on its first use
	default:
		m.State = models.StateActive // ended ones are told by End
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
	out := make([]models.Membership, 0, len(ws))
	for _, w := range ws {
		if w.ID != "" {
			out = append(out, w.model(clientID))
		}
	}
	slices.SortStableFunc(out, func(a, b models.Membership) int { return b.End.Compare(a.End) })
	return out, nil
}

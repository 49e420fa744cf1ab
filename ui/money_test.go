package ui

import (
	"context"
	"testing"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// unreadable is the demo club whose CRM sent amounts the desk could not
// read: a plan's price and a client's deposit.
type unreadable struct{ providers.Provider }

func (u unreadable) Plans(ctx context.Context) ([]models.Plan, error) {
	ps, err := u.Provider.Plans(ctx)
	if len(ps) > 0 {
		ps = append([]models.Plan(nil), ps...)
		ps[0].Price = models.UnknownMoney("RUB")
	}
	return ps, err
}

func (u unreadable) Client(ctx context.Context, id string) (models.Client, error) {
	c, err := u.Provider.Client(ctx, id)
	c.Deposit = models.UnknownMoney("RUB")
	return c, err
}

// TestAnAmountTheDeskCannotReadIsUnknownNeverZero: the deposit says so
// instead of 0 ₽, and a plan with an unknown price cannot be sold.
func TestAnAmountTheDeskCannotReadIsUnknownNeverZero(t *testing.T) {
	h := newHarness(t, "ru", func(p providers.Provider) providers.Provider { return unreadable{p} })
	h.scan(cardGreen)
	h.expect("Депозит: сумма неизвестна")
	h.expectNot("Депозит: 0 ₽")
	h.press("f4")
	h.expect("сумма неизвестна")
	h.press("pgup", "enter")
	h.expect("сумму из CRM не прочитать")
	if h.peek().Stage != 0 {
		t.Fatalf("a plan of unknown price went on to the terms (stage %d)", h.peek().Stage)
	}
}

package luckyfit

import (
	"context"
	"time"

	"github.com/clubdesk/clubdesk/models"
)

// due is what is still owed on a client ticket, account by account
// (assumption 16).
type due struct {
	price models.Money // on the ticket's price account (account_summ_id)
	fee   models.Money // on its membership fee account (account_membership_id)
	// known is false when the desk cannot tell: the membership then says
	// its due is unknown rather than zero.
	known bool
	// split says the figures are per account, from the ticket's price and
	// its transactions, so a payment can be sent to each account in turn.
	split bool
}

func (d due) total() models.Money { return d.price.Add(d.fee) }

// amount is the due as a membership carries it: the figure, or unknown.
func (d due) amount() (models.Money, bool) {
	if !d.known {
		return models.Money{Currency: currency}, true
	}
	return d.total(), false
}

// soldFigures are what this desk sold a ticket for, kept for the session:
// the price with the discount, and the fee.
type soldFigures struct {
	price, fee models.Money
}

// soldHere is what this desk sold the ticket for this session, if it did.
func (c *Client) soldHere(ticketID string) *soldFigures {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.sold[ticketID]
	if !ok {
		return nil
	}
	return &f
}

// owedWindow is how long before a ticket's start its payments are looked
// for when LuckyFit does not say when the ticket was created: a plan is
// rarely sold more than a year ahead of its start.
const owedWindow = 366 * 24 * time.Hour

// hasDebtField reports whether LuckyFit stated the ticket's debt itself.
func (w wireTicket) hasDebtField() bool {
	for _, a := range []amount{w.Debt, w.SummDebt, w.Unpaid} {
		if _, ok := a.Money(currency); ok {
			return true
		}
	}
	return false
}

// txFlow is a transaction as the due reads it: which account it went to
// or came from, how much, and whether LuckyFit says it is not posted.
type txFlow struct {
	ClientID      id     `json:"client_id"`
	AccountSrcID  id     `json:"account_src_id"`
	AccountDestID id     `json:"account_dest_id"`
	Summ          amount `json:"summ"`
	Signed        *flag  `json:"signed"`
}

// dues works out what each current ticket still owes. A ticket that
// states its debt (debt, summ_debt, unpaid) owes that. One that does not —
// what live accounts answer (issue 13) — owes its price with the discount
// and its fee, less the transactions to its accounts (and plus those from
// them), read in one request for the client; when that read fails, or the
// ticket does not say its price with the discount and part of the price is
// unpaid, the due is unknown.
func (c *Client) dues(ctx context.Context, clientID string, ts []wireTicket) map[string]due {
	out := map[string]due{}
	var need []wireTicket
	for _, t := range ts {
		switch {
		case t.hasDebtField():
			out[string(t.ID)] = due{price: firstAmount(t.Debt, t.SummDebt, t.Unpaid), fee: models.Money{Currency: currency}, known: true}
		case t.AccountSummID == "":
			out[string(t.ID)] = due{price: models.Money{Currency: currency}, fee: models.Money{Currency: currency}} // nothing to read it from
		default:
			need = append(need, t)
		}
	}
	if len(need) == 0 {
		return out
	}
	txs, err := c.clientTransactions(ctx, clientID, need)
	if err != nil {
		c.log.Warn("what the tickets owe is unknown", "client", clientID, "err", err)
		for _, t := range need {
			out[string(t.ID)] = due{price: models.Money{Currency: currency}, fee: models.Money{Currency: currency}}
		}
		return out
	}
	for _, t := range need {
		out[string(t.ID)] = owedOn(t, txs, c.soldHere(string(t.ID)))
	}
	return out
}

// owedOn is one ticket's due from its price and the money that reached
// its accounts.
func owedOn(t wireTicket, txs []txFlow, sold *soldFigures) due {
	zero := models.Money{Currency: currency}
	paid := func(account id) models.Money {
		sum := zero
		if account == "" {
			return sum
		}
		for _, tx := range txs {
			if tx.Signed != nil && !bool(*tx.Signed) {
				continue // LuckyFit says it is not posted
			}
			m, ok := tx.Summ.Money(currency)
			if !ok {
				continue
			}
			if tx.AccountDestID == account {
				sum = sum.Add(m)
			}
			if tx.AccountSrcID == account {
				sum = sum.Sub(m) // a refund from the ticket
			}
		}
		return sum
	}
	rest := func(owed, in models.Money) models.Money {
		if r := owed.Sub(in); r.IsPositive() {
			return r
		}
		return zero
	}
	d := due{price: zero, fee: zero, known: true, split: true}
	price, priceKnown := t.chargedPrice()
	if sold != nil {
		price, priceKnown = sold.price, true
	}
	full, fullKnown := t.Price.Money(currency)
	switch {
	case priceKnown:
		d.price = rest(price, paid(t.AccountSummID))
	case fullKnown && !rest(full, paid(t.AccountSummID)).IsPositive():
		// Paid in full of the undiscounted price: nothing is owed,
		// whatever the discount was.
	default:
		d.known = false
	}
	if t.AccountMembershipID != "" {
		fee, ok := t.MembershipSumm.Money(currency)
		if sold != nil {
			fee, ok = sold.fee, true
		}
		if ok {
			d.fee = rest(fee, paid(t.AccountMembershipID))
		} else {
			d.known = false
		}
	}
	return d
}

// chargedPrice is the ticket's price less its discount (discount_kind 0 a
// percent, 1 an amount, as POST /client_tickets takes them). A ticket with
// no discount field does not say its price with the discount.
func (w wireTicket) chargedPrice() (models.Money, bool) {
	price, ok := w.Price.Money(currency)
	if !ok {
		return models.Money{}, false
	}
	disc, ok := w.Discount.Money(currency)
	if !ok {
		return models.Money{}, false
	}
	if disc.IsZero() {
		return price, true
	}
	switch {
	case w.DiscountKind.OK && w.DiscountKind.Value == 1:
		return price.Sub(models.Discount{Kind: models.DiscountAmount, Amount: disc}.Off(price)), true
	case w.DiscountKind.OK && w.DiscountKind.Value == 0 && disc.Minor%100 == 0:
		return price.Sub(models.Discount{Kind: models.DiscountPercent, Percent: disc.Minor / 100}.Off(price)), true
	}
	return models.Money{}, false
}

// clientTransactions reads the client's transactions since the earliest
// of the tickets' creation (or a year before its start), filtered by
// client in the request (assumption 16) and again here.
func (c *Client) clientTransactions(ctx context.Context, clientID string, ts []wireTicket) ([]txFlow, error) {
	since := c.now()
	for _, t := range ts {
		if at, ok := t.CreatedAt.At(c.loc); ok {
			since = minTime(since, at.Add(-24*time.Hour))
		} else if at, ok := t.Started.At(c.loc); ok {
			since = minTime(since, at.Add(-owedWindow))
		} else {
			since = minTime(since, c.now().Add(-owedWindow))
		}
	}
	filters := map[string]any{"client_id": clientID, "lo#created_at": wireTime(since, c.loc)}
	var txs []txFlow
	if err := c.get(ctx, "memberships", "/transactions", filters, &txs); err != nil {
		return nil, err
	}
	kept := txs[:0]
	for _, tx := range txs {
		if tx.ClientID == "" || string(tx.ClientID) == clientID {
			kept = append(kept, tx)
		}
	}
	return kept, nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

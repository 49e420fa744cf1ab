package demo

import (
	"context"
	"strconv"

	"github.com/clubdesk/clubdesk/models"
)

// dayTotals is the ledger of one club day: what the shift report sums.
type dayTotals struct {
	checkIns int
	sales    int
	takings  [5]int64 // minor units by models.PaymentMethod
}

func (c *Club) totals(d models.Date) *dayTotals {
	t := c.ledger[d]
	if t == nil {
		t = &dayTotals{}
		c.ledger[d] = t
	}
	return t
}

// recordSale counts a sale and its payments on day d.
func (c *Club) recordSale(d models.Date, pays []models.Payment) {
	c.totals(d).sales++
	c.recordPayments(d, pays)
}

// recordPayments counts money taken on day d.
func (c *Club) recordPayments(d models.Date, pays []models.Payment) {
	t := c.totals(d)
	for _, p := range pays {
		m := p.Method
		if int(m) < 0 || int(m) >= len(t.takings) {
			m = models.PayOther
		}
		t.takings[m] += p.Amount.Minor
	}
}

// nextReceipt numbers a payment the way a till prints it.
func (c *Club) nextReceipt() string {
	c.receipt++
	return "Чек № " + strconv.Itoa(c.receipt)
}

// ShiftReport sums a club day: check-ins, sales, and money taken by
// method. Payments from a client's deposit are not money taken at the desk
// (it was taken when the deposit was topped up), so they count towards the
// sale but not the takings.
func (c *Club) ShiftReport(ctx context.Context, day models.Date) (models.ShiftReport, error) {
	if err := c.begin(ctx, "shift report"); err != nil {
		return models.ShiftReport{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if day.Before(c.base) {
		c.ensureAll()
	}
	r := models.ShiftReport{Day: day, Total: rub(0)}
	t := c.ledger[day]
	if t == nil {
		return r, nil
	}
	r.CheckIns, r.Sales = t.checkIns, t.sales
	for _, m := range models.PaymentMethods {
		if m == models.PayDeposit || t.takings[m] == 0 {
			continue
		}
		amt := models.Money{Minor: t.takings[m], Currency: currency}
		r.Takings = append(r.Takings, models.Payment{Method: m, Amount: amt})
		r.Total = r.Total.Add(amt)
	}
	return r, nil
}

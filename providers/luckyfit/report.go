package luckyfit

import (
	"context"
	"slices"

	"github.com/clubdesk/clubdesk/models"
	"golang.org/x/sync/errgroup"
)

// ShiftReport sums the day's transactions at this desk's point_name by
// payment kind, and counts the day's entries. Payments from the deposit are
// not takings (the money came in at the top-up); sales count the tickets
// that were paid for that day (a debt paid on an older ticket counts too:
// LuckyFit's transactions do not say when the ticket was sold).
func (c *Client) ShiftReport(ctx context.Context, day models.Date) (models.ShiftReport, error) {
	from, to := c.dayRange(day)
	filters := map[string]any{"lo#created_at": from, "hi#created_at": to}
	if c.pointName != "" {
		filters["point_name"] = c.pointName
	}
	var txs []wireTransaction
	var es []wireEntry
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return c.get(gctx, "shift report", "/transactions", filters, &txs) })
	g.Go(func() error {
		start, end := day.Bounds(c.loc)
		var err error
		es, err = c.entries(gctx, "shift report", start, end)
		return err
	})
	if err := g.Wait(); err != nil {
		return models.ShiftReport{}, err
	}
	r := models.ShiftReport{Day: day, Total: models.Money{Currency: currency}}
	byMethod := map[models.PaymentMethod]models.Money{}
	sold := map[string]bool{}
	for _, t := range txs {
		method, known := methods[int64(t.PaykindID)]
		if t.FinoperationID == opTicketPayment {
			sold[string(t.AccountDestID)] = true
		}
		if !known || method == models.PayDeposit {
			continue
		}
		amt := money(t.Summ)
		byMethod[method] = byMethod[method].Add(amt)
		r.Total = r.Total.Add(amt)
	}
	for _, m := range models.PaymentMethods {
		if v, ok := byMethod[m]; ok {
			r.Takings = append(r.Takings, models.Payment{Method: m, Amount: v})
		}
	}
	r.Sales = len(sold)
	visitors := map[string]bool{}
	for _, e := range es {
		visitors[string(e.ClientID)] = true
	}
	r.CheckIns = len(visitors)
	slices.SortStableFunc(r.Takings, func(a, b models.Payment) int { return int(a.Method) - int(b.Method) })
	return r, nil
}

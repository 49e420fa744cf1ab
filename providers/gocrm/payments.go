package gocrm

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/clubdesk/clubdesk/providers"
)

// Payment types of PUT /payments/ (assumption 10: the document's example
// leaves type empty).
const (
	payDebt         = "debt"         // id: the center the debt is owed at
	paySeasonTicket = "seasonTicket" // id: the season ticket bought
)

// onlineOnly refuses a page for anything but a debt or a season ticket.
var onlineOnly = providers.Words{EN: "Go-CRM pays debts and season tickets online",
	RU: "Go-CRM принимает онлайн оплату долга и абонементов"}

// OpenPaymentPage is PUT /payments/: Go-CRM creates the payment at its
// bank and answers the page (paymentUrl) the client pays on. It is sent
// once: a dropped answer is an unknown outcome, never a second request. An
// error or errorCode in the answer ("Нет связи с банком") is a refusal
// even when a link came with it.
func (c *Client) OpenPaymentPage(ctx context.Context, p providers.OnlinePayment) (providers.PaymentPage, error) {
	const op = "online payment"
	if _, isLead := c.lead(p.ClientID); isLead {
		return providers.PaymentPage{}, errLead(op)
	}
	body := map[string]any{"clientId": numeric(p.ClientID)}
	switch p.Purpose {
	case providers.OnlineDebt:
		center, err := c.centerID(ctx)
		if err != nil {
			return providers.PaymentPage{}, err
		}
		body["type"], body["id"] = payDebt, numeric(center)
	case providers.OnlineBuyPlan:
		if p.Plan.ID == "" {
			return providers.PaymentPage{}, providers.Refusal(providers.ErrValidation, op, providers.Words{EN: "no season ticket chosen", RU: "не выбран абонемент"})
		}
		body["type"], body["id"] = paySeasonTicket, numeric(p.Plan.ID)
	default:
		return providers.PaymentPage{}, &providers.UnsupportedError{Capability: providers.CapOnlinePay, Reason: onlineOnly.EN, Why: onlineOnly}
	}
	var w wirePayment
	if err := c.send(ctx, op, http.MethodPut, "/payments/", true, body, &w); err != nil {
		return providers.PaymentPage{}, err
	}
	code := strings.TrimSpace(string(w.ErrorCode))
	msg := strings.TrimSpace(string(w.Error))
	status := strings.ToLower(strings.TrimSpace(string(w.Status)))
	failed := status != "" && status != "success" && status != "ok" && status != "pending" && status != "created"
	if msg != "" || (code != "" && code != "0") || failed {
		if msg == "" {
			msg = "платёж не создан"
		}
		if code != "" && code != "0" {
			msg += " (код " + code + ")"
		}
		return providers.PaymentPage{}, &providers.Error{Kind: providers.ErrValidation, Op: op, Status: http.StatusOK, Message: msg}
	}
	link := strings.TrimSpace(string(w.PaymentURL))
	if u, err := url.Parse(link); err != nil || u.Scheme != "https" || u.Host == "" {
		// The link becomes a QR code a client trusts: only a bank's https
		// page is shown.
		return providers.PaymentPage{}, providers.Refusal(providers.ErrValidation, op, providers.Words{EN: "Go-CRM gave no payment link (https)", RU: "Go-CRM не вернул ссылку на оплату (https)"})
	}
	return providers.PaymentPage{URL: link, ID: string(w.PaymentID)}, nil
}

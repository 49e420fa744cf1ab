package demo

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/providers"
)

// SecureKeyPrefix is what an API key of "demo-secure" must start with.
const SecureKeyPrefix = "demo-"

// NewSecure is the demo club behind an API key, registered as
// "demo-secure": the same club, but every call reads the secret "api_key"
// and refuses one that does not start with "demo-", as a real CRM answers
// 401. It lets a club's IT person rehearse `clubdesk login`, `logout` and
// `doctor` with the real keyring before connecting the real CRM, and the
// keyring tests run against it.
func NewSecure(s providers.Settings) (*Club, error) {
	if s.Secrets == nil {
		return nil, errors.New("demo-secure: no secret store")
	}
	c, err := New(s)
	if err != nil {
		return nil, err
	}
	c.secrets = s.Secrets
	c.info.Name = "demo-secure"
	return c, nil
}

// authorised reads the API key for every call, as an HTTP adapter sends it
// with every request.
func (c *Club) authorised(op string) error {
	key, err := c.secrets.Secret("api_key")
	if err != nil {
		return &providers.Error{Kind: providers.ErrUnauthorized, Op: op, Message: "нет API-ключа", Err: err}
	}
	if !strings.HasPrefix(key, SecureKeyPrefix) {
		return providers.Errorf(providers.ErrUnauthorized, op, "API-ключ не принят")
	}
	return nil
}

// Check implements providers.Checker: a harmless read that proves the key.
func (c *Club) Check(ctx context.Context) (time.Time, error) {
	if err := c.begin(ctx, "check"); err != nil {
		return time.Time{}, err
	}
	return c.now(), nil
}

// OpenPaymentPage implements providers.OnlinePayer with a page that does
// not exist: the demo club shows what the QR code looks like, for a plan
// and for a debt.
func (c *Club) OpenPaymentPage(ctx context.Context, p providers.OnlinePayment) (providers.PaymentPage, error) {
	if err := c.begin(ctx, "online payment"); err != nil {
		return providers.PaymentPage{}, err
	}
	if p.Purpose == providers.OnlineDebt {
		return providers.PaymentPage{URL: fmt.Sprintf("https://pay.demo.invalid/debt?client_id=%s&summ=%s",
			url.QueryEscape(p.ClientID), p.Amount.Decimal())}, nil
	}
	return providers.PaymentPage{URL: fmt.Sprintf("https://pay.demo.invalid/order?client_id=%s&ticket_id=%s&summ=%s",
		url.QueryEscape(p.ClientID), url.QueryEscape(p.Plan.ID), p.Amount.Decimal())}, nil
}

package gocrm

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// LoginStart is the first round of Go-CRM's sign-in: the phone. The
// application's token (APP_TOKEN) is asked with it by `clubdesk login`.
func (c *Client) LoginStart() providers.LoginStep {
	return providers.LoginStep{Ask: []providers.Prompt{{Name: "phone"}}}
}

// Login runs Go-CRM's two rounds of POST /auth/login: the phone alone makes
// Go-CRM send an SMS code; the phone with the code answers the tokens. Only
// the tokens are kept (as access_token and refresh_token); the code is
// never stored. Neither round is retried: each may send an SMS.
func (c *Client) Login(ctx context.Context, step providers.LoginStep) (providers.LoginStep, error) {
	phone := step.State["phone"]
	if phone == "" {
		phone = models.PhoneDigits(step.Answers["phone"])
		if len(phone) < 10 {
			return step, providers.Refusal(providers.ErrValidation, "login", providers.Words{EN: "the phone number has %d digits: type the whole number", RU: "номер телефона: %d цифр, нужен полный номер"}, len(phone))
		}
		t, err := c.signIn(ctx, phone, "")
		if err != nil {
			return step, err
		}
		if t.AccessToken != "" { // signed in without a code
			return c.signedIn(t), nil
		}
		return providers.LoginStep{
			Ask:     []providers.Prompt{{Name: "code", Hidden: true}},
			State:   map[string]string{"phone": phone},
			Message: providers.Words{EN: "Go-CRM sent an SMS with a code to +%s", RU: "Go-CRM отправил SMS с кодом на +%s"}.Fill(phone),
		}, nil
	}
	code := strings.TrimSpace(step.Answers["code"])
	if code == "" {
		return step, providers.Refusal(providers.ErrValidation, "login", providers.Words{EN: "type the code from the SMS", RU: "введите код из SMS"})
	}
	t, err := c.signIn(ctx, phone, code)
	if err != nil {
		return step, err
	}
	if t.AccessToken == "" {
		return step, c.api.Garbled("login", true, http.StatusOK, errors.New("no accessToken in the answer"))
	}
	return c.signedIn(t), nil
}

// signIn is one POST /auth/login, with the application's token only.
func (c *Client) signIn(ctx context.Context, phone, code string) (wireTokens, error) {
	body := map[string]any{"person": c.person, "login": phone, "fcmToken": nil}
	if code != "" {
		body["password"] = code
	}
	var t wireTokens
	err := c.send(ctx, "login", http.MethodPost, "/auth/login", false, body, &t)
	return t, err
}

func (c *Client) signedIn(t wireTokens) providers.LoginStep {
	secrets := map[string]string{"access_token": strings.TrimSpace(string(t.AccessToken))}
	if r := strings.TrimSpace(string(t.RefreshToken)); r != "" {
		secrets["refresh_token"] = r
	}
	c.mu.Lock()
	c.access = secrets["access_token"]
	c.mu.Unlock()
	return providers.LoginStep{Secrets: secrets, Message: providers.Words{EN: "Signed in to Go-CRM", RU: "Вход в Go-CRM выполнен"}}
}

// Logout is POST /auth/logout. A session Go-CRM already ended is not an
// error: the local tokens go either way.
func (c *Client) Logout(ctx context.Context) error {
	err := c.send(ctx, "logout", http.MethodPost, "/auth/logout", true, nil, nil)
	c.forgetTokens()
	if errors.Is(err, providers.ErrUnauthorized) {
		return nil
	}
	return err
}

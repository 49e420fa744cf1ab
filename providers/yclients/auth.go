package yclients

import (
	"context"
	"net/http"
	"strings"

	"github.com/clubdesk/clubdesk/providers"
)

// wireAuth is POST /api/v1/auth's answer: the user's token (201, shown
// bare, without the envelope) or, when two-factor confirmation is on, the
// flow to confirm (200: uuid, attempts_left...).
type wireAuth struct {
	UserToken    text  `json:"user_token"`
	Name         text  `json:"name"`
	UUID         text  `json:"uuid"`
	Flow         text  `json:"flow"`
	AttemptsLeft count `json:"attempts_left"`
}

// LoginStart asks for the YCLIENTS user's login (phone or e-mail) and
// password; the partner token is typed with them.
func (c *Client) LoginStart() providers.LoginStep {
	return providers.LoginStep{Ask: []providers.Prompt{{Name: "login"}, {Name: "password", Hidden: true}}}
}

// Login answers a round: the password round gets the user token, or the
// 2FA flow whose code the second round sends (with the flow's uuid,
// assumption 2). Only the user token is stored; the password and the code
// are never kept.
func (c *Client) Login(ctx context.Context, step providers.LoginStep) (providers.LoginStep, error) {
	const op = "log in"
	c.forgetTokens() // a token typed again in this login must be the one used
	uuid := step.State["uuid"]
	var body map[string]any
	if uuid == "" {
		login, password := strings.TrimSpace(step.Answers["login"]), step.Answers["password"]
		if login == "" || password == "" {
			return step, providers.Refusal(providers.ErrValidation, op, providers.Words{EN: "type the YCLIENTS user's login and password", RU: "укажите логин и пароль пользователя YCLIENTS"})
		}
		body = map[string]any{"login": login, "password": password}
	} else {
		code := strings.TrimSpace(step.Answers["code"])
		if code == "" {
			return step, providers.Refusal(providers.ErrValidation, op, providers.Words{EN: "type the confirmation code", RU: "укажите код подтверждения"})
		}
		body = map[string]any{"uuid": uuid, "code": code}
	}
	var a wireAuth
	if _, err := c.do(ctx, call{op: op, method: http.MethodPost, path: "/api/v1/auth", body: body, partner: true}, &a); err != nil {
		return step, err
	}
	if tok := strings.TrimSpace(string(a.UserToken)); tok != "" {
		c.mu.Lock()
		c.user = tok
		c.mu.Unlock()
		var msg providers.Words
		if n := strings.TrimSpace(string(a.Name)); n != "" {
			msg = providers.Words{EN: "YCLIENTS: " + n, RU: "YCLIENTS: " + n}
		}
		return providers.LoginStep{Message: msg, Secrets: map[string]string{"user_token": tok}}, nil
	}
	if u := strings.TrimSpace(string(a.UUID)); u != "" {
		msg := providers.Words{EN: "YCLIENTS sent a confirmation code", RU: "YCLIENTS отправил код подтверждения"}
		if a.AttemptsLeft.OK {
			msg = providers.Words{EN: "YCLIENTS sent a confirmation code (attempts left: %d)", RU: "YCLIENTS отправил код подтверждения (попыток: %d)"}.Fill(a.AttemptsLeft.Value)
		}
		return providers.LoginStep{
			Ask:     []providers.Prompt{{Name: "code", Hidden: true}},
			State:   map[string]string{"uuid": u},
			Message: msg,
		}, nil
	}
	return step, c.http.Garbled(op, true, http.StatusOK, errNoID)
}

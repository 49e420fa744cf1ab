package gocrm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/deep"
	"github.com/clubdesk/clubdesk/providers/httpx"
)

// deepAssumptions are the package doc's numbered assumptions in a few
// words, for `clubdesk doctor --deep`. A test keeps them in step with the
// doc.
var deepAssumptions = []deep.Assumption{
	{Number: 1, About: models.Words{EN: "the access token travels as Authorization: Bearer, with APP_TOKEN", RU: "токен доступа — в Authorization: Bearer, вместе с APP_TOKEN"}},
	{Number: 2, About: models.Words{EN: "the client API at {base_url}/api, the public API at /api/v3", RU: "клиентский API по {base_url}/api, публичный — /api/v3"}},
	{Number: 3, About: models.Words{EN: "GET parameters travel as the query", RU: "параметры GET — в строке запроса"}},
	{Number: 4, About: models.Words{EN: "ids and numbers come as numbers or strings", RU: "id и числа — числами или строками"}},
	{Number: 5, About: models.Words{EN: "a staff login lists the center's clients; tickets and debts by clientId", RU: "вход сотрудника видит клиентов центра; абонементы и долги по clientId"}},
	{Number: 6, About: models.Words{EN: "season tickets: rubles, validity in periodType's words, balance, validityDate", RU: "абонементы: рубли, срок словами periodType, остаток, validityDate"}},
	{Number: 7, About: models.Words{EN: "an hour: id, datetime, typesExercise, instructors, cnt, duration", RU: "занятие: id, datetime, typesExercise, instructors, cnt, duration"}},
	{Number: 8, About: models.Words{EN: "client-hours: the roster's entries carry the client", RU: "client-hours: записи списка группы называют клиента"}},
	{Number: 9, About: models.Words{EN: "a walk-in is a lead of the public API", RU: "пришедший без записи — лид публичного API"}},
	{Number: 10, About: models.Words{EN: "PUT /payments/ {type, id} answers the payment page", RU: "PUT /payments/ {type, id} отвечает страницей оплаты"}},
	{Number: 11, About: models.Words{EN: "no token refresh: a 401 means logging in again", RU: "токен не обновляется: 401 — войти заново"}},
	{Number: 12, About: models.Words{EN: "the public API answers {status, message, validation_errors, data}", RU: "публичный API отвечает {status, message, validation_errors, data}"}},
	{Number: 13, About: models.Words{EN: "the center's timezone; the only center when the profile names none", RU: "часовой пояс центра; единственный центр, если в профиле нет"}},
	{Number: 14, About: models.Words{EN: "the public /users names instructors, or fails and the hours do", RU: "публичный /users называет инструкторов, или падает и их называют занятия"}},
	{Number: 15, About: models.Words{EN: "where APP_TOKEN comes from", RU: "откуда берётся APP_TOKEN"}},
	{Number: 16, About: models.Words{EN: "GET /clients answers the whole list at once, unpaged", RU: "GET /clients отдаёт весь список сразу, без страниц"}},
}

// deepEnums are the keys whose values the report keeps.
var deepEnums = []string{
	"status", "type", "currency", "periodType", "periodTypeId", "periodTypeName", "exerciseType", "exerciseTypeName",
	"startedType", "startedTypeName", "blockTypeName", "blockTypeId", "typesExercise", "position", "timezone", "visited",
	"missed", "individual", "trial", "common", "isSigned", "checkIndividual", "siteStatus", "isDisplay",
}

// deepAnswer is one read kept whole.
type deepAnswer struct {
	status int
	body   []byte
	data   json.RawMessage
	html   bool
	err    error
}

func (a deepAnswer) items() []deep.Object { return deep.Items(a.data) }

// deepGet is one read for doctor --deep, of the client API (api) or the
// public API: the request get or publicCall sends, the answer typed as
// they type it, and the whole body kept for its shape (they keep only the
// data).
func (c *Client) deepGet(ctx context.Context, b *deep.Book, read, op string, public bool, path string, params map[string]any) deepAnswer {
	var a deepAnswer
	api, prefix := c.api, "/api"
	switch {
	case public:
		api, prefix = c.public, "/api/v3"
	case path == "/clients":
		api = c.list // the whole list, as the desk reads it (assumption 16)
	}
	call := deep.Call{Read: read, Request: "GET " + prefix + deepPath(path)}
	for k := range params {
		call.Params = append(call.Params, k)
	}
	sort.Strings(call.Params)
	defer func() {
		call.Status = a.status
		if a.err != nil {
			call.Failed = deep.FailedShape(a.err)
		}
		if len(a.body) > 0 && !a.html {
			call.Answer = deep.Of(a.body, deepEnums...)
		}
		b.Call(call)
	}()
	req := api.Read.R().SetContext(ctx)
	if len(params) > 0 {
		req.SetQueryParamsFromValues(query(params))
	}
	if !public {
		if err := c.authorize(req, true); err != nil {
			a.err = err
			return a
		}
	}
	resp, err := req.Get(path)
	if err != nil {
		a.err = api.TransportError(op, false, err)
		return a
	}
	h := resp.Header()
	a.status, a.body = resp.StatusCode(), bytes.TrimSpace(resp.Body())
	a.html = len(a.body) > 0 && a.body[0] == '<' || strings.Contains(strings.ToLower(h.Get("Content-Type")), "text/html")
	if public {
		a.data, a.err = c.deepPublic(api, op, a.status, h, a.body)
	} else {
		a.data, a.err = c.deepClientAPI(api, op, a.status, h, a.body)
	}
	return a
}

// deepClientAPI types a client-API answer as do does.
func (c *Client) deepClientAPI(api *httpx.Client, op string, status int, h http.Header, body []byte) (json.RawMessage, error) {
	var env answer
	var fields map[string]json.RawMessage
	isJSON := len(body) > 0 && (body[0] == '{' || body[0] == '[') && json.Valid(body)
	if isJSON && body[0] == '{' && (json.Unmarshal(body, &fields) != nil || json.Unmarshal(body, &env) != nil) {
		isJSON = false
	}
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		c.forgetTokens()
		return nil, &providers.Error{Kind: providers.ErrUnauthorized, Op: op, Status: status, Message: first(string(env.Message), string(env.Error))}
	case status >= 400:
		return nil, c.refusal(api, op, false, status, h, first(string(env.Message), string(env.Error)), env.Errors)
	case !isJSON:
		return nil, api.Garbled(op, false, status, errors.New("not a JSON answer"))
	}
	if s := strings.ToLower(string(env.Status)); s == "error" || s == "fail" || s == "failed" {
		return nil, c.refusalIn200(c.refusal(api, op, false, status, h, first(string(env.Message), string(env.Error)), env.Errors), string(env.Status))
	}
	if raw, ok := fields["data"]; ok {
		return raw, nil
	}
	return json.RawMessage(body), nil
}

// deepPublic types a public-API answer as publicCall does.
func (c *Client) deepPublic(api *httpx.Client, op string, status int, h http.Header, body []byte) (json.RawMessage, error) {
	var env publicAnswer
	if len(body) == 0 || body[0] != '{' || json.Unmarshal(body, &env) != nil || env.Status == "" {
		if status >= 400 {
			return nil, api.StatusError(op, false, status, h, "")
		}
		return nil, api.Garbled(op, false, status, errors.New("not a Go-CRM public API answer"))
	}
	if status >= 400 || !strings.EqualFold(string(env.Status), "success") {
		err := c.refusal(api, op, false, status, h, string(env.Message), env.ValidationErrors)
		if status < 400 {
			err = c.refusalIn200(err, string(env.Status))
		}
		return nil, err
	}
	return env.Data, nil
}

// deepPath is a path with its ids as {id}.
func deepPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if s != "" && strings.Trim(s, "0123456789") == "" {
			parts[i] = "{id}"
		}
	}
	return strings.Join(parts, "/")
}

// DeepCheck implements deep.Checker: of the public API the center (or
// the cities and their centers) and /users; of the client API /profile,
// the clients, one client, today's hours, one hour's roster, the season
// tickets, and one client's tickets, debts and lessons — once each,
// read-only — and each numbered assumption as they show it.
func (c *Client) DeepCheck(ctx context.Context) deep.Report {
	b := deep.NewBook("gocrm", deepAssumptions)
	b.Cannot(9, deep.Write)
	b.Cannot(10, deep.Write)
	b.Cannot(11, models.Words{EN: "only a refused token shows it, and doctor asks for none", RU: "это видно только по отказу в токене, а doctor его не вызывает"})
	b.Cannot(15, models.Words{EN: "where a token comes from is in no answer", RU: "откуда берётся токен, ни один ответ не говорит"})

	c.deepCenter(ctx, b)
	profile := c.deepGet(ctx, b, "the signed-in person", "check", false, "/profile", nil)
	c.deepProfile(b, profile)
	if errors.Is(profile.err, providers.ErrUnauthorized) || profile.html {
		why := deep.Say("the client API refuses the keys or is not there (GET /api/profile: %s)", "клиентский API не принимает ключи или его там нет (GET /api/profile: %s)", deep.FailedShape(profile.err))
		if profile.html {
			why = deep.Say("the client API's address answers a web page (assumption 2)", "по адресу клиентского API — веб-страница (допущение 2)")
		}
		for _, n := range []int{3, 4, 5, 6, 7, 8} {
			b.Cannot(n, why)
		}
		return b.Report()
	}

	center, _ := c.centerID(ctx)
	clients := c.deepGet(ctx, b, "the clients", "clients", false, "/clients", nil)
	c.deepClients(b, clients)
	plans := c.deepGet(ctx, b, "the season tickets", "plans", false, "/season-tickets", nil)
	c.deepPlans(b, plans)

	from, to := c.today().Bounds(c.loc)
	hours := c.deepGet(ctx, b, "today's lessons", "lessons", false, "/hours",
		map[string]any{"center": center, "dateStart": wireTime(from, c.loc), "dateEnd": wireTime(to.Add(-time.Second), c.loc)})
	hourID := c.deepHours(b, hours, plans)

	var clientID string
	if hourID != "" {
		roster := c.deepGet(ctx, b, "a lesson's roster", "roster", false, "/client-hours", map[string]any{"centerId": center, "dateStart": wireTime(from, c.loc)})
		clientID = c.deepRoster(b, roster, hourID)
	} else {
		b.Cannot(8, deep.Say("there are no lessons today to read the roster of", "сегодня нет занятий, чей список можно прочитать"))
	}
	if clientID == "" {
		if items := clients.items(); len(items) > 0 {
			clientID = items[0].Text("id")
		}
	}
	if clientID == "" {
		b.Cannot(5, deep.Say("no client to read", "нет клиента, которого можно прочитать"))
		return b.Report()
	}
	one := c.deepGet(ctx, b, "one client", "client", false, "/clients/"+pathID(clientID), nil)
	c.deepOne(b, one)
	tickets := c.deepGet(ctx, b, "the client's season tickets", "memberships", false, "/client-season-tickets", map[string]any{"clientId": clientID})
	c.deepTickets(b, tickets, clientID)
	debts := c.deepGet(ctx, b, "the client's debts", "debts", false, "/debts", map[string]any{"clientId": clientID})
	c.deepDebts(b, debts)
	visits := c.deepGet(ctx, b, "the client's lessons", "visits", false, "/client-hours",
		map[string]any{"clientId": clientID, "centerId": center, "dateStart": wireTime(from.AddDate(0, -1, 0), c.loc), "visited": 1, "missed": 0})
	c.deepClientHours(b, visits)
	return b.Report()
}

var _ deep.Checker = (*Client)(nil)

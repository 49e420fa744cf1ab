package gocrm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/httpx"
	"github.com/clubdesk/clubdesk/providers/wire"
	"github.com/go-resty/resty/v2"
)

// Defaults of the profile.
const (
	// DefaultTimezone is the center's zone when neither the profile nor
	// the center's timezone says (providers.ClubZone).
	DefaultTimezone = "Europe/Moscow"
	// DefaultPerson is the login role the document shows.
	DefaultPerson = "client"
)

func init() {
	providers.Register("gocrm", func(s providers.Settings) (providers.Provider, error) { return New(s) })
}

// Client talks to one club's Go-CRM — its client API and its public API —
// for one center.
type Client struct {
	providers.Unsupported
	api     *httpx.Client // the client API, {base}/api
	public  *httpx.Client // the public API, {base}/api/v3
	list    *httpx.Client // the client API for GET /clients alone (assumption 16)
	secrets providers.Secrets
	now     func() time.Time
	log     *slog.Logger
	loc     *time.Location
	person  string
	point   string
	branch  string // the profile's center id; empty until resolved

	mu     sync.Mutex
	app    string // APP_TOKEN, read from the keyring once
	access string // the access token, likewise
	cache  cache
}

// Option adjusts the HTTP clients (tests).
type Option func(*httpx.Config)

// WithTransport replaces the network (tests inject failures).
func WithTransport(t http.RoundTripper) Option { return func(c *httpx.Config) { c.Transport = t } }

// WithTimeout bounds one attempt of one request.
func WithTimeout(d time.Duration) Option { return func(c *httpx.Config) { c.Timeout = d } }

// WithRetryWait shortens the backoff (tests).
func WithRetryWait(d time.Duration) Option { return func(c *httpx.Config) { c.RetryWait = d } }

// New builds the adapter. It does not touch the network.
func New(s providers.Settings, opts ...Option) (*Client, error) {
	if s.Secrets == nil {
		return nil, errors.New("gocrm: no secret store")
	}
	public, _ := s.Extra["public_url"].(string)
	apiBase, publicBase, err := bases(s.BaseURL, public)
	if err != nil {
		return nil, err
	}
	tz := s.Timezone
	if tz == "" {
		tz = DefaultTimezone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("gocrm: time zone %q: %w", tz, err)
	}
	person, _ := s.Extra["person"].(string)
	if strings.TrimSpace(person) == "" {
		person = DefaultPerson
	}
	// more comes after opts: the list's cap and deadline (assumption 16)
	// hold whatever bounds the other calls.
	mk := func(base string, more ...Option) *httpx.Client {
		cfg := httpx.Config{Name: "Go-CRM", BaseURL: base, Logger: s.Log()}
		for _, o := range append(opts[:len(opts):len(opts)], more...) {
			o(&cfg)
		}
		return httpx.New(cfg)
	}
	c := &Client{
		api: mk(apiBase), public: mk(publicBase),
		list: mk(apiBase, func(c *httpx.Config) { c.MaxBody, c.Timeout = clientsMaxBody, clientsTimeout }), secrets: s.Secrets, now: s.Clock(), log: s.Log(), loc: loc,
		person: strings.TrimSpace(person), point: s.PointName, branch: strings.TrimSpace(s.Branch),
	}
	c.cache.init()
	c.Caps = capabilities()
	return c, nil
}

// bases derives the two APIs' addresses (assumption 2): base_url is the
// club's Go-CRM address, the client API is {base}/api and the public API
// {base}/api/v3 unless public_url names it. A base_url already ending in
// /api or /api/v3 is read as the club's address plus that path.
func bases(base, public string) (string, string, error) {
	root := strings.TrimRight(strings.TrimSpace(base), "/")
	if root == "" {
		return "", "", errors.New("gocrm: base_url is required: the club's Go-CRM address, e.g. https://myclub.go-crm.ru")
	}
	root = strings.TrimSuffix(root, "/api/v3")
	root = strings.TrimSuffix(root, "/api")
	public = strings.TrimRight(strings.TrimSpace(public), "/")
	if public == "" {
		public = root + "/api/v3"
	}
	return root + "/api", public, nil
}

func capabilities() providers.Capabilities {
	return providers.Supports(
		providers.CapSearch, providers.CapCreateClient, providers.CapMemberships, providers.CapVisits,
		providers.CapPlans, providers.CapCalendar, providers.CapRoster, providers.CapBook, providers.CapOnlinePay,
	).
		Without(providers.CapCardLookup, providers.Words{
			EN: "Go-CRM's API has no card numbers: find the client by name, child's name or phone",
			RU: "в API Go-CRM нет номеров карт: найдите клиента по имени, имени ребёнка или телефону"}).
		Without(providers.CapBindCard, providers.Words{
			EN: "Go-CRM's API has no card numbers to bind", RU: "в API Go-CRM нет номеров карт для привязки"}).
		Without(providers.CapSell, providers.Words{
			EN: "Go-CRM's API documents no sale at the desk: the client buys a season ticket online — the card's pay-by-QR shows its payment page",
			RU: "в API Go-CRM нет продажи на кассе: клиент покупает абонемент онлайн — QR-оплата (Ctrl+O) на карточке показывает страницу оплаты"}).
		Without(providers.CapTakePayment, providers.Words{
			EN: "Go-CRM's API documents no payment taken at the desk: a debt is paid online — the card's pay-by-QR shows the payment page",
			RU: "в API Go-CRM нет приёма оплаты на кассе: долг оплачивается онлайн — QR-оплата (Ctrl+O) на карточке показывает страницу оплаты"}).
		Without(providers.CapDepositTopUp, providers.Words{EN: "Go-CRM's API has no deposit account", RU: "в API Go-CRM нет депозитного счёта"}).
		Without(providers.CapCancelBooking, providers.Words{
			EN: "Go-CRM's API documents no call to cancel a booking: cancel it in Go-CRM",
			RU: "в API Go-CRM нет отмены записи: отмените её в самой Go-CRM"}).
		Without(providers.CapLateCancel, providers.Words{
			EN: "Go-CRM's API documents no call to cancel a booking", RU: "в API Go-CRM нет отмены записи"}).
		Without(providers.CapAttendance, providers.Words{
			EN: "Go-CRM's API shows visited and missed lessons but documents no call to mark them: mark them in Go-CRM",
			RU: "API Go-CRM показывает посещённые и пропущенные занятия, но не умеет их отмечать: отметьте в самой Go-CRM"}).
		Without(providers.CapCheckIn, providers.Words{
			EN: "Go-CRM's API documents no check-in: visits are the lessons Go-CRM marks as visited",
			RU: "в API Go-CRM нет входа: визиты — это занятия, которые Go-CRM отмечает посещёнными"}).
		Without(providers.CapUndoCheckIn, providers.Words{
			EN: "Go-CRM's API documents no check-in, so none to undo: a visited lesson is unmarked in Go-CRM",
			RU: "в API Go-CRM нет входа, поэтому нет и его отмены: отметку посещения снимают в самой Go-CRM"}).
		Without(providers.CapShiftReport, providers.Words{
			EN: "Go-CRM's API documents no list of payments to sum a shift", RU: "в API Go-CRM нет списка оплат, чтобы подвести смену"})
}

// Info describes the connection.
func (c *Client) Info() providers.Info {
	return providers.Info{Name: "gocrm", Title: "Go-CRM", Branch: c.branchID(), Location: c.loc, Currency: rub}
}

// Capabilities lists what Go-CRM's API offers the desk.
func (c *Client) Capabilities() providers.Capabilities { return c.Caps }

// query is the one place where the parameters the document writes as a
// GET "body" (/hours, /season-tickets, /client-hours) become what a GET can
// carry: query parameters, with numbers in decimal and booleans as 1 or 0
// (assumption 3). Nil values are left out.
func query(params map[string]any) url.Values {
	q := url.Values{}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch v := params[k].(type) {
		case nil:
		case bool:
			if v {
				q.Set(k, "1")
			} else {
				q.Set(k, "0")
			}
		case int:
			q.Set(k, strconv.Itoa(v))
		case int64:
			q.Set(k, strconv.FormatInt(v, 10))
		default:
			q.Set(k, fmt.Sprint(v))
		}
	}
	return q
}

// authorize is the one place credentials go on a request (assumption 1):
// APP_TOKEN on every call of the client API, as the document shows it on
// /auth, and the access token as "Authorization: Bearer <accessToken>",
// which the document does not specify. The public API gets neither.
func (c *Client) authorize(req *resty.Request, withAccess bool) error {
	app, access, err := c.tokens(withAccess)
	if err != nil {
		return err
	}
	req.SetHeader("APP_TOKEN", app)
	if withAccess {
		req.SetHeader("Authorization", "Bearer "+access)
	}
	return nil
}

// tokens reads the secrets once; they are forgotten when Go-CRM refuses
// them, so a new login is picked up.
func (c *Client) tokens(withAccess bool) (app, access string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.app == "" {
		v, err := c.secrets.Secret("app_token")
		if err != nil || strings.TrimSpace(v) == "" {
			return "", "", &providers.Error{Kind: providers.ErrUnauthorized, Op: "app token", Desk: providers.Words{EN: "no Go-CRM application token (APP_TOKEN): run clubdesk login", RU: "нет токена приложения Go-CRM (APP_TOKEN): clubdesk login"}, Err: err}
		}
		c.app = strings.TrimSpace(v)
	}
	if withAccess && c.access == "" {
		v, err := c.secrets.Secret("access_token")
		if err != nil || strings.TrimSpace(v) == "" {
			return "", "", &providers.Error{Kind: providers.ErrUnauthorized, Op: "access token", Desk: providers.Words{EN: "not signed in to Go-CRM: run clubdesk login (phone and SMS code)", RU: "нет входа в Go-CRM: clubdesk login (телефон и код из SMS)"}, Err: err}
		}
		c.access = strings.TrimSpace(v)
	}
	return c.app, c.access, nil
}

func (c *Client) forgetTokens() {
	c.mu.Lock()
	c.app, c.access = "", ""
	c.mu.Unlock()
}

// get reads from the client API, its parameters in the query.
func (c *Client) get(ctx context.Context, op, path string, params map[string]any, out any) (http.Header, error) {
	req := c.api.Read.R()
	if len(params) > 0 {
		req.SetQueryParamsFromValues(query(params))
	}
	return c.do(ctx, op, false, true, req, http.MethodGet, path, out)
}

// send writes to the client API with a JSON body. It is never retried.
func (c *Client) send(ctx context.Context, op, method, path string, withAccess bool, body, out any) error {
	req := c.api.Write.R().SetHeader("Content-Type", "application/json")
	if body != nil {
		req.SetBody(body)
	}
	_, err := c.do(ctx, op, true, withAccess, req, method, path, out)
	return err
}

// answer is what the client API wraps its answers in, when it does: the
// auth calls answer {status, data}, the lists {data}, errors {message,
// errors}; /profile and /clients/(:num) answer the bare object.
type answer struct {
	Status  text            `json:"status"`
	Message text            `json:"message"`
	Error   text            `json:"error"`
	Errors  wireFields      `json:"errors"`
	Data    json.RawMessage `json:"data"`
}

// do sends one request to the client API and reads its answer into out.
func (c *Client) do(ctx context.Context, op string, write, withAccess bool, req *resty.Request, method, path string, out any) (http.Header, error) {
	if err := c.authorize(req, withAccess); err != nil {
		return nil, err
	}
	resp, err := req.SetContext(ctx).Execute(method, path)
	if err != nil {
		return nil, c.api.TransportError(op, write, err)
	}
	return resp.Header(), c.interpret(op, write, resp.Header(), resp.StatusCode(), resp.Body(), out)
}

// interpret reads one answer of the client API into out: an error by its
// status or Go-CRM's words, else the payload ({data} or the bare value).
func (c *Client) interpret(op string, write bool, h http.Header, status int, body []byte, out any) error {
	body = bytes.TrimSpace(body)
	var env answer
	var fields map[string]json.RawMessage
	isJSON := len(body) > 0 && (body[0] == '{' || body[0] == '[')
	if isJSON && body[0] == '{' {
		if json.Unmarshal(body, &fields) != nil || json.Unmarshal(body, &env) != nil {
			isJSON = false
		}
	} else if isJSON && !json.Valid(body) {
		isJSON = false
	}
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		c.forgetTokens()
		msg := "Go-CRM не принял токен: войдите заново (clubdesk login)"
		if m := first(string(env.Message), string(env.Error)); m != "" {
			msg += " — " + m
		}
		return &providers.Error{Kind: providers.ErrUnauthorized, Op: op, Status: status, Message: msg}
	}
	if status >= 400 {
		return c.refusal(c.api, op, write, status, h, first(string(env.Message), string(env.Error)), env.Errors)
	}
	if !isJSON {
		return c.api.Garbled(op, write, status, errors.New("not a JSON answer"))
	}
	if s := strings.ToLower(string(env.Status)); s == "error" || s == "fail" || s == "failed" {
		return c.refusalIn200(c.refusal(c.api, op, write, status, h, first(string(env.Message), string(env.Error)), env.Errors), string(env.Status))
	}
	if out == nil {
		return nil
	}
	payload := json.RawMessage(body)
	if raw, ok := fields["data"]; ok {
		payload = raw
	}
	if err := wire.Decode(payload, out); err != nil {
		return c.api.Garbled(op, write, status, err)
	}
	return nil
}

// publicAnswer is every answer of the public API.
type publicAnswer struct {
	Status           text            `json:"status"`
	Message          text            `json:"message"`
	ValidationErrors wireFields      `json:"validation_errors"`
	Data             json.RawMessage `json:"data"`
}

// publicCall sends one request to the public API, which needs no
// credentials and gets none.
func (c *Client) publicCall(ctx context.Context, op, method, path string, params map[string]any, body, out any) error {
	write := method != http.MethodGet
	req := c.public.Read.R()
	if write {
		req = c.public.Write.R().SetHeader("Content-Type", "application/json").SetBody(body)
	}
	if len(params) > 0 {
		req.SetQueryParamsFromValues(query(params))
	}
	resp, err := req.SetContext(ctx).Execute(method, path)
	if err != nil {
		return c.public.TransportError(op, write, err)
	}
	h, status, raw := resp.Header(), resp.StatusCode(), bytes.TrimSpace(resp.Body())
	var env publicAnswer
	if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &env) != nil || env.Status == "" {
		if status >= 400 {
			return c.public.StatusError(op, write, status, h, "")
		}
		return c.public.Garbled(op, write, status, errors.New("not a Go-CRM public API answer"))
	}
	if status >= 400 || !strings.EqualFold(string(env.Status), "success") {
		err := c.refusal(c.public, op, write, status, h, string(env.Message), env.ValidationErrors)
		if status < 400 {
			err = c.refusalIn200(err, string(env.Status))
		}
		return err
	}
	if out == nil {
		return nil
	}
	if err := wire.Decode(env.Data, out); err != nil {
		return c.public.Garbled(op, write, resp.StatusCode(), err)
	}
	return nil
}

// refusal maps an error answer: typed by HTTP status, or by what Go-CRM's
// words say for a 422, with the per-field texts kept for the screen.
func (c *Client) refusal(hc *httpx.Client, op string, write bool, status int, h http.Header, msg string, fields wireFields) error {
	msg = strings.TrimSpace(msg)
	fs := map[string]string(nil)
	for k, v := range fields {
		if k == "" {
			msg = strings.TrimSpace(strings.TrimSuffix(msg, ".") + " " + v)
			continue
		}
		if fs == nil {
			fs = map[string]string{}
		}
		fs[k] = v
	}
	// The document's 422 says "message": "Error": the fields say it all.
	if len(fs) > 0 && (strings.EqualFold(msg, "error") || strings.EqualFold(msg, "validation error")) {
		msg = ""
	}
	err := hc.StatusError(op, write, status, h, msg)
	var pe *providers.Error
	if errors.As(err, &pe) {
		pe.Fields = fs
		if len(fs) > 0 && msg == "" {
			// The fields are Go-CRM's words: no "HTTP 422" of the desk's
			// in front of them.
			pe.Message, pe.Synthetic = "", false
		}
		if status == http.StatusUnprocessableEntity || status == http.StatusBadRequest || status == http.StatusConflict {
			pe.Kind = refusalKind(msg, fs)
		}
	}
	return err
}

// refusalIn200 words a refusal Go-CRM answered with HTTP 200 and a status
// such as "error" (assumption 12): the status it really gave is kept (no
// "HTTP 422" the CRM never sent), the kind is read from its words, and
// when it gave neither a message nor fields, the desk says exactly that.
func (c *Client) refusalIn200(err error, given string) error {
	var pe *providers.Error
	if !errors.As(err, &pe) {
		return err
	}
	pe.Kind = refusalKind(pe.Message, pe.Fields)
	if pe.Synthetic {
		pe.Message, pe.Synthetic = "", false
		if len(pe.Fields) == 0 {
			pe.Desk = providers.Words{
				EN: "Go-CRM answered status «%s» (HTTP %d) without saying why",
				RU: "Go-CRM ответил статусом «%s» (HTTP %d) без объяснения причины"}.Fill(strings.TrimSpace(given), pe.Status)
		}
	}
	return err
}

// refusalKind reads a refusal's words: Go-CRM answers 422 for a full
// lesson and a double booking as for a bad field.
func refusalKind(msg string, fields map[string]string) error {
	all := msg
	for _, v := range fields {
		all += " " + v
	}
	low := strings.ToLower(all)
	switch {
	case strings.Contains(low, "нет мест"), strings.Contains(low, "мест нет"), strings.Contains(low, "нет свободных"):
		return providers.ErrLessonFull
	case strings.Contains(low, "уже запис"):
		return providers.ErrAlreadyBooked
	case strings.Contains(low, "не найден"):
		return providers.ErrNotFound
	}
	return providers.ErrValidation
}

// Check implements providers.Checker with GET /profile: it needs both
// tokens and changes nothing. The server's clock is its Date header.
func (c *Client) Check(ctx context.Context) (time.Time, error) {
	var p wireProfile
	h, err := c.get(ctx, "check", "/profile", nil, &p)
	if err != nil {
		return time.Time{}, err
	}
	server, _ := http.ParseTime(h.Get("Date"))
	return server, nil
}

// wireProfile is GET /profile: the person the tokens belong to.
type wireProfile struct {
	Type     text `json:"type"`
	ID       id   `json:"id"`
	CenterID id   `json:"centerId"`
	Name     text `json:"name"`
	Phone    text `json:"phone"`
}

// today is the center's day.
func (c *Client) today() models.Date { return models.DateOf(c.now(), c.loc) }

// pathID keeps an id from changing the path it is put into.
func pathID(id string) string {
	return url.PathEscape(strings.TrimSpace(id))
}

// numeric writes an id as the document's bodies do, a number ("hourId":
// 1), when it is one; any other id goes as the string it is.
func numeric(v string) any {
	v = strings.TrimSpace(v)
	if v != "" && len(v) < 16 && strings.Trim(v, "0123456789") == "" && (v == "0" || v[0] != '0') {
		return json.Number(v)
	}
	return v
}

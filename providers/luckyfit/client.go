package luckyfit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/httpx"
	"github.com/clubdesk/clubdesk/providers/wire"
	"github.com/go-resty/resty/v2"
)

// DefaultBaseURL is LuckyFit's cloud API. The document names
// https://my.lucky.fitness as the base, but integrations in production call
// https://my.lucky.fitness/api/... (assumption 14): without /api the desk
// reaches the web application.
const DefaultBaseURL = "https://my.lucky.fitness/api"

// DefaultTimezone is the branch's zone when neither the profile nor
// LuckyFit's /branches says (providers.ClubZone).
const DefaultTimezone = "Europe/Moscow"

func init() {
	providers.Register("luckyfit", func(s providers.Settings) (providers.Provider, error) { return New(s) })
}

// Client talks to one LuckyFit account for one branch and desk.
type Client struct {
	providers.Unsupported
	http      *httpx.Client
	secrets   providers.Secrets
	now       func() time.Time
	log       *slog.Logger
	loc       *time.Location
	branchID  string
	pointName string

	mu      sync.Mutex
	key     string // the API key, read from the keyring once
	plans   []planEntry
	lessons map[string]lessonEntry
	// days are the day reads ClientBookings picks from (day.go).
	days map[string]*dayState
	// direct is what this session learnt of the client_id query
	// (assumption 17); probing, that an ask not yet proven is on its way
	// (the probe, or a card's).
	direct  directMode
	probing bool
	// asks are when cards asked for bookings in the last rosterMaxAge,
	// oldest first (keepsYoung).
	asks []time.Time
	// rttAvg is the round trip LuckyFit's answers have been taking.
	rttAvg time.Duration
	// noDayRead turns the day read off (the benchmarks' naive baseline).
	noDayRead bool
	// seen are client records read moments ago (clientTTL).
	seen map[string]seenClient
	// finished are clients' ended tickets read moments ago (finishedTTL).
	finished map[string]finishedMemo
	// sold are the tickets this desk sold this session, with what they
	// were sold for (their due is read against it).
	sold map[string]soldFigures
}

// Option adjusts a Client (tests).
type Option func(*httpx.Config)

// New builds the adapter. It does not touch the network.
func New(s providers.Settings, opts ...Option) (*Client, error) {
	if s.Secrets == nil {
		return nil, errors.New("luckyfit: no secret store")
	}
	base := s.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	tz := s.Timezone
	if tz == "" {
		tz = DefaultTimezone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("luckyfit: time zone %q: %w", tz, err)
	}
	cfg := httpx.Config{Name: "LuckyFit", BaseURL: base, Logger: s.Log()}
	for _, o := range opts {
		o(&cfg)
	}
	c := &Client{
		http: httpx.New(cfg), secrets: s.Secrets, now: s.Clock(), log: s.Log(), loc: loc,
		branchID: s.Branch, pointName: s.PointName,
		lessons: map[string]lessonEntry{}, days: map[string]*dayState{}, seen: map[string]seenClient{},
		sold: map[string]soldFigures{}, finished: map[string]finishedMemo{},
	}
	c.Caps = capabilities()
	return c, nil
}

// WithTransport replaces the network (tests inject failures).
func WithTransport(t http.RoundTripper) Option { return func(c *httpx.Config) { c.Transport = t } }

// WithTimeout bounds one attempt of one request.
func WithTimeout(d time.Duration) Option { return func(c *httpx.Config) { c.Timeout = d } }

// WithRetryWait shortens the backoff (tests).
func WithRetryWait(d time.Duration) Option { return func(c *httpx.Config) { c.RetryWait = d } }

var noCancel = providers.Words{EN: "LuckyFit's API documents no call to cancel a booking", RU: "в API LuckyFit нет отмены записи"}

func capabilities() providers.Capabilities {
	return providers.Supports(
		providers.CapSearch, providers.CapCardLookup, providers.CapBindCard, providers.CapCreateClient,
		providers.CapMemberships, providers.CapVisits, providers.CapPlans, providers.CapSell,
		providers.CapTakePayment, providers.CapDepositTopUp, providers.CapCalendar, providers.CapRoster,
		providers.CapBook, providers.CapShiftReport, providers.CapOnlinePay,
	).
		Without(providers.CapAttendance, providers.Words{
			EN: "LuckyFit's API has no call to mark attendance: entries come from its access control (turnstile) and show as visits",
			RU: "в API LuckyFit нет отметки посещения: проходы фиксирует его СКУД (турникет), касса показывает их как визиты"}).
		Without(providers.CapCheckIn, providers.Words{
			EN: "LuckyFit's API has no check-in call: entries are recorded by its access control",
			RU: "в API LuckyFit нет входа по кассе: проходы фиксирует его СКУД"}).
		Without(providers.CapCancelBooking, noCancel).
		Without(providers.CapLateCancel, noCancel)
}

// Info describes the connection.
func (c *Client) Info() providers.Info {
	return providers.Info{Name: "luckyfit", Title: "LuckyFit", Branch: c.branchID, Location: c.loc, Currency: currency}
}

// Capabilities lists what LuckyFit's API offers the desk.
func (c *Client) Capabilities() providers.Capabilities { return c.Caps }

// envelope is every LuckyFit answer.
type envelope struct {
	Success        flag            `json:"success"`
	Error          text            `json:"error"`
	SessionExpired flag            `json:"session_expired"`
	Data           json.RawMessage `json:"data"`
	Total          number          `json:"total"`
}

func (c *Client) apiKey() (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.key != "" {
		return c.key, nil
	}
	k, err := c.secrets.Secret("api_key")
	if err != nil {
		return "", &providers.Error{Kind: providers.ErrUnauthorized, Op: "api key", Message: "no LuckyFit API key", Err: err}
	}
	c.key = k
	return k, nil
}

// get reads a resource with its filters in the params variable.
func (c *Client) get(ctx context.Context, op, path string, filters map[string]any, out any) error {
	req := c.http.Read.R()
	if filters != nil {
		raw, err := json.Marshal(filters)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		req.SetQueryParam("params", string(raw))
	}
	_, err := c.do(ctx, op, false, req, http.MethodGet, path, out)
	return err
}

// send writes with a JSON body. It is never retried.
func (c *Client) send(ctx context.Context, op, method, path string, body any, out any) error {
	req := c.http.Write.R().SetHeader("Content-Type", "application/json")
	if body != nil {
		req.SetBody(body)
	}
	_, err := c.do(ctx, op, true, req, method, path, out)
	return err
}

// do sends one request and reads LuckyFit's envelope into out; it returns
// the answer's headers for the rare caller that needs them.
func (c *Client) do(ctx context.Context, op string, write bool, req *resty.Request, method, path string, out any) (http.Header, error) {
	key, err := c.apiKey()
	if err != nil {
		return nil, err
	}
	sent := time.Now()
	resp, err := req.SetContext(ctx).SetHeader("Api-Key", key).Execute(method, path)
	if err == nil {
		c.measured(time.Since(sent))
	}
	if err != nil {
		return nil, c.http.TransportError(op, write, err)
	}
	h := resp.Header()
	status, body := resp.StatusCode(), bytes.TrimSpace(resp.Body())
	var env envelope
	if len(body) == 0 || body[0] != '{' || json.Unmarshal(body, &env) != nil {
		if page := webPage(resp); page.is {
			return h, c.notAPI(op, write, status, page)
		}
		if status >= 400 {
			return h, c.http.StatusError(op, write, status, h, "")
		}
		return h, c.http.Garbled(op, write, status, errors.New("not a LuckyFit envelope"))
	}
	if env.SessionExpired {
		c.forgetKey()
		return h, &providers.Error{Kind: providers.ErrUnauthorized, Op: op, Status: status, Message: string(env.Error)}
	}
	if !env.Success {
		return h, c.refusal(op, write, status, h, string(env.Error))
	}
	if status >= 400 {
		return h, c.http.StatusError(op, write, status, h, string(env.Error))
	}
	if out == nil {
		return h, nil
	}
	if err := wire.Decode(env.Data, out); err != nil {
		return h, c.http.Garbled(op, write, status, err)
	}
	return h, nil
}

// refusal maps success:false: the provider's own message, typed by HTTP
// status, or by what the message says when the status is 200.
func (c *Client) refusal(op string, write bool, status int, h http.Header, msg string) error {
	if status >= 400 {
		if status == http.StatusUnauthorized || status == http.StatusForbidden {
			c.forgetKey()
		}
		return c.http.StatusError(op, write, status, h, msg)
	}
	low := strings.ToLower(msg)
	kind := providers.ErrValidation
	switch {
	case strings.Contains(low, "не найден"):
		kind = providers.ErrNotFound
	case strings.Contains(low, "ключ") && (strings.Contains(low, "невер") || strings.Contains(low, "api")), strings.Contains(low, "доступ запрещ"):
		kind = providers.ErrUnauthorized
		c.forgetKey()
	case strings.Contains(low, "недостаточно средств"):
		kind = providers.ErrInsufficientFunds
	case strings.Contains(low, "нет свободных мест"), strings.Contains(low, "мест нет"):
		kind = providers.ErrLessonFull
	case strings.Contains(low, "уже записан"):
		kind = providers.ErrAlreadyBooked
	}
	return &providers.Error{Kind: kind, Op: op, Status: status, Message: msg}
}

func (c *Client) forgetKey() {
	c.mu.Lock()
	c.key = ""
	c.mu.Unlock()
}

// Check implements providers.Checker with GET /branches, which needs the
// key and changes nothing; the server's clock comes from the Date header.
func (c *Client) Check(ctx context.Context) (time.Time, error) {
	var branches []wireBranch
	h, err := c.do(ctx, "check", false, c.http.Read.R(), http.MethodGet, "/branches", &branches)
	if err != nil {
		return time.Time{}, err
	}
	server, _ := http.ParseTime(h.Get("Date"))
	return server, nil
}

// BranchZone implements providers.ZoneReporter: the timezone /branches
// gives the profile's branch (the first branch when the profile names
// none; assumption 11).
func (c *Client) BranchZone(ctx context.Context) (string, error) {
	var branches []wireBranch
	if err := c.get(ctx, "branch zone", "/branches", nil, &branches); err != nil {
		return "", err
	}
	for _, b := range branches {
		if c.branchID == "" || string(b.ID) == c.branchID {
			return string(b.Timezone), nil
		}
	}
	return "", providers.Refusal(providers.ErrNotFound, "branch zone", providers.Words{EN: "branch %s is not in LuckyFit's /branches", RU: "филиал %s не найден в /branches LuckyFit"}, c.branchID)
}

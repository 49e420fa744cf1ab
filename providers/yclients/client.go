package yclients

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/httpx"
	"github.com/clubdesk/clubdesk/providers/wire"
	"golang.org/x/sync/singleflight"
)

// DefaultBaseURL is YCLIENTS' API.
const DefaultBaseURL = "https://api.yclients.com"

// DefaultTimezone is the company's zone when neither the profile nor
// YCLIENTS' timezone_name says (providers.ClubZone).
const DefaultTimezone = "Europe/Moscow"

// acceptV2 selects the answer format every call is documented in.
const acceptV2 = "application/vnd.yclients.v2+json"

// Limits are YCLIENTS' documented request rates: 5 a second and 200 a
// minute per IP address, kept with a margin (assumption 22): two desks once
// put 6 requests into 998 ms of YCLIENTS' clock.
var Limits = []httpx.Limit{{N: 5, Per: time.Second, Margin: 100 * time.Millisecond}, {N: 200, Per: time.Minute, Margin: time.Second}}

func init() {
	providers.Register("yclients", func(s providers.Settings) (providers.Provider, error) { return New(s) })
}

// Client talks to one YCLIENTS company (the profile's branch) for one desk.
type Client struct {
	providers.Unsupported
	http      *httpx.Client
	secrets   providers.Secrets
	now       func() time.Time
	log       *slog.Logger
	deskLoc   *time.Location // the profile's zone, or the default: what Info reports
	companyID string

	// prepMu lets one caller read the company and permissions while the
	// others (a card's parallel reads) wait for it instead of asking too.
	prepMu sync.Mutex

	mu      sync.Mutex
	partner string // tokens, read from the keyring once and forgotten on 401
	user    string
	company *company    // read once: the zone naive date-times are in
	perms   permissions // nil until read
	// permsRead is set once YCLIENTS answered the permissions call, even
	// with a refusal: it is not asked again this session.
	permsRead bool
	// noEvents is the group-events search's last refusal, so that it is
	// logged once, not on every read; empty while it works. The search is
	// asked again on every read all the same.
	noEvents string
	// quickOffUntil: the clients search was refused; the deprecated list
	// searches until then.
	quickOffUntil time.Time
	lessons       map[string]models.Lesson // lessons seen, by lesson ID
	records       map[string]recordEntry   // records seen, by record ID
	phones        map[string]string        // client ID → phone, for abonements
	// days is the company days' records the desk has read (day.go), and
	// dayReads the reads of them under way, shared by every roster.
	days     map[models.Date]*dayRecords
	dayReads singleflight.Group
}

// Option adjusts a Client (tests).
type Option func(*httpx.Config)

// New builds the adapter for the company in s.Branch. It does not touch the
// network.
func New(s providers.Settings, opts ...Option) (*Client, error) {
	if s.Secrets == nil {
		return nil, errors.New("yclients: no secret store")
	}
	companyID := pathID(s.Branch)
	if companyID == "" {
		return nil, errors.New("yclients: the profile has no branch: set branch to the YCLIENTS company id")
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
		return nil, fmt.Errorf("yclients: time zone %q: %w", tz, err)
	}
	cfg := httpx.Config{Name: "YCLIENTS", BaseURL: base, Logger: s.Log(), Limits: Limits}
	if s.StateDir != "" {
		// YCLIENTS counts per address: every desk on this machine shares it.
		cfg.LimitFile = filepath.Join(s.StateDir, "ratelimit-yclients")
	}
	for _, o := range opts {
		o(&cfg)
	}
	c := &Client{
		http: httpx.New(cfg), secrets: s.Secrets, now: s.Clock(), log: s.Log(), deskLoc: loc, companyID: companyID,
		lessons: map[string]models.Lesson{}, records: map[string]recordEntry{}, phones: map[string]string{},
		days: map[models.Date]*dayRecords{},
	}
	c.Caps = capabilities(nil)
	return c, nil
}

// WithTransport replaces the network (tests inject failures).
func WithTransport(t http.RoundTripper) Option { return func(c *httpx.Config) { c.Transport = t } }

// WithTimeout bounds one attempt of one request.
func WithTimeout(d time.Duration) Option { return func(c *httpx.Config) { c.Timeout = d } }

// WithRetryWait shortens the backoff (tests).
func WithRetryWait(d time.Duration) Option { return func(c *httpx.Config) { c.RetryWait = d } }

// WithLimits replaces the documented request rates (tests that are not
// about them run without).
func WithLimits(l ...httpx.Limit) Option { return func(c *httpx.Config) { c.Limits = l } }

// Why the desk cannot do some things through YCLIENTS, in words for the
// club's admin.
var (
	reasonSell = providers.Words{
		EN: "YCLIENTS' API documents no call to sell an abonement: sell it in YCLIENTS itself; the desk shows the client's abonements",
		RU: "в API YCLIENTS нет продажи абонемента: продайте его в самом YCLIENTS; касса показывает абонементы клиента"}
	reasonDeposit = providers.Words{
		EN: "YCLIENTS' API documents no call to put money on a client's account",
		RU: "в API YCLIENTS нет пополнения счёта клиента"}
	reasonLate = providers.Words{
		EN: "YCLIENTS has no late cancellation: cancelling deletes the record",
		RU: "в YCLIENTS нет поздней отмены: отмена удаляет запись"}
	reasonCheckIn = providers.Words{
		EN: "YCLIENTS has no entry of its own: mark the client's record as came on the roster",
		RU: "в YCLIENTS нет отдельного входа: отметьте запись клиента «пришёл» в списке группы"}
	reasonUndoCheckIn = providers.Words{
		EN: "YCLIENTS has no entry of its own to undo: a record marked came is unmarked on the roster (u)",
		RU: "в YCLIENTS нет отдельного входа, который можно отменить: отметку «пришёл» снимают в списке группы (u)"}
	reasonShift = providers.Words{
		EN: "YCLIENTS' API documents no cash-desk or shift report",
		RU: "в API YCLIENTS нет кассового отчёта за смену"}
	reasonOnline = providers.Words{
		EN: "YCLIENTS' API documents no payment page the desk could show",
		RU: "в API YCLIENTS нет страницы оплаты, которую касса могла бы показать"}
	reasonOnlyVisi = providers.Words{
		EN: "through YCLIENTS the desk pays visits only (fast payment of a record), not memberships",
		RU: "через YCLIENTS касса оплачивает только визиты (быстрая оплата записи), не абонементы"}
	// noVisit refuses to pay or mark a record YCLIENTS has made no visit of.
	noVisit = providers.Words{EN: "record %s has no visit in YCLIENTS", RU: "у записи %s нет визита в YCLIENTS"}
)

// capabilities is what YCLIENTS offers the desk, less what the logged-in
// user's permissions forbid (nil permissions: not known yet, nothing is
// taken away).
func capabilities(p permissions) providers.Capabilities {
	caps := providers.Supports(
		providers.CapSearch, providers.CapCardLookup, providers.CapBindCard, providers.CapCreateClient,
		providers.CapMemberships, providers.CapVisits, providers.CapTakePayment,
		providers.CapCalendar, providers.CapRoster, providers.CapBook, providers.CapCancelBooking,
		providers.CapAttendance,
	).
		Without(providers.CapPlans, reasonSell).
		Without(providers.CapSell, reasonSell).
		Without(providers.CapDepositTopUp, reasonDeposit).
		Without(providers.CapLateCancel, reasonLate).
		Without(providers.CapCheckIn, reasonCheckIn).
		Without(providers.CapUndoCheckIn, reasonUndoCheckIn).
		Without(providers.CapShiftReport, reasonShift).
		Without(providers.CapOnlinePay, reasonOnline)
	for _, r := range permissionRules {
		if p.denies(r.key) {
			caps = caps.Without(r.cap, r.reason())
		}
	}
	return caps
}

// Info describes the connection.
func (c *Client) Info() providers.Info {
	c.mu.Lock()
	defer c.mu.Unlock()
	branch := c.companyID
	if c.company != nil && c.company.title != "" {
		branch = c.company.title
	}
	return providers.Info{Name: "yclients", Title: "YCLIENTS", Branch: branch, Location: c.deskLoc, Currency: c.currencyLocked()}
}

// currency is what the company counts in: its currency_short_title read
// as an ISO code (assumption 19), RUB until the company is read or when it
// says nothing.
func (c *Client) currency() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.currencyLocked()
}

func (c *Client) currencyLocked() string {
	if c.company != nil && c.company.currency != "" {
		return c.company.currency
	}
	return models.DefaultCurrency
}

// Capabilities lists what YCLIENTS offers the desk; once the user's
// permissions are known, what they forbid is taken away with the reason.
func (c *Client) Capabilities() providers.Capabilities {
	c.mu.Lock()
	defer c.mu.Unlock()
	return capabilities(c.perms)
}

// envelope is a YCLIENTS answer: {success, data, meta}, or an error with
// errors {code, message}; some answers are a bare object.
type envelope struct {
	Success *flag           `json:"success"`
	Data    json.RawMessage `json:"data"`
	Meta    json.RawMessage `json:"meta"`
	Errors  json.RawMessage `json:"errors"`
}

// meta is the envelope's meta when it is an object ([] and {} are none).
type meta struct {
	Message    text            `json:"message"`
	Code       number          `json:"code"`
	TotalCount count           `json:"total_count"`
	Page       number          `json:"page"`
	Count      count           `json:"count"`
	DateCursor json.RawMessage `json:"dateCursor"`
	From       stamp           `json:"from"`
	To         stamp           `json:"to"`
}

func readMeta(raw json.RawMessage) meta {
	var m meta
	if raw = bytes.TrimSpace(raw); len(raw) > 0 && raw[0] == '{' {
		_ = json.Unmarshal(raw, &m)
	}
	return m
}

// wireErrors is the errors object of an error answer.
type wireErrors struct {
	Code    number `json:"code"`
	Message text   `json:"message"`
}

// present reports whether a raw JSON value holds anything: null, [], {} and
// "" do not.
func present(raw json.RawMessage) bool {
	switch s := string(bytes.TrimSpace(raw)); s {
	case "", "null", "[]", "{}", `""`, "false":
		return false
	}
	return true
}

// tokens returns the partner and user tokens, read from the keyring once.
func (c *Client) tokens(op string, needUser bool) (string, string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.partner == "" {
		p, err := c.secrets.Secret("partner_token")
		if err != nil || strings.TrimSpace(p) == "" {
			return "", "", &providers.Error{Kind: providers.ErrUnauthorized, Op: op, Message: "no YCLIENTS partner token", Err: err}
		}
		c.partner = strings.TrimSpace(p)
	}
	if c.user == "" && needUser {
		u, err := c.secrets.Secret("user_token")
		if err != nil || strings.TrimSpace(u) == "" {
			return "", "", &providers.Error{Kind: providers.ErrUnauthorized, Op: op, Message: "no YCLIENTS user token", Err: err}
		}
		c.user = strings.TrimSpace(u)
	}
	return c.partner, c.user, nil
}

func (c *Client) forgetTokens() {
	c.mu.Lock()
	c.partner, c.user = "", ""
	c.mu.Unlock()
}

// authorization is the header YCLIENTS documents: the partner's token, then
// the user's after a comma.
func authorization(partner, user string) string {
	if user == "" {
		return "Bearer " + partner
	}
	return "Bearer " + partner + ", User " + user
}

// call is one request to YCLIENTS.
type call struct {
	op      string
	method  string
	path    string
	query   url.Values
	body    any
	partner bool // partner token only (the login)
	// search is a POST that only reads (the visit history): it is retried
	// like a GET, and its failure is never an unknown outcome.
	search bool
}

func (c *Client) write(k call) bool { return k.method != http.MethodGet && !k.search }

// get reads a resource.
func (c *Client) get(ctx context.Context, op, path string, q url.Values, out any) (meta, error) {
	return c.do(ctx, call{op: op, method: http.MethodGet, path: path, query: q}, out)
}

// send writes; it is never retried.
func (c *Client) send(ctx context.Context, op, method, path string, body, out any) (meta, error) {
	return c.do(ctx, call{op: op, method: method, path: path, body: body}, out)
}

// do sends one request with YCLIENTS' headers and reads its envelope into
// out.
func (c *Client) do(ctx context.Context, k call, out any) (meta, error) {
	m, _, err := c.doHeader(ctx, k, out)
	return m, err
}

func (c *Client) doHeader(ctx context.Context, k call, out any) (meta, http.Header, error) {
	partner, user, err := c.tokens(k.op, !k.partner)
	if err != nil {
		return meta{}, nil, err
	}
	if k.partner {
		user = ""
	}
	write := c.write(k)
	cl := c.http.Read
	if write {
		cl = c.http.Write
	}
	req := cl.R().SetContext(ctx).
		SetHeader("Accept", acceptV2).
		SetHeader("Content-Type", "application/json").
		SetHeader("Authorization", authorization(partner, user))
	if len(k.query) > 0 {
		req.SetQueryParamsFromValues(k.query)
	}
	if k.body != nil {
		req.SetBody(k.body)
	}
	resp, err := req.Execute(k.method, k.path)
	if err != nil {
		return meta{}, nil, c.http.TransportError(k.op, write, err)
	}
	h, status := resp.Header(), resp.StatusCode()
	m, err := c.read(k.op, write, status, h, bytes.TrimSpace(resp.Body()), out)
	if errors.Is(err, providers.ErrUnauthorized) {
		c.forgetTokens()
	}
	return m, h, err
}

// read maps one answer: the provider's refusal with its own words, a body
// that is not YCLIENTS' (an HTML page, nothing, broken JSON), or data.
func (c *Client) read(op string, write bool, status int, h http.Header, body []byte, out any) (meta, error) {
	if status == http.StatusNoContent {
		return meta{}, nil
	}
	if len(body) == 0 {
		switch {
		case status >= 400:
			return meta{}, c.refusal(op, write, status, h, "", 0, nil)
		case out == nil && write:
			return meta{}, nil // PUT /visits is documented as a bare 200 OK
		}
		return meta{}, c.http.Garbled(op, write, status, errors.New("an empty answer"))
	}
	if body[0] == '[' && status < 400 {
		// A bare array (some list calls answer without the envelope).
		if out != nil {
			if err := wire.Decode(body, out); err != nil {
				return meta{}, c.http.Garbled(op, write, status, err)
			}
		}
		return meta{}, nil
	}
	var env envelope
	if body[0] != '{' || json.Unmarshal(body, &env) != nil {
		if status >= 400 {
			return meta{}, c.refusal(op, write, status, h, "", 0, nil)
		}
		return meta{}, c.http.Garbled(op, write, status, errors.New("not a YCLIENTS answer"))
	}
	m := readMeta(env.Meta)
	var we wireErrors
	var fields wire.Fields
	if present(env.Errors) {
		_ = json.Unmarshal(env.Errors, &we)
		_ = json.Unmarshal(env.Errors, &fields)
		delete(fields, "code")
		delete(fields, "message")
	}
	msg := strings.TrimSpace(first(string(m.Message), string(we.Message)))
	failed := status >= 400 || (env.Success != nil && !bool(*env.Success)) || present(env.Errors)
	if failed {
		if status < 400 && we.Code >= 400 && we.Code < 600 {
			status = int(we.Code) // errors.code repeats the HTTP status (L3861)
		}
		return m, c.refusal(op, write, status, h, msg, int(first(we.Code, m.Code)), fields)
	}
	if out == nil {
		return m, nil
	}
	data := env.Data
	if env.Success == nil && env.Data == nil {
		data = body // a bare object: /auth's 201 is documented so
	}
	if err := wire.Decode(data, out); err != nil {
		return m, c.http.Garbled(op, write, status, err)
	}
	return m, nil
}

// refusal types a refusal by its status and YCLIENTS' code first, and only
// for the statuses that say little (200 with success:false, 400, 403,
// 422) by what YCLIENTS wrote, in Russian or in English: Altegio answers in
// English ("Access denied.", "No free places"), YCLIENTS in Russian
// (assumption 9).
func (c *Client) refusal(op string, write bool, status int, h http.Header, msg string, code int, fields wire.Fields) error {
	switch {
	case status == http.StatusUnauthorized, status == http.StatusNotFound, status == http.StatusTooManyRequests, status >= 500:
		err := c.http.StatusError(op, write, status, h, msg)
		var pe *providers.Error
		if errors.As(err, &pe) && len(fields) > 0 {
			pe.Fields = fields
		}
		return err
	case status == http.StatusForbidden && msg == "":
		// A 403 is the user's rights (assumption 9), not the token.
		msg = "the YCLIENTS user may not do this"
	}
	var kind error
	switch {
	case status == http.StatusConflict:
		kind = providers.ErrAlreadyBooked
	case code == codeTimeTaken:
		kind = providers.ErrLessonFull
	default:
		kind = kindOfWords(status, msg)
	}
	if msg == "" {
		msg = fmt.Sprintf("YCLIENTS answered HTTP %d", status)
		if code > 0 && code != status {
			msg += fmt.Sprintf(" (code %d)", code)
		}
	}
	return &providers.Error{Kind: kind, Op: op, Status: status, Message: msg, Fields: fields}
}

// codeTimeTaken is YCLIENTS' code for "the chosen time is already taken"
// (422/433, the online booking's table): no place left.
const codeTimeTaken = 433

// Words YCLIENTS (Russian) and Altegio (English) refuse with, by what the
// desk makes of them; matched in lower case.
var (
	wordsNotFound = []string{"не найден", "not found", "does not exist", "doesn't exist"}
	wordsFull     = []string{"нет свободных мест", "мест нет", "нет мест", "заполнен", "no free places", "no places",
		"no free seats", "no seats", "no available places", "no spots", "fully booked", "is full"}
	wordsBooked = []string{"уже записан", "already booked", "already recorded", "already signed up", "already registered",
		"already has a record", "already has an appointment", "already enrolled"}
	wordsToken = []string{"авториз", "токен", "token", "unauthorized", "unauthorised", "authoriz", "authentic"}
)

// kindOfWords is the sentinel a refusal's words name, Russian or English.
func kindOfWords(status int, msg string) error {
	low := strings.ToLower(msg)
	has := func(ws []string) bool {
		return slices.ContainsFunc(ws, func(w string) bool { return strings.Contains(low, w) })
	}
	switch {
	case has(wordsNotFound):
		return providers.ErrNotFound
	case has(wordsFull):
		return providers.ErrLessonFull
	case has(wordsBooked):
		return providers.ErrAlreadyBooked
	case status == http.StatusForbidden && has(wordsToken):
		return providers.ErrUnauthorized
	}
	return providers.ErrValidation
}

// company is what the desk needs of GET /company/{id}/.
type company struct {
	title    string
	zone     *time.Location
	tz       string
	currency string // ISO 4217, or the company's own sign when it names none the desk knows
}

type wireCompany struct {
	ID           id   `json:"id"`
	Title        text `json:"title"`
	TimezoneName text `json:"timezone_name"`
	// CurrencyShortTitle is the company's currency as a sign ("₽", "₸",
	// "р"): the reference's only currency field (assumption 19).
	CurrencyShortTitle text `json:"currency_short_title"`
	// CurrencyISO and Currency are read when an answer carries them
	// (Altegio's marketplace calls name currencies by currency_iso).
	CurrencyISO text            `json:"currency_iso"`
	Currency    json.RawMessage `json:"currency"`
}

// currencyOf is the company's currency as an ISO code: currency_iso,
// currency (a code, or an object with one), else currency_short_title; a
// sign the desk cannot read is kept as the company wrote it (the amounts
// are still the company's), and nothing said at all is "" (the desk's
// default, RUB).
func (w wireCompany) currencyOf() (code string, said bool) {
	var names []string
	names = append(names, string(w.CurrencyISO))
	if raw := bytes.TrimSpace(w.Currency); len(raw) > 0 {
		var obj struct {
			ISO        text `json:"iso"`
			Code       text `json:"code"`
			ShortTitle text `json:"short_title"`
			Symbol     text `json:"symbol"`
		}
		var str text
		switch {
		case raw[0] == '{' && json.Unmarshal(raw, &obj) == nil:
			names = append(names, string(obj.ISO), string(obj.Code), string(obj.ShortTitle), string(obj.Symbol))
		case json.Unmarshal(raw, &str) == nil:
			names = append(names, string(str))
		}
	}
	names = append(names, string(w.CurrencyShortTitle))
	for _, n := range names {
		if cur, ok := models.CurrencyCode(n); ok {
			return cur, true
		}
	}
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" {
			if len([]rune(n)) > 8 {
				n = string([]rune(n)[:8])
			}
			return n, true
		}
	}
	return "", false
}

// zone is the zone YCLIENTS' naive date-times are in: the company's, once
// known, else the desk's.
func (c *Client) zone() *time.Location {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.zoneLocked()
}

func (c *Client) zoneLocked() *time.Location {
	if c.company != nil && c.company.zone != nil {
		return c.company.zone
	}
	return c.deskLoc
}

func (c *Client) companyPath() string { return "/api/v1/company/" + c.companyID + "/" }

// readCompany reads the company once.
func (c *Client) readCompany(ctx context.Context, op string) (*company, time.Time, error) {
	var w wireCompany
	_, h, err := c.doHeader(ctx, call{op: op, method: http.MethodGet, path: c.companyPath()}, &w)
	if err != nil {
		return nil, time.Time{}, err
	}
	server, _ := http.ParseTime(h.Get("Date"))
	co := &company{title: strings.TrimSpace(string(w.Title)), tz: strings.TrimSpace(string(w.TimezoneName))}
	if cur, said := w.currencyOf(); said {
		co.currency = cur
		if _, known := models.CurrencyCode(cur); !known {
			c.log.Warn("yclients: the company's currency is not one the desk knows; amounts are shown with its own sign", "currency_short_title", cur)
		}
	}
	if co.tz != "" {
		if loc, err := time.LoadLocation(co.tz); err == nil {
			co.zone = loc
		} else {
			c.log.Warn("yclients: unknown company time zone", "timezone_name", co.tz)
		}
	}
	c.mu.Lock()
	c.company = co
	c.mu.Unlock()
	return co, server, nil
}

// prepare reads, once a session, the company (its zone) and the user's
// permissions, in parallel. Only a failure to read the company fails the
// call: permissions YCLIENTS will not give are treated as unknown.
func (c *Client) prepare(ctx context.Context, op string) error {
	c.prepMu.Lock()
	defer c.prepMu.Unlock()
	c.mu.Lock()
	needCompany, needPerms := c.company == nil, !c.permsRead
	c.mu.Unlock()
	if !needCompany && !needPerms {
		return nil
	}
	var wg sync.WaitGroup
	var companyErr error
	if needPerms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.readPermissions(ctx, op)
		}()
	}
	if needCompany {
		_, _, companyErr = c.readCompany(ctx, op)
	}
	wg.Wait()
	return companyErr
}

// Check implements providers.Checker: the user's permissions (which need
// both tokens) and the company (its zone and the server's clock), two
// harmless reads.
func (c *Client) Check(ctx context.Context) (time.Time, error) {
	if err := c.readPermissionsStrict(ctx, "check"); err != nil {
		return time.Time{}, err
	}
	_, server, err := c.readCompany(ctx, "check")
	return server, err
}

// BranchZone implements providers.ZoneReporter: the company's
// timezone_name.
func (c *Client) BranchZone(ctx context.Context) (string, error) {
	co, _, err := c.readCompany(ctx, "time zone")
	if err != nil {
		return "", err
	}
	return co.tz, nil
}

// errNoID is an answer to a create that does not say what was created.
var errNoID = errors.New("the answer carries no id")

// unsupported is the typed refusal of a capability, with its reason.
func unsupported(caps providers.Capabilities, cp providers.Capability) error {
	return &providers.UnsupportedError{Capability: cp, Reason: caps.Reason(cp), Why: caps.Why(cp)}
}

// allowed refuses, before anything is sent, what the user's permissions
// forbid.
func (c *Client) allowed(cp providers.Capability) error {
	caps := c.Capabilities()
	if !caps.Has(cp) {
		return unsupported(caps, cp)
	}
	return nil
}

// How many items a list call asks for, and how many pages it reads at most.
const (
	recordPage = 100
	eventPage  = 100
	maxPages   = 30
)

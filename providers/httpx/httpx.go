// Package httpx is the HTTP set-up every provider adapter shares, so that
// timeouts, the retry policy, the body cap, logging and the mapping of
// failures to providers' typed errors are written once:
//
//   - Reads (GET) have a deadline per attempt and are retried on network
//     errors, 429 and 502/503/504, with exponential backoff and jitter,
//     honouring Retry-After.
//   - Writes are never retried: a request that moves money or changes
//     state goes out once. When it may have reached the provider and no
//     answer came back, its outcome is "unknown" (providers.ErrOutcomeUnknown)
//     and the desk says so; only a connection that was never made is a
//     plain "unavailable".
//   - A write never follows a redirect: a server that applied a POST and
//     then redirected would have it sent again (307) or turned into a GET
//     (302) whose answer says nothing of the payment. Its outcome is
//     unknown. A read follows a few redirects within its own host.
//   - Response bodies are capped, so a misbehaving server cannot exhaust
//     the desk's memory.
//   - An answer too large, unreadable or redirected elsewhere is not a
//     lost connection: it is providers.ErrBadAnswer (the desk stays
//     online), or for a write providers.ErrOutcomeUnknown.
//   - Every credential a request carries is remembered by package redact,
//     and every message built here is redacted and capped: a CRM that
//     echoes the key in its error does not put it on the screen.
//   - resty's own logger, which would write over the terminal, is replaced
//     by one that writes to the desk's log and never prints bodies or
//     headers (they carry keys and personal data).
package httpx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/clubdesk/clubdesk/keys/redact"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/text"
	"github.com/go-resty/resty/v2"
)

// Defaults of Config.
const (
	DefaultTimeout = 15 * time.Second
	DefaultRetries = 2
	DefaultMaxBody = 8 << 20
	// SearchMaxBody is what one search may pull (Search): a page of
	// clients is a few kilobytes, a search that matches the whole club is
	// not worth megabytes at every keystroke.
	SearchMaxBody = 2 << 20
	// IdleConnsPerHost is how many idle connections to the CRM are kept
	// for reuse. resty's default is GOMAXPROCS+1 (3 on the club's two
	// cores): a service where twenty desks read at once would open a new
	// connection, a TCP and TLS handshake, for most of a burst's reads.
	IdleConnsPerHost = 32
	// maxRetryWait caps a Retry-After a read honours: longer, and the
	// receptionist is better told "too many requests" than kept waiting.
	maxRetryWait = 10 * time.Second
)

// Config describes one provider's HTTP client.
type Config struct {
	// Name is the provider as the receptionist knows it: "LuckyFit".
	Name    string
	BaseURL string
	// Timeout bounds one attempt of one request.
	Timeout time.Duration
	// Retries is how many times a read is tried again (0 means the default;
	// negative means none).
	Retries int
	MaxBody int
	Logger  *slog.Logger
	// Transport replaces the network (tests inject failures with it).
	Transport http.RoundTripper
	// RetryWait is the first backoff step (tests shorten it).
	RetryWait time.Duration
	// Limits are the provider's documented request rates (YCLIENTS: 5 a
	// second and 200 a minute), kept as sliding windows. Every attempt of
	// every request, reads and writes alike, waits for all of them; a
	// cancelled context stops the wait.
	Limits []Limit
	// LimitFile, when set, is where every desk on this machine counts its
	// requests together (the CRM counts per address).
	LimitFile string
}

// Limit is one documented request rate: at most N requests per Per. Margin
// widens the window the desk keeps (N per Per+Margin), so that what the
// CRM counts on its own clock, with its own rounding, stays within N per
// Per.
type Limit struct {
	N      int
	Per    time.Duration
	Margin time.Duration
}

// Client holds a reading and a writing resty client over one base URL.
type Client struct {
	Name  string
	Read  *resty.Client
	Write *resty.Client

	maxBody int
}

// New builds the clients.
func New(cfg Config) *Client {
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	switch {
	case cfg.Retries == 0:
		cfg.Retries = DefaultRetries
	case cfg.Retries < 0:
		cfg.Retries = 0
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.RetryWait == 0 {
		cfg.RetryWait = 300 * time.Millisecond
	}
	base := strings.TrimRight(cfg.BaseURL, "/")
	// One window for both clients: the provider counts requests, not reads
	// and writes separately.
	limit := newWindow(cfg.Limits, cfg.LimitFile, cfg.Logger.With("provider", cfg.Name))
	// One pool of connections for both clients, too.
	network := cfg.Transport
	if network == nil {
		network = newTransport()
	}
	mk := func(redirects resty.RedirectPolicy) *resty.Client {
		c := resty.New().
			SetBaseURL(base).
			SetTimeout(cfg.Timeout).
			SetResponseBodyLimit(cfg.MaxBody).
			SetLogger(logger{cfg.Logger.With("provider", cfg.Name)}).
			SetHeader("User-Agent", "clubdesk").
			SetHeader("Accept", "application/json").
			SetRedirectPolicy(redirects)
		c.SetTransport(network)
		c.OnBeforeRequest(rememberCredentials)
		if limit != nil {
			// The hook waits for a place (outside the attempt's timeout,
			// which the wait must not eat); the transport lands the
			// request's mark when its answer comes.
			c.OnBeforeRequest(func(_ *resty.Client, r *resty.Request) error {
				id, err := limit.wait(r.Context())
				if err != nil {
					return err
				}
				r.SetContext(context.WithValue(r.Context(), flightKey{}, &flight{id: id}))
				return nil
			})
			c.SetTransport(counted{next: c.GetClient().Transport, w: limit})
			// A request that failed before it was sent holds no place.
			c.OnError(func(r *resty.Request, _ error) {
				if f, ok := r.Context().Value(flightKey{}).(*flight); ok && !f.used {
					limit.answered(f.id, time.Now())
				}
			})
		}
		return c
	}
	read := mk(sameOrigin).
		SetRetryCount(cfg.Retries).
		SetRetryWaitTime(cfg.RetryWait).
		SetRetryMaxWaitTime(maxRetryWait).
		SetRetryAfter(retryAfter).
		AddRetryCondition(retryable)
	write := mk(never).SetRetryCount(0)
	return &Client{Name: cfg.Name, Read: read, Write: write, maxBody: cfg.MaxBody}
}

// newTransport is resty's own transport (its dialer's timeouts, proxy
// from the environment, HTTP/2 when the CRM offers it) keeping
// IdleConnsPerHost idle connections.
func newTransport() *http.Transport {
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   IdleConnsPerHost,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

// Search caps what one search request may pull at SearchMaxBody.
func Search(r *resty.Request) *resty.Request { return r.SetResponseBodyLimit(SearchMaxBody) }

// rememberCredentials tells package redact every credential a request
// carries — a key typed at login and not yet stored included — so that an
// answer echoing it is redacted wherever it is shown or kept.
func rememberCredentials(_ *resty.Client, r *resty.Request) error {
	for name, vs := range r.Header {
		if !redact.IsCredentialName(name) {
			continue
		}
		for _, v := range vs {
			redact.Remember(credentialParts(v)...)
		}
	}
	for name, vs := range r.QueryParam {
		if redact.IsCredentialName(name) {
			redact.Remember(vs...)
		}
	}
	return nil
}

// credentialParts splits a header's value into its secrets: "Bearer p,
// User u" holds p and u.
func credentialParts(v string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
		switch strings.ToLower(f) {
		case "bearer", "user", "basic", "token":
			continue
		}
		out = append(out, f)
	}
	return append(out, strings.TrimSpace(v))
}

// ErrRedirected is a redirect the desk did not follow (providers'
// ErrRedirectRefused): the keys travel in headers, and a CRM that sends
// them to another host or over plain http is either misconfigured or not
// the CRM; and a write is never sent twice, nor turned into a GET.
var ErrRedirected = providers.ErrRedirectRefused

// sameOrigin follows a few redirects within one scheme and host (a
// trailing slash added, a path moved) and no others.
var sameOrigin = resty.RedirectPolicyFunc(func(req *http.Request, via []*http.Request) error {
	if len(via) >= 3 {
		return fmt.Errorf("%w: too many redirects", ErrRedirected)
	}
	from := via[0].URL
	if req.URL.Scheme != from.Scheme || req.URL.Host != from.Host {
		return fmt.Errorf("%w (%s://%s): the keys stay with %s", ErrRedirected, req.URL.Scheme, req.URL.Host, from.Host)
	}
	return nil
})

// never follows no redirect: the policy of writes. A 307 would send the
// same payment again, a 302 would turn it into a GET whose 404 reads as
// "nothing happened" though the server may have applied it first.
var never = resty.RedirectPolicyFunc(func(req *http.Request, via []*http.Request) error {
	return fmt.Errorf("%w: a write answered HTTP %d with a redirect to %s", ErrRedirected, redirectStatus(req), req.URL.Path)
})

// redirectStatus is the status of the answer that redirected req.
func redirectStatus(req *http.Request) int {
	if req.Response != nil {
		return req.Response.StatusCode
	}
	return 0
}

// retryable: a read is tried again after a network failure or an answer
// that says "later". A cancelled context is never retried.
func retryable(r *resty.Response, err error) bool {
	if err != nil {
		return !errors.Is(err, context.Canceled) && !errors.Is(err, resty.ErrResponseBodyTooLarge) && !errors.Is(err, ErrRedirected)
	}
	if r == nil {
		return false
	}
	switch r.StatusCode() {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryAfter honours a Retry-After in seconds; zero lets resty back off
// exponentially with jitter.
func retryAfter(_ *resty.Client, r *resty.Response) (time.Duration, error) {
	if r == nil {
		return 0, nil
	}
	return RetryAfter(r.Header()), nil
}

// RetryAfter reads a Retry-After header given in seconds (the HTTP-date form
// is rare from APIs and is ignored).
func RetryAfter(h http.Header) time.Duration {
	if s, err := strconv.Atoi(strings.TrimSpace(h.Get("Retry-After"))); err == nil && s > 0 {
		return min(time.Duration(s)*time.Second, time.Minute)
	}
	return 0
}

// What the desk says of an answer it cannot use.
var (
	wordsTooLarge   = providers.Words{EN: "the CRM's answer is too large (over %d MB)", RU: "ответ CRM слишком большой (больше %d МБ)"}
	wordsUnreadable = providers.Words{EN: "the CRM's answer cannot be read", RU: "ответ CRM не прочитать"}
	wordsRedirected = providers.Words{EN: "the CRM sent the desk to another address; not followed", RU: "CRM перенаправила на другой адрес; запрос туда не отправлен"}
	// A write answered so may have been applied.
	wordsWriteUnknown = providers.Words{EN: "; it is unknown whether this went through: check in the CRM", RU: "; прошла ли операция, неизвестно: проверьте в CRM"}
)

// badAnswer is the error for an answer the desk cannot use: ErrBadAnswer
// for a read (the line is up), ErrOutcomeUnknown for a write.
func (c *Client) badAnswer(op string, write bool, status int, cause error, why providers.Words, message string) error {
	kind := providers.ErrBadAnswer
	if write {
		kind = providers.ErrOutcomeUnknown
		why = providers.Words{EN: why.EN + wordsWriteUnknown.EN, RU: why.RU + wordsWriteUnknown.RU}
	}
	return &providers.Error{Kind: kind, Op: op, Status: status, Message: clip(message), Synthetic: true, Desk: why, Err: cause}
}

// TransportError maps a failure without a usable HTTP answer. For a write,
// only a connection that was never made is certain not to have happened.
// A redirect or an answer too large came from a server that is there: not
// a lost connection.
func (c *Client) TransportError(op string, write bool, err error) error {
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("%s: %w", op, err)
	}
	if errors.Is(err, ErrRedirected) {
		return c.badAnswer(op, write, 0, ErrRedirected, wordsRedirected, c.Name+": "+rootMessage(err))
	}
	if errors.Is(err, resty.ErrResponseBodyTooLarge) {
		mb := max(c.maxBody>>20, 1)
		return c.badAnswer(op, write, 0, fmt.Errorf("%w: %w", providers.ErrAnswerTooLarge, err), wordsTooLarge.Fill(mb), c.Name+": the answer is too large")
	}
	if write && !neverSent(err) {
		return &providers.Error{Kind: providers.ErrOutcomeUnknown, Op: op,
			Message: c.Name + " did not answer: it is unknown whether this went through", Synthetic: true, Err: err}
	}
	return &providers.Error{Kind: providers.ErrUnavailable, Op: op, Message: c.Name + " is not reachable", Synthetic: true, Err: err}
}

// clip redacts and caps a message the desk builds from what it was
// given.
func clip(s string) string { return text.Cap(redact.String(s), text.MaxField) }

// rootMessage is the redirect policy's own words, without the URL package's
// "Get \"https://...\":" prefix, which may carry query parameters.
func rootMessage(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return redact.String(ue.Err.Error())
	}
	return redact.String(err.Error())
}

// neverSent reports whether the request certainly did not reach the server:
// the connection was refused or could not be opened, or the name did not
// resolve.
func neverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns) || errors.Is(err, syscall.ECONNREFUSED)
}

// StatusError maps an HTTP status to a typed error, with the provider's own
// message when it gave one.
func (c *Client) StatusError(op string, write bool, status int, h http.Header, message string) error {
	e := &providers.Error{Op: op, Status: status, Message: clip(message)}
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		e.Kind = providers.ErrUnauthorized
	case status == http.StatusNotFound:
		e.Kind = providers.ErrNotFound
	case status == http.StatusTooManyRequests:
		e.Kind = providers.ErrRateLimited
		e.RetryAfter = RetryAfter(h)
	case status >= 500 && write:
		// The server failed while handling a write: it may have applied it.
		e.Kind = providers.ErrOutcomeUnknown
	case status >= 500:
		e.Kind = providers.ErrUnavailable
	default:
		e.Kind = providers.ErrValidation
	}
	if e.Message == "" {
		e.Message, e.Synthetic = fmt.Sprintf("%s answered HTTP %d", c.Name, status), true
	}
	return e
}

// Garbled is the error for an answer that is not the provider's format: an
// HTML error page, an empty body, broken JSON. The server answered, so it
// is not a lost connection: ErrBadAnswer for a read, and for a write an
// unknown outcome (it may have been applied).
func (c *Client) Garbled(op string, write bool, status int, err error) error {
	cause := providers.ErrAnswerUnreadable
	if err != nil {
		cause = fmt.Errorf("%w: %w", providers.ErrAnswerUnreadable, err)
	}
	return c.badAnswer(op, write, status, cause, wordsUnreadable, c.Name+" is not answering properly")
}

// logger sends resty's own messages to the desk's log.
type logger struct{ l *slog.Logger }

func (l logger) Errorf(format string, v ...any) {
	l.l.Error(strings.TrimSpace(fmt.Sprintf(format, v...)))
}
func (l logger) Warnf(format string, v ...any) {
	l.l.Warn(strings.TrimSpace(fmt.Sprintf(format, v...)))
}
func (l logger) Debugf(format string, v ...any) {}

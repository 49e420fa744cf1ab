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
//   - Response bodies are capped, so a misbehaving server cannot exhaust
//     the desk's memory.
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

	"github.com/clubdesk/clubdesk/providers"
	"github.com/go-resty/resty/v2"
)

// Defaults of Config.
const (
	DefaultTimeout = 15 * time.Second
	DefaultRetries = 2
	DefaultMaxBody = 8 << 20
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
	mk := func() *resty.Client {
		c := resty.New().
			SetBaseURL(base).
			SetTimeout(cfg.Timeout).
			SetResponseBodyLimit(cfg.MaxBody).
			SetLogger(logger{cfg.Logger.With("provider", cfg.Name)}).
			SetHeader("User-Agent", "clubdesk").
			SetHeader("Accept", "application/json").
			SetRedirectPolicy(sameOrigin)
		if cfg.Transport != nil {
			c.SetTransport(cfg.Transport)
		}
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
	read := mk().
		SetRetryCount(cfg.Retries).
		SetRetryWaitTime(cfg.RetryWait).
		SetRetryMaxWaitTime(maxRetryWait).
		SetRetryAfter(retryAfter).
		AddRetryCondition(retryable)
	write := mk().SetRetryCount(0)
	return &Client{Name: cfg.Name, Read: read, Write: write}
}

// ErrRedirected is a redirect the desk did not follow: the keys travel in
// headers, and a CRM that sends them to another host or over plain http is
// either misconfigured or not the CRM.
var ErrRedirected = errors.New("redirected to another address")

// sameOrigin follows a few redirects within one scheme and host (a
// trailing slash added, a path moved) and no others.
var sameOrigin = resty.RedirectPolicyFunc(func(req *http.Request, via []*http.Request) error {
	if len(via) >= 3 {
		return fmt.Errorf("%w: too many redirects", ErrRedirected)
	}
	from := via[0].URL
	if req.URL.Scheme != from.Scheme || req.URL.Host != from.Host {
		return fmt.Errorf("%w (%s://%s): not followed, the keys stay with %s", ErrRedirected, req.URL.Scheme, req.URL.Host, from.Host)
	}
	return nil
})

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

// TransportError maps a failure without a usable HTTP answer. For a write,
// only a connection that was never made is certain not to have happened.
func (c *Client) TransportError(op string, write bool, err error) error {
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("%s: %w", op, err)
	}
	if errors.Is(err, ErrRedirected) {
		// The server answered with a redirect rather than doing the work.
		return &providers.Error{Kind: providers.ErrUnavailable, Op: op, Message: c.Name + ": " + rootMessage(err), Synthetic: true, Err: ErrRedirected}
	}
	if errors.Is(err, resty.ErrResponseBodyTooLarge) {
		return &providers.Error{Kind: providers.ErrUnavailable, Op: op, Message: c.Name + ": the answer is too large", Synthetic: true, Err: err}
	}
	if write && !neverSent(err) {
		return &providers.Error{Kind: providers.ErrOutcomeUnknown, Op: op,
			Message: c.Name + " did not answer: it is unknown whether this went through", Synthetic: true, Err: err}
	}
	return &providers.Error{Kind: providers.ErrUnavailable, Op: op, Message: c.Name + " is not reachable", Synthetic: true, Err: err}
}

// rootMessage is the redirect policy's own words, without the URL package's
// "Get \"https://...\":" prefix, which may carry query parameters.
func rootMessage(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
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
	e := &providers.Error{Op: op, Status: status, Message: message}
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
// HTML error page, an empty body, broken JSON.
func (c *Client) Garbled(op string, write bool, status int, err error) error {
	kind := providers.ErrUnavailable
	if write {
		kind = providers.ErrOutcomeUnknown
	}
	return &providers.Error{Kind: kind, Op: op, Status: status,
		Message: c.Name + " is not answering properly", Synthetic: true, Err: err}
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

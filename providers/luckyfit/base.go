package luckyfit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/httpx"
	"github.com/go-resty/resty/v2"
)

// page says whether an answer that is not LuckyFit's envelope came from
// its web application (assumption 14): a web page, or a redirect to one.
type page struct {
	is bool
	// moved is the path a same-host redirect led to (a login page); ""
	// when the answer came from the address asked.
	moved string
}

// webPage reads an answer that is not the envelope. A 5xx page is a
// proxy's (the line, not the address), and a 401, 403 or 429 page says
// what it says by its status: those are left to the status. A 404 page is
// the web application's for a path it does not have.
func webPage(resp *resty.Response) page {
	if resp == nil {
		return page{}
	}
	if st := resp.StatusCode(); st >= 500 || st >= 400 && st != http.StatusNotFound {
		return page{}
	}
	body := bytes.TrimSpace(resp.Body())
	ct := strings.ToLower(resp.Header().Get("Content-Type"))
	html := strings.Contains(ct, "text/html") || len(body) > 0 && body[0] == '<'
	moved := redirected(resp)
	if !html && moved == "" {
		return page{}
	}
	return page{is: true, moved: moved}
}

// redirected is the path the answer came from when a redirect (followed
// within the host) changed it.
func redirected(resp *resty.Response) string {
	if resp.RawResponse == nil || resp.RawResponse.Request == nil || resp.Request == nil || resp.Request.RawRequest == nil {
		return ""
	}
	from, to := resp.Request.RawRequest.URL, resp.RawResponse.Request.URL
	if strings.TrimRight(from.Path, "/") == strings.TrimRight(to.Path, "/") {
		return ""
	}
	return to.Path
}

// Words of an answer from the web application.
var (
	webPageRead = providers.Words{
		EN: "LuckyFit is not answering properly: its address answered a web page (HTML, HTTP %d), not the API — the base URL probably lacks /api (or LuckyFit is down for maintenance); clubdesk doctor finds the address that answers",
		RU: "LuckyFit отвечает не так, как API: по адресу пришла веб-страница (HTML, HTTP %d) — в base_url, вероятно, не хватает /api (или у LuckyFit технические работы); clubdesk doctor найдёт адрес, который отвечает"}
	loginPageRead = providers.Words{
		EN: "LuckyFit is not answering properly: its address redirected to a login page (%s), LuckyFit's web application, not the API — the base URL probably lacks /api; clubdesk doctor finds the address that answers",
		RU: "LuckyFit отвечает не так, как API: адрес перенаправил на страницу входа (%s) веб-приложения LuckyFit — в base_url, вероятно, не хватает /api; clubdesk doctor найдёт адрес, который отвечает"}
	webPageWrite = providers.Words{
		EN: "LuckyFit answered a web page (HTML, HTTP %d), not the API: it is unknown whether this went through — check in LuckyFit (F7) before repeating; the base URL may lack /api",
		RU: "LuckyFit ответил веб-страницей (HTML, HTTP %d), а не как API: неизвестно, прошла ли операция — проверьте в LuckyFit (F7), прежде чем повторять; в base_url, возможно, не хватает /api"}
	loginPageWrite = providers.Words{
		EN: "LuckyFit redirected to a login page (%s), not the API: it is unknown whether this went through — check in LuckyFit (F7) before repeating; the base URL may lack /api",
		RU: "LuckyFit перенаправил на страницу входа (%s), а не ответил как API: неизвестно, прошла ли операция — проверьте в LuckyFit (F7), прежде чем повторять; в base_url, возможно, не хватает /api"}
)

// notAPI is the typed error for an answer from the web application: the
// desk's words say exactly what came, and errors.Is finds
// providers.ErrNotAPI. A write stays "unknown": a page is no proof that
// nothing happened.
func (c *Client) notAPI(op string, write bool, status int, p page) error {
	kind, html, login := providers.ErrUnavailable, webPageRead, loginPageRead
	if write {
		kind, html, login = providers.ErrOutcomeUnknown, webPageWrite, loginPageWrite
	}
	why := html.Fill(status)
	if p.moved != "" {
		why = login.Fill(p.moved)
	}
	return &providers.Error{Kind: kind, Op: op, Status: status, Desk: why, Err: providers.ErrNotAPI}
}

// baseCandidates are the configured base and its neighbour: with /api when
// it has none, without it when it ends in /api.
func baseCandidates(base string) []string {
	base = strings.TrimRight(strings.TrimSpace(base), "/")
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return []string{base}
	}
	alt := *u
	if p := strings.TrimRight(u.Path, "/"); strings.HasSuffix(p, "/api") {
		alt.Path = strings.TrimSuffix(p, "/api")
	} else {
		alt.Path = p + "/api"
	}
	return []string{base, strings.TrimRight(alt.String(), "/")}
}

// ProbeBase implements providers.BaseProber: it asks GET /branches (a read
// that changes nothing) of the configured base and, unless that one
// answers as the API, of its neighbour with or without /api, and says
// which answers (assumption 14). The key goes only to this host.
func (c *Client) ProbeBase(ctx context.Context) (providers.BaseProbe, error) {
	p := providers.BaseProbe{Configured: c.http.Read.BaseURL}
	for _, base := range baseCandidates(p.Configured) {
		a := c.tryBase(ctx, base)
		p.Tried = append(p.Tried, a)
		if a.Answer == providers.BaseAPI {
			p.Working = base
			break
		}
		if err := ctx.Err(); err != nil {
			return p, err
		}
	}
	return p, nil
}

// ProbeBase builds the adapter for s and probes its base URL, for a caller
// that holds settings rather than a provider: it returns the base that
// answers as LuckyFit's API ("" when none does) and every address tried.
func ProbeBase(ctx context.Context, s providers.Settings, opts ...Option) (working string, tried []providers.BaseAttempt, err error) {
	c, err := New(s, opts...)
	if err != nil {
		return "", nil, err
	}
	p, err := c.ProbeBase(ctx)
	return p.Working, p.Tried, err
}

// What an address answered, for login and doctor.
var (
	baseAPI         = providers.Words{EN: "LuckyFit's API answers", RU: "отвечает API LuckyFit"}
	baseKeyRefused  = providers.Words{EN: "LuckyFit's API answers, but refuses the key (HTTP %d)", RU: "отвечает API LuckyFit, но ключ не принят (HTTP %d)"}
	baseWebPage     = providers.Words{EN: "a web page (HTML, HTTP %d), LuckyFit's web application, not the API", RU: "веб-страница (HTML, HTTP %d) — веб-приложение LuckyFit, а не API"}
	baseLoginPage   = providers.Words{EN: "a redirect to a login page (%s), LuckyFit's web application, not the API", RU: "переход на страницу входа (%s) — веб-приложение LuckyFit, а не API"}
	baseNoMethod    = providers.Words{EN: "LuckyFit's format, but no such method (HTTP %d): the path is wrong", RU: "формат LuckyFit, но такого метода нет (HTTP %d): путь неверен"}
	baseUnreachable = providers.Words{EN: "no answer", RU: "нет ответа"}
	baseElsewhere   = providers.Words{EN: "a redirect to another address, not followed", RU: "перенаправление на другой адрес (не выполнено)"}
	baseOther       = providers.Words{EN: "HTTP %d, not LuckyFit's answer", RU: "HTTP %d — это не ответ LuckyFit"}
)

// tryBase asks one address for /branches and sorts the answer.
func (c *Client) tryBase(ctx context.Context, base string) providers.BaseAttempt {
	a := providers.BaseAttempt{URL: base}
	req := c.http.Read.R().SetContext(ctx)
	if key, err := c.apiKey(); err == nil {
		req.SetHeader("Api-Key", key)
	}
	resp, err := req.Get(base + "/branches")
	if err != nil {
		a.Answer, a.Words = providers.BaseUnreachable, baseUnreachable
		if errors.Is(err, httpx.ErrRedirected) {
			a.Answer, a.Words = providers.BaseOther, baseElsewhere
		}
		return a
	}
	a.Status = resp.StatusCode()
	body := bytes.TrimSpace(resp.Body())
	var env envelope
	if len(body) > 0 && body[0] == '{' && json.Unmarshal(body, &env) == nil && (len(env.Data) > 0 || bool(env.Success) || env.Error != "" || bool(env.SessionExpired)) {
		switch {
		case a.Status == http.StatusNotFound, strings.Contains(strings.ToLower(string(env.Error)), "метод не найден"):
			a.Answer, a.Words = providers.BaseNoMethod, baseNoMethod.Fill(a.Status)
		case bool(env.SessionExpired), a.Status == http.StatusUnauthorized, a.Status == http.StatusForbidden,
			strings.Contains(strings.ToLower(string(env.Error)), "ключ"):
			a.Answer, a.KeyRefused, a.Words = providers.BaseAPI, true, baseKeyRefused.Fill(a.Status)
		default:
			a.Answer, a.Words = providers.BaseAPI, baseAPI
		}
		return a
	}
	switch p := webPage(resp); {
	case p.is && p.moved != "":
		a.Answer, a.Location, a.Words = providers.BaseLoginPage, p.moved, baseLoginPage.Fill(p.moved)
	case p.is:
		a.Answer, a.Words = providers.BaseWebPage, baseWebPage.Fill(a.Status)
	default:
		a.Answer, a.Words = providers.BaseOther, baseOther.Fill(a.Status)
	}
	return a
}

var _ providers.BaseProber = (*Client)(nil)

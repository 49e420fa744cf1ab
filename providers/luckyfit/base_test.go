package luckyfit

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/luckyfit/luckyfittest"
)

func lfAt(t *testing.T, base, apiKey string) *Client {
	t.Helper()
	c, err := New(providers.Settings{BaseURL: base, Secrets: key(apiKey), PointName: "Reception 1",
		Timezone: "Europe/Moscow", Now: func() time.Time { return testNow }}, WithRetryWait(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDefaultBaseIsTheAPI(t *testing.T) {
	c, err := New(providers.Settings{Secrets: key(testKey)})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.http.Read.BaseURL; got != "https://my.lucky.fitness/api" {
		t.Fatalf("default base %q: production integrations call https://my.lucky.fitness/api/...", got)
	}
}

// A base without /api reaches LuckyFit's web application: the desk says
// so, typed, instead of "not answering properly".
func TestBaseWithoutAPIIsSaidToBeTheWebApplication(t *testing.T) {
	srv := luckyfittest.NewServer(testKey, func() time.Time { return testNow })
	defer srv.Close()
	c := lfAt(t, srv.URL, testKey)
	_, err := c.Check(context.Background())
	if !errors.Is(err, providers.ErrNotAPI) || !errors.Is(err, providers.ErrUnavailable) {
		t.Fatalf("err = %v; want ErrNotAPI and ErrUnavailable", err)
	}
	var pe *providers.Error
	if !errors.As(err, &pe) || !strings.Contains(pe.Desk.RU, "страницу входа (/login)") || !strings.Contains(pe.Desk.RU, "/api") ||
		!strings.Contains(pe.Desk.EN, "login page (/login)") {
		t.Fatalf("words %+v", pe)
	}
	if srv.WebRequests() == 0 || srv.Total() != 0 {
		t.Fatalf("the web application should have answered: web %d, api %d", srv.WebRequests(), srv.Total())
	}
	// A web page answered in place of a write: unknown, never "failed".
	_, err = c.Book(context.Background(), "3001", "10001")
	// The write client follows no redirect at all (issue 15): a redirect to
	// the login page is refused before anything could tell what it was.
	if !errors.Is(err, providers.ErrOutcomeUnknown) || !errors.Is(err, providers.ErrNotAPI) && !errors.Is(err, providers.ErrRedirectRefused) {
		t.Fatalf("write: %v", err)
	}
	// An HTML page without a redirect (the web application's own page).
	api := lfAt(t, srv.URL+"/api", testKey)
	srv.Inject("GET /branches", luckyfittest.Fault{Status: 200, Body: "<!DOCTYPE html><html><body>LuckyFit</body></html>"})
	_, err = api.Check(context.Background())
	if !errors.Is(err, providers.ErrNotAPI) || !errors.As(err, &pe) || !strings.Contains(pe.Desk.RU, "веб-страница (HTML, HTTP 200)") ||
		!strings.Contains(err.Error(), "not answering properly") {
		t.Fatalf("html: %v", err)
	}
}

func TestProbeFindsTheBaseThatAnswers(t *testing.T) {
	srv := luckyfittest.NewServer(testKey, func() time.Time { return testNow })
	defer srv.Close()
	ctx := context.Background()

	p, err := lfAt(t, srv.URL, testKey).ProbeBase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tried) != 2 || p.Tried[0].Answer != providers.BaseLoginPage || p.Tried[0].Location != "/login" ||
		p.Tried[1].Answer != providers.BaseAPI || p.Working != srv.URL+"/api" || p.Fits() {
		t.Fatalf("probe %+v", p)
	}
	w := p.Words()
	if !strings.Contains(w.RU, `base_url = "`+srv.URL+`/api"`) || !strings.Contains(w.RU, "страницу входа") ||
		!strings.Contains(w.EN, `set base_url = "`+srv.URL+`/api"`) {
		t.Fatalf("words %+v", w)
	}

	// The right base answers at once: one address, nothing to change.
	p, _ = lfAt(t, srv.URL+"/api/", testKey).ProbeBase(ctx)
	if len(p.Tried) != 1 || !p.Fits() || strings.Contains(p.Words().EN, "set base_url") {
		t.Fatalf("right base %+v", p)
	}
	// The API answers and refuses the key: the address is right.
	p, _ = lfAt(t, srv.URL+"/api", "wrong-key").ProbeBase(ctx)
	if len(p.Tried) != 1 || !p.Tried[0].KeyRefused || p.Working != srv.URL+"/api" || !strings.Contains(p.Words().RU, "ключ не принят") {
		t.Fatalf("wrong key %+v", p)
	}
	// One /api too many: LuckyFit's 404 envelope, then the base without it.
	working, tried, err := ProbeBase(ctx, providers.Settings{BaseURL: srv.URL + "/api/api", Secrets: key(testKey)}, WithRetryWait(time.Millisecond))
	if err != nil || working != srv.URL+"/api" || tried[0].Answer != providers.BaseNoMethod {
		t.Fatalf("/api/api: %q %+v %v", working, tried, err)
	}
	// Nothing answers.
	srv.SetDown(true)
	p, _ = lfAt(t, srv.URL, testKey).ProbeBase(ctx)
	if p.Working != "" || len(p.Tried) != 2 || p.Tried[0].Answer != providers.BaseUnreachable || !strings.Contains(p.Words().EN, "no address answers") {
		t.Fatalf("down %+v", p)
	}
}

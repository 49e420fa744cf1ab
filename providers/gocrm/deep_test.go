package gocrm

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/keys/redact"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/deep"
	"github.com/clubdesk/clubdesk/providers/gocrm/gocrmtest"
	"github.com/clubdesk/clubdesk/providers/httpx/httpxtest"
)

// TestDeepAssumptionsAreTheDocs keeps the doctor's list in step with the
// package doc.
func TestDeepAssumptionsAreTheDocs(t *testing.T) {
	if err := deep.InStepWithDoc(deepAssumptions, "doc.go"); err != nil {
		t.Fatal(err)
	}
}

// deepNow is a weekday morning at the local Go-CRM's center.
var deepNow = time.Date(2026, 12, 3, 8, 0, 0, 0, yekaterinburg)

// deepAgainst runs the deep check against the local Go-CRM through a
// proxy that changes its answers with rw.
func deepAgainst(t *testing.T, branch string, rw func(r *http.Request, a *httpxtest.Answer), setup ...func(*gocrmtest.Server)) deep.Report {
	t.Helper()
	srv := gocrmtest.New(func() time.Time { return deepNow })
	t.Cleanup(srv.Close)
	for _, s := range setup {
		s(srv)
	}
	if rw == nil {
		rw = func(*http.Request, *httpxtest.Answer) {}
	}
	proxy := httpxtest.Rewrite(t, srv.URL, rw)
	sec := &secrets{vals: map[string]string{"app_token": gocrmtest.AppToken, "access_token": gocrmtest.AccessToken}}
	c, err := New(providers.Settings{BaseURL: proxy.URL, Branch: branch, Secrets: sec, Timezone: gocrmtest.Timezone,
		Extra: map[string]any{"person": "admin"}, Now: func() time.Time { return deepNow }}, WithRetryWait(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return c.DeepCheck(ctx)
}

func on(path string, fn func(o map[string]any)) func(*http.Request, *httpxtest.Answer) {
	return func(r *http.Request, a *httpxtest.Answer) {
		if r.URL.Path == path {
			a.Body = httpxtest.EditObjects(a.Body, fn)
		}
	}
}

func onData(path string, fn func(data []any) []any) func(*http.Request, *httpxtest.Answer) {
	return func(r *http.Request, a *httpxtest.Answer) {
		if r.URL.Path != path {
			return
		}
		var env map[string]any
		if json.Unmarshal(a.Body, &env) != nil {
			return
		}
		if d, ok := env["data"].([]any); ok {
			env["data"] = fn(d)
		}
		a.Body, _ = json.Marshal(env)
	}
}

func logChecks(t *testing.T, r deep.Report) {
	for _, c := range r.Checks {
		t.Logf("%2d %-16s %s", c.Number, c.Result, c.Seen.EN)
	}
}

// TestDeepCheckHoldsOnTheTestServer: the local Go-CRM plays the parts the
// documents leave open as the package doc assumes: nothing fails, and
// nothing is written.
func TestDeepCheckHoldsOnTheTestServer(t *testing.T) {
	var mu sync.Mutex
	var sent []string
	r := deepAgainst(t, gocrmtest.CenterID, func(r *http.Request, a *httpxtest.Answer) {
		mu.Lock()
		sent = append(sent, r.Method+" "+r.URL.Path)
		mu.Unlock()
	})
	logChecks(t, r)
	if len(r.Checks) != len(deepAssumptions) {
		t.Fatalf("%d checks for %d assumptions", len(r.Checks), len(deepAssumptions))
	}
	if b := r.Broken(); len(b) > 0 {
		t.Fatalf("broken on the test server: %v", b)
	}
	for _, n := range []int{1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14} {
		if c, _ := r.Check(n); c.Result != deep.Held {
			t.Errorf("assumption %d: %s (%s)", n, c.Result, c.Seen.EN)
		}
	}
	for _, s := range sent {
		if !strings.HasPrefix(s, "GET ") {
			t.Errorf("doctor --deep sent %s", s)
		}
	}
	if len(r.Keys) != 0 {
		t.Errorf("staff keys said to be the wrong kind: %+v", r.Keys)
	}
	// With no center in the profile, the only one is found (13) through
	// the cities: the local Go-CRM has two, so the desk says to choose.
	r = deepAgainst(t, "", nil)
	if c, _ := r.Check(13); c.Result != deep.NotHeld || !strings.Contains(c.Seen.EN, "set branch") {
		t.Fatalf("no branch, two centers: %+v", c)
	}
	// /users failing as on live centers is what assumption 14 expects.
	r = deepAgainst(t, gocrmtest.CenterID, nil, func(s *gocrmtest.Server) { s.SetUsersDown(true) })
	if c, _ := r.Check(14); c.Result != deep.Held || !strings.Contains(c.Seen.EN, "HTTP 500") {
		t.Fatalf("/users down: %+v", c)
	}
	if b := r.Broken(); len(b) > 0 {
		t.Fatalf("/users down breaks %v", b)
	}
}

// TestDeepCheckNamesTheBrokenAssumption breaks one assumption at a time:
// the report names exactly that one.
func TestDeepCheckNamesTheBrokenAssumption(t *testing.T) {
	html := func(r *http.Request, a *httpxtest.Answer) {
		a.Status, a.Body = http.StatusOK, []byte("<!DOCTYPE html><html><body>Go-CRM</body></html>")
		a.Header.Set("Content-Type", "text/html; charset=utf-8")
	}
	cases := []struct {
		name string
		rw   func(*http.Request, *httpxtest.Answer)
		want int
	}{
		{"the Bearer token refused", func(r *http.Request, a *httpxtest.Answer) {
			if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
				a.Status, a.Body = http.StatusUnauthorized, []byte(`{"message":"Unauthenticated."}`)
			}
		}, 1},
		{"an HTML answer at the base", html, 2},
		{"the query parameters refused", func(r *http.Request, a *httpxtest.Answer) {
			if r.URL.Path == "/api/hours" {
				a.Status, a.Body = http.StatusUnprocessableEntity, []byte(`{"message":"Error","errors":{"dateStart":"Нужны center, dateStart и dateEnd"}}`)
			}
		}, 3},
		{"an id as an object", on("/api/clients", func(o map[string]any) {
			if _, ok := o["fio"]; ok {
				o["id"] = map[string]any{"value": 1}
			}
		}), 4},
		{"a parent's keys", onData("/api/clients", func(d []any) []any {
			return []any{
				map[string]any{"id": 1001, "fio": "Смирнова Ольга Петровна", "name": "Маша", "phone": "79120001122"},
				map[string]any{"id": 1002, "fio": "Смирнова Ольга Петровна", "name": "Петя", "phone": "79120001122"},
			}
		}), 5},
		{"a period in an unknown word", on("/api/season-tickets", func(o map[string]any) {
			if _, ok := o["periodType"]; ok {
				o["periodType"] = "Сезонов"
			}
		}), 6},
		{"another currency", on("/api/season-tickets", func(o map[string]any) {
			if _, ok := o["currency"]; ok {
				o["currency"] = "USD"
			}
		}), 6},
		{"a date in another shape", on("/api/hours", func(o map[string]any) {
			if v, ok := o["datetime"].(string); ok {
				if at, err := time.Parse("2006-01-02 15:04:05", v); err == nil {
					o["datetime"] = at.Format("02.01.2006 15:04")
				}
			}
		}), 7},
		{"the roster's client not given", func(r *http.Request, a *httpxtest.Answer) {
			if r.URL.Path == "/api/client-hours" && r.URL.Query().Get("clientId") == "" {
				a.Body = httpxtest.EditObjects(a.Body, func(o map[string]any) {
					if _, ok := o["hour"]; ok {
						delete(o, "clientId")
					}
				})
			}
		}, 8},
		{"a public answer without status", on("/api/v3/centers/1", func(o map[string]any) {
			if _, ok := o["validation_errors"]; ok {
				delete(o, "status")
				delete(o, "validation_errors")
			}
		}), 12},
		{"another, unknown zone", on("/api/v3/centers/1", func(o map[string]any) {
			if _, ok := o["timezone"]; ok {
				o["timezone"] = "Ural/Nowhere"
			}
		}), 13},
		{"the instructors without names", on("/api/v3/users", func(o map[string]any) {
			for _, k := range []string{"displayName", "name", "login"} {
				delete(o, k)
			}
		}), 14},
		{"the clients paged", func(r *http.Request, a *httpxtest.Answer) {
			if r.URL.Path != "/api/clients" {
				return
			}
			var env map[string]any
			if json.Unmarshal(a.Body, &env) == nil {
				env["links"] = map[string]any{"next": "/api/clients?page=2"}
				env["meta"] = map[string]any{"current_page": 1, "last_page": 40}
				a.Body, _ = json.Marshal(env)
			}
		}, 16},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := deepAgainst(t, gocrmtest.CenterID, tc.rw)
			if got := r.Broken(); !slices.Equal(got, []int{tc.want}) {
				logChecks(t, r)
				t.Fatalf("broken %v, want exactly [%d]", got, tc.want)
			}
			c, _ := r.Check(tc.want)
			if c.Seen.EN == "" || c.Seen.RU == "" {
				t.Fatalf("no words of what was seen: %+v", c)
			}
			t.Logf("%d: %s", tc.want, c.Seen.EN)
		})
	}
}

// TestDeepCheckSaysTheKeysAreAParents: a client list of one family is a
// parent's keys, said in the receptionist's words with what to ask for.
func TestDeepCheckSaysTheKeysAreAParents(t *testing.T) {
	r := deepAgainst(t, gocrmtest.CenterID, func(r *http.Request, a *httpxtest.Answer) {
		switch r.URL.Path {
		case "/api/clients":
			a.Body = []byte(`{"data":[{"id":1001,"fio":"Смирнова Ольга Петровна","name":"Маша","phone":"79120001122"}]}`)
		case "/api/profile":
			a.Body = []byte(`{"type":"client","id":1,"centerId":1,"name":"Смирнова Ольга Петровна","phone":"79120001122"}`)
		}
	})
	if len(r.Keys) != 2 {
		t.Fatalf("keys: %+v", r.Keys)
	}
	for _, k := range r.Keys {
		if !strings.Contains(k.Text.RU, "родителя") || !strings.Contains(k.Text.RU, "администратора Go-CRM") || !strings.Contains(k.Text.EN, "person") {
			t.Fatalf("words: %+v", k.Text)
		}
		if strings.Contains(k.Text.RU, "Смирнова") || strings.Contains(k.Text.EN, "7912") {
			t.Fatalf("the words name the parent: %+v", k.Text)
		}
	}
}

// TestDeepReportHoldsNoPersonOrSecret: the local Go-CRM's families are
// people; the --report file holds none of their data nor the tokens.
func TestDeepReportHoldsNoPersonOrSecret(t *testing.T) {
	defer redact.Forget()
	redact.Remember(gocrmtest.AppToken, gocrmtest.AccessToken)
	r := deepAgainst(t, gocrmtest.CenterID, on("/api/profile", func(o map[string]any) {
		o["token"] = gocrmtest.AccessToken
		o["note"] = "APP_TOKEN " + gocrmtest.AppToken
	}))
	data, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	out := string(data)
	for _, bad := range []string{
		gocrmtest.AppToken, gocrmtest.AccessToken, "gocrmtest", "Иванов", "Сидоров", "Смирнова", "Кузнецов", "Орлова", "Ваня", "Алена",
		"Маша", "Петя", "Дима", "Соня", "7987654321", "7912000", "7922333", "7900111", "79510000000", "Ленина", "Победы",
		"example.invalid", "Мария", "Олег", "Анна", "maria", "oleg", "2018-01-08", "Старшая группа",
	} {
		if strings.Contains(out, bad) {
			t.Errorf("the report holds %q", bad)
		}
	}
	if m := regexp.MustCompile(`[0-9]{4,}`).FindAllString(out, -1); len(m) > 0 {
		t.Errorf("digit runs in the report: %q", m)
	}
	for _, want := range []string{`"request": "GET /api/clients/{id}"`, `"timezone": "`, `"blockTypeName": "`, `"datetime": "date YYYY-MM-DD hh:mm:ss"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %s", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

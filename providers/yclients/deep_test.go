package yclients

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
	"github.com/clubdesk/clubdesk/providers/httpx/httpxtest"
	"github.com/clubdesk/clubdesk/providers/yclients/yclientstest"
)

// TestDeepAssumptionsAreTheDocs keeps the doctor's list in step with the
// package doc.
func TestDeepAssumptionsAreTheDocs(t *testing.T) {
	if err := deep.InStepWithDoc(deepAssumptions, "doc.go"); err != nil {
		t.Fatal(err)
	}
}

// deepAgainst runs the deep check against the local YCLIENTS through a
// proxy that changes its answers with rw.
func deepAgainst(t *testing.T, rw func(r *http.Request, a *httpxtest.Answer), opts ...Option) (deep.Report, *yclientstest.Server) {
	t.Helper()
	srv := yclientstest.NewServer(testPartner, testUser, func() time.Time { return testNow })
	t.Cleanup(srv.Close)
	if rw == nil {
		rw = func(*http.Request, *httpxtest.Answer) {}
	}
	proxy := httpxtest.Rewrite(t, srv.URL, rw)
	opts = append([]Option{WithRetryWait(time.Millisecond), WithTimeout(2 * time.Second)}, opts...)
	c, err := New(providers.Settings{BaseURL: proxy.URL, Branch: testCompany,
		Secrets: newSecrets(map[string]string{"partner_token": testPartner, "user_token": testUser}),
		Now:     func() time.Time { return testNow }}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return c.DeepCheck(ctx), srv
}

// on edits every object of the answers whose path starts with prefix.
func on(prefix string, fn func(o map[string]any)) func(*http.Request, *httpxtest.Answer) {
	return func(r *http.Request, a *httpxtest.Answer) {
		if strings.HasPrefix(r.URL.Path, prefix) {
			a.Body = httpxtest.EditObjects(a.Body, fn)
		}
	}
}

// onEnvelope edits the envelope of the answers whose path starts with
// prefix.
func onEnvelope(prefix string, fn func(env map[string]any)) func(*http.Request, *httpxtest.Answer) {
	return func(r *http.Request, a *httpxtest.Answer) {
		if !strings.HasPrefix(r.URL.Path, prefix) {
			return
		}
		var env map[string]any
		if json.Unmarshal(a.Body, &env) == nil {
			fn(env)
			a.Body, _ = json.Marshal(env)
		}
	}
}

func logChecks(t *testing.T, r deep.Report) {
	for _, c := range r.Checks {
		t.Logf("%2d %-16s %s", c.Number, c.Result, c.Seen.EN)
	}
}

// TestDeepCheckHoldsOnTheTestServer: the local YCLIENTS speaks the shapes
// the package doc assumes: nothing fails, every assumption has its line,
// and nothing is written.
func TestDeepCheckHoldsOnTheTestServer(t *testing.T) {
	var mu sync.Mutex
	var methods []string
	r, _ := deepAgainst(t, func(r *http.Request, a *httpxtest.Answer) {
		mu.Lock()
		methods = append(methods, r.Method+" "+r.URL.Path)
		mu.Unlock()
	}, WithLimits())
	logChecks(t, r)
	if len(r.Checks) != len(deepAssumptions) {
		t.Fatalf("%d checks for %d assumptions", len(r.Checks), len(deepAssumptions))
	}
	if b := r.Broken(); len(b) > 0 {
		t.Fatalf("broken on the test server: %v", b)
	}
	for _, n := range []int{1, 3, 4, 5, 6, 7, 8, 10, 12, 15, 16, 17, 18, 23} {
		if c, _ := r.Check(n); c.Result != deep.Held {
			t.Errorf("assumption %d: %s (%s)", n, c.Result, c.Seen.EN)
		}
	}
	for _, m := range methods {
		if !strings.HasPrefix(m, "GET ") && m != "POST /api/v1/company/37532/clients/visits/search" {
			t.Errorf("doctor --deep sent %s", m)
		}
	}
}

// TestDeepCheckKeepsYCLIENTSRates runs the deep check with YCLIENTS'
// documented limits: no second holds more than 5 of its requests (as they
// arrive, give or take the line's jitter: 100 ms).
func TestDeepCheckKeepsYCLIENTSRates(t *testing.T) {
	var mu sync.Mutex
	var at []time.Time
	r, _ := deepAgainst(t, func(r *http.Request, a *httpxtest.Answer) {
		mu.Lock()
		at = append(at, time.Now())
		mu.Unlock()
	})
	if b := r.Broken(); len(b) > 0 {
		t.Fatalf("broken: %v", b)
	}
	for i := range at {
		n := 0
		for _, u := range at[i:] {
			if u.Sub(at[i]) < 900*time.Millisecond {
				n++
			}
		}
		if n > 5 {
			t.Fatalf("%d requests within a second from request %d (of %d)", n, i, len(at))
		}
	}
	t.Logf("%d requests", len(at))
}

// TestDeepCheckNamesTheBrokenAssumption breaks one assumption at a time:
// the report names exactly that one.
func TestDeepCheckNamesTheBrokenAssumption(t *testing.T) {
	cases := []struct {
		name string
		rw   func(*http.Request, *httpxtest.Answer)
		want int
	}{
		{"the phone filter ignored", func(r *http.Request, a *httpxtest.Answer) {
			if strings.HasPrefix(r.URL.Path, "/api/v1/clients/") && r.URL.Query().Get("phone") != "" {
				onEnvelope("/", func(env map[string]any) { env["data"] = []any{} })(r, a)
			}
		}, 1},
		{"a date the desk cannot read", on("/api/v1/records/", func(o map[string]any) {
			if _, ok := o["datetime"]; ok {
				o["datetime"] = "22 ноября, 09:00"
			}
		}), 3},
		{"the client list without balance", func(r *http.Request, a *httpxtest.Answer) {
			if strings.HasPrefix(r.URL.Path, "/api/v1/clients/") {
				a.Body = httpxtest.EditObjects(a.Body, func(o map[string]any) { delete(o, "balance") })
			}
		}, 4},
		{"a record's staff renamed", on("/api/v1/records/", httpxtest.Rename("staff", "master")), 5},
		{"a payment status unknown", on("/api/v1/records/", func(o map[string]any) {
			if _, ok := o["payment_status"]; ok {
				o["payment_status"] = 7
			}
		}), 6},
		{"the events' capacity renamed", on("/api/v1/activity/", httpxtest.Rename("capacity", "places")), 7},
		{"the abonements' expiration renamed", on("/api/v1/loyalty/", httpxtest.Rename("expiration_date", "valid_till")), 8},
		{"the history without a cursor", onEnvelope("/api/v1/company/37532/clients", func(env map[string]any) { env["meta"] = map[string]any{"count": 1} }), 10},
		{"an attendance code unknown", on("/api/v1/records/", func(o map[string]any) {
			if _, ok := o["attendance"]; ok {
				o["attendance"] = 5
			}
		}), 12},
		{"another zone", func(r *http.Request, a *httpxtest.Answer) {
			if r.URL.Path == "/api/v1/company/37532/" || r.URL.Path == "/api/v1/company/37532" {
				a.Body = httpxtest.EditObjects(a.Body, func(o map[string]any) {
					if _, ok := o["timezone_name"]; ok {
						o["timezone_name"] = "Asia/Yekaterinburg"
					}
				})
			}
		}, 15},
		{"the rights renamed", onEnvelope("/api/v1/user/", func(env map[string]any) {
			env["data"] = map[string]any{"journal": map[string]any{"journal_access": true}}
		}), 16},
		{"a page size ignored", onEnvelope("/api/v1/records/", func(env map[string]any) {
			d, _ := env["data"].([]any)
			env["data"] = append(append(append([]any{}, d...), d...), d...)
		}), 17},
		{"the abonements refuse YCLIENTS' Accept", func(r *http.Request, a *httpxtest.Answer) {
			if strings.HasPrefix(r.URL.Path, "/api/v1/loyalty/") {
				a.Status, a.Body = http.StatusNotAcceptable, []byte(`{"success":false,"data":null,"meta":{"message":"Accept: application/vnd.api.v2+json"}}`)
			}
		}, 18},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := deepAgainst(t, tc.rw, WithLimits())
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

// TestDeepCheckSaysWhichRightsTheUserLacks: rights refused in YCLIENTS are
// the wrong kind of keys, said with what to ask the administrator for.
func TestDeepCheckSaysWhichRightsTheUserLacks(t *testing.T) {
	r, _ := deepAgainst(t, onEnvelope("/api/v1/user/", func(env map[string]any) {
		env["data"] = map[string]any{
			"timetable":   map[string]any{"timetable_access": true},
			"record_form": map[string]any{"create_records_access": false, "edit_records_access": false, "records_finances_access": true, "delete_records_access": true},
			"clients":     map[string]any{"clients_access": true}, "loyalty": map[string]any{"loyalty_access": true},
		}
	}), WithLimits())
	if len(r.Keys) != 1 || !strings.Contains(r.Keys[0].Text.RU, "администратора") || !strings.Contains(r.Keys[0].Text.RU, "create_records_access") ||
		!strings.Contains(r.Keys[0].Text.EN, "edit_records_access") {
		t.Fatalf("keys: %+v", r.Keys)
	}
	if b := r.Broken(); len(b) > 0 {
		t.Fatalf("a right refused is no broken assumption: %v", b)
	}
}

// TestDeepReportHoldsNoPersonOrSecret: the local YCLIENTS' clients are
// people; the --report file holds none of their data nor the tokens.
func TestDeepReportHoldsNoPersonOrSecret(t *testing.T) {
	defer redact.Forget()
	r, _ := deepAgainst(t, on("/api/v1/client/", func(o map[string]any) {
		if _, ok := o["comment"]; ok {
			o["comment"] = "токен " + testUser + ", пароль desk-pass, тел. 8 (916) 555-00-04"
		}
	}), WithLimits())
	data, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	out := string(data)
	for _, bad := range []string{
		testPartner, testUser, "desk-pass", "Зеленина", "Ольга", "Должиков", "Пришвина", "Дарья", "Блохин", "Новосёлов", "Сонов",
		"Олеговна", "o.zelenina", "darya.p", "yandex", "mail.ru", "0040856634", "0049052213", "27719048", "79165550", "916",
		"ключ", "шкафчик", "Соколова", "Комарова", "Центральный", "Саввинский", "788003", "659003",
	} {
		if strings.Contains(out, bad) {
			t.Errorf("the report holds %q", bad)
		}
	}
	// Runs of four digits and more (three-digit ones are HTTP statuses
	// here, named in assumption 9 and the calls).
	if m := regexp.MustCompile(`[0-9]{4,}`).FindAllString(out, -1); len(m) > 0 {
		t.Errorf("digit runs in the report: %q", m)
	}
	for _, want := range []string{`"request": "GET /api/v1/client/{id}/{id}"`, `"timezone_name": "`, `"attendance": "`, `"datetime": "date YYYY-MM-DDThh:mm:ss±hhmm"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %s", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

// A YCLIENTS that ignores changed_after is told: the roster's refresh
// would read the whole day.
func TestDeepCheckSeesChangedAfterIgnored(t *testing.T) {
	r, _ := deepAgainst(t, func(r *http.Request, a *httpxtest.Answer) {}, WithLimits(), WithTransport(dropQuery{"changed_after", http.DefaultTransport}))
	if c, _ := r.Check(23); c.Result != deep.NotHeld || !strings.Contains(c.Seen.EN, "changed_after is ignored") {
		t.Fatalf("assumption 23: %s (%s)", c.Result, c.Seen.EN)
	}
}

// dropQuery is a line that loses one query parameter on the way.
type dropQuery struct {
	key  string
	next http.RoundTripper
}

func (d dropQuery) RoundTrip(r *http.Request) (*http.Response, error) {
	q := r.URL.Query()
	if q.Has(d.key) {
		r = r.Clone(r.Context())
		q.Del(d.key)
		r.URL.RawQuery = q.Encode()
	}
	return d.next.RoundTrip(r)
}

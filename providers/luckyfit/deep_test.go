package luckyfit

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/keys/redact"
	"github.com/clubdesk/clubdesk/providers/deep"
	"github.com/clubdesk/clubdesk/providers/httpx/httpxtest"
	"github.com/clubdesk/clubdesk/providers/luckyfit/luckyfittest"
)

// TestDeepAssumptionsAreTheDocs keeps the doctor's list in step with the
// package doc.
func TestDeepAssumptionsAreTheDocs(t *testing.T) {
	if err := deep.InStepWithDoc(deepAssumptions, "doc.go"); err != nil {
		t.Fatal(err)
	}
}

// deepAgainst runs the deep check through a proxy that changes the test
// LuckyFit's answers with rw (nil: as they are).
func deepAgainst(t *testing.T, srv *luckyfittest.Server, base string, rw func(r *http.Request, a *httpxtest.Answer)) deep.Report {
	t.Helper()
	if rw == nil {
		rw = func(*http.Request, *httpxtest.Answer) {}
	}
	proxy := httpxtest.Rewrite(t, srv.URL, rw)
	c := lfAt(t, proxy.URL+base, testKey)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return c.DeepCheck(ctx)
}

// filters are a request's LuckyFit filters.
func filters(r *http.Request) map[string]any {
	f := map[string]any{}
	_ = json.Unmarshal([]byte(r.URL.Query().Get("params")), &f)
	return f
}

// onData edits the data of the answers to path.
func onData(path string, fn func(r *http.Request, data []any) []any) func(*http.Request, *httpxtest.Answer) {
	return func(r *http.Request, a *httpxtest.Answer) {
		if strings.TrimPrefix(r.URL.Path, "/api") != path {
			return
		}
		var env map[string]any
		if json.Unmarshal(a.Body, &env) != nil {
			return
		}
		switch d := env["data"].(type) {
		case []any:
			env["data"] = fn(r, d)
		case map[string]any:
			env["data"] = fn(r, []any{d})
		}
		a.Body, _ = json.Marshal(env)
	}
}

// each edits every object of the data of the answers to path.
func each(path string, fn func(o map[string]any)) func(*http.Request, *httpxtest.Answer) {
	return func(r *http.Request, a *httpxtest.Answer) {
		if strings.TrimPrefix(r.URL.Path, "/api") == path {
			a.Body = httpxtest.EditObjects(a.Body, func(o map[string]any) {
				if _, env := o["success"]; !env {
					fn(o)
				}
			})
		}
	}
}

// TestDeepCheckHoldsOnTheTestServer: against the local LuckyFit, which
// speaks the shapes the package doc assumes, no assumption fails, every
// one has a line, and the writes' are never checked by writing.
func TestDeepCheckHoldsOnTheTestServer(t *testing.T) {
	srv := luckyfittest.NewServer(testKey, func() time.Time { return testNow })
	defer srv.Close()
	r := deepAgainst(t, srv, "/api", nil)
	if len(r.Checks) != len(deepAssumptions) {
		t.Fatalf("%d checks for %d assumptions", len(r.Checks), len(deepAssumptions))
	}
	for _, c := range r.Checks {
		t.Logf("%2d %-16s %s", c.Number, c.Result, c.Seen.EN)
	}
	if b := r.Broken(); len(b) > 0 {
		t.Fatalf("assumptions broken on the test server: %v", b)
	}
	for _, n := range []int{1, 2, 3, 4, 7, 8, 10, 11, 12, 14, 16} {
		if c, _ := r.Check(n); c.Result != deep.Held {
			t.Errorf("assumption %d: %s (%s)", n, c.Result, c.Seen.EN)
		}
	}
	for _, n := range []int{5, 6, 15} {
		if c, _ := r.Check(n); c.Result != deep.Unchecked {
			t.Errorf("assumption %d about a write: %s", n, c.Result)
		}
	}
	for route, n := range srv.Counts() {
		if !strings.HasPrefix(route, "GET ") {
			t.Errorf("doctor --deep sent %d × %s", n, route)
		}
	}
	if srv.Total() > 20 {
		t.Errorf("%d requests for one read of each kind", srv.Total())
	}
}

// TestDeepCheckNamesTheBrokenAssumption breaks one assumption at a time in
// the test LuckyFit's answers: the report names exactly that one.
func TestDeepCheckNamesTheBrokenAssumption(t *testing.T) {
	yesterday := testNow.In(moscow).AddDate(0, 0, -1).Format("2006-01-02T15:04:05")
	cases := []struct {
		name string
		rw   func(*http.Request, *httpxtest.Answer)
		base string
		want int
	}{
		{"a client's surname renamed", each("/clients", httpxtest.Rename("surname", "last_name")), "/api", 1},
		{"a client's id renamed in one client's read", each("/clients/id/10011", httpxtest.Rename("id", "client_id")), "/api", 1},
		{"a ticket's passes left not given", each("/client_tickets", func(o map[string]any) { delete(o, "passes_left") }), "/api", 2},
		{"a price in words", each("/tickets", func(o map[string]any) { o["price"] = "5 000 руб." }), "/api", 3},
		{"a date in another shape", each("/access_logs", func(o map[string]any) {
			if at, err := time.Parse("2006-01-02T15:04:05", o["created_at"].(string)); err == nil {
				o["created_at"] = at.Format("02.01.2006 15:04:05")
			}
		}), "/api", 4},
		{"the feed's start renamed", each("/lesson_calendars/feed", httpxtest.Rename("start", "begin")), "/api", 7},
		{"the roster's lesson filter ignored", onData("/lesson_calendar_bookings", func(r *http.Request, d []any) []any {
			return append(d, map[string]any{"id": 4999, "client_id": 10005, "lesson_calendar_id": 3999})
		}), "/api", 8},
		{"a deposit without a balance", onData("/client_accounts", func(r *http.Request, d []any) []any {
			return append(d, map[string]any{"id": 7011, "client_id": filters(r)["client_id"], "amount": "100.00"})
		}), "/api", 9},
		{"the access log's day filter ignored", onData("/access_logs", func(r *http.Request, d []any) []any {
			return append(d, map[string]any{"id": 99, "client_id": 10011, "created_at": yesterday})
		}), "/api", 10},
		{"another, unknown zone", each("/branches", func(o map[string]any) { o["timezone"] = "Mars/Olympus" }), "/api", 11},
		{"another currency", each("/branches", func(o map[string]any) { o["currency"] = "EUR" }), "/api", 11},
		{"a phone matched whole only", onData("/clients", func(r *http.Request, d []any) []any {
			if _, phone := filters(r)["phone#phone1"]; phone {
				return []any{}
			}
			return d
		}), "/api", 12},
		{"a transaction without its account", onData("/transactions", func(r *http.Request, d []any) []any {
			return append(d, map[string]any{"id": 1, "client_id": filters(r)["client_id"], "summ": "100.00", "finoperation_id": 2, "paykind_id": 2, "created_at": yesterday})
		}), "/api", 13},
		{"an HTML answer at the base", nil, "", 14},
		{"a ticket that says nothing of what it owes", each("/client_tickets", func(o map[string]any) {
			for _, k := range []string{"debt", "summ_debt", "unpaid", "discount"} {
				delete(o, k)
			}
		}), "/api", 16},
		{"the bookings' client filter ignored", onData("/lesson_calendar_bookings", func(r *http.Request, d []any) []any {
			if _, by := filters(r)["client_id"]; by {
				return append(d, map[string]any{"id": 4998, "client_id": 20002, "lesson_calendar_id": 3002})
			}
			return d
		}), "/api", 17},
		{"the bookings' client filter refused", func(r *http.Request, a *httpxtest.Answer) {
			if _, by := filters(r)["client_id"]; by && strings.Contains(r.URL.Path, "/lesson_calendar_bookings") {
				a.Body = []byte(`{"success":false,"error":"Не указано занятие","data":null}`)
			}
		}, "/api", 17},
		{"the feed's count off by one", each("/lesson_calendars/feed", func(o map[string]any) {
			o["booked"] = fmt.Sprint(o["booked"]) + "1"
		}), "/api", 18},
		{"the transactions' client filter ignored", onData("/transactions", func(r *http.Request, d []any) []any {
			return append(d, map[string]any{"id": 1, "client_id": 20002, "summ": "100.00", "account_dest_id": 1, "finoperation_id": 2, "paykind_id": 2, "created_at": yesterday},
				map[string]any{"id": 2, "client_id": filters(r)["client_id"], "summ": "100.00", "account_dest_id": 1, "finoperation_id": 2, "paykind_id": 2, "created_at": yesterday})
		}), "/api", 16},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := luckyfittest.NewServer(testKey, func() time.Time { return testNow })
			defer srv.Close()
			r := deepAgainst(t, srv, tc.base, tc.rw)
			if got := r.Broken(); !slices.Equal(got, []int{tc.want}) {
				for _, c := range r.Checks {
					t.Logf("%2d %-16s %s", c.Number, c.Result, c.Seen.EN)
				}
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

// TestDeepReportHoldsNoPersonOrSecret: the test LuckyFit's clients are
// people with names, phones, e-mails, cards and notes, and an answer
// echoes the key; the --report file holds none of it.
func TestDeepReportHoldsNoPersonOrSecret(t *testing.T) {
	defer redact.Forget()
	srv := luckyfittest.NewServer(testKey, func() time.Time { return testNow })
	defer srv.Close()
	echo := func(r *http.Request, a *httpxtest.Answer) {
		a.Body = httpxtest.EditObjects(a.Body, func(o map[string]any) {
			if _, ok := o["surname"]; ok {
				o["message"] = "ключ " + testKey + " и пароль Qwerty-2026 в заметке"
				o["comment"] = "звонить +7 916 555-00-04 после 18:00"
			}
		})
	}
	r := deepAgainst(t, srv, "/api", echo)
	data, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	out := string(data)
	for _, bad := range []string{
		testKey, "lf-contract", "Qwerty", "Зеленина", "Ольга", "Должиков", "Игорь", "Пришвина", "Дарья", "Блохин", "Новосёлов",
		"Сергеевна", "Олеговна", "o.zelenina", "dolzhikov", "darya.p", "yandex", "mail.ru", "0040856634", "0021478305",
		"0049052213", "27719048", "79165550", "916", "полотенце", "заблокирована", "утеря", "10001", "10011", "Йога", "Соколова",
		"Центральный", "Reception",
	} {
		if strings.Contains(out, bad) {
			t.Errorf("the report holds %q", bad)
		}
	}
	noStatus := regexp.MustCompile(`"status": [0-9]+`).ReplaceAllString(out, "")
	if m := regexp.MustCompile(`[0-9]{3,}`).FindAllString(noStatus, -1); len(m) > 0 {
		t.Errorf("digit runs in the report: %q", m)
	}
	for _, want := range []string{`"request": "GET /clients/id/{id}"`, `"surname": "string(`, `"birthday": "date YYYY-MM-DD`, `"ticket_state": "`, `"assumptions"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %s", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

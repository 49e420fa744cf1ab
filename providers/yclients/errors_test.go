package yclients

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

func TestRefusalsAndBrokenAnswersAreTyped(t *testing.T) {
	company401 := string(readFixture(t, "company_401.json"))
	cases := []struct {
		name   string
		status int
		body   string
		want   error
		msg    string
		tries  int // how many times the read reached the server
	}{
		{"success false with meta.message", 200, `{"success":false,"data":null,"meta":{"message":"Филиал не найден"}}`, providers.ErrNotFound, "Филиал не найден", 1},
		{"success false, a plain refusal", 200, `{"success":false,"data":null,"meta":{"message":"Недопустимое значение"}}`, providers.ErrValidation, "Недопустимое значение", 1},
		{"errors object (L3861)", 401, company401, providers.ErrUnauthorized, "Необходима авторизация", 1},
		{"errors object with status 200", 200, company401, providers.ErrUnauthorized, "Необходима авторизация", 1},
		{"401", 401, `{"success":false,"data":null,"meta":{"message":"Неверный токен"}}`, providers.ErrUnauthorized, "Неверный токен", 1},
		{"403 is the user's rights", 403, `{"success":false,"data":null,"meta":{"message":"Нет доступа к клиентской базе"}}`, providers.ErrValidation, "Нет доступа", 1},
		{"403 without words", 403, ``, providers.ErrValidation, "may not", 1},
		{"404", 404, `{"success":false,"data":null,"meta":{"message":"Клиент не найден"}}`, providers.ErrNotFound, "Клиент не найден", 1},
		{"402", 402, `{"success":false,"data":null,"meta":{"message":"Необходимо продлить лицензию"}}`, providers.ErrValidation, "лицензию", 1},
		{"422 with fields", 422, `{"success":false,"data":null,"meta":{"message":"Ошибка валидации"},"errors":{"phone":["Неверный формат"]}}`, providers.ErrValidation, "Ошибка валидации", 1},
		{"429 is retried, then slows the desk down", 429, `{"success":false,"data":null,"meta":{"message":"Too Many Requests"}}`, providers.ErrRateLimited, "Too Many Requests", 3},
		{"500", 500, `{"success":false,"data":null,"meta":{"message":"Внутренняя ошибка"}}`, providers.ErrUnavailable, "Внутренняя ошибка", 1},
		{"502 html is retried", 502, `<html><body>502 Bad Gateway</body></html>`, providers.ErrUnavailable, "HTTP 502", 3},
		{"html with 200", 200, `<!doctype html><html>maintenance</html>`, providers.ErrBadAnswer, "not answering properly", 1},
		{"empty with 200", 200, ``, providers.ErrBadAnswer, "not answering properly", 1},
		{"malformed", 200, `{"success":tru`, providers.ErrBadAnswer, "not answering properly", 1},
		{"data of the wrong shape", 200, `{"success":true,"data":"a string","meta":[]}`, providers.ErrBadAnswer, "not answering properly", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ws, c := newWire(t)
			ws.Answer("GET /api/v1/client/37532/16", tc.status, tc.body)
			_, err := c.Client(bg, "16")
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("err = %q, want it to carry %q", err, tc.msg)
			}
			if n := len(ws.Called("GET /api/v1/client/37532/16")); n != tc.tries {
				t.Fatalf("%d requests, want %d", n, tc.tries)
			}
		})
	}
	// Per-field messages travel with the refusal.
	ws, c := newWire(t)
	ws.Answer("GET /api/v1/client/37532/16", 422, `{"success":false,"data":null,"meta":{"message":"Ошибка"},"errors":{"phone":["Неверный формат"]}}`)
	_, err := c.Client(bg, "16")
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Fields["phone"] != "Неверный формат" {
		t.Fatalf("fields: %#v", err)
	}
}

func TestWritesAreNeverRetried(t *testing.T) {
	for _, status := range []int{429, 502, 503} {
		ws, c := dayWire(t)
		ws.Answer("POST /api/v1/records/37532", status, `{"success":false,"data":null,"meta":{"message":"later"}}`)
		_, err := c.Book(bg, "A3480140", "1121412")
		if err == nil {
			t.Fatalf("%d: booked", status)
		}
		if status == 429 && !errors.Is(err, providers.ErrRateLimited) {
			t.Fatalf("429 on a write: %v", err)
		}
		if n := len(ws.Called("POST /api/v1/records/37532")); n != 1 {
			t.Fatalf("%d: the booking was sent %d times", status, n)
		}
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	ws, c := newWire(t)
	var mu sync.Mutex
	tries := 0
	ws.On("GET /api/v1/client/37532/16", func(w http.ResponseWriter, r request) {
		mu.Lock()
		tries++
		n := tries
		mu.Unlock()
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Write(readFixture(t, "client.json"))
	})
	start := time.Now()
	if _, err := c.Client(bg, "16"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Fatalf("retried after %v, before the server's Retry-After", d)
	}
}

func TestRateLimitIsKeptOnTheDesksSide(t *testing.T) {
	// The documented limits, as New sets them: 5 a second (and 200 a
	// minute). Ten reads at once: the first five go at once, the rest one
	// every 200 ms.
	ws, c := newWire(t, WithLimits(Limits...))
	ws.Fixture("GET /api/v1/client/37532/16", "client.json")
	if _, err := c.Client(bg, "16"); err != nil { // company and permissions: 3 requests
		t.Fatal(err)
	}
	time.Sleep(time.Second) // the bucket refills
	start := time.Now()
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Client(bg, "16"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if elapsed < 900*time.Millisecond {
		t.Fatalf("10 requests in %v: the 5-a-second limit was not kept", elapsed)
	}
	reqs := ws.Called("GET /api/v1/client/37532/16")[1:]
	if len(reqs) != 10 {
		t.Fatalf("%d requests", len(reqs))
	}
	// No more than five reached the server in the first 150 ms.
	early := 0
	for _, r := range reqs {
		if r.At.Sub(start) < 150*time.Millisecond {
			early++
		}
	}
	if early > 5 {
		t.Fatalf("%d requests in the first 150 ms", early)
	}
}

func TestLoginWithTwoFactorCode(t *testing.T) {
	ws, c := newWire(t)
	sec := newSecrets(map[string]string{"partner_token": testPartner})
	c.secrets = sec
	ws.On("POST /api/v1/auth", func(w http.ResponseWriter, r request) {
		switch {
		case r.Body["login"] == "testuser@yclients.com" && r.Body["password"] == "testpass":
			w.Write(readFixture(t, "auth_2fa.json"))
		case r.Body["uuid"] == "qwer1234-qw12-1234-q123-5c9a37d530cd" && r.Body["code"] == "4321":
			w.WriteHeader(http.StatusCreated)
			w.Write(readFixture(t, "auth_token.json"))
		case r.Body["uuid"] != nil:
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"success":false,"data":null,"meta":{"message":"Неверный код подтверждения"}}`)
		default:
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"success":false,"data":null,"meta":{"message":"Неверный логин или пароль"}}`)
		}
	})
	start := c.LoginStart()
	if len(start.Ask) != 2 || start.Ask[0].Name != "login" || !start.Ask[1].Hidden {
		t.Fatalf("first round asks %+v", start.Ask)
	}
	// A wrong password: YCLIENTS' words.
	_, err := c.Login(bg, providers.LoginStep{Ask: start.Ask, Answers: map[string]string{"login": "testuser@yclients.com", "password": "nope"}})
	if !errors.Is(err, providers.ErrUnauthorized) || providers.ProviderMessage(err) != "Неверный логин или пароль" {
		t.Fatalf("wrong password: %v", err)
	}
	next, err := c.Login(bg, providers.LoginStep{Ask: start.Ask, Answers: map[string]string{"login": "testuser@yclients.com", "password": "testpass"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(next.Ask) != 1 || next.Ask[0].Name != "code" || next.State["uuid"] == "" || !strings.Contains(next.Message.EN, "attempts left: 3") || !strings.Contains(next.Message.RU, "попыток: 3") || next.Secrets != nil {
		t.Fatalf("2FA round %+v", next)
	}
	// A wrong code is refused and the round can be answered again.
	wrong := next
	wrong.Answers = map[string]string{"code": "0000"}
	if _, err := c.Login(bg, wrong); !errors.Is(err, providers.ErrUnauthorized) {
		t.Fatalf("wrong code: %v", err)
	}
	next.Answers = map[string]string{"code": "4321"}
	done, err := c.Login(bg, next)
	if err != nil {
		t.Fatal(err)
	}
	if len(done.Ask) != 0 || len(done.Secrets) != 1 || done.Secrets["user_token"] != "wec23fh8cDfFV4432fc352456" {
		t.Fatalf("done %+v", done)
	}
	for _, r := range ws.Called("POST /api/v1/auth") {
		if r.Auth != "Bearer "+testPartner {
			t.Fatalf("the login sends %q", r.Auth)
		}
	}
	if _, ok := sec.set["password"]; ok || len(sec.set) != 0 {
		t.Fatalf("the adapter stored %v itself", sec.set)
	}
}

func TestLoginWithoutTwoFactor(t *testing.T) {
	ws, c := newWire(t)
	// The 201 answer with the envelope, the form a live account may use.
	ws.Answer("POST /api/v1/auth", 201, `{"success":true,"data":{"id":1,"user_token":"tok-in-envelope","name":"Анна"},"meta":[]}`)
	done, err := c.Login(bg, providers.LoginStep{Answers: map[string]string{"login": "79161001010", "password": "x"}})
	if err != nil || done.Secrets["user_token"] != "tok-in-envelope" || len(done.Ask) != 0 {
		t.Fatalf("%+v %v", done, err)
	}
}

func TestCheckProvesBothTokensAndReadsTheZone(t *testing.T) {
	ws, c := newWire(t)
	ws.On("GET /api/v1/company/37532/", func(w http.ResponseWriter, r request) {
		w.Header().Set("Date", "Sun, 22 Nov 2026 07:05:00 GMT")
		io.WriteString(w, strings.Replace(string(readFixture(t, "company.json")), "Europe/Moscow", "Asia/Novosibirsk", 1))
	})
	server, err := c.Check(bg)
	if err != nil {
		t.Fatal(err)
	}
	if !server.Equal(time.Date(2026, 11, 22, 7, 5, 0, 0, time.UTC)) {
		t.Fatalf("server time %v", server)
	}
	if len(ws.Called("GET /api/v1/user/permissions/37532")) != 1 {
		t.Fatal("the check did not read the user's permissions")
	}
	if z, err := c.BranchZone(bg); err != nil || z != "Asia/Novosibirsk" {
		t.Fatalf("zone %q %v", z, err)
	}
	if c.Info().Branch != "Новая компания" {
		t.Fatalf("info %+v", c.Info())
	}
	ws.Fixture("GET /api/v1/user/permissions/37532", "company_401.json")
	if _, err := c.Check(bg); !errors.Is(err, providers.ErrUnauthorized) {
		t.Fatalf("rejected user: %v", err)
	}
}

func TestNaiveTimesAreInTheCompanysZone(t *testing.T) {
	ws, c := newWire(t)
	ws.On("GET /api/v1/company/37532/", func(w http.ResponseWriter, r request) {
		io.WriteString(w, strings.Replace(string(readFixture(t, "company.json")), "Europe/Moscow", "Asia/Novosibirsk", 1))
	})
	ws.Answer("GET /api/v1/activity/37532/search", 404, `{"success":false,"data":null,"meta":{"message":"Not found"}}`)
	ws.Answer("GET /api/v1/records/37532", 200, `{"success":true,"data":[{"id":1,"activity_id":7,"date":"2026-11-22 19:00:00",
		"services":{},"staff":[],"client":[],"seance_length":"3600"}],"meta":{"page":1,"total_count":1}}`)
	nsk, _ := time.LoadLocation("Asia/Novosibirsk")
	from, to := models.DateOf(testNow, nsk).Bounds(nsk)
	ls, err := c.Lessons(bg, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 1 || !ls[0].Start.Equal(time.Date(2026, 11, 22, 19, 0, 0, 0, nsk)) {
		t.Fatalf("%+v", ls)
	}
}

func TestPermissionsHideAndExplainActions(t *testing.T) {
	ws, c := dayWire(t)
	// Before permissions are known nothing is taken away.
	if !capabilities(nil).Has(providers.CapBook) {
		t.Fatal("unknown permissions forbid booking")
	}
	c2ws, c2 := newWire(t)
	body := strings.Replace(string(readFixture(t, "permissions.json")), `"create_records_access": true`, `"create_records_access": false`, 1)
	body = strings.Replace(body, `"records_finances_access": true`, `"records_finances_access": 0`, 1)
	c2ws.Answer("GET /api/v1/user/permissions/37532", 200, body)
	c2ws.Fixture("GET /api/v1/activity/37532/search", "events.json")
	c2ws.Fixture("GET /api/v1/records/37532", "records_day.json")
	lessonsToday(t, c2)
	caps := c2.Capabilities()
	if caps.Has(providers.CapBook) || !strings.Contains(caps.Reason(providers.CapBook), "create_records_access") {
		t.Fatalf("booking: %v %q", caps.Has(providers.CapBook), caps.Reason(providers.CapBook))
	}
	if caps.Has(providers.CapTakePayment) || !caps.Has(providers.CapAttendance) {
		t.Fatal("payment allowed or attendance forbidden")
	}
	var ue *providers.UnsupportedError
	if _, err := c2.Book(bg, "A3480140", "1121412"); !errors.As(err, &ue) || ue.Capability != providers.CapBook {
		t.Fatalf("book without the right: %v", err)
	}
	if n := len(c2ws.Called("POST /api/v1/records/37532")); n != 0 {
		t.Fatal("a forbidden booking was sent")
	}
	_ = ws
	// What YCLIENTS does not offer is said plainly.
	for _, cp := range []providers.Capability{providers.CapSell, providers.CapPlans, providers.CapDepositTopUp,
		providers.CapShiftReport, providers.CapCheckIn, providers.CapLateCancel} {
		if c.Capabilities().Has(cp) || c.Capabilities().Reason(cp) == "the provider's API does not offer it" {
			t.Fatalf("%s: %q", cp, c.Capabilities().Reason(cp))
		}
	}
	if _, err := c.Sell(bg, models.Sale{}); !errors.As(err, &ue) || !strings.Contains(ue.Reason, "abonement") {
		t.Fatalf("sell: %v", err)
	}
	// No entry of its own, so no undo of one: the roster unmarks a record.
	if err := c.UndoCheckIn(bg, models.Visit{ID: "1", ClientID: "16"}); !errors.As(err, &ue) || ue.Capability != providers.CapUndoCheckIn ||
		!strings.Contains(ue.Reason, "roster") || c.Capabilities().Has(providers.CapUndoCheckIn) {
		t.Fatalf("undo check-in: %v", err)
	}
}

func TestPermissionsRefusedAreUnknownNotFatal(t *testing.T) {
	ws, c := newWire(t)
	ws.Answer("GET /api/v1/user/permissions/37532", 403, `{"success":false,"data":null,"meta":{"message":"Нет доступа"}}`)
	ws.Fixture("GET /api/v1/client/37532/16", "client.json")
	if _, err := c.Client(bg, "16"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Client(bg, "16"); err != nil {
		t.Fatal(err)
	}
	if n := len(ws.Called("GET /api/v1/user/permissions/37532")); n != 1 {
		t.Fatalf("refused permissions asked %d times", n)
	}
	if n := len(ws.Called("GET /api/v1/company/37532/")); n != 1 {
		t.Fatalf("company read %d times", n)
	}
}

func TestVisitHistoryFollowsTheDateCursor(t *testing.T) {
	ws, c := newWire(t)
	ws.On("POST /api/v1/company/37532/clients/visits/search", func(w http.ResponseWriter, r request) {
		if r.Body["to"] == "2026-11-22" {
			w.Write(readFixture(t, "visits_search.json"))
			return
		}
		io.WriteString(w, `{"success":true,"data":{"goods_transactions":[],"records":[]},"meta":{"dateCursor":{}}}`)
	})
	vs, err := c.Visits(bg, "16", testNow.Add(-30*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	calls := ws.Called("POST /api/v1/company/37532/clients/visits/search")
	if len(calls) != 2 {
		t.Fatalf("%d pages", len(calls))
	}
	b := calls[0].Body
	if b["client_id"] != float64(16) || b["from"] != "2026-10-23" || b["to"] != "2026-11-22" || b["attendance"] != float64(1) {
		t.Fatalf("body %v", b)
	}
	if ps, ok := b["payment_statuses"].([]any); !ok || len(ps) != 0 {
		t.Fatalf("payment_statuses %v", b["payment_statuses"])
	}
	if calls[1].Body["from"] != "2026-10-01" || calls[1].Body["to"] != "2026-11-17" {
		t.Fatalf("second page %v", calls[1].Body)
	}
	// Two records of one visit are one visit; newest first.
	if len(vs) != 2 || vs[0].LessonTitle != "Пилатес" || vs[0].LessonID != "A3480100" || vs[1].ID != "8262002" ||
		!vs[0].At.Equal(time.Date(2026, 11, 20, 12, 0, 0, 0, moscow)) {
		t.Fatalf("%+v", vs)
	}
	// The history is a read: a failing server is retried, never "unknown".
	ws.Answer("POST /api/v1/company/37532/clients/visits/search", 503, "")
	before := len(ws.Called("POST /api/v1/company/37532/clients/visits/search"))
	if _, err := c.Visits(bg, "16", testNow.Add(-time.Hour)); !errors.Is(err, providers.ErrUnavailable) {
		t.Fatalf("503: %v", err)
	}
	if n := len(ws.Called("POST /api/v1/company/37532/clients/visits/search")) - before; n != 3 {
		t.Fatalf("the history read was tried %d times", n)
	}
}

func TestParallelFirstReadsAskForTheCompanyOnce(t *testing.T) {
	ws, c := newWire(t)
	ws.Fixture("GET /api/v1/client/37532/16", "client.json")
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Client(bg, "16"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n, p := len(ws.Called("GET /api/v1/company/37532/")), len(ws.Called("GET /api/v1/user/permissions/37532")); n != 1 || p != 1 {
		t.Fatalf("company read %d times, permissions %d", n, p)
	}
}

func TestCheckSurvivesRefusedPermissions(t *testing.T) {
	ws, c := newWire(t)
	ws.Answer("GET /api/v1/user/permissions/37532", 403, `{"success":false,"data":null,"meta":{"message":"Нет доступа"}}`)
	if _, err := c.Check(bg); err != nil {
		t.Fatalf("a user who may not read their rights cannot log in: %v", err)
	}
	ws.Answer("GET /api/v1/user/permissions/37532", 503, "")
	if _, err := c.Check(bg); !errors.Is(err, providers.ErrUnavailable) {
		t.Fatalf("503: %v", err)
	}
}

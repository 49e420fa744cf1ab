package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/clubdesk/clubdesk/keys"
	"github.com/clubdesk/clubdesk/keys/redact"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/gocrm"
	"github.com/clubdesk/clubdesk/providers/gocrm/gocrmtest"
	"github.com/clubdesk/clubdesk/providers/httpx/httpxtest"
	"github.com/clubdesk/clubdesk/providers/luckyfit"
	"github.com/clubdesk/clubdesk/providers/luckyfit/luckyfittest"
	"github.com/clubdesk/clubdesk/providers/yclients"
	"github.com/clubdesk/clubdesk/providers/yclients/yclientstest"
)

// memZone keeps the club's zone in memory (config.ZoneMemory keeps it in
// the state folder).
type memZone struct {
	name string
	at   time.Time
}

func (m *memZone) Recall() (string, time.Time) { return m.name, m.at }
func (m *memZone) Keep(name string, at time.Time) error {
	m.name, m.at = name, at
	return nil
}

const lfKey = "lf-doctor-key-0042"

// hasLine reports whether doctor's report has a line with the mark, the
// label and a text that starts so.
func hasLine(report, mark, label, text string) bool {
	return regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(mark+" "+label) + ` +` + regexp.QuoteMeta(text)).MatchString(report)
}

// luckyfitIn is a LuckyFit whose branch keeps the club in zone, behind a
// proxy; base is appended to its address ("/api", or "" for the web
// application's).
func luckyfitIn(t *testing.T, zone, base string, rw func(*http.Request, *httpxtest.Answer)) (*luckyfittest.Server, func(providers.Secrets) (providers.Provider, error)) {
	t.Helper()
	srv := luckyfittest.NewServer(lfKey, func() time.Time { return testNow })
	t.Cleanup(srv.Close)
	proxy := httpxtest.Rewrite(t, srv.URL, func(r *http.Request, a *httpxtest.Answer) {
		if strings.HasSuffix(r.URL.Path, "/branches") {
			a.Body = httpxtest.EditObjects(a.Body, func(o map[string]any) {
				if _, ok := o["timezone"]; ok {
					o["timezone"] = zone
				}
			})
		}
		if rw != nil {
			rw(r, a)
		}
	})
	return srv, func(s providers.Secrets) (providers.Provider, error) { return luckyfitAt(proxy.URL+base, "", s) }
}

// luckyfitAt builds the LuckyFit adapter at base, in zone tz ("" for its
// default).
func luckyfitAt(base, tz string, s providers.Secrets) (providers.Provider, error) {
	return luckyfit.New(providers.Settings{BaseURL: base, Secrets: s, PointName: "Reception 1", Timezone: tz, Now: func() time.Time { return testNow }},
		luckyfit.WithRetryWait(time.Millisecond))
}

// TestDoctorTakesTheZoneFromLuckyFit: a profile without timezone, the
// branch in Yekaterinburg: doctor says the desk counts in Yekaterinburg,
// from LuckyFit, keeps it for an offline start, and passes; a profile
// saying Moscow fails with what to do.
func TestDoctorTakesTheZoneFromLuckyFit(t *testing.T) {
	_, build := luckyfitIn(t, "Asia/Yekaterinburg", "/api", nil)
	store := mockStore("luckyfit")
	if err := store.Set("api_key", lfKey); err != nil {
		t.Fatal(err)
	}
	mem := &memZone{}
	in := DoctorInput{Language: "ru", ConfigPath: "/etc/clubdesk.toml", Profile: "main", Provider: "luckyfit", Store: store,
		Build: build, ZoneMemory: mem}
	report, ok := Doctor(context.Background(), in)
	if !ok || !hasLine(report, "✔", "часовой пояс", "Asia/Yekaterinburg, из LuckyFit") {
		t.Fatalf("ok=%v\n%s", ok, report)
	}
	if mem.name != "Asia/Yekaterinburg" {
		t.Fatalf("the zone was not kept: %+v", mem)
	}
	if !hasLine(report, "✔", "адрес API", "http") {
		t.Fatalf("no API address line:\n%s", report)
	}
	in.ProfileZone = "Europe/Moscow"
	report, ok = Doctor(context.Background(), in)
	if ok || !hasLine(report, "✖", "часовой пояс", `в профиле timezone = "Europe/Moscow", а LuckyFit держит клуб в поясе Asia/Yekaterinburg`) {
		t.Fatalf("an explicit zone the CRM contradicts must fail: ok=%v\n%s", ok, report)
	}
	if strings.Contains(report, lfKey) {
		t.Fatal("doctor printed the key")
	}
}

// TestDoctorSaysWhichAddressIsTheAPI: a base without /api reaches
// LuckyFit's web application; doctor says so and which address answers.
func TestDoctorSaysWhichAddressIsTheAPI(t *testing.T) {
	_, build := luckyfitIn(t, "Europe/Moscow", "", nil)
	store := mockStore("luckyfit")
	if err := store.Set("api_key", lfKey); err != nil {
		t.Fatal(err)
	}
	report, ok := Doctor(context.Background(), DoctorInput{Language: "en", Profile: "main", Provider: "luckyfit", Store: store, Build: build})
	if ok || !regexp.MustCompile(`✖ API address +http://127\.0\.0\.1:\d+: a redirect to a login page \(/login\).*/api: LuckyFit's API answers — set base_url = "http://127\.0\.0\.1:\d+/api" in the profile`).MatchString(report) {
		t.Fatalf("ok=%v\n%s", ok, report)
	}
}

// TestDoctorShowsTheProvidersDiagnoses: Go-CRM's failing /users is a
// line of doctor's, in the receptionist's language.
func TestDoctorShowsTheProvidersDiagnoses(t *testing.T) {
	srv := gocrmtest.New(nil)
	defer srv.Close()
	srv.SetUsersDown(true)
	store := mockStore("gocrm")
	for n, v := range map[string]string{"app_token": gocrmtest.AppToken, "access_token": gocrmtest.AccessToken} {
		if err := store.Set(n, v); err != nil {
			t.Fatal(err)
		}
	}
	build := func(s providers.Secrets) (providers.Provider, error) {
		return gocrm.New(providers.Settings{BaseURL: srv.URL, Branch: gocrmtest.CenterID, Secrets: s, Extra: map[string]any{"person": "admin"}},
			gocrm.WithRetryWait(time.Millisecond))
	}
	report, ok := Doctor(context.Background(), DoctorInput{Language: "ru", Profile: "kids", Provider: "gocrm", Store: store, Build: build})
	if !ok || !hasLine(report, "▲", "инструкторы (/users)", "публичный /users Go-CRM не отвечает (HTTP 500") ||
		!hasLine(report, "✔", "часовой пояс", "Asia/Yekaterinburg, из Go-CRM") {
		t.Fatalf("ok=%v\n%s", ok, report)
	}
}

// TestDoctorWarnsOfAnUnsharedCounter: YCLIENTS counts requests per
// address; a counter that is this user's only is said, with the fix.
func TestDoctorWarnsOfAnUnsharedCounter(t *testing.T) {
	srv := yclientstest.NewServer("yc-partner", "yc-user", nil)
	defer srv.Close()
	store := mockStore("yclients")
	store.Set("partner_token", "yc-partner")
	store.Set("user_token", "yc-user")
	build := func(s providers.Secrets) (providers.Provider, error) {
		return yclients.New(providers.Settings{BaseURL: srv.URL, Branch: "37532", Secrets: s}, yclients.WithLimits())
	}
	warn := errors.New("no folder shared by the desk users of this machine: /var/lib/clubdesk does not exist")
	report, _ := Doctor(context.Background(), DoctorInput{Language: "ru", Profile: "salon", Provider: "yclients", Store: store, Build: build, LimiterWarning: warn})
	if !hasLine(report, "▲", "счётчик запросов", "счётчик запросов только у этого пользователя (no folder shared by the desk users of this machine: /var/lib/clubdesk does not exist)") ||
		!strings.Contains(report, "sudo install -d -m 2770 -g clubdesk /var/lib/clubdesk") {
		t.Fatalf("%s", report)
	}
	report, _ = Doctor(context.Background(), DoctorInput{Language: "ru", Profile: "salon", Provider: "yclients", Store: store, Build: build})
	if strings.Contains(report, "счётчик запросов") {
		t.Fatalf("a shared counter warned:\n%s", report)
	}
}

// TestDoctorDeepChecksEveryAssumption: `doctor --deep` against the local
// LuckyFit prints one line per numbered assumption and passes; a broken
// one is flagged by number and fails; --report is written privately and
// holds no person's data nor the key.
func TestDoctorDeepChecksEveryAssumption(t *testing.T) {
	defer redact.Forget()
	srv, build := luckyfitIn(t, "Europe/Moscow", "/api", nil)
	store := mockStore("luckyfit")
	if err := store.Set("api_key", lfKey); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "report.json")
	in := DoctorInput{Language: "ru", Profile: "main", Provider: "luckyfit", Store: store, Build: build, Deep: true, Report: file,
		Now: func() time.Time { return time.Now() }}
	report, ok := Doctor(context.Background(), in)
	if !ok {
		t.Fatalf("the test LuckyFit breaks an assumption:\n%s", report)
	}
	for n := 1; n <= 16; n++ {
		if !regexp.MustCompile(`(?m)^  [✔✖▲] №` + strconv.Itoa(n) + ` +.+ — (подтвердилось|не подтвердилось|не проверить): `).MatchString(report) {
			t.Errorf("no line for assumption %d", n)
		}
	}
	if !hasLine(report, "✔", "допущения", "подтвердилось ") || !strings.Contains(report, "№5   POST /client_tickets отвечает созданным абонементом — не проверить: это об ответе на запись") {
		t.Fatalf("%s", report)
	}
	for route := range srv.Counts() {
		if !strings.HasPrefix(route, "GET ") {
			t.Fatalf("doctor --deep sent %s", route)
		}
	}
	st, err := os.Stat(file)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("report file: %v %v", err, st)
	}
	data, _ := os.ReadFile(file)
	for _, bad := range []string{lfKey, "Зеленина", "Пришвина", "79165550", "o.zelenina", "0040856634"} {
		if strings.Contains(string(data), bad) {
			t.Fatalf("the report holds %q", bad)
		}
	}

	// One assumption broken: the summary names it and doctor fails.
	_, build = luckyfitIn(t, "Europe/Moscow", "/api", func(r *http.Request, a *httpxtest.Answer) {
		if strings.HasSuffix(r.URL.Path, "/access_logs") {
			a.Body = httpxtest.EditObjects(a.Body, httpxtest.Rename("client_id", "visitor"))
		}
	})
	in.Build, in.Report = build, ""
	report, ok = Doctor(context.Background(), in)
	if ok || !hasLine(report, "✖", "допущения", "не подтвердились № 10 —") || !strings.Contains(report, "✖ №10  проходы") {
		t.Fatalf("ok=%v\n%s", ok, report)
	}

	// Keys the CRM refuses: nothing to check with.
	store.Set("api_key", "lf-wrong-key-0000")
	report, ok = Doctor(context.Background(), in)
	if ok || !hasLine(report, "▲", "допущения", "проверка допущений (--deep) пропущена") {
		t.Fatalf("ok=%v\n%s", ok, report)
	}
}

// TestLoginSaysWhichAddressIsTheAPI: a login whose base reaches
// LuckyFit's web application says so and which address answers, and
// saves nothing.
func TestLoginSaysWhichAddressIsTheAPI(t *testing.T) {
	_, build := luckyfitIn(t, "Europe/Moscow", "", nil)
	store := mockStore("luckyfit")
	err := Login(context.Background(), LoginInput{Language: "ru", Profile: "main", Provider: "luckyfit", Store: store, Build: build,
		Out: &bytes.Buffer{}, Stdin: strings.NewReader("api_key=" + lfKey + "\n")})
	if err == nil || !strings.Contains(err.Error(), "страницу входа (/login)") || !regexp.MustCompile(`/api: отвечает API LuckyFit — укажите в профиле base_url = "http://127\.0\.0\.1:\d+/api"`).MatchString(err.Error()) {
		t.Fatalf("err = %v", err)
	}
	if _, _, err := store.Get("api_key"); !errors.Is(err, keys.ErrNotFound) {
		t.Fatal("a key was saved for an address that is not the API")
	}
	if strings.Contains(err.Error(), lfKey) {
		t.Fatal("the error holds the key")
	}
}

// TestLoginLearnsTheClubsZone: once the keys work, login asks the CRM
// for the club's zone and keeps it for the console's first start.
func TestLoginLearnsTheClubsZone(t *testing.T) {
	_, build := luckyfitIn(t, "Asia/Yekaterinburg", "/api", nil)
	store := mockStore("luckyfit")
	mem := &memZone{}
	var out bytes.Buffer
	err := Login(context.Background(), LoginInput{Language: "ru", Profile: "main", Provider: "luckyfit", Store: store, Build: build,
		Out: &out, Stdin: strings.NewReader("api_key=" + lfKey + "\n"), ZoneMemory: mem})
	if err != nil {
		t.Fatal(err)
	}
	if mem.name != "Asia/Yekaterinburg" || !strings.Contains(out.String(), "Часовой пояс клуба: Asia/Yekaterinburg, из LuckyFit") {
		t.Fatalf("kept %+v, said %q", mem, out.String())
	}
}

// TestLoginHidesWhatWasTypedHidden: a password and a code typed at login
// are hidden in every text that leaves the process, stored or not.
func TestLoginHidesWhatWasTypedHidden(t *testing.T) {
	defer redact.Forget()
	srv := yclientstest.NewServer("yc-partner-0001", "yc-user-0001", nil)
	defer srv.Close()
	store := mockStore("yclients")
	build := func(s providers.Secrets) (providers.Provider, error) {
		return yclients.New(providers.Settings{BaseURL: srv.URL, Branch: "37532", Secrets: s}, yclients.WithLimits())
	}
	in := LoginInput{Language: "en", Profile: "main", Provider: "yclients", Store: store, Build: build, Out: &bytes.Buffer{},
		Stdin: strings.NewReader("partner_token=yc-partner-0001\nlogin=" + yclientstest.Login + "\npassword=" + yclientstest.Password + "\ncode=987654\n")}
	_ = Login(context.Background(), in)
	for _, typed := range []string{yclientstest.Password, "987654", "yc-partner-0001"} {
		if got := redact.String("said: " + typed); strings.Contains(got, typed) {
			t.Errorf("%q is not hidden after login: %q", typed, got)
		}
	}
	if got := redact.String(yclientstest.Login); got != yclientstest.Login {
		t.Errorf("the login, typed in the open, is hidden: %q", got)
	}
}

// TestLoginFormSaysWhereKeysComeFrom: the form shows under each asked
// field where its secret comes from, and Go-CRM's first words before
// anything is typed.
func TestLoginFormSaysWhereKeysComeFrom(t *testing.T) {
	srv := gocrmtest.New(nil)
	defer srv.Close()
	store := mockStore("gocrm")
	build := func(s providers.Secrets) (providers.Provider, error) {
		return gocrm.New(providers.Settings{BaseURL: srv.URL, Branch: gocrmtest.CenterID, Secrets: s, Extra: map[string]any{"person": "admin"}})
	}
	r, w := io.Pipe()
	defer w.Close()
	var screen bytes.Buffer
	in := LoginInput{Language: "ru", Profile: "kids", Provider: "gocrm", Store: store, Build: build, Out: io.Discard,
		ProgramOptions: []tea.ProgramOption{tea.WithInput(r), tea.WithOutput(&screen), tea.WithWindowSize(200, 24)}}
	go func() {
		time.Sleep(150 * time.Millisecond)
		io.WriteString(w, "\x1b") // Esc: leave the form
	}()
	_ = Login(context.Background(), in)
	out := ansi.Strip(screen.String())
	for _, want := range []string{
		"Токен приложения (APP_TOKEN) выдаёт поддержка Go-CRM",             // the start message
		"токен приложения Go-CRM (APP_TOKEN): его выдаёт поддержка Go-CRM", // under the field
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the form does not say %q:\n%s", want, out)
		}
	}
}

// TestDoctorOfflineSaysTheRememberedZone: with the CRM away, doctor does
// not ask it again and says the zone a start without the line counts in:
// the one the CRM gave before.
func TestDoctorOfflineSaysTheRememberedZone(t *testing.T) {
	srv, build := luckyfitIn(t, "Asia/Yekaterinburg", "/api", nil)
	srv.SetDown(true)
	store := mockStore("luckyfit")
	store.Set("api_key", lfKey)
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	report, ok := Doctor(context.Background(), DoctorInput{Language: "en", Profile: "main", Provider: "luckyfit", Store: store, Build: build,
		ZoneMemory: &memZone{name: "Asia/Yekaterinburg", at: at}})
	if ok || !hasLine(report, "✔", "time zone", "Asia/Yekaterinburg, as LuckyFit gave it on 20.11.2026 (kept in the state folder)") {
		t.Fatalf("ok=%v\n%s", ok, report)
	}
	if n := srv.Arrived(); n != 0 {
		t.Fatalf("%d requests reached a CRM that is down", n)
	}
}

package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/clubdesk/clubdesk/keys"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/demo"
	"github.com/zalando/go-keyring"
)

// go-keyring's mock is global: these tests are not parallel.

// testNow is a Sunday morning at the demo club.
var testNow = time.Date(2026, 11, 22, 10, 5, 0, 0, time.FixedZone("MSK", 3*3600))

func mockStore(provider string) *keys.Store {
	keyring.MockInit()
	return keys.New("main", provider, keys.WithEnv(func(k string) string {
		if k == "DBUS_SESSION_BUS_ADDRESS" {
			return "unix:path=/mock"
		}
		return ""
	}))
}

func buildSecure(s providers.Secrets) (providers.Provider, error) {
	return demo.NewSecure(providers.Settings{Secrets: s, Now: func() time.Time { return testNow }})
}

func TestLoginFromStdinVerifiesThenStores(t *testing.T) {
	store := mockStore("demo-secure")
	var out bytes.Buffer
	in := LoginInput{Language: "en", Profile: "main", Provider: "demo-secure", Store: store, Build: buildSecure, Out: &out}

	in.Stdin = strings.NewReader("api_key=not-a-demo-key\n")
	err := Login(context.Background(), in)
	if err == nil || !strings.Contains(err.Error(), "did not accept") || strings.Contains(err.Error(), "not-a-demo-key") {
		t.Fatalf("bad key: %v", err)
	}
	if _, _, err := store.Get("api_key"); !errors.Is(err, keys.ErrNotFound) {
		t.Fatal("a refused key was stored")
	}

	in.Stdin = strings.NewReader("# comment\n\napi_key = demo-123\n")
	if err := Login(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := store.Get("api_key"); v != "demo-123" {
		t.Fatalf("stored %q", v)
	}
	if !strings.Contains(out.String(), "saved in the keyring: api_key") || strings.Contains(out.String(), "demo-123") {
		t.Fatalf("output: %q", out.String())
	}

	in.Stdin = strings.NewReader("password=x\n")
	if err := Login(context.Background(), in); err == nil || !strings.Contains(err.Error(), "api_key=") {
		t.Fatalf("missing line: %v", err)
	}
}

func TestLoginFormHidesInputAndStores(t *testing.T) {
	store := mockStore("demo-secure")
	r, w := io.Pipe()
	var screen bytes.Buffer
	in := LoginInput{Language: "ru", Profile: "main", Provider: "demo-secure", Store: store, Build: buildSecure,
		Out: io.Discard, ProgramOptions: []tea.ProgramOption{tea.WithInput(r), tea.WithOutput(&screen), tea.WithWindowSize(80, 24)}}
	go func() {
		time.Sleep(100 * time.Millisecond)
		io.WriteString(w, "demo-typed-in-form")
		time.Sleep(50 * time.Millisecond)
		io.WriteString(w, "\r")
	}()
	if err := Login(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := store.Get("api_key"); v != "demo-typed-in-form" {
		t.Fatalf("stored %q", v)
	}
	if strings.Contains(screen.String(), "demo-typed-in-form") {
		t.Fatal("the form echoed the secret")
	}
	if !strings.Contains(screen.String(), "API-ключ") {
		t.Fatal("the form did not ask for the API key")
	}
}

func TestLoginWithoutKeyringSaysWhatToDo(t *testing.T) {
	store := keys.New("main", "demo-secure", keys.WithEnv(func(string) string { return "" }))
	err := Login(context.Background(), LoginInput{Language: "en", Profile: "main", Provider: "demo-secure",
		Store: store, Build: buildSecure, Out: io.Discard, Stdin: strings.NewReader("api_key=demo-1\n")})
	if err == nil || !strings.Contains(err.Error(), "clubdesk-session") || !strings.Contains(err.Error(), "CLUBDESK_DEMO_SECURE_API_KEY") {
		t.Fatalf("err = %v", err)
	}
}

func TestLogoutDeletes(t *testing.T) {
	store := mockStore("demo-secure")
	if err := store.Set("api_key", "demo-x"); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Logout(context.Background(), LogoutInput{Language: "en", Profile: "main", Provider: "demo-secure", Store: store, Out: &out}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.Get("api_key"); !errors.Is(err, keys.ErrNotFound) {
		t.Fatalf("after logout: %v", err)
	}
}

func TestDoctorReport(t *testing.T) {
	store := mockStore("demo-secure")
	in := DoctorInput{Language: "en", ConfigPath: "/etc/clubdesk.toml", Profile: "main", Provider: "demo-secure",
		Store: store, Build: buildSecure, Now: func() time.Time { return testNow.Add(10 * time.Minute) }}
	report, ok := Doctor(context.Background(), in)
	if ok || !strings.Contains(report, "not stored — run clubdesk login --profile main") {
		t.Fatalf("no key: ok=%v\n%s", ok, report)
	}
	if err := store.Set("api_key", "demo-doctor-secret"); err != nil {
		t.Fatal(err)
	}
	report, ok = Doctor(context.Background(), in)
	if ok || !strings.Contains(report, "differs from the CRM by 10m0s") {
		t.Fatalf("ten minutes of skew must fail: ok=%v\n%s", ok, report)
	}
	in.Now = func() time.Time { return testNow }
	report, ok = Doctor(context.Background(), in)
	if !ok || !strings.Contains(report, "answers, keys accepted") || !strings.Contains(report, "can: search") {
		t.Fatalf("ok=%v\n%s", ok, report)
	}
	if strings.Contains(report, "demo-doctor-secret") {
		t.Fatal("doctor printed the secret")
	}
}

func TestDoctorUnknownProvider(t *testing.T) {
	report, ok := Doctor(context.Background(), DoctorInput{Language: "ru", Profile: "main", Provider: "nosuch",
		Store: mockStore("nosuch"), Build: buildSecure})
	if ok || !strings.Contains(report, "провайдер nosuch в этой сборке недоступен") {
		t.Fatalf("ok=%v\n%s", ok, report)
	}
}

// zoned is the demo club whose CRM tells a branch time zone.
type zoned struct {
	providers.Provider
	zone string
}

func (z zoned) Check(ctx context.Context) (time.Time, error) {
	return z.Provider.(providers.Checker).Check(ctx)
}

func (z zoned) BranchZone(context.Context) (string, error) { return z.zone, nil }

// TestDoctorSaysTheZoneAndWhereFrom: the zone the desk counts in is the
// CRM's when the profile names none; doctor says which and where from,
// and fails only when the profile names one the CRM contradicts.
func TestDoctorSaysTheZoneAndWhereFrom(t *testing.T) {
	store := mockStore("demo-secure")
	if err := store.Set("api_key", "demo-zone"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		profile, crm, want string
		ok                 bool
	}{
		{"", "Asia/Yekaterinburg", "✔ time zone          Asia/Yekaterinburg, from Demo", true},
		{"Europe/Moscow", "Asia/Yekaterinburg", `✖ time zone          the profile says timezone = "Europe/Moscow", and Demo keeps the club in Asia/Yekaterinburg: remove timezone from the profile`, false},
		{"Asia/Yekaterinburg", "Asia/Yekaterinburg", "✔ time zone          Asia/Yekaterinburg, from the profile's timezone; the CRM gives the same", true},
		{"Europe/Moscow", "W-SU", "✔ time zone          Europe/Moscow, from the profile's timezone; the CRM gives the same", true}, // another name of Moscow's zone
		{"", "", "▲ time zone          Europe/Moscow, the desk's default: Demo has not said (set timezone in the profile)", true},
		{"", "Mars/Olympus", "Demo names the zone “Mars/Olympus”, which the desk does not know", true},
	} {
		build := func(s providers.Secrets) (providers.Provider, error) {
			p, err := buildSecure(s)
			return zoned{p, tc.crm}, err
		}
		report, ok := Doctor(context.Background(), DoctorInput{Language: "en", Profile: "main", Provider: "demo-secure",
			Store: store, Build: build, Now: func() time.Time { return testNow }, ProfileZone: tc.profile})
		if !strings.Contains(report, tc.want) || ok != tc.ok {
			t.Errorf("profile %q, CRM %q: ok=%v\n%s", tc.profile, tc.crm, ok, report)
		}
	}
}

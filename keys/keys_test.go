package keys

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// env builds a fake environment; a session bus address is set unless the
// test is about its absence.
func env(kv ...string) func(string) string {
	m := map[string]string{"DBUS_SESSION_BUS_ADDRESS": "unix:path=/fake"}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// go-keyring's MockInit is global: these tests are not parallel.

func TestSetGetOverwriteDelete(t *testing.T) {
	keyring.MockInit()
	s := New("main", "luckyfit", WithEnv(env()))
	if _, _, err := s.Get("api_key"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get before Set = %v, want ErrNotFound", err)
	}
	for _, v := range []string{"first-key", "second-key"} {
		if err := s.Set("api_key", v); err != nil {
			t.Fatal(err)
		}
		got, src, err := s.Get("api_key")
		if err != nil || got != v || src != FromKeyring {
			t.Fatalf("Get = %q, %v, %v; want %q from the keyring", got, src, err, v)
		}
	}
	// The account is PROFILE/PROVIDER/NAME under the service "clubdesk".
	if v, err := keyring.Get("clubdesk", "main/luckyfit/api_key"); err != nil || v != "second-key" {
		t.Fatalf("raw keyring = %q, %v", v, err)
	}
	if err := s.Delete("api_key"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("api_key"); err != nil {
		t.Fatalf("deleting a missing secret: %v", err)
	}
	if _, _, err := s.Get("api_key"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete = %v", err)
	}
}

func TestProfilesDoNotShareSecrets(t *testing.T) {
	keyring.MockInit()
	a := New("main", "luckyfit", WithEnv(env()))
	b := New("second", "luckyfit", WithEnv(env()))
	if err := a.Set("api_key", "a-key"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Get("api_key"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("profile second sees main's key: %v", err)
	}
}

func TestEnvironmentWins(t *testing.T) {
	keyring.MockInit()
	s := New("main", "yclients", WithEnv(env("CLUBDESK_YCLIENTS_USER_TOKEN", "from-env")))
	if err := s.Set("user_token", "from-keyring"); err != nil {
		t.Fatal(err)
	}
	v, src, err := s.Get("user_token")
	if err != nil || v != "from-env" || src != FromEnv {
		t.Fatalf("Get = %q, %v, %v; want the environment's value", v, src, err)
	}
	if got := s.FromEnv(Names("yclients")); len(got) != 1 || got[0] != "user_token" {
		t.Fatalf("FromEnv = %v", got)
	}
}

func TestEnvNames(t *testing.T) {
	cases := map[[2]string]string{
		{"luckyfit", "api_key"}:       "CLUBDESK_LUCKYFIT_API_KEY",
		{"yclients", "partner_token"}: "CLUBDESK_YCLIENTS_PARTNER_TOKEN",
		{"gocrm", "access_token"}:     "CLUBDESK_GOCRM_ACCESS_TOKEN",
		{"demo-secure", "api_key"}:    "CLUBDESK_DEMO_SECURE_API_KEY",
	}
	for in, want := range cases {
		if got := EnvName(in[0], in[1]); got != want {
			t.Errorf("EnvName(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestRefreshedTokenIsWrittenBack(t *testing.T) {
	keyring.MockInit()
	s := New("main", "gocrm", WithEnv(env()))
	if err := s.SetSecret("access_token", "fresh"); err != nil {
		t.Fatal(err)
	}
	if v, _ := keyring.Get("clubdesk", "main/gocrm/access_token"); v != "fresh" {
		t.Fatalf("refreshed token not in the keyring: %q", v)
	}
}

func TestRefreshedTokenKeptForSessionWithoutKeyring(t *testing.T) {
	keyring.MockInitWithError(errors.New("dbus: connect: no such file or directory"))
	s := New("main", "gocrm", WithEnv(env()))
	if err := s.SetSecret("access_token", "fresh"); err != nil {
		t.Fatalf("SetSecret without a keyring: %v", err)
	}
	v, src, err := s.Get("access_token")
	if err != nil || v != "fresh" || src != FromSession {
		t.Fatalf("Get = %q, %v, %v; want the session's token", v, src, err)
	}
}

func TestNoSessionBusIsExplainedWithoutCallingTheKeyring(t *testing.T) {
	called := false
	s := New("main", "luckyfit", WithEnv(func(k string) string { return "" }), WithBackend(spy{&called}))
	_, _, err := s.Get("api_key")
	var ke *Error
	if !errors.As(err, &ke) || !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	// A machine with a per-user bus in /run/user/UID would find it; on a
	// CI box and over plain SSH there is none.
	if ke.Reason == ReasonNoBus && called {
		t.Fatal("the keyring was called with no bus: go-keyring would start dbus-launch")
	}
}

type spy struct{ called *bool }

func (s spy) Get(string, string) (string, error) { *s.called = true; return "", keyring.ErrNotFound }
func (s spy) Set(string, string, string) error   { *s.called = true; return nil }
func (s spy) Delete(string, string) error        { *s.called = true; return nil }

func TestClassifiesBackendErrors(t *testing.T) {
	cases := []struct {
		msg    string
		kind   error
		reason Reason
	}{
		{`exec: "dbus-launch": executable file not found in $PATH`, ErrUnavailable, ReasonNoBus},
		{"dial unix /run/user/1000/bus: connect: no such file or directory", ErrUnavailable, ReasonDeadBus},
		{"The name org.freedesktop.secrets was not provided by any .service files", ErrUnavailable, ReasonNoService},
		{"failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'", ErrLocked, ReasonLocked},
		{"something else entirely", ErrUnavailable, ReasonOther},
	}
	for _, c := range cases {
		keyring.MockInitWithError(errors.New(c.msg))
		_, _, err := New("main", "luckyfit", WithEnv(env())).Get("api_key")
		var ke *Error
		if !errors.As(err, &ke) || !errors.Is(err, c.kind) || ke.Reason != c.reason {
			t.Errorf("%q → %v (reason %v); want %v / %v", c.msg, err, ke.Reason, c.kind, c.reason)
		}
	}
}

type hang struct{}

func (hang) Get(string, string) (string, error) { select {} }
func (hang) Set(string, string, string) error   { select {} }
func (hang) Delete(string, string) error        { select {} }

func TestHangingKeyringTimesOut(t *testing.T) {
	s := New("main", "luckyfit", WithEnv(env()), WithBackend(hang{}), WithTimeout(50*time.Millisecond))
	start := time.Now()
	_, _, err := s.Get("api_key")
	var ke *Error
	if !errors.As(err, &ke) || !errors.Is(err, ErrLocked) || ke.Reason != ReasonTimeout {
		t.Fatalf("err = %v; want a locked/timeout error", err)
	}
	if time.Since(start) > time.Second {
		t.Fatal("the deadline was not kept")
	}
}

func TestErrorsNeverCarryTheSecret(t *testing.T) {
	keyring.MockInitWithError(errors.New("failed to unlock correct collection"))
	s := New("main", "luckyfit", WithEnv(env()))
	err := s.Set("api_key", "sk-very-secret-value")
	if err == nil || strings.Contains(err.Error(), "sk-very-secret-value") {
		t.Fatalf("err = %v", err)
	}
}

func TestProbe(t *testing.T) {
	keyring.MockInit()
	if err := New("main", "luckyfit", WithEnv(env())).Probe(); err != nil {
		t.Fatalf("Probe on a working keyring: %v", err)
	}
	keyring.MockInitWithError(errors.New("failed to unlock correct collection"))
	if err := New("main", "luckyfit", WithEnv(env())).Probe(); !errors.Is(err, ErrLocked) {
		t.Fatalf("Probe on a locked keyring: %v", err)
	}
}

// Package keys is the only code in clubdesk that touches secrets: API keys
// and tokens that can take money from a club's accounts. They live in the OS
// keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on
// Windows) under the service "clubdesk", one entry per profile, provider and
// secret: account "PROFILE/PROVIDER/SECRET", e.g. "main/luckyfit/api_key".
//
// go-keyring stores an entry with the attributes service and username, so
// an administrator sees it with
//
//	secret-tool lookup service clubdesk username main/luckyfit/api_key
//
// An environment variable CLUBDESK_<PROVIDER>_<SECRET> (upper case) wins
// over the keyring, for headless and automated use. It is the less safe
// path: the environment of a process can be read by its owner and often
// ends up in shell history or service files.
//
// Nothing here ever writes a secret to a file, and no error, log line or
// report carries a secret's value.
//
// Facts this package is built on (verified on Debian): go-keyring's Linux
// backend is Secret Service over the D-Bus session bus and its only sentinel
// error is ErrNotFound; everything else must be classified here. Without a
// session bus address godbus falls back to dbus-launch, which leaks a daemon
// per login, so the bus is looked up first and the keyring is not called at
// all when there is none. With a live X display an unlock prompt can block a
// call forever, so every call runs with a deadline.
package keys

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// Service is the keyring service every clubdesk secret is stored under.
const Service = "clubdesk"

// DefaultTimeout bounds every keyring call.
const DefaultTimeout = 5 * time.Second

// Sentinel errors; match with errors.Is.
var (
	ErrNotFound    = errors.New("secret not found")
	ErrUnavailable = errors.New("no keyring reachable")
	ErrLocked      = errors.New("keyring locked")
)

// Reason says what exactly is wrong, so the desk can word the way out.
type Reason int

// Reasons behind ErrUnavailable and ErrLocked.
const (
	ReasonNone      Reason = iota
	ReasonNoBus            // no D-Bus session bus (the usual SSH session)
	ReasonDeadBus          // a bus address that nobody answers on
	ReasonNoService        // a bus, but no Secret Service on it
	ReasonLocked           // the collection is locked or missing
	ReasonTimeout          // no answer in time: probably an unlock prompt on a display
	ReasonOther
)

// Error is a keyring failure. Cause is the backend's own message, kept for
// the log and `clubdesk doctor`; it never holds a secret.
type Error struct {
	Kind    error
	Reason  Reason
	Op      string // get, set, delete, probe
	Account string
	Cause   string
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("keyring %s %s: %s", e.Op, e.Account, e.Kind)
	if e.Cause != "" {
		msg += " (" + e.Cause + ")"
	}
	return msg
}

// Unwrap makes errors.Is(err, ErrUnavailable) and the like work.
func (e *Error) Unwrap() error { return e.Kind }

// Source says where a secret came from.
type Source int

// Sources of a secret.
const (
	FromKeyring Source = iota
	FromEnv
	FromSession // refreshed during this session, the keyring could not take it
)

// Account is the keyring account of a secret.
func Account(profile, provider, name string) string {
	return profile + "/" + provider + "/" + name
}

// EnvName is the environment variable that overrides a secret:
// CLUBDESK_LUCKYFIT_API_KEY.
func EnvName(provider, name string) string {
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z':
				return r - 'a' + 'A'
			case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
				return r
			}
			return '_'
		}, s)
	}
	return "CLUBDESK_" + clean(provider) + "_" + clean(name)
}

// Backend is the keyring itself; tests may swap it, production uses the OS
// keyring through go-keyring.
type Backend interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

type osKeyring struct{}

func (osKeyring) Get(s, u string) (string, error) { return keyring.Get(s, u) }
func (osKeyring) Set(s, u, p string) error        { return keyring.Set(s, u, p) }
func (osKeyring) Delete(s, u string) error        { return keyring.Delete(s, u) }

// Store is one profile's secrets. It implements providers.Secrets, so an
// adapter reads its credentials and writes back refreshed tokens through it
// without knowing where they live.
type Store struct {
	Profile  string
	Provider string

	backend Backend
	getenv  func(string) string
	timeout time.Duration
	bus     func() (Reason, string)
	mu      sync.Mutex
	session map[string]string
}

// Option configures a Store.
type Option func(*Store)

// WithBackend swaps the keyring (tests).
func WithBackend(b Backend) Option { return func(s *Store) { s.backend = b } }

// WithEnv swaps the environment lookup (tests).
func WithEnv(getenv func(string) string) Option { return func(s *Store) { s.getenv = getenv } }

// WithTimeout sets the deadline of every keyring call.
func WithTimeout(d time.Duration) Option { return func(s *Store) { s.timeout = d } }

// New opens the secrets of a profile's provider.
func New(profile, provider string, opts ...Option) *Store {
	s := &Store{Profile: profile, Provider: provider, backend: osKeyring{}, getenv: os.Getenv,
		timeout: DefaultTimeout, session: map[string]string{}}
	for _, o := range opts {
		o(s)
	}
	s.bus = func() (Reason, string) { return findSessionBus(s.getenv) }
	return s
}

func (s *Store) account(name string) string { return Account(s.Profile, s.Provider, name) }

// Get returns a secret and where it came from: the environment override,
// a token refreshed this session, or the keyring.
func (s *Store) Get(name string) (string, Source, error) {
	if v := s.getenv(EnvName(s.Provider, name)); v != "" {
		remember(v)
		return v, FromEnv, nil
	}
	s.mu.Lock()
	v, ok := s.session[name]
	s.mu.Unlock()
	if ok {
		return v, FromSession, nil
	}
	var out string
	err := s.call("get", name, func() error {
		var err error
		out, err = s.backend.Get(Service, s.account(name))
		return err
	})
	remember(out)
	return out, FromKeyring, err
}

// Set stores a secret in the keyring.
func (s *Store) Set(name, value string) error {
	if value == "" {
		return fmt.Errorf("keyring set %s: empty value", s.account(name))
	}
	remember(value)
	err := s.call("set", name, func() error { return s.backend.Set(Service, s.account(name), value) })
	if err == nil {
		s.mu.Lock()
		delete(s.session, name)
		s.mu.Unlock()
	}
	return err
}

// Delete removes a secret; a secret that is not there is not an error.
func (s *Store) Delete(name string) error {
	err := s.call("delete", name, func() error { return s.backend.Delete(Service, s.account(name)) })
	s.mu.Lock()
	delete(s.session, name)
	s.mu.Unlock()
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// Secret implements providers.Secrets.
func (s *Store) Secret(name string) (string, error) {
	v, _, err := s.Get(name)
	return v, err
}

// SetSecret implements providers.Secrets: an adapter saves a refreshed
// token. When the keyring cannot take it (no bus over SSH, or the secret
// came from the environment) the token is kept for this session only, so
// the desk goes on working; the next start needs the environment or a login.
func (s *Store) SetSecret(name, value string) error {
	if s.getenv(EnvName(s.Provider, name)) == "" {
		if err := s.Set(name, value); err == nil {
			return nil
		} else if !errors.Is(err, ErrUnavailable) && !errors.Is(err, ErrLocked) {
			return err
		}
	}
	remember(value)
	s.mu.Lock()
	s.session[name] = value
	s.mu.Unlock()
	return nil
}

// FromEnv lists the names among names that the environment overrides.
func (s *Store) FromEnv(names []string) []string {
	var out []string
	for _, n := range names {
		if s.getenv(EnvName(s.Provider, n)) != "" {
			out = append(out, n)
		}
	}
	return out
}

// Probe checks that the keyring answers: reading a secret that does not
// exist is expected to say "not found".
func (s *Store) Probe() error {
	err := s.call("probe", "probe", func() error {
		_, err := s.backend.Get(Service, "clubdesk-probe/none/none")
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// call runs one keyring operation with the bus checked first and a
// deadline, and classifies its error.
func (s *Store) call(op, name string, fn func() error) error {
	account := s.account(name)
	if reason, cause := s.bus(); reason != ReasonNone {
		return &Error{Kind: ErrUnavailable, Reason: reason, Op: op, Account: account, Cause: cause}
	}
	done := make(chan error, 1)
	go func() { done <- fn() }()
	timer := time.NewTimer(s.timeout)
	defer timer.Stop()
	select {
	case err := <-done:
		return classify(op, account, err)
	case <-timer.C:
		// The goroutine stays blocked in the backend; there is no way to
		// cancel a D-Bus prompt from here.
		return &Error{Kind: ErrLocked, Reason: ReasonTimeout, Op: op, Account: account,
			Cause: fmt.Sprintf("no answer in %s", s.timeout)}
	}
}

// classify maps go-keyring's errors, which are mostly plain strings from
// D-Bus, onto clubdesk's kinds.
func classify(op, account string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, keyring.ErrNotFound) {
		return &Error{Kind: ErrNotFound, Op: op, Account: account}
	}
	msg := err.Error()
	low := strings.ToLower(msg)
	e := &Error{Kind: ErrUnavailable, Reason: ReasonOther, Op: op, Account: account, Cause: msg}
	switch {
	case strings.Contains(low, "dbus-launch"), strings.Contains(low, "$display"), strings.Contains(low, "autolaunch"):
		e.Reason = ReasonNoBus
	case strings.Contains(low, "connect:"), strings.Contains(low, "connection refused"),
		strings.Contains(low, "no such file or directory"), strings.Contains(low, "broken pipe"), strings.Contains(low, "eof"):
		e.Reason = ReasonDeadBus
	case strings.Contains(low, "org.freedesktop.secrets"), strings.Contains(low, "serviceunknown"), strings.Contains(low, "not provided by any"):
		e.Reason = ReasonNoService
	case strings.Contains(low, "unlock"), strings.Contains(low, "locked"), strings.Contains(low, "prompt"), strings.Contains(low, "dismissed"):
		e.Kind, e.Reason = ErrLocked, ReasonLocked
	case errors.Is(err, context.DeadlineExceeded):
		e.Kind, e.Reason = ErrLocked, ReasonTimeout
	}
	return e
}

// findSessionBus makes sure go-keyring will talk to an existing session bus
// and never start one: DBUS_SESSION_BUS_ADDRESS, else the per-user bus at
// $XDG_RUNTIME_DIR/bus (systemd's, or /run/user/UID/bus). On other systems
// there is nothing to check.
func findSessionBus(getenv func(string) string) (Reason, string) {
	if runtime.GOOS != "linux" && runtime.GOOS != "freebsd" && runtime.GOOS != "openbsd" {
		return ReasonNone, ""
	}
	if getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return ReasonNone, ""
	}
	dirs := []string{getenv("XDG_RUNTIME_DIR"), fmt.Sprintf("/run/user/%d", os.Getuid())}
	for _, dir := range dirs {
		if dir == "" {
			continue
		}
		sock := filepath.Join(dir, "bus")
		if fi, err := os.Stat(sock); err == nil && fi.Mode()&os.ModeSocket != 0 {
			// godbus reads the variable; setting it here is what keeps it
			// from falling back to dbus-launch.
			os.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+sock)
			return ReasonNone, ""
		}
	}
	return ReasonNoBus, "DBUS_SESSION_BUS_ADDRESS is not set and there is no per-user bus at $XDG_RUNTIME_DIR/bus"
}

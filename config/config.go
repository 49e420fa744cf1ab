// Package config reads clubdesk's TOML configuration: which profile (club
// and provider) the desk works with, the card reader's timing and card
// format, the language and key overrides.
//
// No secret ever lives here: keys and tokens are in the OS keyring (package
// keys). Load refuses a file that tries to hold one, so that a config copied
// between desks or pasted into a support chat never leaks a credential.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/clubdesk/clubdesk/models"
)

// Config is the whole file.
type Config struct {
	Profile  string             `toml:"profile"`
	Language string             `toml:"language"`
	Profiles map[string]Profile `toml:"profiles"`
	Scanner  Scanner            `toml:"scanner"`
	// Keymap overrides default bindings: action = "f2" or ["f2", "ctrl+f"].
	Keymap map[string]any `toml:"keymap"`
	Demo   Demo           `toml:"demo"`
	// Serve is clubdesk serve's.
	Serve Serve `toml:"serve"`

	// Path is where the config was read from; empty when none was found and
	// the defaults (the demo club) are in use.
	Path string `toml:"-"`
}

// Profile is one club connection.
type Profile struct {
	Provider  string `toml:"provider"`
	BaseURL   string `toml:"base_url"`
	Branch    string `toml:"branch"`
	PointName string `toml:"point_name"`
	Operator  string `toml:"operator"`
	Timezone  string `toml:"timezone"`
	// Person is Go-CRM's login role ("client" in its document).
	Person string `toml:"person"`
	// PublicURL is Go-CRM's public API when it is not {base_url}/api/v3.
	PublicURL string `toml:"public_url"`
}

// Scanner describes the USB card reader, which the desk sees as a keyboard.
type Scanner struct {
	MaxGapMS  int    `toml:"max_gap_ms"`
	MinLength int    `toml:"min_length"`
	Prefix    string `toml:"prefix"`
	Suffix    string `toml:"suffix"`
	TagFormat string `toml:"tag_format"`
}

// MaxGap is MaxGapMS as a duration.
func (s Scanner) MaxGap() time.Duration { return time.Duration(s.MaxGapMS) * time.Millisecond }

// Format is the parsed tag format.
func (s Scanner) Format() models.TagFormat {
	f, _ := models.ParseTagFormat(s.TagFormat) // Validate has refused bad values
	return f
}

// Demo tunes the built-in demo club.
type Demo struct {
	// Latency is added to every demo call so loading states can be seen.
	Latency duration `toml:"latency"`
	Clients int      `toml:"clients"`
}

// Serve configures clubdesk serve.
type Serve struct {
	// Listen is the address (DefaultListen when empty); --listen wins.
	Listen string `toml:"listen"`
	// IdleLock locks a session after that long without a key ("10m");
	// zero never does.
	IdleLock duration `toml:"idle_lock"`
}

// DefaultListen is where clubdesk serve listens unless told: this machine
// only, so that opening it to the club's network is a decision.
const DefaultListen = "127.0.0.1:2222"

// OperatorsPath is the operators file of clubdesk serve: next to the
// config file (the default one when none was read).
func (c Config) OperatorsPath() (string, error) {
	path := c.Path
	if path == "" {
		var err error
		if path, err = DefaultPath(); err != nil {
			return "", err
		}
	}
	return filepath.Join(filepath.Dir(path), "operators"), nil
}

type duration struct{ time.Duration }

func (d *duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration (e.g. 300ms)", b)
	}
	d.Duration = v
	return nil
}

// Defaults for keys the file leaves out.
const (
	DefaultProfile   = "main"
	DefaultMaxGapMS  = 35
	DefaultMinLength = 6
	DefaultTimezone  = "Europe/Moscow"
)

// Default is the configuration with no file: the demo club.
func Default() Config {
	c := Config{Profile: DefaultProfile, Profiles: map[string]Profile{
		DefaultProfile: {Provider: "demo", Operator: ""},
	}}
	c.fill()
	return c
}

func (c *Config) fill() {
	if c.Profile == "" {
		c.Profile = DefaultProfile
	}
	if c.Scanner.MaxGapMS == 0 {
		c.Scanner.MaxGapMS = DefaultMaxGapMS
	}
	if c.Scanner.MinLength == 0 {
		c.Scanner.MinLength = DefaultMinLength
	}
	if c.Scanner.TagFormat == "" {
		c.Scanner.TagFormat = string(models.TagAsRead)
	}
	if c.Profiles == nil {
		c.Profiles = map[string]Profile{}
	}
}

// DefaultPath is $XDG_CONFIG_HOME/clubdesk/config.toml (Go's user config dir).
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "clubdesk", "config.toml"), nil
}

// Load reads the config at path. With an empty path it reads DefaultPath,
// and a missing file there means "no config": the demo club. A path the user
// named must exist.
func Load(path string) (Config, error) {
	named := path != ""
	if !named {
		p, err := DefaultPath()
		if err != nil {
			return Default(), nil
		}
		path = p
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !named {
		return Default(), nil
	}
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w", err)
	}
	c, err := Parse(string(data))
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	c.Path = path
	return c, nil
}

// secretish are key names that mean someone is putting a credential in the
// file.
var secretish = []string{"api_key", "apikey", "token", "password", "secret", "partner_token", "user_token", "app_token", "access_token", "refresh_token"}

// Parse decodes and validates config text.
func Parse(text string) (Config, error) {
	var c Config
	md, err := toml.Decode(text, &c)
	if err != nil {
		return Config{}, err
	}
	for _, k := range md.Undecoded() {
		last := strings.ToLower(k[len(k)-1])
		if slices.Contains(secretish, last) || strings.HasSuffix(last, "_token") || strings.HasSuffix(last, "_key") {
			return Config{}, fmt.Errorf("%s: secrets do not belong in the config file; store them with `clubdesk login` (OS keyring)", k)
		}
		if len(k) >= 1 && k[0] == "keymap" {
			continue
		}
		return Config{}, fmt.Errorf("unknown key %q", k.String())
	}
	c.fill()
	return c, c.Validate()
}

// Validate checks values the desk cannot work with.
func (c Config) Validate() error {
	switch c.Language {
	case "", "ru", "en":
	default:
		return fmt.Errorf("language = %q: use \"ru\" or \"en\"", c.Language)
	}
	if _, err := models.ParseTagFormat(c.Scanner.TagFormat); err != nil {
		return fmt.Errorf("scanner.tag_format: %w", err)
	}
	if c.Scanner.MaxGapMS < 1 || c.Scanner.MaxGapMS > 1000 {
		return fmt.Errorf("scanner.max_gap_ms = %d: use 1..1000", c.Scanner.MaxGapMS)
	}
	if c.Scanner.MinLength < 3 || c.Scanner.MinLength > 64 {
		return fmt.Errorf("scanner.min_length = %d: use 3..64", c.Scanner.MinLength)
	}
	for name, p := range c.Profiles {
		if p.Provider == "" {
			return fmt.Errorf("profiles.%s.provider is missing (demo | luckyfit | yclients | gocrm)", name)
		}
		// The address is printed without what it must not carry: the
		// error is shown, logged and pasted into support chats.
		if err := checkBaseURL(p.BaseURL); err != nil {
			return fmt.Errorf("profiles.%s.base_url = %q: %w", name, SafeURL(p.BaseURL), err)
		}
		if err := checkBaseURL(p.PublicURL); err != nil {
			return fmt.Errorf("profiles.%s.public_url = %q: %w", name, SafeURL(p.PublicURL), err)
		}
		if p.Timezone != "" {
			if _, err := time.LoadLocation(p.Timezone); err != nil {
				return fmt.Errorf("profiles.%s.timezone = %q: not a time zone (e.g. Europe/Moscow)", name, p.Timezone)
			}
		}
	}
	return nil
}

// checkBaseURL refuses an address the desk must not send keys to: keys and
// personal data travel only over https, except to this machine (a local
// test server or a tunnel's end), and never embedded in the URL itself.
func checkBaseURL(raw string) error {
	if raw == "" {
		return nil // the provider's default
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return errors.New("not an address (e.g. https://my.lucky.fitness/api)")
	}
	if u.User != nil {
		return errors.New("a login or password in the address is a secret: remove it and use `clubdesk login`")
	}
	for name := range u.Query() {
		if isSecretName(name) {
			return fmt.Errorf("the address carries %s: a key in the address is a secret (it travels into logs and proxies); remove it and use `clubdesk login`", name)
		}
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return errors.New("keys would travel unencrypted: use https:// (http:// is allowed only to 127.0.0.1 / localhost)")
	default:
		return fmt.Errorf("scheme %q: use https://", u.Scheme)
	}
}

// isSecretName reports whether a parameter's name says it carries a
// credential: api_key, token, APP_TOKEN, password...
func isSecretName(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	return slices.Contains(secretish, n) || strings.HasSuffix(n, "_token") || strings.HasSuffix(n, "_key") ||
		strings.HasSuffix(n, "-key") || strings.HasSuffix(n, "token") || n == "key" || n == "apikey" || n == "auth"
}

// SafeURL is an address as it may be printed: without the login and
// password it may carry, and with the value of every query parameter
// hidden (a key may be there). Something that is not an address is
// hidden from its "//" to its last "@".
func SafeURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if i, j := strings.Index(raw, "//"), strings.LastIndex(raw, "@"); i >= 0 && j > i {
			return raw[:i+2] + "…@" + raw[j+1:]
		}
		return raw
	}
	login := u.User != nil
	query := slices.Sorted(maps.Keys(u.Query()))
	u.User, u.RawQuery, u.Fragment, u.RawFragment = nil, "", "", ""
	out := u.String()
	if login {
		out = strings.Replace(out, "//", "//…@", 1)
	}
	for i, k := range query {
		sep := "&"
		if i == 0 {
			sep = "?"
		}
		out += sep + url.QueryEscape(k) + "=…"
	}
	return out
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Active returns the named profile, or the config's default one when name is
// empty.
func (c Config) Active(name string) (string, Profile, error) {
	if name == "" {
		name = c.Profile
	}
	p, ok := c.Profiles[name]
	if !ok {
		names := make([]string, 0, len(c.Profiles))
		for n := range c.Profiles {
			names = append(names, n)
		}
		slices.Sort(names)
		return "", Profile{}, fmt.Errorf("no profile %q in the config (profiles: %s)", name, strings.Join(names, ", "))
	}
	return name, p, nil
}

// KeyOverrides returns the [keymap] table as action → keys.
func (c Config) KeyOverrides() (map[string][]string, error) {
	out := map[string][]string{}
	for action, v := range c.Keymap {
		switch v := v.(type) {
		case string:
			out[action] = []string{v}
		case []any:
			for _, k := range v {
				s, ok := k.(string)
				if !ok {
					return nil, fmt.Errorf("keymap.%s: keys are strings", action)
				}
				out[action] = append(out[action], s)
			}
		default:
			return nil, fmt.Errorf("keymap.%s: use a key (\"f2\") or a list of keys", action)
		}
	}
	return out, nil
}

// UILanguage picks the UI language: the config's, else from the environment's
// locale (LC_ALL, LC_MESSAGES, LANG), Russian when it says ru.
func (c Config) UILanguage(getenv func(string) string) string {
	if c.Language != "" {
		return c.Language
	}
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "ru") {
				return "ru"
			}
			return "en"
		}
	}
	return "en"
}

// SafeName makes a profile's name fit to name a file or a folder: path
// separators and control characters become "_", and an empty or dot name
// is "default".
func SafeName(profile string) string {
	s := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == 0 || r < ' ' {
			return '_'
		}
		return r
	}, profile)
	if s == "" || s == "." || s == ".." {
		return "default"
	}
	return s
}

// StateDir is where clubdesk keeps its log, journal and offline memory:
// $XDG_STATE_HOME/clubdesk, ~/.local/state/clubdesk, or the user cache dir
// where there is no home.
func StateDir() (string, error) {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "clubdesk"), nil
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "clubdesk"), nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "clubdesk"), nil
}

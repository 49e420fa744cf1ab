package config

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestExampleConfigParses(t *testing.T) {
	data, err := os.ReadFile("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse(string(data))
	if err != nil {
		t.Fatalf("config.example.toml: %v", err)
	}
	name, p, err := c.Active("")
	if err != nil || name != "main" || p.Provider != "luckyfit" || p.PointName != "Reception 1" {
		t.Errorf("Active() = %q %+v %v", name, p, err)
	}
	if c.Scanner.MaxGapMS != 35 || c.Scanner.MinLength != 6 || c.Scanner.Format() != "as-read" {
		t.Errorf("scanner = %+v", c.Scanner)
	}
}

func TestNoConfigMeansDemo(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	c, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	_, p, err := c.Active("")
	if err != nil || p.Provider != "demo" || c.Path != "" {
		t.Errorf("no config gave %+v, %v", p, err)
	}
}

func TestNamedConfigMustExist(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "nope.toml")); err == nil {
		t.Error("a missing --config file was accepted")
	}
}

func TestRefusesSecretsAndTypos(t *testing.T) {
	cases := map[string]string{
		"[profiles.main]\nprovider = \"luckyfit\"\napi_key = \"abc\"\n":    "secrets do not belong",
		"[profiles.main]\nprovider = \"yclients\"\nuser_token = \"abc\"\n": "secrets do not belong",
		"[profiles.main]\nprovider = \"luckyfit\"\nbase_ur = \"x\"\n":      "unknown key",
		"language = \"de\"\n":                                                                    "language",
		"[scanner]\ntag_format = \"morse\"\n":                                                    "tag_format",
		"[profiles.main]\nprovider = \"demo\"\ntimezone = \"Mars/Olympus\"\n":                    "time zone",
		"[profiles.main]\nbranch = \"1\"\n":                                                      "provider is missing",
		"[profiles.main]\nprovider = \"luckyfit\"\nbase_url = \"http://crm.club.ru\"\n":          "unencrypted",
		"[profiles.main]\nprovider = \"luckyfit\"\nbase_url = \"https://anna:pw@crm.club.ru\"\n": "a login or password",
		"[profiles.main]\nprovider = \"luckyfit\"\nbase_url = \"ftp://crm.club.ru\"\n":           "use https",
		"[profiles.main]\nprovider = \"luckyfit\"\nbase_url = \"my.lucky.fitness\"\n":            "not an address",
	}
	for text, want := range cases {
		_, err := Parse(text)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v; want an error about %q", text, err, want)
		}
	}
}

func TestBaseURLsThatMayCarryKeys(t *testing.T) {
	for _, u := range []string{"https://my.lucky.fitness", "https://club.example/api/v3", "http://127.0.0.1:8080/api", "http://localhost:9000", "http://[::1]:80"} {
		if _, err := Parse("[profiles.main]\nprovider = \"luckyfit\"\nbase_url = \"" + u + "\"\n"); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
}

func TestKeyOverrides(t *testing.T) {
	c, err := Parse("[keymap]\nsearch = [\"f2\", \"ctrl+f\"]\ncheck_in = \"enter\"\n")
	if err != nil {
		t.Fatal(err)
	}
	k, err := c.KeyOverrides()
	if err != nil || len(k["search"]) != 2 || k["check_in"][0] != "enter" {
		t.Errorf("KeyOverrides() = %v, %v", k, err)
	}
}

func TestUILanguage(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if l := (Config{}).UILanguage(env(map[string]string{"LANG": "ru_RU.UTF-8"})); l != "ru" {
		t.Errorf("LANG=ru_RU gave %q", l)
	}
	if l := (Config{}).UILanguage(env(map[string]string{"LANG": "ru_RU.UTF-8", "LC_ALL": "en_US.UTF-8"})); l != "en" {
		t.Errorf("LC_ALL wins over LANG, gave %q", l)
	}
	if l := (Config{Language: "ru"}).UILanguage(env(map[string]string{"LANG": "en_US"})); l != "ru" {
		t.Errorf("config wins, gave %q", l)
	}
}

// TestExampleListsEveryKeyAction keeps the example's list of [keymap]
// actions in step with the console's keymap.
func TestExampleListsEveryKeyAction(t *testing.T) {
	src, err := os.ReadFile("../ui/keymap/keymap.go")
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	words := map[string]bool{}
	for _, w := range strings.Fields(strings.ReplaceAll(string(example), "#", " ")) {
		words[w] = true
	}
	for _, m := range regexp.MustCompile(`action:"([a-z_]+)"`).FindAllStringSubmatch(string(src), -1) {
		if !words[m[1]] {
			t.Errorf("config.example.toml does not list the key action %q", m[1])
		}
	}
}

func TestGoCRMPublicURL(t *testing.T) {
	c, err := Parse("[profiles.club]\nprovider = \"gocrm\"\nbase_url = \"https://club.go-crm.ru\"\nperson = \"admin\"\npublic_url = \"https://club.go-crm.ru/api/v3\"\n")
	if err != nil || c.Profiles["club"].PublicURL != "https://club.go-crm.ru/api/v3" || c.Profiles["club"].Person != "admin" {
		t.Fatalf("%+v %v", c.Profiles["club"], err)
	}
	if _, err := Parse("[profiles.club]\nprovider = \"gocrm\"\npublic_url = \"http://go-crm.example\"\n"); err == nil {
		t.Fatal("a public_url over plain http to another host must be refused")
	}
}

// An address with a password, or a key among its parameters, is refused,
// and the refusal does not print what it refuses.
func TestBaseURLSecretsAreRefusedAndNotPrinted(t *testing.T) {
	for _, u := range []string{
		"https://anna:s3cr3t-pw@crm.club.ru",
		"https://crm.club.ru/api?api_key=s3cr3t-pw",
		"https://crm.club.ru/api?branch=1&token=s3cr3t-pw",
		"https://crm.club.ru/api?APP_TOKEN=s3cr3t-pw",
		"http://anna:s3cr3t-pw@crm.club.ru",
		"https://anna:s3cr3t-pw@crm club.ru/%zz",
	} {
		_, err := Parse("[profiles.main]\nprovider = \"luckyfit\"\nbase_url = \"" + u + "\"\n")
		if err == nil {
			t.Errorf("%s was accepted", u)
			continue
		}
		if strings.Contains(err.Error(), "s3cr3t-pw") {
			t.Errorf("the refusal prints the secret: %v", err)
		}
	}
	if _, err := Parse("[profiles.main]\nprovider = \"luckyfit\"\nbase_url = \"https://crm.club.ru/api?branch=1\"\n"); err != nil {
		t.Errorf("an ordinary parameter: %v", err)
	}
	if got := SafeURL("https://anna:pw@crm.club.ru/api?api_key=k1&b=2#frag"); got != "https://…@crm.club.ru/api?api_key=…&b=…" {
		t.Errorf("SafeURL = %q", got)
	}
}

// The folder every desk user shares is used when it is fit; otherwise the
// counter is this user's own, and the reason is the doctor's warning.
func TestTheLimiterFolderIsSharedWhenItCanBe(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	shared := filepath.Join(t.TempDir(), "clubdesk")
	t.Setenv(SharedDirEnv, shared)

	dir, warn := LimiterDir()
	if !errors.Is(warn, ErrNoSharedDir) || dir != filepath.Join(state, "clubdesk") || !strings.Contains(warn.Error(), "does not exist") {
		t.Fatalf("no shared folder: %q, %v", dir, warn)
	}
	os.Mkdir(shared, 0o700)
	os.Chmod(shared, 0o755)
	if _, warn := LimiterDir(); !errors.Is(warn, ErrNoSharedDir) || !strings.Contains(warn.Error(), "group") {
		t.Fatalf("a folder the group cannot write: %v", warn)
	}
	os.Chmod(shared, 0o777)
	if _, warn := LimiterDir(); !errors.Is(warn, ErrNoSharedDir) || !strings.Contains(warn.Error(), "everyone") {
		t.Fatalf("a folder anyone can write: %v", warn)
	}
	os.Chmod(shared, 0o2770)
	if dir, warn := LimiterDir(); warn != nil || dir != shared {
		t.Fatalf("the shared folder: %q, %v", dir, warn)
	}
	if w := SharedDirWarning.Fill("x"); !strings.Contains(w.RU, "x") || !strings.Contains(w.EN, "2770") {
		t.Fatalf("the warning: %+v", w)
	}
}

// A log found readable by others is made private when it is opened.
func TestOpenPrivateTightensAnOldFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clubdesk.log")
	os.WriteFile(path, []byte("old line\n"), 0o644)
	os.Chmod(path, 0o644)
	f, err := OpenPrivate(path)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode())
	}
}

func TestServeSection(t *testing.T) {
	c, err := Parse("[serve]\nlisten = \"0.0.0.0:2222\"\nidle_lock = \"10m\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if c.Serve.Listen != "0.0.0.0:2222" || c.Serve.IdleLock.Duration != 10*time.Minute {
		t.Fatalf("serve: %+v", c.Serve)
	}
	c.Path = filepath.Join("/etc", "clubdesk", "config.toml")
	if p, err := c.OperatorsPath(); err != nil || p != filepath.Join("/etc", "clubdesk", "operators") {
		t.Fatalf("operators path: %q %v", p, err)
	}
}

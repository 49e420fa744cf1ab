package config

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
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
	src, err := os.ReadFile("../ui/keys.go")
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

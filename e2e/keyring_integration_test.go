package e2e

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/keys"
)

// The keyring integration test runs against a real Secret Service
// (gnome-keyring on a private D-Bus session bus). Outside such a session it
// starts one through the wrapper the README documents, keys/clubdesk-session,
// and runs itself again inside it; it is skipped only when the daemon cannot
// be started at all (the tools are missing), which `make test` prevents by
// installing them.

const keyringPassword = "clubdesk-test-password"

func TestSecretServiceIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("keyring integration test skipped in -short mode")
	}
	if os.Getenv("CLUBDESK_SESSION_INNER") == "" {
		runInsideKeyringSession(t)
		return
	}
	secretServiceChecks(t)
}

func runInsideKeyringSession(t *testing.T) {
	for _, tool := range []string{"dbus-run-session", "dbus-send", "gnome-keyring-daemon", "secret-tool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("cannot start a Secret Service: %s is missing (make test installs dbus, gnome-keyring, libsecret-tools)", tool)
		}
	}
	home := t.TempDir()
	bin := buildBinary(t)
	cmd := exec.Command("../keys/clubdesk-session", os.Args[0], "-test.run", "^TestSecretServiceIntegration$", "-test.v", "-test.count=1")
	cmd.Stdin = strings.NewReader(keyringPassword + "\n")
	cmd.Env = append(cleanEnv(), "CLUBDESK_TEST_BIN="+bin, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "config"),
		"XDG_STATE_HOME="+filepath.Join(home, "state"), "XDG_DATA_HOME="+filepath.Join(home, "data"))
	out, err := cmd.CombinedOutput()
	t.Logf("inside the keyring session:\n%s", out)
	if err != nil || !strings.Contains(string(out), "--- PASS: TestSecretServiceIntegration") {
		t.Fatalf("the keyring session run failed: %v", err)
	}
}

// cleanEnv is the environment without any bus or keyring of the caller's,
// so the test can only reach the daemon it starts.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "DBUS_SESSION_BUS_ADDRESS", name == "XDG_RUNTIME_DIR", name == "DISPLAY",
			strings.HasPrefix(name, "CLUBDESK_"), strings.HasPrefix(name, "GNOME_KEYRING"):
			continue
		}
		env = append(env, kv)
	}
	return env
}

func secretServiceChecks(t *testing.T) {
	const secret1, secret2 = "demo-integration-first-7f3a", "demo-integration-second-91bc"
	home := os.Getenv("HOME")
	cfgDir := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "clubdesk")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := "profile = \"it\"\nlanguage = \"en\"\n[profiles.it]\nprovider = \"demo-secure\"\noperator = \"Test\"\n"
	if err := os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	bin := buildBinary(t)
	clubdesk := func(stdin string, args ...string) (string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	lookup := func(account string) (string, error) {
		out, err := exec.Command("secret-tool", "lookup", "service", "clubdesk", "username", account).Output()
		return string(out), err
	}
	const account = "it/demo-secure/api_key"

	// The keys package against the real keyring: store, read, overwrite, delete.
	store := keys.New("it", "raw")
	if err := store.Probe(); err != nil {
		t.Fatalf("the real keyring does not answer: %v", err)
	}
	for _, v := range []string{"raw-one", "raw-two"} {
		if err := store.Set("api_key", v); err != nil {
			t.Fatal(err)
		}
		if got, _, err := store.Get("api_key"); err != nil || got != v {
			t.Fatalf("Get = %q, %v; want %q", got, err, v)
		}
		if got, err := lookup("it/raw/api_key"); err != nil || got != v {
			t.Fatalf("secret-tool sees %q, %v; want %q", got, err, v)
		}
	}
	if err := store.Delete("api_key"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.Get("api_key"); !errors.Is(err, keys.ErrNotFound) {
		t.Fatalf("after Delete: %v", err)
	}

	// A key the CRM refuses is not stored.
	out, err := clubdesk("api_key=wrong-key\n", "login", "--stdin")
	if err == nil || !strings.Contains(out, "did not accept") {
		t.Fatalf("login with a bad key: %v\n%s", err, out)
	}
	if _, err := lookup(account); err == nil {
		t.Fatal("a refused key was stored")
	}

	// login --stdin stores the key; a second login overwrites it.
	for _, s := range []string{secret1, secret2} {
		out, err = clubdesk("api_key="+s+"\n", "login", "--stdin")
		if err != nil || !strings.Contains(out, "saved in the keyring: api_key") {
			t.Fatalf("login: %v\n%s", err, out)
		}
		if got, err := lookup(account); err != nil || got != s {
			t.Fatalf("secret-tool sees %q, %v after login", got, err)
		}
	}

	// doctor is happy and never prints the key.
	out, err = clubdesk("", "doctor")
	if err != nil || !strings.Contains(out, "All good.") || !strings.Contains(out, "in the keyring") {
		t.Fatalf("doctor: %v\n%s", err, out)
	}

	// The console starts on the stored key; the key is not in its arguments.
	s := startTmux(t, bin, []string{"HOME=" + home, "LANG=en_US.UTF-8", "TERM=xterm-256color"})
	s.waitFor("Find a client", "DEMO")
	pid, _ := s.tmux("display-message", "-p", "-t", s.name, "#{pane_pid}")
	if cmdline, err := os.ReadFile("/proc/" + strings.TrimSpace(pid) + "/cmdline"); err == nil {
		for _, sec := range []string{secret1, secret2} {
			if strings.Contains(string(cmdline), sec) {
				t.Fatal("a secret is in the console's arguments")
			}
		}
	}
	s.keys("F10")
	time.Sleep(200 * time.Millisecond)

	// logout deletes it; doctor then says how to log in.
	out, err = clubdesk("", "logout")
	if err != nil || !strings.Contains(out, "Deleted from the keyring: api_key") {
		t.Fatalf("logout: %v\n%s", err, out)
	}
	if _, err := lookup(account); err == nil {
		t.Fatal("secret-tool still sees the key after logout")
	}
	out, err = clubdesk("", "doctor")
	if err == nil || !strings.Contains(out, "clubdesk login --profile it") {
		t.Fatalf("doctor without a key: %v\n%s", err, out)
	}
	out, err = clubdesk("", "--lang", "en")
	if err == nil || !strings.Contains(out, "Run: clubdesk login --profile it") {
		t.Fatalf("console without a key: %v\n%s", err, out)
	}

	// No secret in the log, or anywhere the commands printed.
	logData, _ := os.ReadFile(filepath.Join(os.Getenv("XDG_STATE_HOME"), "clubdesk", "clubdesk.log"))
	for _, sec := range []string{secret1, secret2, "wrong-key"} {
		if strings.Contains(string(logData), sec) {
			t.Fatalf("the log holds a secret:\n%s", logData)
		}
	}
}

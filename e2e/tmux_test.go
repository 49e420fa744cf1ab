package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// tmuxSession runs the built console in a real terminal: a detached tmux
// session of 80x24 on its own server socket, driven with send-keys and read
// with capture-pane.
type tmuxSession struct {
	t      *testing.T
	socket string
	name   string
	// seen is when waitFor last found what it waited for.
	seen time.Time
}

// tmuxStarts numbers the tmux servers this test binary starts.
var tmuxStarts atomic.Int64

func startTmux(t *testing.T, bin string, env []string, args ...string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("the end-to-end test needs tmux (make test installs it; or: sudo apt-get install tmux)")
	}
	// Every start gets a socket of its own: a test that starts the console
	// again after killing it must not reach the old server while it is
	// still shutting down ("server exited unexpectedly").
	n := tmuxStarts.Add(1)
	s := &tmuxSession{t: t, socket: fmt.Sprintf("clubdesk-test-%d-%d-%s", os.Getpid(), n, strings.ReplaceAll(t.Name(), "/", "-")), name: "desk"}
	cmdline := append([]string{"env"}, env...)
	cmdline = append(cmdline, bin)
	cmdline = append(cmdline, args...)
	newArgs := append([]string{"new-session", "-d", "-s", s.name, "-x", "80", "-y", "24"}, cmdline...)
	if out, err := s.tmux(newArgs...); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	t.Cleanup(func() { s.tmux("kill-server") })
	return s
}

func (s *tmuxSession) tmux(args ...string) (string, error) {
	all := append([]string{"-u", "-L", s.socket, "-f", "/dev/null"}, args...)
	out, err := exec.Command("tmux", all...).CombinedOutput()
	return string(out), err
}

// must runs a tmux command that has to work and returns its output.
func (s *tmuxSession) must(args ...string) string {
	s.t.Helper()
	out, err := s.tmux(args...)
	if err != nil {
		s.t.Fatalf("tmux %v: %v: %s", args, err, out)
	}
	return out
}

func (s *tmuxSession) capture() string {
	out, err := s.tmux("capture-pane", "-p", "-t", s.name)
	if err != nil {
		s.t.Fatalf("capture-pane: %v: %s", err, out)
	}
	return out
}

// waitGone waits for the console to quit: its session ends with it.
func (s *tmuxSession) waitGone() {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := s.tmux("has-session", "-t", s.name); err != nil {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the console did not quit; the screen is:\n%s", s.capture())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitFor polls the pane until every part shows, or fails with the screen.
func (s *tmuxSession) waitFor(parts ...string) string {
	s.t.Helper()
	return s.waitForWithin(10*time.Second, parts...)
}

// waitForAny polls the pane until one of the parts shows.
func (s *tmuxSession) waitForAny(parts ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		screen := s.capture()
		for _, p := range parts {
			if strings.Contains(screen, p) {
				s.seen = time.Now()
				return screen
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("waited for any of %q; the screen is:\n%s", parts, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitForWithin is waitFor with its own patience.
func (s *tmuxSession) waitForWithin(patience time.Duration, parts ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(patience)
	for {
		screen := s.capture()
		missing := ""
		for _, p := range parts {
			if !strings.Contains(screen, p) {
				missing = p
				break
			}
		}
		if missing == "" {
			s.seen = time.Now()
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("waited %v for %q; the screen is:\n%s", patience, missing, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// humanPause is how long a person looks at a screen before a key acts on
// it; the desk refuses keys that come sooner after a client's card opened
// (they were pressed before anyone could see whose card it is).
const humanPause = 350 * time.Millisecond

// keys sends tmux key names (Enter, F4, Down...) one by one, at a person's
// pace: the first a moment after the screen waited for showed.
func (s *tmuxSession) keys(names ...string) {
	s.t.Helper()
	if d := time.Since(s.seen); d < humanPause {
		time.Sleep(humanPause - d)
	}
	for _, k := range names {
		if out, err := s.tmux("send-keys", "-t", s.name, k); err != nil {
			s.t.Fatalf("send-keys %s: %v: %s", k, err, out)
		}
		time.Sleep(humanPause)
	}
}

// typeSlowly types text like a person, a key every 90 ms.
func (s *tmuxSession) typeSlowly(text string) {
	s.t.Helper()
	for _, r := range text {
		if out, err := s.tmux("send-keys", "-t", s.name, "-l", string(r)); err != nil {
			s.t.Fatalf("send-keys: %v: %s", err, out)
		}
		time.Sleep(90 * time.Millisecond)
	}
}

// scan types a card number and Enter in one write, as a reader does.
func (s *tmuxSession) scan(card string) {
	s.t.Helper()
	if out, err := s.tmux("send-keys", "-t", s.name, card, "Enter"); err != nil {
		s.t.Fatalf("send-keys: %v: %s", err, out)
	}
}

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// buildBinary builds clubdesk once per test process (or takes the one a
// parent test process built, from CLUBDESK_TEST_BIN).
func buildBinary(t testing.TB) string {
	t.Helper()
	if bin := os.Getenv("CLUBDESK_TEST_BIN"); bin != "" {
		return bin
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "clubdesk-test-bin")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "clubdesk")
		if out, err := exec.Command("go", "build", "-o", builtBin, "github.com/clubdesk/clubdesk").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if builtBin != "" {
		os.RemoveAll(filepath.Dir(builtBin))
	}
	os.Exit(code)
}

// deskEnv is the environment of a console under test: a home of its own
// (no config unless config is given, then written where clubdesk looks),
// Russian, a 256-colour terminal, plus extra variables (e.g. the
// CLUBDESK_<PROVIDER>_<SECRET> override, so no keyring is needed).
func deskEnv(t testing.TB, config string, extra ...string) []string {
	t.Helper()
	home := t.TempDir()
	if config != "" {
		dir := filepath.Join(home, "config", "clubdesk")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(config), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{
		"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"LANG=ru_RU.UTF-8", "LC_ALL=", "TERM=xterm-256color", "NO_COLOR=",
	}
	return append(env, extra...)
}

// startDesk builds clubdesk and opens it in tmux with deskEnv.
func startDesk(t *testing.T, config string, extra ...string) *tmuxSession {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	return startTmux(t, buildBinary(t), deskEnv(t, config, extra...))
}

func TestEndToEndInTmux(t *testing.T) {
	s := startDesk(t, "")
	s.waitFor("Поиск клиента", "ДЕМО")

	// Search: part of a surname finds the client; Enter opens the card.
	s.typeSlowly("Зелен")
	s.waitFor("Зеленина Ольга")
	s.keys("Enter")
	s.waitFor("Карточка клиента", "МОЖНО ПРОХОДИТЬ")

	// Sale: unlimited month, today, cash, confirm.
	s.keys("F4")
	s.waitFor("Продажа абонемента", "Фильтр")
	s.typeSlowly("8 пос")
	s.waitFor("8 посещений")
	s.keys("Enter")
	s.waitFor("Начало")
	s.keys("Enter")
	s.waitFor("Наличные", "Осталось распределить: 0 ₽")
	s.keys("Enter")
	s.waitFor("y — да, n — нет")
	s.keys("y")
	s.waitFor("Продажа выполнена: 8 посещений")
	s.keys("Enter")
	card := s.waitFor("Карточка клиента", "Абонементы")
	if strings.Count(card, "8 посещений") < 1 {
		t.Fatalf("the new membership is not on the card:\n%s", card)
	}

	// Timetable: today's lessons; Enter opens the roster of the selected one.
	s.keys("F3")
	s.waitFor("Расписание", "Время", "Занятие")
	s.keys("Enter")
	s.waitFor("Список группы", "Отметка")
	// Undo whatever the first row had, then mark it: the roster says so.
	s.keys("u")
	time.Sleep(300 * time.Millisecond)
	s.keys("a")
	// More than an hour before the lesson (the test runs on the machine's
	// clock) the mark asks first.
	if screen := s.waitForAny(" — пришёл", "До занятия больше часа"); !strings.Contains(screen, " — пришёл") {
		s.keys("y")
		s.waitFor(" — пришёл")
	}

	// A scan on the roster is about that lesson: it marks the client, or
	// asks first (not on the list; more than an hour ahead) — n answers no.
	s.scan("0052611384")
	switch screen := s.waitForAny("нет в списке этого занятия", "отмечен(а) по карте", "До занятия больше часа"); {
	case strings.Contains(screen, "по карте"):
	default:
		s.keys("n")
	}
	s.keys("Escape")
	s.waitFor("Расписание")
	time.Sleep(2 * time.Second) // the same card again within 2 s is a reader's double read, ignored

	// A scan burst on any other screen opens the right card.
	s.scan("0052611384")
	s.waitFor("Карточка клиента", "Пустовойт Марина", "СТОП")
	s.keys("Escape")
	s.waitFor("Расписание")
	s.scan("0040856634")
	s.waitFor("Карточка клиента", "0040856634")

	s.keys("F10")
	time.Sleep(300 * time.Millisecond)
}

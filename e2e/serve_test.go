package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/providers/luckyfit/luckyfittest"
)

// clubdesk serve, really: the built binary serving a local LuckyFit on
// 127.0.0.1, its key from a systemd-style credentials folder, and the
// receptionists' OpenSSH clients in tmux at 80x24, each with a key of the
// operators file.

// service is a running clubdesk serve.
type service struct {
	t    testing.TB
	cmd  *exec.Cmd
	addr string
	home string // its HOME: config, state, journal
	dir  string // the operators' keys
	mu   sync.Mutex
	out  bytes.Buffer // stdout and stderr: the fingerprint, the log
	done chan struct{}
}

func (s *service) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

type lockedWriter struct{ s *service }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	return w.s.out.Write(p)
}

// startService writes the config and an operators file of the given
// lines (each with {key:NAME} for the public key of NAME, made here) and
// starts clubdesk serve on a free port of 127.0.0.1.
func startService(t testing.TB, lf *luckyfittest.Server, key string, operators ...string) *service {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	if _, err := exec.LookPath("ssh"); err != nil {
		t.Fatal("the serve end-to-end test needs the OpenSSH client (sudo apt-get install --no-install-recommends openssh-client)")
	}
	config := `profile = "club"
language = "ru"
[profiles.club]
provider = "luckyfit"
base_url = "` + lf.URL + `/api"
branch = "1"
point_name = "Service"
timezone = "Europe/Moscow"
[serve]
idle_lock = "10m"
`
	env := deskEnv(t, config)
	var home string
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "HOME="); ok {
			home = v
		}
	}
	s := &service{t: t, home: home, dir: t.TempDir(), done: make(chan struct{})}
	var lines []string
	for _, line := range operators {
		for {
			i := strings.Index(line, "{key:")
			if i < 0 {
				break
			}
			j := strings.Index(line[i:], "}")
			name := line[i+5 : i+j]
			line = line[:i] + s.publicKey(name) + line[i+j+1:]
		}
		lines = append(lines, line)
	}
	if err := os.WriteFile(filepath.Join(home, "config", "clubdesk", "operators"), []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// The CRM's key as systemd hands it to a unit: a file of the
	// credentials folder; no keyring, no D-Bus, nothing in the environment.
	creds := t.TempDir()
	if err := os.WriteFile(filepath.Join(creds, "api_key"), []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s.addr = fmt.Sprintf("127.0.0.1:%d", freePort(t))
	s.cmd = exec.Command(buildBinary(t), "serve", "--listen", s.addr)
	s.cmd.Env = append(env, "CREDENTIALS_DIRECTORY="+creds)
	s.cmd.Stdout, s.cmd.Stderr = lockedWriter{s}, lockedWriter{s}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		<-s.done
		// A binary built with -race (CLUBDESK_TEST_BIN) says so here: the
		// sessions share one provider, journal and offline desk.
		if strings.Contains(s.output(), "DATA RACE") {
			t.Errorf("the service raced:\n%s", s.output())
		}
		if t.Failed() {
			t.Logf("clubdesk serve said:\n%s", tail(s.output(), 40))
		}
	})
	// It says where it listens once it does.
	deadline := time.Now().Add(15 * time.Second)
	for !strings.Contains(s.output(), "касса по SSH на "+s.addr) {
		select {
		case <-s.done:
			t.Fatalf("clubdesk serve did not start:\n%s", s.output())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("clubdesk serve did not start:\n%s", s.output())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return s
}

// publicKey makes the key of name (once) and returns its public line.
func (s *service) publicKey(name string) string {
	path := filepath.Join(s.dir, name)
	if _, err := os.Stat(path); err != nil {
		keygen(s.t, path)
	}
	pub, err := os.ReadFile(path + ".pub")
	if err != nil {
		s.t.Fatal(err)
	}
	// The type and the key: the operator's name is the file's to say.
	f := strings.Fields(string(pub))
	return f[0] + " " + f[1]
}

// sshArgs are the client's arguments for the key of name, at desk.
func (s *service) sshArgs(name, desk string, extra ...string) []string {
	return s.sshArgsTo(s.addr, name, desk, extra...)
}

// sshArgsTo are sshArgs to addr (a relay in front of the service).
func (s *service) sshArgsTo(addr, name, desk string, extra ...string) []string {
	host, port, _ := net.SplitHostPort(addr)
	args := []string{"-F", "/dev/null", "-p", port, "-i", filepath.Join(s.dir, name),
		"-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
		"-o", "UserKnownHostsFile=" + filepath.Join(s.dir, "known_hosts"), "-o", "LogLevel=ERROR",
		"-o", "SetEnv=CLUBDESK_DESK=" + desk}
	return append(append(args, extra...), "desk@"+host)
}

// desk opens a receptionist's terminal: ssh in tmux at 80x24.
func (s *service) desk(name, desk string) *tmuxSession {
	s.t.Helper()
	return s.deskVia(s.addr, name, desk)
}

// deskVia is desk through addr (a relay that delays and bunches keys).
func (s *service) deskVia(addr, name, desk string) *tmuxSession {
	s.t.Helper()
	return s.deskAs(addr, name, desk, "xterm-256color")
}

// deskAs is deskVia from a terminal of type term.
func (s *service) deskAs(addr, name, desk, term string) *tmuxSession {
	s.t.Helper()
	return startTmux(s.t.(*testing.T), "ssh", []string{"TERM=" + term, "HOME=" + s.t.TempDir(), "LANG=ru_RU.UTF-8"},
		s.sshArgsTo(addr, name, desk, "-tt")...)
}

// journalLines reads every line of the service's journal.
func (s *service) journalLines() []map[string]any {
	s.t.Helper()
	var out []map[string]any
	files, _ := filepath.Glob(filepath.Join(s.home, "state", "clubdesk", "journal", "*", "*.jsonl"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			s.t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 1<<20), 4<<20)
		for sc.Scan() {
			var e map[string]any
			if json.Unmarshal(sc.Bytes(), &e) == nil {
				out = append(out, e)
			}
		}
	}
	return out
}

// sellEight sells Новосёлов 8 visits in cash up to the confirmation.
func sellEight(s *tmuxSession) {
	s.keys("F2")
	s.waitFor("Поиск клиента")
	s.typeSlowly("Новосёл")
	s.waitFor("Новосёлов Кирилл")
	s.keys("Enter")
	s.waitFor("Карточка клиента: Новосёлов")
	s.keys("F4")
	s.waitFor("Продажа абонемента", "8 посещений")
	s.typeSlowly("8 пос")
	s.keys("Enter", "Enter")
	s.waitFor("Осталось распределить: 0 ₽")
	s.keys("Enter")
	s.waitFor("y — да, n — нет")
}

// TestServeTwoDesks: two receptionists at once on one service. One books
// the last place of the yoga and the other finds it full; one sells and
// the other's journal (F7) shows the sale with the first one's name and
// desk, its shift report (F6) counts it; the second may not take money
// and is told so at F4; an unknown key is refused and logged.
func TestServeTwoDesks(t *testing.T) {
	const key = "lf-serve-key"
	lf := luckyfittest.NewServer(key, nil)
	t.Cleanup(lf.Close)
	lf.SetCapacity("3001", 3) // two booked: one place left
	svc := startService(t, lf, key,
		`# the club's receptionists`,
		`operator="Анна Петрова",permit="money,override" {key:anna}`,
		`{key:boris} Борис`,
	)
	if out := svc.output(); !strings.Contains(out, "ключ сервера создан") || !strings.Contains(out, "SHA256:") {
		t.Fatalf("the first start did not say the host key's fingerprint:\n%s", out)
	}
	hostKey := filepath.Join(svc.home, "state", "clubdesk", "serve_host_ed25519")
	if fi, err := os.Stat(hostKey); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key: %v %v", fi, err)
	}

	anna := svc.desk("anna", "front-1")
	// Борис's desk is on a poor link: keys delayed, and bunched when asked.
	link := startJitterLink(t, svc.addr, 40*time.Millisecond, 17)
	// and a Linux console: its session gets 16 colours, Анна's xterm 256.
	boris := svc.deskAs(link.addr, "boris", "front-2", "linux")
	anna.waitForWithin(20*time.Second, "Поиск клиента", "LuckyFit", "Анна Петрова")
	boris.waitForWithin(20*time.Second, "Поиск клиента", "LuckyFit", "Борис")
	for _, d := range []struct {
		s    *tmuxSession
		want bool
	}{{anna, true}, {boris, false}} {
		styled := d.s.must("capture-pane", "-p", "-e", "-t", d.s.name)
		if got := strings.Contains(styled, "38;5;"); got != d.want {
			t.Errorf("256-colour sequences on the screen: %v, want %v", got, d.want)
		}
	}

	// Анна books Новосёлов into the yoga's last place.
	anna.typeSlowly("Новосёл")
	anna.waitFor("Новосёлов Кирилл")
	anna.keys("Enter")
	anna.waitFor("Карточка клиента: Новосёлов")
	anna.keys("b")
	anna.waitFor("Запись на занятие", "Йога", "2/3")
	// The cursor starts on the first lesson not over yet: the yoga is the
	// day's first.
	anna.keys("Up", "Up", "Enter")
	anna.waitFor("записан(а) на «Йога»")

	// Борис, a moment later, wants it for Должиков: full. The reader's
	// burst comes in one write at the far end: a scan, not typing.
	link.setBatch(300 * time.Millisecond)
	boris.scan("0021478305")
	boris.waitFor("Карточка клиента: Должиков")
	link.setBatch(0)
	if screen := boris.capture(); strings.Contains(screen, "ни к кому не привязана") {
		t.Fatalf("the bunched burst was not read as a scan:\n%s", screen)
	}
	boris.keys("b")
	boris.waitFor("Запись на занятие", "Йога", "мест нет 3/3")
	boris.keys("Up", "Up", "Enter")
	boris.waitFor("Занятие заполнено")
	// The desk saw it full and sent nothing.
	if n := lf.Requests("POST /lesson_calendar_bookings"); n != 1 {
		t.Fatalf("%d bookings reached LuckyFit, want Анна's alone", n)
	}
	boris.keys("Escape")

	// Борис may not take money: F4 says so at once.
	boris.keys("F4")
	boris.waitFor("Нет права: Борис не может принимать деньги (permit=money в operators)")

	// Анна sells; Борис's journal and shift report show it as hers.
	sellEight(anna)
	anna.keys("y")
	anna.waitFor("Продажа выполнена: 8 посещений")
	boris.keys("F7")
	boris.waitFor("Журнал операций")
	boris.keys("Tab")
	boris.waitFor("Продажа", "Новосёлов", "Анна Петрова @ front-1")
	boris.keys("F6")
	boris.waitFor("Отчёт", "Продаж:                  1", "Продаж:                  выполнено 1")

	// A key the operators file does not hold: refused, and the log says so.
	svc.publicKey("stranger")
	cmd := exec.Command("ssh", append(svc.sshArgs("stranger", "x", "-T"), "true")...)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("an unknown key was let in: %s", out)
	}
	if !strings.Contains(string(out), "Permission denied (publickey)") {
		t.Fatalf("an unknown key: %s", out)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(svc.output(), "ssh key refused") {
		if time.Now().After(deadline) {
			t.Fatalf("the refusal is not in the log:\n%s", svc.output())
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The file is reread when it changes: the stranger, added now, is let
	// in at the next connection, without a restart (and, asking for no
	// terminal, is told the service opens the console only).
	ops := filepath.Join(svc.home, "config", "clubdesk", "operators")
	f, err := os.OpenFile(ops, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "operator=\"Вера\" %s\n", svc.publicKey("stranger"))
	f.Close()
	out, err = exec.Command("ssh", append(svc.sshArgs("stranger", "x", "-T"), "true")...).CombinedOutput()
	if err == nil || strings.Contains(string(out), "Permission denied") || !strings.Contains(string(out), "ssh -t") {
		t.Fatalf("an operator added to the file: %v %s", err, out)
	}
	// --check reads the file as the service does.
	check := exec.Command(buildBinary(t), "serve", "--check")
	check.Env = svc.cmd.Env
	out, err = check.CombinedOutput()
	for _, want := range []string{"могут войти", "Анна Петрова", "permit=money,override", "Борис", "permit=-", "Вера", "SHA256:"} {
		if err != nil || !strings.Contains(string(out), want) {
			t.Fatalf("serve --check (%v) lacks %q:\n%s", err, want, out)
		}
	}

	// No command, no shell: a known key asking for one gets the console's
	// refusal, nothing run.
	out, err = exec.Command("ssh", append(svc.sshArgs("anna", "x", "-T"), "id")...).CombinedOutput()
	if err == nil || strings.Contains(string(out), "uid=") || !strings.Contains(string(out), "ssh -t") {
		t.Fatalf("a command over the service: %v %s", err, out)
	}

	// No forwarding and no SFTP, for a key that may connect.
	lfHost := strings.TrimPrefix(lf.URL, "http://")
	for name, args := range map[string][]string{
		"local forwarding":  svc.sshArgs("anna", "x", "-T", "-W", lfHost),
		"remote forwarding": svc.sshArgs("anna", "x", "-T", "-N", "-o", "ExitOnForwardFailure=yes", "-R", "127.0.0.1:0:"+lfHost),
	} {
		cmd := exec.Command("ssh", args...)
		done := make(chan error, 1)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err == nil {
				t.Errorf("%s was let through: %s", name, out.String())
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Errorf("%s: ssh still connected after 10 s: %s", name, out.String())
		}
	}
	_, port, _ := net.SplitHostPort(svc.addr)
	sftp := exec.Command("sftp", "-F", "/dev/null", "-P", port, "-i", filepath.Join(svc.dir, "anna"), "-o", "IdentitiesOnly=yes",
		"-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile="+filepath.Join(svc.dir, "known_hosts"),
		"-b", "-", "desk@127.0.0.1")
	sftp.Stdin = strings.NewReader("ls /\n")
	if out, err := sftp.CombinedOutput(); err == nil || strings.Contains(string(out), "etc") {
		t.Errorf("SFTP: %v %s", err, out)
	}

	// Every write of the day is in the one journal with its desk and
	// operator.
	var sold, booked bool
	for _, e := range svc.journalLines() {
		switch {
		case e["kind"] == "sell" && e["phase"] == "intent":
			sold = e["operator"] == "Анна Петрова" && e["desk"] == "front-1"
		case e["kind"] == "book" && e["phase"] == "intent" && e["operator"] == "Анна Петрова":
			booked = true
		}
	}
	if !sold || !booked {
		t.Fatalf("journal: sale by Анна at front-1 %v, booking by Анна %v: %v", sold, booked, svc.journalLines())
	}
	// Ctrl+C ends Борис's session, not the service: Анна works on.
	boris.keys("C-c")
	boris.waitGone()
	anna.keys("F2")
	anna.waitFor("Поиск клиента")
	anna.keys("F10")
	anna.waitGone()
	select {
	case <-svc.done:
		t.Fatalf("the service ended with its sessions:\n%s", svc.output())
	default:
	}
}

// TestServeSIGTERMDuringSale stops the service while a sale is on its way:
// the sale finishes and its outcome is journalled, the session ends with
// the service's message, and the service exits cleanly.
func TestServeSIGTERMDuringSale(t *testing.T) {
	const key = "lf-serve-key"
	lf := luckyfittest.NewServer(key, nil)
	t.Cleanup(lf.Close)
	svc := startService(t, lf, key, `operator="Анна Петрова",permit="money" {key:anna}`)
	anna := svc.desk("anna", "front-1")
	// The terminal stays when ssh ends, to read the service's last words.
	anna.must("set-option", "-t", anna.name, "remain-on-exit", "on")
	anna.waitForWithin(20*time.Second, "Поиск клиента", "Анна Петрова")
	sellEight(anna)
	lf.SetLatency(2 * time.Second) // LuckyFit takes its time
	anna.keys("y")
	anna.waitFor("запись в CRM")
	if err := svc.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Told at once, while the sale finishes...
	anna.waitFor("Служба кассы останавливается: новые операции не принимаются")
	// ...and when the session ends.
	anna.waitForWithin(30*time.Second, "Служба кассы останавливается: сеанс завершён")
	select {
	case <-svc.done:
	case <-time.After(30 * time.Second):
		t.Fatalf("the service did not stop:\n%s", svc.output())
	}
	if code := svc.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("the service exited %d:\n%s", code, svc.output())
	}
	if n := lf.Requests("POST /client_tickets"); n != 1 {
		t.Fatalf("the sale reached LuckyFit %d times", n)
	}
	var intent string
	var outcome any
	for _, e := range svc.journalLines() {
		if e["kind"] == "sell" && e["phase"] == "intent" {
			intent, _ = e["op"].(string)
		}
		if intent != "" && e["op"] == intent && e["phase"] != "intent" {
			outcome = e["phase"]
		}
	}
	if intent == "" || outcome != "done" {
		t.Fatalf("the sale in the journal: intent %q, outcome %v\n%s", intent, outcome, svc.output())
	}
	// A new connection after the stop is refused: nothing listens.
	if c, err := net.DialTimeout("tcp", svc.addr, time.Second); err == nil {
		c.Close()
		t.Fatal("the stopped service still accepts connections")
	}
}

// TestServeDroppedSessionMidSale: the receptionist's terminal goes away
// while a sale is on its way; the service finishes it and journals its
// outcome, and goes on serving.
func TestServeDroppedSessionMidSale(t *testing.T) {
	const key = "lf-serve-key"
	lf := luckyfittest.NewServer(key, nil)
	t.Cleanup(lf.Close)
	svc := startService(t, lf, key, `operator="Анна Петрова",permit="money" {key:anna}`)
	anna := svc.desk("anna", "front-1")
	anna.waitForWithin(20*time.Second, "Поиск клиента", "Анна Петрова")
	sellEight(anna)
	lf.SetLatency(time.Second)
	anna.keys("y")
	anna.waitFor("запись в CRM")
	anna.tmux("kill-server") // the terminal and its ssh are gone
	deadline := time.Now().Add(20 * time.Second)
	for {
		var intent string
		var outcome any
		for _, e := range svc.journalLines() {
			if e["kind"] == "sell" && e["phase"] == "intent" {
				intent, _ = e["op"].(string)
			}
			if intent != "" && e["op"] == intent && e["phase"] != "intent" {
				outcome = e["phase"]
			}
		}
		if outcome == "done" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the dropped desk's sale: intent %q, outcome %v\n%s", intent, outcome, svc.output())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if n := lf.Requests("POST /client_tickets"); n != 1 {
		t.Fatalf("the sale reached LuckyFit %d times", n)
	}
	lf.SetLatency(0)
	// The service still serves: the receptionist logs in again, and the
	// card shows the sale.
	again := svc.desk("anna", "front-1")
	again.waitForWithin(20*time.Second, "Поиск клиента")
	again.typeSlowly("Новосёл")
	again.waitFor("Новосёлов Кирилл")
	again.keys("Enter")
	again.waitFor("Карточка клиента: Новосёлов", "8 посещений")
	again.keys("F10")
	again.waitGone()
}

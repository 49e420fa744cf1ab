package e2e

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The console over SSH, really: Debian's OpenSSH server on 127.0.0.1,
// started by the test as the current user with keys made for the run, the
// ssh client inside tmux at 80x24 as the receptionist's terminal, and a
// link between them that delays and bunches the keystrokes.

// sshd is a throw-away OpenSSH server.
type sshd struct {
	addr      string // 127.0.0.1:port
	clientKey string
	dir       string
}

// sshdPath finds the server: Debian installs it outside a user's PATH.
func sshdPath(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("sshd"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/sshd"); err == nil {
		return "/usr/sbin/sshd"
	}
	t.Fatal("the SSH end-to-end test needs OpenSSH's server and client (make test installs them; or: sudo apt-get install --no-install-recommends openssh-server openssh-client)")
	return ""
}

func keygen(t testing.TB, path string) {
	t.Helper()
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "clubdesk-test", "-f", path).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v: %s", err, out)
	}
}

// freePort is a port on 127.0.0.1 that nothing listened on a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startSSHD runs sshd in the foreground on a free port of 127.0.0.1 with a
// host key and one authorised client key made for this test, accepting
// only that key and only the current user.
func startSSHD(t *testing.T) *sshd {
	t.Helper()
	bin := sshdPath(t)
	if _, err := exec.LookPath("ssh"); err != nil {
		t.Fatal("the SSH end-to-end test needs the OpenSSH client (sudo apt-get install --no-install-recommends openssh-client)")
	}
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	if why := unprivilegedPty(me); why != "" {
		t.Skip(why)
	}
	if os.Geteuid() == 0 {
		// Run as root, sshd wants its privilege separation directory,
		// which Debian's service would have made.
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			t.Fatalf("sshd's privilege separation directory: %v", err)
		}
	}
	dir, err := os.MkdirTemp("", "clubdesk-sshd")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	s := &sshd{dir: dir, clientKey: filepath.Join(dir, "client")}
	keygen(t, filepath.Join(dir, "host"))
	keygen(t, s.clientKey)
	pub, err := os.ReadFile(s.clientKey + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "authorized_keys"), pub, 0o600); err != nil {
		t.Fatal(err)
	}
	var lastErr string
	for range 3 { // a port taken in between: try another
		port := freePort(t)
		s.addr = fmt.Sprintf("127.0.0.1:%d", port)
		config := strings.Join([]string{
			fmt.Sprintf("Port %d", port),
			"ListenAddress 127.0.0.1",
			"HostKey " + filepath.Join(dir, "host"),
			"PidFile " + filepath.Join(dir, "sshd.pid"),
			"AuthorizedKeysFile " + filepath.Join(dir, "authorized_keys"),
			"AllowUsers " + me.Username,
			"PubkeyAuthentication yes",
			"PasswordAuthentication no",
			"KbdInteractiveAuthentication no",
			"PermitRootLogin prohibit-password",
			"UsePAM no",
			"StrictModes no",
			"PrintMotd no",
			"PrintLastLog no",
			"X11Forwarding no",
			"AllowTcpForwarding no",
			"LogLevel ERROR",
		}, "\n") + "\n"
		cfg := filepath.Join(dir, "sshd_config")
		if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
			t.Fatal(err)
		}
		var log bytes.Buffer
		cmd := exec.Command(bin, "-D", "-e", "-f", cfg)
		cmd.Stdout, cmd.Stderr = &log, &log
		if err := cmd.Start(); err != nil {
			t.Fatalf("start sshd: %v", err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		if waitListening(s.addr, exited) {
			t.Cleanup(func() {
				cmd.Process.Kill()
				<-exited
			})
			return s
		}
		cmd.Process.Kill()
		<-exited
		lastErr = log.String()
	}
	t.Fatalf("sshd did not start: %s", lastErr)
	return nil
}

// unprivilegedPty says why an sshd run by me cannot give the session a
// terminal, or "" when it can. Run by an ordinary user, sshd still hands
// the pty to group tty, which the kernel allows only to a member
// ("chown(/dev/pts/N, uid, 5) failed: Operation not permitted", and the
// session closes).
func unprivilegedPty(me *user.User) string {
	if os.Geteuid() == 0 {
		return ""
	}
	tty, err := user.LookupGroup("tty")
	if err != nil {
		return "" // no tty group: sshd keeps the user's own group
	}
	if gids, err := me.GroupIds(); err == nil && slices.Contains(gids, tty.Gid) {
		return ""
	}
	return "an sshd started by " + me.Username + " (not root, not in group tty) cannot give the session a terminal: " +
		"it hands the pty to group tty and the kernel refuses; run the tests as root (CI does) or join group tty"
}

// waitListening waits until addr accepts connections, or the server exits.
func waitListening(addr string, exited <-chan struct{}) bool {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return false
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond); err == nil {
			c.Close()
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// jitterLink is a TCP relay on 127.0.0.1 in front of target that plays a
// poor link for what the client sends: each chunk is held for a random
// 0..maxDelay (seeded, so a run can be replayed) without overtaking the one
// before, and whatever is due by then goes out in one write, so keystrokes
// typed apart can arrive together. In batch mode it holds everything until
// the next tick of the period, as a congested mobile link does, so that
// keys typed 55–130 ms apart surely arrive in twos and threes. The
// server's answers pass straight.
type jitterLink struct {
	addr string
	mu   sync.Mutex
	// batch, when set, is the period of batch mode.
	batch time.Duration
	// bunched counts writes that carried more than one chunk.
	bunched int
}

// setBatch switches batch mode on (period > 0) or off.
func (j *jitterLink) setBatch(period time.Duration) {
	j.mu.Lock()
	j.batch = period
	j.mu.Unlock()
}

func startJitterLink(t *testing.T, target string, maxDelay time.Duration, seed uint64) *jitterLink {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	j := &jitterLink{addr: l.Addr().String()}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		l.Close()
		wg.Wait()
	})
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var rngMu sync.Mutex
	delay := func() time.Duration {
		rngMu.Lock()
		defer rngMu.Unlock()
		return time.Duration(rng.Int64N(int64(maxDelay) + 1))
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			client, err := l.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", target)
			if err != nil {
				client.Close()
				continue
			}
			wg.Add(2)
			go func() { // the server's answers: straight through
				defer wg.Done()
				io.Copy(client, server)
				client.Close()
			}()
			go func() {
				defer wg.Done()
				j.relay(client, server, delay)
				server.Close()
			}()
		}
	}()
	return j
}

type chunk struct {
	data []byte
	due  time.Time
}

func (j *jitterLink) relay(from, to net.Conn, delay func() time.Duration) {
	chunks := make(chan chunk, 1024)
	go func() {
		defer close(chunks)
		last := time.Time{}
		buf := make([]byte, 32<<10)
		for {
			n, err := from.Read(buf)
			if n > 0 {
				now := time.Now()
				due := now.Add(delay())
				j.mu.Lock()
				if j.batch > 0 {
					due = now.Truncate(j.batch).Add(j.batch)
				}
				j.mu.Unlock()
				if due.Before(last) {
					due = last // no overtaking
				}
				last = due
				chunks <- chunk{data: bytes.Clone(buf[:n]), due: due}
			}
			if err != nil {
				return
			}
		}
	}()
	for c := range chunks {
		time.Sleep(time.Until(c.due))
		out, n := c.data, 1
	more:
		for {
			select {
			case next, ok := <-chunks:
				if !ok {
					break more
				}
				if next.due.After(time.Now()) {
					// Not due yet: send what is, then wait for it.
					if _, err := to.Write(out); err != nil {
						return
					}
					j.count(n)
					time.Sleep(time.Until(next.due))
					out, n = next.data, 1
					continue
				}
				out, n = append(out, next.data...), n+1
			default:
				break more
			}
		}
		if _, err := to.Write(out); err != nil {
			return
		}
		j.count(n)
	}
}

func (j *jitterLink) count(chunks int) {
	if chunks > 1 {
		j.mu.Lock()
		j.bunched++
		j.mu.Unlock()
	}
}

// shellQuote quotes s for the remote shell.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// sshDesk opens clubdesk through ssh in tmux at 80x24: the client's
// terminal type is term, and ssh hands it to the server, which gives it to
// the console. The console's own environment (a home of its own, Russian,
// no config: the demo club) goes in the remote command.
func sshDesk(t *testing.T, srv *sshd, link *jitterLink, term string) *tmuxSession {
	t.Helper()
	var remote []string
	for _, kv := range deskEnv(t, "") {
		if !strings.HasPrefix(kv, "TERM=") {
			remote = append(remote, shellQuote(kv))
		}
	}
	cmdline := "env " + strings.Join(remote, " ") + " " + shellQuote(buildBinary(t))
	host, port, _ := net.SplitHostPort(link.addr)
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	clientHome := t.TempDir()
	args := []string{
		"-F", "/dev/null", "-tt", "-p", port, "-i", srv.clientKey,
		"-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
		"-o", "UserKnownHostsFile=" + filepath.Join(srv.dir, "known_hosts"), "-o", "LogLevel=ERROR",
		me.Username + "@" + host, cmdline,
	}
	return startTmux(t, "ssh", []string{"TERM=" + term, "HOME=" + clientHome, "LANG=ru_RU.UTF-8"}, args...)
}

// raw sends bytes as the terminal would, for keys tmux has no name for
// (a Linux console's F1–F5).
func (s *tmuxSession) raw(seq string) {
	s.t.Helper()
	if d := time.Since(s.seen); d < humanPause {
		time.Sleep(humanPause - d)
	}
	hex := make([]string, len(seq))
	for i := range len(seq) {
		hex[i] = fmt.Sprintf("%02x", seq[i])
	}
	if out, err := s.tmux(append([]string{"send-keys", "-t", s.name, "-H"}, hex...)...); err != nil {
		s.t.Fatalf("send-keys -H: %v: %s", err, out)
	}
	time.Sleep(150 * time.Millisecond)
}

// typeFast types text and Enter like a quick typist: a key every
// 55–130 ms, the gaps varying as a hand's do.
func (s *tmuxSession) typeFast(text string) {
	s.t.Helper()
	gaps := []time.Duration{70, 110, 55, 95, 130, 60, 85, 100, 75, 120, 90}
	for i, r := range text {
		if out, err := s.tmux("send-keys", "-t", s.name, "-l", string(r)); err != nil {
			s.t.Fatalf("send-keys: %v: %s", err, out)
		}
		time.Sleep(gaps[i%len(gaps)] * time.Millisecond)
	}
	if out, err := s.tmux("send-keys", "-t", s.name, "Enter"); err != nil {
		s.t.Fatalf("send-keys: %v: %s", err, out)
	}
}

// TestOverSSH runs the console through sshd, over a jittery link, with the
// terminal types a desk has: an xterm-compatible one and a Linux console.
func TestOverSSH(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	srv := startSSHD(t)
	for _, term := range []string{"xterm-256color", "linux"} {
		t.Run(term, func(t *testing.T) {
			link := startJitterLink(t, srv.addr, 40*time.Millisecond, 8)
			s := sshDesk(t, srv, link, term)
			// F1–F5 as this terminal sends them; F6 and up are the same.
			fkey := func(n int) {
				if term == "linux" && n <= 5 {
					s.raw("\x1b[[" + string(rune('A'+n-1)))
					return
				}
				s.keys(fmt.Sprintf("F%d", n))
			}
			s.waitForWithin(20*time.Second, "Поиск клиента", "ДЕМО")
			// The terminal type reached the console through sshd: a Linux
			// console gets the 16 ANSI colours, an xterm 256.
			styled, err := s.tmux("capture-pane", "-p", "-e", "-t", s.name)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(styled, "38;5;"); got != (term != "linux") {
				t.Errorf("TERM=%s: 256-colour sequences on screen: %v", term, got)
			}

			// Help, and Esc closes it.
			fkey(1)
			s.waitFor("Клавиши", "Esc или F1 — закрыть")
			s.keys("Escape")
			s.waitFor("Поиск клиента", "фамилия, телефон")

			// Fast typing of a phone number and Enter, bunched by the
			// link into twos and threes, is typing: the digits land in the
			// field, the search finds Новосёлов, Enter opens his card.
			// Taken for a scan it would look up a card "89165550010" and
			// find none.
			bunched := link.bunchedCount()
			link.setBatch(200 * time.Millisecond)
			s.typeFast("89165550010")
			s.waitFor("Карточка клиента: Новосёлов", "Нет действующего абонемента")
			link.setBatch(0)
			if link.bunchedCount() == bunched {
				t.Fatal("the link never bunched the typed keys: the test proved nothing")
			}
			if screen := s.capture(); strings.Contains(screen, "ни к кому не привязана") {
				t.Fatalf("typed digits were taken for a scan:\n%s", screen)
			}

			// Sale: arrows move, Esc goes back to the card.
			fkey(4)
			s.waitFor("Продажа абонемента", "Фильтр", "8 посещений")
			s.keys("Down", "Down", "Up")
			s.keys("Escape")
			s.waitFor("Карточка клиента: Новосёлов")
			s.keys("b")
			s.waitFor("Запись на занятие")
			s.keys("Escape")
			s.waitFor("Карточка клиента: Новосёлов")

			// Timetable and a roster; arrows, Enter, Esc.
			fkey(3)
			s.waitFor("Расписание", "Время", "Занятие")
			s.keys("Down", "Up", "Right", "Left")
			s.waitFor("(сегодня)")
			s.keys("Enter")
			s.waitFor("Список группы")
			fkey(5)
			s.waitFor("Список группы")
			s.keys("Escape")
			s.waitFor("Расписание")

			// The shift report; the search; a new client's form.
			fkey(6)
			s.waitFor("Отчёт за смену")
			fkey(2)
			s.waitFor("Поиск клиента")
			s.keys("C-n")
			s.waitFor("Новый клиент")
			s.keys("Escape")
			s.waitFor("Поиск клиента")

			// A reader's burst, held by the link and delivered in one
			// write, so in one read at the far end: the card opens, and
			// the digits never reach the field.
			link.setBatch(300 * time.Millisecond)
			s.scan("0052611384")
			s.waitFor("Карточка клиента: Пустовойт", "СТОП")
			link.setBatch(0)
			s.keys("Escape")
			s.waitFor("Поиск клиента", "фамилия, телефон")

			// The debtor's card, paying the debt, topping up.
			s.scan("0021478305")
			s.waitFor("Карточка клиента: Должиков", "Долг: 2 500 ₽")
			s.keys("p")
			s.waitFor("Оплата долга")
			s.keys("Escape")
			s.waitFor("Карточка клиента: Должиков")
			s.keys("d")
			s.waitFor("Пополнение депозита")
			s.keys("Escape")
			s.waitFor("Карточка клиента: Должиков")

			// A card nobody holds: the screen that offers to bind it.
			s.scan("0099887766")
			s.waitFor("Неизвестная карта", "ни к кому не привязана")
			s.keys("Escape")

			s.keys("F10")
			t.Logf("the link bunched keystrokes %d times", link.bunchedCount())
		})
	}
}

func (j *jitterLink) bunchedCount() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.bunched
}

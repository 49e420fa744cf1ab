package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/providers/luckyfit/luckyfittest"
	"github.com/creack/pty"
)

// ptyDesk runs the built console on a pseudo-terminal of its own, with no
// terminal emulator in between, and records every byte it writes: what an
// SSH session would carry to the receptionist's screen.
type ptyDesk struct {
	t    testing.TB
	cmd  *exec.Cmd
	tty  *os.File
	done chan struct{}

	mu  sync.Mutex
	out bytes.Buffer
	// last is when the console last wrote anything.
	last time.Time
}

// startPty starts bin with env on a cols x rows pty. The console's
// terminal queries (background colour, cursor position) go unanswered, as
// they may over a slow link; it must cope.
func startPty(t testing.TB, bin string, env []string, cols, rows int, args ...string) *ptyDesk {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)})
	if err != nil {
		t.Fatalf("start on a pty: %v", err)
	}
	d := &ptyDesk{t: t, cmd: cmd, tty: tty, done: make(chan struct{}), last: time.Now()}
	go func() {
		defer close(d.done)
		buf := make([]byte, 32<<10)
		for {
			n, err := tty.Read(buf)
			if n > 0 {
				d.mu.Lock()
				d.out.Write(buf[:n])
				d.last = time.Now()
				d.mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(d.stop)
	return d
}

func (d *ptyDesk) stop() {
	if d.cmd.ProcessState == nil {
		d.cmd.Process.Kill()
		d.cmd.Wait()
	}
	d.tty.Close()
	<-d.done
}

// written is how many bytes the console has written so far.
func (d *ptyDesk) written() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.out.Len()
}

// since is what the console wrote after mark bytes.
func (d *ptyDesk) since(mark int) []byte {
	d.mu.Lock()
	defer d.mu.Unlock()
	return bytes.Clone(d.out.Bytes()[mark:])
}

// send writes input as the terminal would: keys, or a whole burst at once.
func (d *ptyDesk) send(s string) {
	d.t.Helper()
	if _, err := d.tty.WriteString(s); err != nil {
		d.t.Fatalf("write to the pty: %v", err)
	}
}

// waitOutput waits until the output after mark contains every part.
func (d *ptyDesk) waitOutput(mark int, parts ...string) {
	d.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		out := string(d.since(mark))
		missing := ""
		for _, p := range parts {
			if !strings.Contains(out, p) {
				missing = p
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("waited 10s for %q in the console's output; it wrote %d bytes: %q", missing, len(out), tail(out, 2000))
		}
		time.Sleep(time.Millisecond) // fine enough for the first-frame figure
	}
}

// settle waits until the console wrote something after mark and then has
// been quiet for quiet: the frame a key caused is complete. The renderer
// flushes at most once a frame (about 16 ms), so 60 ms of silence means it
// has nothing left to say.
func (d *ptyDesk) settle(mark int, quiet time.Duration) int {
	d.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		d.mu.Lock()
		n, last := d.out.Len(), d.last
		d.mu.Unlock()
		if n > mark && time.Since(last) >= quiet {
			return n
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("the console wrote nothing within 10s")
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// vmRSS reads the console's resident set (and its peak) in KiB from
// /proc/PID/status.
func (d *ptyDesk) vmRSS() (rss, peak int) {
	d.t.Helper()
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(d.cmd.Process.Pid) + "/status")
	if err != nil {
		d.t.Fatalf("read the console's status: %v", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "VmRSS:":
			rss, _ = strconv.Atoi(f[1])
		case "VmHWM:":
			peak, _ = strconv.Atoi(f[1])
		}
	}
	return rss, peak
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

// Keys as an xterm sends them.
const (
	keyDown  = "\x1b[B"
	keyUp    = "\x1b[A"
	keyEnter = "\r"
	keyEsc   = "\x1b"
	keyF2    = "\x1bOQ"
	keyF3    = "\x1bOR"
)

// fullRedraw is what the renderer writes to repaint the whole screen:
// cursor home, erase the display.
const fullRedraw = "\x1b[2J"

// searchTable opens the console on a pty tall enough for a 20-row table of
// search results (80x27: header, search field, status, table head, 20 rows,
// help and status lines) and fills it with 50 clients.
func searchTable(tb testing.TB) *ptyDesk {
	tb.Helper()
	d := startPty(tb, buildBinary(tb), deskEnv(tb, ""), 80, 27)
	d.waitOutput(0, "Поиск клиента")
	mark := d.written()
	for _, r := range "ан" {
		d.send(string(r))
		time.Sleep(60 * time.Millisecond) // slower than a reader: typing
	}
	d.waitOutput(mark, "Найдено: 50")
	d.settle(mark, 200*time.Millisecond)
	return d
}

// move sends one arrow and returns what the console wrote for it.
func (d *ptyDesk) move(key string) []byte {
	d.t.Helper()
	mark := d.written()
	d.send(key)
	d.settle(mark, 60*time.Millisecond)
	return d.since(mark)
}

// bounce is the i-th move of a walk down the 50 results and back up, so
// that every kind of move comes up: within the page and scrolling.
func bounce(i int) string {
	if i%98 < 49 {
		return keyDown
	}
	return keyUp
}

// TestFullRedrawOnlyOnResize: moving the selection in a 20-row table
// writes only the rows that changed (at most 2 KB, never a full redraw),
// even when the table scrolls; switching screens repaints no more than the
// screen; a resize repaints everything.
func TestFullRedrawOnlyOnResize(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	d := searchTable(t)
	largest := 0
	for i := range 60 {
		out := d.move(bounce(i))
		if bytes.Contains(out, []byte(fullRedraw)) {
			t.Fatalf("move %d redrew the whole screen: %q", i, out)
		}
		largest = max(largest, len(out))
	}
	if largest > 2048 {
		t.Errorf("a selection move wrote %d bytes, want at most 2 KB", largest)
	}
	mark := d.written()
	d.send(keyF3)
	d.waitOutput(mark, "Расписание")
	d.settle(mark, 200*time.Millisecond)
	if out := d.since(mark); bytes.Contains(out, []byte(fullRedraw)) {
		t.Errorf("switching to the timetable redrew the whole screen (%d bytes)", len(out))
	}
	mark = d.written()
	if err := pty.Setsize(d.tty, &pty.Winsize{Cols: 100, Rows: 30}); err != nil {
		t.Fatal(err)
	}
	d.settle(mark, 200*time.Millisecond)
	if out := d.since(mark); !bytes.Contains(out, []byte(fullRedraw)) {
		t.Errorf("a resize did not repaint the screen: %q", tail(string(out), 300))
	}
}

// BenchmarkBytesPerSelectionMove is target 4: bytes written to the
// terminal per arrow key in a 20-row table (search results), through a
// real pty, walking down 50 rows and back so that scrolling moves count.
// It also reports the largest move, what the console writes when left
// alone, and what a resize (the one full redraw) costs, for comparison.
func BenchmarkBytesPerSelectionMove(b *testing.B) {
	d := searchTable(b)
	total, largest, redraws := 0, 0, 0
	b.ResetTimer()
	for i := range b.N {
		out := d.move(bounce(i))
		total += len(out)
		largest = max(largest, len(out))
		if bytes.Contains(out, []byte(fullRedraw)) {
			redraws++
		}
	}
	b.StopTimer()
	// Left alone, the console should write nothing (no blinking cursor,
	// no spinner); the clock's minute tick may fall in the window.
	mark := d.written()
	time.Sleep(2 * time.Second)
	idle := d.written() - mark
	mark = d.written()
	if err := pty.Setsize(d.tty, &pty.Winsize{Cols: 80, Rows: 28}); err != nil {
		b.Fatal(err)
	}
	resize := d.settle(mark, 200*time.Millisecond) - mark
	b.ReportMetric(float64(total)/float64(b.N), "bytes/move")
	b.ReportMetric(float64(largest), "max-bytes/move")
	b.ReportMetric(float64(redraws), "full-redraws")
	b.ReportMetric(float64(resize), "bytes/resize")
	b.ReportMetric(float64(idle)/2, "idle-bytes/s")
}

// BenchmarkFirstFrame is target 3 for the whole program: from exec to the
// first frame's text on the pty, on the demo club (generated at start), and
// on LuckyFit answering every request 2 s late: the first screen does not
// wait for the network.
func BenchmarkFirstFrame(b *testing.B) {
	bin := buildBinary(b)
	b.Run("demo", func(b *testing.B) {
		env := deskEnv(b, "")
		for range b.N {
			d := startPty(b, bin, env, 80, 24)
			d.waitOutput(0, "Поиск клиента")
			b.StopTimer()
			d.stop()
			b.StartTimer()
		}
	})
	b.Run("luckyfit-2s", func(b *testing.B) {
		const key = "lf-first-frame"
		lf := luckyfittest.NewServer(key, nil)
		b.Cleanup(lf.Close)
		lf.SetLatency(2 * time.Second)
		env := deskEnv(b, luckyFitConfig(lf.URL), "CLUBDESK_LUCKYFIT_API_KEY="+key)
		for range b.N {
			d := startPty(b, bin, env, 80, 24)
			d.waitOutput(0, "Поиск клиента", "LuckyFit")
			b.StopTimer()
			d.stop()
			b.StartTimer()
		}
	})
}

// TestFirstFrameDoesNotWaitForTheCRM: with a CRM that takes a minute to
// answer anything, the console's first screen is there, ready for typing.
func TestFirstFrameDoesNotWaitForTheCRM(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	const key = "lf-slow"
	lf := luckyfittest.NewServer(key, nil)
	defer lf.Close()
	lf.SetLatency(time.Minute)
	d := startPty(t, buildBinary(t), deskEnv(t, luckyFitConfig(lf.URL), "CLUBDESK_LUCKYFIT_API_KEY="+key), 80, 24)
	d.waitOutput(0, "Поиск клиента", "LuckyFit", "Начните вводить")
	d.stop()
}

// luckyFitConfig is a profile on a local LuckyFit.
func luckyFitConfig(url string) string {
	return `profile = "club"
language = "ru"
[profiles.club]
provider = "luckyfit"
base_url = "` + url + `/api"
branch = "1"
point_name = "Reception 1"
timezone = "Europe/Moscow"
`
}

// BenchmarkRSS is target 5: the console's resident memory with the demo
// club at 10,000 clients after a search, the day's timetable, a roster and
// a card, read from /proc/PID/status (VmRSS now, VmHWM the peak).
func BenchmarkRSS(b *testing.B) {
	bin := buildBinary(b)
	env := deskEnv(b, "profile = \"demo\"\n[profiles.demo]\nprovider = \"demo\"\n[demo]\nclients = 10000\n")
	var rss, peak int
	for range b.N {
		d := startPty(b, bin, env, 80, 24)
		d.waitOutput(0, "Поиск клиента")
		mark := d.written()
		for _, r := range "ан" {
			d.send(string(r))
			time.Sleep(60 * time.Millisecond)
		}
		d.waitOutput(mark, "Найдено")
		mark = d.written()
		d.send(keyF3)
		d.waitOutput(mark, "Расписание", "Занятие")
		d.settle(mark, 100*time.Millisecond)
		mark = d.written()
		d.send(keyEnter)
		d.waitOutput(mark, "Список группы")
		d.settle(mark, 100*time.Millisecond)
		mark = d.written()
		d.send("0040856634" + keyEnter) // a reader's burst in one write
		d.waitOutput(mark, "Зеленина")
		d.settle(mark, 300*time.Millisecond)
		r, p := d.vmRSS()
		rss, peak = max(rss, r), max(peak, p)
		d.stop()
	}
	b.ReportMetric(float64(rss)/1024, "RSS-MB")
	b.ReportMetric(float64(peak)/1024, "peak-RSS-MB")
}

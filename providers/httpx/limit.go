package httpx

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// window enforces documented request rates as sliding windows — "5 a
// second and 200 a minute" means no second and no minute ever holds more —
// which a token bucket does not promise (its burst refills while it is
// spent). With a file, every desk on this machine counts in the same
// window: receptionists in SSH sessions on the club's workstation share
// one address, and the CRM counts per address.
//
// The CRM counts on its own clock, when a request reaches it, and that is
// somewhere between the moment the desk sent it and the moment its answer
// came back. Counting a request at its sending alone let two desks put six
// requests into 998 ms of YCLIENTS' clock: the first of them had spent
// longer on the way (a new connection) than the sixth. So a request counts
// as "now" while it is in flight, and from its answer once answered; a new
// one waits until no window, widened by its limit's margin, holds N of
// them. The server then sees at most N in any window, whatever the line's
// delays.
type window struct {
	limits []Limit
	file   string
	log    *slog.Logger

	mu   sync.Mutex
	sent []mark // this process's requests, when there is no file
}

// mark is one request counted in the window: at is when it was sent while
// it is in flight (flight != 0), when it was answered after.
type mark struct {
	at     time.Time
	flight int64
}

// maxFlight is how long a request counts as in flight at most: a desk
// killed mid-request never says it was answered, and its mark must not
// hold a place in the window for ever. Far above any attempt's timeout.
const maxFlight = 2 * time.Minute

// inflightPoll is how soon a request that waits for requests in flight asks
// again: their answers, not a clock, end the wait.
const inflightPoll = 20 * time.Millisecond

func newWindow(limits []Limit, file string, log *slog.Logger) *window {
	var ls []Limit
	for _, l := range limits {
		if l.N > 0 && l.Per > 0 {
			ls = append(ls, l)
		}
	}
	if len(ls) == 0 {
		return nil
	}
	return &window{limits: ls, file: file, log: log}
}

// flightKey carries a request's place in the window from the hook that
// reserved it to the transport that sees its answer.
type flightKey struct{}

// flight is a request's reservation; used is set once the transport has
// sent it, so a redirect the client follows is counted as a request of its
// own.
type flight struct {
	id   int64
	used bool
}

// wait blocks until a request may go, and counts it as in flight; the id
// names it for answered.
func (w *window) wait(ctx context.Context) (int64, error) {
	id := newFlightID()
	for {
		d := w.reserve(time.Now(), id)
		if d <= 0 {
			return id, nil
		}
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return 0, fmt.Errorf("wait for the rate limit: %w", ctx.Err())
		}
	}
}

func newFlightID() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.LittleEndian.Uint64(b[:])>>1) | 1 // positive, never 0
}

// reserve counts a request sent now as in flight and returns 0, or says
// how long to wait before asking again.
func (w *window) reserve(now time.Time, id int64) time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.file != "" {
		var d time.Duration
		err := w.shared(func(ms []mark) []mark {
			ms = w.prune(ms, now)
			if d = delay(ms, now, w.limits); d == 0 {
				ms = append(ms, mark{at: now, flight: id})
			}
			return ms
		})
		if err == nil {
			return d
		}
		// A file that cannot be shared still leaves this desk within the
		// limits on its own.
		w.log.Warn("shared rate limit unavailable; counting this desk alone", "file", w.file, "err", err)
		w.file = ""
	}
	w.sent = w.prune(w.sent, now)
	d := delay(w.sent, now, w.limits)
	if d == 0 {
		w.sent = append(w.sent, mark{at: now, flight: id})
	}
	return d
}

// answered moves a request's mark from its sending to its answer: the last
// moment it can have reached the server.
func (w *window) answered(id int64, at time.Time) {
	land := func(ms []mark) []mark {
		for i := range ms {
			if ms[i].flight == id {
				ms[i] = mark{at: at}
			}
		}
		return ms
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.file != "" {
		if err := w.shared(land); err == nil {
			return
		}
		w.file = ""
	}
	w.sent = land(w.sent)
}

// longest is the widest window with its margin, beyond which nothing
// counts.
func (w *window) longest() time.Duration {
	var p time.Duration
	for _, l := range w.limits {
		p = max(p, l.Per+l.Margin)
	}
	return p
}

// prune drops the marks no window holds any more, and lets a mark that has
// been in flight for longer than any request lasts land where it was sent.
func (w *window) prune(ms []mark, now time.Time) []mark {
	cut := now.Add(-w.longest())
	out := ms[:0]
	for _, m := range ms {
		if m.flight != 0 && now.Sub(m.at) > maxFlight {
			m = mark{at: m.at.Add(maxFlight)}
		}
		if m.flight != 0 || m.at.After(cut) {
			out = append(out, m)
		}
	}
	return out
}

// delay is how long until a request may be sent after the ones in ms: for
// each limit, the N-th most recent must have left its window (Per, widened
// by the limit's Margin). A request in flight counts as now; when one is
// what holds the window, the wait is short and asked again, since its
// answer, not the clock, frees the place.
func delay(ms []mark, now time.Time, limits []Limit) time.Duration {
	times := make([]time.Time, 0, len(ms))
	inflight := false
	for _, m := range ms {
		at := m.at
		if m.flight != 0 {
			at, inflight = now, true
		}
		times = append(times, at)
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	var d time.Duration
	for _, l := range limits {
		per := l.Per + l.Margin
		from := now.Add(-per)
		i, _ := slices.BinarySearchFunc(times, from, func(a, b time.Time) int { return a.Compare(b) })
		in := times[i:]
		if len(in) >= l.N {
			d = max(d, in[len(in)-l.N].Add(per).Sub(now))
		}
	}
	if d < 0 {
		return 0
	}
	if inflight && d > inflightPoll {
		return inflightPoll
	}
	return d
}

// shared runs f over the window kept in the file, under an exclusive lock,
// and writes back what it returns: one line per request, in Unix
// nanoseconds, followed by the request's flight id while it is in flight
// (a desk of an older version writes the time alone, which is read as
// answered then).
func (w *window) shared(f func([]mark) []mark) error {
	mode := LimitFileMode(filepath.Dir(w.file))
	fh, err := os.OpenFile(w.file, os.O_RDWR|os.O_CREATE, mode)
	if err != nil {
		return err
	}
	defer fh.Close()
	if st, err := fh.Stat(); err == nil && st.Mode().Perm() != mode {
		// The umask took the group's write away, or the file is older
		// than the folder's sharing: set it right. Only the owner can, and
		// any other desk finds it right already.
		_ = fh.Chmod(mode)
	}
	if err := lock(fh); err != nil {
		return err
	}
	defer unlock(fh)
	var ms []mark
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		at, id, _ := strings.Cut(string(bytes.TrimSpace(sc.Bytes())), " ")
		ns, err := strconv.ParseInt(at, 10, 64)
		if err != nil {
			continue
		}
		m := mark{at: time.Unix(0, ns)}
		if id != "" {
			m.flight, _ = strconv.ParseInt(id, 10, 64)
		}
		ms = append(ms, m)
	}
	ms = f(ms)
	var b bytes.Buffer
	for _, m := range ms {
		b.WriteString(strconv.FormatInt(m.at.UnixNano(), 10))
		if m.flight != 0 {
			b.WriteString(" " + strconv.FormatInt(m.flight, 10))
		}
		b.WriteByte('\n')
	}
	if err := fh.Truncate(0); err != nil {
		return err
	}
	_, err = fh.WriteAt(b.Bytes(), 0)
	return err
}

// counted is the transport under a rate-limited client: it sees when each
// request's answer arrives and lands the request's mark there.
type counted struct {
	next http.RoundTripper
	w    *window
}

// RoundTrip implements http.RoundTripper.
func (c counted) RoundTrip(req *http.Request) (*http.Response, error) {
	f, _ := req.Context().Value(flightKey{}).(*flight)
	switch {
	case f == nil:
		// Not reserved by the client's hook (it always is): count it here.
		id, err := c.w.wait(req.Context())
		if err != nil {
			return nil, err
		}
		f = &flight{id: id}
	case f.used:
		// A redirect the client follows is one more request to the server.
		id, err := c.w.wait(req.Context())
		if err != nil {
			return nil, err
		}
		f = &flight{id: id}
	}
	f.used = true
	resp, err := c.next.RoundTrip(req)
	c.w.answered(f.id, time.Now())
	return resp, err
}

// LimitFileMode is the mode of the shared request counter in dir: 0660
// when dir is a folder the desk users' group shares (group-writable, as
// config.SharedStateDir documents it), so that every receptionist's
// console counts in it; 0600 in a user's own state folder.
func LimitFileMode(dir string) os.FileMode {
	if st, err := os.Stat(dir); err == nil && st.IsDir() && st.Mode().Perm()&0o070 == 0o070 {
		return 0o660
	}
	return 0o600
}

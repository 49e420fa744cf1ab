package httpx

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"
)

// window enforces documented request rates as sliding windows — "5 a
// second and 200 a minute" means no second and no minute ever holds more —
// which a token bucket does not promise (its burst refills while it is
// spent). With a file, every desk on this machine counts in the same
// window: receptionists in SSH sessions on the club's workstation share
// one address, and the CRM counts per address.
type window struct {
	limits []Limit
	file   string
	log    *slog.Logger

	mu   sync.Mutex
	sent []time.Time // this process's requests, when there is no file
}

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

// wait blocks until a request may go, and counts it.
func (w *window) wait(ctx context.Context) error {
	for {
		d := w.reserve(time.Now())
		if d <= 0 {
			return nil
		}
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("wait for the rate limit: %w", ctx.Err())
		}
	}
}

// reserve counts a request sent now and returns 0, or says how long to
// wait before asking again.
func (w *window) reserve(now time.Time) time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.file != "" {
		d, err := w.reserveShared(now)
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
		w.sent = append(w.sent, now)
	}
	return d
}

// longest is the widest window, beyond which nothing counts.
func (w *window) longest() time.Duration {
	var p time.Duration
	for _, l := range w.limits {
		p = max(p, l.Per)
	}
	return p
}

func (w *window) prune(sent []time.Time, now time.Time) []time.Time {
	cut := now.Add(-w.longest())
	i, _ := slices.BinarySearchFunc(sent, cut, func(a, b time.Time) int { return a.Compare(b) })
	return slices.Delete(sent, 0, i)
}

// delay is how long until a request may be sent after the ones in sent
// (ascending): for each limit, the N-th most recent must have left its
// window.
func delay(sent []time.Time, now time.Time, limits []Limit) time.Duration {
	var d time.Duration
	for _, l := range limits {
		from := now.Add(-l.Per)
		i, _ := slices.BinarySearchFunc(sent, from, func(a, b time.Time) int { return a.Compare(b) })
		in := sent[i:]
		if len(in) >= l.N {
			d = max(d, in[len(in)-l.N].Add(l.Per).Sub(now))
		}
	}
	if d < 0 {
		return 0
	}
	return d
}

// reserveShared does reserve's work in the file, under an exclusive lock:
// one line per request sent, in Unix nanoseconds.
func (w *window) reserveShared(now time.Time) (time.Duration, error) {
	mode := LimitFileMode(filepath.Dir(w.file))
	f, err := os.OpenFile(w.file, os.O_RDWR|os.O_CREATE, mode)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().Perm() != mode {
		// The umask took the group's write away, or the file is older
		// than the folder's sharing: set it right. Only the owner can, and
		// any other desk finds it right already.
		_ = f.Chmod(mode)
	}
	if err := lock(f); err != nil {
		return 0, err
	}
	defer unlock(f)
	var sent []time.Time
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if ns, err := strconv.ParseInt(string(bytes.TrimSpace(sc.Bytes())), 10, 64); err == nil {
			sent = append(sent, time.Unix(0, ns))
		}
	}
	slices.SortFunc(sent, func(a, b time.Time) int { return a.Compare(b) })
	sent = w.prune(sent, now)
	d := delay(sent, now, w.limits)
	if d > 0 {
		return d, nil
	}
	sent = append(sent, now)
	var b bytes.Buffer
	for _, t := range sent {
		b.WriteString(strconv.FormatInt(t.UnixNano(), 10) + "\n")
	}
	if err := f.Truncate(0); err != nil {
		return 0, err
	}
	if _, err := f.WriteAt(b.Bytes(), 0); err != nil {
		return 0, err
	}
	return 0, nil
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

package httpx

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestDelayKeepsEveryWindowWithinItsLimit(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	at := func(ms ...int) []mark {
		var out []mark
		for _, m := range ms {
			out = append(out, mark{at: t0.Add(time.Duration(m) * time.Millisecond)})
		}
		return out
	}
	yclients := []Limit{{N: 5, Per: time.Second}, {N: 200, Per: time.Minute}}
	cases := []struct {
		sent []mark
		now  int
		want time.Duration
	}{
		{nil, 0, 0},
		{at(0, 10, 20, 30), 40, 0},
		{at(0, 10, 20, 30, 40), 50, 950 * time.Millisecond}, // the 6th waits for the 1st to leave the second
		{at(0, 10, 20, 30, 40), 1000, 0},
		{at(0, 500, 600, 700, 800), 900, 100 * time.Millisecond},
	}
	for _, c := range cases {
		if got := delay(c.sent, t0.Add(time.Duration(c.now)*time.Millisecond), yclients); got != c.want {
			t.Errorf("sent %v, now +%dms: delay %v, want %v", len(c.sent), c.now, got, c.want)
		}
	}
	// The minute's limit: 200 spread over 50 s leave the 201st waiting 10 s.
	var minute []mark
	for i := range 200 {
		minute = append(minute, mark{at: t0.Add(time.Duration(i) * 250 * time.Millisecond)})
	}
	if got := delay(minute, t0.Add(50*time.Second), yclients); got != 10*time.Second {
		t.Errorf("the 201st request in a minute waits %v, want 10s", got)
	}
}

func TestDesksOnOneMachineShareTheWindow(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1) }))
	t.Cleanup(srv.Close)
	file := filepath.Join(t.TempDir(), "ratelimit-crm")
	limits := []Limit{{N: 3, Per: 300 * time.Millisecond}}
	desk1 := New(Config{Name: "CRM", BaseURL: srv.URL, Limits: limits, LimitFile: file})
	desk2 := New(Config{Name: "CRM", BaseURL: srv.URL, Limits: limits, LimitFile: file})
	start := time.Now()
	for i := range 6 {
		desk := desk1
		if i%2 == 1 {
			desk = desk2
		}
		if _, err := desk.Read.R().Get("/x"); err != nil {
			t.Fatal(err)
		}
	}
	// Alone, each desk sent 3: within its own limit. Together they sent 6,
	// so the second three waited for the window: a lower bound only.
	if took := time.Since(start); took < 290*time.Millisecond || n.Load() != 6 {
		t.Fatalf("6 requests from two desks at 3 per 300 ms took %v (%d arrived)", took, n.Load())
	}
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("the shared window file: %v %v", st, err)
	}
}

// slowPath delays the requests to /slow on their way to the server, as a
// new connection (TLS over a poor line) does: the request leaves the desk
// long before the server sees it.
type slowPath struct{ next http.RoundTripper }

func (s slowPath) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == "/slow" {
		time.Sleep(200 * time.Millisecond)
	}
	return s.next.RoundTrip(r)
}

// TestTwoDesksNeverCrowdTheServersSecond models two desks on one machine
// sharing the window, one of whose requests spends 200 ms on the way. The
// server records when each request reaches it; no window of its clock may
// hold more than N. Counting requests when they left the desk let six
// arrive within one window (YCLIENTS saw 6 in 998 ms).
func TestTwoDesksNeverCrowdTheServersSecond(t *testing.T) {
	var mu sync.Mutex
	var arrived []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrived = append(arrived, time.Now())
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	file := filepath.Join(t.TempDir(), "ratelimit-crm")
	per := 300 * time.Millisecond
	limits := []Limit{{N: 5, Per: per}}
	tr := slowPath{next: http.DefaultTransport}
	desk1 := New(Config{Name: "CRM", BaseURL: srv.URL, Limits: limits, LimitFile: file, Transport: tr})
	desk2 := New(Config{Name: "CRM", BaseURL: srv.URL, Limits: limits, LimitFile: file, Transport: tr})
	var wg sync.WaitGroup
	get := func(c *Client, path string) {
		defer wg.Done()
		if _, err := c.Read.R().Get(path); err != nil {
			t.Error(err)
		}
	}
	wg.Add(1)
	go get(desk1, "/slow")
	time.Sleep(30 * time.Millisecond) // the slow one has its place first
	for i := range 9 {
		desk := desk1
		if i%2 == 0 {
			desk = desk2
		}
		wg.Add(1)
		go get(desk, "/x")
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(arrived) != 10 {
		t.Fatalf("%d requests arrived", len(arrived))
	}
	slices.SortFunc(arrived, func(a, b time.Time) int { return a.Compare(b) })
	for i, at := range arrived {
		n := 0
		for _, b := range arrived[i:] {
			if b.Sub(at) < per {
				n++
			}
		}
		if n > 5 {
			t.Fatalf("the server saw %d requests within %v from its %d-th: %v", n, per, i+1, offsets(arrived))
		}
	}
}

func offsets(ts []time.Time) []time.Duration {
	var out []time.Duration
	for _, t := range ts {
		out = append(out, t.Sub(ts[0]).Round(time.Millisecond))
	}
	return out
}

// The margin widens what the desk keeps: N per Per+Margin.
func TestTheMarginWidensTheWindow(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	var sent []mark
	for i := range 5 {
		sent = append(sent, mark{at: t0.Add(time.Duration(i) * 10 * time.Millisecond)})
	}
	l := []Limit{{N: 5, Per: time.Second, Margin: 100 * time.Millisecond}}
	if got := delay(sent, t0.Add(time.Second), l); got != 100*time.Millisecond {
		t.Fatalf("with a margin the 6th waits %v, want 100ms", got)
	}
	// A request in flight holds its place until answered: the wait is
	// asked again soon, not sat out for a whole window.
	sent[4].flight = 7
	if got := delay(sent, t0.Add(2*time.Second), l); got != 0 {
		t.Fatalf("one in flight of five: delay %v", got)
	}
	two := []Limit{{N: 2, Per: time.Second, Margin: 100 * time.Millisecond}}
	held := []mark{{at: t0.Add(1900 * time.Millisecond)}, {at: t0, flight: 9}}
	if got := delay(held, t0.Add(2*time.Second), two); got <= 0 || got > inflightPoll {
		t.Fatalf("a window held by one in flight: delay %v", got)
	}
}

// A desk killed mid-request never says it was answered: its mark lands
// where it was sent once no request can last that long, and a file written
// by an older desk (times alone) is still read.
func TestAMarkNeverAnsweredDoesNotHoldItsPlace(t *testing.T) {
	w := newWindow([]Limit{{N: 1, Per: time.Second}}, filepath.Join(t.TempDir(), "rl"), slog.New(slog.DiscardHandler))
	now := time.Now()
	old := now.Add(-maxFlight - time.Second)
	if err := os.WriteFile(w.file, []byte(strconv.FormatInt(old.UnixNano(), 10)+" 42\n"+
		strconv.FormatInt(now.Add(-2*time.Second).UnixNano(), 10)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if d := w.reserve(now, 5); d != 0 {
		t.Fatalf("a dead desk's request still holds the window: %v", d)
	}
	if d := w.reserve(now, 6); d <= 0 {
		t.Fatal("the second request of the second went at once")
	}
	w.answered(5, now)
	data, _ := os.ReadFile(w.file)
	if strings.Contains(string(data), " 5\n") || strings.Contains(string(data), " 42") {
		t.Fatalf("the file still holds answered or dead flights:\n%s", data)
	}
}

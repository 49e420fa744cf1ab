package httpx

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

func TestDelayKeepsEveryWindowWithinItsLimit(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	at := func(ms ...int) []time.Time {
		var out []time.Time
		for _, m := range ms {
			out = append(out, t0.Add(time.Duration(m)*time.Millisecond))
		}
		return out
	}
	yclients := []Limit{{N: 5, Per: time.Second}, {N: 200, Per: time.Minute}}
	cases := []struct {
		sent []time.Time
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
	var minute []time.Time
	for i := range 200 {
		minute = append(minute, t0.Add(time.Duration(i)*250*time.Millisecond))
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

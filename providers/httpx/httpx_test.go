package httpx

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/providers"
)

func server(t *testing.T, h http.HandlerFunc) (*Client, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return New(Config{Name: "CRM", BaseURL: srv.URL, RetryWait: time.Millisecond, Timeout: time.Second}), &n
}

func TestReadsRetryOnTransientStatuses(t *testing.T) {
	for _, status := range []int{429, 502, 503, 504} {
		c, n := server(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) })
		resp, err := c.Read.R().Get("/x")
		if err != nil || resp.StatusCode() != status || n.Load() != 1+DefaultRetries {
			t.Errorf("%d: %d attempts, err %v", status, n.Load(), err)
		}
	}
	c, n := server(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) })
	if _, err := c.Read.R().Get("/x"); err != nil || n.Load() != 1 {
		t.Errorf("a 500 is an answer, not a blip: %d attempts", n.Load())
	}
}

func TestWritesAreNeverRetried(t *testing.T) {
	c, n := server(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) })
	if _, err := c.Write.R().SetBody(`{}`).Post("/pay"); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 1 {
		t.Fatalf("a write went out %d times", n.Load())
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	first := true
	var gap time.Duration
	var at time.Time
	c, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		if first {
			first, at = false, time.Now()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(429)
			return
		}
		gap = time.Since(at)
	})
	if _, err := c.Read.R().Get("/x"); err != nil {
		t.Fatal(err)
	}
	if gap < 900*time.Millisecond {
		t.Fatalf("retried after %v despite Retry-After: 1", gap)
	}
}

func TestTransportErrorsForWrites(t *testing.T) {
	c := New(Config{Name: "CRM", BaseURL: "http://127.0.0.1:1", RetryWait: time.Millisecond})
	_, err := c.Write.R().Post("/pay")
	if got := c.TransportError("pay", true, err); !errors.Is(got, providers.ErrUnavailable) {
		t.Fatalf("a refused connection never sent the write: %v", got)
	}
	// A connection dropped after the request was sent: outcome unknown.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err == nil {
			io.ReadAll(io.LimitReader(conn, 10))
			conn.Close()
		}
	}()
	c = New(Config{Name: "CRM", BaseURL: "http://" + ln.Addr().String()})
	_, err = c.Write.R().SetBody(`{"summ":1}`).Post("/pay")
	got := c.TransportError("pay", true, err)
	if !errors.Is(got, providers.ErrOutcomeUnknown) {
		t.Fatalf("dropped write: %v", got)
	}
	if got := c.TransportError("read", false, err); !errors.Is(got, providers.ErrUnavailable) {
		t.Fatalf("dropped read: %v", got)
	}
	if got := c.TransportError("read", false, context.Canceled); !errors.Is(got, context.Canceled) {
		t.Fatalf("cancelled: %v", got)
	}
}

func TestStatusErrors(t *testing.T) {
	c := New(Config{Name: "CRM"})
	cases := []struct {
		status int
		write  bool
		want   error
	}{
		{401, false, providers.ErrUnauthorized}, {403, true, providers.ErrUnauthorized},
		{404, false, providers.ErrNotFound}, {422, true, providers.ErrValidation},
		{429, false, providers.ErrRateLimited}, {500, false, providers.ErrUnavailable},
		{500, true, providers.ErrOutcomeUnknown}, {502, true, providers.ErrOutcomeUnknown},
	}
	for _, tc := range cases {
		h := http.Header{"Retry-After": {"7"}}
		err := c.StatusError("op", tc.write, tc.status, h, "")
		if !errors.Is(err, tc.want) {
			t.Errorf("%d write=%v: %v", tc.status, tc.write, err)
		}
		var pe *providers.Error
		if tc.status == 429 && (!errors.As(err, &pe) || pe.RetryAfter != 7*time.Second) {
			t.Errorf("429 lost Retry-After: %v", err)
		}
	}
}

func TestBodyIsCapped(t *testing.T) {
	c, _ := server(t, func(w http.ResponseWriter, r *http.Request) { w.Write(make([]byte, 2<<20)) })
	c.Read.SetResponseBodyLimit(1 << 20)
	_, err := c.Read.R().Get("/x")
	if got := c.TransportError("read", false, err); !errors.Is(got, providers.ErrBadAnswer) || !errors.Is(got, providers.ErrAnswerTooLarge) || errors.Is(got, providers.ErrUnavailable) {
		t.Fatalf("oversized: %v", got)
	}
}

func TestLimitsSpaceRequestsAcrossReadsAndWrites(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1) }))
	t.Cleanup(srv.Close)
	c := New(Config{Name: "CRM", BaseURL: srv.URL, Timeout: time.Second,
		Limits: []Limit{{N: 2, Per: 200 * time.Millisecond}}})
	start := time.Now()
	for i := range 4 {
		client := c.Read
		if i%2 == 1 {
			client = c.Write
		}
		if _, err := client.R().Get("/x"); err != nil {
			t.Fatal(err)
		}
	}
	// Two go at once (the burst), the next two 100 ms apart each: only a
	// lower bound, which a slow machine cannot break.
	if took := time.Since(start); took < 190*time.Millisecond || n.Load() != 4 {
		t.Fatalf("4 requests at 2 per 200 ms took %v (%d reached the server)", took, n.Load())
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Read.R().SetContext(ctx).Get("/x"); err == nil {
		t.Fatal("a cancelled request waited for the limiter and went out")
	}
	if n.Load() != 4 {
		t.Fatalf("a cancelled request reached the server")
	}
}

func TestRedirectsToAnotherHostAreNotFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	t.Cleanup(other.Close)
	c, n := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/moved" {
			http.Redirect(w, r, "/here", http.StatusFound) // same host: followed
			return
		}
		if r.URL.Path == "/here" {
			return
		}
		http.Redirect(w, r, other.URL+"/steal?key=1", http.StatusFound)
	})
	if resp, err := c.Read.R().Get("/moved"); err != nil || resp.StatusCode() != 200 {
		t.Fatalf("a same-host redirect: %v", err)
	}
	_, err := c.Read.R().SetHeader("Api-Key", "k").Get("/x")
	mapped := c.TransportError("read", false, err)
	if !errors.Is(err, ErrRedirected) || elsewhere.Load() != 0 || !errors.Is(mapped, providers.ErrBadAnswer) || errors.Is(mapped, providers.ErrUnavailable) {
		t.Fatalf("err %v, mapped %v, %d requests reached the other host", err, mapped, elsewhere.Load())
	}
	if strings.Contains(mapped.Error(), "key=1") || n.Load() != 3 {
		t.Fatalf("message %q; %d requests (want 3: moved, here, x — the redirect is not retried)", mapped, n.Load())
	}
}

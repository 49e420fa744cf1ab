package httpx

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestReadsFromManyDesksReuseConnections: twenty desks of one service read
// at the same moment, three times over, then one writes. The first burst
// opens twenty connections; the later bursts and the write find them idle
// (resty's default kept three: the later bursts would open seventeen each,
// every one a TCP and TLS handshake against a real CRM).
func TestReadsFromManyDesksReuseConnections(t *testing.T) {
	const desks, bursts = 20, 3
	var opened atomic.Int32
	var mu sync.Mutex
	arrived := 0
	release := make(chan struct{})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			// Hold each burst's reads until all twenty are in flight, so
			// that each needs a connection of its own.
			mu.Lock()
			wait := release
			if arrived++; arrived == desks {
				close(release)
				arrived, release = 0, make(chan struct{})
			}
			mu.Unlock()
			select {
			case <-wait:
			case <-time.After(5 * time.Second):
				t.Error("a burst's reads never were all in flight")
			}
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c := New(Config{Name: "CRM", BaseURL: srv.URL, Timeout: 10 * time.Second})
	for burst := range bursts {
		var wg sync.WaitGroup
		for range desks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if resp, err := c.Read.R().Get("/clients"); err != nil || resp.StatusCode() != 200 {
					t.Errorf("a read: %v", err)
				}
			}()
		}
		wg.Wait()
		if n := opened.Load(); n != desks {
			t.Fatalf("after burst %d of %d reads at once: %d connections opened, want %d", burst+1, desks, n, desks)
		}
	}
	if _, err := c.Write.R().SetBody(`{}`).Post("/visits"); err != nil {
		t.Fatal(err)
	}
	if n := opened.Load(); n != desks {
		t.Fatalf("the write opened a connection of its own: %d opened", n)
	}
}

// Package httpxtest is the scripted end of the line that the provider
// adapters' own tests talk to. Each adapter's tests run a strict fake of its
// CRM — one that checks the documented headers and parameters and fails the
// test on a request the real CRM would not understand — and those checks stay
// with the adapter's tests. What every such fake needed besides, and each
// had written again, is here: routes keyed by "METHOD /path" answered from a
// handler, a fixture file or a canned status and body; the requests
// received, in the adapter's own request type, to read back by route; and
// reading a fixture from the package's testdata.
//
// It is for tests only: no package outside a _test.go file imports it.
package httpxtest

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// Script is a scripted server's routes and the requests it received. R is
// the request as the adapter's test records it (method, path and whatever
// else that adapter checks). It is safe for use from the server's handlers
// and the test at once.
type Script[R any] struct {
	t      testing.TB
	mu     sync.Mutex
	got    []received[R]
	routes map[string]func(http.ResponseWriter, R)
}

type received[R any] struct {
	route string
	req   R
}

// New is an empty script: every route is unanswered until one is set.
func New[R any](t testing.TB) *Script[R] {
	return &Script[R]{t: t, routes: map[string]func(http.ResponseWriter, R){}}
}

// Receive records r as a request of route ("METHOD /path") and returns the
// handler scripted for that route, nil when none is: the server then
// answers what its CRM answers for an unknown method.
func (s *Script[R]) Receive(route string, r R) func(http.ResponseWriter, R) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, received[R]{route, r})
	return s.routes[route]
}

// On answers route with h from now on.
func (s *Script[R]) On(route string, h func(w http.ResponseWriter, r R)) {
	s.mu.Lock()
	s.routes[route] = h
	s.mu.Unlock()
}

// Fixture answers route with the file testdata/<file>, read now.
func (s *Script[R]) Fixture(route, file string) {
	s.t.Helper()
	data := Fixture(s.t, file)
	s.On(route, func(w http.ResponseWriter, _ R) { w.Write(data) })
}

// Answer answers route with status and body.
func (s *Script[R]) Answer(route string, status int, body string) {
	s.On(route, func(w http.ResponseWriter, _ R) {
		w.WriteHeader(status)
		io.WriteString(w, body)
	})
}

// Called is the requests received for route, in the order they came.
func (s *Script[R]) Called(route string) []R {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []R
	for _, g := range s.got {
		if g.route == route {
			out = append(out, g.req)
		}
	}
	return out
}

// Total is how many requests were received, on any route.
func (s *Script[R]) Total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.got)
}

// Fixture is the content of testdata/<file> in the test's package; a file
// that cannot be read fails the test.
func Fixture(t testing.TB, file string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

package httpxtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"testing"
)

// Answer is one answer of the CRM behind a Rewrite proxy, to change
// before the adapter sees it.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// Rewrite starts a proxy on 127.0.0.1 in front of a test CRM (target, its
// URL) that hands every answer to rw before the adapter gets it: the
// doctor's deep-check tests break one assumption at a time this way (a
// field renamed, a date in another shape, a filter ignored, a web page)
// without touching the test CRM itself. rw sees the request as the CRM
// got it. The proxy is closed with the test.
func Rewrite(t testing.TB, target string, rw func(r *http.Request, a *Answer)) *httptest.Server {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := httputil.NewSingleHostReverseProxy(u)
	p.ModifyResponse = func(resp *http.Response) error {
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		a := &Answer{Status: resp.StatusCode, Header: resp.Header, Body: body}
		rw(resp.Request, a)
		resp.StatusCode, resp.Status = a.Status, strconv.Itoa(a.Status)+" "+http.StatusText(a.Status)
		resp.Header = a.Header
		resp.Body = io.NopCloser(bytes.NewReader(a.Body))
		resp.ContentLength = int64(len(a.Body))
		resp.Header.Set("Content-Length", strconv.Itoa(len(a.Body)))
		return nil
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return srv
}

// EditObjects applies fn to every JSON object of body, at any depth, and
// returns the body written again (numbers kept as they came). A body that
// is not JSON comes back as it was.
func EditObjects(body []byte, fn func(map[string]any)) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return body
	}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			fn(x)
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(v)
	out, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return out
}

// Rename is an EditObjects function that renames a key wherever it is.
func Rename(from, to string) func(map[string]any) {
	return func(o map[string]any) {
		if v, ok := o[from]; ok {
			delete(o, from)
			o[to] = v
		}
	}
}

package httpxtest

import (
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

type req struct{ Method, Path string }

func TestScriptRoutesAndRecords(t *testing.T) {
	s := New[req](t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route := s.Receive(r.Method+" "+r.URL.Path, req{r.Method, r.URL.Path})
		if route == nil {
			w.WriteHeader(http.StatusTeapot)
			return
		}
		route(w, req{r.Method, r.URL.Path})
	}))
	t.Cleanup(srv.Close)
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, _ := get("/none"); code != http.StatusTeapot {
		t.Fatalf("an unscripted route answered %d", code)
	}
	s.Answer("GET /a", http.StatusAccepted, "accepted")
	s.On("GET /b", func(w http.ResponseWriter, r req) { io.WriteString(w, "b:"+r.Path) })
	if code, body := get("/a"); code != http.StatusAccepted || body != "accepted" {
		t.Fatalf("GET /a: %d %q", code, body)
	}
	get("/b")
	if code, body := get("/b"); code != http.StatusOK || body != "b:/b" {
		t.Fatalf("GET /b: %d %q", code, body)
	}
	if got := s.Called("GET /b"); len(got) != 2 || got[0] != (req{"GET", "/b"}) {
		t.Fatalf("Called(GET /b) = %v", got)
	}
	if got := s.Called("POST /b"); got != nil {
		t.Fatalf("Called(POST /b) = %v", got)
	}
	if n := s.Total(); n != 4 {
		t.Fatalf("Total = %d, want 4 (the unscripted request counts)", n)
	}
}

func TestFixtureReadsTestdata(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.Mkdir("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", "x.json"), []byte(`{"x":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := string(Fixture(t, "x.json")); got != `{"x":1}` {
		t.Fatalf("Fixture = %q", got)
	}
	s := New[req](t)
	s.Fixture("GET /x", "x.json")
	rec := httptest.NewRecorder()
	s.Receive("GET /x", req{})(rec, req{})
	if rec.Body.String() != `{"x":1}` {
		t.Fatalf("served %q", rec.Body.String())
	}
}

// TestOnlyTestsImportIt keeps the scripted server out of the program.
func TestOnlyTestsImportIt(t *testing.T) {
	const self = "github.com/clubdesk/clubdesk/providers/httpx/httpxtest"
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no module root at %s: %v", root, err)
	}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return nil // not ours to judge; the build says what is wrong with it
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == self {
				t.Errorf("%s imports %s, which is for tests only", path, self)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

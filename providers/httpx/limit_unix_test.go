//go:build unix

package httpx

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// In the folder every desk user shares (group-writable), the counter is
// made for the group to write too, whatever the umask: another
// receptionist's console must be able to count in it.
func TestTheSharedCounterIsTheGroupsInASharedFolder(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(srv.Close)
	dir := filepath.Join(t.TempDir(), "shared")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o2770); err != nil {
		t.Fatal(err)
	}
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	file := filepath.Join(dir, "ratelimit-crm")
	c := New(Config{Name: "CRM", BaseURL: srv.URL, Limits: []Limit{{N: 5, Per: time.Second}}, LimitFile: file})
	if _, err := c.Read.R().Get("/x"); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o660 {
		t.Fatalf("the counter in a shared folder: %v %v", st.Mode(), err)
	}
}

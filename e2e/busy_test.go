package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/journal/journaltest"
	"github.com/clubdesk/clubdesk/offline"
	"github.com/clubdesk/clubdesk/offline/offlinetest"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/demo"
)

// busyState fills the state folder of env's HOME with a busy month's
// journal (entries lines, three operations to check) and a day's offline
// memory (clients cards read, 80 rosters of 25), as the desk wrote them.
func busyState(b *testing.B, state string, entries, clients int) {
	b.Helper()
	dir := filepath.Join(state, "clubdesk")
	who := journal.Who{Profile: "main", Provider: "demo", Desk: "Reception 1"}
	if _, err := (journaltest.Busy{Who: who, Now: time.Now(), Entries: entries, Pending: 3}).Write(dir); err != nil {
		b.Fatal(err)
	}
	club, err := demo.New(providers.Settings{})
	if err != nil {
		b.Fatal(err)
	}
	day := &offlinetest.BusyDay{Provider: club, Clients: clients, Rosters: 80, PerRoster: 25, Now: time.Now()}
	off := offline.New(day, nil, nil)
	if _, err := off.Remember(filepath.Join(dir, "offline", "main.json")); err != nil {
		b.Fatal(err)
	}
	if err := day.Read(context.Background(), off); err != nil {
		b.Fatal(err)
	}
	if err := off.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkFirstFrameBusy is BenchmarkFirstFrame on the demo club with a
// busy month in the journal and a day's offline memory on disk (issue 16):
// from exec to the first frame on the pty, which says how many operations
// need checking. The first start after the files were written is left out
// (it is the start after an upgrade); RSS is read half a second after the
// first frame, once what start read in the background is in.
func BenchmarkFirstFrameBusy(b *testing.B) {
	bin := buildBinary(b)
	const entries, clients = 20000, 2000
	b.Run(fmt.Sprintf("entries=%d/clients=%d", entries, clients), func(b *testing.B) {
		env := deskEnv(b, "")
		busyState(b, filepath.Join(envValue(env, "HOME"), "state"), entries, clients)
		first := startPty(b, bin, env, 80, 24)
		first.waitOutput(0, "проверить: 3")
		time.Sleep(500 * time.Millisecond)
		first.stop()
		var rss int
		b.ResetTimer()
		for range b.N {
			d := startPty(b, bin, env, 80, 24)
			d.waitOutput(0, "проверить: 3")
			b.StopTimer()
			time.Sleep(500 * time.Millisecond)
			r, _ := d.vmRSS()
			rss = max(rss, r)
			d.stop()
			b.StartTimer()
		}
		b.ReportMetric(float64(rss)/1024, "RSS-MB")
	})
}

func envValue(env []string, name string) string {
	for _, kv := range env {
		if len(kv) > len(name) && kv[:len(name)+1] == name+"=" {
			return kv[len(name)+1:]
		}
	}
	return ""
}

package offline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/offline/offlinetest"
)

// busyDay is a big club's day at its end (issue 16): 5,000 clients seen,
// 200 rosters of 50.
func busyDay(b testing.TB) *offlinetest.BusyDay {
	return &offlinetest.BusyDay{Provider: demoClub(b), Clients: 5000, Rosters: 200, PerRoster: 50, Now: now}
}

// dayEnd is a desk that has read the whole busy day, its memory in file.
func dayEnd(b testing.TB, day *offlinetest.BusyDay, file string) *Desk {
	b.Helper()
	d := New(day, nil, func() time.Time { return now })
	if _, err := d.Remember(file); err != nil {
		b.Fatal(err)
	}
	if err := day.Read(context.Background(), d); err != nil {
		b.Fatal(err)
	}
	return d
}

func fileSize(path string) int64 {
	if fi, err := os.Stat(path); err == nil {
		return fi.Size()
	}
	return 0
}

// BenchmarkOfflineSave is the write the desk makes after a change at the
// end of a busy day: one more client's card read (the client, its
// memberships, visits and bookings), then the save. It reports the file's
// size and what one save writes.
func BenchmarkOfflineSave(b *testing.B) {
	day := busyDay(b)
	b.Run(fmt.Sprintf("clients=%d/rosters=%d", day.Clients, day.Rosters), func(b *testing.B) {
		file := filepath.Join(b.TempDir(), "main.json")
		d := dayEnd(b, day, file)
		defer d.Close()
		if err := d.save(); err != nil {
			b.Fatal(err)
		}
		before := diskWritten()
		b.ResetTimer()
		for i := range b.N {
			b.StopTimer()
			if err := day.ReadClient(context.Background(), d, i%day.Clients); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if err := d.save(); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(diskWritten()-before)/float64(b.N)/1024, "KiB-written/save")
		b.ReportMetric(float64(fileSize(file))/(1<<20), "MB-file")
	})
}

// BenchmarkOfflineLoad is a desk started again at the end of the busy
// day bringing its memory back from the file, until it can answer from it.
func BenchmarkOfflineLoad(b *testing.B) {
	day := busyDay(b)
	b.Run(fmt.Sprintf("clients=%d/rosters=%d", day.Clients, day.Rosters), func(b *testing.B) {
		file := filepath.Join(b.TempDir(), "main.json")
		if err := dayEnd(b, day, file).Close(); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			d := New(day, nil, func() time.Time { return now })
			n, err := d.Remember(file)
			if err != nil || n != day.Clients {
				b.Fatalf("brought back %d clients: %v", n, err)
			}
			b.StopTimer()
			d.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(fileSize(file))/(1<<20), "MB-file")
	})
}

// BenchmarkOfflineHour is an hour at the desk at the end of a busy day,
// in virtual time: a client's card every 10 s (360 an hour), a roster
// read again every 30 s, the timetable every minute; the memory saved
// every 5 s when it changed, as the saver does. It reports the bytes
// written to disk in the hour.
func BenchmarkOfflineHour(b *testing.B) {
	day := busyDay(b)
	b.Run(fmt.Sprintf("clients=%d/rosters=%d", day.Clients, day.Rosters), func(b *testing.B) {
		var written int64
		for range b.N {
			b.StopTimer()
			file := filepath.Join(b.TempDir(), "main.json")
			d := dayEnd(b, day, file)
			if err := d.save(); err != nil {
				b.Fatal(err)
			}
			before := diskWritten()
			b.StartTimer()
			ctx := context.Background()
			for tick := range 720 { // every 5 s for an hour
				s := tick * 5
				if s%10 == 0 {
					if err := day.ReadClient(ctx, d, (s/10*37)%day.Clients); err != nil {
						b.Fatal(err)
					}
				}
				if s%30 == 0 {
					if _, err := d.Roster(ctx, fmt.Sprint(50000+s/30%day.Rosters)); err != nil {
						b.Fatal(err)
					}
				}
				if s%60 == 0 {
					from, to := day.Now, day.Now.Add(24*time.Hour)
					if _, err := d.Lessons(ctx, from, to); err != nil {
						b.Fatal(err)
					}
				}
				if err := d.save(); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			written += diskWritten() - before
			d.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(written)/float64(b.N)/(1<<20), "MB-written/hour")
	})
}

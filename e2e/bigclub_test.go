package e2e

import (
	"fmt"
	"testing"
	"time"
)

// bigClubConfig is the demo club at n clients: the benchmark base of a big
// club (issue 16).
func bigClubConfig(n int) string {
	return fmt.Sprintf("profile = \"demo\"\n[profiles.demo]\nprovider = \"demo\"\n[demo]\nclients = %d\n", n)
}

// BenchmarkFirstFrameBigClub is BenchmarkFirstFrame's demo run at a big
// club: from exec to the first frame's text, the club generated at start.
func BenchmarkFirstFrameBigClub(b *testing.B) {
	bin := buildBinary(b)
	for _, n := range []int{200_000} {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) {
			env := deskEnv(b, bigClubConfig(n))
			for range b.N {
				d := startPty(b, bin, env, 80, 24)
				d.waitOutput(0, "Поиск клиента")
				b.StopTimer()
				d.stop()
				b.StartTimer()
			}
		})
	}
}

// BenchmarkRSSBigClub is BenchmarkRSS at a big club: resident memory after
// a search, the day's timetable, a roster and a card.
func BenchmarkRSSBigClub(b *testing.B) {
	bin := buildBinary(b)
	for _, n := range []int{200_000} {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) {
			env := deskEnv(b, bigClubConfig(n))
			var rss, peak int
			for range b.N {
				d := startPty(b, bin, env, 80, 24)
				d.waitOutput(0, "Поиск клиента")
				mark := d.written()
				for _, r := range "ан" {
					d.send(string(r))
					time.Sleep(60 * time.Millisecond)
				}
				d.waitOutput(mark, "Найдено")
				mark = d.written()
				d.send(keyF3)
				d.waitOutput(mark, "Расписание", "Занятие")
				d.settle(mark, 100*time.Millisecond)
				mark = d.written()
				d.send(keyEnter)
				d.waitOutput(mark, "Список группы")
				d.settle(mark, 100*time.Millisecond)
				mark = d.written()
				d.send("0040856634" + keyEnter) // a reader's burst in one write
				d.waitOutput(mark, "Зеленина")
				d.settle(mark, 300*time.Millisecond)
				r, p := d.vmRSS()
				rss, peak = max(rss, r), max(peak, p)
				d.stop()
			}
			b.ReportMetric(float64(rss)/1024, "RSS-MB")
			b.ReportMetric(float64(peak)/1024, "peak-RSS-MB")
		})
	}
}

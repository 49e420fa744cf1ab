package yclients_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/httpx"
	"github.com/clubdesk/clubdesk/providers/yclients"
	"github.com/clubdesk/clubdesk/providers/yclients/yclientstest"
)

// benchLatency is the local YCLIENTS' delay on every answer.
const benchLatency = 20 * time.Millisecond

type benchSecrets map[string]string

func (s benchSecrets) Secret(name string) (string, error) {
	if v, ok := s[name]; ok {
		return v, nil
	}
	return "", fmt.Errorf("no %s", name)
}

func (s benchSecrets) SetSecret(string, string) error { return nil }

// busyDay is a local YCLIENTS holding a big club's day, keeping YCLIENTS'
// documented rates (5 a second, 200 a minute) as a live account does.
func busyDay(tb testing.TB, events, records int) (*yclientstest.Server, []int) {
	tb.Helper()
	srv := yclientstest.NewServer("bench-partner", "bench-user", nil)
	tb.Cleanup(srv.Close)
	ids := srv.SeedBusyDay(events, records)
	srv.SetLatency(benchLatency)
	srv.EnforceRateLimit(5, 200)
	return srv, ids
}

// dayDesk is the adapter as the console builds it: YCLIENTS' own limits.
func dayDesk(tb testing.TB, srv *yclientstest.Server) *yclients.Client {
	tb.Helper()
	c, err := yclients.New(providers.Settings{BaseURL: srv.URL, Branch: strconv.Itoa(yclientstest.CompanyID),
		Secrets: benchSecrets{"partner_token": "bench-partner", "user_token": "bench-user"}})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// dayFigures is what one busy morning cost.
type dayFigures struct {
	total    time.Duration // the timetable, then every roster of the day
	open     time.Duration // the roster the receptionist opened, from Enter to its rows
	requests int
	over     int // answered 429
	perMin   int // most requests in any minute
}

// rostersOfTheDay is the desk's busy morning: the timetable of today, then
// the roster the receptionist opens (the event in the middle of the day)
// while every roster of the day is read beside it (read ahead, the offline
// memory). It fails when a roster misses one of its bookings.
func rostersOfTheDay(tb testing.TB, srv *yclientstest.Server, c *yclients.Client, perEvent int) dayFigures {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	now := time.Now()
	day := time.Date(now.In(yclientstest.Moscow).Year(), now.In(yclientstest.Moscow).Month(), now.In(yclientstest.Moscow).Day(),
		0, 0, 0, 0, yclientstest.Moscow)
	ls, err := c.Lessons(ctx, day, day.AddDate(0, 0, 1))
	if err != nil {
		tb.Fatal(err)
	}
	var busy []models.Lesson
	for _, l := range ls {
		if l.Booked >= perEvent-1 && strings.HasPrefix(l.Title, "Группа ") {
			busy = append(busy, l)
		}
	}
	if len(busy) == 0 {
		tb.Fatalf("no busy events among %d lessons", len(ls))
	}
	opened := busy[len(busy)/2]
	var f dayFigures
	var wg sync.WaitGroup
	errs := make(chan error, len(busy)+1)
	read := func(l models.Lesson, took *time.Duration) {
		defer wg.Done()
		t0 := time.Now()
		bs, err := c.Roster(ctx, l.ID)
		if took != nil {
			*took = time.Since(t0)
		}
		switch {
		case err != nil:
			errs <- fmt.Errorf("roster %s: %w", l.Title, err)
		case len(bs) < perEvent-1:
			errs <- fmt.Errorf("roster %s: %d bookings, want %d or more", l.Title, len(bs), perEvent-1)
		}
	}
	wg.Add(1)
	go read(opened, &f.open)
	for _, l := range busy {
		if l.ID != opened.ID {
			wg.Add(1)
			go read(l, nil)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		tb.Fatal(err)
	}
	f.total = time.Since(start)
	f.requests, f.over, f.perMin = srv.Total(), srv.OverLimit(), srv.Peak(time.Minute)
	return f
}

// naiveRosters is the baseline: a roster per event, each reading its day's
// records again, page by page, through the same limits (what the adapter
// did before the day was read once).
func naiveRosters(tb testing.TB, srv *yclientstest.Server, events []int, perEvent int) dayFigures {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	hc := httpx.New(httpx.Config{Name: "YCLIENTS", BaseURL: srv.URL, Limits: yclients.Limits})
	get := func(path string, q url.Values) (int, error) {
		var out struct {
			Data json.RawMessage `json:"data"`
		}
		r := hc.Read.R().SetContext(ctx).SetHeader("Accept", "application/vnd.yclients.v2+json").
			SetHeader("Content-Type", "application/json").SetHeader("Authorization", "Bearer bench-partner, User bench-user").
			SetQueryParamsFromValues(q).SetResult(&out)
		resp, err := r.Get(path)
		if err == nil && resp.IsError() {
			err = fmt.Errorf("%s: %s", path, resp.Status())
		}
		var items []json.RawMessage
		_ = json.Unmarshal(out.Data, &items) // an object (the company) is no page
		return len(items), err
	}
	company := "/api/v1/records/" + strconv.Itoa(yclientstest.CompanyID)
	today := time.Now().In(yclientstest.Moscow).Format("2006-01-02")
	readDay := func() error {
		for page := 1; ; page++ {
			n, err := get(company, url.Values{"start_date": {today}, "end_date": {today}, "include_finance_transactions": {"1"},
				"page": {strconv.Itoa(page)}, "count": {"100"}})
			if err != nil || n < 100 {
				return err
			}
		}
	}
	start := time.Now()
	for _, p := range []string{"/api/v1/company/" + strconv.Itoa(yclientstest.CompanyID) + "/", "/api/v1/user/permissions/" + strconv.Itoa(yclientstest.CompanyID)} {
		if _, err := get(p, nil); err != nil {
			tb.Fatal(err)
		}
	}
	if _, err := get("/api/v1/activity/"+strconv.Itoa(yclientstest.CompanyID)+"/search",
		url.Values{"from": {today}, "till": {today}, "page": {"1"}, "count": {"100"}}); err != nil {
		tb.Fatal(err)
	}
	if err := readDay(); err != nil {
		tb.Fatal(err)
	}
	var f dayFigures
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i := range events {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t0 := time.Now()
			if err := readDay(); err != nil {
				tb.Error(err)
			}
			if i == len(events)/2 {
				mu.Lock()
				f.open = time.Since(t0)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	f.total = time.Since(start)
	f.requests, f.over, f.perMin = srv.Total(), srv.OverLimit(), srv.Peak(time.Minute)
	return f
}

func report(b *testing.B, fs []dayFigures) {
	var total, open time.Duration
	var req, over, perMin int
	for _, f := range fs {
		total += f.total
		open += f.open
		req += f.requests
		over += f.over
		perMin = max(perMin, f.perMin)
	}
	n := float64(len(fs))
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(total.Seconds()/n, "s/op")
	b.ReportMetric(open.Seconds()/n, "open-s/op")
	b.ReportMetric(float64(req)/n, "requests/op")
	b.ReportMetric(float64(over)/n, "429/op")
	b.ReportMetric(float64(perMin), "peak-per-min")
}

// BenchmarkYclientsDayRosters is issue 16's YCLIENTS rows: a busy day's
// timetable and every roster of it, the one the receptionist opens among
// them, against the local YCLIENTS keeping 5 requests a second and 200 a
// minute, 20 ms a request. desk is the adapter; naive a roster per event.
// Each run starts cold (a new server and adapter), outside the timer.
func BenchmarkYclientsDayRosters(b *testing.B) {
	for _, size := range []struct{ events, records int }{{40, 300}, {80, 600}} {
		per := size.records / size.events
		b.Run(fmt.Sprintf("events=%d/records=%d/desk", size.events, size.records), func(b *testing.B) {
			var fs []dayFigures
			for b.Loop() {
				b.StopTimer()
				srv, _ := busyDay(b, size.events, size.records)
				c := dayDesk(b, srv)
				b.StartTimer()
				fs = append(fs, rostersOfTheDay(b, srv, c, per))
			}
			report(b, fs)
		})
		b.Run(fmt.Sprintf("events=%d/records=%d/naive", size.events, size.records), func(b *testing.B) {
			var fs []dayFigures
			for b.Loop() {
				b.StopTimer()
				srv, ids := busyDay(b, size.events, size.records)
				b.StartTimer()
				fs = append(fs, naiveRosters(b, srv, ids, per))
			}
			report(b, fs)
		})
	}
}

// BenchmarkYclientsMarkThenRoster is the rush hour at a busy day's roster:
// a booking marked came, then its roster shown again, against the same
// local YCLIENTS (rates kept, 20 ms a request), the day already read. The
// baseline is what the roster after a mark cost when each roster read its
// day whole: the mark's 2 requests and the day's pages (4 for 308 records).
func BenchmarkYclientsMarkThenRoster(b *testing.B) {
	for _, size := range []struct{ events, records int }{{40, 300}, {80, 600}} {
		b.Run(fmt.Sprintf("events=%d/records=%d", size.events, size.records), func(b *testing.B) {
			srv, ids := busyDay(b, size.events, size.records)
			c := dayDesk(b, srv)
			ctx := context.Background()
			now := time.Now().In(yclientstest.Moscow)
			day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, yclientstest.Moscow)
			if _, err := c.Lessons(ctx, day, day.AddDate(0, 0, 1)); err != nil {
				b.Fatal(err)
			}
			lesson := "A" + strconv.Itoa(ids[len(ids)/2])
			recs := srv.RecordsOf(ids[len(ids)/2])
			if _, err := c.Roster(ctx, lesson); err != nil {
				b.Fatal(err)
			}
			before := srv.Total()
			i := 0
			for b.Loop() {
				rid := recs[i%len(recs)]
				i++
				if err := c.MarkAttendance(ctx, strconv.Itoa(rid), models.Attended); err != nil {
					b.Fatal(err)
				}
				bs, err := c.Roster(ctx, lesson)
				if err != nil {
					b.Fatal(err)
				}
				if j := slices.IndexFunc(bs, func(x models.Booking) bool { return x.ID == strconv.Itoa(rid) }); j < 0 || bs[j].Attendance != models.Attended {
					b.Fatalf("the roster after the mark does not show it")
				}
			}
			b.ReportMetric(float64(srv.Total()-before)/float64(b.N), "requests/op")
			b.ReportMetric(float64(srv.OverLimit()), "429")
		})
	}
}

package yclientstest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/providers/yclients/yclientstest"
)

// get is one raw request as YCLIENTS takes it: status, data, total_count.
func get(t *testing.T, srv *yclientstest.Server, path string, q url.Values) (int, []map[string]any, int) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path+"?"+q.Encode(), nil)
	req.Header.Set("Accept", "application/vnd.yclients.v2+json")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer p-tok, User u-tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var env struct {
		Data []map[string]any `json:"data"`
		Meta struct {
			TotalCount int `json:"total_count"`
		} `json:"meta"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&env)
	return resp.StatusCode, env.Data, env.Meta.TotalCount
}

func day(q url.Values) url.Values {
	d := now.Format("2006-01-02")
	q.Set("start_date", d)
	q.Set("end_date", d)
	return q
}

// The busy day pages by date, and changed_after and with_deleted filter it
// as the reference says.
func TestABusyDayPagesAndFiltersByChange(t *testing.T) {
	srv := yclientstest.NewServer("p-tok", "u-tok", func() time.Time { return now })
	t.Cleanup(srv.Close)
	ids := srv.SeedBusyDay(10, 250)
	records := "/api/v1/records/" + strconv.Itoa(yclientstest.CompanyID)
	seen := 0
	for page := 1; page <= 3; page++ {
		status, data, total := get(t, srv, records, day(url.Values{"page": {strconv.Itoa(page)}, "count": {"100"}}))
		if status != 200 || total != 258 {
			t.Fatalf("page %d: %d, total_count %d", page, status, total)
		}
		seen += len(data)
	}
	if seen != 258 {
		t.Fatalf("%d records in three pages, want 258 (250 and the seed's 8)", seen)
	}
	recs := srv.RecordsOf(ids[3])
	srv.MarkElsewhere(recs[0], 1)
	srv.CancelElsewhere(recs[1])
	after := url.Values{"changed_after": {now.Add(-time.Minute).Format("2006-01-02T15:04:05")}}
	_, data, _ := get(t, srv, records, day(after))
	if len(data) != 1 || int(data[0]["id"].(float64)) != recs[0] || data[0]["attendance"].(float64) != 1 {
		t.Fatalf("changed after a minute ago: %v", data)
	}
	after.Set("with_deleted", "1")
	if _, data, _ = get(t, srv, records, day(after)); len(data) != 2 {
		t.Fatalf("with the deleted: %d records", len(data))
	}
	if status, _, _ := get(t, srv, records, day(url.Values{"changed_after": {"yesterday"}})); status != http.StatusUnprocessableEntity {
		t.Fatalf("a changed_after that is no date: %d", status)
	}
}

// The documented rates are kept: the sixth request within a second is
// answered 429 with Retry-After, processed not at all, and counted.
func TestTheRateLimitIsEnforced(t *testing.T) {
	srv := yclientstest.NewServer("p-tok", "u-tok", func() time.Time { return now })
	t.Cleanup(srv.Close)
	srv.EnforceRateLimit(5, 200)
	company := "/api/v1/company/" + strconv.Itoa(yclientstest.CompanyID) + "/"
	var statuses []int
	for range 6 {
		status, _, _ := get(t, srv, company, url.Values{})
		statuses = append(statuses, status)
	}
	if statuses[4] != 200 || statuses[5] != http.StatusTooManyRequests {
		t.Fatalf("six requests at once: %v", statuses)
	}
	if srv.Total() != 6 || srv.OverLimit() != 1 || srv.Peak(time.Second) != 5 {
		t.Fatalf("total %d, over %d, peak %d", srv.Total(), srv.OverLimit(), srv.Peak(time.Second))
	}
	time.Sleep(1100 * time.Millisecond)
	if status, _, _ := get(t, srv, company, url.Values{}); status != 200 {
		t.Fatalf("a second later: %d", status)
	}
}

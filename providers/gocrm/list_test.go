package gocrm

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// clock is a test clock the adapter and its background reads share.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func withClock(c *Client) *clock {
	ck := &clock{t: testNow}
	c.now = ck.now
	return ck
}

// waitReads waits for the background read to be over.
func waitReads(t *testing.T, c *Client) {
	t.Helper()
	for range 500 {
		c.mu.Lock()
		busy := c.cache.list.loading != nil
		c.mu.Unlock()
		if !busy {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatal("the clients' list is still loading")
}

// A keystroke after the first never downloads the list again; past its
// age, the old list answers at once and one read refreshes it behind.
func TestTheListIsReadOnceThenRefreshedBehind(t *testing.T) {
	f, c, _ := newWire(t, "1")
	ck := withClock(c)
	f.Fixture("GET /api/clients", "clients.json")
	ctx := context.Background()
	for _, q := range []string{"В", "Ва", "Ван", "Ваня"} {
		if _, err := c.SearchClients(ctx, q, 50); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(f.Called("GET /api/clients")); n != 1 {
		t.Fatalf("4 keystrokes read the list %d times; want 1", n)
	}
	ck.add(clientsTTL)
	release := make(chan struct{})
	f.On("GET /api/clients", func(w http.ResponseWriter, _ call) {
		<-release
		w.Write([]byte(`{"data":[{"id":5,"fio":"Новикова Анна","name":"Ваня","phone":"79120000005"}]}`))
	})
	got, err := c.SearchClients(ctx, "Ваня", 50)
	if err != nil || len(got) != 1 || got[0].ID != "1" {
		t.Fatalf("past its age, the old list answers at once: %v %v", got, err)
	}
	for _, q := range []string{"Ван", "Ваня"} {
		c.SearchClients(ctx, q, 50)
	}
	close(release)
	waitReads(t, c)
	if n := len(f.Called("GET /api/clients")); n != 2 {
		t.Fatalf("the list was read %d times; want 2 (one refresh behind 3 keystrokes)", n)
	}
	got, _ = c.SearchClients(ctx, "Ваня", 50)
	if len(got) != 1 || got[0].ID != "5" {
		t.Fatalf("after the refresh: %v", got)
	}
}

// A failed read is not tried again at every keystroke: they get its error
// until clientsRetry has passed, then one read tries again.
func TestAFailedListIsNotReadPerKeystroke(t *testing.T) {
	f, c, _ := newWire(t, "1")
	ck := withClock(c)
	f.Answer("GET /api/clients", 500, `{"message":"Server Error"}`)
	ctx := context.Background()
	for _, q := range []string{"В", "Ва", "Ван", "Ваня", "Ваня 6"} {
		if _, err := c.SearchClients(ctx, q, 50); err == nil {
			t.Fatalf("%q: no error from a list that failed", q)
		}
	}
	reads := len(f.Called("GET /api/clients"))
	if reads != 1 {
		t.Fatalf("5 keystrokes after a failure read the list %d times; want 1", reads)
	}
	ck.add(clientsRetry)
	f.Fixture("GET /api/clients", "clients.json")
	got, err := c.SearchClients(ctx, "Ваня", 50)
	if err != nil || len(got) != 1 {
		t.Fatalf("after %v: %v %v", clientsRetry, got, err)
	}
	if n := len(f.Called("GET /api/clients")); n != reads+1 {
		t.Fatalf("read %d times; want %d", n, reads+1)
	}
}

// A refresh that fails keeps the list the desk has, and is tried again
// only after clientsRetry.
func TestAFailedRefreshKeepsTheList(t *testing.T) {
	f, c, _ := newWire(t, "1")
	ck := withClock(c)
	f.Fixture("GET /api/clients", "clients.json")
	ctx := context.Background()
	c.SearchClients(ctx, "Ваня", 50)
	ck.add(clientsTTL)
	f.Answer("GET /api/clients", 500, `{"message":"Server Error"}`)
	c.SearchClients(ctx, "Ваня", 50)
	waitReads(t, c)
	for _, q := range []string{"Ван", "Ваня"} {
		got, err := c.SearchClients(ctx, q, 50)
		if err != nil || len(got) != 1 {
			t.Fatalf("%q after a failed refresh: %v %v", q, got, err)
		}
	}
	waitReads(t, c)
	if n := len(f.Called("GET /api/clients")); n != 2 {
		t.Fatalf("read %d times; want 2", n)
	}
}

// A list larger than the body cap of every other answer (8 MB) is read:
// it is decoded as it arrives.
func TestABigListIsRead(t *testing.T) {
	f, c, _ := newWire(t, "1")
	body := benchClients(70_000)
	if len(body) <= 8<<20 {
		t.Fatalf("the list is %d bytes; the test wants more than 8 MB", len(body))
	}
	f.On("GET /api/clients", func(w http.ResponseWriter, _ call) { w.Write(body) })
	got, err := c.SearchClients(context.Background(), "7912", 5)
	if err != nil || len(got) != 5 {
		t.Fatalf("%d clients, %v", len(got), err)
	}
	c.mu.Lock()
	n := c.cache.list.index.Len()
	c.mu.Unlock()
	if n != 70_000 {
		t.Fatalf("kept %d clients of 70,000", n)
	}
}

// The list's answer is read as every other: Go-CRM's refusal in a 200, a
// 422 with its fields, an answer cut short or not a list.
func TestTheListsErrors(t *testing.T) {
	cases := []struct {
		name, body string
		status     int
		kind       error
		words      string
	}{
		{"refusal in 200", `{"status":"error","message":"Доступ к клиентам закрыт"}`, 200, providers.ErrValidation, "Доступ к клиентам закрыт"},
		{"422", `{"message":"Error","errors":{"center":"Центр не выбран"}}`, 422, providers.ErrValidation, "Центр не выбран"},
		{"cut short", `{"data":[{"id":1,"fio":"Иванов Иван","name":"Ваня"},{"id":2,`, 200, providers.ErrBadAnswer, ""},
		{"not a list", `{"data":{"id":1}}`, 200, providers.ErrBadAnswer, ""},
		{"not JSON", `<html>Service unavailable</html>`, 200, providers.ErrBadAnswer, ""},
		{"unauthorized", `{"message":"Unauthenticated."}`, 401, providers.ErrUnauthorized, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, c, _ := newWire(t, "1")
			f.Answer("GET /api/clients", tc.status, tc.body)
			_, err := c.SearchClients(context.Background(), "Ваня", 5)
			if !errors.Is(err, tc.kind) {
				t.Fatalf("%v; want %v", err, tc.kind)
			}
			if tc.words != "" && !strings.Contains(describe(err), tc.words) {
				t.Fatalf("%q does not say %q", describe(err), tc.words)
			}
		})
	}
}

// Search and the bare-list answer: the same results whichever way the list
// came, in name order, a page at most.
func TestABareListAndThePage(t *testing.T) {
	f, c, _ := newWire(t, "1")
	f.Answer("GET /api/clients", 200, `[{"id":3,"fio":"Яковлева Ирина","name":"Ира","phone":"79120000003"},
		{"id":1,"fio":"Абрамова Инна","name":"Ира","phone":"79120000001"},{"id":2,"fio":"Иванова Ольга","name":"Оля","phone":"89120000002"}]`)
	got, err := c.SearchClients(context.Background(), "и", 0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, cl := range got {
		ids = append(ids, cl.ID)
	}
	// Children named И… first, by name then parent; a parent named И… after.
	if strings.Join(ids, ",") != "1,3,2" {
		t.Fatalf("и → %v", ids)
	}
	if got, _ := c.SearchClients(context.Background(), "и", 2); len(got) != 2 {
		t.Fatalf("a page of 2: %d", len(got))
	}
	if got, _ := c.SearchClients(context.Background(), "8912", 5); len(got) != 3 {
		t.Fatalf("8912 → %d clients; want all three (7 912… and 8 912…)", len(got))
	}
}

// describe is what the desk shows of an error, fields included.
func describe(err error) string {
	s := providers.Explain(err, "ru")
	for _, v := range providers.FieldMessages(err) {
		s += " " + v
	}
	return s
}

// Leads of the session are placed among the list's results as if they
// ended the list: by score, then name, a page at most.
func TestLeadsAmongTheResults(t *testing.T) {
	f, c, _ := newWire(t, "1")
	f.Fixture("GET /api/clients", "clients.json") // 1 Ваня (Иванов Иван), 2 Алена (Сидоров Иван)
	c.mu.Lock()
	c.cache.leads["lead:1"] = models.Client{ID: "lead:1", FirstName: "Борис", Guardian: "Иванова Анна"}
	c.cache.leads["lead:2"] = models.Client{ID: "lead:2", FirstName: "Иван"}
	c.cache.leads["lead:3"] = models.Client{ID: "lead:3", FirstName: "Пётр"}
	c.mu.Unlock()
	for _, tc := range []struct {
		limit int
		want  string
	}{{0, "lead:2 2 lead:1 1"}, {3, "lead:2 2 lead:1"}, {1, "lead:2"}} {
		got, err := c.SearchClients(context.Background(), "Иван", tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, cl := range got {
			ids = append(ids, cl.ID)
		}
		if strings.Join(ids, " ") != tc.want {
			t.Errorf("limit %d: %v; want %s", tc.limit, ids, tc.want)
		}
	}
}

package gocrm

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/providers"
)

// A big club's GET /clients, made up: children with a parent's full name,
// phones of Yekaterinburg's operators. The names are frequent Russian
// ones, so a one-letter query matches a large part of the base, as at a
// real desk.
var (
	benchKids    = []string{"Ваня", "Маша", "Илья", "Ирина", "Алёна", "Иван", "Дима", "Соня", "Петя", "Катя", "Игорь", "Анна", "Миша", "Оля", "Инна", "Саша", "Лиза", "Егор", "Ксения", "Артём"}
	benchSurname = []string{"Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров"}
	benchFirst   = []string{"Иван", "Ольга", "Алексей", "Дарья", "Сергей", "Елена", "Андрей", "Наталья", "Дмитрий", "Ирина", "Михаил", "Татьяна", "Павел", "Юлия", "Игорь", "Анна"}
	benchFather  = []string{"Иванович", "Петровна", "Сергеевич", "Алексеевна", "Викторович", "Андреевна", "Николаевич", "Игоревна"}
	benchOps     = []string{"912", "922", "902", "950", "953", "904", "908", "919", "343"}
)

// benchClients is GET /clients with n clients, about 130 bytes each on the
// wire, like a real answer (8.5 MB for 65,000).
func benchClients(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"data":[`)
	x := uint32(2463534242)
	next := func() int { x ^= x << 13; x ^= x >> 17; x ^= x << 5; return int(x >> 1) }
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		sn := benchSurname[next()%len(benchSurname)]
		fi := benchFirst[next()%len(benchFirst)]
		if fi[len(fi)-2:] == "а" || fi[len(fi)-2:] == "я" {
			sn += "а"
		}
		fmt.Fprintf(&b, `{"id":%d,"fio":"%s %s %s","name":"%s","phone":"7%s%07d","birthday":"20%02d-%02d-%02d"}`,
			100000+i, sn, fi, benchFather[next()%len(benchFather)], benchKids[next()%len(benchKids)],
			benchOps[next()%len(benchOps)], next()%10_000_000, 10+next()%14, 1+next()%12, 1+next()%28)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// benchServer answers GET /clients with body and counts the reads.
func benchServer(b *testing.B, body []byte) (*httptest.Server, *atomic.Int64) {
	var reads atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/clients" {
			reads.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.Write(body)
			return
		}
		http.NotFound(w, r)
	}))
	b.Cleanup(srv.Close)
	return srv, &reads
}

func benchAdapter(b *testing.B, url string) *Client {
	sec := &secrets{vals: map[string]string{"app_token": testApp, "access_token": testAccess}}
	c, err := New(providers.Settings{BaseURL: url, Branch: "1", Secrets: sec, Timezone: "Asia/Yekaterinburg",
		Extra: map[string]any{"person": "admin"}, Now: func() time.Time { return testNow }},
		WithRetryWait(time.Millisecond), WithTimeout(30*time.Second))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkGoCRMSearch is a keystroke's search at a big club, the list
// already read: a broad name query (one letter) and phone digits.
func BenchmarkGoCRMSearch(b *testing.B) {
	for _, n := range []int{10_000, 50_000, 200_000} {
		srv, _ := benchServer(b, benchClients(n))
		c := benchAdapter(b, srv.URL)
		ctx := context.Background()
		if _, err := c.SearchClients(ctx, "и", 50); err != nil {
			b.Logf("clients=%d: %v", n, err) // before issue 16: too large
			continue
		}
		for _, q := range []string{"и", "7912", "иванов ма"} {
			b.Run(fmt.Sprintf("clients=%d/query=%s", n, q), func(b *testing.B) {
				b.ReportAllocs()
				found := 0
				for b.Loop() {
					got, err := c.SearchClients(ctx, q, 50)
					if err != nil {
						b.Fatal(err)
					}
					found = len(got)
				}
				b.ReportMetric(float64(found), "results")
			})
		}
	}
}

// BenchmarkGoCRMClientList is the first search of a session: GET /clients
// read (from 127.0.0.1) and made searchable. B/client is what the adapter
// keeps for it afterwards (the heap, after a collection, beside an adapter
// that read nothing).
func BenchmarkGoCRMClientList(b *testing.B) {
	for _, n := range []int{50_000, 200_000} {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) {
			body := benchClients(n)
			srv, reads := benchServer(b, body)
			ctx := context.Background()
			var kept float64
			var failed error
			for b.Loop() {
				b.StopTimer()
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				c := benchAdapter(b, srv.URL)
				b.StartTimer()
				_, err := c.SearchClients(ctx, "Ваня", 50)
				b.StopTimer()
				failed = err
				runtime.GC()
				runtime.ReadMemStats(&after)
				kept = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
				runtime.KeepAlive(c)
				b.StartTimer()
			}
			if failed != nil {
				b.Logf("clients=%d: %v", n, failed)
				b.ReportMetric(1, "failed")
				return
			}
			b.ReportMetric(kept, "B/client")
			b.ReportMetric(float64(len(body))/1e6, "MB-wire")
			b.ReportMetric(float64(reads.Load())/float64(b.N), "reads/op")
		})
	}
}

package yclients

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/providers/wire"
)

// FuzzDecodeAnswers feeds YCLIENTS-shaped answers, seeded from the
// document's own examples in testdata, through the envelope, its meta and
// every entity decoder: nothing panics, no list fails on one odd field, and
// what comes out is sane (a lesson never ends before it starts, nothing is
// owed below zero).
func FuzzDecodeAnswers(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"success":"true","data":[{"id":"7","phone":79161234567,"birth_date":0,"custom_fields":[]}],"meta":[]}`))
	f.Add([]byte(`{"success":true,"data":[{"id":1,"datetime":1764585600,"seance_length":"-3600","services":[{"cost":"-5"}]}],"meta":{"total_count":"x"}}`))
	moscow, _ := time.LoadLocation("Europe/Moscow")
	f.Fuzz(func(t *testing.T, body []byte) {
		var env envelope
		if json.Unmarshal(body, &env) != nil {
			return
		}
		readMeta(env.Meta)
		var cs []wireClient
		if wire.Decode(env.Data, &cs) == nil {
			for _, w := range cs {
				if c := w.model("KZT", moscow); !c.Birthday.HasYear() && c.Birthday.Short() != "" && len(c.Birthday.Short()) != 5 {
					t.Fatalf("a birthday without its year prints %q", c.Birthday.Short())
				}
			}
		}
		var as []wireAbonement
		if wire.Decode(env.Data, &as) == nil {
			for _, w := range as {
				if m := w.model("1", "RUB"); m.VisitsLeft < 0 {
					t.Fatalf("negative visits left: %+v", m)
				}
			}
		}
		var es []wireEvent
		if wire.Decode(env.Data, &es) == nil {
			for _, w := range es {
				if l, ok := w.lesson(moscow); ok && l.End.Before(l.Start) {
					t.Fatalf("an event ends before it starts: %+v", l)
				}
			}
		}
		var rs []wireRecord
		if wire.Decode(env.Data, &rs) == nil {
			for _, w := range rs {
				if d, _ := w.due("RUB"); d.Minor < 0 || w.goodsDue("RUB").Minor < 0 {
					t.Fatalf("a record owes %v", d)
				}
				if l, ok := w.lesson(moscow); ok {
					if l.End.Before(l.Start) {
						t.Fatalf("a record ends before it starts: %+v", l)
					}
					w.booking(l, "RUB")
				}
			}
		}
	})
}

package luckyfit

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers/wire"
)

// FuzzDecodeAnswers feeds LuckyFit-shaped answers, seeded from the
// document-shaped fixtures, through the envelope and every entity decoder:
// no answer, however odd, panics or fails a whole list because of one field.
func FuzzDecodeAnswers(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"success":"1","data":{"id":"x","passes":"∞","price":"1e400","started":"0000-00-00"}}`))
	f.Add([]byte(`{"success":true,"data":[{"id":[1],"name":{"ru":"Йога"},"start":12345}]}`))
	f.Add([]byte(`{"success":true,"data":[{"id":1,"price":"-500","passes":"-3","started":"2026-01-01","ended":"2026-02-01"}]}`))
	today := models.NewDate(2026, 12, 1)
	f.Fuzz(func(t *testing.T, body []byte) {
		var env envelope
		if json.Unmarshal(body, &env) != nil {
			return
		}
		var cs []wireClient
		if wire.Decode(env.Data, &cs) == nil {
			toModels(cs)
		}
		var ts []wireTicket
		if wire.Decode(env.Data, &ts) == nil {
			for _, w := range ts {
				if p := w.plan(""); p.Visits < 0 {
					t.Fatalf("a plan with negative visits: %+v", p)
				}
				m := w.membership(false, today)
				if st := m.EffectiveState(today); st == models.StateActive && !m.End.IsZero() && m.End.Before(today) {
					t.Fatalf("a membership that ended is active: %+v", m)
				}
			}
		}
		var ls []wireLesson
		if wire.Decode(env.Data, &ls) == nil {
			for _, w := range ls {
				if l, ok := w.model(moscow); ok && l.End.Before(l.Start) {
					t.Fatalf("a lesson ends before it starts: %+v", l)
				}
			}
		}
		var bs []wireBooking
		if wire.Decode(env.Data, &bs) == nil {
			for _, w := range bs {
				w.model(models.Lesson{})
			}
		}
		var txs []wireTransaction
		_ = wire.Decode(env.Data, &txs)
	})
}

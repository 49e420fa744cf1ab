package wire

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
)

func TestTolerantDecoding(t *testing.T) {
	var v struct {
		ID     ID        `json:"id"`
		Name   Text      `json:"name"`
		N      Number    `json:"n"`
		Left   OptNumber `json:"left"`
		None   OptNumber `json:"none"`
		Flag   Flag      `json:"flag"`
		Price  Amount    `json:"price"`
		Bad    Amount    `json:"bad"`
		Born   Stamp     `json:"born"`
		Nested Text      `json:"nested"`
	}
	raw := `{"id": 123456, "name": null, "n": "12.0", "left": "0", "none": "n/a", "flag": "true",
		"price": "1500.50", "bad": 1e3, "born": 0, "nested": {"a": 1}}`
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatal(err)
	}
	if v.ID != "123456" || v.Name != "" || v.N != 12 || !v.Flag || v.Nested != "" {
		t.Errorf("decoded %+v", v)
	}
	if !v.Left.OK || v.Left.Value != 0 || v.None.OK {
		t.Errorf("optional numbers: left %+v none %+v", v.Left, v.None)
	}
	if m, ok := v.Price.Money("RUB"); !ok || m.Minor != 150050 {
		t.Errorf("price = %+v %v", m, ok)
	}
	if _, ok := v.Bad.Money("RUB"); ok {
		t.Error("an exponent is not money")
	}
	if got := v.Bad.Or("RUB"); !got.IsZero() || got.Currency != "RUB" {
		t.Errorf("Or = %+v", got)
	}
	if _, ok := v.Born.Date(); ok {
		t.Error("birth date 0 is no date")
	}
}

func TestStampForms(t *testing.T) {
	msk, _ := time.LoadLocation("Europe/Moscow")
	for _, s := range []Stamp{"2026-12-01T18:30:00", "2026-12-01 18:30:00", "2026-12-01 18:30", "2026-12-01T18:30:00+03:00"} {
		at, ok := s.At(msk)
		if !ok || !at.Equal(time.Date(2026, 12, 1, 18, 30, 0, 0, msk)) {
			t.Errorf("%q → %v %v", s, at, ok)
		}
	}
	if d, ok := Stamp("2026-12-01").Date(); !ok || d != models.NewDate(2026, 12, 1) {
		t.Errorf("date = %v %v", d, ok)
	}
	for _, s := range []Stamp{"", "0", "0000-00-00", "soon"} {
		if _, ok := s.Date(); ok {
			t.Errorf("%q read as a date", s)
		}
	}
}

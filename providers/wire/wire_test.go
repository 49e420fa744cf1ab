package wire

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/keys/redact"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/text"
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
		"price": "1500.50", "bad": "15 apples", "born": 0, "nested": {"a": 1}}`
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
		t.Error("apples are not money")
	}
	if got := v.Bad.Or("RUB"); got.IsZero() || !got.Unknown || got.Currency != "RUB" {
		t.Errorf("an amount sent and unreadable is unknown, never zero: Or = %+v", got)
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

func TestFieldsForms(t *testing.T) {
	cases := []struct {
		raw  string
		want Fields
	}{
		{`{"name": "The name field is required."}`, Fields{"name": "The name field is required."}},
		{`"{ \"name\": \"The name field is required.\" }"`, Fields{"name": "The name field is required."}},
		{`{"phone": ["required", "too short"], "n": 5}`, Fields{"phone": "required; too short", "n": "5"}},
		{`{"child": {"birthday": "bad date"}}`, Fields{"child.birthday": "bad date"}},
		{`"Ошибка валидации"`, Fields{"": "Ошибка валидации"}},
		{`[]`, nil},
		{`{}`, nil},
		{`""`, nil},
		{`null`, nil},
		{`{"broken"`, nil},
	}
	for _, tc := range cases {
		var f Fields
		if err := f.UnmarshalJSON([]byte(tc.raw)); err != nil {
			t.Errorf("%s: %v", tc.raw, err)
		}
		if len(f) != len(tc.want) {
			t.Errorf("%s → %v; want %v", tc.raw, f, tc.want)
			continue
		}
		for k, w := range tc.want {
			if f[k] != w {
				t.Errorf("%s → %v; want %v", tc.raw, f, tc.want)
			}
		}
	}
}

// TestParseTimeShapes is every date-time shape the YCLIENTS document shows
// (its line numbers in the comments), plus the other adapters' forms: one
// parser for all of them.
func TestParseTimeShapes(t *testing.T) {
	msk, _ := time.LoadLocation("Europe/Moscow")
	nsk, _ := time.LoadLocation("Asia/Novosibirsk")
	at := func(loc *time.Location, y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, loc)
	}
	fixed := func(off int) *time.Location { return time.FixedZone("", off*3600) }
	cases := []struct {
		in   string
		loc  *time.Location
		want time.Time
	}{
		// ISO with milliseconds and a colon offset (L55, the intro's promise).
		{"2014-09-21T23:00:00.000+03:00", msk, at(fixed(3), 2014, 9, 21, 23, 0, 0)},
		// The same with a negative offset (Altegio's events, group classes).
		{"2026-09-21T23:00:00.000-05:00", msk, at(fixed(-5), 2026, 9, 21, 23, 0, 0)},
		// Offsets without the colon (L1657, L9664, L3531, L8087).
		{"2017-10-24T17:30:00+0000", msk, at(time.UTC, 2017, 10, 24, 17, 30, 0)},
		{"2019-01-17T19:41:44+0900", msk, at(fixed(9), 2019, 1, 17, 19, 41, 44)},
		{"2023-03-23T10:10:00+0300", nsk, at(msk, 2023, 3, 23, 10, 10, 0)},
		{"2014-09-21T23:00:00.000+0300", msk, at(fixed(3), 2014, 9, 21, 23, 0, 0)},
		// A colon offset (L9663) and Z.
		{"2019-01-01T12:00:00+09:00", msk, at(fixed(9), 2019, 1, 1, 12, 0, 0)},
		{"2019-01-01T09:00:00Z", msk, at(time.UTC, 2019, 1, 1, 9, 0, 0)},
		// Naive "SQL" date-times are in the company's zone (L9662, L8978).
		{"2019-01-01 12:00:00", msk, at(msk, 2019, 1, 1, 12, 0, 0)},
		{"2019-01-01 12:00:00", nsk, at(nsk, 2019, 1, 1, 12, 0, 0)},
		{"2023-01-01 12:12", msk, at(msk, 2023, 1, 1, 12, 12, 0)},
		// ISO without a zone, with and without seconds (L7854, L1945).
		{"2000-01-01T00:00:00", msk, at(msk, 2000, 1, 1, 0, 0, 0)},
		{"2005-09-09T18:30", msk, at(msk, 2005, 9, 9, 18, 30, 0)},
		// Bare dates: ISO (L9225), DD.MM.YYYY (L9529), YYYYMMDD.
		{"2019-01-01", msk, at(msk, 2019, 1, 1, 0, 0, 0)},
		{"17.01.2018", msk, at(msk, 2018, 1, 17, 0, 0, 0)},
		{"17.01.2018 09:30", msk, at(msk, 2018, 1, 17, 9, 30, 0)},
		{"20251201", msk, at(msk, 2025, 12, 1, 0, 0, 0)},
		// Unix seconds (L1457, L2063) and milliseconds.
		{"1463754600", msk, time.Unix(1463754600, 0)},
		{"1492041600", nsk, time.Unix(1492041600, 0)},
		{"1463754600000", msk, time.Unix(1463754600, 0)},
		// Spaces around are not part of it.
		{"  2019-01-01 12:00:00 ", msk, at(msk, 2019, 1, 1, 12, 0, 0)},
		// The desk's own date forms.
		{"22.11.26", msk, at(msk, 2026, 11, 22, 0, 0, 0)},
		{"22/11/2026", msk, at(msk, 2026, 11, 22, 0, 0, 0)},
	}
	for _, c := range cases {
		got, ok := ParseTime(c.in, c.loc)
		if !ok || !got.Equal(c.want) {
			t.Errorf("ParseTime(%q, %v) = %v %v, want %v", c.in, c.loc, got, ok, c.want)
		}
		if s, ok := Stamp(c.in).At(c.loc); !ok || !s.Equal(c.want) {
			t.Errorf("Stamp(%q).At = %v %v", c.in, s, ok)
		}
	}
	// Naive forms land in the zone given: the same text, two instants.
	a, _ := ParseTime("2019-01-01 12:00:00", msk)
	b, _ := ParseTime("2019-01-01 12:00:00", nsk)
	if a.Sub(b) != 4*time.Hour {
		t.Errorf("naive time ignores the zone: %v vs %v", a, b)
	}
	// A nil zone is UTC, not a panic.
	if got, ok := ParseTime("2019-01-01 12:00:00", nil); !ok || !got.Equal(at(time.UTC, 2019, 1, 1, 12, 0, 0)) {
		t.Errorf("nil zone: %v %v", got, ok)
	}
	// A date followed by something unreadable is still its day (Stamp.At
	// always read it so).
	if got, ok := Stamp("2026-12-01 ??").At(msk); !ok || !got.Equal(at(msk, 2026, 12, 1, 0, 0, 0)) {
		t.Errorf("date with a tail: %v %v", got, ok)
	}
	for _, bad := range []string{"", "0", "null", "0000-00-00", "0000-00-00 00:00:00", "soon", "12", "2019-13-01",
		"31.02.2020", "12345678901", "2019-01-01T25:00:00"} {
		if got, ok := ParseTime(bad, msk); ok {
			t.Errorf("ParseTime(%q) = %v, want no time", bad, got)
		}
	}
}

func TestStampDecodesEveryJSONShape(t *testing.T) {
	msk, _ := time.LoadLocation("Europe/Moscow")
	var v struct {
		Unix  Stamp `json:"unix"`
		Birth Stamp `json:"birth"`
		Date  Stamp `json:"date"`
	}
	if err := json.Unmarshal([]byte(`{"unix": 1463754600, "birth": 0, "date": "17.01.2018"}`), &v); err != nil {
		t.Fatal(err)
	}
	if got, ok := v.Unix.At(msk); !ok || got.Unix() != 1463754600 {
		t.Errorf("unix seconds as a JSON number: %v %v", got, ok)
	}
	if _, ok := v.Birth.At(msk); ok {
		t.Error("birth_date 0 read as a time")
	}
	if d, ok := v.Date.Date(); !ok || d != models.NewDate(2018, 1, 17) {
		t.Errorf("DD.MM.YYYY date = %v %v", d, ok)
	}
}

func TestAmountsInEveryShapeAndUnknownNeverZero(t *testing.T) {
	var v struct {
		A []Amount `json:"a"`
	}
	raw := `{"a": ["3500.000", 1e4, "1e4", "3500 руб.", 1234567890123.45, 3500, "3500.5", -120.50, "1 500,50",
		-1e18, "3500.005", "бесплатно", true, {"sum": 1}, [1], null, "", 99999999999999999999]}`
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		minor   int64
		unknown bool
	}{
		{350000, false}, {1000000, false}, {1000000, false}, {350000, false}, {123456789012345, false}, {350000, false},
		{350050, false}, {-12050, false}, {150050, false},
		{0, true}, {0, true}, {0, true}, {0, true}, {0, true}, {0, true}, {0, false}, {0, false}, {0, true},
	}
	for i, w := range want {
		got := v.A[i].Or("RUB")
		if got.Minor != w.minor || got.Unknown != w.unknown {
			t.Errorf("amount %d: Or = %+v, want %d unknown=%v", i, got, w.minor, w.unknown)
		}
	}
	// A price that must be there: absent is unknown too.
	var none Amount
	if p := none.Known("RUB"); !p.Unknown {
		t.Errorf("an absent price = %+v", p)
	}
}

func TestTextIsCappedAtDecode(t *testing.T) {
	name := strings.Repeat("Щ", 3<<20/2)
	raw, _ := json.Marshal(map[string]any{"name": name, "n": json.Number(strings.Repeat("9", 2<<20))})
	var v struct {
		Name Text `json:"name"`
		N    Text `json:"n"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Name) > text.MaxField || !strings.HasPrefix(string(v.Name), "ЩЩЩ") || !strings.Contains(string(v.Name), text.CutMark) {
		t.Errorf("a 3 MB name decoded to %d bytes", len(v.Name))
	}
	if len(v.N) > text.MaxField {
		t.Errorf("a 2 MB number decoded to %d bytes", len(v.N))
	}
}

func TestFieldsHideTheKeyTheRequestCarried(t *testing.T) {
	redact.Forget()
	t.Cleanup(redact.Forget)
	redact.Remember("yc-partner-token-77")
	var f Fields
	if err := json.Unmarshal([]byte(`{"token": "yc-partner-token-77 is wrong", "name": "required"}`), &f); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(fmt.Sprint(f), "yc-partner-token-77") || f["name"] != "required" {
		t.Fatalf("fields: %v", f)
	}
}

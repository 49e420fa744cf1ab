package luckyfit

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/models"
)

// LuckyFit's answers are not strict about types (assumption 4 in the
// package doc): these types accept a value in any of the forms seen and
// never fail on one they cannot read; a field that cannot be read is empty.

// text is a string that may arrive as a number, a boolean or null.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*t = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return nil
		}
		*t = text(s)
	default:
		*t = text(b)
	}
	return nil
}

// id is an identifier sent as a number or a string.
type id = text

// number is an integer that may arrive as a string ("12") or a float (12.0).
type number int64

func (n *number) UnmarshalJSON(b []byte) error {
	var t text
	_ = t.UnmarshalJSON(b)
	s := strings.TrimSpace(string(t))
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = number(v)
		return nil
	}
	if whole, frac, ok := strings.Cut(s, "."); ok && strings.Trim(frac, "0") == "" {
		if v, err := strconv.ParseInt(whole, 10, 64); err == nil {
			*n = number(v)
		}
	}
	return nil
}

// flag is a boolean sent as true, 1, "1", "true" or "t".
type flag bool

func (f *flag) UnmarshalJSON(b []byte) error {
	var t text
	_ = t.UnmarshalJSON(b)
	switch strings.ToLower(strings.TrimSpace(string(t))) {
	case "true", "1", "t", "yes":
		*f = true
	default:
		*f = false
	}
	return nil
}

// amount is money in rubles as a JSON number or string (assumption 3); it
// is read digit by digit into kopecks.
type amount struct {
	v  models.Money
	ok bool
}

func (a *amount) UnmarshalJSON(b []byte) error {
	var t text
	_ = t.UnmarshalJSON(b)
	s := strings.TrimSpace(string(t))
	if s == "" {
		return nil
	}
	// Exponent forms (1e3) are not money a CRM writes; refuse them.
	if m, err := models.ParseMoney(s, currency); err == nil {
		a.v, a.ok = m, true
	}
	return nil
}

// currency is what LuckyFit counts in until /branches says otherwise.
const currency = "RUB"

// stamp is a date or date-time in the branch's zone, kept as text until the
// zone is known.
type stamp string

func (s *stamp) UnmarshalJSON(b []byte) error {
	var t text
	_ = t.UnmarshalJSON(b)
	*s = stamp(strings.TrimSpace(string(t)))
	return nil
}

// timeLayouts are the forms LuckyFit dates are read in.
var timeLayouts = []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", time.RFC3339}

// at reads a date-time in loc; ok is false when it cannot.
func (s stamp) at(loc *time.Location) (time.Time, bool) {
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, string(s), loc); err == nil {
			return t, true
		}
	}
	if d, ok := s.date(); ok {
		return d.In(loc), true
	}
	return time.Time{}, false
}

// date reads the calendar day, ignoring any time part.
func (s stamp) date() (models.Date, bool) {
	v := string(s)
	if len(v) >= 10 {
		if d, err := models.ParseDate(v[:10]); err == nil {
			return d, true
		}
	}
	if d, err := models.ParseDate(v); err == nil {
		return d, true
	}
	return models.Date{}, false
}

// wireTime is the form LuckyFit's filters take: YYYY-MM-DDTHH:MM:SS in the
// branch's zone.
func wireTime(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01-02T15:04:05") }

// wireDate is a calendar day for create/update bodies.
func wireDate(d models.Date) string { return d.String() }

// wireMoney is an amount as LuckyFit takes it: a JSON number of rubles with
// kopecks ("1500.50" becomes 1500.50 in the body, never a float in Go).
func wireMoney(m models.Money) json.Number { return json.Number(m.Decimal()) }

// first returns the first non-empty of several aliased fields.
func first[T comparable](vals ...T) T {
	var zero T
	for _, v := range vals {
		if v != zero {
			return v
		}
	}
	return zero
}

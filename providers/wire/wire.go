// Package wire holds the tolerant JSON types every provider adapter decodes
// with. CRM APIs drift between calls and versions — an id is 1 here and
// "123456" there, a boolean is true, 1 or "true", an amount is 1500, "1500"
// or "1500.50", a date may be 0 — so these types accept every form seen and
// never fail a whole answer on one field they cannot read: such a field is
// left empty, and the adapter decides what an empty field means.
package wire

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/models"
)

// Text is a string that may arrive as a number, a boolean or null.
type Text string

// UnmarshalJSON implements json.Unmarshaler.
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*t = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return nil
		}
		*t = Text(s)
	case b[0] == '{' || b[0] == '[':
		// An object where a string was expected carries no text we can show.
		*t = ""
	default:
		*t = Text(b)
	}
	return nil
}

// String returns the text.
func (t Text) String() string { return string(t) }

// ID is an identifier sent as a number or a string.
type ID = Text

// Number is an integer that may arrive as a string ("12") or a float (12.0).
type Number int64

// UnmarshalJSON implements json.Unmarshaler.
func (n *Number) UnmarshalJSON(b []byte) error {
	if v, ok := parseInt(b); ok {
		*n = Number(v)
	}
	return nil
}

// OptNumber is a Number that remembers whether it was present and readable:
// "0 visits left" and "no visit count" are different things.
type OptNumber struct {
	Value int64
	OK    bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (n *OptNumber) UnmarshalJSON(b []byte) error {
	n.Value, n.OK = parseInt(b)
	return nil
}

func parseInt(b []byte) (int64, bool) {
	var t Text
	_ = t.UnmarshalJSON(b)
	s := strings.TrimSpace(string(t))
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, true
	}
	if whole, frac, ok := strings.Cut(s, "."); ok && strings.Trim(frac, "0") == "" {
		if v, err := strconv.ParseInt(whole, 10, 64); err == nil {
			return v, true
		}
	}
	return 0, false
}

// Flag is a boolean sent as true, 1, "1", "true", "t" or "yes".
type Flag bool

// UnmarshalJSON implements json.Unmarshaler.
func (f *Flag) UnmarshalJSON(b []byte) error {
	var t Text
	_ = t.UnmarshalJSON(b)
	switch strings.ToLower(strings.TrimSpace(string(t))) {
	case "true", "1", "t", "yes":
		*f = true
	default:
		*f = false
	}
	return nil
}

// Amount is money in major units (rubles) as a JSON number or string. It is
// kept as the decimal text and read digit by digit, never through a float.
type Amount struct {
	raw string
}

// UnmarshalJSON implements json.Unmarshaler.
func (a *Amount) UnmarshalJSON(b []byte) error {
	var t Text
	_ = t.UnmarshalJSON(b)
	a.raw = strings.TrimSpace(string(t))
	return nil
}

// Money reads the amount in a currency; ok is false when it was absent or
// not a decimal (exponent forms like 1e3 are not money a CRM writes).
func (a Amount) Money(currency string) (models.Money, bool) {
	if a.raw == "" {
		return models.Money{}, false
	}
	m, err := models.ParseMoney(a.raw, currency)
	if err != nil {
		return models.Money{}, false
	}
	return m, true
}

// Or reads the amount, or zero money of the currency when it is absent.
func (a Amount) Or(currency string) models.Money {
	if m, ok := a.Money(currency); ok {
		return m
	}
	return models.Money{Currency: currency}
}

// MoneyOut is an amount as APIs take it: a JSON number in major units with
// the minor part after the point ("1500.50"), never a float in Go.
func MoneyOut(m models.Money) json.Number { return json.Number(m.Decimal()) }

// Stamp is a date or date-time in the provider's zone, kept as text until
// the zone is known.
type Stamp string

// UnmarshalJSON implements json.Unmarshaler.
func (s *Stamp) UnmarshalJSON(b []byte) error {
	var t Text
	_ = t.UnmarshalJSON(b)
	*s = Stamp(strings.TrimSpace(string(t)))
	return nil
}

// timeLayouts are the forms a date-time is read in; a form with a zone
// offset keeps its own zone.
var timeLayouts = []string{
	"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04",
	time.RFC3339, "2006-01-02T15:04:05-0700", "2006-01-02 15:04:05-07:00",
}

// At reads a date-time in loc (a bare date is its midnight); ok is false
// when it cannot.
func (s Stamp) At(loc *time.Location) (time.Time, bool) {
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, string(s), loc); err == nil {
			return t, true
		}
	}
	if d, ok := s.Date(); ok {
		return d.In(loc), true
	}
	return time.Time{}, false
}

// Date reads the calendar day, ignoring any time part. "0", "0000-00-00"
// and empty are no date.
func (s Stamp) Date() (models.Date, bool) {
	v := string(s)
	if len(v) >= 10 {
		if d, err := models.ParseDate(v[:10]); err == nil && d.Year > 0 {
			return d, true
		}
	}
	if d, err := models.ParseDate(v); err == nil && d.Year > 0 {
		return d, true
	}
	return models.Date{}, false
}

// First returns the first non-zero of several aliased fields.
func First[T comparable](vals ...T) T {
	var zero T
	for _, v := range vals {
		if v != zero {
			return v
		}
	}
	return zero
}

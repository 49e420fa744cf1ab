// Package wire holds the tolerant JSON types every provider adapter decodes
// with. CRM APIs drift between calls and versions — an id is 1 here and
// "123456" there, a boolean is true, 1 or "true", an amount is 1500, "1500"
// or "1500.50", a date may be 0 — so these types accept every form seen and
// never fail a whole answer on one field they cannot read: such a field is
// left empty, and the adapter decides what an empty field means. An amount
// is the exception: one that was sent and cannot be read is unknown
// (models.Money.Unknown), never empty, so it is never taken for zero.
//
// No text field keeps more than text.MaxField bytes (a 3 MB surname, a
// 1.3 MB stack trace as an error are cut at decode, with a mark), so one
// broken record cannot slow every keystroke that draws it.
package wire

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/keys/redact"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/text"
)

// Text is a string that may arrive as a number, a boolean or null. It
// keeps at most text.MaxField bytes of it.
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
		*t = Text(text.Cap(s, text.MaxField))
	case b[0] == '{' || b[0] == '[':
		// An object where a string was expected carries no text we can show.
		*t = ""
	default:
		*t = Text(text.Cap(string(b), text.MaxField))
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

// Amount is money in major units (rubles) in any shape a CRM's JSON sends
// it: a number, a decimal string with any scale ("3500.000"), an exponent
// (1e4), the currency written beside it ("3500 руб."). It is kept as the
// text it came in and read digit by digit (models.ParseAmount), never
// through a float.
type Amount struct {
	raw  string
	sent bool // present and not null
}

// UnmarshalJSON implements json.Unmarshaler.
func (a *Amount) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	a.sent = len(b) > 0 && string(b) != "null"
	switch {
	case !a.sent:
		a.raw = ""
	case b[0] == '"':
		var s string
		if json.Unmarshal(b, &s) != nil {
			s = "\x00" // sent, and not a string we can read: unknown
		}
		a.raw = strings.TrimSpace(s)
		a.sent = a.raw != ""
	case b[0] == '{' || b[0] == '[' || b[0] == 't' || b[0] == 'f':
		a.raw = "\x00" // an object, a list or a boolean is no amount
	default:
		a.raw = string(b)
	}
	return nil
}

// Sent reports whether the field held anything (not absent, null or "").
func (a Amount) Sent() bool { return a.sent }

// Money reads the amount in a currency; ok is false when it was absent or
// cannot be read. Use Or or Known to tell the two apart.
func (a Amount) Money(currency string) (models.Money, bool) {
	if !a.sent {
		return models.Money{}, false
	}
	m, err := models.ParseAmount(a.raw, currency)
	if err != nil {
		return models.Money{}, false
	}
	return m, true
}

// Or reads the amount: zero money of the currency when it was not sent
// (an absent debt is no debt), and unknown money when it was sent and
// cannot be read — never zero then.
func (a Amount) Or(currency string) models.Money {
	if !a.sent {
		return models.Money{Currency: currency}
	}
	if m, ok := a.Money(currency); ok {
		return m
	}
	return models.UnknownMoney(currency)
}

// Known reads an amount that must be there, a price: absent or
// unreadable, it is unknown (a plan without a price is not free).
func (a Amount) Known(currency string) models.Money {
	if m, ok := a.Money(currency); ok {
		return m
	}
	return models.UnknownMoney(currency)
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

// timeLayouts are the forms a date-time is read in, most common first; a
// form with a zone offset keeps its own zone, one without is in the zone
// the caller gives. CRMs mix them even inside one answer (YCLIENTS sends
// "2019-01-01T12:00:00+09:00" and "2019-01-17T19:41:44+0900" side by side).
var timeLayouts = []string{
	"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04",
	time.RFC3339Nano, "2006-01-02T15:04:05.999999999-0700", "2006-01-02T15:04:05-0700",
	"2006-01-02 15:04:05-07:00", "2006-01-02 15:04:05-0700", "2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05Z0700",
	"02.01.2006 15:04:05", "02.01.2006 15:04",
}

// ParseTime reads a date-time in any of the shapes CRMs send: ISO 8601 with
// or without fractions, with an offset with or without its colon, with Z, or
// with none (then it is in loc); "YYYY-MM-DD HH:MM[:SS]" in loc; a bare date
// "YYYY-MM-DD", "DD.MM.YYYY" or "YYYYMMDD" as its midnight in loc; unix
// seconds (or milliseconds, 13 digits). Empty, "0", "null" and all-zero
// dates ("0000-00-00 00:00:00") are no time: ok is false, as it is for
// anything else it cannot read. A nil loc is UTC.
func ParseTime(s string, loc *time.Location) (time.Time, bool) {
	if loc == nil {
		loc = time.UTC
	}
	s = strings.TrimSpace(s)
	if s == "" || s == "null" || strings.Trim(s, "0-.:T ") == "" {
		return time.Time{}, false
	}
	if isDigits(s) {
		switch len(s) {
		case 8: // YYYYMMDD
			if t, err := time.ParseInLocation("20060102", s, loc); err == nil {
				return t, true
			}
			return time.Time{}, false
		case 9, 10: // unix seconds: 1999..2286
			n, _ := strconv.ParseInt(s, 10, 64)
			return time.Unix(n, 0).In(loc), true
		case 13: // unix milliseconds
			n, _ := strconv.ParseInt(s, 10, 64)
			return time.UnixMilli(n).In(loc), true
		}
		return time.Time{}, false
	}
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}
	// A bare date in any form a desk or a provider writes it (2026-11-22,
	// 22.11.2026, 22.11.26, 22/11/2026) is its midnight.
	if d, err := models.ParseDate(s); err == nil && d.Year > 0 {
		return d.In(loc), true
	}
	return time.Time{}, false
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// At reads a date-time in loc with ParseTime (a bare date is its midnight,
// and so is a date followed by something unreadable, as it always was);
// ok is false when it cannot.
func (s Stamp) At(loc *time.Location) (time.Time, bool) {
	if t, ok := ParseTime(string(s), loc); ok {
		return t, true
	}
	if d, ok := s.Date(); ok {
		if loc == nil {
			loc = time.UTC
		}
		return d.In(loc), true
	}
	return time.Time{}, false
}

// Date reads the calendar day, ignoring any time part: "YYYY-MM-DD…" or
// "DD.MM.YYYY…". "0", "0000-00-00" and empty are no date. (A unix time has
// no calendar day without a zone: read it with At.)
func (s Stamp) Date() (models.Date, bool) {
	v := strings.TrimSpace(string(s))
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

// Fields is a set of per-field messages, as APIs answer a validation error:
// an object of strings {"name": "required"}, of lists of strings
// {"name": ["required", "too short"]}, of nested objects (flattened to
// "parent.name"), or a JSON string holding such an object (Go-CRM's public
// API writes "validation_errors": "{ \"name\": \"...\" }"). PHP's empty
// array [] is no fields. A text that is not an object is kept under the
// empty key, so no message the provider gave is lost. Every secret the
// process holds is redacted from them (they are only ever shown).
type Fields map[string]string

// UnmarshalJSON implements json.Unmarshaler.
func (f *Fields) UnmarshalJSON(b []byte) error {
	*f = nil
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if json.Unmarshal(b, &s) != nil {
			return nil
		}
		inner := bytes.TrimSpace([]byte(s))
		if len(inner) > 0 && inner[0] == '{' {
			b = inner
		} else if s = strings.TrimSpace(s); s != "" {
			*f = Fields{"": s}
			return nil
		}
	}
	var raw any
	if len(b) == 0 || json.Unmarshal(b, &raw) != nil {
		return nil
	}
	out := Fields{}
	flattenFields(out, "", raw)
	if len(out) > maxFields {
		// A refusal with thousands of fields says nothing a desk can show.
		keys := slices.Sorted(maps.Keys(out))
		for _, k := range keys[maxFields:] {
			delete(out, k)
		}
	}
	for k, v := range out {
		// A refusal's words are shown, never used: every secret the
		// process holds (the key the request carried) is hidden at once.
		if c := text.Cap(redact.String(k), 200); c != k {
			delete(out, k)
			k = c
		}
		out[k] = text.Cap(redact.String(v), text.MaxField)
	}
	if len(out) > 0 {
		*f = out
	}
	return nil
}

// maxFields is the most per-field messages a refusal keeps.
const maxFields = 50

func flattenFields(out Fields, key string, v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, sub := range v {
			if key != "" {
				k = key + "." + k
			}
			flattenFields(out, k, sub)
		}
	case []any:
		var parts []string
		for _, item := range v {
			switch item := item.(type) {
			case map[string]any:
				flattenFields(out, key, item)
			case nil:
			default:
				parts = append(parts, strings.TrimSpace(scalarText(item)))
			}
		}
		if s := strings.Join(parts, "; "); s != "" {
			out[key] = joinField(out[key], s)
		}
	case nil:
	default:
		if s := strings.TrimSpace(scalarText(v)); s != "" {
			out[key] = joinField(out[key], s)
		}
	}
}

func scalarText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

func joinField(have, more string) string {
	if have == "" {
		return more
	}
	return have + "; " + more
}

// Decode reads a payload into out, accepting an object where a list is
// expected and a one-element list where an object is: CRMs answer one
// record either way (YCLIENTS documents a list from POST /records).
func Decode(raw json.RawMessage, out any) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	err := json.Unmarshal(raw, out)
	if err == nil {
		return nil
	}
	switch raw[0] {
	case '{':
		wrapped := append(append([]byte{'['}, raw...), ']')
		if json.Unmarshal(wrapped, out) == nil {
			return nil
		}
	case '[':
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) == nil && len(list) > 0 && json.Unmarshal(list[0], out) == nil {
			return nil
		}
	}
	return err
}

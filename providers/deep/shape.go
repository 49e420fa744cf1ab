package deep

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/clubdesk/clubdesk/keys/redact"
)

// Shape is the shape of every value seen at one place of an answer: the
// kinds it came in, the lengths of its strings, the date shapes, an
// object's keys (each with its own shape and how often it was there), an
// array's lengths and its items' shape.
type Shape struct {
	enums map[string]bool
	seen  int
	kinds map[string]int // string, number, bool, null, object, array
	// strings
	minLen, maxLen int
	dates          map[string]bool
	dated          int  // how many strings were dates
	digits         bool // every string was digits only
	// numbers
	ints, decimals bool
	// enumeration values kept (for a key named in enums)
	values []string
	// objects
	objects int
	keys    map[string]*Shape
	// arrays
	minItems, maxItems int
	items              *Shape
}

// MaxEnum is how many values of an enumeration the shape keeps.
const MaxEnum = 12

// NewShape starts a shape; enums names the keys whose values are kept
// (ticket_state, attendance, status...), when they pass Enumerable.
func NewShape(enums ...string) *Shape {
	m := map[string]bool{}
	for _, e := range enums {
		m[e] = true
	}
	return &Shape{enums: m}
}

// Of is the shape of one JSON document (nil when it is not JSON).
func Of(raw []byte, enums ...string) any {
	s := NewShape(enums...)
	if !s.Add(raw) {
		return nil
	}
	return s.Render()
}

// Add takes one more JSON document into the shape; false when raw is not
// JSON.
func (s *Shape) Add(raw []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return false
	}
	s.add(v, false)
	return true
}

func (s *Shape) child() *Shape { return &Shape{enums: s.enums} }

func (s *Shape) kind(k string) {
	if s.kinds == nil {
		s.kinds = map[string]int{}
	}
	s.kinds[k]++
}

func (s *Shape) add(v any, enum bool) {
	s.seen++
	switch x := v.(type) {
	case nil:
		s.kind("null")
	case bool:
		s.kind("bool")
		if enum {
			s.value(fmt.Sprint(x))
		}
	case json.Number:
		s.kind("number")
		if strings.ContainsAny(x.String(), ".eE") {
			s.decimals = true
		} else {
			s.ints = true
		}
		if enum {
			s.value(x.String())
		}
	case string:
		first := s.kinds["string"] == 0
		s.kind("string")
		n := utf8.RuneCountInString(x)
		if first || n < s.minLen {
			s.minLen = n
		}
		if first || n > s.maxLen {
			s.maxLen = n
		}
		if first {
			s.digits = true
		}
		s.digits = s.digits && x != "" && strings.IndexFunc(x, func(r rune) bool { return r < '0' || r > '9' }) < 0
		if d := DateShape(x); d != "" {
			if s.dates == nil {
				s.dates = map[string]bool{}
			}
			s.dates[d] = true
			s.dated++
		}
		if enum {
			if Enumerable(x) {
				s.value(fmt.Sprintf("%q", x))
			} else {
				s.value(fmt.Sprintf("string(%d)", n))
			}
		}
	case []any:
		s.kind("array")
		n := len(x)
		if s.kinds["array"] == 1 || n < s.minItems {
			s.minItems = n
		}
		if s.kinds["array"] == 1 || n > s.maxItems {
			s.maxItems = n
		}
		if s.items == nil {
			s.items = s.child()
		}
		for _, it := range x {
			s.items.add(it, enum)
		}
	case map[string]any:
		s.kind("object")
		s.objects++
		if s.keys == nil {
			s.keys = map[string]*Shape{}
		}
		for k, val := range x {
			name := SafeKey(k)
			c := s.keys[name]
			if c == nil {
				c = s.child()
				s.keys[name] = c
			}
			c.add(val, s.enums[k])
		}
	}
}

func (s *Shape) value(v string) {
	if len(s.values) > MaxEnum || slices.Contains(s.values, v) {
		return
	}
	if len(s.values) == MaxEnum {
		v = "…"
	}
	s.values = append(s.values, v)
}

// Enumerable reports whether a string may stand in the report as itself:
// a short word or code ("Активный", "руб.", "Asia/Yekaterinburg"), with no
// run of three digits (a phone, a card, an id, a date), no "@", and
// nothing the redaction would hide.
func Enumerable(v string) bool {
	if v == "" || utf8.RuneCountInString(v) > 40 || strings.ContainsAny(v, "@\n\r\t") || longDigits.MatchString(v) {
		return false
	}
	return redact.String(v) == v
}

var longDigits = regexp.MustCompile(`[0-9]{3,}`)

// SafeKey is an object's key as the report may show it: a key that looks
// like data rather than a name (an id, a phone, an e-mail, a long text,
// spaces) is "‹key›".
func SafeKey(k string) string {
	if k == "" || utf8.RuneCountInString(k) > 64 || strings.ContainsAny(k, "@ \t\n") || longDigits.MatchString(k) ||
		strings.IndexFunc(k, unicode.IsControl) >= 0 || redact.String(k) != k {
		return "‹key›"
	}
	return k
}

// dateLike is a string's digits as 9s: the shapes dates come in.
var (
	datePart = regexp.MustCompile(`^(9999-99-99|99\.99\.9999|9999/99/99|99/99/9999)([T ]99:99(:99)?(\.9+)?)?(Z|[+-]99:?99)?$`)
	timePart = regexp.MustCompile(`^99:99(:99)?$`)
)

// DateShape is the shape of a date or date-time string ("YYYY-MM-DD",
// "YYYY-MM-DDThh:mm:ss±hh:mm", "DD.MM.YYYY hh:mm", "hh:mm"), "" when it is
// none. An all-zero date ("0000-00-00") says so.
func DateShape(v string) string {
	p := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '9'
		}
		return r
	}, v)
	if timePart.MatchString(p) {
		return strings.NewReplacer("99:99:99", "hh:mm:ss", "99:99", "hh:mm").Replace(p)
	}
	m := datePart.FindStringSubmatch(p)
	if m == nil {
		return ""
	}
	out := strings.NewReplacer("9999-99-99", "YYYY-MM-DD", "99.99.9999", "DD.MM.YYYY", "9999/99/99", "YYYY/MM/DD", "99/99/9999", "DD/MM/YYYY").Replace(m[1])
	if m[2] != "" {
		out += m[2][:1] + "hh:mm"
		if m[3] != "" {
			out += ":ss"
		}
		if m[4] != "" {
			out += "." + strings.Repeat("f", len(m[4])-1)
		}
	}
	switch z := m[5]; {
	case z == "Z":
		out += "Z"
	case strings.Contains(z, ":"):
		out += "±hh:mm"
	case z != "":
		out += "±hhmm"
	}
	if strings.Trim(v, "0-.:/TZ +") == "" {
		out += " (zero)"
	}
	return out
}

// Render is the shape as JSON-ready values: a string for a scalar
// ("string(3..12)", "date YYYY-MM-DD", "number int", "enum 1, 2, 4"), a
// map for an object, {"array": "0..25", "items": …} for an array.
func (s *Shape) Render() any {
	var scalars []string
	kinds := make([]string, 0, len(s.kinds))
	for k := range s.kinds {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		switch k {
		case "null":
			scalars = append(scalars, "null")
		case "bool":
			scalars = append(scalars, "bool")
		case "number":
			switch {
			case s.ints && s.decimals:
				scalars = append(scalars, "number (int and decimal)")
			case s.decimals:
				scalars = append(scalars, "number decimal")
			default:
				scalars = append(scalars, "number int")
			}
		case "string":
			scalars = append(scalars, s.stringShape())
		}
	}
	if len(s.values) > 0 {
		scalars = append(scalars, "enum "+strings.Join(s.values, ", "))
	}
	var obj map[string]any
	if s.kinds["object"] > 0 {
		obj = map[string]any{}
		some := map[string]any{}
		for k, c := range s.keys {
			obj[k] = c.Render()
			if c.seen < s.objects {
				some[k] = fmt.Sprintf("%d of %d", c.seen, s.objects)
			}
		}
		if len(some) > 0 {
			obj["(present in some only)"] = some
		}
	}
	var arr map[string]any
	if s.kinds["array"] > 0 {
		arr = map[string]any{"array": lengths(s.minItems, s.maxItems)}
		if s.items != nil && s.items.seen > 0 {
			arr["items"] = s.items.Render()
		}
	}
	switch {
	case obj != nil && arr == nil && len(scalars) == 0:
		return obj
	case arr != nil && obj == nil && len(scalars) == 0:
		return arr
	case obj == nil && arr == nil:
		return strings.Join(scalars, " | ")
	}
	out := map[string]any{}
	if obj != nil {
		out["object"] = obj
	}
	if arr != nil {
		out["array"] = arr
	}
	if len(scalars) > 0 {
		out["or"] = strings.Join(scalars, " | ")
	}
	return out
}

func (s *Shape) stringShape() string {
	n := "string(" + lengths(s.minLen, s.maxLen) + ")"
	if s.digits {
		n = "digits(" + lengths(s.minLen, s.maxLen) + ")"
	}
	if len(s.dates) > 0 {
		ds := make([]string, 0, len(s.dates))
		for d := range s.dates {
			ds = append(ds, d)
		}
		sort.Strings(ds)
		if len(s.dates) == 1 && s.dated == s.kinds["string"] {
			return "date " + ds[0]
		}
		return n + ", dates " + strings.Join(ds, ", ")
	}
	return n
}

func lengths(lo, hi int) string {
	if lo == hi {
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%d..%d", lo, hi)
}

package deep

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/clubdesk/clubdesk/models"
)

// Object is one JSON object of an answer, its values kept raw.
type Object map[string]json.RawMessage

// Items reads an answer's data as objects: a list of them, or one object
// as a list of one; nothing for anything else.
func Items(raw []byte) []Object {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	switch raw[0] {
	case '{':
		var o Object
		if json.Unmarshal(raw, &o) == nil {
			return []Object{o}
		}
	case '[':
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) != nil {
			return nil
		}
		var out []Object
		for _, it := range list {
			var o Object
			if json.Unmarshal(it, &o) == nil && o != nil {
				out = append(out, o)
			}
		}
		return out
	}
	return nil
}

// IsList reports whether raw is a JSON array.
func IsList(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '['
}

// Kind is a JSON value's type: string, number, bool, null, object, array;
// "" when absent.
func Kind(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// Has reports whether the object carries key with a value (not null).
func (o Object) Has(key string) bool {
	k := Kind(o[key])
	return k != "" && k != "null"
}

// Text is a value as text: a string's content, a number's digits, a
// boolean's word. For the checks only: it never goes into Seen.
func (o Object) Text(key string) string {
	raw := bytes.TrimSpace(o[key])
	if Kind(raw) == "string" {
		var s string
		_ = json.Unmarshal(raw, &s)
		return strings.TrimSpace(s)
	}
	if k := Kind(raw); k == "number" || k == "bool" {
		return string(raw)
	}
	return ""
}

// Obj is a nested object ("staff": {...}); nil when it is not one.
func (o Object) Obj(key string) Object {
	if Kind(o[key]) != "object" {
		return nil
	}
	var out Object
	_ = json.Unmarshal(o[key], &out)
	return out
}

// List is a nested list of objects.
func (o Object) List(key string) []Object {
	if Kind(o[key]) != "array" {
		return nil
	}
	return Items(o[key])
}

// Missing lists the keys no item carries (absent or null in every one).
func Missing(items []Object, keys ...string) []string {
	var out []string
	for _, k := range keys {
		if !slices.ContainsFunc(items, func(o Object) bool { return o.Has(k) }) {
			out = append(out, k)
		}
	}
	return out
}

// NoneOf reports whether no item carries any of the keys.
func NoneOf(items []Object, keys ...string) bool { return len(Missing(items, keys...)) == len(keys) }

// Kinds is the JSON types key came in across the items, sorted.
func Kinds(items []Object, key string) []string {
	var out []string
	for _, o := range items {
		if k := Kind(o[key]); k != "" && k != "null" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// ValueShape is a value's shape in a word, for Seen: a date's shape, or
// its JSON type with a string's length ("string(7)", "number").
func ValueShape(raw json.RawMessage) string {
	switch k := Kind(raw); k {
	case "string":
		var s string
		_ = json.Unmarshal(raw, &s)
		if d := DateShape(strings.TrimSpace(s)); d != "" {
			return d
		}
		return fmt.Sprintf("string(%d)", utf8.RuneCountInString(s))
	default:
		return k
	}
}

// Shapes is the distinct shapes key came in across the items, sorted.
func Shapes(items []Object, key string) []string {
	var out []string
	for _, o := range items {
		if !o.Has(key) {
			continue
		}
		if s := ValueShape(o[key]); !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// KeysOf is the keys the items carry, sorted, as the report may show
// them.
func KeysOf(items []Object) []string {
	var out []string
	for _, o := range items {
		for k := range o {
			if s := SafeKey(k); !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Same is one text in both languages (key names, shapes).
func Same(s string) models.Words { return models.Words{EN: s, RU: s} }

// Say fills a sentence in both languages.
func Say(en, ru string, args ...any) models.Words {
	return models.Words{EN: en, RU: ru}.Fill(args...)
}

// List joins names for Seen: "id, name".
func List(names []string) string { return strings.Join(names, ", ") }

// OddDates lists, key by key, the shapes of the dates the items carry
// that are not among allowed: "birthday: DD.MM.YYYY". A value that is no
// date at all — empty, "0", null, or words — is odd too unless empty or
// "0", which CRMs send for "none".
func OddDates(items []Object, allowed []string, keys ...string) []string {
	var out []string
	for _, k := range keys {
		var odd []string
		for _, o := range items {
			if !o.Has(k) {
				continue
			}
			if Kind(o[k]) != "string" {
				if t := o.Text(k); t != "0" && t != "" {
					odd = appendNew(odd, Kind(o[k]))
				}
				continue
			}
			v := o.Text(k)
			if v == "" || v == "0" {
				continue
			}
			if s := DateShape(v); !slices.Contains(allowed, s) {
				odd = appendNew(odd, ValueShape(o[k]))
			}
		}
		if len(odd) > 0 {
			sort.Strings(odd)
			out = append(out, k+": "+strings.Join(odd, ", "))
		}
	}
	return out
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

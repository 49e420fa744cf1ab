package yclients

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers/wire"
)

// YCLIENTS' answers drift between types (assumption 3 in the package doc):
// the shared tolerant types of package wire read them.
type (
	text   = wire.Text
	id     = wire.ID
	number = wire.Number
	count  = wire.OptNumber
	flag   = wire.Flag
	amount = wire.Amount
	stamp  = wire.Stamp
)

// object is a nested object that PHP may send as [] when it is empty, or
// as {} collapsed: anything but an object leaves it zero instead of failing
// the whole answer.
type object[T any] struct{ V T }

// UnmarshalJSON implements json.Unmarshaler.
func (o *object[T]) UnmarshalJSON(b []byte) error {
	var zero T
	o.V = zero
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		_ = json.Unmarshal(b, &o.V)
	}
	return nil
}

// list is an array whose items are read one by one: an item that cannot be
// read is dropped, not the list; an object (PHP's keyed array) is read as
// its values; anything else is an empty list.
type list[T any] []T

// UnmarshalJSON implements json.Unmarshaler.
func (l *list[T]) UnmarshalJSON(b []byte) error {
	*l = nil
	b = bytes.TrimSpace(b)
	var items []json.RawMessage
	switch {
	case len(b) > 0 && b[0] == '[':
		if json.Unmarshal(b, &items) != nil {
			return nil
		}
	case len(b) > 0 && b[0] == '{':
		var m map[string]json.RawMessage
		if json.Unmarshal(b, &m) != nil {
			return nil
		}
		for _, v := range m {
			items = append(items, v)
		}
	}
	for _, it := range items {
		var v T
		if json.Unmarshal(it, &v) == nil {
			*l = append(*l, v)
		}
	}
	return nil
}

// money reads an amount in the company's currency (cur).
func money(a amount, cur string) models.Money { return a.Or(cur) }

// wireDate is a calendar day as YCLIENTS' filters and bodies take it.
func wireDate(d models.Date) string { return d.String() }

// first returns the first non-empty of several aliased fields.
func first[T comparable](vals ...T) T { return wire.First(vals...) }

// pathID keeps an id from changing the path it is put into.
func pathID(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '?' || r == '#' || r == '%' || r < ' ' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

// numID sends an id as a JSON number when it is one (YCLIENTS' ids are),
// as a string otherwise.
func numID(s string) any {
	if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
		return n
	}
	return s
}

// seconds reads a duration YCLIENTS gives in seconds.
func seconds(n number) time.Duration { return time.Duration(n) * time.Second }

package ui

import (
	"reflect"

	"charm.land/bubbles/v2/key"
)

// byAction maps the config's action names to the bindings, read from the
// struct tags so the list cannot drift from the fields.
func (k *keyMap) byAction() map[string]*key.Binding {
	out := map[string]*key.Binding{}
	v := reflect.ValueOf(k).Elem()
	t := v.Type()
	for i := range t.NumField() {
		if name := t.Field(i).Tag.Get("action"); name != "" {
			out[name] = v.Field(i).Addr().Interface().(*key.Binding)
		}
	}
	return out
}

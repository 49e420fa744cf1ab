package i18n

import (
	"reflect"
	"strings"
	"testing"
)

func TestServeTextsAreComplete(t *testing.T) {
	for _, lang := range []string{"ru", "en"} {
		v := reflect.ValueOf(*Serve(lang))
		for i := range v.NumField() {
			if v.Field(i).String() == "" {
				t.Errorf("%s: ServeTexts.%s is empty", lang, v.Type().Field(i).Name)
			}
		}
	}
	// The formats take the same arguments in both languages.
	ru, en := reflect.ValueOf(serveRU), reflect.ValueOf(serveEN)
	for i := range ru.NumField() {
		if a, b := strings.Count(ru.Field(i).String(), "%"), strings.Count(en.Field(i).String(), "%"); a != b {
			t.Errorf("ServeTexts.%s: %d verbs in Russian, %d in English", ru.Type().Field(i).Name, a, b)
		}
	}
}

package i18n

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/clubdesk/clubdesk/models"
)

// TestPlaceholdersAgree: one Sprintf fills a message in either language, so
// every message must take the same arguments in Russian and English, and a
// counted message must have the forms its language's plural rule asks for.
func TestPlaceholdersAgree(t *testing.T) {
	checked := 0
	var walk func(ru, en reflect.Value, path string)
	walk = func(ru, en reflect.Value, path string) {
		switch ru.Kind() {
		case reflect.String:
			checked++
			r, e := ru.String(), en.String()
			if !models.VerbsAgree(r, e) {
				t.Errorf("%s: ru %q takes %v, en %q takes %v", path, r, models.Verbs(r), e, models.Verbs(e))
			}
			checkForms(t, path, "ru", r)
			checkForms(t, path, "en", e)
		case reflect.Struct:
			for i := range ru.NumField() {
				walk(ru.Field(i), en.Field(i), path+"."+ru.Type().Field(i).Name)
			}
		case reflect.Array:
			for i := range ru.Len() {
				walk(ru.Index(i), en.Index(i), fmt.Sprintf("%s[%d]", path, i))
			}
		case reflect.Map:
			for _, k := range ru.MapKeys() {
				ev := en.MapIndex(k)
				if !ev.IsValid() {
					t.Errorf("%s[%v]: only in Russian", path, k)
					continue
				}
				walk(ru.MapIndex(k), ev, fmt.Sprintf("%s[%v]", path, k))
			}
			for _, k := range en.MapKeys() {
				if !ru.MapIndex(k).IsValid() {
					t.Errorf("%s[%v]: only in English", path, k)
				}
			}
		}
	}
	walk(reflect.ValueOf(*For("ru")), reflect.ValueOf(*For("en")), "texts")
	walk(reflect.ValueOf(*CLIFor("ru")), reflect.ValueOf(*CLIFor("en")), "cli")
	walk(reflect.ValueOf(*Serve("ru")), reflect.ValueOf(*Serve("en")), "serve")
	if checked < 300 {
		t.Fatalf("only %d messages walked: the walk misses fields", checked)
	}
}

func checkForms(t *testing.T, path, lang, msg string) {
	t.Helper()
	if n := len(splitForms(msg)); n > 1 && n != models.PluralForms(lang) {
		t.Errorf("%s (%s): %d plural forms in %q, the language has %d", path, lang, n, msg, models.PluralForms(lang))
	}
}

func splitForms(msg string) []string { return strings.Split(msg, models.PluralSep) }

// TestVerbsCatchDisagreement: the check above can fail.
func TestVerbsCatchDisagreement(t *testing.T) {
	for _, c := range []struct {
		a, b  string
		agree bool
	}{
		{"Долг: %s", "Debt: %s", true},
		{"%s записан(а) на «%s» в %s", "%s booked on “%s” at %s", true},
		{"скидка %d%%", "discount %d%%", true},
		{"%d из %d", "%d of %s", false},
		{"Карта %s", "Card", false},
		{"%[2]s — %[1]s", "%[1]s: %[2]s", true},
		{"%d посещение|%d посещения|%d посещений", "%d visit|visits", false},
	} {
		if got := models.VerbsAgree(c.a, c.b); got != c.agree {
			t.Errorf("VerbsAgree(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

package i18n

import (
	"reflect"
	"strings"
	"testing"
)

func TestCLITextsAreComplete(t *testing.T) {
	for _, lang := range []string{"ru", "en"} {
		v := reflect.ValueOf(*CLIFor(lang))
		for i := range v.NumField() {
			if v.Field(i).String() == "" {
				t.Errorf("%s: CLITexts.%s is empty", lang, v.Type().Field(i).Name)
			}
			if n, m := strings.Count(reflect.ValueOf(cliRU).Field(i).String(), "%"), strings.Count(reflect.ValueOf(cliEN).Field(i).String(), "%"); n != m {
				t.Errorf("CLITexts.%s: %d verbs in Russian, %d in English", v.Type().Field(i).Name, n, m)
			}
		}
	}
}

package i18n

import (
	"reflect"
	"strings"
	"testing"
)

func TestTextsAreComplete(t *testing.T) {
	for _, tr := range []*Texts{For("ru"), For("en")} {
		var walk func(v reflect.Value, path string)
		walk = func(v reflect.Value, path string) {
			switch v.Kind() {
			case reflect.String:
				if v.String() == "" && !strings.HasSuffix(path, ".Lang") {
					t.Errorf("%s: %s is empty", tr.Lang, path)
				}
			case reflect.Struct:
				for i := range v.NumField() {
					walk(v.Field(i), path+"."+v.Type().Field(i).Name)
				}
			case reflect.Array:
				for i := range v.Len() {
					walk(v.Index(i), path)
				}
			}
		}
		walk(reflect.ValueOf(*tr), "texts")
	}
}

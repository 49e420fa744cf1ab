package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestEveryMessageIsUsed: a message no code prints is a message nobody
// keeps up to date. Every field of the catalogs must be selected (t.Field)
// somewhere in the module outside this package's catalog files.
func TestEveryMessageIsUsed(t *testing.T) {
	used := map[string]bool{}
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		if filepath.Dir(path) == filepath.Join(root, "ui", "i18n") { // the catalogs themselves
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				used[sel.Sel.Name] = true
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Fields the package's own helpers read (N, Visits, InDays, LongDate…).
	for _, own := range []string{"Lang", "VisitCount", "InDaysCount", "Today", "Tomorrow", "weekdays", "months"} {
		used[own] = true
	}
	var walk func(typ reflect.Type, path string)
	walk = func(typ reflect.Type, path string) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			if f.Type.Kind() == reflect.Struct {
				walk(f.Type, path+"."+f.Name)
			}
			if !used[f.Name] {
				t.Errorf("%s.%s: no code prints it — use it or remove it", path, f.Name)
			}
		}
	}
	walk(reflect.TypeOf(Texts{}), "Texts")
	walk(reflect.TypeOf(CLITexts{}), "CLITexts")
	walk(reflect.TypeOf(ServeTexts{}), "ServeTexts")
}

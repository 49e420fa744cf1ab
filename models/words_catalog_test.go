package models

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEveryWordsAgrees reads every Go file of the module and checks each
// Words{EN: …, RU: …} written out in it: both languages said, the same
// arguments in both (one Fill fills both), and a counted message with the
// forms its language's plural rule asks for. The adapters' sentences are
// Words spread over many files; this keeps them to the rules the UI's
// catalog is held to (ui/i18n/placeholders_test.go).
func TestEveryWordsAgrees(t *testing.T) {
	root := ".."
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok || !isWords(lit.Type) {
				return true
			}
			en, ru, ok := wordsOf(lit)
			if !ok {
				return true
			}
			checked++
			at := fset.Position(lit.Pos()).String()
			switch {
			case en == "" || ru == "":
				if en != ru {
					t.Errorf("%s: said in one language only: en %q, ru %q", at, en, ru)
				}
			case !VerbsAgree(en, ru):
				t.Errorf("%s: en %q takes %v, ru %q takes %v", at, en, Verbs(en), ru, Verbs(ru))
			}
			for lang, msg := range map[string]string{"en": en, "ru": ru} {
				if n := len(strings.Split(msg, PluralSep)); n > 1 && n != PluralForms(lang) {
					t.Errorf("%s: %d plural forms in %q, %s has %d", at, n, msg, lang, PluralForms(lang))
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d Words literals checked", checked)
	if checked < 150 {
		t.Fatalf("only %d Words literals found: the walk misses them", checked)
	}
}

func isWords(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name == "Words"
	case *ast.SelectorExpr:
		return x.Sel.Name == "Words"
	}
	return false
}

// wordsOf reads a literal's two sentences when both are written as string
// constants; a sentence built at run time is left to the code that builds it.
func wordsOf(lit *ast.CompositeLit) (en, ru string, ok bool) {
	var vals [2]ast.Expr
	for i, el := range lit.Elts {
		if kv, isKV := el.(*ast.KeyValueExpr); isKV {
			switch kv.Key.(*ast.Ident).Name {
			case "EN":
				vals[0] = kv.Value
			case "RU":
				vals[1] = kv.Value
			}
		} else if i < 2 {
			vals[i] = el
		}
	}
	en, okEN := constString(vals[0])
	ru, okRU := constString(vals[1])
	return en, ru, okEN && okRU
}

func constString(e ast.Expr) (string, bool) {
	switch x := e.(type) {
	case nil:
		return "", true
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(x.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if x.Op != token.ADD {
			return "", false
		}
		a, okA := constString(x.X)
		b, okB := constString(x.Y)
		return a + b, okA && okB
	case *ast.ParenExpr:
		return constString(x.X)
	}
	return "", false
}

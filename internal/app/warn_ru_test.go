package app

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// Every warning's title and every text app passes through r.tr, literal or
// constant, has its Russian form in warnRU with the same verbs in the same
// order; the table has nothing else.
func TestWarningsInRussian(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	consts := map[string]string{}
	var parsed []*ast.File
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, f)
	}
	// The value of each string constant of the package.
	for _, f := range parsed {
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, name := range vs.Names {
				if i < len(vs.Values) {
					if s, ok := stringValue(vs.Values[i], consts); ok {
						consts[name.Name] = s
					}
				}
			}
			return true
		})
	}
	used := map[string]bool{}
	for _, f := range parsed {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "warn" && sel.Sel.Name != "tr") {
				return true
			}
			s, ok := stringValue(call.Args[0], consts)
			if !ok {
				if sel.Sel.Name == "warn" {
					t.Errorf("%s: a warning's title is not a constant", fset.Position(call.Pos()))
				}
				return true
			}
			used[s] = true
			ru, ok := warnRU[s]
			if !ok {
				t.Errorf("%s: %q has no Russian form in warnRU", fset.Position(call.Pos()), s)
				return true
			}
			if got, want := logVerb.FindAllString(ru, -1), logVerb.FindAllString(s, -1); !slices.Equal(got, want) {
				t.Errorf("warnRU[%q] takes %v, the English %v", s, got, want)
			}
			return true
		})
	}
	for s := range warnRU {
		if !used[s] {
			t.Errorf("warnRU has %q, which app no longer says", s)
		}
	}
	r := &runner{lang: i18n.Russian}
	if got := r.tr("Commit"); got != "Коммит" {
		t.Errorf("tr(Commit) = %q", got)
	}
	if got := (&runner{}).tr("Commit"); got != "Commit" {
		t.Errorf("English tr(Commit) = %q", got)
	}
}

// stringValue is the value of a string literal, a constant of consts, or a
// + of them.
func stringValue(e ast.Expr, consts map[string]string) (string, bool) {
	switch v := e.(type) {
	case *ast.BasicLit:
		if v.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(v.Value)
		return s, err == nil
	case *ast.Ident:
		s, ok := consts[v.Name]
		return s, ok
	case *ast.BinaryExpr:
		if v.Op != token.ADD {
			return "", false
		}
		a, ok1 := stringValue(v.X, consts)
		b, ok2 := stringValue(v.Y, consts)
		return a + b, ok1 && ok2
	}
	return "", false
}

package app

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Every invalid-input message of parseConfig has its Russian form with the
// same verbs in the same order, and the table has none the code lacks.
func TestInvalidInputInRussian(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "config.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "bad" {
			return true
		}
		lit, ok := call.Args[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			t.Errorf("%s: bad with a format that is no literal", fset.Position(call.Pos()))
			return true
		}
		format, _ := strconv.Unquote(lit.Value)
		used[format] = true
		ru, ok := badRU[format]
		if !ok {
			t.Errorf("%s: invalid-input message %q has no Russian form in badRU", fset.Position(call.Pos()), format)
			return true
		}
		if got, want := logVerb.FindAllString(ru, -1), logVerb.FindAllString(format, -1); !slices.Equal(got, want) {
			t.Errorf("badRU[%q] takes %v, the English %v", format, got, want)
		}
		return true
	})
	for format := range badRU {
		if !used[format] {
			t.Errorf("badRU has %q, which parseConfig never says", format)
		}
	}
}

func TestInvalidInputSpeaksRussian(t *testing.T) {
	t.Parallel()
	s := validSettings()
	s["language"] = "ru"
	s["mode"] = "strict"
	s["token"] = ""
	s["url"] = "codescoring.example.com"
	_, err := parseConfig(s, noFile)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"`mode` \"strict\" неизвестен: укажите один из enforce, warn", "`token` обязателен",
		"адрес CodeScoring codescoring.example.com не начинается с https:// или http://: задайте входной параметр `url`: адрес установки со схемой, например https://codescoring.example.com"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

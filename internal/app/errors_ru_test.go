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
		id, ok := call.Fun.(*ast.Ident)
		if !ok || id.Name != "bad" && id.Name != "badf" {
			return true
		}
		arg := call.Args[0]
		if id.Name == "badf" {
			arg = call.Args[1] // after the language
		}
		if _, fwd := arg.(*ast.Ident); fwd && id.Name == "badf" {
			return true // bad's format, forwarded: checked where bad is called
		}
		lit, ok := arg.(*ast.BasicLit)
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

// The project list, the CA certificate and the report files are told in
// Russian too.
func TestInvalidListsSpeakRussian(t *testing.T) {
	t.Parallel()
	s := validSettings()
	s["language"] = "ru"
	s["project"] = "340,0340,,000"
	s["ca-cert"] = "/nope.pem"
	s["report-json"], s["report-junit"] = "out/a.json", "out/./a.json"
	_, err := parseConfig(s, noFile)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		"в `project` \"0340\" указан дважды (элементы 1 и 2): укажите каждый проект один раз",
		"`project`: элемент 3 из 4 пуст",
		"`project` \"000\" — не id проекта: id начинаются с 1",
		"`ca-cert`: нет файла \"/nope.pem\": укажите путь к PEM-файлу или сам текст PEM",
		"`report-json` и `report-junit` оба равны \"out/./a.json\": задайте каждому файлу отчета свой путь",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// The problems of an `api-paths` value are told in Russian too, and in
// English as before when the run is English.
func TestInvalidAPIPathsSpeakRussian(t *testing.T) {
	t.Parallel()
	for lang, want := range map[string][]string{
		"ru": {"`api-paths` называет неизвестный эндпоинт \"alert\" (имена и пути по умолчанию: project (/api/projects/{id}/)",
			"`api-paths` policies=/api/p: путь должен начинаться и заканчиваться косой чертой, как путь по умолчанию /api/policies/ (имена и пути по умолчанию: "},
		"en": {"`api-paths` names no endpoint \"alert\" (the names and their defaults: project (/api/projects/{id}/)",
			"`api-paths` policies=/api/p: the path must start and end with a slash, as the default /api/policies/ does (the names and their defaults: "},
	} {
		s := validSettings()
		s["language"] = lang
		s["api-paths"] = "alert=/x/\npolicies=/api/p"
		_, err := parseConfig(s, noFile)
		if err == nil {
			t.Fatalf("%s: no error", lang)
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", lang, err, w)
			}
		}
	}
}

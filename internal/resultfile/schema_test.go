package resultfile

// The JSON document is checked against schema/report.v1.json by a small
// validator kept here in test code rather than a library: the project may
// add only a few listed libraries, none of them a JSON Schema validator, and
// the schema needs only a handful of keywords. The validator refuses any
// keyword it does not implement, so the schema can never rely on a rule
// that nothing checks.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// schemaKeywords are the keywords validate implements or, for annotations,
// knowingly ignores.
var schemaKeywords = []string{"$schema", "$id", "title", "description", "$defs",
	"type", "properties", "required", "additionalProperties", "items", "enum", "minimum", "pattern", "$ref"}

type schemaValidator struct {
	root map[string]any
}

func loadSchema(t *testing.T) *schemaValidator {
	t.Helper()
	b, err := os.ReadFile("schema/report.v1.json")
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&root); err != nil {
		t.Fatalf("schema/report.v1.json: %v", err)
	}
	if got := root["$id"]; got != SchemaID {
		t.Fatalf("schema $id = %v, want SchemaID %q", got, SchemaID)
	}
	return &schemaValidator{root: root}
}

// validate checks the JSON document doc and returns every violation.
func (v *schemaValidator) validate(doc []byte) []string {
	var val any
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&val); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	var errs []string
	v.check(v.root, val, "$", &errs)
	return errs
}

func (v *schemaValidator) check(s map[string]any, val any, path string, errs *[]string) {
	bad := func(format string, args ...any) { *errs = append(*errs, path+": "+fmt.Sprintf(format, args...)) }
	for k := range s {
		if !slices.Contains(schemaKeywords, k) {
			bad("schema keyword %q is not implemented by the test validator", k)
		}
	}
	if ref, ok := s["$ref"].(string); ok {
		name, found := strings.CutPrefix(ref, "#/$defs/")
		defs, _ := v.root["$defs"].(map[string]any)
		sub, ok := defs[name].(map[string]any)
		if !found || !ok {
			bad("unresolvable $ref %q", ref)
			return
		}
		v.check(sub, val, path, errs)
	}
	if t, ok := s["type"]; ok {
		var types []string
		switch t := t.(type) {
		case string:
			types = []string{t}
		case []any:
			for _, x := range t {
				types = append(types, x.(string))
			}
		}
		got := jsonType(val)
		if got == "integer" && slices.Contains(types, "number") {
			got = "number"
		}
		if !slices.Contains(types, got) {
			bad("type %s, want %s", got, strings.Join(types, " or "))
			return
		}
	}
	if enum, ok := s["enum"].([]any); ok {
		if !slices.ContainsFunc(enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(val) && jsonType(e) == jsonType(val) }) {
			bad("%v is not one of %v", val, enum)
		}
	}
	if p, ok := s["pattern"].(string); ok {
		if str, isStr := val.(string); isStr && !regexp.MustCompile(p).MatchString(str) {
			bad("%q does not match %s", str, p)
		}
	}
	if m, ok := s["minimum"].(json.Number); ok {
		if n, isNum := val.(json.Number); isNum {
			a, _ := n.Float64()
			b, _ := m.Float64()
			if a < b {
				bad("%v is below the minimum %v", n, m)
			}
		}
	}
	if obj, ok := val.(map[string]any); ok {
		props, _ := s["properties"].(map[string]any)
		if req, ok := s["required"].([]any); ok {
			for _, r := range req {
				if _, has := obj[r.(string)]; !has {
					bad("required field %q is missing", r)
				}
			}
		}
		for k, x := range obj {
			sub, known := props[k].(map[string]any)
			if !known {
				if s["additionalProperties"] == false {
					bad("field %q is not in the schema", k)
				}
				continue
			}
			v.check(sub, x, path+"."+k, errs)
		}
	}
	if arr, ok := val.([]any); ok {
		if items, ok := s["items"].(map[string]any); ok {
			for i, x := range arr {
				v.check(items, x, fmt.Sprintf("%s[%d]", path, i), errs)
			}
		}
	}
}

func jsonType(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if _, err := v.Int64(); err == nil {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func TestJSONMatchesSchema(t *testing.T) {
	v := loadSchema(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := JSON(tc.in())
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range v.validate(doc) {
				t.Error(e)
			}
		})
	}
}

// TestSchemaValidatorRejects shows the validator can fail: each broken
// document gives the named violation.
func TestSchemaValidatorRejects(t *testing.T) {
	v := loadSchema(t)
	good, err := JSON(cases[0].in())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(m map[string]any)
		want string
	}{
		{"missing field", func(m map[string]any) { delete(m, "verdict") }, `required field "verdict" is missing`},
		{"unknown field", func(m map[string]any) { m["verdikt"] = "pass" }, `field "verdikt" is not in the schema`},
		{"bad enum", func(m map[string]any) { m["verdict"] = "blocked" }, `$.verdict: blocked is not one of`},
		{"wrong type", func(m map[string]any) { m["exit_code"] = "1" }, `$.exit_code: 1 is not one of`},
		{"bad fingerprint", func(m map[string]any) {
			m["findings"].([]any)[0].(map[string]any)["fingerprint"] = "5000"
		}, `$.findings[0].fingerprint: "5000" does not match`},
		{"negative count", func(m map[string]any) { m["counts"].(map[string]any)["blocking"] = -1 }, `$.counts.blocking: -1 is below the minimum`},
		{"bad time in a $ref", func(m map[string]any) { m["decided_at"] = "yesterday" }, `$.decided_at: "yesterday" does not match`},
		{"null where an object is required", func(m map[string]any) { m["counts"] = nil }, `$.counts: type null, want object`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal(good, &m); err != nil {
				t.Fatal(err)
			}
			tc.edit(m)
			b, _ := json.Marshal(m)
			errs := v.validate(b)
			if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, tc.want) }) {
				t.Errorf("violations %q, want one containing %q", errs, tc.want)
			}
		})
	}
}

package resultfile

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := Paths{
		JSON:        filepath.Join(dir, "reports", "gate.json"),
		JUnit:       filepath.Join(dir, "junit.xml"),
		CodeQuality: "",
	}
	if err := os.WriteFile(p.JUnit, []byte("old contents, longer than nothing"), 0o644); err != nil {
		t.Fatal(err)
	}
	in := cases[0].in()
	redact := func(s string) string { return strings.ReplaceAll(s, "payments-service", "***") }
	if err := Write(p, in, redact); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p.JSON)
	if err != nil {
		t.Fatal(err)
	}
	var doc Document
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Project == nil || doc.Project.Name != "***" || doc.Verdict != "fail" {
		t.Errorf("written document: project %+v, verdict %q; want the filtered name and fail", doc.Project, doc.Verdict)
	}
	j, _ := os.ReadFile(p.JUnit)
	want, _ := JUnit(in)
	if string(j) != redact(string(want)) {
		t.Errorf("junit.xml was not replaced whole")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestWriteErrorNamesThePath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(blocker, "sub", "gate.json") // a file is in the way
	good := filepath.Join(dir, "cq.json")
	err := Write(Paths{JSON: bad, CodeQuality: good}, cases[0].in(), nil)
	if err == nil || !strings.Contains(err.Error(), "write "+bad) {
		t.Fatalf("err = %v, want one naming %s", err, bad)
	}
	if _, err := os.Stat(good); err != nil {
		t.Errorf("the other file was not written: %v", err)
	}
}

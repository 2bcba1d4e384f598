package resultfile

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
)

type cqIssue struct {
	Description string `json:"description"`
	CheckName   string `json:"check_name"`
	Fingerprint string `json:"fingerprint"`
	Severity    string `json:"severity"`
	Location    struct {
		Path  string `json:"path"`
		Lines struct {
			Begin *int `json:"begin"`
		} `json:"lines"`
	} `json:"location"`
}

func TestCodeQualityIsABOMlessArrayGitLabReads(t *testing.T) {
	t.Parallel()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, err := CodeQuality(tc.in())
			if err != nil {
				t.Fatal(err)
			}
			if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
				t.Fatal("the file starts with a byte order mark")
			}
			if len(b) == 0 || b[0] != '[' {
				t.Fatalf("the file does not start with a JSON array: %.40q", b)
			}
			var issues []cqIssue
			if err := json.Unmarshal(b, &issues); err != nil {
				t.Fatal(err)
			}
			if issues == nil {
				t.Fatal("decoded to nil: the file is null, not an array")
			}
			seen := map[string]bool{}
			for _, is := range issues {
				if is.Description == "" || is.CheckName == "" || is.Fingerprint == "" || is.Location.Path == "" || is.Location.Lines.Begin == nil {
					t.Errorf("issue lacks a field GitLab needs: %+v", is)
				}
				if !slices.Contains([]string{"info", "minor", "major", "critical", "blocker"}, is.Severity) {
					t.Errorf("severity %q is not one GitLab knows", is.Severity)
				}
				if seen[is.Fingerprint] {
					t.Errorf("fingerprint %s appears twice", is.Fingerprint)
				}
				seen[is.Fingerprint] = true
			}
		})
	}
}

func TestCodeQualityIssues(t *testing.T) {
	t.Parallel()
	b, err := CodeQuality(cases[0].in())
	if err != nil {
		t.Fatal(err)
	}
	var issues []cqIssue
	if err := json.Unmarshal(b, &issues); err != nil {
		t.Fatal(err)
	}
	o := failOutcome()
	d := o.Decision
	// log4j-core 2.14.1 and 2.15.0 with the same CVE are one finding.
	if fingerprint(d.Blocking[1]) != fingerprint(d.Blocking[2]) {
		t.Fatal("two versions of one package with one CVE have different fingerprints")
	}
	want := []struct{ fp, sev string }{
		{fingerprint(d.Blocking[0]), "blocker"},
		{fingerprint(d.Blocking[1]), "blocker"},
		{fingerprint(d.Upcoming[0]), "critical"},
		{fingerprint(d.Warnings[0]), "major"}, // a high CVE
	}
	if len(issues) != len(want) {
		t.Fatalf("%d issues, want %d (ignored and resolved alerts are not issues)", len(issues), len(want))
	}
	for i, w := range want {
		if issues[i].Fingerprint != w.fp || issues[i].Severity != w.sev {
			t.Errorf("issue %d = %s %s, want %s %s", i, issues[i].Fingerprint, issues[i].Severity, w.fp, w.sev)
		}
	}
}

func TestCodeQualityErrorRun(t *testing.T) {
	t.Parallel()
	a, _ := CodeQuality(cases[4].in())
	b, _ := CodeQuality(cases[5].in())
	var ia, ib []cqIssue
	if err := json.Unmarshal(a, &ia); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ib); err != nil {
		t.Fatal(err)
	}
	if len(ia) != 1 || len(ib) != 1 || ia[0].Severity != "blocker" || ia[0].Fingerprint != ib[0].Fingerprint {
		t.Errorf("error runs = %+v and %+v, want one blocker issue with one fixed fingerprint", ia, ib)
	}
}

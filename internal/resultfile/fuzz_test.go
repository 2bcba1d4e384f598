package resultfile

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzResultFiles puts arbitrary server text into every field a finding
// shows and checks that the three files stay well-formed: the JUnit file
// parses as XML and keeps each case, the JSON and Code Quality files parse
// as JSON, and nothing panics.
func FuzzResultFiles(f *testing.F) {
	f.Add("log4j-core", "2.14.1", "CVE-2021-44228", "No critical CVEs", "has CVE, CVSS3 Score 10.0", "https://nvd.nist.gov/x")
	f.Add("a\x00b\x07c", "]]>", "<error/>", "&amp;\"'", "\xff\xfe invalid UTF-8", "javascript:alert(1)")
	f.Add("", "", "", "", "", "")
	f.Add("\u2028\u2029", "\r\n", "--><!--", "\U0001F600", "\uFFFE\uFFFF", "http://[::1")
	f.Fuzz(func(t *testing.T, name, version, code, policy, criterion, link string) {
		o := failOutcome()
		for _, fs := range categories(o.Decision) {
			for i := range fs {
				a := &fs[i].Alert
				a.DependencyName, a.DependencyVersion, a.VulnerabilityCode = name, version, code
				a.PolicyName, a.MatchedCriteria, a.VulnerabilityLink = policy, []string{criterion}, link
				if fs[i].Policy != nil {
					p := *fs[i].Policy
					p.Name = policy
					fs[i].Policy = &p
				}
			}
		}
		in := Input{Outcome: o, ExitCode: 1, Version: name}

		j, err := JUnit(in)
		if err != nil {
			t.Fatal(err)
		}
		var doc gitlabJUnit
		if err := xml.Unmarshal(j, &doc); err != nil {
			t.Fatalf("JUnit does not parse: %v\n%q", err, j)
		}
		cases := 0
		for _, s := range doc.Suites {
			cases += len(s.Cases)
		}
		if want := len(o.Decision.Blocking) + len(o.Decision.Upcoming) + len(o.Decision.Warnings); cases != want {
			t.Errorf("%d cases, want %d", cases, want)
		}

		for _, render := range []func(Input) ([]byte, error){JSON, CodeQuality} {
			b, err := render(in)
			if err != nil {
				t.Fatal(err)
			}
			if !json.Valid(b) || !utf8.Valid(b) || bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
				t.Fatalf("not BOM-less UTF-8 JSON: %q", b)
			}
		}
		cq, _ := CodeQuality(in)
		if !strings.HasPrefix(string(cq), "[") {
			t.Errorf("Code Quality is not an array: %.40q", cq)
		}
	})
}

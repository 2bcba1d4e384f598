package resultfile

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

// gitlabJUnit is the structure GitLab's JUnit parser reads
// (Gitlab::Ci::Parsers::Test::Junit): testsuites > testsuite > testcase
// with classname, name, file, time, and a failure, error or skipped child;
// system-out is shown as the case's output.
type gitlabJUnit struct {
	XMLName xml.Name `xml:"testsuites"`
	Suites  []struct {
		Name  string `xml:"name,attr"`
		Tests int    `xml:"tests,attr"`
		Cases []struct {
			Classname string `xml:"classname,attr"`
			Name      string `xml:"name,attr"`
			File      string `xml:"file,attr"`
			Time      string `xml:"time,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"error"`
			Skipped   *struct{} `xml:"skipped"`
			SystemOut string    `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func parseJUnit(t *testing.T, b []byte) gitlabJUnit {
	t.Helper()
	var doc gitlabJUnit
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("the JUnit file does not parse: %v\n%s", err, b)
	}
	return doc
}

func TestJUnitFailParsesAsGitLabReadsIt(t *testing.T) {
	t.Parallel()
	b, err := JUnit(cases[0].in())
	if err != nil {
		t.Fatal(err)
	}
	doc := parseJUnit(t, b)
	o := failOutcome()
	failures, passes := 0, 0
	suites := map[string]int{}
	for _, s := range doc.Suites {
		if s.Tests != len(s.Cases) {
			t.Errorf("suite %q says tests=%d, has %d cases", s.Name, s.Tests, len(s.Cases))
		}
		suites[s.Name] = len(s.Cases)
		for _, c := range s.Cases {
			if c.Name == "" || c.Classname == "" {
				t.Errorf("a case in %q lacks name or classname: %+v", s.Name, c)
			}
			if c.File != DefaultPath {
				t.Errorf("case %q file = %q, want %q", c.Name, c.File, DefaultPath)
			}
			switch {
			case c.Failure != nil:
				failures++
				if !strings.Contains(c.Failure.Text, "Fingerprint: ") {
					t.Errorf("failure of %q has no fingerprint: %q", c.Name, c.Failure.Text)
				}
			case c.Error != nil:
				t.Errorf("case %q errored in a fail run", c.Name)
			default:
				passes++
			}
		}
	}
	if want := len(o.Decision.Blocking); failures != want {
		t.Errorf("%d failures, want one per blocking finding (%d)", failures, want)
	}
	if want := len(o.Decision.Upcoming) + len(o.Decision.Warnings); passes != want {
		t.Errorf("%d passing cases, want one per upcoming or warning finding (%d)", passes, want)
	}
	if suites["No critical CVEs"] != 2 || suites["Copyleft licenses"] != 1 || len(suites) != 4 {
		t.Errorf("suites by policy = %v, want No critical CVEs:2, Copyleft licenses:1 and two more", suites)
	}
	// The bell character in matched_criteria cannot be in XML: it was replaced.
	if strings.Contains(string(b), "\x07") || !strings.Contains(string(b), "&lt;denied&gt; &amp; \uFFFDcopyleft") {
		t.Errorf("server text was not made XML-safe:\n%s", b)
	}
}

func TestJUnitErrorIsOneErroredCase(t *testing.T) {
	t.Parallel()
	for _, tc := range cases[4:6] { // error and badinput
		b, err := JUnit(tc.in())
		if err != nil {
			t.Fatal(err)
		}
		doc := parseJUnit(t, b)
		if len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 1 || doc.Suites[0].Cases[0].Error == nil {
			t.Fatalf("%s: want one suite with one errored case, got %+v", tc.name, doc)
		}
		e := doc.Suites[0].Cases[0].Error
		if o := tc.in().Outcome; !strings.Contains(e.Text, "What failed: "+o.Err.Error()) || e.Message != firstLine(o.Err.Error()) {
			t.Errorf("%s: error case = %+v, want the error", tc.name, e)
		}
	}
}

func TestJUnitPassIsOnePassingCase(t *testing.T) {
	t.Parallel()
	b, err := JUnit(cases[3].in())
	if err != nil {
		t.Fatal(err)
	}
	doc := parseJUnit(t, b)
	if len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 1 {
		t.Fatalf("want one suite with one case, got %+v", doc)
	}
	c := doc.Suites[0].Cases[0]
	if c.Failure != nil || c.Error != nil || !strings.Contains(c.SystemOut, "1 ignored") {
		t.Errorf("pass case = %+v, want a passing case counting the ignored alert", c)
	}
}

func TestJUnitWarnModeSaysWouldBlock(t *testing.T) {
	t.Parallel()
	o := failOutcome()
	o.Verdict = gate.VerdictWarn
	b, err := JUnit(Input{Outcome: o})
	if err != nil {
		t.Fatal(err)
	}
	doc := parseJUnit(t, b)
	f := doc.Suites[0].Cases[0].Failure
	if f == nil || !strings.Contains(f.Message, "would block the build (mode warn)") {
		t.Errorf("failure = %+v, want it to say it would block in mode warn", f)
	}
}

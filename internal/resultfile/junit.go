package resultfile

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

// JUnit XML as GitLab, Jenkins (junit), Azure Pipelines and TeamCity read
// it: <testsuites> of <testsuite>s of <testcase>s with <failure>, <error>
// and <system-out>.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Errors   int         `xml:"errors,attr"`
		Skipped  int         `xml:"skipped,attr"`
		Time     string      `xml:"time,attr"`
		Cases    []junitCase `xml:"testcase"`
	}
	junitCase struct {
		Classname string        `xml:"classname,attr"`
		Name      string        `xml:"name,attr"`
		File      string        `xml:"file,attr,omitempty"`
		Time      string        `xml:"time,attr"`
		Failure   *junitProblem `xml:"failure"`
		Error     *junitProblem `xml:"error"`
		SystemOut string        `xml:"system-out,omitempty"`
	}
	junitProblem struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
)

// gateSuite names the suite of a run without findings and of an error run.
const gateSuite = "CodeScoring gate"

// JUnit returns the report-junit file of in: one test suite per policy, one
// test case per blocking, upcoming, already-on-base or warning finding (a
// blocking finding is a failure, the others pass and say why in
// system-out). A run with none of
// them is one passing case; an error run is one errored case saying what
// failed and what to do. Text the server sent that XML cannot hold
// (control characters) becomes U+FFFD.
//
// A run over several projects has each project's suites, their names and
// class names starting with the project as configured.
func JUnit(in Input) ([]byte, error) {
	var doc junitSuites
	if outs := in.set(); outs != nil {
		doc.Name = "CodeScoring gate " + string(gate.SetVerdict(outs))
		for _, o := range outs {
			for _, s := range suitesOf(Input{Outcome: o, BadInput: in.BadInput}, o) {
				s.Name = label(o) + ": " + s.Name
				for i := range s.Cases {
					s.Cases[i].Classname = label(o) + "." + s.Cases[i].Classname
				}
				doc.Suites = append(doc.Suites, s)
			}
		}
	} else {
		in = in.single()
		o := in.outcome()
		doc.Name = "CodeScoring gate " + string(o.Verdict)
		if doc.Name == "CodeScoring gate " {
			doc.Name += string(gate.VerdictError)
		}
		doc.Suites = suitesOf(in, o)
	}
	for i := range doc.Suites {
		s := &doc.Suites[i]
		s.Time = "0"
		for _, c := range s.Cases {
			s.Tests++
			if c.Failure != nil {
				s.Failures++
			}
			if c.Error != nil {
				s.Errors++
			}
		}
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// suitesOf are the suites of one project's outcome o.
func suitesOf(in Input, o *gate.Outcome) []junitSuite {
	if o.Verdict == gate.VerdictError || o.Decision == nil {
		return []junitSuite{{Name: gateSuite, Cases: []junitCase{errorCase(in, o)}}}
	}
	suites := policySuites(o)
	if len(suites) == 0 {
		suites = []junitSuite{{Name: gateSuite, Cases: []junitCase{{
			Classname: gateSuite, Name: "no policy blocks the build", Time: "0",
			SystemOut: passText(o),
		}}}}
	}
	return suites
}

func errorCase(in Input, o *gate.Outcome) junitCase {
	msg := "no error was recorded"
	if o.Err != nil {
		msg = o.Err.Error()
	}
	var text strings.Builder
	fmt.Fprintf(&text, "What failed: %s\n", msg)
	if o.Analysis != nil && o.Analysis.Error != "" && !strings.Contains(msg, o.Analysis.Error) {
		fmt.Fprintf(&text, "CodeScoring says: %s\n", o.Analysis.Error)
	}
	if o.Hint != "" {
		fmt.Fprintf(&text, "What to do: %s\n", o.Hint)
	}
	if in.BadInput {
		text.WriteString("Invalid input: nothing was sent to CodeScoring.\n")
	}
	return junitCase{
		Classname: gateSuite, Name: "CodeScoring gate could decide", Time: "0",
		Error: &junitProblem{Message: firstLine(msg), Type: "error", Text: text.String()},
	}
}

// policySuites groups the blocking, upcoming and warning findings by
// policy, in the decision's order (policy name first).
func policySuites(o *gate.Outcome) []junitSuite {
	var suites []junitSuite
	index := map[string]int{}
	for _, fs := range active(o.Decision) {
		for _, f := range fs {
			name := policyName(f)
			i, ok := index[name]
			if !ok {
				i = len(suites)
				index[name] = i
				suites = append(suites, junitSuite{Name: name})
			}
			suites[i].Cases = append(suites[i].Cases, findingCase(f, o))
		}
	}
	return suites
}

func findingCase(f gate.Finding, o *gate.Outcome) junitCase {
	c := junitCase{Classname: "CodeScoring." + policyName(f), Name: subject(f), File: location(f), Time: "0"}
	details := findingDetails(f, o)
	switch f.Category {
	case gate.Blocking:
		verb := "blocks the build"
		if o.Verdict == gate.VerdictWarn {
			verb = "would block the build (mode warn)"
		}
		c.Failure = &junitProblem{Message: subject(f) + " " + verb + ": " + policyName(f), Type: "blocking", Text: details}
	case gate.AlreadyOnBase:
		c.SystemOut = "Already on the base branch: does not fail the build (block-on new).\n" + details
	case gate.Upcoming:
		c.SystemOut = "Upcoming: blocks the build from " + f.BlocksAt.UTC().Format(time.DateOnly) + ".\n" + details
	default:
		c.SystemOut = "Warning: does not block the build.\n" + details
	}
	return c
}

// findingDetails is the body of a finding's test case: one fact per line.
func findingDetails(f gate.Finding, o *gate.Outcome) string {
	a := f.Alert
	var b strings.Builder
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	line("Policy", policyName(f))
	line("Dependency", strings.TrimSpace(a.DependencyName+" "+a.DependencyVersion))
	line("Package URL", a.DependencyPurl)
	line("Relation", a.Relation)
	line("Vulnerability", a.VulnerabilityCode)
	line("Vulnerability link", httpURL(a.VulnerabilityLink))
	line("License", a.LicenseCode)
	line("Fixed in", a.MaxFixedVersion)
	for _, c := range a.MatchedCriteria {
		line("Matched", c)
	}
	line("Why", f.Reason.String())
	line("Fingerprint", fingerprint(f))
	line("CodeScoring", httpURL(o.ReportURL))
	return b.String()
}

func passText(o *gate.Outcome) string {
	d := o.Decision
	return fmt.Sprintf("Nothing blocks, warns or will block soon (%d ignored, %d resolved alerts).\n", len(d.Ignored), len(d.Resolved))
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

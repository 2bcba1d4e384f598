package githubpr

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestMarkerString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		marker Marker
		want   string
	}{
		{
			name:   "defaults fill tool and version",
			marker: Marker{ProjectID: 340, Workflow: "CI", Job: "gate", HeadSHA: "9fceb02"},
			want:   `<!-- codescoring-gate:marker {"tool":"codescoring-gate","v":2,"project_id":340,"workflow":"CI","job":"gate","head_sha":"9fceb02"} -->`,
		},
		{
			name:   "configured project",
			marker: Marker{Project: "payments-service", Workflow: "CI", Job: "gate"},
			want:   `<!-- codescoring-gate:marker {"tool":"codescoring-gate","v":2,"project":"payments-service","project_id":0,"workflow":"CI","job":"gate"} -->`,
		},
		{
			name:   "explicit tool and version, no head",
			marker: Marker{Tool: "other", Version: 2, ProjectID: 1, Workflow: "w", Job: "j"},
			want:   `<!-- codescoring-gate:marker {"tool":"other","v":2,"project_id":1,"workflow":"w","job":"j"} -->`,
		},
		{
			name:   "HTML comment terminators and line breaks are escaped",
			marker: Marker{ProjectID: 1, Workflow: "a --> b --!> <!-- c", Job: "x\ny\r\u2028z&"},
			want:   `<!-- codescoring-gate:marker {"tool":"codescoring-gate","v":2,"project_id":1,"workflow":"a --\u003e b --!\u003e \u003c!-- c","job":"x\ny\r\u2028z\u0026"} -->`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := tc.marker.String()
			if got != tc.want {
				t.Errorf("String() =\n%s\nwant\n%s", got, tc.want)
			}
			checkMarkerLine(t, got)
		})
	}
}

// checkMarkerLine checks that line is one line and one HTML comment that
// nothing inside can end early.
func checkMarkerLine(t *testing.T, line string) {
	t.Helper()
	if strings.ContainsAny(line, "\r\n\u2028\u2029") {
		t.Errorf("marker %q spans lines", line)
	}
	inner := strings.TrimSuffix(strings.TrimPrefix(line, markerPrefix), markerSuffix)
	if strings.ContainsAny(inner, "<>") {
		t.Errorf("marker JSON %q contains < or >, which could end the HTML comment", inner)
	}
}

func TestParseMarker(t *testing.T) {
	t.Parallel()
	m := Marker{Tool: DefaultTool, Version: 1, ProjectID: 340, Workflow: "CI", Job: "gate", HeadSHA: "abc"}
	line := m.String()
	tests := []struct {
		name   string
		body   string
		want   Marker
		wantOK bool
	}{
		{name: "alone", body: line, want: m, wantOK: true},
		{name: "in a footer", body: "## Result\n\n| a | b |\n\n" + line + "\n", want: m, wantOK: true},
		{name: "CRLF line endings", body: "text\r\n" + line + "\r\nmore", want: m, wantOK: true},
		{name: "indented", body: "text\n   " + line + "\t\n", want: m, wantOK: true},
		{name: "first of two", body: line + "\n" + Marker{ProjectID: 2}.String(), want: m, wantOK: true},
		{name: "skips a broken one", body: markerPrefix + "{broken -->\n" + line, want: m, wantOK: true},
		{name: "unknown fields are ignored", body: markerPrefix + `{"tool":"codescoring-gate","v":9,"project_id":340,"workflow":"CI","job":"gate","head_sha":"abc","new":[1]}` + markerSuffix,
			want: Marker{Tool: DefaultTool, Version: 9, ProjectID: 340, Workflow: "CI", Job: "gate", HeadSHA: "abc"}, wantOK: true},
		{name: "not on its own line", body: "see " + line},
		{name: "quoted in a reply", body: "> " + line},
		{name: "in a code span", body: "`" + line + "`"},
		{name: "empty", body: ""},
		{name: "prefix only", body: "<!-- codescoring-gate:marker -->"},
		{name: "not JSON", body: markerPrefix + "hello" + markerSuffix},
		{name: "JSON array", body: markerPrefix + "[1]" + markerSuffix},
		{name: "wrong field type", body: markerPrefix + `{"project_id":"340"}` + markerSuffix},
		{name: "trailing data", body: markerPrefix + `{} {}` + markerSuffix},
		{name: "other tool's marker", body: "<!-- tfcmt:marker {\"project_id\":340} -->"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := ParseMarker(tc.body)
			if ok != tc.wantOK {
				t.Fatalf("ParseMarker() ok = %v, want %v", ok, tc.wantOK)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseMarker() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMarkerSameKey(t *testing.T) {
	t.Parallel()
	base := Marker{ProjectID: 340, Workflow: "CI", Job: "gate", HeadSHA: "aaa"}
	tests := []struct {
		name  string
		other func(m *Marker)
		want  bool
	}{
		{name: "same", other: func(*Marker) {}, want: true},
		{name: "head SHA is informational", other: func(m *Marker) { m.HeadSHA = "bbb" }, want: true},
		{name: "version does not matter", other: func(m *Marker) { m.Version = 7 }, want: true},
		{name: "empty tool is the default tool", other: func(m *Marker) { m.Tool = DefaultTool }, want: true},
		{name: "other tool", other: func(m *Marker) { m.Tool = "other" }},
		{name: "other project", other: func(m *Marker) { m.ProjectID = 341 }},
		{name: "other workflow", other: func(m *Marker) { m.Workflow = "Nightly" }},
		{name: "other job", other: func(m *Marker) { m.Job = "gate-2" }},
		{name: "job compares case-sensitively", other: func(m *Marker) { m.Job = "Gate" }},
	}
	// A marker of this gate names the configured project; one of a gate
	// before version 2 does not, like base.
	named := Marker{Project: "payments-service", ProjectID: 340, Workflow: "CI", Job: "gate"}
	tests = append(tests, []struct {
		name  string
		other func(m *Marker)
		want  bool
	}{
		{name: "an older gate's comment is found by the id", other: func(m *Marker) { *m = named }, want: true},
		{name: "an older gate's comment is not found without the id", other: func(m *Marker) { *m = named; m.ProjectID = 0 }},
	}...)
	for _, tc := range []struct {
		name string
		a, b Marker
		want bool
	}{
		{"same configured project, id unknown (an early error)", named, Marker{Project: "payments-service", Workflow: "CI", Job: "gate"}, true},
		{"same configured project, another id", named, Marker{Project: "payments-service", ProjectID: 999, Workflow: "CI", Job: "gate"}, true},
		{"project given by id now, by name before", named, Marker{Project: "340", ProjectID: 340, Workflow: "CI", Job: "gate"}, true},
		{"another configured project, id unknown", named, Marker{Project: "billing", Workflow: "CI", Job: "gate"}, false},
		{"another configured project and id", named, Marker{Project: "billing", ProjectID: 341, Workflow: "CI", Job: "gate"}, false},
		{"same project, another job", named, Marker{Project: "payments-service", Workflow: "CI", Job: "gate-2"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.a.SameKey(tc.b); got != tc.want {
				t.Errorf("SameKey() = %v, want %v", got, tc.want)
			}
			if got := tc.b.SameKey(tc.a); got != tc.want {
				t.Errorf("SameKey() reversed = %v, want %v", got, tc.want)
			}
		})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := base
			tc.other(&o)
			if got := base.SameKey(o); got != tc.want {
				t.Errorf("SameKey() = %v, want %v", got, tc.want)
			}
			if got := o.SameKey(base); got != tc.want {
				t.Errorf("SameKey() reversed = %v, want %v", got, tc.want)
			}
		})
	}
}

// FuzzParseMarker checks that ParseMarker never panics, that a marker it
// finds renders and parses back to itself, and that String always renders
// one safe line that parses back to the marker. Seeds live in
// testdata/fuzz/FuzzParseMarker.
func FuzzParseMarker(f *testing.F) {
	f.Add("text\n"+Marker{ProjectID: 340, Workflow: "CI", Job: "gate"}.String(), "CI", "gate", int64(340), "9fceb02d")
	f.Add(markerPrefix+`{"tool":"x","v":2}`+markerSuffix, "a --> b", "<!--", int64(-1), "")
	f.Fuzz(func(t *testing.T, body, workflow, job string, projectID int64, headSHA string) {
		if m, ok := ParseMarker(body); ok {
			want := m.withDefaults()
			got, ok := ParseMarker(m.String())
			if !ok {
				t.Fatalf("ParseMarker(%q) found nothing in its own rendering %q", body, m.String())
			}
			if got != want {
				t.Fatalf("round trip of parsed marker: got %+v, want %+v", got, want)
			}
		}

		m := Marker{ProjectID: projectID, Workflow: workflow, Job: job, HeadSHA: headSHA}
		line := m.String()
		checkMarkerLine(t, line)
		got, ok := ParseMarker("rendered body\n\n" + line + "\n")
		if !ok {
			t.Fatalf("ParseMarker found nothing in %q", line)
		}
		if !m.SameKey(got) && utf8.ValidString(workflow) && utf8.ValidString(job) {
			t.Fatalf("round trip: got %+v, want the key of %+v", got, m)
		}
		if utf8.ValidString(workflow) && utf8.ValidString(job) && utf8.ValidString(headSHA) && got != m.withDefaults() {
			t.Fatalf("round trip: got %+v, want %+v", got, m.withDefaults())
		}
	})
}

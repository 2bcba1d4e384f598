package githubpr

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// DefaultTool is the Tool of a Marker that names none.
const DefaultTool = "codescoring-gate"

// MarkerVersion is the schema version of the marker's JSON that String
// writes when the Marker names none. Version 2 added Project; markers of
// version 1 are still found by their ProjectID.
const MarkerVersion = 2

// MarkerVersionSet is the version String writes for a marker of several
// projects (Projects).
const MarkerVersionSet = 3

// markerPrefix and markerSuffix enclose the marker's JSON. The prefix is
// fixed so that any version of the gate finds markers of any other.
const (
	markerPrefix = "<!-- codescoring-gate:marker "
	markerSuffix = " -->"
)

// Marker identifies the gate's sticky comment. It is written as one hidden
// HTML comment line into the comment body. The sticky key is (Tool,
// project, Workflow, Job), the project being Project as configured, so
// that a run that fails before it resolves the project's id still finds
// its comment, or else ProjectID: two jobs or two projects never share a
// comment. A marker of several projects (Projects) is the same key as any
// of the same Tool, Workflow and Job that names one of its projects as
// configured, so that a project added to (or removed from) the list edits
// the same comment. HeadSHA is informational only.
type Marker struct {
	Tool    string `json:"tool"`
	Version int    `json:"v"`
	// Project is the project as the job configures it: an id or a name.
	Project string `json:"project,omitempty"`
	// ProjectID is the resolved id; zero when the run did not learn it.
	ProjectID int64 `json:"project_id"`
	// Projects are the projects of a run over several, as configured,
	// comma-separated (a project of such a list has no comma); then Project
	// is empty and ProjectID zero. Written as marker version 3. A string, so
	// that a Marker stays comparable.
	Projects string `json:"projects,omitempty"`
	Workflow string `json:"workflow"`
	Job      string `json:"job"`
	HeadSHA  string `json:"head_sha,omitempty"`
}

// withDefaults fills an empty Tool and a zero Version.
func (m Marker) withDefaults() Marker {
	if m.Tool == "" {
		m.Tool = DefaultTool
	}
	if m.Version == 0 {
		m.Version = MarkerVersion
		if len(m.Projects) > 0 {
			m.Version = MarkerVersionSet
		}
	}
	return m
}

// SameKey reports whether m and o mark the same sticky comment: same Tool
// (an empty Tool is DefaultTool), Workflow and Job, and the same project:
// the same configured Project (or the same non-zero ProjectID) when both
// name a Project, else the same ProjectID. So a run that stopped before it
// knew the id edits the comment of its configured project, and a comment
// of an older gate (no Project) is still edited once the id is known.
func (m Marker) SameKey(o Marker) bool {
	m, o = m.withDefaults(), o.withDefaults()
	if m.Tool != o.Tool || m.Workflow != o.Workflow || m.Job != o.Job {
		return false
	}
	if len(m.Projects) > 0 || len(o.Projects) > 0 {
		// A run over several projects keeps the comment of its job while
		// its list changes: a comment of any project it names is its.
		return overlap(m.configured(), o.configured())
	}
	if m.Project != "" && o.Project != "" {
		return m.Project == o.Project || m.ProjectID != 0 && m.ProjectID == o.ProjectID
	}
	return m.ProjectID == o.ProjectID
}

// configured is every project m names as configured.
func (m Marker) configured() []string {
	if m.Projects == "" {
		return []string{m.Project}
	}
	return strings.Split(m.Projects, ",")
}

func overlap(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// String renders m as one line `<!-- codescoring-gate:marker {json} -->`,
// filling an empty Tool and a zero Version. The JSON cannot end the HTML
// comment early or break the line: encoding/json escapes <, >, & and
// U+2028/U+2029 as \u003c… and control characters such as newlines.
func (m Marker) String() string {
	b, err := json.Marshal(m.withDefaults())
	if err != nil {
		// A struct of strings and integers always marshals.
		panic("githubpr: marshal marker: " + err.Error())
	}
	return markerPrefix + string(b) + markerSuffix
}

// ParseMarker finds the first valid marker line in body: a line that,
// without surrounding spaces, is `<!-- codescoring-gate:marker {json} -->`
// with a JSON object inside. It reports false when there is none. Unknown
// JSON fields are ignored, so newer markers still parse.
func ParseMarker(body string) (Marker, bool) {
	for rest := body; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if m, ok := parseMarkerLine(line); ok {
			return m, true
		}
	}
	return Marker{}, false
}

func parseMarkerLine(line string) (Marker, bool) {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, markerPrefix) || !strings.HasSuffix(line, markerSuffix) ||
		len(line) < len(markerPrefix)+len(markerSuffix) {
		return Marker{}, false
	}
	raw := strings.TrimSpace(line[len(markerPrefix) : len(line)-len(markerSuffix)])
	if !strings.HasPrefix(raw, "{") {
		return Marker{}, false
	}
	var m Marker
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return Marker{}, false
	}
	return m, true
}

// BodyWithMarker returns the body to post for a sticky comment or note keyed
// by m: body itself when it carries a marker with m's key, else body with
// m's marker line appended (headSHA filling m's when m has none). A body
// whose marker has another key is an error: it was rendered for another
// comment.
func BodyWithMarker(body string, m Marker, headSHA string) (string, error) {
	if got, ok := ParseMarker(body); ok {
		if !got.SameKey(m) {
			return "", fmt.Errorf("the body's marker (project %d, workflow %q, job %q) differs from the request's (project %d, workflow %q, job %q): render the body with the request's Marker",
				got.ProjectID, got.Workflow, got.Job, m.ProjectID, m.Workflow, m.Job)
		}
		return body, nil
	}
	if m.HeadSHA == "" {
		m.HeadSHA = headSHA
	}
	if strings.TrimSpace(body) == "" {
		return m.String(), nil
	}
	return strings.TrimRight(body, "\n") + "\n\n" + m.String(), nil
}

// SameBody reports whether two comment bodies read the same as GitHub and
// GitLab show them: line endings and surrounding white space do not count.
func SameBody(a, b string) bool {
	norm := func(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }
	return norm(a) == norm(b)
}

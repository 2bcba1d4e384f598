package api

import (
	"fmt"
	"strings"
)

// APIError is a non-2xx answer of CodeScoring. Path never carries
// credentials or the query string.
type APIError struct {
	StatusCode int
	Method     string
	Path       string
	// Detail is the server's "detail" message, when it sent one.
	Detail string
	// FieldErrors are DRF field errors of a 400 answer.
	FieldErrors map[string][]string
	// NotJSON is true when the body was not JSON (an HTML page from a proxy
	// or a login form); ContentType is what the server said it was.
	NotJSON     bool
	ContentType string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "CodeScoring answered %s %s with %d", e.Method, e.Path, e.StatusCode)
	if e.Detail != "" {
		fmt.Fprintf(&b, ": %s", e.Detail)
	}
	if e.NotJSON {
		b.WriteString(" (an HTML page instead of JSON)")
	}
	return b.String()
}

// AlreadyRunningError is a 409 answer to starting an analysis: an SCA
// analysis of the project is running already and the gate attaches to it.
// AnalysisID is zero when the server did not name it.
type AlreadyRunningError struct {
	AnalysisID int64
	Detail     string
}

func (e *AlreadyRunningError) Error() string {
	if e.AnalysisID == 0 {
		return "an SCA analysis of the project is already running"
	}
	return fmt.Sprintf("SCA analysis %d of the project is already running", e.AnalysisID)
}

// ProjectNotFoundError says no project has the configured name. Near lists
// projects whose names contain it, for the message.
type ProjectNotFoundError struct {
	Name string
	Near []Project
}

func (e *ProjectNotFoundError) Error() string {
	msg := fmt.Sprintf("no CodeScoring project is named %q: check the `project` input", e.Name)
	if len(e.Near) > 0 {
		msg += "; near matches: " + projectList(e.Near)
	}
	return msg
}

// AmbiguousProjectError says several projects have the configured name.
type AmbiguousProjectError struct {
	Name    string
	Matches []Project
}

func (e *AmbiguousProjectError) Error() string {
	return fmt.Sprintf("%d CodeScoring projects are named %q: set the `project` input to one id: %s",
		len(e.Matches), e.Name, projectList(e.Matches))
}

func projectList(ps []Project) string {
	parts := make([]string, 0, len(ps))
	for i, p := range ps {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("and %d more", len(ps)-10))
			break
		}
		parts = append(parts, fmt.Sprintf("%q (id %d)", p.Name, p.ID))
	}
	return strings.Join(parts, ", ")
}

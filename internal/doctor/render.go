package doctor

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
	"github.com/codescoring-gate/codescoring-gate/internal/textwrap"
)

// mark returns the symbol of s in the text report.
func mark(s Status) string {
	switch s {
	case Pass:
		return "✔"
	case Warn:
		return "⚠"
	}
	return "✖"
}

// WriteText writes r for a terminal of textwrap.DefaultWidth columns: one
// line per check with its mark and finding, then an indented "→ what to
// do" line when it did not pass; then the endpoints and the result. It
// returns the first write error.
func WriteText(w io.Writer, r *Report) error {
	return WriteTextIn(w, r, i18n.English, 0)
}

// WriteTextIn is WriteText in lang for a terminal of width columns (zero or
// less means textwrap.DefaultWidth; never below 40): its own words are
// translated; the checks' names stay (they are the names in the JSON
// report), and their findings and fixes are shown as the checks wrote them.
// Prose is wrapped at spaces with each column's indentation kept.
func WriteTextIn(w io.Writer, r *Report, lang i18n.Language, width int) error {
	p := i18n.New(lang)
	if width <= 0 {
		width = textwrap.DefaultWidth
	}
	t := &text{width: max(width, 40)}
	fmt.Fprintf(&t.b, "codescoring-gate doctor: %s\n", r.URL)
	if r.APIPaths != "" {
		t.lines(p.T("doctor.apipaths", r.APIPaths))
	}
	nw := 0
	for _, c := range r.Checks {
		nw = max(nw, len(c.Name))
	}
	for _, c := range r.Checks {
		t.para(fmt.Sprintf("%s %-*s  ", mark(c.Status), nw, c.Name), c.Finding)
		if c.Status != Pass && c.Fix != "" {
			t.para(fmt.Sprintf("  %*s  → ", nw, ""), c.Fix)
		}
	}
	if len(r.Skipped) > 0 {
		t.lines(p.T("doctor.skipped", strings.Join(r.Skipped, ", ")))
	}
	if len(r.Endpoints) > 0 {
		src := p.T("doctor.src.probe")
		if r.Document != "" {
			src = p.T("doctor.src.doc", r.Document)
		}
		t.lines("\n" + p.T("doctor.endpoints", src))
		pw := 0
		for _, e := range r.Endpoints {
			pw = max(pw, len(e.Path))
		}
		for _, e := range r.Endpoints {
			lead := fmt.Sprintf("  %s %-4s %-*s  ", mark(e.Presence.Status()), e.Method, pw, e.Path)
			line := e.Name
			if e.Assumed {
				line += " " + p.T("doctor.assumed")
			}
			if e.Overridden() {
				line += " " + p.T("doctor.default", e.Default)
			}
			switch {
			case e.Presence != Present && e.Finding != "":
				line += ": " + e.Finding
			case e.Source == SourceDocument && e.Finding != "":
				line += " (" + e.Finding + ")"
			}
			t.para(lead, line)
		}
		writeSuggestions(t, r, p)
	}
	t.lines("\n" + summary(r, p))
	_, err := io.WriteString(w, t.b.String())
	return err
}

// text is a text report being written, wrapped to width columns.
type text struct {
	b     strings.Builder
	width int
}

// para writes lead and s wrapped to the width; the lines after the first
// are indented by lead's width, so a column keeps its shape.
func (t *text) para(lead, s string) {
	indent := utf8.RuneCountInString(lead)
	for i, l := range textwrap.Lines(s, max(t.width-indent, 20)) {
		if i > 0 {
			lead = strings.Repeat(" ", indent)
		}
		t.b.WriteString(strings.TrimRight(lead+l, " ") + "\n")
	}
}

// lines writes each line of s as a paragraph indented as that line is.
func (t *text) lines(s string) {
	for _, l := range strings.Split(s, "\n") {
		rest := strings.TrimLeft(l, " ")
		t.para(l[:len(l)-len(rest)], rest)
	}
}

// writeSuggestions lists, for each endpoint the document lacks, the paths
// doctor considered instead and the `api-paths` value to set.
func writeSuggestions(t *text, r *Report, p i18n.Printer) {
	listed := false
	for _, e := range r.Endpoints {
		s := e.Suggestion
		if s == nil {
			continue
		}
		if !listed {
			t.lines("\n" + p.T("doctor.where"))
			listed = true
		}
		verdict := p.T("doctor.nocandidate")
		if s.APIPaths != "" {
			verdict = "api-paths " + s.APIPaths
		}
		t.para("  ", fmt.Sprintf("%s %s %s: %s", e.Key, e.Method, e.Path, verdict))
		pw := 0
		for i, c := range s.Candidates {
			if i < maxCandidates {
				pw = max(pw, len(c.Path))
			}
		}
		for i, c := range s.Candidates {
			if i == maxCandidates {
				t.para("      ", p.N("doctor.morecand", len(s.Candidates)-i))
				break
			}
			pick := " "
			if i == 0 && s.APIPaths != "" {
				pick = "→"
			}
			t.para(fmt.Sprintf("    %s %-*s  ", pick, pw, c.Path), p.T("doctor.score", c.Score, c.Why))
		}
	}
	if r.SuggestedAPIPaths != "" {
		t.lines("\n" + p.T("doctor.set", r.SuggestedAPIPaths, r.SuggestedAPIPaths))
	}
}

// summary is the last line of the text report.
func summary(r *Report, p i18n.Printer) string {
	var failed, warned int
	for _, c := range r.Checks {
		switch c.Status {
		case Fail:
			failed++
		case Warn:
			warned++
		}
	}
	switch {
	case failed > 0:
		return p.N("doctor.failed", failed, p.N("doctor.n.warning", warned), ExitFailed)
	case warned > 0:
		return p.T("doctor.warned", p.N("doctor.n.warning", warned), ExitOK)
	}
	return p.T("doctor.passed", ExitOK)
}

// jsonReport is the stable JSON schema of a report. Lists are never null.
type jsonReport struct {
	OK        bool           `json:"ok"`
	ExitCode  int            `json:"exit_code"`
	URL       string         `json:"url"`
	Project   *jsonProject   `json:"project"`
	Document  string         `json:"document"`
	Checks    []jsonCheck    `json:"checks"`
	Endpoints []jsonEndpoint `json:"endpoints"`
	Skipped   []string       `json:"skipped"`
	// APIPaths is the override doctor ran with; SuggestedAPIPaths the value
	// to set ("" when none).
	APIPaths          string `json:"api_paths"`
	SuggestedAPIPaths string `json:"suggested_api_paths"`
}

type jsonProject struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ProjectType string `json:"project_type"`
	PolicyStage string `json:"policy_stage"`
}

type jsonCheck struct {
	Name    string `json:"name"`
	Status  Status `json:"status"`
	Finding string `json:"finding"`
	Fix     string `json:"fix"`
}

type jsonEndpoint struct {
	Name     string   `json:"name"`
	Method   string   `json:"method"`
	Path     string   `json:"path"`
	Assumed  bool     `json:"assumed"`
	Status   Status   `json:"status"`
	Presence Presence `json:"presence"`
	Source   Source   `json:"source"`
	Finding  string   `json:"finding"`
	// Key is the endpoint's name in api-paths; Default its built-in path.
	Key        string          `json:"key"`
	Default    string          `json:"default_path"`
	Suggestion *jsonSuggestion `json:"suggestion"`
}

type jsonSuggestion struct {
	Path       string          `json:"path"`
	APIPaths   string          `json:"api_paths"`
	Candidates []jsonCandidate `json:"candidates"`
}

type jsonCandidate struct {
	Path  string `json:"path"`
	Score int    `json:"score"`
	Why   string `json:"why"`
}

// WriteJSON writes r as one indented JSON object:
//
//	{"ok": bool, "exit_code": 0|1, "url": "...", "project": {...} or null,
//	 "document": "/api/schema/" or "",
//	 "checks": [{"name", "status": "pass|warn|fail", "finding", "fix"}],
//	 "endpoints": [{"name", "method", "path", "assumed", "status",
//	                "presence", "source": "document|probe", "finding",
//	                "key", "default_path",
//	                "suggestion": null or {"path", "api_paths",
//	                               "candidates": [{"path", "score", "why"}]}}],
//	 "skipped": ["check name", ...],
//	 "api_paths": "the override in force" or "",
//	 "suggested_api_paths": "the api-paths value to set" or ""}
//
// It returns the write error.
func WriteJSON(w io.Writer, r *Report) error {
	out := jsonReport{
		OK: r.OK(), ExitCode: r.ExitCode(), URL: r.URL, Document: r.Document,
		Checks: []jsonCheck{}, Endpoints: []jsonEndpoint{}, Skipped: []string{},
		APIPaths: r.APIPaths, SuggestedAPIPaths: r.SuggestedAPIPaths,
	}
	if p := r.Project; p != nil {
		out.Project = &jsonProject{ID: p.ID, Name: p.Name, ProjectType: p.ProjectType, PolicyStage: p.PolicyStage}
	}
	for _, c := range r.Checks {
		out.Checks = append(out.Checks, jsonCheck(c))
	}
	for _, e := range r.Endpoints {
		je := jsonEndpoint{Name: e.Name, Method: e.Method, Path: e.Path,
			Assumed: e.Assumed, Status: e.Presence.Status(), Presence: e.Presence, Source: e.Source, Finding: e.Finding,
			Key: e.Key, Default: e.Default}
		if s := e.Suggestion; s != nil {
			je.Suggestion = &jsonSuggestion{Path: s.Path, APIPaths: s.APIPaths, Candidates: []jsonCandidate{}}
			for _, c := range s.Candidates {
				je.Suggestion.Candidates = append(je.Suggestion.Candidates, jsonCandidate(c))
			}
		}
		out.Endpoints = append(out.Endpoints, je)
	}
	out.Skipped = append(out.Skipped, r.Skipped...)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write doctor report: %w", err)
	}
	return nil
}

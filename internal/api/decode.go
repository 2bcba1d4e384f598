package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file is the one place that reads the server's JSON. It is tolerant on
// purpose: ids may be named `id` or `pk`, lists may come in a page envelope
// or as a bare array, unknown fields and nulls are ignored, and the fields
// whose names or encodings the contract only assumes are read here and
// nowhere else.

// page is one decoded page of a list endpoint.
type page[W any] struct {
	Results []W
	// Bare is true when the server sent a bare JSON array: the complete list.
	Bare bool
	// Count is the server's total, or -1 when it sent none.
	Count int64
	// Next is the server's link to the next page; empty on the last page.
	Next string
}

// decodePage reads a page envelope {"count","next","previous","results"} or a
// bare array.
func decodePage[W any](data []byte) (page[W], error) {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '[' {
		var items []W
		if err := json.Unmarshal(data, &items); err != nil {
			return page[W]{}, err
		}
		return page[W]{Results: items, Bare: true, Count: -1}, nil
	}
	var env struct {
		Count   *int64           `json:"count"`
		Next    *string          `json:"next"`
		Results *json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return page[W]{}, err
	}
	if env.Results == nil || string(*env.Results) == "null" {
		return page[W]{}, errors.New(`expected a list or an object with "results"`)
	}
	var items []W
	if err := json.Unmarshal(*env.Results, &items); err != nil {
		return page[W]{}, fmt.Errorf("results: %w", err)
	}
	p := page[W]{Results: items, Count: -1}
	if env.Count != nil && *env.Count >= 0 {
		p.Count = *env.Count
	}
	if env.Next != nil {
		p.Next = strings.TrimSpace(*env.Next)
	}
	return p, nil
}

// decodeOne reads one JSON object.
func decodeOne[W any](data []byte) (W, error) {
	var w W
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return w, errors.New("expected a JSON object")
	}
	err := json.Unmarshal(data, &w)
	return w, err
}

// convertAll converts decoded items, naming the index of a bad one.
func convertAll[W any, T any](items []W, conv func(W) (T, error)) ([]T, error) {
	out := make([]T, 0, len(items))
	for i, w := range items {
		t, err := conv(w)
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		out = append(out, t)
	}
	return out, nil
}

// wireInt is an integer that may be sent as a number, a string of digits or
// null. Set is false for null or absence.
type wireInt struct {
	V   int64
	Set bool
}

func (w *wireInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*w = wireInt{}
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("%s is not an integer id", truncate(string(b), 40))
	}
	*w = wireInt{V: v, Set: true}
	return nil
}

// wireRef is a reference to another object: its id as an integer or string,
// or the object itself (a nested serialiser) with `id`/`pk` and `name`.
type wireRef struct {
	ID   wireInt
	Name string
}

func (w *wireRef) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var o struct {
			ID   wireInt `json:"id"`
			PK   wireInt `json:"pk"`
			Name string  `json:"name"`
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		*w = wireRef{ID: pickID(o.ID, o.PK), Name: o.Name}
		return nil
	}
	*w = wireRef{}
	return w.ID.UnmarshalJSON(b)
}

func pickID(id, pk wireInt) wireInt {
	if id.Set {
		return id
	}
	return pk
}

// wireBool is a boolean as JSON true/false or, from installations before
// 2026.3.0, the string "True"/"False" (docs/codescoring-api.md §1, any case). Set is false
// for null or absence. Any other value is kept in bad, for the conversion
// to name the field: a boolean the client cannot read is never false.
type wireBool struct {
	V   bool
	Set bool
	bad string
}

func (w *wireBool) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.ToLower(strings.TrimSpace(s))
	}
	switch s {
	case "null":
		*w = wireBool{}
	case "true":
		*w = wireBool{V: true, Set: true}
	case "false":
		*w = wireBool{Set: true}
	default:
		*w = wireBool{bad: truncate(string(b), 40)}
	}
	return nil
}

// check fails when the server sent field as something other than a boolean.
func (w wireBool) check(field string) error {
	if w.bad != "" {
		return fmt.Errorf("%s is %s, not true or false", field, w.bad)
	}
	return nil
}

// ptr returns the value, or nil when the server sent none.
func (w wireBool) ptr() *bool {
	if !w.Set {
		return nil
	}
	v := w.V
	return &v
}

// wireTime is an RFC 3339 time; null or "" is the zero time.
type wireTime struct{ T time.Time }

func (w *wireTime) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return errors.New("a time must be an RFC 3339 string")
	}
	if s == nil || strings.TrimSpace(*s) == "" {
		*w = wireTime{}
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(*s))
	if err != nil {
		return fmt.Errorf("%q is not an RFC 3339 time", truncate(*s, 40))
	}
	*w = wireTime{T: t}
	return nil
}

// wireDays is a number of days (integer, decimal or a decimal string, as
// DRF's DecimalField sends it) read as a duration of 24-hour days; null, 0
// and negative values are no delay.
type wireDays struct{ D time.Duration }

// maxDaySeconds keeps a duration of whole seconds from overflowing.
const maxDaySeconds = math.MaxInt64 / int64(time.Second)

func (w *wireDays) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*w = wireDays{}
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			*w = wireDays{}
			return nil
		}
	}
	days, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(days) {
		return fmt.Errorf("block_delay %s is not a number of days", truncate(string(b), 40))
	}
	*w = wireDays{D: daysToDuration(days)}
	return nil
}

// daysToDuration converts days to a duration of whole seconds (the server
// counts delays in hours, so nothing finer is lost).
func daysToDuration(days float64) time.Duration {
	secs := math.Round(days * 24 * 60 * 60)
	switch {
	case secs <= 0:
		return 0
	case secs >= float64(maxDaySeconds):
		return time.Duration(maxDaySeconds) * time.Second
	}
	return time.Duration(secs) * time.Second
}

// wireStrings is a list of strings; null is empty, a lone string is a list
// of one, and null items are dropped.
type wireStrings []string

func (w *wireStrings) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*w = wireStrings{s}
		return nil
	}
	var items []*string
	if err := json.Unmarshal(b, &items); err != nil {
		return err
	}
	if items == nil {
		*w = nil
		return nil
	}
	out := make(wireStrings, 0, len(items))
	for _, s := range items {
		if s != nil {
			out = append(out, *s)
		}
	}
	*w = out
	return nil
}

// wireText is a message: a string, null, or any other JSON shown compactly.
type wireText string

func (w *wireText) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err == nil {
		*w = ""
		if s != nil {
			*w = wireText(*s)
		}
		return nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return err
	}
	// Compact keeps invalid UTF-8 that decoding a string would have
	// replaced: replace it the same way, so a message reads the same
	// whichever JSON type it came in.
	*w = wireText(strings.ToValidUTF8(buf.String(), "\uFFFD"))
	return nil
}

// wireProject is a project as the server sends it (docs/codescoring-api.md §2).
type wireProject struct {
	ID          wireInt `json:"id"`
	PK          wireInt `json:"pk"`
	Name        string  `json:"name"`
	ProjectType string  `json:"project_type"`
	Repository  string  `json:"repository"`
	PolicyStage string  `json:"policy_stage"`
}

func (w wireProject) project() (Project, error) {
	id := pickID(w.ID, w.PK)
	if !id.Set {
		return Project{}, errNoID("project")
	}
	return Project{ID: id.V, Name: w.Name, ProjectType: w.ProjectType,
		Repository: w.Repository, PolicyStage: w.PolicyStage}, nil
}

// wireAnalysis is an analysis as the server sends it (docs/codescoring-api.md §3).
type wireAnalysis struct {
	ID                   wireInt  `json:"id"`
	PK                   wireInt  `json:"pk"`
	Project              wireRef  `json:"project"`
	Status               *string  `json:"status"`
	BranchOrTag          string   `json:"branch_or_tag"`
	Commit               string   `json:"commit"`
	StartedAt            wireTime `json:"started_at"`
	FinishedAt           wireTime `json:"finished_at"`
	DependenciesCount    wireInt  `json:"dependencies_count"`
	VulnerabilitiesCount wireInt  `json:"vulnerabilities_count"`
	Error                wireText `json:"error"`
}

func (w wireAnalysis) analysis() (Analysis, error) {
	id := pickID(w.ID, w.PK)
	if !id.Set {
		return Analysis{}, errNoID("analysis")
	}
	if w.Status == nil {
		return Analysis{}, &MissingFieldError{Object: "analysis", Fields: []string{"status"}}
	}
	a := Analysis{
		ID: id.V, Project: w.Project.ID.V, BranchOrTag: w.BranchOrTag, Commit: w.Commit,
		StartedAt: w.StartedAt.T, FinishedAt: w.FinishedAt.T,
		DependenciesCount: int(w.DependenciesCount.V), VulnerabilitiesCount: int(w.VulnerabilitiesCount.V),
		Error: string(w.Error),
	}
	a.Status = AnalysisStatus(strings.TrimSpace(*w.Status))
	return a, nil
}

// wirePolicy is a policy as the server sends it (docs/codescoring-api.md §4). `conditions`
// is opaque to the gate and not read.
type wirePolicy struct {
	ID            wireInt     `json:"id"`
	PK            wireInt     `json:"pk"`
	Name          string      `json:"name"`
	Description   string      `json:"description"`
	Stages        wireStrings `json:"stages"`
	Level         string      `json:"level"`
	IsActive      wireBool    `json:"is_active"`
	IsBlocksBuild wireBool    `json:"is_blocks_build"`
	BlockDelay    wireDays    `json:"block_delay"`
}

func (w wirePolicy) policy() (Policy, error) {
	id := pickID(w.ID, w.PK)
	if !id.Set {
		return Policy{}, errNoID("policy")
	}
	if err := errors.Join(w.IsActive.check("is_active"), w.IsBlocksBuild.check("is_blocks_build")); err != nil {
		return Policy{}, fmt.Errorf("policy %d: %w", id.V, err)
	}
	return Policy{
		ID: id.V, Name: w.Name, Description: w.Description, Stages: []string(w.Stages),
		Level: w.Level,
		// An installation that does not send is_active has no inactive policies.
		IsActive:      !w.IsActive.Set || w.IsActive.V,
		IsBlocksBuild: w.IsBlocksBuild.Set && w.IsBlocksBuild.V,
		BlockDelay:    w.BlockDelay.D,
	}, nil
}

// wireAlert is a policy alert as the server sends it (docs/codescoring-api.md §5).
type wireAlert struct {
	ID                wireInt     `json:"id"`
	PK                wireInt     `json:"pk"`
	Policy            wireRef     `json:"policy"`
	PolicyName        string      `json:"policy_name"`
	Level             string      `json:"level"`
	Stage             string      `json:"stage"`
	Status            string      `json:"status"`
	IsBlocksBuild     wireBool    `json:"is_blocks_build"`
	DependencyPurl    string      `json:"dependency_purl"`
	DependencyName    string      `json:"dependency_name"`
	DependencyVersion string      `json:"dependency_version"`
	Technology        string      `json:"technology"`
	Relation          string      `json:"relation"`
	VulnerabilityCode string      `json:"vulnerability_code"`
	VulnerabilityLink string      `json:"vulnerability_link"`
	LicenseCode       string      `json:"license_code"`
	MaxFixedVersion   string      `json:"max_fixed_version"`
	MatchedCriteria   wireStrings `json:"matched_criteria"`
	FirstTriggeredAt  wireTime    `json:"first_triggered_at"`
	CreatedAt         wireTime    `json:"created_at"`
	// [assumed] optional fields of vulnerability alerts (docs/codescoring-api.md §5).
	Severity  wireOptText `json:"vulnerability_severity"`
	CVSSScore wireScore   `json:"cvss_score"`
}

func (w wireAlert) alert() (Alert, error) {
	id := pickID(w.ID, w.PK)
	if !id.Set {
		return Alert{}, errNoID("alert")
	}
	if err := w.IsBlocksBuild.check("is_blocks_build"); err != nil {
		return Alert{}, fmt.Errorf("alert %d: %w", id.V, err)
	}
	a := Alert{
		ID: id.V, Policy: w.Policy.ID.V, PolicyName: w.PolicyName, Level: w.Level,
		Stage: w.Stage, Status: w.Status, IsBlocksBuild: w.IsBlocksBuild.ptr(),
		DependencyPurl: w.DependencyPurl, DependencyName: w.DependencyName,
		DependencyVersion: w.DependencyVersion, Technology: w.Technology, Relation: w.Relation,
		VulnerabilityCode: w.VulnerabilityCode, VulnerabilityLink: w.VulnerabilityLink,
		LicenseCode: w.LicenseCode, MaxFixedVersion: w.MaxFixedVersion,
		MatchedCriteria:  []string(w.MatchedCriteria),
		FirstTriggeredAt: w.FirstTriggeredAt.T, CreatedAt: w.CreatedAt.T,
	}
	if a.PolicyName == "" {
		a.PolicyName = w.Policy.Name
	}
	a.CVSSScore = w.CVSSScore.V
	if a.CVSSScore == nil {
		a.CVSSScore = criteriaScore(a.MatchedCriteria)
	}
	a.Severity = severity(string(w.Severity), a.CVSSScore)
	return a, nil
}

// criteriaScoreRE finds the score in criteria such as "django@4.2.2 has
// CVE-2024-38875, CVSS3 Score 7.5 >= 7.00" [assumed from the vendor's
// criteria texts]: "CVSS", an optional version, "score", the number.
var criteriaScoreRE = regexp.MustCompile(`(?i)\bcvss\s*(?:v?[234](?:\.[01])?)?\s*(?:base\s*)?score\s*[:=]?\s*(10(?:\.0+)?|\d(?:\.\d+)?)\b`)

// criteriaScore is the first CVSS score the criteria state, or nil.
func criteriaScore(criteria []string) *float64 {
	for _, c := range criteria {
		if m := criteriaScoreRE.FindStringSubmatch(c); m != nil {
			if v, err := strconv.ParseFloat(m[1], 64); err == nil {
				return &v
			}
		}
	}
	return nil
}

// severity is the server's severity when it is one of the contract's,
// else the CVSS v3 rating of score, else "".
func severity(server string, score *float64) string {
	switch s := strings.ToLower(strings.TrimSpace(server)); s {
	case SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow, SeverityNone:
		return s
	}
	switch {
	case score == nil:
		return ""
	case *score >= 9:
		return SeverityCritical
	case *score >= 7:
		return SeverityHigh
	case *score >= 4:
		return SeverityMedium
	case *score > 0:
		return SeverityLow
	}
	return SeverityNone
}

// parseScore reads a CVSS score from 0 to 10.
func parseScore(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || v < 0 || v > 10 {
		return 0, false
	}
	return v, true
}

// wireOptText is an optional string: any other JSON (a number, an object)
// reads as "", so an installation that sends a field in another shape
// loses only that field, not the page.
type wireOptText string

func (w *wireOptText) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) != nil {
		s = ""
	}
	*w = wireOptText(s)
	return nil
}

// wireScore is an optional CVSS score, a number or a string of one from 0
// to 10; anything else reads as absent.
type wireScore struct{ V *float64 }

func (w *wireScore) UnmarshalJSON(b []byte) error {
	*w = wireScore{}
	s := string(bytes.TrimSpace(b))
	if strings.HasPrefix(s, `"`) && json.Unmarshal(b, &s) != nil {
		s = ""
	}
	if v, ok := parseScore(s); ok {
		w.V = &v
	}
	return nil // an optional field: a bad value is absent, not an error
}

func errNoID(what string) error {
	return &MissingFieldError{Object: what, Fields: []string{"id", "pk"}}
}

// wireStart is the body of a request to start an analysis (docs/codescoring-api.md §3).
type wireStart struct {
	Project     int64  `json:"project"`
	BranchOrTag string `json:"branch_or_tag,omitempty"`
	Commit      string `json:"commit,omitempty"`
}

// errorBody is what an error answer says: DRF's {"detail": "..."}, field
// errors {"field": ["message", ...]}, and for a 409 the running analysis.
type errorBody struct {
	Detail     string
	Fields     map[string][]string
	AnalysisID int64
}

// decodeErrorBody reads a DRF error answer. ok is false when the body is not
// JSON at all.
func decodeErrorBody(data []byte) (body errorBody, ok bool) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return errorBody{}, true
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return errorBody{}, false
	}
	switch v := v.(type) {
	case string:
		body.Detail = v
	case []any:
		body.Detail = strings.Join(messages(v), "; ")
	case map[string]any:
		for k, val := range v {
			switch k {
			case "detail":
				if s, isString := val.(string); isString {
					body.Detail = s
					continue
				}
			case "analysis_id":
				var id wireInt
				raw, _ := json.Marshal(val)
				if id.UnmarshalJSON(raw) == nil {
					body.AnalysisID = id.V
				}
				continue
			}
			if body.Fields == nil {
				body.Fields = make(map[string][]string)
			}
			body.Fields[k] = messages(val)
		}
	}
	return body, true
}

// messages flattens a DRF error value (a string, a list of strings, or
// nested objects) into strings.
func messages(v any) []string {
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, item := range v {
			out = append(out, messages(item)...)
		}
		return out
	default:
		b, _ := json.Marshal(v)
		return []string{string(b)}
	}
}

// truncate shortens s to at most n bytes of whole runes, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

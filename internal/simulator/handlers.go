package simulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// maxPerPage is the largest per_page the contract allows; more is a 400.
const maxPerPage = 100

// objID is the id of an object, named "id" or, with the PK options, "pk".
// Ids are never zero, so omitempty drops exactly the unused name.
type objID struct {
	ID int64 `json:"id,omitempty"`
	PK int64 `json:"pk,omitempty"`
}

func (s *Server) objID(ep Endpoint, id int64) objID {
	if s.pk[ep] {
		return objID{PK: id}
	}
	return objID{ID: id}
}

type projectJSON struct {
	objID
	Name        string `json:"name"`
	ProjectType string `json:"project_type"`
	Repository  string `json:"repository"`
	PolicyStage string `json:"policy_stage"`
}

type analysisJSON struct {
	objID
	Project              int64   `json:"project"`
	Status               string  `json:"status"`
	BranchOrTag          string  `json:"branch_or_tag"`
	Commit               string  `json:"commit"`
	StartedAt            string  `json:"started_at"`
	FinishedAt           *string `json:"finished_at"`
	DependenciesCount    int     `json:"dependencies_count"`
	VulnerabilitiesCount int     `json:"vulnerabilities_count"`
	Error                *string `json:"error"`
}

type policyJSON struct {
	objID
	Name                string         `json:"name"`
	Description         string         `json:"description"`
	Stages              []string       `json:"stages"`
	Level               string         `json:"level"`
	Proprietors         []int64        `json:"proprietors"`
	Projects            []int64        `json:"projects"`
	Conditions          map[string]any `json:"conditions"`
	ConditionsConnector string         `json:"conditions_connector"`
	IsActive            *boolJSON      `json:"is_active,omitempty"`
	IsBlocksBuild       boolJSON       `json:"is_blocks_build"`
	BlockDelay          *int           `json:"block_delay"`
}

type alertJSON struct {
	objID
	Policy            int64     `json:"policy"`
	PolicyName        string    `json:"policy_name"`
	Level             string    `json:"level"`
	Stage             string    `json:"stage"`
	Status            string    `json:"status"`
	IsBlocksBuild     *boolJSON `json:"is_blocks_build,omitempty"`
	DependencyPurl    string    `json:"dependency_purl"`
	DependencyName    string    `json:"dependency_name"`
	DependencyVersion string    `json:"dependency_version"`
	Technology        string    `json:"technology"`
	Relation          string    `json:"relation"`
	VulnerabilityCode *string   `json:"vulnerability_code"`
	VulnerabilityLink *string   `json:"vulnerability_link"`
	LicenseCode       *string   `json:"license_code"`
	MaxFixedVersion   *string   `json:"max_fixed_version"`
	MatchedCriteria   []string  `json:"matched_criteria"`
	FirstTriggeredAt  *string   `json:"first_triggered_at"`
	CreatedAt         string    `json:"created_at"`
}

// boolJSON is a boolean as JSON true/false or, with Options.StringBooleans,
// as the strings "True"/"False" of installations before 2026.3.0.
type boolJSON struct {
	v, str bool
}

func (s *Server) boolJSON(v bool) boolJSON { return boolJSON{v: v, str: s.stringBools} }

func (b boolJSON) MarshalJSON() ([]byte, error) {
	switch {
	case b.str && b.v:
		return []byte(`"True"`), nil
	case b.str:
		return []byte(`"False"`), nil
	case b.v:
		return []byte("true"), nil
	}
	return []byte("false"), nil
}

type pageJSON struct {
	Count    int     `json:"count"`
	Next     *string `json:"next"`
	Previous *string `json:"previous"`
	Results  []any   `json:"results"`
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// nullable serves "" as null.
func nullable(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}

func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

func (s *Server) projectJSON(ep Endpoint, p *project) projectJSON {
	return projectJSON{objID: s.objID(ep, p.ID), Name: p.Name, ProjectType: p.ProjectType,
		Repository: p.Repository, PolicyStage: p.PolicyStage}
}

func (s *Server) analysisJSON(ep Endpoint, a *analysis, now time.Time) analysisJSON {
	status, finished := a.state(now)
	out := analysisJSON{objID: s.objID(ep, a.id), Project: a.project.ID, Status: status,
		BranchOrTag: a.branch, Commit: a.commit, StartedAt: rfc3339(a.started)}
	if !finished.IsZero() {
		out.FinishedAt = nullable(rfc3339(finished))
	}
	switch Outcome(status) {
	case OutcomeSuccess:
		out.DependenciesCount = a.project.Dependencies
		out.VulnerabilitiesCount = a.vulns
	case OutcomeFailed:
		out.Error = nullable(a.life.Error)
		if out.Error == nil {
			out.Error = nullable("Dependency resolution failed: could not clone the repository at " + a.branch)
		}
	case OutcomeCanceled:
		out.Error = nullable(a.life.Error)
		if out.Error == nil {
			out.Error = nullable("The analysis was canceled by a user.")
		}
	}
	return out
}

func (s *Server) policyJSON(ep Endpoint, p *Policy) policyJSON {
	out := policyJSON{objID: s.objID(ep, p.ID), Name: p.Name, Description: p.Description,
		Stages: nonNil(p.Stages), Level: p.Level, Proprietors: nonNil(p.Proprietors),
		Projects: nonNil(p.Projects), Conditions: p.Conditions,
		ConditionsConnector: p.ConditionsConnector, IsBlocksBuild: s.boolJSON(p.IsBlocksBuild),
		BlockDelay: p.BlockDelay}
	if out.Conditions == nil {
		out.Conditions = map[string]any{}
	}
	if out.ConditionsConnector == "" {
		out.ConditionsConnector = "and"
	}
	if !p.OmitIsActive {
		active := s.boolJSON(p.IsActive)
		out.IsActive = &active
	}
	return out
}

// alertJSON renders alert i of analysis a, which finished at finished.
func (s *Server) alertJSON(ep Endpoint, a *analysis, i int, finished time.Time) alertJSON {
	t := a.alert(i)
	pol := s.policyByID[t.Policy]
	out := alertJSON{objID: s.objID(ep, a.alertBase+int64(i)), Policy: t.Policy,
		PolicyName: t.PolicyName, Level: t.Level, Stage: t.Stage, Status: t.Status,
		DependencyPurl: t.DependencyPurl, DependencyName: t.DependencyName,
		DependencyVersion: t.DependencyVersion, Technology: t.Technology, Relation: t.Relation,
		VulnerabilityCode: nullable(t.VulnerabilityCode), VulnerabilityLink: nullable(t.VulnerabilityLink),
		LicenseCode: nullable(t.LicenseCode), MaxFixedVersion: nullable(t.MaxFixedVersion),
		MatchedCriteria: nonNil(t.MatchedCriteria), CreatedAt: rfc3339(finished)}
	if pol != nil {
		if out.PolicyName == "" {
			out.PolicyName = pol.Name
		}
		if out.Level == "" {
			out.Level = pol.Level
		}
	}
	if out.Stage == "" {
		out.Stage = a.project.PolicyStage
	}
	if out.Status == "" {
		out.Status = "active"
	}
	switch {
	case t.OmitIsBlocksBuild:
	case t.IsBlocksBuild != nil:
		v := s.boolJSON(*t.IsBlocksBuild)
		out.IsBlocksBuild = &v
	case pol != nil:
		v := s.boolJSON(pol.IsBlocksBuild)
		out.IsBlocksBuild = &v
	}
	if out.DependencyPurl == "" {
		out.DependencyPurl = "pkg:generic/" + t.DependencyName + "@" + t.DependencyVersion
	}
	if out.VulnerabilityLink == nil && strings.HasPrefix(t.VulnerabilityCode, "CVE-") {
		out.VulnerabilityLink = nullable("https://nvd.nist.gov/vuln/detail/" + t.VulnerabilityCode)
	}
	if !t.OmitFirstTriggeredAt {
		out.FirstTriggeredAt = nullable(rfc3339(finished.Add(-t.FirstTriggeredAgo)))
	}
	return out
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only a scenario's Conditions can fail to encode.
		code = http.StatusInternalServerError
		b = []byte(fmt.Sprintf(`{"detail": %q}`, "encode response: "+err.Error()))
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(code)
	_, _ = w.Write(b) // the client may be gone
}

func writeDetail(w http.ResponseWriter, code int, detail string) {
	writeJSON(w, code, map[string]string{"detail": detail})
}

// writeList answers a list of total items, rendered by item, as a page of
// the envelope or, for bare endpoints, as the whole array.
func (s *Server) writeList(w http.ResponseWriter, r *http.Request, ep Endpoint, total int, item func(i int) any) {
	if s.bare[ep] {
		out := make([]any, total)
		for i := range out {
			out[i] = item(i)
		}
		writeJSON(w, http.StatusOK, out)
		return
	}
	q := r.URL.Query()
	perPage := s.perPage
	if vs, ok := q["per_page"]; ok {
		n, err := strconv.Atoi(vs[0])
		var msg string
		switch {
		case err != nil:
			msg = "A valid integer is required."
		case n > maxPerPage:
			msg = fmt.Sprintf("Ensure this value is less than or equal to %d.", maxPerPage)
		case n < 1:
			msg = "Ensure this value is greater than or equal to 1."
		}
		if msg != "" {
			writeJSON(w, http.StatusBadRequest, map[string][]string{"per_page": {msg}})
			return
		}
		perPage = n
	}
	pages := max(1, (total+perPage-1)/perPage)
	page := 1
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > pages {
			writeDetail(w, http.StatusNotFound, "Invalid page.")
			return
		}
		page = n
	}
	lo := (page - 1) * perPage
	hi := min(lo+perPage, total)
	if s.repeatLast[ep] && page > 1 {
		lo--
	}
	out := pageJSON{Count: total, Results: make([]any, 0, hi-lo)}
	for i := lo; i < hi; i++ {
		out.Results = append(out.Results, item(i))
	}
	if page < pages {
		out.Next = pageURL(r, page+1)
	}
	if page > 1 {
		out.Previous = pageURL(r, page-1)
	}
	writeJSON(w, http.StatusOK, out)
}

// pageURL is the absolute URL of another page of the request's list, as DRF
// builds it: from the Host header, without page= for the first page.
func pageURL(r *http.Request, page int) *string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	q := r.URL.Query()
	if page == 1 {
		q.Del("page")
	} else {
		q.Set("page", strconv.Itoa(page))
	}
	u := url.URL{Scheme: scheme, Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}
	v := u.String()
	return &v
}

// numberFilter reads an integer query filter; a bad value adds a field error.
func numberFilter(q url.Values, name string, errs map[string][]string) (int64, bool) {
	v := q.Get(name)
	if v == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		errs[name] = []string{"Enter a number."}
		return 0, false
	}
	return n, true
}

func (s *Server) handleProject(w http.ResponseWriter, id int64) {
	p := s.projects[id]
	if p == nil {
		writeDetail(w, http.StatusNotFound, "Not found.")
		return
	}
	writeJSON(w, http.StatusOK, s.projectJSON(EndpointProject, p))
}

func (s *Server) handleProjects(w http.ResponseWriter, r *http.Request) {
	search := strings.ToLower(r.URL.Query().Get("search"))
	var found []*project
	for _, id := range s.projectIDs {
		if p := s.projects[id]; strings.Contains(strings.ToLower(p.Name), search) {
			found = append(found, p)
		}
	}
	s.writeList(w, r, EndpointProjects, len(found), func(i int) any {
		return s.projectJSON(EndpointProjects, found[i])
	})
}

func (s *Server) handlePolicies(w http.ResponseWriter, r *http.Request) {
	s.writeList(w, r, EndpointPolicies, len(s.policies), func(i int) any {
		return s.policyJSON(EndpointPolicies, &s.policies[i])
	})
}

func (s *Server) handleAnalysis(w http.ResponseWriter, id int64, now time.Time) {
	s.mu.Lock()
	a := s.analysisByID[id]
	s.mu.Unlock()
	if a == nil {
		writeDetail(w, http.StatusNotFound, "Not found.")
		return
	}
	writeJSON(w, http.StatusOK, s.analysisJSON(EndpointAnalysis, a, now))
}

func (s *Server) handleAnalyses(w http.ResponseWriter, r *http.Request, now time.Time) {
	q := r.URL.Query()
	errs := map[string][]string{}
	projectID, byProject := numberFilter(q, "project", errs)
	if len(errs) > 0 {
		writeJSON(w, http.StatusBadRequest, errs)
		return
	}
	s.mu.Lock()
	var found []*analysis
	for _, a := range s.analyses {
		if !byProject || a.project.ID == projectID {
			found = append(found, a)
		}
	}
	s.mu.Unlock()
	// DRF's OrderingFilter ignores fields it does not know; then the
	// default is by id, oldest first, so a client that forgets the
	// ordering reads the wrong end of the history.
	less := func(i, j int) bool { return found[i].id < found[j].id }
	switch q.Get("ordering") {
	case "-started_at":
		less = func(i, j int) bool {
			a, b := found[i], found[j]
			return a.started.After(b.started) || (a.started.Equal(b.started) && a.id > b.id)
		}
	case "started_at":
		less = func(i, j int) bool {
			a, b := found[i], found[j]
			return a.started.Before(b.started) || (a.started.Equal(b.started) && a.id < b.id)
		}
	case "-id":
		less = func(i, j int) bool { return found[i].id > found[j].id }
	}
	sort.SliceStable(found, less)
	s.writeList(w, r, EndpointAnalyses, len(found), func(i int) any {
		return s.analysisJSON(EndpointAnalyses, found[i], now)
	})
}

// commitPattern is what the simulator accepts as a commit: an abbreviated or
// full hexadecimal object name.
var commitPattern = regexp.MustCompile(`^[0-9a-f]{7,40}$`)

func (s *Server) handleStart(w http.ResponseWriter, r *http.Request, now time.Time) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeDetail(w, http.StatusBadRequest, "Could not read the request body.")
		return
	}
	fields := map[string]any{}
	// As DRF: a request without a Content-Type has no data.
	if ct := r.Header.Get("Content-Type"); ct != "" && len(bytes.TrimSpace(body)) > 0 {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			writeDetail(w, http.StatusUnsupportedMediaType, fmt.Sprintf("Unsupported media type %q in request.", ct))
			return
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			writeDetail(w, http.StatusBadRequest, "JSON parse error - "+err.Error())
			return
		}
		obj, ok := v.(map[string]any)
		if !ok {
			writeJSON(w, http.StatusBadRequest, map[string][]string{
				"non_field_errors": {fmt.Sprintf("Invalid data. Expected a dictionary, but got %s.", jsonType(v))}})
			return
		}
		fields = obj
	}

	errs := map[string][]string{}
	var projectID int64
	switch v := fields["project"].(type) {
	case json.Number:
		n, err := strconv.ParseInt(v.String(), 10, 64)
		if err != nil {
			errs["project"] = []string{fmt.Sprintf("Incorrect type. Expected pk value, received %s.", jsonType(v))}
		}
		projectID = n
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			errs["project"] = []string{"Incorrect type. Expected pk value, received str."}
		}
		projectID = n
	case nil:
		if _, present := fields["project"]; present {
			errs["project"] = []string{"This field may not be null."}
		} else {
			errs["project"] = []string{"This field is required."}
		}
	default:
		errs["project"] = []string{fmt.Sprintf("Incorrect type. Expected pk value, received %s.", jsonType(v))}
	}
	branch := stringField(fields, "branch_or_tag", errs, func(v string) string {
		if len(v) > 255 {
			return "Ensure this field has no more than 255 characters."
		}
		return ""
	})
	commit := stringField(fields, "commit", errs, func(v string) string {
		if !commitPattern.MatchString(v) {
			return "Enter a commit hash: 7 to 40 lower-case hexadecimal characters."
		}
		return ""
	})
	if len(errs) > 0 {
		writeJSON(w, http.StatusBadRequest, errs)
		return
	}
	p := s.projects[projectID]
	if p == nil {
		writeDetail(w, http.StatusNotFound, "Not found.")
		return
	}

	s.mu.Lock()
	for i := len(s.analyses) - 1; i >= 0; i-- {
		a := s.analyses[i]
		if status, _ := a.state(now); a.project == p && (status == "pending" || status == "in_progress") {
			s.mu.Unlock()
			writeJSON(w, http.StatusConflict, map[string]any{
				"detail": "SCA analysis is already running", "analysis_id": a.id})
			return
		}
	}
	a := s.addAnalysis(0, p, branch, commit, now, p.life)
	s.mu.Unlock()
	writeJSON(w, s.startCode, s.analysisJSON(EndpointStartAnalysis, a, now))
}

// stringField reads an optional string field; null counts as absent. check
// returns an error message for a bad value.
func stringField(fields map[string]any, name string, errs map[string][]string, check func(string) string) string {
	switch v := fields[name].(type) {
	case nil:
		return ""
	case string:
		if v == "" {
			errs[name] = []string{"This field may not be blank."}
		} else if msg := check(v); msg != "" {
			errs[name] = []string{msg}
		}
		return v
	default:
		errs[name] = []string{"Not a valid string."}
		return ""
	}
}

// jsonType names the type of a decoded JSON value as DRF's messages do.
func jsonType(v any) string {
	switch v := v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case json.Number:
		if strings.ContainsAny(v.String(), ".eE") {
			return "float"
		}
		return "int"
	case string:
		return "str"
	case []any:
		return "list"
	case map[string]any:
		return "dict"
	}
	return fmt.Sprintf("%T", v)
}

func (s *Server) handleAlerts(w http.ResponseWriter, r *http.Request, now time.Time) {
	q := r.URL.Query()
	errs := map[string][]string{}
	projectID, byProject := numberFilter(q, "project", errs)
	analysisID, byAnalysis := numberFilter(q, "analysis", errs)
	if len(errs) > 0 {
		writeJSON(w, http.StatusBadRequest, errs)
		return
	}
	type source struct {
		a        *analysis
		finished time.Time
		offset   int
	}
	var sources []source
	total := 0
	add := func(a *analysis, finished time.Time) {
		sources = append(sources, source{a: a, finished: finished, offset: total})
		total += a.alertCount()
	}
	s.mu.Lock()
	if byAnalysis {
		a := s.analysisByID[analysisID]
		if a != nil && (!byProject || a.project.ID == projectID) {
			if status, finished := a.state(now); status == string(OutcomeSuccess) {
				add(a, finished)
			}
		}
	} else {
		// Without an analysis: the alerts of each project's newest
		// successful analysis.
		for _, pid := range s.projectIDs {
			if byProject && pid != projectID {
				continue
			}
			var newest *analysis
			var newestEnd time.Time
			for _, a := range s.analyses {
				if a.project.ID != pid {
					continue
				}
				if status, finished := a.state(now); status == string(OutcomeSuccess) &&
					(newest == nil || a.started.After(newest.started)) {
					newest, newestEnd = a, finished
				}
			}
			if newest != nil {
				add(newest, newestEnd)
			}
		}
	}
	s.mu.Unlock()
	s.writeList(w, r, EndpointAlerts, total, func(i int) any {
		k := sort.Search(len(sources), func(k int) bool { return sources[k].offset > i }) - 1
		src := sources[k]
		return s.alertJSON(EndpointAlerts, src.a, i-src.offset, src.finished)
	})
}

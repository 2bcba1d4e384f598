package simulator

import (
	"cmp"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server is a simulated CodeScoring installation. It is an http.Handler and
// can listen itself (Start). All its methods are safe for
// concurrent use.
type Server struct {
	prefix string
	tokens map[string]Role

	bare       map[Endpoint]bool
	pk         map[Endpoint]bool
	repeatLast map[Endpoint]bool
	// stringBools serves booleans as "True"/"False".
	stringBools bool
	schemaOmit  map[Endpoint]bool
	noSchema    bool
	schemaAuth  bool
	paths       map[Endpoint]string // Options.Paths
	startCode   int
	perPage     int

	// Immutable after New.
	projects   map[int64]*project
	projectIDs []int64
	policies   []Policy
	policyByID map[int64]*Policy

	mu            sync.Mutex // guards the analyses
	analyses      []*analysis
	analysisByID  map[int64]*analysis
	nextAnalysis  int64
	nextAlertBase int64

	hmu    sync.Mutex // guards the listener
	srv    *http.Server
	served chan struct{}
}

// project is a scenario project with its defaults applied.
type project struct {
	Project
	alerts []AlertTemplate // of each successful analysis; never changed
	vulns  int             // alerts with a vulnerability code
	// byBranch is true when some alert is raised on some branches only.
	byBranch bool
	life     Lifecycle // guarded by Server.mu
}

// analysis is one analysis; its status follows from its lifecycle and the
// clock, so nothing runs in the background.
type analysis struct {
	id        int64
	project   *project
	branch    string
	commit    string
	started   time.Time
	life      Lifecycle
	alertBase int64 // id of its first alert
	// alertIdx are the indexes in project.alerts of the alerts raised on
	// its branch, when project.byBranch; else every alert is.
	alertIdx []int
	vulns    int
}

// alertCount is how many alerts a successful a has.
func (a *analysis) alertCount() int {
	if a.project.byBranch {
		return len(a.alertIdx)
	}
	return len(a.project.alerts)
}

// alert returns the template of alert i of a.
func (a *analysis) alert(i int) *AlertTemplate {
	if a.project.byBranch {
		return &a.project.alerts[a.alertIdx[i]]
	}
	return &a.project.alerts[i]
}

// New returns a Server for opts. It panics when the scenario is
// inconsistent (a duplicate project, policy or analysis id, a seed analysis
// or alert of an unknown project), as that is a bug in the caller.
func New(opts Options) *Server {
	s := &Server{
		prefix:        strings.TrimRight(opts.Prefix, "/"),
		tokens:        map[string]Role{},
		bare:          endpointSet(opts.BareArrayEndpoints),
		pk:            endpointSet(opts.PKEndpoints),
		stringBools:   opts.StringBooleans,
		repeatLast:    endpointSet(opts.RepeatLastEndpoints),
		schemaOmit:    endpointSet(opts.SchemaOmit),
		noSchema:      opts.NoSchema,
		schemaAuth:    opts.SchemaAuth,
		paths:         map[Endpoint]string{},
		startCode:     opts.StartStatus,
		perPage:       opts.DefaultPerPage,
		projects:      map[int64]*project{},
		policyByID:    map[int64]*Policy{},
		analysisByID:  map[int64]*analysis{},
		nextAnalysis:  1000,
		nextAlertBase: 5000,
	}
	if s.prefix != "" && !strings.HasPrefix(s.prefix, "/") {
		s.prefix = "/" + s.prefix
	}
	if s.startCode == 0 {
		s.startCode = http.StatusCreated
	}
	if s.perPage == 0 {
		s.perPage = 20
	}
	if opts.BareArrays {
		for _, e := range ContractEndpoints {
			s.bare[e] = true
		}
	}
	if opts.PK {
		for _, e := range ContractEndpoints {
			s.pk[e] = true
		}
	}
	for e, p := range opts.Paths {
		if err := CheckPath(e, p); err != nil {
			panic("simulator: " + err.Error())
		}
		s.paths[e] = p
	}
	for t, r := range opts.Tokens {
		s.tokens[t] = r
	}
	if opts.Token != "" {
		s.tokens[opts.Token] = RoleOwner
	}
	if len(s.tokens) == 0 {
		s.tokens[DefaultToken] = RoleOwner
	}

	sc := opts.Scenario
	for _, p := range sc.Projects {
		if _, dup := s.projects[p.ID]; dup {
			panic(fmt.Sprintf("simulator: scenario has project %d twice", p.ID))
		}
		if p.ProjectType == "" {
			p.ProjectType = "vcs"
		}
		if p.PolicyStage == "" {
			p.PolicyStage = "source"
		}
		if p.DefaultBranch == "" {
			p.DefaultBranch = "main"
		}
		s.projects[p.ID] = &project{Project: p, life: p.Lifecycle}
		s.projectIDs = append(s.projectIDs, p.ID)
	}
	sort.Slice(s.projectIDs, func(i, j int) bool { return s.projectIDs[i] < s.projectIDs[j] })
	s.policies = append([]Policy(nil), sc.Policies...)
	sort.SliceStable(s.policies, func(i, j int) bool { return s.policies[i].ID < s.policies[j].ID })
	for i := range s.policies {
		p := &s.policies[i]
		if _, dup := s.policyByID[p.ID]; dup {
			panic(fmt.Sprintf("simulator: scenario has policy %d twice", p.ID))
		}
		s.policyByID[p.ID] = p
	}
	for _, a := range sc.Alerts {
		p := s.projects[a.Project]
		if p == nil {
			panic(fmt.Sprintf("simulator: scenario has an alert of unknown project %d", a.Project))
		}
		p.alerts = append(p.alerts, a)
		if a.VulnerabilityCode != "" {
			p.vulns++
		}
		if len(a.Branches) > 0 || len(a.ExceptBranches) > 0 {
			p.byBranch = true
		}
	}
	// New analyses follow the seeds' ids, or start at 1000.
	var maxSeed int64
	for _, seed := range sc.Analyses {
		maxSeed = max(maxSeed, seed.ID)
	}
	if maxSeed > 0 {
		s.nextAnalysis = maxSeed + 1
	}
	start := time.Now()
	for _, seed := range sc.Analyses {
		p := s.projects[seed.Project]
		if p == nil {
			panic(fmt.Sprintf("simulator: scenario has an analysis of unknown project %d", seed.Project))
		}
		if _, dup := s.analysisByID[seed.ID]; dup && seed.ID != 0 {
			panic(fmt.Sprintf("simulator: scenario has analysis %d twice", seed.ID))
		}
		s.addAnalysis(seed.ID, p, seed.BranchOrTag, seed.Commit, start.Add(-seed.StartedAgo), seed.Lifecycle)
	}
	return s
}

func endpointSet(es []Endpoint) map[Endpoint]bool {
	m := make(map[Endpoint]bool, len(es))
	for _, e := range es {
		m[e] = true
	}
	return m
}

// addAnalysis records a new analysis; s.mu must be held (or s unshared).
// id zero takes the next free id.
func (s *Server) addAnalysis(id int64, p *project, branch, commit string, started time.Time, life Lifecycle) *analysis {
	if id == 0 {
		id = s.nextAnalysis
		s.nextAnalysis++
	}
	if branch == "" {
		branch = p.DefaultBranch
	}
	if commit == "" {
		commit = headCommit(p.ID, branch)
	}
	a := &analysis{id: id, project: p, branch: branch, commit: commit, started: started,
		life: life, alertBase: s.nextAlertBase, vulns: p.vulns}
	if p.byBranch {
		a.vulns = 0
		for i := range p.alerts {
			if t := &p.alerts[i]; t.raisedOn(branch) {
				a.alertIdx = append(a.alertIdx, i)
				if t.VulnerabilityCode != "" {
					a.vulns++
				}
			}
		}
	}
	s.nextAlertBase += int64(a.alertCount())
	s.analyses = append(s.analyses, a)
	s.analysisByID[id] = a
	return a
}

// headCommit derives a stable fake head commit of a branch.
func headCommit(projectID int64, branch string) string {
	sum := sha1.Sum([]byte(fmt.Sprintf("%d/%s", projectID, branch)))
	return hex.EncodeToString(sum[:])
}

// state returns the status of a at now and, when finished, when it finished.
func (a *analysis) state(now time.Time) (status string, finished time.Time) {
	pendingUntil := a.started.Add(a.life.Pending)
	if now.Before(pendingUntil) {
		return "pending", time.Time{}
	}
	end := pendingUntil.Add(a.life.Running)
	if now.Before(end) || a.life.Outcome == OutcomeNever {
		return "in_progress", time.Time{}
	}
	if a.life.Outcome == "" {
		return string(OutcomeSuccess), end
	}
	return string(a.life.Outcome), end
}

// SetLifecycle changes how analyses of the project started from now on run.
// It returns an error when the project is unknown.
func (s *Server) SetLifecycle(projectID int64, l Lifecycle) error {
	p := s.projects[projectID]
	if p == nil {
		return fmt.Errorf("set lifecycle: project %d is not in the scenario", projectID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p.life = l
	return nil
}

// AnalysisIDs returns the ids of the project's analyses in the order they
// started, seeds first.
func (s *Server) AnalysisIDs(projectID int64) []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []int64
	for _, a := range s.analyses {
		if a.project.ID == projectID {
			ids = append(ids, a.id)
		}
	}
	return ids
}

// ServeHTTP answers one request of the contract.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rel, inPrefix := s.relPath(r.URL.Path)
	role, authorized := s.auth(r)
	s.serve(w, r, rel, inPrefix, role, authorized, time.Now())
}

// relPath strips the prefix from p; ok is false when p is outside it.
func (s *Server) relPath(p string) (rel string, ok bool) {
	if s.prefix == "" {
		return p, true
	}
	rest, found := strings.CutPrefix(p, s.prefix)
	if !found || !strings.HasPrefix(rest, "/") {
		return p, false
	}
	return rest, true
}

// auth returns the role of the request's token.
func (s *Server) auth(r *http.Request) (Role, bool) {
	scheme, token, found := strings.Cut(r.Header.Get("Authorization"), " ")
	if !found || scheme != "Token" {
		return "", false
	}
	role, ok := s.tokens[strings.TrimSpace(token)]
	return role, ok
}

// serve answers the request from the scenario.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, rel string, inPrefix bool, role Role, authorized bool, now time.Time) {
	if !inPrefix {
		writeDetail(w, http.StatusNotFound, "Not found.")
		return
	}
	ep, id, ok := s.route(rel)
	if !ok || (ep == EndpointSchema && s.noSchema) {
		writeDetail(w, http.StatusNotFound, "Not found.")
		return
	}
	if ep != EndpointSchema || s.schemaAuth {
		if !authorized {
			w.Header().Set("WWW-Authenticate", "Token")
			msg := "Invalid token."
			if r.Header.Get("Authorization") == "" {
				msg = "Authentication credentials were not provided."
			}
			writeDetail(w, http.StatusUnauthorized, msg)
			return
		}
		if ep == EndpointStartAnalysis && !role.canStart() {
			writeDetail(w, http.StatusForbidden, "You do not have permission to perform this action.")
			return
		}
	}
	if r.Method != ep.Method() {
		w.Header().Set("Allow", ep.Method()+", OPTIONS")
		writeDetail(w, http.StatusMethodNotAllowed, fmt.Sprintf("Method %q not allowed.", r.Method))
		return
	}
	switch ep {
	case EndpointProject:
		s.handleProject(w, id)
	case EndpointProjects:
		s.handleProjects(w, r)
	case EndpointStartAnalysis:
		s.handleStart(w, r, now)
	case EndpointAnalysis:
		s.handleAnalysis(w, id, now)
	case EndpointAnalyses:
		s.handleAnalyses(w, r, now)
	case EndpointPolicies:
		s.handlePolicies(w, r)
	case EndpointAlerts:
		s.handleAlerts(w, r, now)
	case EndpointSchema:
		s.handleSchema(w, r)
	}
}

// CheckPath says why the simulator cannot serve e at p (Options.Paths): e
// must be an endpoint of the contract, p a path from the root that starts
// and ends with "/", with "{id}" once where the contract's path has it.
func CheckPath(e Endpoint, p string) error {
	switch {
	case !slices.Contains(ContractEndpoints, e):
		return fmt.Errorf("%q is not an endpoint of the contract (%v)", e, ContractEndpoints)
	case !strings.HasPrefix(p, "/") || !strings.HasSuffix(p, "/") || strings.ContainsAny(p, "?# "):
		return fmt.Errorf("serve %s at %q: the path must start and end with /", e, p)
	case strings.Count(p, "{id}") != strings.Count(e.Path(), "{id}") || strings.Count(p, "{") != strings.Count(p, "{id}"):
		return fmt.Errorf("serve %s at %q: the path needs {id} exactly where %s has it", e, p, e.Path())
	}
	return nil
}

// path returns where s serves e: Options.Paths, else the contract's path.
func (s *Server) path(e Endpoint) string {
	if p, ok := s.paths[e]; ok {
		return p
	}
	return e.Path()
}

// route maps a path below the prefix to its endpoint and, for object
// endpoints, the id in it.
func (s *Server) route(p string) (Endpoint, int64, bool) {
	for _, e := range []Endpoint{EndpointProjects, EndpointStartAnalysis, EndpointAnalyses,
		EndpointPolicies, EndpointAlerts, EndpointSchema} {
		if p == s.path(e) {
			return e, 0, true
		}
	}
	for _, e := range []Endpoint{EndpointProject, EndpointAnalysis} {
		head, tail, _ := strings.Cut(s.path(e), "{id}")
		rest, ok := strings.CutPrefix(p, head)
		if !ok {
			continue
		}
		digits, ok := strings.CutSuffix(rest, tail)
		if !ok || digits == "" || strings.ContainsFunc(digits, func(r rune) bool { return r < '0' || r > '9' }) {
			continue
		}
		id, err := strconv.ParseInt(digits, 10, 64)
		if err != nil || id <= 0 {
			continue
		}
		return e, id, true
	}
	return "", 0, false
}

// Start listens on addr ("127.0.0.1:0" when empty) and serves in the
// background until Close. It returns the base URL, ending in "/" and
// including the prefix, e.g. "http://127.0.0.1:41234/codescoring/". It fails
// when it cannot listen or was started before.
func (s *Server) Start(addr string) (string, error) {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	if s.srv != nil {
		return "", errors.New("start simulator: it was started before")
	}
	// The listen call only binds (and resolves a name such as localhost):
	// there is nothing for a context to end.
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", cmp.Or(addr, "127.0.0.1:0"))
	if err != nil {
		return "", fmt.Errorf("start simulator: %w", err)
	}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 30 * time.Second}
	s.served = make(chan struct{})
	go func(srv *http.Server, served chan struct{}) {
		defer close(served)
		_ = srv.Serve(ln) // always an error; ErrServerClosed after Close
	}(s.srv, s.served)
	return "http://" + ln.Addr().String() + s.prefix + "/", nil
}

// Close stops listening and closes every connection, when the server
// listens itself. Close is idempotent and returns nil.
func (s *Server) Close() error {
	s.hmu.Lock()
	srv, served := s.srv, s.served
	s.hmu.Unlock()
	if srv != nil {
		_ = srv.Close() // its only errors are from closing the listener twice
		<-served
	}
	return nil
}

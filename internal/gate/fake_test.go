package gate

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

// t0 is when every run in a bubble starts.
var t0 = time.Date(2026, 11, 26, 10, 15, 0, 0, time.UTC)

// atT0 moves the fake clock of the bubble it is called in to t0: synctest's
// clock starts at midnight UTC on 2000-01-01. In a bubble the gate, the fake
// server and the test all read time.Now; a status wait or a Server call that
// hangs takes no real time, and the wait-timeout fires when the bubble's
// clock reaches it.
func atT0() { time.Sleep(time.Until(t0)) }

// testOptions returns Run's options of the tests: an Actions audience, on
// the bubble's clock.
func testOptions() Options { return Options{Audience: Audience{Actions: true}} }

// phase is a status an analysis reaches after some time.
type phase struct {
	after  time.Duration
	status api.AnalysisStatus
}

// lifecycle is an analysis that is pending, in progress after a second, and
// reaches final after finish; a negative finish never ends.
func lifecycle(finish time.Duration, final api.AnalysisStatus) []phase {
	ps := []phase{{0, api.StatusPending}}
	if finish < 0 || finish > time.Second {
		ps = append(ps, phase{time.Second, api.StatusInProgress})
	}
	if finish >= 0 {
		ps = append(ps, phase{finish, final})
	}
	return ps
}

type fakeAnalysis struct {
	api.Analysis // StartedAt set; Status comes from phases
	phases       []phase
	// noFinishedAt leaves FinishedAt zero, as a server that sends no
	// finished_at.
	noFinishedAt bool
}

// at returns the analysis as the server shows it at now.
func (f *fakeAnalysis) at(now time.Time) api.Analysis {
	a := f.Analysis
	for _, p := range f.phases {
		if now.Sub(a.StartedAt) >= p.after {
			a.Status = p.status
			if p.status.Finished() && !f.noFinishedAt {
				a.FinishedAt = a.StartedAt.Add(p.after)
			}
		}
	}
	return a
}

// finishesAt returns when f reaches a finished status; zero when never.
func (f *fakeAnalysis) finishesAt() time.Time {
	for _, p := range f.phases {
		if p.status.Finished() {
			return f.StartedAt.Add(p.after)
		}
	}
	return time.Time{}
}

// fakeServer is an in-memory CodeScoring on the clock of the bubble it runs
// in.
type fakeServer struct {
	mu       sync.Mutex
	projects []api.Project
	analyses map[int64]*fakeAnalysis
	order    []int64 // newest first
	nextID   int64
	// newPhases is the life of an analysis StartAnalysis starts; startErr
	// makes StartAnalysis fail instead.
	newPhases []phase
	newError  string
	startErr  error
	// busy answers StartAnalysis with a 409 while an analysis of the
	// project is unfinished, as CodeScoring does; busyNamesID puts its id
	// in the answer.
	busy, busyNamesID bool
	policies          []api.Policy
	alerts            []api.Alert
	// baseline is what BaselineAnalysis returns (nil: a *api.NoBaselineError),
	// baseAlerts the alerts of that analysis, read as "BaselineAlerts".
	baseline   *api.Analysis
	baseAlerts []api.Alert

	errs   map[string]error // method → its error
	hang   map[string]bool  // method → it hangs until its ctx is done
	panics map[string]bool  // method → it panics
	onCall func(method string)

	calls      map[string]int
	inflight   int
	starts     []api.StartRequest
	alertsArgs [][2]int64
	gets       int       // GetAnalysis calls
	seenAt     time.Time // when a GetAnalysis first saw an analysis finished
	seenID     int64
}

func newFakeServer() *fakeServer {
	return &fakeServer{
		projects: []api.Project{
			{ID: 340, Name: "payments-service", ProjectType: "vcs", PolicyStage: "source"},
			{ID: 341, Name: "billing"},
		},
		analyses:  map[int64]*fakeAnalysis{},
		nextID:    977,
		newPhases: lifecycle(45*time.Second, api.StatusSuccess),
		errs:      map[string]error{},
		hang:      map[string]bool{},
		panics:    map[string]bool{},
		calls:     map[string]int{},
	}
}

// addAnalysis adds an analysis of project 340 that started ago before t0,
// newer than those added before.
func (s *fakeServer) addAnalysis(id int64, ref, commit string, ago time.Duration, phases []phase) {
	s.analyses[id] = &fakeAnalysis{
		Analysis: api.Analysis{ID: id, Project: 340, BranchOrTag: ref, Commit: commit, StartedAt: t0.Add(-ago)},
		phases:   phases,
	}
	s.order = slices.Insert(s.order, 0, id)
}

// enter counts a call and applies the method's scripted fault.
func (s *fakeServer) enter(ctx context.Context, method string) (leave func(), err error) {
	s.mu.Lock()
	s.calls[method]++
	s.inflight++
	err, hang, panics, hook := s.errs[method], s.hang[method], s.panics[method], s.onCall
	s.mu.Unlock()
	leave = func() {
		s.mu.Lock()
		s.inflight--
		s.mu.Unlock()
	}
	if hook != nil {
		hook(method)
	}
	if panics {
		leave()
		panic("fake " + method + " panics")
	}
	if hang {
		<-ctx.Done()
		return leave, ctx.Err()
	}
	if cerr := ctx.Err(); cerr != nil {
		return leave, cerr
	}
	return leave, err
}

func (s *fakeServer) count(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

func (s *fakeServer) GetProject(ctx context.Context, id int64) (*api.Project, error) {
	leave, err := s.enter(ctx, "GetProject")
	defer leave()
	if err != nil {
		return nil, err
	}
	for _, p := range s.projects {
		if p.ID == id {
			return &p, nil
		}
	}
	return nil, &api.APIError{StatusCode: http.StatusNotFound, Method: "GET", Path: fmt.Sprintf("/api/projects/%d/", id), Detail: "Not found."}
}

func (s *fakeServer) FindProject(ctx context.Context, name string) (*api.Project, error) {
	leave, err := s.enter(ctx, "FindProject")
	defer leave()
	if err != nil {
		return nil, err
	}
	for _, p := range s.projects {
		if strings.EqualFold(p.Name, name) {
			return &p, nil
		}
	}
	return nil, &api.ProjectNotFoundError{Name: name}
}

func (s *fakeServer) StartAnalysis(ctx context.Context, req api.StartRequest) (*api.Analysis, error) {
	leave, err := s.enter(ctx, "StartAnalysis")
	defer leave()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.starts = append(s.starts, req)
	if s.startErr != nil {
		return nil, s.startErr
	}
	if s.busy {
		for _, id := range s.order {
			if a := s.analyses[id].at(time.Now()); a.Project == req.Project && !a.Status.Finished() {
				e := &api.AlreadyRunningError{Detail: "SCA analysis is already running"}
				if s.busyNamesID {
					e.AnalysisID = id
				}
				return nil, e
			}
		}
	}
	id := s.nextID
	s.nextID++
	f := &fakeAnalysis{
		Analysis: api.Analysis{ID: id, Project: req.Project, BranchOrTag: req.BranchOrTag, Commit: req.Commit,
			StartedAt: time.Now(), Error: s.newError},
		phases: s.newPhases,
	}
	s.analyses[id] = f
	s.order = slices.Insert(s.order, 0, id)
	a := f.at(time.Now())
	return &a, nil
}

func (s *fakeServer) GetAnalysis(ctx context.Context, id int64) (*api.Analysis, error) {
	leave, err := s.enter(ctx, "GetAnalysis")
	defer leave()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gets++
	f := s.analyses[id]
	if f == nil {
		return nil, &api.APIError{StatusCode: http.StatusNotFound, Method: "GET", Path: fmt.Sprintf("/api/analyses/projects/history/%d/", id)}
	}
	a := f.at(time.Now())
	if a.Status.Finished() && s.seenAt.IsZero() {
		s.seenAt, s.seenID = time.Now(), id
	}
	return &a, nil
}

func (s *fakeServer) RecentAnalyses(ctx context.Context, projectID int64, limit int) ([]api.Analysis, error) {
	leave, err := s.enter(ctx, "RecentAnalyses")
	defer leave()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []api.Analysis
	for _, id := range s.order {
		if a := s.analyses[id].at(time.Now()); a.Project == projectID && len(out) < limit {
			out = append(out, a)
		}
	}
	return out, nil
}

func (s *fakeServer) Policies(ctx context.Context) ([]api.Policy, error) {
	leave, err := s.enter(ctx, "Policies")
	defer leave()
	if err != nil {
		return nil, err
	}
	return slices.Clone(s.policies), nil
}

func (s *fakeServer) BaselineAnalysis(ctx context.Context, projectID int64, ref string) (*api.Analysis, error) {
	leave, err := s.enter(ctx, "BaselineAnalysis")
	defer leave()
	if err != nil {
		return nil, err
	}
	if s.baseline == nil {
		return nil, &api.NoBaselineError{Project: projectID, Ref: ref, Checked: 7}
	}
	a := *s.baseline
	return &a, nil
}

func (s *fakeServer) Alerts(ctx context.Context, projectID, analysisID int64) ([]api.Alert, error) {
	if s.baseline != nil && analysisID == s.baseline.ID {
		leave, err := s.enter(ctx, "BaselineAlerts")
		defer leave()
		if err != nil {
			return nil, err
		}
		return slices.Clone(s.baseAlerts), nil
	}
	leave, err := s.enter(ctx, "Alerts")
	defer leave()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.alertsArgs = append(s.alertsArgs, [2]int64{projectID, analysisID})
	return slices.Clone(s.alerts), nil
}

// simulate runs the gate once in a bubble against an analysis that finishes
// T after the gate starts and returns the lag (finish → the status request
// that sees it) and the number of status requests.
func simulate(t *testing.T, T time.Duration, seed uint64) (lag time.Duration, requests int) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		atT0()
		srv := newFakeServer()
		srv.newPhases = lifecycle(T, api.StatusSuccess)
		opts := testOptions()
		opts.Rand = rand.New(rand.NewPCG(seed, 0x9a7e))
		cfg := Config{Project: "340", Commit: "9fceb02", Mode: ModeEnforce, Start: true, WaitTimeout: T + time.Hour}
		out := Run(t.Context(), srv, cfg, opts)
		if out.Verdict != VerdictPass {
			t.Fatalf("T=%v seed %d: verdict %s (%v), want pass", T, seed, out.Verdict, out.Err)
		}
		lag, requests = srv.seenAt.Sub(srv.analyses[srv.seenID].finishesAt()), srv.gets
	})
	return lag, requests
}

// runFake runs the gate in the calling bubble from t0 against a new fake
// server, once setup (nil: none) has scripted the server and changed the
// default config; it returns the server, the config run and the outcome.
func runFake(opts Options, setup func(*fakeServer, *Config)) (*fakeServer, Config, *Outcome) {
	return runFakeCtx(context.Background(), opts, setup)
}

// runFakeCtx is runFake with the context of the run.
func runFakeCtx(ctx context.Context, opts Options, setup func(*fakeServer, *Config)) (*fakeServer, Config, *Outcome) {
	atT0()
	srv := newFakeServer()
	cfg := defaultConfig()
	if setup != nil {
		setup(srv, &cfg)
	}
	return srv, cfg, Run(ctx, srv, cfg, opts)
}

// logText returns opts logging each line, newline-ended, into the text the
// returned func reads.
func logText(opts Options) (Options, func() string) {
	var (
		mu  sync.Mutex
		log strings.Builder
	)
	opts.Logf = func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(&log, format+"\n", args...)
	}
	return opts, func() string {
		mu.Lock()
		defer mu.Unlock()
		return log.String()
	}
}

// wantPass stops the test unless o is a pass.
func wantPass(t *testing.T, o *Outcome) {
	t.Helper()
	if o.Verdict != VerdictPass {
		t.Fatalf("verdict %s (%v), want pass", o.Verdict, o.Err)
	}
}

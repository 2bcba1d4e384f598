// Package simtest serves the simulator for tests: in front of a
// simulator.Server it injects faults on demand (Inject), as a proxy or a
// broken installation would, and records every request it answers
// (Requests). It is imported by tests only, so the shipped simulator serves
// the contract and nothing else.
package simtest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// Server is a simulator.Server with faults and a request record. It is an
// http.Handler: serve it with httptest.NewServer, or testnet.Memory in a
// testing/synctest bubble. All its methods are safe for concurrent use.
type Server struct {
	sim    *simulator.Server
	prefix string

	faults   faultSet
	recorder recorder

	// done is closed by Close; it releases hung and slow requests.
	done      chan struct{}
	closeOnce sync.Once
}

// New returns a Server for opts, as simulator.New does (and panics as it
// does).
func New(opts simulator.Options) *Server {
	s := &Server{
		sim:    simulator.New(opts),
		prefix: strings.TrimRight(opts.Prefix, "/"),
		done:   make(chan struct{}),
	}
	if s.prefix != "" && !strings.HasPrefix(s.prefix, "/") {
		s.prefix = "/" + s.prefix
	}
	return s
}

// ServeHTTP records the request and answers it with the first live fault
// that matches it, else with the simulator.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rel, inPrefix := strings.CutPrefix(r.URL.Path, s.prefix)
	if !inPrefix || !strings.HasPrefix(rel, "/") {
		rel, inPrefix = r.URL.Path, false
	}
	sw := &statusWriter{ResponseWriter: w}
	at := s.recorder.add(Request{Method: r.Method, Path: rel, Query: r.URL.RawQuery, Time: time.Now()})
	defer func() { s.recorder.setStatus(at, sw.status) }()
	if f, ok := s.faults.match(r.Method, rel, r.URL.RawQuery, inPrefix); ok && !s.serveFault(sw, r, f) {
		return
	}
	s.sim.ServeHTTP(sw, r)
}

// SetLifecycle is simulator.Server.SetLifecycle.
func (s *Server) SetLifecycle(projectID int64, l simulator.Lifecycle) error {
	return s.sim.SetLifecycle(projectID, l)
}

// AnalysisIDs is simulator.Server.AnalysisIDs.
func (s *Server) AnalysisIDs(projectID int64) []int64 { return s.sim.AnalysisIDs(projectID) }

// Close releases hung and slow requests without an answer; close the
// http.Server that serves s after it. Close is idempotent and returns nil.
func (s *Server) Close() error {
	s.closeOnce.Do(func() { close(s.done) })
	return nil
}

// Request is the record of one request the server received.
type Request struct {
	Method string
	// Path is the path below Options.Prefix, e.g. "/api/policies/"; for a
	// request outside the prefix, the whole path.
	Path  string
	Query string // the raw query
	// Time is when the request arrived.
	Time time.Time
	// Status is the status answered; 0 while the request is being answered,
	// or when no answer was sent (a reset, a hang, a client that gave up).
	Status int
}

type recorder struct {
	mu         sync.Mutex
	requests   []Request
	maxPerPage int
}

// add records r and returns its index, for its status.
func (rc *recorder) add(r Request) int {
	perPage := 0
	if q, err := url.ParseQuery(r.Query); err == nil {
		perPage, _ = strconv.Atoi(q.Get("per_page")) // non-numeric counts as 0
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.requests = append(rc.requests, r)
	rc.maxPerPage = max(rc.maxPerPage, perPage)
	return len(rc.requests) - 1
}

func (rc *recorder) setStatus(i, status int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.requests[i].Status = status
}

// Requests returns a copy of the records of every request, in the order
// they arrived.
func (s *Server) Requests() []Request {
	rc := &s.recorder
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]Request(nil), rc.requests...)
}

// MaxPerPage returns the largest numeric per_page of any request so far,
// also of one answered 400; 0 when none had one.
func (s *Server) MaxPerPage() int {
	rc := &s.recorder
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.maxPerPage
}

// statusWriter remembers the status answered.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (to hijack it).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

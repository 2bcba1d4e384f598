// Package simtest serves the simulator for tests: in front of a
// simulator.Server it injects faults on demand (Inject), as a proxy or a
// broken installation would, and records every request it answers
// (Requests). It is imported by tests only, so the shipped simulator serves
// the contract and nothing else.
package simtest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// Server is a simulator.Server with faults and a request record. It is an
// http.Handler and can listen itself (Start). All its methods are safe for
// concurrent use.
type Server struct {
	sim    *simulator.Server
	prefix string
	now    func() time.Time
	after  func(time.Duration) <-chan time.Time

	faults   faultSet
	recorder recorder

	// done is closed by Close; it releases hung and slow requests.
	done      chan struct{}
	closeOnce sync.Once

	mu     sync.Mutex // guards srv and closed
	srv    *httptest.Server
	closed bool
}

// New returns a Server for opts, as simulator.New does (and panics as it
// does).
func New(opts simulator.Options) *Server {
	s := &Server{
		sim:    simulator.New(opts),
		prefix: strings.TrimRight(opts.Prefix, "/"),
		now:    opts.Now,
		after:  opts.After,
		done:   make(chan struct{}),
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.after == nil {
		s.after = time.After
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
	at := s.recorder.add(Request{Method: r.Method, Path: rel, Query: r.URL.RawQuery, Time: s.now()})
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

// Start listens on addr ("127.0.0.1:0" when empty) and serves in the
// background until Close. It returns the base URL, ending in "/" and
// including the prefix. It fails when it cannot listen or was started or
// closed before.
func (s *Server) Start(addr string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil || s.closed {
		return "", errors.New("start simulator: it was started or closed before")
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", cmp.Or(addr, "127.0.0.1:0"))
	if err != nil {
		return "", fmt.Errorf("start simulator: %w", err)
	}
	s.srv = &httptest.Server{Listener: ln, Config: &http.Server{Handler: s, ReadHeaderTimeout: 30 * time.Second}}
	s.srv.Start()
	return s.srv.URL + s.prefix + "/", nil
}

// Close releases hung and slow requests without an answer and, when the
// server listens itself, stops listening and waits for every handler to
// return. When the Server is only a handler in another http.Server, close
// that server after it. Close is idempotent and returns nil.
func (s *Server) Close() error {
	s.closeOnce.Do(func() { close(s.done) })
	s.mu.Lock()
	s.closed = true
	srv := s.srv
	s.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
	return nil
}

// Request is the record of one request the server received.
type Request struct {
	Method string
	// Path is the path below Options.Prefix, e.g. "/api/policies/"; for a
	// request outside the prefix, the whole path.
	Path  string
	Query string // the raw query
	// Time is when the request arrived, on Options.Now.
	Time time.Time
	// Status is the status answered; 0 while the request is being answered,
	// or when no answer was sent (a reset, a hang, a client that gave up).
	Status int
}

type recorder struct {
	mu         sync.Mutex
	requests   []Request
	maxPerPage int
	gen        int // counts resets, so a late status lands in no new record
}

// slot is where a request's record is, for its status.
type slot struct{ gen, i int }

func (rc *recorder) add(r Request) slot {
	perPage := 0
	if q, err := url.ParseQuery(r.Query); err == nil {
		perPage, _ = strconv.Atoi(q.Get("per_page")) // non-numeric counts as 0
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.requests = append(rc.requests, r)
	rc.maxPerPage = max(rc.maxPerPage, perPage)
	return slot{gen: rc.gen, i: len(rc.requests) - 1}
}

func (rc *recorder) setStatus(at slot, status int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if at.gen == rc.gen {
		rc.requests[at.i].Status = status
	}
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

// ResetRequests forgets the records and MaxPerPage.
func (s *Server) ResetRequests() {
	rc := &s.recorder
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.requests = nil
	rc.maxPerPage = 0
	rc.gen++
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

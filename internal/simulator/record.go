package simulator

import (
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Request is the record of one request the server received.
type Request struct {
	Method string
	// Path is the path below Options.Prefix, e.g. "/api/policies/"; for a
	// request outside the prefix, the whole path.
	Path  string
	Query string // the raw query
	// Time is when the request arrived, on Options.Now.
	Time time.Time
	// Authorized is true when the request carried a token the server knows.
	Authorized bool
	// Status is the status answered; 0 while the request is being answered,
	// or when no answer was sent (a reset, a hang, a client that gave up).
	Status int
	// Fault is the kind of the injected fault that answered it; 0 if none.
	Fault FaultKind
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

// Count returns how many requests had method (any when empty) and a path
// (below the prefix) starting with pathPrefix.
func (s *Server) Count(method, pathPrefix string) int {
	rc := &s.recorder
	rc.mu.Lock()
	defer rc.mu.Unlock()
	n := 0
	for _, r := range rc.requests {
		if (method == "" || strings.EqualFold(method, r.Method)) && strings.HasPrefix(r.Path, pathPrefix) {
			n++
		}
	}
	return n
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

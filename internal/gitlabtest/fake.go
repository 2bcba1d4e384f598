// Package gitlabtest is a fake GitLab REST API for tests: the notes of
// merge requests (listed with X-Next-Page and Link pagination, created,
// updated), the merge request with its head SHA, and GET /user, in the
// shapes GitLab answers with. It authenticates PRIVATE-TOKEN and JOB-TOKEN
// as GitLab does for notes: a job token may read them, never write them.
package gitlabtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Routes, for call counts and faults.
const (
	RouteList   = "list"
	RouteCreate = "create"
	RouteUpdate = "update"
	RouteMR     = "mr"
	RouteUser   = "user"
)

// User is a GitLab user the fake knows.
type User struct {
	ID       int64
	Username string
}

// Note is a merge request note in the fake.
type Note struct {
	ID      int64
	MR      int64
	Author  User
	Body    string
	System  bool
	Created time.Time
	Updated time.Time
}

// Fault is a canned failure answer for one request to a route.
type Fault struct {
	Status int
	Body   string
	// Land performs the request's change before answering with the fault,
	// as a proxy that times out after GitLab did the work.
	Land bool
}

// Pagination selects the paging headers of the notes list.
type Pagination int

// The pagination styles: both headers (GitLab's default), only X-Next-Page
// and friends, only the Link header (GitLab omits X-Total and may omit the
// X- headers on large lists).
const (
	PaginationBoth Pagination = iota
	PaginationHeaders
	PaginationLink
)

// Server is the fake. Its zero value is not usable: use New.
type Server struct {
	*httptest.Server
	// Prefix is the API's path, e.g. "/gitlab/api/v4" (self-managed under a
	// path); APIURL is the server URL with it, as CI_API_V4_URL says.
	Prefix string
	APIURL string

	mu         sync.Mutex
	tokens     map[string]User // PRIVATE-TOKEN → user
	jobTokens  map[string]bool
	project    string // the project id or path, as in URLs
	mrHead     map[int64]string
	notes      []Note
	nextID     int64
	faults     map[string][]Fault
	calls      map[string]int
	paging     Pagination
	now        time.Time
	requestLog []string
	// pendingHeaders are the list's paging headers, set by list and sent
	// by serve.
	pendingHeaders http.Header
}

// New starts a fake for one project under prefix (e.g. "/api/v4") and
// closes it when tb ends. project is the project's id or its path.
func New(tb testing.TB, prefix, project string) *Server {
	tb.Helper()
	return start(tb, prefix, project, false)
}

// NewTLS is New over HTTPS with httptest's certificate, which no system
// trusts: a self-managed GitLab with a private CA (see Certificate).
func NewTLS(tb testing.TB, prefix, project string) *Server {
	tb.Helper()
	return start(tb, prefix, project, true)
}

func start(tb testing.TB, prefix, project string, tls bool) *Server {
	tb.Helper()
	s := &Server{
		Prefix: prefix, project: project,
		tokens: map[string]User{}, jobTokens: map[string]bool{}, mrHead: map[int64]string{},
		faults: map[string][]Fault{}, calls: map[string]int{}, nextID: 1000,
		now: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC),
	}
	if tls {
		s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	} else {
		s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	}
	tb.Cleanup(s.Close)
	s.APIURL = s.URL + prefix
	return s
}

// locked runs f with the fake's state locked.
func (s *Server) locked(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

// AddToken lets token act as u.
func (s *Server) AddToken(token string, u User) { s.locked(func() { s.tokens[token] = u }) }

// AddJobToken accepts token as a CI_JOB_TOKEN.
func (s *Server) AddJobToken(token string) { s.locked(func() { s.jobTokens[token] = true }) }

// SetHead sets the head SHA of merge request iid (creating it).
func (s *Server) SetHead(iid int64, sha string) { s.locked(func() { s.mrHead[iid] = sha }) }

// SetPagination selects the paging headers.
func (s *Server) SetPagination(p Pagination) { s.locked(func() { s.paging = p }) }

// AddNote adds a note as if author wrote it, and returns its id.
func (s *Server) AddNote(iid int64, author User, body string, system bool) (id int64) {
	s.locked(func() { id = s.addNoteLocked(iid, author, body, system).ID })
	return id
}

func (s *Server) addNoteLocked(iid int64, author User, body string, system bool) Note {
	s.nextID++
	s.now = s.now.Add(time.Minute)
	n := Note{ID: s.nextID, MR: iid, Author: author, Body: body, System: system, Created: s.now, Updated: s.now}
	s.notes = append(s.notes, n)
	return n
}

// Notes returns the notes of merge request iid, oldest first.
func (s *Server) Notes(iid int64) (notes []Note) {
	s.locked(func() { notes = s.notesOf(iid) })
	return notes
}

// notesOf returns the notes of merge request iid, oldest first; s.mu must
// be held.
func (s *Server) notesOf(iid int64) []Note {
	var out []Note
	for _, n := range s.notes {
		if n.MR == iid {
			out = append(out, n)
		}
	}
	return out
}

// Fail queues faults for the next requests to route.
func (s *Server) Fail(route string, faults ...Fault) {
	s.locked(func() { s.faults[route] = append(s.faults[route], faults...) })
}

// Calls returns how many requests reached route.
func (s *Server) Calls(route string) (n int) {
	s.locked(func() { n = s.calls[route] })
	return n
}

// Writes returns how many create and update requests arrived.
func (s *Server) Writes() (n int) {
	s.locked(func() { n = s.calls[RouteCreate] + s.calls[RouteUpdate] })
	return n
}

// Requests returns every request line ("GET /api/v4/user") so far.
func (s *Server) Requests() (lines []string) {
	s.locked(func() { lines = slices.Clone(s.requestLog) })
	return lines
}

// WebURL is the page of merge request iid.
func (s *Server) WebURL(iid int64) string {
	return fmt.Sprintf("%s/group/app/-/merge_requests/%d", s.URL, iid)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requestLog = append(s.requestLog, r.Method+" "+r.URL.EscapedPath())
	w.Header().Set("Content-Type", "application/json")

	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), s.Prefix+"/")
	if !ok {
		writeError(w, http.StatusNotFound, "404 Not Found")
		return
	}
	parts := strings.Split(rest, "/")
	route, iid, noteID := "", int64(0), int64(0)
	switch {
	case len(parts) == 1 && parts[0] == "user" && r.Method == http.MethodGet:
		route = RouteUser
	case len(parts) >= 4 && parts[0] == "projects" && parts[2] == "merge_requests":
		pid, _ := url.PathUnescape(parts[1])
		if pid != s.project {
			writeError(w, http.StatusNotFound, "404 Project Not Found")
			return
		}
		n, err := strconv.ParseInt(parts[3], 10, 64)
		if _, known := s.mrHead[n]; err != nil || !known {
			writeError(w, http.StatusNotFound, "404 Not found")
			return
		}
		iid = n
		switch {
		case len(parts) == 4 && r.Method == http.MethodGet:
			route = RouteMR
		case len(parts) == 5 && parts[4] == "notes" && r.Method == http.MethodGet:
			route = RouteList
		case len(parts) == 5 && parts[4] == "notes" && r.Method == http.MethodPost:
			route = RouteCreate
		case len(parts) == 6 && parts[4] == "notes" && r.Method == http.MethodPut:
			route = RouteUpdate
			noteID, err = strconv.ParseInt(parts[5], 10, 64)
			if err != nil {
				writeError(w, http.StatusNotFound, "404 Not found")
				return
			}
		}
	}
	if route == "" {
		writeError(w, http.StatusNotFound, "404 Not Found")
		return
	}
	s.calls[route]++

	// Authentication, as GitLab: an unknown token is 401; a job token may
	// read notes and merge requests but not /user or writes.
	user, known := s.tokens[r.Header.Get("PRIVATE-TOKEN")]
	job := s.jobTokens[r.Header.Get("JOB-TOKEN")]
	switch {
	case known:
	case job && (route == RouteList || route == RouteMR):
	case job:
		writeError(w, http.StatusForbidden, "403 Forbidden")
		return
	default:
		writeError(w, http.StatusUnauthorized, "401 Unauthorized")
		return
	}

	var fault *Fault
	if q := s.faults[route]; len(q) > 0 {
		f := q[0]
		s.faults[route] = q[1:]
		fault = &f
		if !f.Land {
			writeError(w, f.Status, f.Body)
			return
		}
	}
	status, answer := s.handle(route, r, iid, noteID, user)
	if fault != nil {
		s.pendingHeaders = nil
		writeError(w, fault.Status, fault.Body)
		return
	}
	for k, vs := range s.pendingHeaders {
		w.Header()[k] = vs
	}
	s.pendingHeaders = nil
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(answer)
}

func (s *Server) handle(route string, r *http.Request, iid, noteID int64, user User) (int, any) {
	switch route {
	case RouteUser:
		return http.StatusOK, map[string]any{"id": user.ID, "username": user.Username, "name": user.Username,
			"state": "active", "web_url": s.URL + "/" + user.Username, "bot": strings.HasPrefix(user.Username, "project_")}
	case RouteMR:
		return http.StatusOK, map[string]any{"id": 90000 + iid, "iid": iid, "project_id": 42, "state": "opened",
			"sha": s.mrHead[iid], "web_url": s.WebURL(iid), "source_branch": "feature", "target_branch": "main",
			"diff_refs": map[string]any{"head_sha": s.mrHead[iid]}}
	case RouteList:
		return s.list(r, iid)
	case RouteCreate:
		body, err := readBody(r)
		if err != nil || body == "" {
			return http.StatusBadRequest, map[string]any{"message": "400 Bad request - body is missing"}
		}
		return http.StatusCreated, s.noteJSON(s.addNoteLocked(iid, user, body, false))
	case RouteUpdate:
		body, err := readBody(r)
		if err != nil || body == "" {
			return http.StatusBadRequest, map[string]any{"message": "400 Bad request - body is missing"}
		}
		for i := range s.notes {
			n := &s.notes[i]
			if n.ID == noteID && n.MR == iid {
				if n.Author.ID != user.ID {
					return http.StatusForbidden, map[string]any{"message": "403 Forbidden"}
				}
				s.now = s.now.Add(time.Minute)
				n.Body, n.Updated = body, s.now
				return http.StatusOK, s.noteJSON(*n)
			}
		}
		return http.StatusNotFound, map[string]any{"message": "404 Not found"}
	}
	return http.StatusNotFound, map[string]any{"message": "404 Not Found"}
}

// list answers one page of notes, newest first (GitLab's default order).
func (s *Server) list(r *http.Request, iid int64) (int, any) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if page < 1 {
		page = 1
	}
	per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	if per < 1 {
		per = 20
	}
	if per > 100 {
		per = 100
	}
	all := s.notesOf(iid)
	slices.Reverse(all)
	pages := max(1, (len(all)+per-1)/per)
	from, to := min((page-1)*per, len(all)), min(page*per, len(all))
	out := []any{}
	for _, n := range all[from:to] {
		out = append(out, s.noteJSON(n))
	}
	s.pendingHeaders = pagingHeaders(s.paging, r, page, per, pages, len(all))
	return http.StatusOK, out
}

func pagingHeaders(p Pagination, r *http.Request, page, per, pages, total int) http.Header {
	h := http.Header{}
	link := func(n int) string {
		u := *r.URL
		u.Scheme, u.Host = "http", r.Host
		q := u.Query()
		q.Set("page", strconv.Itoa(n))
		q.Set("per_page", strconv.Itoa(per))
		u.RawQuery = q.Encode()
		return u.String()
	}
	if p != PaginationLink {
		h.Set("X-Page", strconv.Itoa(page))
		h.Set("X-Per-Page", strconv.Itoa(per))
		h.Set("X-Total", strconv.Itoa(total))
		h.Set("X-Total-Pages", strconv.Itoa(pages))
		next, prev := "", ""
		if page < pages {
			next = strconv.Itoa(page + 1)
		}
		if page > 1 {
			prev = strconv.Itoa(page - 1)
		}
		h.Set("X-Next-Page", next)
		h.Set("X-Prev-Page", prev)
	}
	if p != PaginationHeaders {
		var links []string
		if page > 1 {
			links = append(links, fmt.Sprintf(`<%s>; rel="prev"`, link(page-1)))
		}
		if page < pages {
			links = append(links, fmt.Sprintf(`<%s>; rel="next"`, link(page+1)))
		}
		links = append(links, fmt.Sprintf(`<%s>; rel="first"`, link(1)), fmt.Sprintf(`<%s>; rel="last"`, link(pages)))
		h.Set("Link", strings.Join(links, ", "))
	}
	return h
}

func (s *Server) noteJSON(n Note) map[string]any {
	return map[string]any{
		"id": n.ID, "type": nil, "body": n.Body, "attachment": nil,
		"author": map[string]any{"id": n.Author.ID, "username": n.Author.Username, "name": n.Author.Username,
			"state": "active", "web_url": s.URL + "/" + n.Author.Username},
		"created_at": n.Created.Format(time.RFC3339Nano), "updated_at": n.Updated.Format(time.RFC3339Nano),
		//nolint:misspell // GitLab's own field names
		"system": n.System, "noteable_id": 90000 + n.MR, "noteable_type": "MergeRequest", "noteable_iid": n.MR,
		"project_id": 42, "resolvable": false, "confidential": false, "internal": false,
	}
}

// readBody reads the note body from a JSON or form request, as GitLab
// accepts both.
func readBody(r *http.Request) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, 2<<20))
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var v struct {
			Body string `json:"body"`
		}
		if err := json.Unmarshal(b, &v); err != nil {
			return "", err
		}
		return v.Body, nil
	}
	q, err := url.ParseQuery(string(b))
	if err != nil {
		return "", err
	}
	return q.Get("body"), nil
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"message": msg})
}

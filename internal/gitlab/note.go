package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	gl "gitlab.com/gitlab-org/api/client-go/v2"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/githubpr"
	"github.com/codescoring-gate/codescoring-gate/internal/retry"
)

// NotesClient is the part of *gitlab.NotesService the note uses.
type NotesClient interface {
	ListMergeRequestNotes(pid any, mergeRequest int64, opt *gl.ListMergeRequestNotesOptions, options ...gl.RequestOptionFunc) ([]*gl.Note, *gl.Response, error)
	CreateMergeRequestNote(pid any, mergeRequest int64, opt *gl.CreateMergeRequestNoteOptions, options ...gl.RequestOptionFunc) (*gl.Note, *gl.Response, error)
	UpdateMergeRequestNote(pid any, mergeRequest, note int64, opt *gl.UpdateMergeRequestNoteOptions, options ...gl.RequestOptionFunc) (*gl.Note, *gl.Response, error)
}

// MergeRequestsClient is the part of *gitlab.MergeRequestsService the
// stale-pipeline guard uses.
type MergeRequestsClient interface {
	GetMergeRequest(pid any, mergeRequest int64, opt *gl.GetMergeRequestsOptions, options ...gl.RequestOptionFunc) (*gl.MergeRequest, *gl.Response, error)
}

// UsersClient is the part of *gitlab.UsersService that tells who the token
// writes as.
type UsersClient interface {
	CurrentUser(options ...gl.RequestOptionFunc) (*gl.User, *gl.Response, error)
}

// Request is one run's merge request note. Its policies and the Result of
// Post are githubpr's: the gate keeps one discipline on both hosts.
type Request struct {
	// Project is the GitLab project of the merge request: its id
	// (CI_MERGE_REQUEST_PROJECT_ID) or path.
	Project string
	// MergeRequest is the merge request's IID (CI_MERGE_REQUEST_IID).
	MergeRequest int64
	// WebURL is the merge request's page, e.g.
	// https://gitlab.example.com/group/app/-/merge_requests/7; a note's URL
	// is WebURL#note_<id>. Empty: GitLab's own web_url is used when known.
	WebURL string
	// HeadSHA is the commit this run analysed. When the merge request's
	// head has moved on, nothing is written. Empty disables that check.
	HeadSHA string
	// Marker keys the note; Body is the final note text (see
	// githubpr.Request.Body for how the marker line is handled).
	Marker githubpr.Marker
	Body   string
	// Policy is githubpr.PolicyAlways, PolicyOnFailure or PolicyNever.
	Policy string
	// Failing is true when something blocks or the gate failed to decide.
	Failing bool
}

// Note keeps one note per marker key on a merge request. Make one with
// NewNote or NewNoteFromClient; a Note may be used by several goroutines.
type Note struct {
	notes    NotesClient
	mrs      MergeRequestsClient
	users    UsersClient
	jobToken bool
	maxPages int
	logf     func(format string, args ...any)

	mu   sync.Mutex
	user *gl.User
}

// Option configures a Note.
type Option func(*Note)

// WithLogf sets where oddities are logged (default: nowhere).
func WithLogf(logf func(format string, args ...any)) Option {
	return func(n *Note) { n.logf = logf }
}

// WithJobTokenOnly says the only token is CI_JOB_TOKEN, which GitLab lets
// read merge request notes but never write them: Post then writes nothing
// and says which token to create.
func WithJobTokenOnly() Option {
	return func(n *Note) { n.jobToken = true }
}

// NewNote returns a Note over the three services. mrs may be nil: then the
// stale-pipeline guard is off.
func NewNote(notes NotesClient, mrs MergeRequestsClient, users UsersClient, opts ...Option) *Note {
	n := &Note{notes: notes, mrs: mrs, users: users, maxPages: 100, logf: func(string, ...any) {}}
	for _, o := range opts {
		o(n)
	}
	return n
}

// NewNoteFromClient returns a Note over c's Notes, MergeRequests and Users
// services.
func NewNoteFromClient(c *gl.Client, opts ...Option) *Note {
	return NewNote(c.Notes, c.MergeRequests, c.Users, opts...)
}

// createAttempts is how often Post tries to create a note whose create
// failed in transit; before each retry it looks for the note again.
const createAttempts = 3

// Post creates, updates or leaves alone the request's note; see
// githubpr.Result for the outcomes. A token GitLab refuses (401, 403) or a
// job token is not an error: the Result says "denied" and which token to
// create. Other failures are returned after client-go's retries.
//
// The note Post edits is the newest one that carries a marker with the
// request's key and was written by the token's own user (GET /user); a
// look-alike by anyone else is never edited.
func (n *Note) Post(ctx context.Context, req Request) (githubpr.Result, error) {
	if err := req.validate(); err != nil {
		return githubpr.Result{}, fmt.Errorf("post merge request note: %w", err)
	}
	if req.Policy == githubpr.PolicyNever {
		return githubpr.Result{Action: githubpr.ActionSkippedPolicy, Message: gate.Say("mr.never")}, nil
	}
	if n.jobToken {
		return githubpr.Result{Action: githubpr.ActionDenied, Message: msgJobTokenOnly(req)}, nil
	}
	body, err := githubpr.BodyWithMarker(req.Body, req.Marker, req.HeadSHA)
	if err != nil {
		return githubpr.Result{}, fmt.Errorf("post merge request note: %w", err)
	}
	existing, err := n.find(ctx, req)
	if err != nil {
		if res, ok := denied(err, gate.Say("mr.denied.read"), req); ok {
			return res, nil
		}
		return githubpr.Result{}, step(gate.Say("mr.do.list", req.said()), err)
	}
	if existing == nil && req.Policy == githubpr.PolicyOnFailure && !req.Failing {
		return githubpr.Result{Action: githubpr.ActionSkippedPolicy, Message: gate.Say("mr.onfailure")}, nil
	}
	if existing != nil && githubpr.SameBody(existing.Body, body) {
		return githubpr.Result{Action: githubpr.ActionUnchanged, URL: noteURL(req.WebURL, existing.ID)}, nil
	}

	res, stale, webURL, err := n.guard(ctx, req)
	if err != nil {
		return githubpr.Result{}, step(gate.Say("mr.do.get", req.said()), err)
	}
	if stale {
		return res, nil
	}
	if req.WebURL == "" {
		req.WebURL = webURL
	}

	if existing != nil {
		_, _, err := n.notes.UpdateMergeRequestNote(req.Project, req.MergeRequest, existing.ID,
			&gl.UpdateMergeRequestNoteOptions{Body: &body}, gl.WithContext(ctx))
		if err != nil {
			if res, ok := denied(err, gate.Say("mr.denied.edit"), req); ok {
				return res, nil
			}
			return githubpr.Result{}, step(gate.Say("mr.do.edit", existing.ID, req.said()), err)
		}
		return githubpr.Result{Action: githubpr.ActionUpdated, URL: noteURL(req.WebURL, existing.ID), Message: res.Message}, nil
	}

	created, err := n.create(ctx, req, body)
	if err != nil {
		if res, ok := denied(err, gate.Say("mr.denied.create"), req); ok {
			return res, nil
		}
		return githubpr.Result{}, step(gate.Say("mr.do.create", req.said()), err)
	}
	return githubpr.Result{Action: githubpr.ActionCreated, URL: noteURL(req.WebURL, created.ID), Message: res.Message}, nil
}

func (r Request) validate() error {
	var errs []error
	if strings.TrimSpace(r.Project) == "" {
		errs = append(errs, errors.New("the GitLab project is empty"))
	}
	if r.MergeRequest <= 0 {
		errs = append(errs, fmt.Errorf("merge request IID %d is not positive", r.MergeRequest))
	}
	if err := githubpr.CheckPolicy(r.Policy); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (r Request) name() string {
	return fmt.Sprintf("merge request !%d of project %s", r.MergeRequest, r.Project)
}

// find returns the newest note with the request's marker key written by
// the token's user, or nil. It reads every page (100 notes each, at most
// maxPages), following X-Next-Page or the Link header's next.
func (n *Note) find(ctx context.Context, req Request) (*gl.Note, error) {
	var candidates []*gl.Note
	opts := &gl.ListMergeRequestNotesOptions{ListOptions: gl.ListOptions{PerPage: 100}}
	reqOpts := []gl.RequestOptionFunc{gl.WithContext(ctx)}
	for pages := 1; ; pages++ {
		notes, resp, err := n.notes.ListMergeRequestNotes(req.Project, req.MergeRequest, opts, reqOpts...)
		if err != nil {
			return nil, err
		}
		for _, note := range notes {
			if note == nil || note.System {
				continue
			}
			if m, ok := githubpr.ParseMarker(note.Body); ok && m.SameKey(req.Marker) {
				candidates = append(candidates, note)
			}
		}
		if resp == nil {
			break
		}
		next, more := gl.WithNext(resp)
		if !more {
			break
		}
		if pages == n.maxPages {
			n.logf("stopped listing the notes of %s after %d pages", req.name(), pages)
			break
		}
		reqOpts = []gl.RequestOptionFunc{gl.WithContext(ctx), next}
	}
	if len(candidates) == 0 {
		return nil, nil
	}
	user, err := n.whoami(ctx)
	if err != nil {
		return nil, err
	}
	var newest *gl.Note
	for _, note := range candidates {
		if !sameAuthor(note.Author, user) {
			continue
		}
		if newest == nil || newer(note, newest) {
			newest = note
		}
	}
	return newest, nil
}

func sameAuthor(a gl.NoteAuthor, u *gl.User) bool {
	if a.ID != 0 && u.ID != 0 {
		return a.ID == u.ID
	}
	return a.Username != "" && strings.EqualFold(a.Username, u.Username)
}

// newer reports whether a was created after b; note ids grow with time, so
// they break ties.
func newer(a, b *gl.Note) bool {
	if a.CreatedAt != nil && b.CreatedAt != nil && !a.CreatedAt.Equal(*b.CreatedAt) {
		return a.CreatedAt.After(*b.CreatedAt)
	}
	return a.ID > b.ID
}

// whoami returns the token's user, asked once per Note.
func (n *Note) whoami(ctx context.Context) (*gl.User, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.user != nil {
		return n.user, nil
	}
	u, _, err := n.users.CurrentUser(gl.WithContext(ctx))
	if err != nil {
		return nil, &gate.SaidError{Doing: gate.Say("mr.do.user"), Err: err}
	}
	if u == nil || (u.ID == 0 && u.Username == "") {
		return nil, errors.New("get the token's user (GET /user): GitLab named no user")
	}
	n.user = u
	return u, nil
}

// guard is the stale-pipeline guard: when the merge request's head is no
// longer the commit this run analysed, a newer pipeline owns the note. When
// GitLab refuses to show the merge request the write goes ahead and
// res.Message says why unchecked. It returns the merge request's web_url.
func (n *Note) guard(ctx context.Context, req Request) (res githubpr.Result, stale bool, webURL string, err error) {
	if n.mrs == nil || req.HeadSHA == "" {
		return githubpr.Result{}, false, "", nil
	}
	mr, _, err := n.mrs.GetMergeRequest(req.Project, req.MergeRequest, nil, gl.WithContext(ctx))
	if err != nil {
		if code := statusOf(err); code == http.StatusForbidden || code == http.StatusNotFound {
			return githubpr.Result{Message: msgGuardUnchecked(req, code)}, false, "", nil
		}
		return githubpr.Result{}, false, "", err
	}
	head := mr.SHA
	if head == "" || strings.EqualFold(head, req.HeadSHA) {
		return githubpr.Result{}, false, mr.WebURL, nil
	}
	return githubpr.Result{Action: githubpr.ActionSkippedStale, Message: msgStale(req.HeadSHA, head)}, true, mr.WebURL, nil
}

// create posts a new note. client-go does not retry a POST that failed
// with a 5xx (it may have been applied), so create does: it looks for the
// note first (a GET, which client-go retries with backoff), and posts
// again only when it is not there. A retry never leaves two notes.
func (n *Note) create(ctx context.Context, req Request, body string) (*gl.Note, error) {
	var lastErr error
	for attempt := 1; attempt <= createAttempts; attempt++ {
		if attempt > 1 {
			n.logf("creating the note on %s failed, looking for it before trying again: %v", req.name(), lastErr)
			found, err := n.find(ctx, req)
			if err != nil {
				return nil, err
			}
			if found != nil {
				return found, nil
			}
		}
		note, _, err := n.notes.CreateMergeRequestNote(req.Project, req.MergeRequest,
			&gl.CreateMergeRequestNoteOptions{Body: &body}, gl.WithContext(ctx))
		if err == nil {
			return note, nil
		}
		if !transient(ctx, err) {
			return nil, err
		}
		lastErr = err
	}
	return nil, lastErr
}

// transient reports whether a failed create may be tried again: a 5xx
// (but 501), a 429 client-go gave up on, or a failure without an answer.
func transient(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	code := statusOf(err)
	switch {
	case code == 0:
		return true
	case code == http.StatusTooManyRequests:
		return true
	case code >= 500 && code != http.StatusNotImplemented:
		return true
	}
	return false
}

// noteURL is the page of a note, or "" without the merge request's page.
func noteURL(webURL string, id int64) string {
	if webURL == "" || id == 0 {
		return ""
	}
	return strings.TrimRight(webURL, "/") + "#note_" + strconv.FormatInt(id, 10)
}

// statusOf returns the HTTP status of a GitLab error answer, or 0.
func statusOf(err error) int {
	var er *gl.ErrorResponse
	if errors.As(err, &er) {
		if er.Response != nil {
			return er.Response.StatusCode
		}
		return er.StatusCode
	}
	return 0
}

// denied turns a 401 or 403 answer into a Result that says which token to
// create. what completes "the token may not … merge request !n".
func denied(err error, what gate.Text, req Request) (githubpr.Result, bool) {
	code := statusOf(err)
	if code != http.StatusUnauthorized && code != http.StatusForbidden {
		return githubpr.Result{}, false
	}
	return githubpr.Result{Action: githubpr.ActionDenied, Message: msgDenied(code, what, req)}, true
}

// step is err of the step doing (a message of the catalogs), with what
// to do when its fix is known: a gate.SaidError, said in the reader's
// language by gate.Fact; GitLab's own words stay as it sent them.
func step(doing gate.Text, err error) error {
	e := &gate.SaidError{Doing: doing, Err: err}
	switch {
	case statusOf(err) == http.StatusNotFound:
		e.Hint = gate.Say("mr.hint.notfound")
	case retry.CertError(err) != nil:
		e.Hint = gate.Say("mr.hint.certificate")
	}
	return e
}

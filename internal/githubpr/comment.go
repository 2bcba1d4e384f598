package githubpr

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

// IssuesClient is the part of *github.IssuesService the sticky comment uses:
// pull request comments are issue comments.
type IssuesClient interface {
	ListComments(ctx context.Context, owner string, repo string, number int, opts *github.IssueListCommentsOptions) ([]*github.IssueComment, *github.Response, error)
	CreateComment(ctx context.Context, owner string, repo string, number int, comment *github.IssueComment) (*github.IssueComment, *github.Response, error)
	EditComment(ctx context.Context, owner string, repo string, commentID int64, comment *github.IssueComment) (*github.IssueComment, *github.Response, error)
}

// PullRequestsClient is the part of *github.PullRequestsService the stale-run
// guard uses.
type PullRequestsClient interface {
	Get(ctx context.Context, owner string, repo string, number int) (*github.PullRequest, *github.Response, error)
}

// UsersClient is the part of *github.UsersService that tells who the token
// posts as.
type UsersClient interface {
	Get(ctx context.Context, user string) (*github.User, *github.Response, error)
}

// The comment policies of Request.Policy.
const (
	PolicyAlways    = "always"     // post or update on every run
	PolicyOnFailure = "on-failure" // create only when failing; always update an existing comment
	PolicyNever     = "never"      // do not touch GitHub at all
)

// The actions of Result.Action.
const (
	ActionCreated       = "created"        // a new comment was posted
	ActionUpdated       = "updated"        // our comment was edited
	ActionUnchanged     = "unchanged"      // our comment already had this body: no write
	ActionSkippedPolicy = "skipped-policy" // the policy said not to post
	ActionSkippedStale  = "skipped-stale"  // the PR has a newer head commit: no write
	ActionDenied        = "denied"         // GitHub refused (403/404): see Result.Message
)

// ActionsBotLogin is the login comments made with the Actions GITHUB_TOKEN
// carry. That token cannot read GET /user, so it is assumed when that fails.
const ActionsBotLogin = "github-actions[bot]"

// Policies returns the comment policies, the values of the `comment` input.
func Policies() []string { return []string{PolicyAlways, PolicyOnFailure, PolicyNever} }

// CheckPolicy returns an error unless p is one of Policies.
func CheckPolicy(p string) error {
	if slices.Contains(Policies(), p) {
		return nil
	}
	return fmt.Errorf("comment policy %q is unknown: use %s, %s or %s", p, PolicyAlways, PolicyOnFailure, PolicyNever)
}

// Request is one run's sticky comment.
type Request struct {
	// Owner, Repo and Number name the pull request (its base repository).
	Owner  string
	Repo   string
	Number int
	// HeadSHA is the commit this run analysed. When the PR's head has moved
	// on, nothing is written. Empty disables that check.
	HeadSHA string
	// Marker keys the comment. An empty Marker.HeadSHA is filled from
	// HeadSHA when Post appends the marker line.
	Marker Marker
	// Body is the final comment text. If it already holds a marker line (the
	// report renders Marker.String() into its footer) that marker must have
	// Marker's key and Body is posted as is; otherwise Post appends a blank
	// line and Marker.String().
	Body string
	// Policy is PolicyAlways, PolicyOnFailure or PolicyNever.
	Policy string
	// Failing is true when something blocks or the gate failed to decide.
	Failing bool
	// Fork is true for a PR from a fork; it only shapes Result.Message when
	// GitHub refuses the write.
	Fork bool
}

// Result says what Post did.
type Result struct {
	// Action is one of the Action* constants.
	Action string
	// URL is the comment's page when it exists (created, updated, unchanged).
	URL string
	// Message explains a skip or a refusal, for the log or a warning
	// annotation, said in the reader's language where it is shown (what
	// GitHub sent stays as it came); zero when there is nothing to say.
	Message gate.Text
}

// Sticky keeps one comment per marker key on a pull request. Its zero value
// is not usable: make one with NewSticky or NewStickyFromClient. A Sticky
// may be used by several goroutines.
type Sticky struct {
	issues IssuesClient
	pulls  PullRequestsClient
	users  UsersClient

	login      string
	maxWait    time.Duration
	maxRetries int
	maxPages   int
	logf       func(format string, args ...any)

	mu          sync.Mutex
	cachedLogin string
}

// Option configures a Sticky.
type Option func(*Sticky)

// WithLogin sets the login the token posts as, instead of asking GET /user.
// Set it for a GitHub App installation token, whose comments carry
// "<app-slug>[bot]".
func WithLogin(login string) Option {
	return func(s *Sticky) { s.login = login }
}

// WithMaxWait sets the longest single wait for a rate limit (default one
// minute); a longer one gives up with an error.
func WithMaxWait(d time.Duration) Option {
	return func(s *Sticky) { s.maxWait = d }
}

// WithMaxRetries sets how often one call to GitHub is retried (default 4).
func WithMaxRetries(n int) Option {
	return func(s *Sticky) { s.maxRetries = n }
}

// WithLogf sets where retries and oddities are logged (default: nowhere).
func WithLogf(logf func(format string, args ...any)) Option {
	return func(s *Sticky) { s.logf = logf }
}

// NewSticky returns a Sticky over the three services. pulls may be nil: then
// the stale-run guard is off. users may be nil: then the login is the one
// of WithLogin, else ActionsBotLogin.
func NewSticky(issues IssuesClient, pulls PullRequestsClient, users UsersClient, opts ...Option) *Sticky {
	s := &Sticky{
		issues:     issues,
		pulls:      pulls,
		users:      users,
		maxWait:    time.Minute,
		maxRetries: 4,
		maxPages:   100,
		logf:       func(string, ...any) {},
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// NewStickyFromClient returns a Sticky over c's Issues, PullRequests and
// Users services.
func NewStickyFromClient(c *github.Client, opts ...Option) *Sticky {
	return NewSticky(c.Issues, c.PullRequests, c.Users, opts...)
}

// Post creates, updates or leaves alone the request's sticky comment; see
// Result.Action for the outcomes. A write GitHub refuses with 403 or 404 is
// not an error: the Result says "denied" and what permission is missing.
// Other failures are retried when transient, then returned.
//
// The comment Post edits is the newest one that carries a marker with the
// request's key and was written by the token's own user; a look-alike by
// anyone else is never edited.
func (s *Sticky) Post(ctx context.Context, req Request) (Result, error) {
	if err := req.validate(); err != nil {
		return Result{}, fmt.Errorf("post pull request comment: %w", err)
	}
	if req.Policy == PolicyNever {
		return Result{Action: ActionSkippedPolicy, Message: gate.Say("pr.never")}, nil
	}
	body, err := BodyWithMarker(req.Body, req.Marker, req.HeadSHA)
	if err != nil {
		return Result{}, fmt.Errorf("post pull request comment: %w", err)
	}
	pr := fmt.Sprintf("%s/%s#%d", req.Owner, req.Repo, req.Number)

	existing, err := s.find(ctx, req, true)
	if err != nil {
		if res, ok := denied(err, gate.Say("pr.denied.read"), req); ok {
			return res, nil
		}
		return Result{}, step(gate.Say("pr.do.list", pr), err)
	}
	if existing == nil && req.Policy == PolicyOnFailure && !req.Failing {
		return Result{Action: ActionSkippedPolicy, Message: gate.Say("pr.onfailure")}, nil
	}
	if existing != nil && SameBody(existing.GetBody(), body) {
		return Result{Action: ActionUnchanged, URL: existing.GetHTMLURL()}, nil
	}

	res, stale, err := s.guard(ctx, req)
	if err != nil {
		return Result{}, step(gate.Say("pr.do.get", pr), err)
	}
	if stale {
		return res, nil
	}
	note := res.Message

	if existing != nil {
		var c *github.IssueComment
		err := s.retry(ctx, func() error {
			var err error
			c, _, err = s.issues.EditComment(ctx, req.Owner, req.Repo, existing.GetID(), &github.IssueComment{Body: github.String(body)})
			return err
		})
		if err != nil {
			if res, ok := denied(err, gate.Say("pr.denied.edit"), req); ok {
				return res, nil
			}
			return Result{}, step(gate.Say("pr.do.edit", existing.GetID(), pr), err)
		}
		return Result{Action: ActionUpdated, URL: cmp.Or(c.GetHTMLURL(), existing.GetHTMLURL()), Message: note}, nil
	}

	c, err := s.create(ctx, req, body)
	if err != nil {
		if res, ok := denied(err, gate.Say("pr.denied.create"), req); ok {
			return res, nil
		}
		return Result{}, step(gate.Say("pr.do.create", pr), err)
	}
	return Result{Action: ActionCreated, URL: c.GetHTMLURL(), Message: note}, nil
}

func (r Request) validate() error {
	var errs []error
	if r.Owner == "" || r.Repo == "" {
		errs = append(errs, errors.New("the repository owner and name are empty"))
	}
	if r.Number <= 0 {
		errs = append(errs, fmt.Errorf("pull request number %d is not positive", r.Number))
	}
	if err := CheckPolicy(r.Policy); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// find returns the newest comment with the request's marker key written by
// the token's user, or nil. With retry false every error is returned as is,
// for a caller that retries find itself.
func (s *Sticky) find(ctx context.Context, req Request, retry bool) (*github.IssueComment, error) {
	call := func(op func() error) error {
		if retry {
			return s.retry(ctx, op)
		}
		return op()
	}
	var candidates []*github.IssueComment
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for page, pages := 1, 1; ; pages++ {
		opts.Page = page
		var (
			cs   []*github.IssueComment
			resp *github.Response
		)
		err := call(func() error {
			var err error
			cs, resp, err = s.issues.ListComments(ctx, req.Owner, req.Repo, req.Number, opts)
			return err
		})
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if m, ok := ParseMarker(c.GetBody()); ok && m.SameKey(req.Marker) {
				candidates = append(candidates, c)
			}
		}
		if resp == nil || resp.NextPage <= page {
			break
		}
		if pages == s.maxPages {
			s.logf("stopped listing comments of %s/%s#%d after %d pages", req.Owner, req.Repo, req.Number, pages)
			break
		}
		page = resp.NextPage
	}
	if len(candidates) == 0 {
		return nil, nil
	}

	var login string
	err := call(func() error {
		var err error
		login, err = s.whoami(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	var newest *github.IssueComment
	for _, c := range candidates {
		if !strings.EqualFold(c.GetUser().GetLogin(), login) {
			continue
		}
		if newest == nil || newer(c, newest) {
			newest = c
		}
	}
	return newest, nil
}

// newer reports whether a was created after b; comment ids grow with time,
// so they break ties.
func newer(a, b *github.IssueComment) bool {
	at, bt := a.GetCreatedAt().Time, b.GetCreatedAt().Time
	if !at.Equal(bt) {
		return at.After(bt)
	}
	return a.GetID() > b.GetID()
}

// whoami returns the login the token posts as. It asks GitHub once per
// Sticky; the Actions GITHUB_TOKEN is refused GET /user, which means
// ActionsBotLogin.
func (s *Sticky) whoami(ctx context.Context) (string, error) {
	if s.login != "" {
		return s.login, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cachedLogin != "" {
		return s.cachedLogin, nil
	}
	login := ActionsBotLogin
	if s.users != nil {
		u, _, err := s.users.Get(ctx, "")
		switch {
		case err == nil && u.GetLogin() != "":
			login = u.GetLogin()
		case err == nil:
		case statusIn(err, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound):
			// "Resource not accessible by integration": an Actions or App
			// token.
		default:
			return "", &gate.SaidError{Doing: gate.Say("pr.do.user"), Err: err}
		}
	}
	s.cachedLogin = login
	return login, nil
}

// guard is the stale-run guard: when the PR's head is no longer the commit
// this run analysed, a newer run is analysing the newer commit and owns the
// comment, so this run must not overwrite it. When GitHub refuses to show
// the PR the write goes ahead and res.Message says why unchecked.
func (s *Sticky) guard(ctx context.Context, req Request) (res Result, stale bool, err error) {
	if s.pulls == nil || req.HeadSHA == "" {
		return Result{}, false, nil
	}
	var pr *github.PullRequest
	err = s.retry(ctx, func() error {
		var err error
		pr, _, err = s.pulls.Get(ctx, req.Owner, req.Repo, req.Number)
		return err
	})
	if err != nil {
		if statusIn(err, http.StatusForbidden, http.StatusNotFound) {
			return Result{Message: gate.Say("pr.unchecked", req.Number, statusOf(err))}, false, nil
		}
		return Result{}, false, err
	}
	head := pr.GetHead().GetSHA()
	if head == "" || strings.EqualFold(head, req.HeadSHA) {
		return Result{}, false, nil
	}
	return Result{
		Action:  ActionSkippedStale,
		Message: gate.Say("pr.stale", ShortSHA(req.HeadSHA), ShortSHA(head)),
	}, true, nil
}

// create posts a new comment. A create that failed in transit may still
// have reached GitHub, so before each retry it looks for the comment again:
// a retry never leaves two comments.
func (s *Sticky) create(ctx context.Context, req Request, body string) (*github.IssueComment, error) {
	var (
		c     *github.IssueComment
		tries int
	)
	err := s.retry(ctx, func() error {
		tries++
		if tries > 1 {
			found, err := s.find(ctx, req, false)
			if err != nil {
				return err
			}
			if found != nil {
				c = found
				return nil
			}
		}
		var err error
		c, _, err = s.issues.CreateComment(ctx, req.Owner, req.Repo, req.Number, &github.IssueComment{Body: github.String(body)})
		return err
	})
	return c, err
}

// denied turns a 403 or 404 answer into a Result that says what to change.
// what (a message of the catalogs) completes "the token may not … owner/repo#n".
func denied(err error, what gate.Text, req Request) (Result, bool) {
	if !statusIn(err, http.StatusForbidden, http.StatusNotFound) {
		return Result{}, false
	}
	said := gate.Plain("")
	if msg := errorMessage(err); msg != "" {
		said = gate.Say("pr.denied.said", msg)
	}
	advice := gate.Say("pr.denied.grant")
	if req.Fork {
		advice = gate.Say("pr.denied.fork")
	}
	return Result{Action: ActionDenied, Message: gate.Say("pr.denied", statusOf(err), what, req.Owner, req.Repo, req.Number, said, advice)}, true
}

// statusOf returns the HTTP status of a GitHub error answer, or 0.
func statusOf(err error) int {
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode
	}
	return 0
}

// statusIn reports whether err is a GitHub error answer with one of codes.
// Rate limit errors are other types, so they never match.
func statusIn(err error, codes ...int) bool {
	code := statusOf(err)
	for _, c := range codes {
		if code == c {
			return true
		}
	}
	return false
}

func errorMessage(err error) string {
	var er *github.ErrorResponse
	if errors.As(err, &er) {
		return er.Message
	}
	return ""
}

// step is err of the step doing (a message of the catalogs), with what
// to do when its fix is known: a gate.SaidError, said in the reader's
// language by gate.Fact; GitHub's own words stay as it sent them.
func step(doing gate.Text, err error) error {
	e := &gate.SaidError{Doing: doing, Err: err}
	if statusOf(err) == http.StatusUnauthorized {
		e.Hint = gate.Say("pr.hint.token")
	}
	return e
}

// ShortSHA is the first 12 characters of a commit id, as the messages of
// the PR comment and the GitLab note name a commit.
func ShortSHA(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

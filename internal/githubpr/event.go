package githubpr

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/go-github/v62/github"
)

// PullRequest is what the gate needs to know about the pull request a
// workflow runs for.
type PullRequest struct {
	Number int
	// HeadSHA is the commit at the head of the PR branch. On pull_request
	// events GITHUB_SHA is a merge commit instead, which CodeScoring never
	// sees, so the head comes from the payload.
	HeadSHA string
	HeadRef string
	// HeadRepo is the full name (owner/name) of the repository the head
	// branch lives in; empty when that repository was deleted.
	HeadRepo string
	// BaseOwner and BaseRepo name the repository the PR is opened against:
	// comments are posted there.
	BaseOwner string
	BaseRepo  string
	BaseRef   string
	// Fork is true when the head branch lives in another repository than the
	// base (or in one that was deleted). Tokens of pull_request runs from
	// forks are read-only.
	Fork bool
}

// The event names that carry a pull request.
const (
	EventPullRequest       = "pull_request"
	EventPullRequestTarget = "pull_request_target"
)

// ParseEvent reads the pull request from the payload of a pull_request or
// pull_request_target event (the file at GITHUB_EVENT_PATH). For any other
// event it returns nil, nil. It fails when the payload is not JSON or lacks
// the PR number, head commit or base repository.
func ParseEvent(eventName string, payload []byte) (*PullRequest, error) {
	if eventName != EventPullRequest && eventName != EventPullRequestTarget {
		return nil, nil
	}
	var ev github.PullRequestEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, fmt.Errorf("parse %s event payload: %w: check GITHUB_EVENT_PATH", eventName, err)
	}
	p := ev.PullRequest
	if p == nil {
		return nil, fmt.Errorf("parse %s event payload: no pull_request object: check GITHUB_EVENT_PATH and GITHUB_EVENT_NAME", eventName)
	}
	pr := &PullRequest{Number: cmp.Or(p.GetNumber(), ev.GetNumber())}
	var errs []error
	if pr.Number <= 0 {
		errs = append(errs, errors.New("no pull request number"))
	}
	head := p.GetHead().GetRepo()
	pr.HeadSHA, pr.HeadRef, pr.HeadRepo = p.GetHead().GetSHA(), p.GetHead().GetRef(), head.GetFullName()
	if pr.HeadSHA == "" {
		errs = append(errs, errors.New("no pull_request.head.sha"))
	}
	pr.BaseRef = p.GetBase().GetRef()
	base := cmp.Or(p.GetBase().GetRepo(), ev.GetRepo())
	pr.BaseOwner, pr.BaseRepo = base.GetOwner().GetLogin(), base.GetName()
	if (pr.BaseOwner == "" || pr.BaseRepo == "") && strings.Count(base.GetFullName(), "/") == 1 {
		pr.BaseOwner, pr.BaseRepo, _ = strings.Cut(base.GetFullName(), "/")
	}
	if pr.BaseOwner == "" || pr.BaseRepo == "" {
		errs = append(errs, errors.New("no pull_request.base.repo owner and name"))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("parse %s event payload: %w", eventName, errors.Join(errs...))
	}
	pr.Fork = isFork(head, base)
	return pr, nil
}

// isFork compares the head repository with the base: by id when both have
// one, else by full name. A deleted head repository (null) counts as a fork.
func isFork(head, base *github.Repository) bool {
	if head == nil || base == nil {
		return true
	}
	if head.GetID() != 0 && base.GetID() != 0 {
		return head.GetID() != base.GetID()
	}
	name := func(r *github.Repository) string {
		return cmp.Or(r.GetFullName(), r.GetOwner().GetLogin()+"/"+r.GetName())
	}
	return !strings.EqualFold(name(head), name(base))
}

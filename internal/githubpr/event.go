package githubpr

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
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

type eventRepo struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	FullName string `json:"full_name"`
	Owner    struct {
		Login string `json:"login"`
	} `json:"owner"`
}

type eventBranch struct {
	SHA  string     `json:"sha"`
	Ref  string     `json:"ref"`
	Repo *eventRepo `json:"repo"`
}

type eventPayload struct {
	Number      int `json:"number"`
	PullRequest *struct {
		Number int          `json:"number"`
		Head   *eventBranch `json:"head"`
		Base   *eventBranch `json:"base"`
	} `json:"pull_request"`
	Repository *eventRepo `json:"repository"`
}

// ParseEvent reads the pull request from the payload of a pull_request or
// pull_request_target event (the file at GITHUB_EVENT_PATH). For any other
// event it returns nil, nil. It fails when the payload is not JSON or lacks
// the PR number, head commit or base repository.
func ParseEvent(eventName string, payload []byte) (*PullRequest, error) {
	if eventName != EventPullRequest && eventName != EventPullRequestTarget {
		return nil, nil
	}
	var p eventPayload
	if err := json.Unmarshal(payload, &p); err != nil {
		return nil, fmt.Errorf("parse %s event payload: %w: check GITHUB_EVENT_PATH", eventName, err)
	}
	if p.PullRequest == nil {
		return nil, fmt.Errorf("parse %s event payload: no pull_request object: check GITHUB_EVENT_PATH and GITHUB_EVENT_NAME", eventName)
	}
	pr := &PullRequest{Number: p.PullRequest.Number}
	if pr.Number == 0 {
		pr.Number = p.Number
	}
	var errs []error
	if pr.Number <= 0 {
		errs = append(errs, errors.New("no pull request number"))
	}
	if h := p.PullRequest.Head; h != nil {
		pr.HeadSHA, pr.HeadRef = h.SHA, h.Ref
		if h.Repo != nil {
			pr.HeadRepo = h.Repo.FullName
		}
	}
	if pr.HeadSHA == "" {
		errs = append(errs, errors.New("no pull_request.head.sha"))
	}
	base := p.Repository
	if b := p.PullRequest.Base; b != nil {
		pr.BaseRef = b.Ref
		if b.Repo != nil {
			base = b.Repo
		}
	}
	if base != nil {
		pr.BaseOwner, pr.BaseRepo = base.Owner.Login, base.Name
		if (pr.BaseOwner == "" || pr.BaseRepo == "") && strings.Count(base.FullName, "/") == 1 {
			pr.BaseOwner, pr.BaseRepo, _ = strings.Cut(base.FullName, "/")
		}
	}
	if pr.BaseOwner == "" || pr.BaseRepo == "" {
		errs = append(errs, errors.New("no pull_request.base.repo owner and name"))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("parse %s event payload: %w", eventName, errors.Join(errs...))
	}
	pr.Fork = isFork(p.PullRequest.Head, base)
	return pr, nil
}

// isFork compares the head repository with the base: by id when both have
// one, else by full name. A deleted head repository (null) counts as a fork.
func isFork(head *eventBranch, base *eventRepo) bool {
	if head == nil || head.Repo == nil || base == nil {
		return true
	}
	h := head.Repo
	if h.ID != 0 && base.ID != 0 {
		return h.ID != base.ID
	}
	hn, bn := h.FullName, base.FullName
	if hn == "" {
		hn = h.Owner.Login + "/" + h.Name
	}
	if bn == "" {
		bn = base.Owner.Login + "/" + base.Name
	}
	return !strings.EqualFold(hn, bn)
}

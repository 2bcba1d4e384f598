package githubpr

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/codescoring-gate/codescoring-gate/internal/retry"
)

// secondaryDefaultWait is how long to wait after a secondary rate limit
// that names no time: GitHub's documentation asks for at least a minute.
const secondaryDefaultWait = time.Minute

// resetBuffer is added to a primary rate limit's reset time, which GitHub
// sends in whole seconds.
const resetBuffer = time.Second

// retry runs op until it succeeds, fails for good or the retries are spent,
// by the gate's one retry policy (retry.ShouldRetry, retry.Policy.Wait):
// transient faults (500, 502, 503, 504, network errors) after an exponential
// backoff from 1 s, rate limits after the wait GitHub asks for when it is at
// most the Sticky's longest wait. It returns op's last error unwrapped, or
// with what to do about a rate limit that resets too late.
func (s *Sticky) retry(ctx context.Context, op func() error) error {
	p := retry.Policy{Initial: time.Second, MaxInterval: 30 * time.Second, Retries: s.maxRetries, MaxAfter: s.maxWait}
	res := p.Do(ctx, func() retry.Attempt { return attempt(op()) }, func(a retry.Attempt, wait time.Duration, _ int) {
		s.logf("GitHub request failed, retrying in %s: %v", wait.Round(time.Millisecond), a.Err)
	})
	switch {
	case res.Stop == retry.TooLong:
		return s.tooLong(res.Last)
	case res.Cause != nil:
		return res.Cause
	}
	return res.Last.Err
}

// attempt is how the retry policy sees err, an error of go-github.
func attempt(err error) retry.Attempt {
	a := retry.Attempt{Err: err, After: -1}
	var (
		rle   *github.RateLimitError
		abuse *github.AbuseRateLimitError
		er    *github.ErrorResponse
		ue    *url.Error
	)
	switch {
	case err == nil:
	case errors.As(err, &rle):
		a.Status = http.StatusForbidden
		if reset := rle.Rate.Reset.Time; !reset.IsZero() {
			a.RateLimited = true
			a.After = max(time.Until(reset), 0) + resetBuffer
		}
	case errors.As(err, &abuse):
		a.Status, a.RateLimited, a.After = http.StatusForbidden, true, secondaryDefaultWait
		if abuse.RetryAfter != nil {
			a.After = max(*abuse.RetryAfter, 0)
		}
	case errors.As(err, &er) && er.Response != nil:
		a.Status = er.Response.StatusCode
		if a.Status == http.StatusTooManyRequests {
			// GitHub also answers secondary rate limits with 429, which
			// go-github does not turn into an AbuseRateLimitError.
			a.After = secondaryDefaultWait
			if d, ok := retry.ParseRetryAfter(er.Response.Header.Get("Retry-After"), time.Now()); ok {
				a.After = d
			}
		}
	case errors.As(err, &ue):
		// A transport fault: retry.Transient decides.
	default:
		// Not a fault of the network: go-github could not read the answer.
		a.Final = true
	}
	return a
}

// tooLong is the error of a rate limit that asks to wait longer than the
// Sticky waits.
func (s *Sticky) tooLong(a retry.Attempt) error {
	var rle *github.RateLimitError
	if errors.As(a.Err, &rle) {
		return fmt.Errorf("%w: GitHub's API rate limit for this token resets at %s, in %s, longer than the gate waits (%s): re-run the job later or use a token with its own limit",
			a.Err, rle.Rate.Reset.UTC().Format(time.RFC3339), a.After.Round(time.Second), s.maxWait)
	}
	return fmt.Errorf("%w: GitHub's secondary rate limit asks to wait %s, longer than the gate waits (%s): re-run the job later",
		a.Err, a.After.Round(time.Second), s.maxWait)
}

package api

import (
	"context"
	"errors"
	"math"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/retry"
)

// policy returns the retry policy of the client's requests: exponential
// backoff from initial, a Retry-After capped at maxRetryAfter, every wait
// within maxElapsed of the first attempt (0: no retries).
func policy(maxElapsed, initial time.Duration) retry.Policy {
	p := retry.Policy{Initial: initial, MaxInterval: maxRetryInterval, Budget: maxElapsed,
		Retries: math.MaxInt, CapAfter: maxRetryAfter}
	if maxElapsed == 0 {
		p.Retries = 0
	}
	return p
}

// do sends r, retrying transient faults (retry.ShouldRetry: network errors
// and timeouts of an attempt, 429, 500, 502, 503 and 504; never 501, another
// 4xx, a TLS certificate error, a proxy's refusal or a cancelled context)
// until it succeeds, fails for good, the caller's context ends or the budget
// is spent, and returns the answer. A non-2xx answer is an *APIError,
// returned together with the response so that a caller can read a body it
// expects (the 409 of StartAnalysis). An error after a retry is an
// *AttemptsError.
func (c *Client) do(ctx context.Context, r *request) (*response, error) {
	var resp *response
	res := c.retry.Do(ctx, func() retry.Attempt {
		var a retry.Attempt
		resp, a = c.try(ctx, r)
		return a
	}, func(a retry.Attempt, wait time.Duration, next int) {
		c.logf("%v; retrying in %s (attempt %d)", a.Err, wait.Round(time.Millisecond), next)
	})
	err := res.Last.Err
	switch res.Stop {
	case retry.Final:
		return resp, err
	case retry.Ended:
		if res.Attempts == 1 && (!retry.Retryable(res.Last) || errors.Is(err, ctx.Err())) {
			return resp, err
		}
		return resp, &AttemptsError{Attempts: res.Attempts, Err: err, Cause: ctx.Err()}
	}
	return resp, &AttemptsError{Attempts: res.Attempts, Err: err}
}

package api

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// retryPolicy is the client's retry budget.
type retryPolicy struct {
	maxElapsed time.Duration // 0: no retries
	initial    time.Duration
}

// clockFunc adapts a clock function to backoff.Clock.
type clockFunc func() time.Time

func (f clockFunc) Now() time.Time { return f() }

// run sends r until it succeeds, fails for good, the caller's context ends
// or the budget is spent. Which faults are transient is decided by
// Client.try: network errors and timeouts of an attempt, 429, 500, 502, 503
// and 504; never 501, another 4xx, a TLS certificate error or a cancelled
// context.
func (p retryPolicy) run(ctx context.Context, c *Client, r *request) (*response, error) {
	b := backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(p.initial),
		backoff.WithMaxInterval(maxRetryInterval),
		backoff.WithMaxElapsedTime(p.maxElapsed),
		backoff.WithClockProvider(clockFunc(c.now)),
	)
	b.Reset()
	for n := 1; ; n++ {
		a := c.try(ctx, r)
		if a.err == nil {
			return a.resp, nil
		}
		if err := ctx.Err(); err != nil {
			if n == 1 && !a.retry {
				return a.resp, a.err
			}
			return a.resp, &AttemptsError{Attempts: n, Err: a.err, Cause: err}
		}
		if !a.retry {
			return a.resp, a.err
		}
		wait := backoff.Stop
		if p.maxElapsed > 0 {
			wait = b.NextBackOff()
		}
		if wait != backoff.Stop && a.retryAfter > wait {
			// The server's wish wins over our backoff, up to a cap, and only
			// while it fits the budget.
			wait = min(a.retryAfter, maxRetryAfter)
			if b.GetElapsedTime()+wait > p.maxElapsed {
				wait = backoff.Stop
			}
		}
		if wait == backoff.Stop {
			return a.resp, &AttemptsError{Attempts: n, Err: a.err}
		}
		c.logf("%v; retrying in %s (attempt %d)", a.err, wait.Round(time.Millisecond), n+1)
		if err := c.sleep(ctx, wait); err != nil {
			return a.resp, &AttemptsError{Attempts: n, Err: a.err, Cause: err}
		}
	}
}

// ParseRetryAfter reads a Retry-After header value: a number of seconds or
// an HTTP date, relative to now. ok is false when v is neither. A date in the
// past is zero; the result is not capped.
func ParseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if v[0] >= '0' && v[0] <= '9' {
		secs, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			if errors.Is(err, strconv.ErrRange) {
				return math.MaxInt64, true
			}
			return 0, false
		}
		if secs > uint64(math.MaxInt64/int64(time.Second)) {
			return math.MaxInt64, true
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

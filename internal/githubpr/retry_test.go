package githubpr

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-github/v62/github"
)

func ghError(status int, header map[string]string) error {
	resp := &http.Response{StatusCode: status, Header: http.Header{},
		Request: &http.Request{Method: http.MethodGet, URL: &url.URL{Scheme: "https", Host: "api.github.com", Path: "/x"}}}
	for k, v := range header {
		resp.Header.Set(k, v)
	}
	return &github.ErrorResponse{Response: resp, Message: http.StatusText(status)}
}

// TestRetryClassifies runs one call that fails with each kind of error and
// then succeeds: transient faults are retried once after the backoff or the
// wait GitHub asked for (at least the backoff), the others are returned
// after one attempt, with what to do when a rate limit resets too late.
func TestRetryClassifies(t *testing.T) {
	t.Parallel()
	now := bubbleStart
	dur := func(d time.Duration) *time.Duration { return &d }
	fakeResp := &http.Response{StatusCode: http.StatusForbidden,
		Request: &http.Request{Method: http.MethodPost, URL: &url.URL{Scheme: "https", Host: "api.github.com", Path: "/x"}}}
	primary := func(reset time.Time) error {
		return &github.RateLimitError{Response: fakeResp, Message: "API rate limit exceeded",
			Rate: github.Rate{Limit: 5000, Remaining: 0, Reset: github.Timestamp{Time: reset}}}
	}
	secondary := func(after *time.Duration) error {
		return &github.AbuseRateLimitError{Response: fakeResp, Message: "secondary rate limit", RetryAfter: after}
	}
	netErr := func(err error) error { return &url.Error{Op: "Get", URL: "https://api.github.com/x", Err: err} }

	tests := []struct {
		name      string
		err       error
		wantAgain bool
		wantWait  time.Duration // -1: the first backoff interval, 0.5 s to 1.5 s
		wantFinal string        // substring of the final error when not again
	}{
		{name: "500", err: ghError(500, nil), wantAgain: true, wantWait: -1},
		{name: "502", err: ghError(502, nil), wantAgain: true, wantWait: -1},
		{name: "503", err: ghError(503, nil), wantAgain: true, wantWait: -1},
		{name: "504 wrapped", err: fmt.Errorf("list: %w", ghError(504, nil)), wantAgain: true, wantWait: -1},
		{name: "501", err: ghError(501, nil), wantFinal: "501"},
		{name: "400", err: ghError(400, nil), wantFinal: "400"},
		{name: "401", err: ghError(401, nil), wantFinal: "401"},
		{name: "403", err: ghError(403, nil), wantFinal: "403"},
		{name: "404", err: ghError(404, nil), wantFinal: "404"},
		{name: "422", err: ghError(422, nil), wantFinal: "422"},
		{name: "429 Retry-After seconds", err: ghError(429, map[string]string{"Retry-After": "12"}), wantAgain: true, wantWait: 12 * time.Second},
		{name: "429 Retry-After date", err: ghError(429, map[string]string{"Retry-After": now.Add(30 * time.Second).Format(http.TimeFormat)}), wantAgain: true, wantWait: 30 * time.Second},
		{name: "429 without Retry-After waits a minute", err: ghError(429, nil), wantAgain: true, wantWait: time.Minute},
		{name: "429 with a negative Retry-After waits a minute", err: ghError(429, map[string]string{"Retry-After": "-5"}), wantAgain: true, wantWait: time.Minute},
		{name: "429 too long", err: ghError(429, map[string]string{"Retry-After": "600"}), wantFinal: "asks to wait 10m0s"},
		{name: "secondary with RetryAfter", err: secondary(dur(30 * time.Second)), wantAgain: true, wantWait: 30 * time.Second},
		{name: "secondary with negative RetryAfter", err: secondary(dur(-time.Second)), wantAgain: true, wantWait: -1},
		{name: "secondary without RetryAfter waits a minute", err: secondary(nil), wantAgain: true, wantWait: time.Minute},
		{name: "secondary too long", err: secondary(dur(2 * time.Hour)), wantFinal: "secondary rate limit asks to wait 2h0m0s"},
		{name: "primary resetting soon", err: primary(now.Add(20 * time.Second)), wantAgain: true, wantWait: 21 * time.Second},
		{name: "primary reset already", err: primary(now.Add(-time.Minute)), wantAgain: true, wantWait: -1},
		{name: "primary resetting late", err: primary(now.Add(40 * time.Minute)), wantFinal: "resets at 2000-01-01T00:40:00Z, in 40m1s"},
		{name: "primary without reset", err: primary(time.Time{}), wantFinal: "API rate limit exceeded"},
		{name: "connection refused", err: netErr(&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), wantAgain: true, wantWait: -1},
		{name: "connection closed early", err: netErr(io.ErrUnexpectedEOF), wantAgain: true, wantWait: -1},
		{name: "an attempt timed out", err: netErr(context.DeadlineExceeded), wantAgain: true, wantWait: -1},
		{name: "unknown certificate authority", err: netErr(x509.UnknownAuthorityError{}), wantFinal: "unknown authority"},
		{name: "unsupported scheme", err: netErr(errors.New("unsupported protocol scheme")), wantFinal: "unsupported protocol scheme"},
		{name: "canceled", err: context.Canceled, wantFinal: "context canceled"},
		{name: "plain error", err: errors.New("boom"), wantFinal: "boom"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				s := NewSticky(nil, nil, nil, WithMaxWait(time.Minute))
				calls := 0
				err := s.retry(context.Background(), func() error {
					calls++
					if calls == 1 {
						return tc.err
					}
					return nil
				})
				waited := time.Since(now)
				if again := calls == 2; again != tc.wantAgain {
					t.Fatalf("%v: calls = %d, want again %v (error %v)", tc.err, calls, tc.wantAgain, err)
				}
				if tc.wantAgain {
					if err != nil {
						t.Errorf("%v: retried, then error %v", tc.err, err)
					}
					if tc.wantWait < 0 && (waited < 500*time.Millisecond || waited > 1500*time.Millisecond) ||
						tc.wantWait >= 0 && waited != tc.wantWait {
						t.Errorf("%v: waited %v, want %v (-1: a backoff of 0.5 s to 1.5 s)", tc.err, waited, tc.wantWait)
					}
					return
				}
				if waited != 0 {
					t.Errorf("%v: waited %v before giving up", tc.err, waited)
				}
				if err == nil || !strings.Contains(err.Error(), tc.wantFinal) {
					t.Errorf("%v: final = %v, want it to contain %q", tc.err, err, tc.wantFinal)
				}
				if !errors.Is(err, tc.err) {
					t.Errorf("%v: final = %v, want it to wrap the error", tc.err, err)
				}
			})
		})
	}
}

func TestRetryCanceledContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	err := NewSticky(nil, nil, nil).retry(ctx, func() error {
		calls++
		return ghError(502, nil)
	})
	if calls != 1 || statusOf(err) != http.StatusBadGateway {
		t.Errorf("after the context was canceled: %d calls, error %v; want 1 call and the 502", calls, err)
	}
}

// flakyIssues fails ListComments with errs in turn, then answers no comments.
type flakyIssues struct {
	IssuesClient
	errs  []error
	calls []time.Time
}

func (f *flakyIssues) ListComments(context.Context, string, string, int, *github.IssueListCommentsOptions) ([]*github.IssueComment, *github.Response, error) {
	f.calls = append(f.calls, time.Now())
	if len(f.errs) > 0 {
		err := f.errs[0]
		f.errs = f.errs[1:]
		return nil, nil, err
	}
	return nil, &github.Response{}, nil
}

// TestRetryHonoursWaits drives the retry loop with a tiny fake: the waits
// GitHub asks for are kept, and other faults use the exponential backoff.
func TestRetryHonoursWaits(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		after := 45 * time.Second
		issues := &flakyIssues{errs: []error{
			&github.AbuseRateLimitError{Response: &http.Response{StatusCode: http.StatusForbidden, Request: &http.Request{Method: http.MethodGet, URL: &url.URL{}}}, RetryAfter: &after},
			ghError(429, map[string]string{"Retry-After": "3"}),
			ghError(502, nil),
		}}
		s := NewSticky(issues, nil, nil)
		req := baseRequest()
		req.Policy = PolicyOnFailure
		got, err := s.Post(context.Background(), req)
		if err != nil {
			t.Fatalf("Post: %v", err)
		}
		if got.Action != ActionSkippedPolicy {
			t.Errorf("Action = %q, want %q", got.Action, ActionSkippedPolicy)
		}
		if len(issues.calls) != 4 {
			t.Fatalf("ListComments calls = %d, want 4", len(issues.calls))
		}
		var w []time.Duration
		for i := 1; i < len(issues.calls); i++ {
			w = append(w, issues.calls[i].Sub(issues.calls[i-1]))
		}
		if w[0] != 45*time.Second || w[1] != 3*time.Second {
			t.Fatalf("waits = %v, want [45s 3s <backoff>]", w)
		}
		// The third exponential interval is 2.25 s ± 50 %.
		if w[2] < 1125*time.Millisecond || w[2] > 3375*time.Millisecond {
			t.Errorf("backoff wait = %v, want 1.125s..3.375s", w[2])
		}
	})
}

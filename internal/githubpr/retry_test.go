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

func TestClassify(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
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
		wantWait  time.Duration // -1: exponential backoff
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
		{name: "429 too long", err: ghError(429, map[string]string{"Retry-After": "600"}), wantFinal: "asks to wait 10m0s"},
		{name: "secondary with RetryAfter", err: secondary(dur(30 * time.Second)), wantAgain: true, wantWait: 30 * time.Second},
		{name: "secondary with negative RetryAfter", err: secondary(dur(-time.Second)), wantAgain: true, wantWait: 0},
		{name: "secondary without RetryAfter waits a minute", err: secondary(nil), wantAgain: true, wantWait: time.Minute},
		{name: "secondary too long", err: secondary(dur(2 * time.Hour)), wantFinal: "secondary rate limit asks to wait 2h0m0s"},
		{name: "primary resetting soon", err: primary(now.Add(20 * time.Second)), wantAgain: true, wantWait: 21 * time.Second},
		{name: "primary reset already", err: primary(now.Add(-time.Minute)), wantAgain: true, wantWait: time.Second},
		{name: "primary resetting late", err: primary(now.Add(40 * time.Minute)), wantFinal: "resets at 2026-11-26T10:40:00Z, in 40m1s"},
		{name: "primary without reset", err: primary(time.Time{}), wantFinal: "API rate limit exceeded"},
		{name: "connection refused", err: netErr(&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), wantAgain: true, wantWait: -1},
		{name: "connection closed early", err: netErr(io.ErrUnexpectedEOF), wantAgain: true, wantWait: -1},
		{name: "unknown certificate authority", err: netErr(x509.UnknownAuthorityError{}), wantFinal: "unknown authority"},
		{name: "unsupported scheme", err: netErr(errors.New("unsupported protocol scheme")), wantFinal: "unsupported protocol scheme"},
		{name: "canceled", err: context.Canceled, wantFinal: "context canceled"},
		{name: "deadline", err: netErr(context.DeadlineExceeded), wantFinal: "deadline exceeded"},
		{name: "plain error", err: errors.New("boom"), wantFinal: "boom"},
	}
	s := NewSticky(nil, nil, nil, WithClock(func() time.Time { return now }), WithMaxWait(time.Minute))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			wait, again, final := s.classify(context.Background(), tc.err)
			if again != tc.wantAgain {
				t.Fatalf("classify(%v) again = %v, want %v (final %v)", tc.err, again, tc.wantAgain, final)
			}
			if again {
				if wait != tc.wantWait {
					t.Errorf("classify(%v) wait = %v, want %v", tc.err, wait, tc.wantWait)
				}
				return
			}
			if final == nil || !strings.Contains(final.Error(), tc.wantFinal) {
				t.Errorf("classify(%v) final = %v, want it to contain %q", tc.err, final, tc.wantFinal)
			}
			if !errors.Is(final, tc.err) {
				t.Errorf("classify(%v) final = %v, want it to wrap the error", tc.err, final)
			}
		})
	}
}

func TestClassifyCanceledContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := NewSticky(nil, nil, nil)
	if _, again, _ := s.classify(ctx, ghError(502, nil)); again {
		t.Error("classify retried a 502 after the context was canceled")
	}
}

// flakyIssues fails ListComments with errs in turn, then answers no comments.
type flakyIssues struct {
	IssuesClient
	errs  []error
	calls int
}

func (f *flakyIssues) ListComments(context.Context, string, string, int, *github.IssueListCommentsOptions) ([]*github.IssueComment, *github.Response, error) {
	f.calls++
	if len(f.errs) > 0 {
		err := f.errs[0]
		f.errs = f.errs[1:]
		return nil, nil, err
	}
	return nil, &github.Response{}, nil
}

// TestRetryHonoursWaits drives the retry loop with a tiny fake: the waits
// GitHub asks for are the timer's, and other faults use the exponential
// backoff.
func TestRetryHonoursWaits(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	after := 45 * time.Second
	issues := &flakyIssues{errs: []error{
		&github.AbuseRateLimitError{Response: &http.Response{StatusCode: http.StatusForbidden, Request: &http.Request{Method: http.MethodGet, URL: &url.URL{}}}, RetryAfter: &after},
		ghError(429, map[string]string{"Retry-After": "3"}),
		ghError(502, nil),
	}}
	var waits waitLog
	s := NewSticky(issues, nil, nil, WithTimer(waits.newTimer), WithClock(func() time.Time { return now }))
	req := baseRequest()
	req.Policy = PolicyOnFailure
	got, err := s.Post(context.Background(), req)
	if err != nil {
		t.Fatalf("Post: %v", err)
	}
	if got.Action != ActionSkippedPolicy {
		t.Errorf("Action = %q, want %q", got.Action, ActionSkippedPolicy)
	}
	if issues.calls != 4 {
		t.Errorf("ListComments calls = %d, want 4", issues.calls)
	}
	w := waits.all()
	if len(w) != 3 || w[0] != 45*time.Second || w[1] != 3*time.Second {
		t.Fatalf("waits = %v, want [45s 3s <backoff>]", w)
	}
	// The first exponential interval is 1 s ± 50 %.
	if w[2] < 500*time.Millisecond || w[2] > 1500*time.Millisecond {
		t.Errorf("backoff wait = %v, want 0.5s..1.5s", w[2])
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{in: "", wantOK: false},
		{in: "0", want: 0, wantOK: true},
		{in: "120", want: 2 * time.Minute, wantOK: true},
		{in: "-5", want: 0, wantOK: true},
		{in: now.Add(90 * time.Second).Format(http.TimeFormat), want: 90 * time.Second, wantOK: true},
		{in: now.Add(-time.Hour).Format(http.TimeFormat), want: 0, wantOK: true},
		{in: "soon", wantOK: false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, ok := retryAfter(tc.in, now)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

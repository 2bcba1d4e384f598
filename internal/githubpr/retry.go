package githubpr

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/google/go-github/v62/github"
)

// secondaryDefaultWait is how long to wait after a secondary rate limit
// that names no time: GitHub's documentation asks for at least a minute.
const secondaryDefaultWait = time.Minute

// resetBuffer is added to a primary rate limit's reset time, which GitHub
// sends in whole seconds.
const resetBuffer = time.Second

// overrideBackOff is an exponential backoff whose next interval the failed
// operation may dictate, so that Retry-After and rate limit resets are
// honoured while the attempt count and timer stay backoff's.
type overrideBackOff struct {
	backoff.BackOff
	next time.Duration
	set  bool
}

func (o *overrideBackOff) NextBackOff() time.Duration {
	if o.set {
		o.set = false
		return o.next
	}
	return o.BackOff.NextBackOff()
}

func (o *overrideBackOff) Reset() {
	o.set = false
	o.BackOff.Reset()
}

// retry runs op until it succeeds, fails for good or the retries are spent;
// it returns op's last error unwrapped. Transient faults (5xx but 501,
// network errors, rate limits that reset soon) are retried.
func (s *Sticky) retry(ctx context.Context, op func() error) error {
	exp := backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(time.Second),
		backoff.WithMaxInterval(30*time.Second),
		backoff.WithMaxElapsedTime(0),
		backoff.WithClockProvider(clockFunc(s.now)),
	)
	ob := &overrideBackOff{BackOff: exp}
	b := backoff.WithContext(backoff.WithMaxRetries(ob, s.maxRetries), ctx)
	attempt := func() error {
		err := op()
		if err == nil {
			return nil
		}
		wait, again, final := s.classify(ctx, err)
		if !again {
			return backoff.Permanent(final)
		}
		if wait >= 0 {
			ob.next, ob.set = wait, true
		}
		return err
	}
	notify := func(err error, d time.Duration) {
		s.logf("GitHub request failed, retrying in %s: %v", d.Round(time.Millisecond), err)
	}
	return backoff.RetryNotifyWithTimer(attempt, b, notify, s.newTimer())
}

// classify says whether err is worth another attempt. wait is the delay
// GitHub asked for, or -1 to use the exponential backoff. When not retried,
// final is the error to return: err itself, or err with what to do about it.
func (s *Sticky) classify(ctx context.Context, err error) (wait time.Duration, again bool, final error) {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return 0, false, err
	}
	var rle *github.RateLimitError
	if errors.As(err, &rle) {
		reset := rle.Rate.Reset.Time
		if reset.IsZero() {
			return 0, false, err
		}
		wait := max(reset.Sub(s.now()), 0) + resetBuffer
		if wait > s.maxWait {
			return 0, false, fmt.Errorf("%w: GitHub's API rate limit for this token resets at %s, in %s, longer than the gate waits (%s): re-run the job later or use a token with its own limit",
				err, reset.UTC().Format(time.RFC3339), wait.Round(time.Second), s.maxWait)
		}
		return wait, true, nil
	}
	var abuse *github.AbuseRateLimitError
	if errors.As(err, &abuse) {
		wait := secondaryDefaultWait
		if abuse.RetryAfter != nil {
			wait = max(*abuse.RetryAfter, 0)
		}
		return s.waitOrGiveUp(err, wait)
	}
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		code := er.Response.StatusCode
		switch {
		case code == http.StatusTooManyRequests:
			// GitHub also answers secondary rate limits with 429, which
			// go-github does not turn into an AbuseRateLimitError.
			wait, ok := retryAfter(er.Response.Header.Get("Retry-After"), s.now())
			if !ok {
				wait = secondaryDefaultWait
			}
			return s.waitOrGiveUp(err, wait)
		case code >= 500 && code != http.StatusNotImplemented:
			return -1, true, nil
		}
		return 0, false, err
	}
	if isNetworkError(err) {
		return -1, true, nil
	}
	return 0, false, err
}

func (s *Sticky) waitOrGiveUp(err error, wait time.Duration) (time.Duration, bool, error) {
	if wait > s.maxWait {
		return 0, false, fmt.Errorf("%w: GitHub's secondary rate limit asks to wait %s, longer than the gate waits (%s): re-run the job later",
			err, wait.Round(time.Second), s.maxWait)
	}
	return wait, true, nil
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil {
		return max(time.Duration(n)*time.Second, 0), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// isNetworkError reports whether err is a transport fault worth retrying:
// a refused or reset connection, a connection closed early, a timeout. A TLS
// certificate problem is not: no retry fixes it.
func isNetworkError(err error) bool {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return false
	}
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalid          x509.CertificateInvalidError
		verification     *tls.CertificateVerificationError
	)
	if errors.As(err, &unknownAuthority) || errors.As(err, &hostname) ||
		errors.As(err, &invalid) || errors.As(err, &verification) {
		return false
	}
	var op *net.OpError
	return ue.Timeout() || errors.As(err, &op) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// clockFunc adapts a now function to backoff.Clock.
type clockFunc func() time.Time

func (f clockFunc) Now() time.Time { return f() }

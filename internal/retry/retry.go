// Package retry is the one retry policy of the gate's HTTP clients, the
// CodeScoring client (internal/api) and the sticky GitHub comment
// (internal/githubpr), in the shape of go-retryablehttp: ShouldRetry says
// whether an attempt is worth another (its CheckRetry), Policy.Wait how long
// to wait before it (its Backoff), and Policy.Do is the loop around them. It
// also holds the classification of transport faults (TLS trust, proxy
// refusals) that every client shares. It is a package of its own because
// neither client may import the other.
package retry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// Attempt is how one try of a request ended, as the policy sees it.
type Attempt struct {
	// Err is the try's error; nil means it succeeded.
	Err error
	// Status is the HTTP status of the server's answer, 0 when there was
	// none (Err is then a transport fault).
	Status int
	// RateLimited marks an answer that is a rate limit whatever its status:
	// GitHub answers its rate limits with 403.
	RateLimited bool
	// After is how long the server asked to wait (Retry-After, a rate
	// limit's reset); negative when it asked nothing.
	After time.Duration
	// Final marks a fault the client knows no retry fixes: a redirect it
	// refused, an answer it could not read.
	Final bool
}

// ShouldRetry reports whether the attempt a is worth repeating: never once
// ctx has ended, else when Retryable says so.
func ShouldRetry(ctx context.Context, a Attempt) bool {
	return ctx.Err() == nil && Retryable(a)
}

// Retryable reports whether the fault of attempt a may pass by itself: for
// an answer, a rate limit and 429, 500, 502, 503 and 504 (never 501 or
// another status); without one, a transport fault that Transient says may
// pass.
func Retryable(a Attempt) bool {
	switch {
	case a.Err == nil || a.Final:
		return false
	case a.RateLimited:
		return true
	case a.Status != 0:
		switch a.Status {
		case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
			http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
		return false
	}
	return Transient(a.Err)
}

// Transient reports whether err, a failure to send a request or to read its
// answer, may pass by itself: a refused or reset connection, a name that did
// not resolve, a connection closed early, a timeout of the attempt, a
// proxy's 5xx. It is false for what no retry fixes: a TLS certificate the
// client does not trust (CertError), a server that does not speak TLS, a
// proxy's refusal (ProxyRefusal), a cancelled request, and what net/http
// refuses to do (too many redirects, an unsupported scheme, as
// go-retryablehttp does).
func Transient(err error) bool {
	var record tls.RecordHeaderError
	switch {
	case err == nil, errors.Is(err, context.Canceled), CertError(err) != nil,
		errors.As(err, &record), errors.Is(err, http.ErrSchemeMismatch), ProxyRefusal(err) != 0:
		return false
	}
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		msg := ue.Err.Error()
		return !strings.HasPrefix(msg, "stopped after ") && !strings.HasPrefix(msg, "unsupported protocol scheme")
	}
	return true
}

// CertError returns the certificate error in err's tree that makes a TLS
// handshake fail for good: an unknown authority, a certificate for another
// host name, an invalid (e.g. expired) certificate; nil when there is none.
func CertError(err error) error {
	var (
		verify    *tls.CertificateVerificationError
		unknownCA x509.UnknownAuthorityError
		invalid   x509.CertificateInvalidError
		host      x509.HostnameError
	)
	switch {
	case errors.As(err, &unknownCA):
		return unknownCA
	case errors.As(err, &invalid):
		return invalid
	case errors.As(err, &host):
		return host
	case errors.As(err, &verify):
		return verify.Err
	}
	return nil
}

// ProxyRefusal returns the 4xx status of an HTTP proxy's refusal of CONNECT
// found in err's chain, or 0. net/http reports such a refusal as a bare
// error holding the status text ("Proxy Authentication Required"); a proxy's
// 5xx stays a network fault and is retried.
func ProxyRefusal(err error) int {
	for ; err != nil; err = errors.Unwrap(err) {
		for code := 400; code < 500; code++ {
			if text := http.StatusText(code); text != "" && err.Error() == text {
				return code
			}
		}
	}
	return 0
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

// Policy is how a client retries: an exponential backoff (backoff/v4's,
// randomized by ±50 %) that a longer wait the server asks for overrides,
// within a budget of time and of retries.
type Policy struct {
	// Initial is the first backoff interval, MaxInterval the longest.
	Initial, MaxInterval time.Duration
	// Budget is how long after the first attempt the last wait may end;
	// 0 is no limit. No wait is begun that would end past it.
	Budget time.Duration
	// Retries is the most attempts after the first.
	Retries int
	// CapAfter caps a wait the server asks for (0: no cap): CodeScoring's
	// Retry-After is a hint.
	CapAfter time.Duration
	// MaxAfter ends the retries when the server asks to wait longer (0: no
	// limit): GitHub's rate limit only meets a client that waits less
	// again.
	MaxAfter time.Duration
}

// Wait returns how long to wait after attempt a, the n-th, when elapsed has
// passed since the first attempt and next is the backoff's next interval:
// the longer of next and the server's wish. Its Stop is Retrying, or why the
// retries end instead: they or the budget are spent (Exhausted), or the
// server asks for longer than MaxAfter (TooLong).
func (p Policy) Wait(a Attempt, n int, elapsed, next time.Duration) (time.Duration, Stop) {
	if p.MaxAfter > 0 && a.After > p.MaxAfter {
		return 0, TooLong
	}
	if n > p.Retries {
		return 0, Exhausted
	}
	wait := next
	if a.After > wait {
		wait = a.After
		if p.CapAfter > 0 {
			wait = min(wait, p.CapAfter)
		}
	}
	if p.Budget > 0 && elapsed+wait > p.Budget {
		return 0, Exhausted
	}
	return wait, Retrying
}

// Stop says why Do stopped.
type Stop int

const (
	// Retrying is Wait's answer that the next attempt goes ahead.
	Retrying Stop = iota
	// Final says the last attempt succeeded or is not worth repeating.
	Final
	// Exhausted says the retries or the time budget are spent.
	Exhausted
	// TooLong says the server asked to wait longer than Policy.MaxAfter.
	TooLong
	// Ended says the caller's context ended.
	Ended
)

// Result is how Do ended.
type Result struct {
	// Attempts is how many attempts were made.
	Attempts int
	// Last is the last attempt.
	Last Attempt
	// Stop says why Do stopped.
	Stop Stop
	// Cause is the context's error when it ended a wait between attempts.
	Cause error
}

// Do runs try, which makes one attempt, until an attempt succeeds or
// is not worth repeating (ShouldRetry), the policy says to stop (Wait) or
// ctx ends (Ended, also when it ends during an attempt that failed). notify,
// when not nil, hears each wait before it begins.
func (p Policy) Do(ctx context.Context, try func() Attempt, notify func(a Attempt, wait time.Duration, next int)) Result {
	b := backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(p.Initial),
		backoff.WithMaxInterval(p.MaxInterval),
		backoff.WithMaxElapsedTime(0),
	)
	start := time.Now()
	for n := 1; ; n++ {
		a := try()
		if !ShouldRetry(ctx, a) {
			if a.Err != nil && ctx.Err() != nil {
				return Result{Attempts: n, Last: a, Stop: Ended}
			}
			return Result{Attempts: n, Last: a, Stop: Final}
		}
		wait, stop := p.Wait(a, n, time.Since(start), b.NextBackOff())
		if stop != Retrying {
			return Result{Attempts: n, Last: a, Stop: stop}
		}
		if notify != nil {
			notify(a, wait, n+1)
		}
		select {
		case <-ctx.Done():
			return Result{Attempts: n, Last: a, Stop: Ended, Cause: ctx.Err()}
		case <-time.After(wait):
		}
	}
}

package retry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		v      string
		want   time.Duration
		wantOK bool
	}{
		{name: "seconds", v: "120", want: 2 * time.Minute, wantOK: true},
		{name: "zero", v: "0", want: 0, wantOK: true},
		{name: "spaces", v: "  5 ", want: 5 * time.Second, wantOK: true},
		{name: "huge", v: "99999999999999999999999", want: time.Duration(1<<63 - 1), wantOK: true},
		{name: "over Duration", v: "9223372037", want: time.Duration(1<<63 - 1), wantOK: true},
		{name: "IMF date", v: "Thu, 26 Nov 2026 10:01:30 GMT", want: 90 * time.Second, wantOK: true},
		{name: "RFC 850 date", v: "Thursday, 26-Nov-26 10:00:10 GMT", want: 10 * time.Second, wantOK: true},
		{name: "asctime date", v: "Thu Nov 26 10:00:20 2026", want: 20 * time.Second, wantOK: true},
		{name: "past date", v: "Thu, 26 Nov 2026 09:00:00 GMT", want: 0, wantOK: true},
		{name: "empty", v: ""},
		{name: "negative", v: "-5"},
		{name: "fraction", v: "1.5"},
		{name: "trailing garbage", v: "5s"},
		{name: "words", v: "tomorrow"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := ParseRetryAfter(tc.v, now)
			if diff := cmp.Diff([]any{tc.want, tc.wantOK}, []any{got, ok}); diff != "" {
				t.Errorf("ParseRetryAfter(%q) (-want +got):\n%s", tc.v, diff)
			}
		})
	}
}

// FuzzParseRetryAfter must not panic, never waits a negative time, and reads
// plain seconds exactly.
func FuzzParseRetryAfter(f *testing.F) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := ParseRetryAfter(v, now)
		if !ok {
			if d != 0 {
				t.Fatalf("ParseRetryAfter(%q) = %s, false; want 0 when not ok", v, d)
			}
			return
		}
		if d < 0 {
			t.Fatalf("ParseRetryAfter(%q) = %s, a negative wait", v, d)
		}
		if n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 32); err == nil && d != time.Duration(n)*time.Second {
			t.Fatalf("ParseRetryAfter(%q) = %s, want %ds", v, d, n)
		}
	})
}

func TestWait(t *testing.T) {
	t.Parallel()
	api := Policy{Budget: time.Minute, Retries: 100, CapAfter: 5 * time.Minute}
	gh := Policy{Retries: 4, MaxAfter: time.Minute}
	tests := []struct {
		name     string
		p        Policy
		after    time.Duration
		n        int
		elapsed  time.Duration
		want     time.Duration
		wantStop Stop
	}{
		{name: "backoff", p: api, after: -1, n: 1, want: time.Second, wantStop: Retrying},
		{name: "a longer wish wins", p: api, after: 7 * time.Second, n: 1, want: 7 * time.Second, wantStop: Retrying},
		{name: "a shorter wish does not", p: api, after: 0, n: 1, want: time.Second, wantStop: Retrying},
		{name: "capped", p: Policy{Retries: 1, CapAfter: 5 * time.Minute}, after: time.Hour, n: 1, want: 5 * time.Minute, wantStop: Retrying},
		{name: "past the budget", p: api, after: 30 * time.Second, n: 3, elapsed: 31 * time.Second, wantStop: Exhausted},
		{name: "just within the budget", p: api, after: 30 * time.Second, n: 3, elapsed: 30 * time.Second, want: 30 * time.Second, wantStop: Retrying},
		{name: "retries spent", p: gh, after: -1, n: 5, wantStop: Exhausted},
		{name: "last retry", p: gh, after: -1, n: 4, want: time.Second, wantStop: Retrying},
		{name: "too long a wish", p: gh, after: 61 * time.Second, n: 1, wantStop: TooLong},
		{name: "too long a wish after the last retry", p: gh, after: time.Hour, n: 5, wantStop: TooLong},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, stop := tc.p.Wait(Attempt{After: tc.after}, tc.n, tc.elapsed, time.Second)
			if got != tc.want || stop != tc.wantStop {
				t.Errorf("Wait = %v, %v; want %v, %v", got, stop, tc.want, tc.wantStop)
			}
		})
	}
}

func TestTransient(t *testing.T) {
	t.Parallel()
	ue := func(err error) error { return &url.Error{Op: "Get", URL: "https://cs.example.com/x", Err: err} }
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"refused", ue(&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), true},
		{"closed early", ue(io.EOF), true},
		{"timeout", ue(context.DeadlineExceeded), true},
		{"a proxy's 502", ue(errors.New("Bad Gateway")), true},
		{"a proxy's 407", ue(errors.New("Proxy Authentication Required")), false},
		{"unknown authority", ue(&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), false},
		{"host name", ue(x509.HostnameError{Host: "cs.example.com"}), false},
		{"plain HTTP server", ue(http.ErrSchemeMismatch), false},
		{"not TLS", ue(tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}), false},
		{"cancelled", ue(context.Canceled), false},
		{"redirect loop", ue(errors.New("stopped after 10 redirects")), false},
		{"scheme", ue(errors.New(`unsupported protocol scheme "ftp"`)), false},
	}
	for _, tc := range tests {
		if got := Transient(tc.err); got != tc.want {
			t.Errorf("%s: Transient(%v) = %v, want %v", tc.name, tc.err, got, tc.want)
		}
	}
}

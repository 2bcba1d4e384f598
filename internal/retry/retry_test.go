package retry

import (
	"strconv"
	"strings"
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

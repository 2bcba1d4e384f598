package report

import (
	"fmt"
	"strings"
	"testing"
)

func testSections() []mdSection {
	return []mdSection{
		{noun: "as", open: "A\n", groups: []mdGroup{
			{head: "h1\n", rows: []string{"a1\n", "a2\n"}, tail: "t1\n"},
			{head: "h2\n", rows: []string{"a3\n"}, tail: "t2\n"},
		}, close: "/A\n"},
		{noun: "bs", open: "B\n", groups: []mdGroup{{head: "h\n", rows: []string{"b1\n", "b2\n"}, tail: "t\n"}}, close: "/B\n"},
	}
}

func testNote(s *mdSection, n int) string { return fmt.Sprintf("-%d %s\n", n, s.noun) }

func TestLayout(t *testing.T) {
	t.Parallel()
	const whole = "P\nA\nh1\na1\na2\nt1\nh2\na3\nt2\n/A\nB\nh\nb1\nb2\nt\n/B\nQ\n"
	tests := []struct {
		name   string
		maxLen int
		want   string
	}{
		{"whole fits", len(whole), whole},
		{"second section reduced to its note", len(whole) - 1, "P\nA\nh1\na1\na2\nt1\nh2\na3\nt2\n/A\nB\n-2 bs\n/B\nQ\n"},
		{"cut inside the first group", 35, "P\nA\nh1\na1\nt1\n-2 as\n/A\nB\n-2 bs\n/B\nQ\n"},
		{"one row short of the first group", 34, "P\nA\n-3 as\n/A\nB\n-2 bs\n/B\nQ\n"},
		{"no row fits", 26, "P\nA\n-3 as\n/A\nB\n-2 bs\n/B\nQ\n"},
		{"notes do not fit: whole lines", 25, "P\nA\n-3 as\n/A\nB\n-2 bs\nQ\n"},
		{"few lines", 12, "P\nA\n-3 as\nQ\n"},
		{"post alone", 2, "Q\n"},
		{"nothing", 1, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := layout("P\n", testSections(), "Q\n", tc.maxLen, testNote)
			if got != tc.want {
				t.Errorf("layout(%d) = %q, want %q", tc.maxLen, got, tc.want)
			}
			if len(got) > tc.maxLen {
				t.Errorf("len = %d > %d", len(got), tc.maxLen)
			}
		})
	}
}

func TestLayoutNeverOverLimit(t *testing.T) {
	t.Parallel()
	secs := testSections()
	for n := 0; n < 80; n++ {
		got := layout("P\n", secs, "Q\n", n, testNote)
		if len(got) > n {
			t.Errorf("layout(%d) has %d bytes: %q", n, len(got), got)
		}
		for _, l := range strings.SplitAfter(got, "\n") {
			if l != "" && !strings.HasSuffix(l, "\n") {
				t.Errorf("layout(%d) cut a line: %q", n, got)
			}
		}
	}
}

func TestKeepLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"a\nb\n", 4, "a\nb\n"},
		{"a\nb\n", 3, "a\n"},
		{"a\nb\n", 1, ""},
		{"abc\n", 2, ""},
		{"a\n", 0, ""},
	}
	for _, tc := range tests {
		if got := keepLines(tc.s, tc.n); got != tc.want {
			t.Errorf("keepLines(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
		}
	}
}

func TestKeepLinesByCharacters(t *testing.T) {
	t.Parallel()
	s := "аб\nвг\nд\n" // 3, 3 and 2 characters; 5, 5 and 3 bytes
	for _, tc := range []struct {
		n    int
		want string
	}{{8, s}, {7, "аб\nвг\n"}, {6, "аб\nвг\n"}, {5, "аб\n"}, {3, "аб\n"}, {2, ""}, {0, ""}} {
		if got := keepLinesBy(charsOf, s, tc.n); got != tc.want {
			t.Errorf("keepLinesBy(chars, %q, %d) = %q, want %q", s, tc.n, got, tc.want)
		}
		if got, want := keepLinesBy(bytesOf, s, tc.n), keepLines(s, tc.n); got != want {
			t.Errorf("keepLinesBy(bytes, %q, %d) = %q, keepLines %q", s, tc.n, got, want)
		}
	}
}

package textwrap

import (
	"slices"
	"testing"
)

func TestLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		width int
		want  []string
	}{
		{"", 10, []string{""}},
		{"a b c", 10, []string{"a b c"}},
		{"aaa bbb ccc", 7, []string{"aaa bbb", "ccc"}},
		{"a https://example.com/very/long b", 10, []string{"a", "https://example.com/very/long", "b"}},
		{"пакет пакет", 5, []string{"пакет", "пакет"}},
	}
	for _, tc := range tests {
		if got := Lines(tc.in, tc.width); !slices.Equal(got, tc.want) {
			t.Errorf("Lines(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
	}
}

package api

import (
	"net/url"
	"testing"
)

func TestProjectPageURL(t *testing.T) {
	t.Parallel()
	base, _ := url.Parse("https://cs.example.com/")
	prefixed, _ := url.Parse("https://example.com/codescoring/")
	for _, tc := range []struct {
		base *url.URL
		id   int64
		want string
	}{
		{base, 340, "https://cs.example.com/projects/340"},
		{prefixed, 7, "https://example.com/codescoring/projects/7"},
		{base, 0, ""},
		{nil, 340, ""},
	} {
		if got := ProjectPageURL(tc.base, tc.id); got != tc.want {
			t.Errorf("ProjectPageURL(%v, %d) = %q, want %q", tc.base, tc.id, got, tc.want)
		}
	}
}

package app

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/githubpr"
	"github.com/codescoring-gate/codescoring-gate/internal/testnet"
)

// An error answer from GitHub leaves nothing behind when the requests go
// through System.Transport: go-github never closes its body, and the bubble
// would end with the goroutine of http.Client's Timeout still waiting.
func TestGitHubErrorAnswerLeavesNoGoroutine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		forbidden := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"message":"Resource not accessible by integration"}`))
		})
		sys := System{Transport: testnet.Memory(forbidden)}
		gh, err := githubpr.NewGitHubClient("ghs_test", "http://github.test/api/v3", sys.httpClient())
		if err != nil {
			t.Fatal(err)
		}
		_, resp, err := gh.Users.Get(t.Context(), "")
		if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("GET /user: %v, %v; want the 403", resp, err)
		}
	})
}

// Over System.Transport a GitHub request still gives up after 30 s.
func TestGitHubRequestBoundOverTransport(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		hang := http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
		sys := System{Transport: testnet.Memory(hang)}
		gh, err := githubpr.NewGitHubClient("ghs_test", "http://github.test/api/v3", sys.httpClient())
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, _, err = gh.Users.Get(t.Context(), "")
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("GET /user on a server that never answers: %v, want a deadline", err)
		}
		if waited := time.Since(start); waited != 30*time.Second {
			t.Errorf("gave up after %v, want 30s", waited)
		}
	})
}

package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

func alertIDs(alerts []Alert) []int64 {
	ids := make([]int64, len(alerts))
	for i, a := range alerts {
		ids[i] = a.ID
	}
	return ids
}

func seq(first, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = int64(first + i)
	}
	return out
}

func TestAlertsPages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		n         int
		mode      pageMode
		wantPages []string
	}{
		{name: "250 with count", n: 250, mode: withCount, wantPages: []string{"1", "2", "3"}},
		{name: "250 following next", n: 250, mode: nextOnly, wantPages: []string{"1", "2", "3"}},
		{name: "exactly 100", n: 100, mode: withCount, wantPages: []string{"1"}},
		{name: "empty", n: 0, mode: withCount, wantPages: []string{"1"}},
		{name: "bare array of 250", n: 250, mode: bareArray, wantPages: []string{"1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var (
				mu    sync.Mutex
				pages []string
			)
			items := numbered(tc.n, 1, map[string]any{"status": "active", "policy": 12})
			mux := http.NewServeMux()
			mux.HandleFunc("GET /api/sca/policy_alerts/", func(w http.ResponseWriter, r *http.Request) {
				q := r.URL.Query()
				if pp, _ := strconv.Atoi(q.Get("per_page")); pp > 100 {
					t.Errorf("per_page = %d, over 100", pp)
				}
				if q.Get("project") != "340" || q.Get("analysis") != "977" {
					t.Errorf("query %q lost project or analysis", r.URL.RawQuery)
				}
				mu.Lock()
				pages = append(pages, q.Get("page"))
				mu.Unlock()
				servePages(t, w, r, items, tc.mode)
			})
			env := newTestEnv(t, mux)
			got, err := env.client.Alerts(context.Background(), 340, 977)
			if err != nil {
				t.Fatalf("Alerts: %v", err)
			}
			if diff := cmp.Diff(seq(1, tc.n), alertIDs(got)); diff != "" {
				t.Errorf("alert ids (-want +got):\n%s", diff)
			}
			mu.Lock()
			defer mu.Unlock()
			gotPages := append([]string(nil), pages...)
			if tc.mode == withCount {
				// Concurrent pages may arrive in any order.
				slices.Sort(gotPages)
			}
			if diff := cmp.Diff(tc.wantPages, gotPages); diff != "" {
				t.Errorf("pages requested (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPagesConcurrency fetches 10 pages; the server holds each request until
// the test releases it, in reverse order, so that the client must keep page
// order itself and could only exceed the bound by opening a 5th request.
func TestPagesConcurrency(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testPagesConcurrency)
}

func testPagesConcurrency(t *testing.T) {
	items := numbered(1000, 1, map[string]any{"status": "active"})
	var (
		inFlight, maxInFlightSeen atomic.Int32
		arrived                   = make(chan int, 16)
		mu                        sync.Mutex
		release                   = map[int]chan struct{}{}
	)
	gate := func(page int) chan struct{} {
		mu.Lock()
		defer mu.Unlock()
		if release[page] == nil {
			release[page] = make(chan struct{})
		}
		return release[page]
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/sca/policy_alerts/", func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if page > 1 {
			n := inFlight.Add(1)
			for {
				m := maxInFlightSeen.Load()
				if n <= m || maxInFlightSeen.CompareAndSwap(m, n) {
					break
				}
			}
			arrived <- page
			select {
			case <-gate(page):
			case <-r.Context().Done():
			}
			inFlight.Add(-1)
		}
		servePages(t, w, r, items, withCount)
	})
	env := newTestEnv(t, mux)

	done := make(chan error, 1)
	var got []Alert
	go func() {
		var err error
		got, err = env.client.Alerts(context.Background(), 340, 977)
		done <- err
	}()

	var waiting []int
	timeout := time.After(10 * time.Second)
	for released := 0; released < 9; {
		// Wait for the client to fill its slots: 4, or what is left.
		for len(waiting) < min(4, 9-released) {
			select {
			case p := <-arrived:
				waiting = append(waiting, p)
			case <-timeout:
				t.Fatalf("only %d pages in flight, want %d", len(waiting), min(4, 9-released))
			}
		}
		// A client that ignores the bound would have opened another
		// request once every goroutine waits.
		synctest.Wait()
		select {
		case p := <-arrived:
			waiting = append(waiting, p)
		default:
		}
		// Release the highest page first, to answer out of order.
		hi := 0
		for i, p := range waiting {
			if p > waiting[hi] {
				hi = i
			}
		}
		close(gate(waiting[hi]))
		waiting = append(waiting[:hi], waiting[hi+1:]...)
		released++
	}
	if err := <-done; err != nil {
		t.Fatalf("Alerts: %v", err)
	}
	if got := maxInFlightSeen.Load(); got != 4 {
		t.Errorf("max pages in flight = %d, want 4", got)
	}
	if diff := cmp.Diff(seq(1, 1000), alertIDs(got)); diff != "" {
		t.Errorf("alert ids (-want +got):\n%s", diff)
	}
}

func TestPagesFirstErrorCancels(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testPagesFirstErrorCancels)
}

func testPagesFirstErrorCancels(t *testing.T) {
	items := numbered(1000, 1, nil)
	var cancelled, served atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/policies/", func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		switch page {
		case 1:
			servePages(t, w, r, items, withCount)
		case 3:
			// Fail once pages 2, 4 and 5 are held, so that there is something
			// to cancel.
			for deadline := time.Now().Add(10 * time.Second); served.Load() < 3 && time.Now().Before(deadline); {
				time.Sleep(time.Millisecond)
			}
			writeJSON(t, w, http.StatusNotFound, map[string]string{"detail": "page 3 is gone"})
		default:
			// Hold until the client gives up on this request.
			served.Add(1)
			select {
			case <-r.Context().Done():
				cancelled.Add(1)
			case <-time.After(10 * time.Second):
				t.Errorf("page %d was not cancelled", page)
			}
		}
	})
	env := newTestEnv(t, mux)
	_, err := env.client.Policies(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound {
		t.Fatalf("Policies error = %v, want the 404 of page 3", err)
	}
	checkContains(t, err.Error(), "page 3 is gone")
	// Wait for the server to see the cancellations (its handlers end after
	// the client returns).
	deadline := time.Now().Add(10 * time.Second)
	for cancelled.Load() < served.Load() && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	// Pages 2, 4 and 5 are held when page 3 fails; the pages after them are
	// never requested.
	if c, s := cancelled.Load(), served.Load(); c != s || s != 3 {
		t.Errorf("held pages: %d, cancelled: %d; want 3 held pages, all cancelled", s, c)
	}
}

func TestFollowNext(t *testing.T) {
	t.Parallel()
	page := func(ids []int, next any) string {
		return fmt.Sprintf(`{"next": %s, "results": %s}`, jsonString(next), jsonIDs(ids))
	}
	tests := []struct {
		name    string
		pages   map[string]string // page param → body
		wantIDs []int64
		wantErr string
	}{
		{
			name: "relative link",
			pages: map[string]string{
				"1": page([]int{1, 2}, "?page=2&per_page=100"),
				"2": page([]int{3}, nil),
			},
			wantIDs: seq(1, 3),
		},
		{
			name: "absolute link without the prefix and with http (a proxy rewrote neither)",
			pages: map[string]string{
				"1": page([]int{1}, "http://{host}/api/policies/?page=2&per_page=100"),
				"2": page([]int{2}, "http://{host}/api/policies/?per_page=100&page=3"),
				"3": page([]int{3}, ""),
			},
			wantIDs: seq(1, 3),
		},
		{
			name: "bare array on a later page ends the list",
			pages: map[string]string{
				"1": page([]int{1}, "?page=2"),
				"2": `[{"id": 2}]`,
			},
			wantIDs: seq(1, 2),
		},
		{
			name: "other host refused",
			pages: map[string]string{
				"1": page([]int{1}, "https://evil.example.com/api/policies/?page=2"),
			},
			wantErr: `the server's next page link points to host "evil.example.com", not "127.0.0.1": refusing to send the token there`,
		},
		{
			name: "loop back to the first page",
			pages: map[string]string{
				"1": page([]int{1}, "?page=2&per_page=100"),
				"2": page([]int{2}, "?per_page=100&page=1"),
			},
			wantErr: `loops back to a page already read (page "1")`,
		},
		{
			name: "link to the same page",
			pages: map[string]string{
				"1": page([]int{1}, "?page=2"),
				"2": page([]int{2}, "?page=2"),
			},
			wantErr: `loops back to a page already read (page "2")`,
		},
		{
			name:    "invalid link",
			pages:   map[string]string{"1": page([]int{1}, "http://[::1")},
			wantErr: "CodeScoring returned invalid JSON from /cs/api/policies/: next page link is not a URL",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mux := http.NewServeMux()
			mux.HandleFunc("GET /api/policies/", func(w http.ResponseWriter, r *http.Request) {
				body, ok := tc.pages[r.URL.Query().Get("page")]
				if !ok {
					t.Errorf("unexpected request %s", r.URL)
					http.NotFound(w, r)
					return
				}
				jsonHandler(http.StatusOK, replaceHost(body, r.Host))(w, r)
			})
			env := newTestEnv(t, mux)
			got, err := env.client.Policies(context.Background())
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("Policies = %d policies, want an error", len(got))
				}
				checkContains(t, err.Error(), tc.wantErr)
				return
			}
			if err != nil {
				t.Fatalf("Policies: %v", err)
			}
			var ids []int64
			for _, p := range got {
				ids = append(ids, p.ID)
			}
			if diff := cmp.Diff(tc.wantIDs, ids); diff != "" {
				t.Errorf("policy ids (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTooManyPages(t *testing.T) {
	t.Parallel()
	var requests counter
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/policies/", func(w http.ResponseWriter, r *http.Request) {
		requests.inc()
		jsonHandler(http.StatusOK, `{"count": 20001, "results": [{"id": 1}, {"id": 2}]}`)(w, r)
	})
	env := newTestEnv(t, mux)
	_, err := env.client.Policies(context.Background())
	if err == nil {
		t.Fatal("Policies: want an error for 10001 pages")
	}
	checkContains(t, err.Error(), "more than 10000 pages")
	if got := requests.get(); got != 1 {
		t.Errorf("requests = %d, want 1", got)
	}
}

func TestNextPagesCapped(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/policies/", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("page"))
		fmt.Fprintf(w, `{"next": "?page=%d", "results": []}`, n+1)
	})
	env := newTestEnv(t, mux)
	env.client.pageCap = 5
	_, err := env.client.Policies(context.Background())
	if err == nil {
		t.Fatal("Policies: want an error for endless next links")
	}
	checkContains(t, err.Error(), "stopped after 5 pages")
}

func TestPageWithBadItem(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/policies/", jsonHandler(http.StatusOK, `{"results": [{"id": 1}, {"name": "no id"}]}`))
	env := newTestEnv(t, mux)
	_, err := env.client.Policies(context.Background())
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("Policies error = %v, want *DecodeError", err)
	}
	if got, want := err.Error(), "CodeScoring's answer from the policies endpoint (/cs/api/policies/) is not what the gate expects: page 1: item 1: the policy has no id or pk field"; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}

func jsonString(v any) string {
	if v == nil {
		return "null"
	}
	return strconv.Quote(v.(string))
}

func jsonIDs(ids []int) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf(`{"id": %d}`, id)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func replaceHost(body, host string) string {
	return strings.ReplaceAll(body, "{host}", host)
}

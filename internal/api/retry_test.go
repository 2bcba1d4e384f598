package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

func TestRetryBurstThenSuccess(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testRetryBurstThenSuccess)
}

func testRetryBurstThenSuccess(t *testing.T) {
	var requests counter
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/projects/1/", func(w http.ResponseWriter, r *http.Request) {
		if requests.inc() <= 3 {
			// A proxy's HTML page during a restart.
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "<html><h1>503 Service Temporarily Unavailable</h1></html>")
			return
		}
		io.WriteString(w, `{"id": 1, "name": "p"}`)
	})
	env := newTestEnv(t, mux)
	got, err := env.client.GetProject(context.Background(), 1)
	if err != nil {
		t.Fatalf("GetProject: %v", err)
	}
	if got.Name != "p" {
		t.Errorf("project = %+v", got)
	}
	if n := requests.get(); n != 4 {
		t.Errorf("requests = %d, want 4", n)
	}
	if s := env.waits(); len(s) != 3 {
		t.Errorf("waits = %v, want 3", s)
	}
	logs := env.logs.Lines()
	if len(logs) != 3 {
		t.Fatalf("logs = %q, want 3 retry lines", logs)
	}
	checkContains(t, logs[0], "CodeScoring answered GET /cs/api/projects/1/ with 503 Service Unavailable as an HTML page", "; retrying in", "(attempt 2)")
}

func TestRetriedStatuses(t *testing.T) {
	t.Parallel()
	for _, status := range []int{429, 500, 502, 503, 504} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				var requests counter
				mux := http.NewServeMux()
				mux.HandleFunc("GET /api/projects/1/", func(w http.ResponseWriter, r *http.Request) {
					if requests.inc() == 1 {
						w.WriteHeader(status)
						return
					}
					io.WriteString(w, `{"id": 1}`)
				})
				env := newTestEnv(t, mux)
				if _, err := env.client.GetProject(context.Background(), 1); err != nil {
					t.Fatalf("GetProject: %v", err)
				}
				if n := requests.get(); n != 2 {
					t.Errorf("requests = %d, want 2", n)
				}
			})
		})
	}
}

func TestNotRetriedStatuses(t *testing.T) {
	t.Parallel()
	for _, status := range []int{400, 401, 403, 404, 405, 409, 410, 422, 501, 505} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				var requests counter
				mux := http.NewServeMux()
				mux.HandleFunc("GET /api/projects/1/", func(w http.ResponseWriter, r *http.Request) {
					requests.inc()
					w.WriteHeader(status)
				})
				env := newTestEnv(t, mux)
				start := time.Now()
				_, err := env.client.GetProject(context.Background(), 1)
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
					t.Fatalf("error = %v, want *APIError %d", err, status)
				}
				if n := requests.get(); n != 1 {
					t.Errorf("requests = %d, want 1", n)
				}
				if d := time.Since(start); d != 0 {
					t.Errorf("waited %s, want no wait", d)
				}
			})
		})
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := bubbleStart
	tests := []struct {
		name       string
		status     int
		retryAfter string
		budget     time.Duration
		wantSleep  time.Duration // the first wait, at least
		wantExact  bool
		wantGiveUp bool
	}{
		{name: "seconds", status: 429, retryAfter: "7", budget: 2 * time.Minute, wantSleep: 7 * time.Second},
		{name: "HTTP date", status: 429, retryAfter: now.Add(30 * time.Second).Format(http.TimeFormat),
			budget: 2 * time.Minute, wantSleep: 30 * time.Second},
		{name: "on a 503", status: 503, retryAfter: "20", budget: 2 * time.Minute, wantSleep: 20 * time.Second},
		{name: "capped at 5 minutes", status: 429, retryAfter: "86400", budget: time.Hour,
			wantSleep: 5 * time.Minute, wantExact: true},
		{name: "longer than the budget", status: 429, retryAfter: "600", budget: 2 * time.Minute, wantGiveUp: true},
		{name: "past date uses backoff", status: 429, retryAfter: now.Add(-time.Hour).Format(http.TimeFormat),
			budget: 2 * time.Minute, wantSleep: 0},
		{name: "garbage uses backoff", status: 429, retryAfter: "soon", budget: 2 * time.Minute, wantSleep: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				var requests counter
				mux := http.NewServeMux()
				mux.HandleFunc("GET /api/policies/", func(w http.ResponseWriter, r *http.Request) {
					if requests.inc() == 1 {
						w.Header().Set("Retry-After", tc.retryAfter)
						writeJSON(t, w, tc.status, map[string]string{"detail": "Request was throttled."})
						return
					}
					io.WriteString(w, `[]`)
				})
				env := newTestEnv(t, mux, WithRetry(tc.budget, time.Second))
				_, err := env.client.Policies(context.Background())
				sleeps := env.waits()
				if tc.wantGiveUp {
					var ae *AttemptsError
					if !errors.As(err, &ae) || ae.Attempts != 1 {
						t.Fatalf("error = %v, want *AttemptsError after 1 attempt", err)
					}
					checkContains(t, err.Error(), "gave up after 1 attempt: CodeScoring answered GET /cs/api/policies/ with 429 Too Many Requests")
					if len(sleeps) != 0 {
						t.Errorf("sleeps = %v, want none", sleeps)
					}
					return
				}
				if err != nil {
					t.Fatalf("Policies: %v", err)
				}
				if len(sleeps) != 1 {
					t.Fatalf("sleeps = %v, want 1", sleeps)
				}
				if sleeps[0] < tc.wantSleep || (tc.wantExact && sleeps[0] != tc.wantSleep) {
					t.Errorf("slept %s, want at least %s (exact: %v)", sleeps[0], tc.wantSleep, tc.wantExact)
				}
			})
		})
	}
}

func TestRetryBudgetSpent(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testRetryBudgetSpent)
}

func testRetryBudgetSpent(t *testing.T) {
	var requests counter
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/projects/1/", func(w http.ResponseWriter, r *http.Request) {
		requests.inc()
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, "<html><center>nginx</center></html>")
	})
	env := newTestEnv(t, mux, WithRetry(30*time.Second, time.Second))
	start := time.Now()
	_, err := env.client.GetProject(context.Background(), 1)
	var ae *AttemptsError
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want *AttemptsError", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadGateway || !apiErr.NotJSON {
		t.Errorf("error = %v, want it to wrap the 502 HTML page", err)
	}
	n := requests.get()
	if ae.Attempts != n || n < 3 {
		t.Errorf("Attempts = %d, server saw %d requests; want equal and at least 3", ae.Attempts, n)
	}
	if !strings.HasPrefix(err.Error(), "gave up after "+strconv.Itoa(n)+" attempts: CodeScoring answered GET /cs/api/projects/1/ with 502 Bad Gateway as an HTML page instead of JSON") {
		t.Errorf("error = %q", err)
	}
	if total := time.Since(start); total > 30*time.Second {
		t.Errorf("waited %s in all, over the 30s budget", total)
	}
	if w := env.waits(); len(w) != n-1 {
		t.Errorf("waits = %v, want %d", w, n-1)
	}
}

func TestRetryDisabled(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testRetryDisabled)
}

func testRetryDisabled(t *testing.T) {
	var requests counter
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/projects/1/", func(w http.ResponseWriter, r *http.Request) {
		requests.inc()
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	env := newTestEnv(t, mux, WithRetry(0, time.Second))
	_, err := env.client.GetProject(context.Background(), 1)
	if n := requests.get(); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
	checkContains(t, err.Error(), "gave up after 1 attempt: ")
}

func TestAttemptTimeoutRetried(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testAttemptTimeoutRetried)
}

func testAttemptTimeoutRetried(t *testing.T) {
	var requests counter
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/projects/1/", func(w http.ResponseWriter, r *http.Request) {
		if requests.inc() == 1 {
			hang(w, r)
			return
		}
		io.WriteString(w, `{"id": 1}`)
	})
	env := newTestEnv(t, mux, WithRequestTimeout(100*time.Millisecond))
	if _, err := env.client.GetProject(context.Background(), 1); err != nil {
		t.Fatalf("GetProject: %v", err)
	}
	if n := requests.get(); n != 2 {
		t.Errorf("requests = %d, want 2", n)
	}
	logs := env.logs.Lines()
	if len(logs) != 1 {
		t.Fatalf("logs = %q, want one retry", logs)
	}
	checkContains(t, logs[0], "CodeScoring at 127.0.0.1:", " did not answer GET /cs/api/projects/1/ within 100ms", "; retrying in")
}

func TestAttemptTimeoutCoversBody(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// The headers and the start of the body arrive, then nothing until
		// the client gives up on the attempt.
		stall := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
				ContentLength: -1, Request: r, Body: &stalledBody{ctx: r.Context(), head: []byte(`{"id": 1,`)}}, nil
		})
		c, err := NewClient("http://"+testHost+prefix, testToken, WithTransport(stall),
			WithRequestTimeout(50*time.Millisecond), WithRetry(2*time.Second, time.Second))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.GetProject(context.Background(), 1)
		var ne *NetworkError
		if !errors.As(err, &ne) || ne.Timeout != 50*time.Millisecond {
			t.Fatalf("error = %v, want a timeout *NetworkError", err)
		}
		checkContains(t, err.Error(), "gave up after", "did not answer GET /cs/api/projects/1/ within 50ms")
	})
}

// stalledBody reads head, then blocks until ctx ends.
type stalledBody struct {
	ctx  context.Context
	head []byte
}

func (b *stalledBody) Read(p []byte) (int, error) {
	if len(b.head) > 0 {
		n := copy(p, b.head)
		b.head = b.head[n:]
		return n, nil
	}
	<-b.ctx.Done()
	return 0, b.ctx.Err()
}

func (b *stalledBody) Close() error { return nil }

// TestConnectionResetRetried drops real connections, on real time with
// short waits.
func TestConnectionResetRetried(t *testing.T) {
	t.Parallel()
	var requests counter
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/projects/1/", func(w http.ResponseWriter, r *http.Request) {
		if requests.inc() <= 2 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Errorf("hijack: %v", err)
				return
			}
			conn.Close()
			return
		}
		io.WriteString(w, `{"id": 1}`)
	})
	env, _ := newSocketEnv(t, mux, WithRetry(10*time.Second, time.Millisecond))
	if _, err := env.client.GetProject(context.Background(), 1); err != nil {
		t.Fatalf("GetProject: %v", err)
	}
	if n := requests.get(); n != 3 {
		t.Errorf("requests = %d, want 3", n)
	}
	if r := retries(env.logs); len(r) != 2 {
		t.Errorf("retries = %q, want 2", r)
	}
}

func TestConnectionRefusedRetried(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		logs := &logBuffer{}
		c, err := NewClient("http://"+closedAddr(t), testToken, WithLogger(logs.Logf), WithRetry(10*time.Second, time.Second))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = c.GetProject(context.Background(), 1)
		var ae *AttemptsError
		if !errors.As(err, &ae) || ae.Attempts < 2 {
			t.Fatalf("error = %v, want *AttemptsError after several attempts", err)
		}
		if got, want := len(retries(logs)), ae.Attempts-1; got != want {
			t.Errorf("retries = %d, want %d", got, want)
		}
		if d := time.Since(start); d == 0 || d > 10*time.Second {
			t.Errorf("waited %s in all, want some, within the 10s budget", d)
		}
		var ne *NetworkError
		if !errors.As(err, &ne) {
			t.Errorf("error = %v, want it to wrap *NetworkError", err)
		}
	})
}

func TestContextEndsRetries(t *testing.T) {
	t.Parallel()
	t.Run("cancelled before the call", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			var requests counter
			mux := http.NewServeMux()
			mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { requests.inc() })
			env := newTestEnv(t, mux)
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			_, err := env.client.GetProject(ctx, 1)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("error = %v, want context.Canceled", err)
			}
			if n := requests.get(); n != 0 {
				t.Errorf("requests = %d, want 0", n)
			}
			if d := time.Since(bubbleStart); d != 0 {
				t.Errorf("waited %s, want no wait", d)
			}
		})
	})
	t.Run("cancelled while waiting to retry", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			mux := http.NewServeMux()
			mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusServiceUnavailable)
				// Cancel once the client waits to retry.
				go func() {
					time.Sleep(time.Millisecond)
					cancel()
				}()
			})
			env := newTestEnv(t, mux)
			_, err := env.client.GetProject(ctx, 1)
			var ae *AttemptsError
			if !errors.As(err, &ae) || ae.Attempts != 1 || !errors.Is(err, context.Canceled) {
				t.Fatalf("error = %v, want *AttemptsError of 1 attempt ended by context.Canceled", err)
			}
			checkContains(t, err.Error(), "stopped after 1 attempt (context canceled): CodeScoring answered GET /cs/api/projects/1/ with 503")
			if d := time.Since(bubbleStart); d != time.Millisecond {
				t.Errorf("stopped after %s, want at the cancel, 1ms in", d)
			}
		})
	})
	t.Run("deadline during a request is not retried", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			var requests counter
			mux := http.NewServeMux()
			mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				requests.inc()
				hang(w, r)
			})
			env := newTestEnv(t, mux)
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			_, err := env.client.GetProject(ctx, 1)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("error = %v, want context.DeadlineExceeded", err)
			}
			if n := requests.get(); n != 1 {
				t.Errorf("requests = %d, want 1", n)
			}
			if d := time.Since(bubbleStart); d != 50*time.Millisecond {
				t.Errorf("ended after %s, want at the deadline, 50ms", d)
			}
			if r := retries(env.logs); len(r) != 0 {
				t.Errorf("retries = %q, want none", r)
			}
		})
	})
}

package testnet

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

func TestMemoryServesAsAServer(t *testing.T) {
	var got *http.Request
	var gotBody string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		w.Header().Set("X-Seen", r.Header.Get("Authorization"))
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"ok":true}`)
	})
	c := &http.Client{Transport: Memory(h)}
	req, _ := http.NewRequest(http.MethodPost, "http://cs.example:8080/tools/api/x/?page=2", strings.NewReader("hello"))
	req.Header.Set("Authorization", "Token t")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated || string(b) != `{"ok":true}` || resp.Header.Get("X-Seen") != "Token t" {
		t.Errorf("response %d %q %v", resp.StatusCode, b, resp.Header)
	}
	if got.RequestURI != "/tools/api/x/?page=2" || got.Host != "cs.example:8080" || got.URL.Path != "/tools/api/x/" ||
		got.URL.Query().Get("page") != "2" || got.Method != http.MethodPost || gotBody != "hello" || got.RemoteAddr == "" {
		t.Errorf("server saw %s %q host %q path %q body %q remote %q", got.Method, got.RequestURI, got.Host, got.URL.Path, gotBody, got.RemoteAddr)
	}
}

// In a synctest bubble a handler that waits on a timer lets fake time run,
// and one that waits for the client to give up ends with the client's
// deadline.
func TestMemoryInBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/slow" {
				time.Sleep(time.Hour)
				_, _ = io.WriteString(w, "late")
				return
			}
			<-r.Context().Done()
		})
		c := &http.Client{Transport: Memory(h)}
		start := time.Now()
		resp, err := c.Get("http://h/slow")
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if d := time.Since(start); d != time.Hour {
			t.Errorf("slow answer after %v, want 1h of fake time", d)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://h/hang", nil)
		start = time.Now()
		resp, err = c.Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != 30*time.Second {
			t.Errorf("hang: err %v after %v, want the 30 s deadline", err, time.Since(start))
		}
	})
}

// A handler that aborts its answer, as one that drops the connection, fails
// the round trip instead of answering an empty 200.
func TestMemoryAbortedAnswer(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		panic(http.ErrAbortHandler)
	})
	resp, err := (&http.Client{Transport: Memory(h)}).Get("http://h/")
	if err == nil {
		_ = resp.Body.Close()
	}
	if !errors.Is(err, ErrAborted) {
		t.Errorf("GET = %v, want ErrAborted", err)
	}
}

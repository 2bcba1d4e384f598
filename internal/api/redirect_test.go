package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestRedirectToHTTPS serves the API over TLS under a prefix behind a plain
// http server that redirects every request there, as a proxy that upgrades
// to https does: the client follows neither the read nor the start, sends
// the token nowhere but the redirector, and says which URL to set.
func TestRedirectToHTTPS(t *testing.T) {
	t.Parallel()
	var tlsHits atomic.Int32
	secure := newTLSServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tlsHits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id": 1, "name": "p", "status": "pending"}`)
	}))
	for _, code := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusPermanentRedirect} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			t.Parallel()
			redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, secure.URL+r.URL.RequestURI(), code)
			}))
			t.Cleanup(redirector.Close)
			logs := &logBuffer{}
			c, err := NewClient(redirector.URL+prefix, testToken, WithCACert(serverCertPEM(t, secure)), WithLogger(logs.Logf))
			if err != nil {
				t.Fatal(err)
			}
			_, getErr := c.GetProject(context.Background(), 1)
			_, startErr := c.StartAnalysis(context.Background(), StartRequest{Project: 1})
			for name, err := range map[string]error{"GetProject": getErr, "StartAnalysis": startErr} {
				var re *RedirectError
				if !errors.As(err, &re) {
					t.Fatalf("%s: error = %v (%T), want a *RedirectError", name, err, err)
				}
				checkContains(t, err.Error(), "CodeScoring at "+redirector.URL+prefix+" redirects to "+secure.URL+prefix+"/")
				if got, want := re.Suggested, secure.URL+prefix; got != want {
					t.Errorf("%s: suggested url = %q, want %q", name, got, want)
				}
				if re.StatusCode != code {
					t.Errorf("%s: status = %d, want %d", name, re.StatusCode, code)
				}
				checkNoToken(t, name, err.Error())
			}
			checkNoRetry(t, "a refused redirect", logs)
		})
	}
	if n := tlsHits.Load(); n != 0 {
		t.Errorf("the https server got %d requests, want none: the token travelled on", n)
	}
}

// TestRedirectWithinInstallation follows Django's redirect to the slashed
// path for a read and a 308 that keeps a POST and its body, but refuses a
// 302 that would turn the POST into a GET.
func TestRedirectWithinInstallation(t *testing.T) {
	t.Parallel()
	var gotBody atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == prefix+"/moved/api/projects/1/":
			http.Redirect(w, r, prefix+"/api/projects/1/", http.StatusMovedPermanently)
		case strings.HasPrefix(r.URL.Path, prefix+"/moved/api/analyses/"):
			http.Redirect(w, r, strings.Replace(r.URL.Path, "/moved", "", 1), http.StatusPermanentRedirect)
		case strings.HasPrefix(r.URL.Path, prefix+"/get/api/analyses/"):
			http.Redirect(w, r, strings.Replace(r.URL.Path, "/get", "", 1), http.StatusFound)
		case r.Method == http.MethodPost:
			b, _ := io.ReadAll(r.Body)
			gotBody.Store(string(b))
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"id": 7, "project": 1, "status": "pending"}`)
		default:
			io.WriteString(w, `{"id": 1, "name": "p"}`)
		}
	}))
	t.Cleanup(srv.Close)

	moved, err := NewClient(srv.URL+prefix+"/moved", testToken, WithRetry(0, 1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := moved.GetProject(context.Background(), 1); err != nil {
		t.Errorf("GetProject through a redirect within the installation: %v", err)
	}
	a, err := moved.StartAnalysis(context.Background(), StartRequest{Project: 1, Commit: "abc"})
	if err != nil || a.ID != 7 {
		t.Fatalf("StartAnalysis through a 308 = %v, %v; want analysis 7", a, err)
	}
	if got, _ := gotBody.Load().(string); !strings.Contains(got, `"commit":"abc"`) {
		t.Errorf("the POST after a 308 carried %q, want the start request", got)
	}

	toGet, err := NewClient(srv.URL+prefix+"/get", testToken, WithRetry(0, 1))
	if err != nil {
		t.Fatal(err)
	}
	_, err = toGet.StartAnalysis(context.Background(), StartRequest{Project: 1})
	var re *RedirectError
	if !errors.As(err, &re) || !re.ToGet {
		t.Fatalf("StartAnalysis through a 302 = %v, want a *RedirectError that names the POST turned into a GET", err)
	}
	checkContains(t, err.Error(), "redirects POST "+prefix+"/get/api/analyses/projects/sca/start/ to "+srv.URL+prefix+
		"/api/analyses/projects/sca/start/ with 302 Found, which would turn the POST into a GET")
	if re.Suggested != "" {
		t.Errorf("suggested %q for a POST turned into a GET", re.Suggested)
	}
}

// TestRedirectToAnotherHost refuses a redirect to a login page on another
// host: it is not an installation URL, so the advice names no `url`.
func TestRedirectToAnotherHost(t *testing.T) {
	t.Parallel()
	var leaked atomic.Bool
	sso := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			leaked.Store(true)
		}
	}))
	t.Cleanup(sso.Close)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, sso.URL+"/login?next="+r.URL.Path+"&secret=x", http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(srv.URL, testToken, WithRetry(0, 1))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Policies(context.Background())
	var re *RedirectError
	if !errors.As(err, &re) {
		t.Fatalf("error = %v, want a *RedirectError", err)
	}
	checkContains(t, err.Error(), "CodeScoring at "+srv.URL+" redirects to "+sso.URL+"/login (302 Found to GET /api/policies/)")
	if re.Suggested != "" || strings.Contains(err.Error()+re.To, "secret") {
		t.Errorf("suggested %q for a login page, or showed its query: %v; %s", re.Suggested, err, re.To)
	}
	if leaked.Load() {
		t.Error("the token was sent to the other host")
	}
}

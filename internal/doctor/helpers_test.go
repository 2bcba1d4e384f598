package doctor

import (
	"bytes"
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator/simtest"
)

// testToken is a canary: no report, text or JSON may ever contain it.
const testToken = "doctor-canary-t0ken-9c1e"

// prefix mounts the simulator below a path, so that a request that drops
// the installation root's path fails loudly.
const prefix = "/cs"

// t0 is the clock of the simulator and of doctor.
var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func now() time.Time { return t0 }

// noProxy keeps the tests independent of the environment's proxy settings.
func noProxy(*http.Request) (*url.URL, error) { return nil, nil }

// scenario is the demo scenario with an analysis of payments-service that
// succeeded two hours ago.
func scenario() simulator.Scenario {
	sc := simulator.DemoScenario()
	sc.Analyses = []simulator.SeedAnalysis{{Project: simulator.DemoProjectID, StartedAgo: 2 * time.Hour}}
	return sc
}

// simEnv is a simulator served over HTTP or HTTPS on 127.0.0.1.
type simEnv struct {
	sim *simtest.Server
	srv *httptest.Server
	url *url.URL // the installation root, below prefix
}

// startSim serves a simulator for opts (the scenario, testToken, t0 and
// prefix when not set). wrap, when set, wraps its handler.
func startSim(t *testing.T, opts simulator.Options, useTLS bool, wrap func(http.Handler) http.Handler) *simEnv {
	t.Helper()
	if opts.Scenario.Projects == nil {
		opts.Scenario = scenario()
	}
	if opts.Token == "" && opts.Tokens == nil {
		opts.Token = testToken
	}
	if opts.Prefix == "" {
		opts.Prefix = prefix
	}
	if opts.Now == nil {
		opts.Now = now
	}
	sim := simtest.New(opts)
	var h http.Handler = sim
	if wrap != nil {
		h = wrap(sim)
	}
	srv := httptest.NewUnstartedServer(h)
	// Handshakes that doctor refuses are expected; keep them out of the log.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if useTLS {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(func() {
		srv.Close()
		_ = sim.Close()
	})
	u, err := url.Parse(srv.URL + opts.Prefix + "/")
	if err != nil {
		t.Fatalf("parse server URL: %v", err)
	}
	return &simEnv{sim: sim, srv: srv, url: u}
}

// options returns doctor's options for the environment: payments-service
// at stage source with testToken.
func (e *simEnv) options() Options {
	return Options{
		URL: e.url, Token: testToken, Project: "payments-service", Stage: "source",
		Now: now, Proxy: noProxy, Timeout: 5 * time.Second, Version: "test",
	}
}

// run runs doctor, renders its report as text and JSON and checks that
// neither holds the token.
func run(t *testing.T, opts Options) (r *Report, text, jsonOut string) {
	t.Helper()
	r, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	var tb, jb bytes.Buffer
	if err := WriteText(&tb, r); err != nil {
		t.Fatalf("WriteText() error = %v", err)
	}
	if err := WriteJSON(&jb, r); err != nil {
		t.Fatalf("WriteJSON() error = %v", err)
	}
	for name, out := range map[string]string{"text": tb.String(), "JSON": jb.String()} {
		if strings.Contains(out, opts.Token) {
			t.Errorf("the %s report contains the token:\n%s", name, out)
		}
	}
	return r, tb.String(), jb.String()
}

// assertOnlyGET fails unless every request the simulator saw was a GET.
func assertOnlyGET(t *testing.T, sim *simtest.Server) {
	t.Helper()
	reqs := sim.Requests()
	if len(reqs) == 0 {
		t.Error("the simulator saw no request")
	}
	for _, r := range reqs {
		if r.Method != http.MethodGet {
			t.Errorf("doctor sent %s %s; want only GET", r.Method, r.Path)
		}
	}
}

// statuses returns the status of each check of r.
func statuses(r *Report) map[string]Status {
	m := map[string]Status{}
	for _, c := range r.Checks {
		m[c.Name] = c.Status
	}
	return m
}

// allPass returns every check name with Pass.
func allPass() map[string]Status {
	m := map[string]Status{}
	for _, n := range checkOrder {
		m[n] = Pass
	}
	return m
}

// with returns a copy of m with the given changes: name, status pairs.
func with(m map[string]Status, kv ...any) map[string]Status {
	out := map[string]Status{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1].(Status)
	}
	return out
}

// only returns m restricted to names.
func only(m map[string]Status, names ...string) map[string]Status {
	out := map[string]Status{}
	for _, n := range names {
		out[n] = m[n]
	}
	return out
}

// without returns m without names.
func without(m map[string]Status, names ...string) map[string]Status {
	out := with(m)
	for _, n := range names {
		delete(out, n)
	}
	return out
}

// checkText returns the finding and fix of a check, for substring tests.
func checkText(t *testing.T, r *Report, name string) string {
	t.Helper()
	c, ok := r.Check(name)
	if !ok {
		t.Fatalf("check %q was not run; checks: %v, skipped: %v", name, statuses(r), r.Skipped)
	}
	return c.Finding + "\n→ " + c.Fix
}

// presences returns the presence of each endpoint by client method name.
func presences(r *Report) map[string]Presence {
	m := map[string]Presence{}
	for _, e := range r.Endpoints {
		m[e.Name] = e.Presence
	}
	return m
}

// fakeResolver answers lookups from a table; other names do not exist. It
// records the names it was asked.
type fakeResolver struct {
	hosts map[string][]string
	err   error // answered for every name when set

	mu    sync.Mutex
	asked []string
}

func (f *fakeResolver) LookupHost(_ context.Context, host string) ([]string, error) {
	f.mu.Lock()
	f.asked = append(f.asked, host)
	f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	if ips, ok := f.hosts[host]; ok {
		return ips, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

func (f *fakeResolver) Asked() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.asked...)
}

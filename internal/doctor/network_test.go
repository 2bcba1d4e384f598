package doctor

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
	"github.com/codescoring-gate/codescoring-gate/internal/testcert"
	"github.com/codescoring-gate/codescoring-gate/internal/testnet"
)

// TestRunTLS runs doctor against the simulator behind TLS with httptest's
// certificate, which no system trusts.
func TestRunTLS(t *testing.T) {
	t.Parallel()
	other := testcert.NewCA(t, "Other Test CA", time.Now())
	afterNet := []string{CheckAPI, CheckToken, CheckProject, CheckEndpoints, CheckAnalyses, CheckPolicies}
	tests := []struct {
		name     string
		opts     func(*Options, *simEnv)
		want     map[string]Status
		skipped  []string
		wantText []string // in the tls check's finding and fix
		noText   []string
		expiry   time.Duration // of the server's own certificate instead of httptest's
	}{
		{
			name:    "unknown CA",
			want:    with(only(allPass(), CheckURL, CheckDNS, CheckTCP), CheckTLS, Fail),
			skipped: afterNet,
			wantText: []string{"TLS certificate of 127.0.0.1", "authority this runner does not trust", `"Acme Co"`,
				"set `--ca-cert` / `CODESCORING_CA_CERT` to that CA's PEM certificate"},
		},
		{
			name: "ca-cert trusts it",
			opts: func(o *Options, e *simEnv) { o.CACert = testcert.PEM(e.srv.Certificate()) },
			want: allPass(),
			wantText: []string{"TLS 1.3", "certificate for example.com, *.example.com, 127.0.0.1, ::1", `, issued by "Acme Co"`,
				"valid until " + "2084-01-29"},
		},
		{
			name:     "ca-cert of another CA",
			opts:     func(o *Options, _ *simEnv) { o.CACert = other },
			want:     with(only(allPass(), CheckURL, CheckDNS, CheckTCP), CheckTLS, Fail),
			skipped:  afterNet,
			wantText: []string{"127.0.0.1", "), nor does `--ca-cert` / `CODESCORING_CA_CERT`", "`--ca-cert` / `CODESCORING_CA_CERT` does not hold the CA that issued"},
		},
		{
			name: "certificate for another name",
			opts: func(o *Options, e *simEnv) {
				o.CACert = testcert.PEM(e.srv.Certificate())
				o.Transport = (&fakeNet{hosts: map[string][]string{"codescoring.test": {"127.0.0.1"}}}).transport()
				u := *e.url
				u.Host = net.JoinHostPort("codescoring.test", u.Port())
				o.URL = &u
			},
			want:     with(only(allPass(), CheckURL, CheckDNS, CheckTCP), CheckTLS, Fail),
			skipped:  afterNet,
			wantText: []string{"TLS certificate of codescoring.test is not valid for that name", "for example.com", "set `--url` / `CODESCORING_URL` to a host name the certificate is for"},
			noText:   []string{"ca-cert"},
		},
		{
			name:   "certificate about to expire",
			expiry: 72*time.Hour + time.Minute,
			opts: func(o *Options, e *simEnv) {
				o.CACert = testcert.PEM(e.srv.Certificate())
			},
			want:     with(allPass(), CheckTLS, Warn),
			wantText: []string{"it expires in 3d", "renew"},
		},
		{
			name: "caller's HTTP client trusts it",
			opts: func(o *Options, e *simEnv) { o.Transport = e.srv.Client().Transport },
			want: allPass(),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := startSim(t, simulator.Options{}, true, nil)
			if tc.expiry > 0 {
				cert := expiringCert(t, tc.expiry)
				env = startSimTLS(t, simulator.Options{}, &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}, nil)
			}
			opts := env.options()
			if tc.opts != nil {
				tc.opts(&opts, env)
			}
			r, text, _ := run(t, opts)
			if diff := cmp.Diff(tc.want, statuses(r)); diff != "" {
				t.Errorf("check statuses (-want +got):\n%s\n%s", diff, text)
			}
			if diff := cmp.Diff(tc.skipped, r.Skipped); diff != "" {
				t.Errorf("skipped checks (-want +got):\n%s", diff)
			}
			got := checkText(t, r, CheckTLS)
			for _, s := range tc.wantText {
				if !strings.Contains(got, s) {
					t.Errorf("tls check = %q, want it to contain %q", got, s)
				}
			}
			for _, s := range tc.noText {
				if strings.Contains(got, s) {
					t.Errorf("tls check = %q, want it not to contain %q", got, s)
				}
			}
		})
	}
}

// TestRunNetwork covers the dns and tcp checks and what doctor does when the
// host cannot be reached.
func TestRunNetwork(t *testing.T) {
	t.Parallel()
	env := startSim(t, simulator.Options{}, false, nil)
	port := env.url.Port()
	// After the parallel subtests, before the server closes.
	t.Cleanup(func() { assertOnlyGET(t, env.sim) })

	// A port nothing listens on, held for the test.
	closedAddr := testnet.RefusedAddr(t)

	hostURL := func(host, p string) *url.URL {
		return &url.URL{Scheme: "http", Host: net.JoinHostPort(host, p), Path: prefix + "/"}
	}
	afterTCP := []string{CheckTLS, CheckAPI, CheckToken, CheckProject, CheckEndpoints, CheckAnalyses, CheckPolicies}
	tests := []struct {
		name     string
		opts     func(*Options, *fakeNet)
		want     map[string]Status
		skipped  []string
		check    string
		wantText []string
		asked    []string // names the resolver was asked, in order
	}{
		{
			name: "connection refused",
			opts: func(o *Options, fn *fakeNet) {
				u, _ := url.Parse("http://" + closedAddr + "/")
				o.URL = u
			},
			want:     map[string]Status{CheckURL: Pass, CheckDNS: Pass, CheckTCP: Fail},
			skipped:  afterTCP,
			check:    CheckTCP,
			wantText: []string{"nothing accepts connections at " + closedAddr + " (connection refused)", "check `--url` / `CODESCORING_URL`, DNS, the firewall"},
		},
		{
			name: "https to a plain http server",
			opts: func(o *Options, fn *fakeNet) {
				u := *env.url
				u.Scheme = "https"
				o.URL = &u
			},
			want:     map[string]Status{CheckURL: Pass, CheckDNS: Pass, CheckTCP: Pass, CheckTLS: Fail},
			skipped:  afterTCP[1:],
			check:    CheckTLS,
			wantText: []string{"127.0.0.1:" + port + " does not speak TLS", "use http://"},
		},
		{
			name: "host does not resolve",
			opts: func(o *Options, fn *fakeNet) {
				o.URL = hostURL("codescoring.invalid", port)
			},
			want:     map[string]Status{CheckURL: Pass, CheckDNS: Fail},
			skipped:  append([]string{CheckTCP}, afterTCP...),
			check:    CheckDNS,
			wantText: []string{"codescoring.invalid does not resolve: no such host", "check the host name in `--url` / `CODESCORING_URL`"},
		},
		{
			name: "lookup times out",
			opts: func(o *Options, fn *fakeNet) {
				o.URL = hostURL("codescoring.internal", port)
				fn.err = &net.DNSError{Err: "i/o timeout", Name: "codescoring.internal", IsTimeout: true}
			},
			want:     map[string]Status{CheckURL: Pass, CheckDNS: Fail},
			skipped:  append([]string{CheckTCP}, afterTCP...),
			check:    CheckDNS,
			wantText: []string{"looking up codescoring.internal timed out"},
		},
		{
			name: "host name resolved by the injected resolver, over plain http",
			opts: func(o *Options, fn *fakeNet) {
				o.URL = hostURL("codescoring.test", port)
				fn.hosts = map[string][]string{"codescoring.test": {"127.0.0.1"}}
			},
			want:     with(allPass(), CheckTLS, Warn),
			check:    CheckTLS,
			wantText: []string{"plain http", "unencrypted", "https://"},
		},
		{
			name: "a proxy is checked instead of the host",
			opts: func(o *Options, fn *fakeNet) {
				// The simulator answers absolute-form requests as a proxy
				// would pass them on.
				o.URL = hostURL("codescoring.test", "80")
				fn.proxy, _ = url.Parse("http://127.0.0.1:" + port)
			},
			want:     with(allPass(), CheckTLS, Warn),
			check:    CheckTCP,
			wantText: []string{"connected to the proxy 127.0.0.1:" + port},
		},
		{
			name: "a proxy that does not resolve",
			opts: func(o *Options, fn *fakeNet) {
				o.URL = hostURL("codescoring.test", "80")
				fn.proxy, _ = url.Parse("http://proxy.invalid:3128")
			},
			want:     map[string]Status{CheckURL: Pass, CheckDNS: Fail},
			skipped:  append([]string{CheckTCP}, afterTCP...),
			check:    CheckDNS,
			wantText: []string{"the proxy proxy.invalid does not resolve", "NO_PROXY"},
			asked:    []string{"proxy.invalid"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := env.options()
			fn := &fakeNet{}
			opts.Transport = fn.transport()
			tc.opts(&opts, fn)
			r, text, _ := run(t, opts)
			if diff := cmp.Diff(tc.want, statuses(r)); diff != "" {
				t.Errorf("check statuses (-want +got):\n%s\n%s", diff, text)
			}
			if diff := cmp.Diff(tc.skipped, r.Skipped); diff != "" {
				t.Errorf("skipped checks (-want +got):\n%s", diff)
			}
			got := checkText(t, r, tc.check)
			for _, s := range tc.wantText {
				if !strings.Contains(got, s) {
					t.Errorf("check %s = %q, want it to contain %q", tc.check, got, s)
				}
			}
			if tc.asked != nil {
				if diff := cmp.Diff(tc.asked, fn.Asked()); diff != "" {
					t.Errorf("names looked up (-want +got):\n%s", diff)
				}
			}
			if wantExit := map[bool]int{true: ExitOK, false: ExitFailed}[!slices.Contains(statusList(r), Fail)]; r.ExitCode() != wantExit {
				t.Errorf("ExitCode() = %d, want %d", r.ExitCode(), wantExit)
			}
		})
	}
}

func statusList(r *Report) []Status {
	var out []Status
	for _, c := range r.Checks {
		out = append(out, c.Status)
	}
	return out
}

// TestRunURL covers URLs the gate refuses: doctor says what to change and
// makes no connection.
func TestRunURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		raw      string
		wantText string
	}{
		{"not http", "ftp://codescoring.example.com/", "does not start with https://"},
		{"no host", "https:///api-root/", "no host name"},
		{"credentials", "https://admin:s3cret-pass@codescoring.example.com/", "user name or password"},
		{"query", "https://codescoring.example.com/?x=1", "query or fragment"},
		{"port out of range", "http://codescoring.example.com:99999/", `has the port "99999", not a number from 1 to 65535`},
		{"api suffix", "https://codescoring.example.com/api/", "remove the /api part"},
		{"api below a prefix", "https://example.com/codescoring/api/v1/", "remove the /api part"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u, err := url.Parse(tc.raw)
			if err != nil {
				t.Fatalf("parse %q: %v", tc.raw, err)
			}
			res := &fakeNet{}
			r, text, jsonOut := run(t, Options{URL: u, Token: testToken, Project: "p", Transport: res.transport()})
			if diff := cmp.Diff(map[string]Status{CheckURL: Fail}, statuses(r)); diff != "" {
				t.Errorf("check statuses (-want +got):\n%s", diff)
			}
			if got, want := len(r.Skipped), len(checkOrder)-1; got != want {
				t.Errorf("%d checks skipped, want %d", got, want)
			}
			if got := checkText(t, r, CheckURL); !strings.Contains(got, tc.wantText) {
				t.Errorf("url check = %q, want it to contain %q", got, tc.wantText)
			}
			if strings.Contains(text+jsonOut, "s3cret-pass") {
				t.Errorf("the report shows the URL's password:\n%s", text)
			}
			if got := append(res.Asked(), res.Dialed()...); len(got) > 0 {
				t.Errorf("looked up or dialed %v for a URL the gate refuses", got)
			}
			if r.ExitCode() != ExitFailed {
				t.Errorf("ExitCode() = %d, want %d", r.ExitCode(), ExitFailed)
			}
		})
	}
}

// TestRunInsecureRedirect checks that doctor does not follow CodeScoring
// from https to http with the token.
func TestRunInsecureRedirect(t *testing.T) {
	t.Parallel()
	plain := startSim(t, simulator.Options{}, false, nil)
	env := startSim(t, simulator.Options{}, true, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, prefix+"/api/projects/") {
				http.Redirect(w, r, plain.url.String()+"api/projects/", http.StatusFound)
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	opts := env.options()
	opts.CACert = testcert.PEM(env.srv.Certificate())
	r, _, _ := run(t, opts)
	if got := statuses(r)[CheckAPI]; got != Fail {
		t.Fatalf("api check = %q, want fail", got)
	}
	want := "CodeScoring at " + strings.TrimSuffix(env.url.String(), "/") + " redirects to " + plain.url.String()
	if got := checkText(t, r, CheckAPI); !strings.Contains(got, want) || !strings.Contains(got, "without redirecting to http") {
		t.Errorf("api check = %q, want it to name the redirect (%q) and say to serve https", got, want)
	}
	if n := len(plain.sim.Requests()); n != 0 {
		t.Errorf("the plain http server got %d requests, want none", n)
	}
}

// TestRunOptions checks the options doctor cannot run without: Run returns
// an error (exit 2) naming every one.
func TestRunOptions(t *testing.T) {
	t.Parallel()
	u, _ := url.Parse("https://codescoring.example.com/")
	valid := Options{URL: u, Token: testToken, Project: "p"}
	other := testcert.NewCA(t, "Other Test CA", time.Now())
	tests := []struct {
		name string
		opts func(*Options)
		want []string
	}{
		{"no URL", func(o *Options) { o.URL = nil }, []string{"URL is missing"}},
		{"empty token", func(o *Options) { o.Token = "  " }, []string{"token is empty"}},
		{"token with spaces", func(o *Options) { o.Token = "abc def" }, []string{"spaces or control characters"}},
		{"no project", func(o *Options) { o.Project = "" }, []string{"project is empty"}},
		{"ca-cert without a certificate", func(o *Options) { o.CACert = []byte("not a pem") }, []string{"`--ca-cert` / `CODESCORING_CA_CERT` holds no PEM certificate"}},
		{"negative timeout", func(o *Options) { o.Timeout = -time.Second }, []string{"timeout -1s is negative"}},
		{"ca-cert with a transport it cannot add to", func(o *Options) {
			o.CACert = other
			o.Transport = roundTripFunc(func(*http.Request) (*http.Response, error) {
				return nil, errors.New("unused")
			})
		}, []string{"add ca-cert: the transport is a doctor.roundTripFunc"}},
		{"all at once", func(o *Options) { o.URL, o.Token, o.Project = nil, "", "" },
			[]string{"URL is missing", "token is empty", "project is empty"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := valid
			tc.opts(&opts)
			r, err := Run(context.Background(), opts)
			if err == nil {
				t.Fatalf("Run() = %+v, want an error", r)
			}
			if r != nil {
				t.Errorf("Run() report = %+v, want nil with an error", r)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Run() error = %q, want it to contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), testToken) {
				t.Errorf("Run() error contains the token: %q", err)
			}
		})
	}
}

// TestRunCanceled checks that a run whose context ends is an error, not a
// report of failed checks.
func TestRunCanceled(t *testing.T) {
	t.Parallel()
	env := startSim(t, simulator.Options{}, false, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := Run(ctx, env.options())
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run() = %v, %v; want context.Canceled", r, err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestRunInjectedTransport checks that every connection doctor makes goes
// through the transport it is given: the tcp check is of the first request's
// connection, not one of its own.
func TestRunInjectedTransport(t *testing.T) {
	t.Parallel()
	env := startSim(t, simulator.Options{}, false, nil)
	opts := env.options()
	opts.URL = &url.URL{Scheme: "http", Host: net.JoinHostPort("codescoring.test", env.url.Port()), Path: prefix + "/"}
	fn := &fakeNet{hosts: map[string][]string{"codescoring.test": {"127.0.0.1"}}}
	opts.Transport = fn.transport()
	r, text, _ := run(t, opts)
	if got := statuses(r); got[CheckAPI] != Pass || got[CheckEndpoints] != Pass {
		t.Errorf("checks = %v, want api and endpoints to pass\n%s", got, text)
	}
	dialed := fn.Dialed()
	if len(dialed) == 0 {
		t.Errorf("dialed nothing through the transport")
	}
	for _, addr := range dialed {
		if addr != "127.0.0.1:"+env.url.Port() {
			t.Errorf("dialed %q, want only the resolved address", addr)
		}
	}
	if got, want := checkText(t, r, CheckTCP), "connected to codescoring.test:"+env.url.Port()+" (127.0.0.1:"+env.url.Port()+")"; !strings.Contains(got, want) {
		t.Errorf("tcp check = %q, want it to contain %q", got, want)
	}
}

package doctor

import (
	"errors"
	"net/url"
	"strings"
	"syscall"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// TestAnswerKind checks how doctor tells JSON from HTML, YAML and the rest.
func TestAnswerKind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, ct, body string
		want           bodyKind
		wantDesc       string
	}{
		{"JSON object", "application/json", ` {"count": 1}`, kindJSON, "JSON"},
		{"JSON despite an HTML type", "text/html", `[1]`, kindJSON, "JSON"},
		{"HTML by type", "text/html; charset=utf-8", "Sign in", kindHTML, "an HTML page"},
		{"HTML by body", "", "<!DOCTYPE html><title>Login</title>", kindHTML, `an HTML page ("Login")`},
		{"YAML by type", "application/yaml", "x: 1", kindYAML, "YAML"},
		{"YAML by body", "application/vnd.oai.openapi", "openapi: 3.0.3\n", kindYAML, "YAML"},
		{"empty", "application/json", "  ", kindEmpty, "an empty body"},
		{"plain text", "text/plain", "Bad Gateway", kindOther, `a "text/plain" body`},
		{"no type", "", "Bad Gateway", kindOther, "a body that is not JSON"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := &api.Answer{StatusCode: 200, ContentType: tc.ct, Body: []byte(tc.body)}
			if got := kindOf(a); got != tc.want {
				t.Errorf("kindOf() = %d, want %d", got, tc.want)
			}
			if got := describeBody(i18n.Printer{}, a); got != tc.wantDesc {
				t.Errorf("describeBody() = %q, want %q", got, tc.wantDesc)
			}
		})
	}
}

// TestAnswerLists checks the count and first id of list answers in both
// shapes the contract allows.
func TestAnswerLists(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		count      int
		countOK    bool
		id         int64
	}{
		{"envelope", `{"count": 3, "next": null, "results": [{"id": 340}]}`, 3, true, 340},
		{"envelope with pk", `{"count": 1, "results": [{"pk": 12}]}`, 1, true, 12},
		{"bare array", `[{"id": 5}, {"id": 6}]`, 2, true, 5},
		{"empty", `{"count": 0, "results": []}`, 0, true, 0},
		{"no count", `{"results": [{"name": "x"}]}`, 0, false, 0},
		{"not JSON", `<html>`, 0, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := &api.Answer{StatusCode: 200, Body: []byte(tc.body)}
			if n, ok := count(a); n != tc.count || ok != tc.countOK {
				t.Errorf("count() = %d, %v; want %d, %v", n, ok, tc.count, tc.countOK)
			}
			if got := firstID(a); got != tc.id {
				t.Errorf("firstID() = %d, want %d", got, tc.id)
			}
		})
	}
}

// TestDescribeErr checks the finding and fix for each error of the API
// client, with paths shown relative to the installation root.
func TestDescribeErr(t *testing.T) {
	t.Parallel()
	base, _ := url.Parse("https://cs.example.com/codescoring/")
	d := &doctor{base: base, opts: Options{Audience: gate.Audience{Doctor: true}}, p: i18n.New(i18n.English)} // as newDoctor sets it
	tests := []struct {
		name        string
		err         error
		wantFinding string
		wantFix     string
	}{
		{"API error with detail",
			&api.APIError{StatusCode: 429, Method: "GET", Path: "/codescoring/api/policies/", Detail: "Request was throttled."},
			`GET /api/policies/ answered 429 Too Many Requests ("Request was throttled.")`, "limiting the requests of this token: run doctor again later"},
		{"API error as an HTML page",
			&api.APIError{StatusCode: 401, Method: "GET", Path: "/codescoring/api/policies/", NotJSON: true, ContentType: "text/html"},
			"GET /api/policies/ answered 401 Unauthorized as an HTML page", "without a browser login"},
		{"unauthorized", &api.APIError{StatusCode: 401, Method: "GET", Path: "/x/"}, "401", "set `--token` / `CODESCORING_TOKEN` to a current API token"},
		{"forbidden", &api.APIError{StatusCode: 403, Method: "GET", Path: "/x/"}, "403", "give the token's user a role on the project"},
		{"proxy auth", &api.APIError{StatusCode: 407, Method: "GET", Path: "/x/"}, "407", "HTTPS_PROXY"},
		{"not implemented", &api.APIError{StatusCode: 501, Method: "GET", Path: "/x/"}, "501", "differs from the one the gate calls: see the endpoints check"},
		{"teapot", &api.APIError{StatusCode: 418, Method: "GET", Path: "/x/"}, "418", "run doctor again; if it fails again, see the endpoints check"},
		{"HTML answer",
			&api.HTMLError{StatusCode: 200, Method: "GET", Path: "/codescoring/api/sca/policy_alerts/"},
			"GET /api/sca/policy_alerts/ answered 200 OK with an HTML page instead of JSON", "set `--url` / `CODESCORING_URL` to the installation root"},
		{"network",
			&api.AttemptsError{Attempts: 1, Err: &api.NetworkError{Method: "GET", Path: "/codescoring/api/policies/", Host: "cs.example.com",
				Err: &url.Error{Op: "Get", URL: "https://cs.example.com/x", Err: syscall.ECONNRESET}}},
			"no answer to GET /api/policies/: connection reset by peer", "firewall"},
		{"decode",
			&api.DecodeError{Path: "/codescoring/api/policies/", Err: errors.New("results: not an array")},
			"/api/policies/ answered JSON the gate cannot read: results: not an array", "passes answers whole, then run doctor again; else see the endpoints check, and open an issue"},
		{"too large", &api.TooLargeError{Path: "/codescoring/api/policies/", Limit: 32 << 20},
			"/api/policies/ answered more than 32 MiB", "report this log to the gate's maintainers"},
		{"TLS", &api.TLSError{Host: "cs.example.com", Err: errors.New("x509: bad")},
			"the TLS certificate of cs.example.com is not valid: x509: bad", "set `--ca-cert` / `CODESCORING_CA_CERT` to that CA's PEM certificate"},
		{"other", errors.New("something odd"), "something odd", "run doctor again; if it fails again, read the log"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			finding, fix := d.describeErr(gate.OpReadPolicies, tc.err)
			if !strings.Contains(finding, tc.wantFinding) {
				t.Errorf("finding = %q, want it to contain %q", finding, tc.wantFinding)
			}
			if !strings.Contains(fix, tc.wantFix) {
				t.Errorf("fix = %q, want it to contain %q", fix, tc.wantFix)
			}
		})
	}
}

package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The seed corpora live in testdata/fuzz/<target>/ and run with every
// `go test`; `go test -fuzz=FuzzDecodePage` explores further.

// FuzzDecodePage decodes any body as a page of each kind of object. It must
// not panic, and whatever decodes must survive a round trip through the
// contract's encoding unchanged.
func FuzzDecodePage(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip(t, data, wireProject.project, encodeProject)
		roundTrip(t, data, wireAnalysis.analysis, encodeAnalysis)
		roundTrip(t, data, wirePolicy.policy, encodePolicy)
		roundTrip(t, data, wireAlert.alert, encodeAlert)
	})
}

func roundTrip[W any, T any](t *testing.T, data []byte, conv func(W) (T, error), enc func(T) map[string]any) {
	t.Helper()
	// One object.
	if one, err := decodeObject("/x/", data, conv); err == nil {
		again, err := decodeObject("/x/", mustMarshal(t, enc(*one)), conv)
		if err != nil {
			t.Fatalf("decode re-encoded %T: %v", *one, err)
		}
		if diff := cmp.Diff(*one, *again, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("%T round trip (-first +again):\n%s", *one, diff)
		}
	}
	// A page.
	p, err := decodePage[W](data)
	if err != nil {
		return
	}
	got, err := convertAll(p.Results, conv)
	if err != nil {
		return
	}
	items := make([]map[string]any, len(got))
	for i, v := range got {
		items[i] = enc(v)
	}
	body := mustMarshal(t, map[string]any{"count": len(got), "next": nil, "previous": nil, "results": items})
	p2, err := decodePage[W](body)
	if err != nil {
		t.Fatalf("decode re-encoded page of %T: %v", got, err)
	}
	if p2.Count != int64(len(got)) || p2.Next != "" || p2.Bare {
		t.Fatalf("re-encoded page: count %d, next %q, bare %v", p2.Count, p2.Next, p2.Bare)
	}
	again, err := convertAll(p2.Results, conv)
	if err != nil {
		t.Fatalf("convert re-encoded page of %T: %v", got, err)
	}
	if diff := cmp.Diff(got, again, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("%T page round trip (-first +again):\n%s", got, diff)
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return b
}

// The encoders write the contract's encoding, independently of decode.go.

func encTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.RFC3339Nano)
}

func encodeProject(p Project) map[string]any {
	return map[string]any{"id": p.ID, "name": p.Name, "project_type": p.ProjectType,
		"repository": p.Repository, "policy_stage": p.PolicyStage}
}

func encodeAnalysis(a Analysis) map[string]any {
	return map[string]any{"id": a.ID, "project": a.Project, "status": string(a.Status),
		"branch_or_tag": a.BranchOrTag, "commit": a.Commit,
		"started_at": encTime(a.StartedAt), "finished_at": encTime(a.FinishedAt),
		"dependencies_count": a.DependenciesCount, "vulnerabilities_count": a.VulnerabilitiesCount,
		"error": a.Error}
}

func encodePolicy(p Policy) map[string]any {
	return map[string]any{"id": p.ID, "name": p.Name, "description": p.Description,
		"stages": p.Stages, "level": p.Level, "is_active": p.IsActive, "is_blocks_build": p.IsBlocksBuild,
		"block_delay": float64(p.BlockDelay/time.Second) / (24 * 60 * 60)}
}

func encodeAlert(a Alert) map[string]any {
	m := map[string]any{"id": a.ID, "policy": a.Policy, "policy_name": a.PolicyName, "level": a.Level,
		"stage": a.Stage, "status": a.Status, "dependency_purl": a.DependencyPurl,
		"dependency_name": a.DependencyName, "dependency_version": a.DependencyVersion,
		"technology": a.Technology, "relation": a.Relation, "vulnerability_code": a.VulnerabilityCode,
		"vulnerability_link": a.VulnerabilityLink, "license_code": a.LicenseCode,
		"max_fixed_version": a.MaxFixedVersion, "matched_criteria": a.MatchedCriteria,
		"first_triggered_at": encTime(a.FirstTriggeredAt), "created_at": encTime(a.CreatedAt)}
	if a.IsBlocksBuild != nil {
		m["is_blocks_build"] = *a.IsBlocksBuild
	}
	return m
}

// FuzzDecodeErrorBody reads any error answer. It must not panic, and the
// APIError built from it must stay on one line, so that the report can put
// it into a workflow command.
func FuzzDecodeErrorBody(f *testing.F) {
	c := &Client{token: testToken}
	f.Fuzz(func(t *testing.T, data []byte, status int) {
		status = 400 + (status%200+200)%200
		r := &request{method: http.MethodGet, url: mustURL(t, "https://cs.example.com/api/projects/1/")}
		e := c.newAPIError(r, &response{status: status, contentType: "application/json", body: data})
		msg := e.Error()
		if strings.ContainsAny(msg, "\r\n") {
			t.Fatalf("APIError message has a line break: %q", msg)
		}
		if body, ok := decodeErrorBody(data); ok && body.Detail != "" && !e.NotJSON && e.Detail == "" {
			t.Fatalf("detail %q lost", body.Detail)
		}
	})
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

package resultfile

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

// TestSetFiles: a run over several projects is one document with the run's
// verdict and summed counts, every finding, and each project's own result;
// JUnit and Code Quality name the project of each suite and issue.
func TestSetFiles(t *testing.T) {
	t.Parallel()
	outs := monorepoOutcomes()
	in := Input{Outcomes: outs, ExitCode: 2, Version: "v1.2.3"}
	doc := NewDocument(in)
	if doc.Verdict != "error" || doc.Project != nil || doc.Analysis != nil || len(doc.Projects) != 3 {
		t.Fatalf("document: verdict %s, project %v, analysis %v, %d projects", doc.Verdict, doc.Project, doc.Analysis, len(doc.Projects))
	}
	sum, findings := 0, 0
	for i, p := range doc.Projects {
		one := NewDocument(Input{Outcome: outs[i]})
		if p.Verdict != one.Verdict || p.Counts != one.Counts || len(p.Findings) != len(one.Findings) || p.Configured != outs[i].Config.Project {
			t.Errorf("projects[%d] = %s %+v (%d findings), want its own document's", i, p.Verdict, p.Counts, len(p.Findings))
		}
		sum += p.Counts.Blocking
		findings += len(p.Findings)
	}
	if doc.Counts.Blocking != sum || len(doc.Findings) != findings || sum == 0 {
		t.Errorf("counts.blocking %d, %d findings; want the sums %d and %d", doc.Counts.Blocking, len(doc.Findings), sum, findings)
	}
	if doc.Error == nil || doc.Error.Message != "1 of 3 projects could not be decided: @acme/web-checkout" || doc.Projects[2].Error == nil {
		t.Errorf("error = %+v", doc.Error)
	}
	if one := NewDocument(Input{Outcomes: outs[:1], ExitCode: 1}); one.Projects != nil || one.Project == nil {
		t.Errorf("one outcome in Outcomes is not a run of one project")
	}

	b, err := JUnit(in)
	if err != nil {
		t.Fatal(err)
	}
	j := parseJUnit(t, b)
	prefixes := map[string]int{}
	for _, s := range j.Suites {
		name, _, _ := strings.Cut(s.Name, ": ")
		prefixes[name]++
	}
	if prefixes["payments-service"] == 0 || prefixes["payments-gateway"] == 0 || prefixes["@acme/web-checkout"] != 1 || len(prefixes) != 3 {
		t.Errorf("JUnit suites per project = %v", prefixes)
	}

	b, err = CodeQuality(in)
	if err != nil {
		t.Fatal(err)
	}
	var issues []codeQualityIssue
	if err := json.Unmarshal(b, &issues); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	shared := 0
	for _, is := range issues {
		if seen[is.Fingerprint] {
			t.Errorf("fingerprint %s twice", is.Fingerprint)
		}
		seen[is.Fingerprint] = true
		if strings.HasPrefix(is.Description, "payments-gateway: ") || strings.HasPrefix(is.Description, "payments-service: Medium CVEs") {
			shared++
		}
	}
	if shared < 2 {
		t.Errorf("the warning both projects have is %d issues, want one each", shared)
	}
	if gate.SetVerdict(outs) != gate.VerdictError {
		t.Errorf("fixture: want an error run")
	}
}

package app

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"
	"unicode/utf8"

	"github.com/codescoring-gate/codescoring-gate/internal/githubpr"
	"github.com/codescoring-gate/codescoring-gate/internal/report"
	"github.com/codescoring-gate/codescoring-gate/internal/resultfile"
	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// projectsOut parses the projects output.
func projectsOut(t *testing.T, r runnertest.Result) []projectResult {
	t.Helper()
	var ps []projectResult
	if err := json.Unmarshal([]byte(r.Outputs["projects"]), &ps); err != nil {
		t.Fatalf("projects output %q is not a JSON array: %v", r.Outputs["projects"], err)
	}
	return ps
}

// TestProjectsPassAndFail gates two projects of the demo (one per line)
// through Main on a pull request: the one with blocking alerts fails the
// run, the clean one passes; the outputs combine them and list both; one
// comment has the table and a section for each.
func TestProjectsPassAndFail(t *testing.T) {
	t.Parallel()
	sim, url := startSim(t, nil)
	gh := runnertest.NewGitHub(t, ghCanary)
	env := actionEnv(t, map[string]string{"url": url, "token": canary, "project": "payments-service\npayments-gateway", "wait-timeout": "1m"}, gh)

	r := runMain(t, context.Background(), nil, env)
	if r.Code != exitFail {
		t.Fatalf("exit code = %d, want %d\n%s", r.Code, exitFail, r.All())
	}
	for k, v := range map[string]string{"verdict": "fail", "blocking-count": "4", "warning-count": "3", "upcoming-count": "2",
		"analysis-id": "", "report-url": "", "reused": "false"} {
		if got := r.Outputs[k]; got != v {
			t.Errorf("output %s = %q, want %q", k, got, v)
		}
	}
	ps := projectsOut(t, r)
	if len(ps) != 2 {
		t.Fatalf("projects output has %d entries, want 2: %s", len(ps), r.Outputs["projects"])
	}
	want := []struct {
		project, name, verdict string
		id                     int64
		blocking               int
	}{{"payments-service", "payments-service", "fail", 340, 4}, {"payments-gateway", "payments-gateway", "pass", 352, 0}}
	for i, w := range want {
		p := ps[i]
		if p.Project != w.project || p.Name != w.name || p.Verdict != w.verdict || p.ID == nil || *p.ID != w.id || p.Blocking != w.blocking {
			t.Errorf("projects[%d] = %+v, want %+v", i, p, w)
		}
		if p.AnalysisID == nil || p.ReportURL == nil || *p.ReportURL != url+"/projects/"+strconv.FormatInt(w.id, 10) {
			t.Errorf("projects[%d] analysis/report = %v/%v, want both (report %s/projects/%d)", i, p.AnalysisID, p.ReportURL, url, w.id)
		}
	}
	if len(sim.AnalysisIDs(340)) != 1 || len(sim.AnalysisIDs(352)) != 1 {
		t.Errorf("analyses: 340 %v, 352 %v; want one each", sim.AnalysisIDs(340), sim.AnalysisIDs(352))
	}
	for _, s := range []string{"[payments-service] ", "[payments-gateway] ", "project payments-service, payments-gateway (2 projects), ref"} {
		if !strings.Contains(r.Stdout, s) {
			t.Errorf("the log lacks %q:\n%s", s, r.Stdout)
		}
	}

	ours := gh.Ours()
	if len(ours) != 1 {
		t.Fatalf("%d comments, want 1 for the set", len(ours))
	}
	body := ours[0]
	for _, s := range []string{
		"### ❌ CodeScoring gate: fail · 2 projects",
		"1 of 2 projects block the build: payments-service.",
		"| Project | Verdict | Blocking | Warnings | Upcoming |",
		"| [payments-service](" + url + "/projects/340) | ❌\u00a0fail | 4 | 3 | 2 |",
		"| [payments-gateway](" + url + "/projects/352) | ✅\u00a0pass | 0 | 0 | 0 |",
		"#### ❌ payments-service: fail", "#### ✅ payments-gateway: pass", "log4j-core",
		`"projects":"payments-service,payments-gateway"`,
	} {
		if !strings.Contains(body, s) {
			t.Errorf("the comment lacks %q:\n%s", s, body)
		}
	}
	if strings.Index(body, "| Project |") > strings.Index(body, "#### ❌ payments-service") {
		t.Errorf("the table is not before the sections")
	}
	for _, s := range []string{"## ❌ CodeScoring gate: fail · 2 projects", "| Analysis |", "### ✅ payments-gateway: pass"} {
		if !strings.Contains(r.Summary, s) {
			t.Errorf("the job summary lacks %q:\n%s", s, r.Summary)
		}
	}
	if n := strings.Count(r.Stdout, "::error title=payments-service%3A "); n == 0 || strings.Count(r.Stdout, "::error ")+strings.Count(r.Stdout, "::warning ")+strings.Count(r.Stdout, "::notice ") > 10 {
		t.Errorf("annotations: %d of payments-service, want some and at most 10 in all:\n%s", n, r.Stdout)
	}
	for _, s := range []string{"── project 1 of 2: payments-service", "── project 2 of 2: payments-gateway", "CodeScoring gate: FAIL (2 projects)"} {
		if !strings.Contains(r.Stdout, s) {
			t.Errorf("the terminal report lacks %q", s)
		}
	}

	// A project added to the list edits the same comment.
	env3 := actionEnv(t, map[string]string{"url": url, "token": canary, "project": "payments-service, payments-gateway, payments-service-legacy", "wait-timeout": "1m"}, gh)
	env3["GITHUB_OUTPUT"], env3["GITHUB_STEP_SUMMARY"] = env["GITHUB_OUTPUT"]+"3", env["GITHUB_STEP_SUMMARY"]+"3"
	if r3 := runMain(t, context.Background(), nil, env3); r3.Code != exitFail {
		t.Fatalf("three projects: exit %d\n%s", r3.Code, r3.All())
	}
	if ours := gh.Ours(); len(ours) != 1 || !strings.Contains(ours[0], "3 projects") {
		t.Errorf("after adding a project: %d comments (want 1, of 3 projects)", len(ours))
	}
}

// TestProjectsIDsAndNames gates a comma-separated list of an id and a name
// on a push: each resolves, the output names both as configured and as
// CodeScoring knows them.
func TestProjectsIDsAndNames(t *testing.T) {
	t.Parallel()
	_, url := startSim(t, nil)
	env := actionEnv(t, map[string]string{"url": url, "token": canary, "project": "352, payments-service-legacy"}, nil)
	env["GITHUB_EVENT_NAME"], env["GITHUB_REF_NAME"], env["GITHUB_HEAD_REF"] = "push", "main", ""
	r := runMain(t, context.Background(), nil, env)
	ps := projectsOut(t, r)
	if len(ps) != 2 || ps[0].Project != "352" || ps[0].Name != "payments-gateway" || ps[0].ID == nil || *ps[0].ID != 352 ||
		ps[1].Project != "payments-service-legacy" || ps[1].ID == nil || *ps[1].ID != 341 {
		t.Errorf("projects output = %s", r.Outputs["projects"])
	}
	rank := map[string]int{"pass": 0, "warn": 1, "fail": 2, "error": 3}
	worst := ps[0].Verdict
	if rank[ps[1].Verdict] > rank[worst] {
		worst = ps[1].Verdict
	}
	if r.Outputs["verdict"] != worst || r.Code != map[string]int{"pass": 0, "warn": 0, "fail": 1, "error": 2}[worst] {
		t.Errorf("verdict %s, exit %d; want the worse of the projects' (%s, %s)", r.Outputs["verdict"], r.Code, ps[0].Verdict, ps[1].Verdict)
	}
}

// TestProjectsOneErrors: one project's analysis fails while the other's
// blocks. The other is still decided; the run's verdict is error, which
// exits 2 with on-error fail and 1 (the other blocks) with on-error warn;
// the failed project's section says what failed.
func TestProjectsOneErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		onError string
		code    int
	}{{"fail", exitError}, {"warn", exitFail}} {
		t.Run("on-error "+c.onError, func(t *testing.T) {
			t.Parallel()
			sim, url := startSim(t, nil)
			if err := sim.SetLifecycle(352, simulator.Lifecycle{Outcome: simulator.OutcomeFailed, Error: "git clone failed: repository not found"}); err != nil {
				t.Fatal(err)
			}
			gh := runnertest.NewGitHub(t, ghCanary)
			reportJSON := filepath.Join(t.TempDir(), "report.json")
			env := actionEnv(t, map[string]string{"url": url, "token": canary, "project": "payments-gateway\npayments-service", "on-error": c.onError,
				"report-json": reportJSON}, gh)
			r := runMain(t, context.Background(), nil, env)
			var doc resultfile.Document
			if b, err := os.ReadFile(reportJSON); err != nil || json.Unmarshal(b, &doc) != nil {
				t.Fatalf("report-json: %v", err)
			}
			if doc.Verdict != "error" || doc.ExitCode != c.code || len(doc.Projects) != 2 || doc.Projects[0].Verdict != "error" ||
				doc.Projects[1].Verdict != "fail" || doc.Counts.Blocking != 4 || doc.Error == nil {
				t.Errorf("report-json: verdict %s exit %d, %d projects, %d blocking, error %v", doc.Verdict, doc.ExitCode, len(doc.Projects), doc.Counts.Blocking, doc.Error)
			}
			if r.Code != c.code || r.Outputs["verdict"] != "error" {
				t.Fatalf("exit %d verdict %q, want %d and error\n%s", r.Code, r.Outputs["verdict"], c.code, r.All())
			}
			ps := projectsOut(t, r)
			if len(ps) != 2 || ps[0].Verdict != "error" || ps[1].Verdict != "fail" || ps[1].Blocking != 4 {
				t.Errorf("projects = %s", r.Outputs["projects"])
			}
			if r.Outputs["blocking-count"] != "4" {
				t.Errorf("blocking-count = %q, want the other project's 4", r.Outputs["blocking-count"])
			}
			ours := gh.Ours()
			if len(ours) != 1 {
				t.Fatalf("%d comments, want 1", len(ours))
			}
			for _, s := range []string{"1 of 2 projects could not be decided: payments-gateway. 1 of 2 projects block the build: payments-service.",
				"| ❓\u00a0error | – | – | – |", "#### ❓ payments-gateway: error", "**What failed:**", "git clone failed: repository not found", "#### ❌ payments-service: fail"} {
				if !strings.Contains(ours[0], s) {
					t.Errorf("the comment lacks %q:\n%s", s, ours[0])
				}
			}
			// The tolerated outage is a warning, the other's block still an error.
			if c.onError == "warn" && (!strings.Contains(r.Stdout, "::warning title=payments-gateway%3A ") || !strings.Contains(r.Stdout, "::error title=payments-service%3A ")) {
				t.Errorf("annotations with on-error warn:\n%s", r.Stdout)
			}
		})
	}
}

// TestProjectsBadInput: every entry is checked before anything is sent:
// empty entries, duplicates (an id with leading zeros too) and an id 0,
// all reported at once with exit 2.
func TestProjectsBadInput(t *testing.T) {
	t.Parallel()
	sim, url := startSim(t, nil)
	env := actionEnv(t, map[string]string{"url": url, "token": canary, "project": "340,,payments-gateway\n0340\n0\npayments-gateway,"}, nil)
	r := runMain(t, context.Background(), nil, env)
	if r.Code != exitError || r.Outputs["verdict"] != "error" {
		t.Fatalf("exit %d verdict %q, want 2 and error", r.Code, r.Outputs["verdict"])
	}
	for _, s := range []string{
		"`project`: entry 2 of 7 is empty",
		"`project`: entry 7 of 7 is empty",
		"`project` lists \"0340\" twice (entries 1 and 4)",
		"`project` lists \"payments-gateway\" twice (entries 3 and 6)",
		"`project` \"0\" is not a valid project id",
		"5 invalid input(s); nothing was sent to CodeScoring",
	} {
		if !strings.Contains(r.Stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, r.Stderr)
		}
	}
	if n := len(sim.Requests()); n != 0 {
		t.Errorf("%d requests reached CodeScoring, want none", n)
	}
}

// TestProjectsBudget gates four projects of 5 000 alerts each: the comment
// stays within GitHub's limit, its projects table is whole, every project
// has its section, and the cut sections say so.
func TestProjectsBudget(t *testing.T) {
	t.Parallel()
	const n = 5000
	_, url := startSim(t, func(o *simulator.Options) {
		sc := simulator.LargeScenario(n)
		base := sc.Projects[0]
		alerts := sc.Alerts
		for k := 1; k <= 3; k++ {
			p := base
			p.ID, p.Name = int64(400+k), fmt.Sprintf("monorepo/services/ledger-%d", k)
			sc.Projects = append(sc.Projects, p)
			for _, a := range alerts {
				a.Project = p.ID
				sc.Alerts = append(sc.Alerts, a)
			}
		}
		for i := range sc.Projects {
			sc.Projects[i].Lifecycle = simulator.Lifecycle{}
		}
		// Policies of the own project apply to every one of the four.
		for i := range sc.Policies {
			if len(sc.Policies[i].Projects) > 0 {
				sc.Policies[i].Projects = append(sc.Policies[i].Projects, 401, 402, 403)
			}
		}
		o.Scenario = sc
	})
	gh := runnertest.NewGitHub(t, ghCanary)
	env := actionEnv(t, map[string]string{"url": url, "token": canary, "wait-timeout": "5m",
		"project": "payments-service\nmonorepo/services/ledger-1\nmonorepo/services/ledger-2\nmonorepo/services/ledger-3"}, gh)
	r := runMain(t, context.Background(), nil, env)
	if r.Code != exitFail {
		t.Fatalf("exit %d, want 1\n%s", r.Code, r.Stderr)
	}
	ours := gh.Ours()
	if len(ours) != 1 {
		t.Fatalf("%d comments, want 1", len(ours))
	}
	body := ours[0]
	if n := utf8.RuneCountInString(body); n > 65536 {
		t.Errorf("the comment has %d characters, over GitHub's 65536", n)
	}
	ps := projectsOut(t, r)
	if len(ps) != 4 {
		t.Fatalf("projects: %s", r.Outputs["projects"])
	}
	table := "| Project | Verdict | Blocking | Warnings | Upcoming |\n| --- | --- | --- | --- | --- |\n"
	for _, p := range ps {
		table += fmt.Sprintf("| [%s](%s) | ❌\u00a0fail | %d | %d | %d |\n", report.EscapeMarkdown(p.Name), *p.ReportURL, p.Blocking, p.Warning, p.Upcoming)
		if !strings.Contains(body, "#### ❌ "+report.EscapeMarkdown(p.Name)+": fail") {
			t.Errorf("no section of %s", p.Name)
		}
	}
	if !strings.Contains(body, table) {
		t.Errorf("the table is not whole; want\n%s\nin\n%s", table, body[:min(len(body), 3000)])
	}
	if !strings.Contains(body, "Some project sections below are cut to fit the comment size limit") ||
		strings.Count(body, "left out to fit the comment size limit") < 4 {
		t.Errorf("the cut sections do not say so")
	}
	if !strings.HasSuffix(strings.TrimSpace(body), "-->") {
		t.Errorf("the marker is not at the end")
	}
}

// TestProjectsGitLabNote: a GitLab merge request job over two projects
// keeps one note with the projects table, keyed by the list; one project
// more in the list edits the same note.
func TestProjectsGitLabNote(t *testing.T) {
	t.Parallel()
	_, url := startSim(t, nil)
	fake := newFakeGitLab(t)
	dir := t.TempDir()
	env := gitlabJob(t, url, fake, dir)
	env["CODESCORING_PROJECT"] = "payments-service,payments-gateway"
	r := runMain(t, context.Background(), nil, env)
	if r.Code != exitFail {
		t.Fatalf("exit %d, want 1\n%s", r.Code, r.Stderr)
	}
	notes := fake.Notes(glMR)
	if len(notes) != 1 {
		t.Fatalf("%d notes, want 1", len(notes))
	}
	m, ok := githubpr.ParseMarker(notes[0].Body)
	if !ok || m.Projects != "payments-service,payments-gateway" || m.Project != "" || m.Version != 3 {
		t.Errorf("marker %+v (%t), want version 3 keyed by the list", m, ok)
	}
	if !strings.Contains(notes[0].Body, "| Project | Verdict | Blocking | Warnings | Upcoming |") || !strings.Contains(notes[0].Body, "#### ✅ payments-gateway: pass") {
		t.Errorf("the note lacks the table or a section:\n%s", notes[0].Body)
	}
	env["CODESCORING_PROJECT"] = "payments-service\npayments-gateway\npayments-service-legacy"
	if r := runMain(t, context.Background(), nil, env); r.Code != exitFail {
		t.Fatalf("three projects: exit %d\n%s", r.Code, r.Stderr)
	}
	if notes := fake.Notes(glMR); len(notes) != 1 || !strings.Contains(notes[0].Body, "3 projects") {
		t.Errorf("after adding a project: %d notes, want 1 of 3 projects", len(notes))
	}
}

// TestProjectsDoctor: doctor checks every project of the list, one report
// each under a line naming it, and exits with the worst; --json is an
// array of the reports.
func TestProjectsDoctor(t *testing.T) {
	t.Parallel()
	_, url := startSim(t, nil)
	args := []string{"doctor", "--url", url, "--token", canary, "--project", "payments-service,payments-gatewya"}
	r := runMain(t, context.Background(), args, nil)
	if r.Code != 1 || !strings.Contains(r.Stdout, "── project 1 of 2: payments-service\n") || !strings.Contains(r.Stdout, "── project 2 of 2: payments-gatewya\n") {
		t.Errorf("exit %d, want 1 with a report per project:\n%s", r.Code, r.Stdout)
	}
	r = runMain(t, context.Background(), append(args, "--json"), nil)
	var reps []map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &reps); err != nil || len(reps) != 2 || reps[0]["ok"] != true || reps[1]["ok"] != false {
		t.Errorf("doctor --json over two projects: %v, %d reports:\n%s", err, len(reps), r.Stdout)
	}
}

// TestProjectsBound: six projects run at most four at once, and the first
// four do run together: in the log's order, at most four analyses are
// between their start and their success, and four are at some moment.
func TestProjectsBound(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testProjectsBound)
}

func testProjectsBound(t *testing.T) {
	_, tr := memSim(t, func(o *simulator.Options) {
		sc := &o.Scenario
		for k := 1; k <= 3; k++ {
			p := sc.Projects[0]
			p.ID, p.Name = int64(360+k), fmt.Sprintf("monorepo-svc-%d", k)
			sc.Projects = append(sc.Projects, p)
		}
		for i := range sc.Projects {
			// Longer than the starts of four take.
			sc.Projects[i].Lifecycle = simulator.Lifecycle{Running: 3 * time.Second}
		}
	}, nil)
	env := actionEnv(t, map[string]string{"url": memSimURL, "token": canary, "wait-timeout": "1m",
		"project": "payments-service\npayments-service-legacy\npayments-gateway\nmonorepo-svc-1\nmonorepo-svc-2\nmonorepo-svc-3"}, nil)
	env["GITHUB_EVENT_NAME"], env["GITHUB_REF_NAME"], env["GITHUB_HEAD_REF"] = "push", "main", ""
	r := runMainVia(t, context.Background(), tr, nil, env)
	if r.Code != exitFail || len(projectsOut(t, r)) != 6 {
		t.Fatalf("exit %d, projects %s", r.Code, r.Outputs["projects"])
	}
	running, most, started := 0, 0, 0
	for _, line := range strings.Split(r.Stdout, "\n") {
		switch {
		case strings.Contains(line, "] started analysis "):
			running++
			started++
			most = max(most, running)
		case strings.Contains(line, ": success"):
			running--
		}
	}
	if started != 6 || most != maxConcurrentProjects {
		t.Errorf("%d analyses started, at most %d at once; want 6 and %d\n%s", started, most, maxConcurrentProjects, r.Stdout)
	}
}

// TestProjectsBaseline: under block-on new each project is compared with
// its own baseline: payments-service's blocking alerts were all on main
// (existing: it passes), payments-gateway has none; one new alert of
// payments-service fails the run.
func TestProjectsBaseline(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		extra []simulator.AlertTemplate
		code  int
		newB  int
	}{{"all existing", nil, exitPass, 0}, {"one new", []simulator.AlertTemplate{struts}, exitFail, 1}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				_, tr := memSim(t, baselineOptions(c.extra...), runnertest.NewGitHub(t, ghCanary))
				env := memEnv(t, map[string]string{"url": memSimURL, "token": canary, "project": "payments-service,payments-gateway", "block-on": "new"})
				r := runMainVia(t, context.Background(), tr, nil, env)
				ps := projectsOut(t, r)
				if r.Code != c.code || len(ps) != 2 {
					t.Fatalf("exit %d, want %d; projects %s\n%s", r.Code, c.code, r.Outputs["projects"], r.Stdout)
				}
				if ps[0].ExistingBlocking != 4 || ps[0].NewBlocking != c.newB || r.Outputs["existing-blocking-count"] != "4" ||
					r.Outputs["new-blocking-count"] != strconv.Itoa(c.newB) {
					t.Errorf("payments-service %+v, outputs new %s existing %s; want %d new, 4 existing",
						ps[0], r.Outputs["new-blocking-count"], r.Outputs["existing-blocking-count"], c.newB)
				}
				if !strings.Contains(r.Stdout, "[payments-service] baseline: analysis 999 of main") {
					t.Errorf("payments-service's baseline is not logged:\n%s", r.Stdout)
				}
			})
		})
	}
}

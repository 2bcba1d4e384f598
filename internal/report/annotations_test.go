package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// manyPolicies is a fail outcome with n blocking policies of 3 alerts each.
func manyPolicies(n int, upcoming bool) *gate.Outcome {
	o := baseOutcome(gate.VerdictFail, gate.ModeEnforce)
	o.Decision = &gate.Decision{}
	for i := 0; i < n; i++ {
		p := &api.Policy{ID: int64(200 + i), Name: fmt.Sprintf("Policy %02d", i), Level: "critical", IsActive: true, IsBlocksBuild: true}
		for j := 0; j < 3; j++ {
			o.Decision.Blocking = append(o.Decision.Blocking,
				vuln(p, gate.Blocking, int64(1000*i+j), fmt.Sprintf("dep-%d-%d", i, j), "1.0", fmt.Sprintf("CVE-2026-%d%d", i, j), "1.1", "direct"))
		}
	}
	if upcoming {
		o.Decision.Upcoming = []gate.Finding{upcomingFinding()}
	}
	return o
}

func TestAnnotations(t *testing.T) {
	t.Parallel()
	warn := warnOutcome()
	warn.Decision.Upcoming = nil

	tests := []struct {
		name    string
		outcome *gate.Outcome
		want    []Annotation
	}{
		{
			name:    "fail",
			outcome: failOutcome(),
			want: []Annotation{
				{
					Level: LevelError,
					Title: `CodeScoring policy "No critical CVEs" blocks the build`,
					Message: "5 alerts: org.apache.logging.log4j:log4j-core 2.14.1, direct: CVE-2021-44228 https://nvd.nist.gov/vuln/detail/CVE-2021-44228 [critical 10.0] (fix: upgrade to 2.17.1); " +
						"com.fasterxml.jackson.core:jackson-databind 2.9.10.1, transitive: CVE-2020-9548 https://nvd.nist.gov/vuln/detail/CVE-2020-9548 [critical 9.8] (fix: upgrade to 2.9.10.4); " +
						"@babel/traverse 7.22.5, direct: CVE-2023-45133 https://nvd.nist.gov/vuln/detail/CVE-2023-45133 [critical 9.3] (fix: upgrade to 7.23.2); " +
						"io.opentelemetry.instrumentation:opentelemetry-spring-webmvc 1.32.0-alpha, transitive: CVE-2026-21017 https://nvd.nist.gov/vuln/detail/CVE-2026-21017 [critical 9.1] (fix: no fixed version is known; replace the dependency or ask for a policy ignore); " +
						"golang.org/x/crypto v0.28.0, direct: CVE-2024-45337 https://nvd.nist.gov/vuln/detail/CVE-2024-45337 [critical 9.1] (fix: upgrade to v0.31.0). See the job summary for details.",
				},
				{
					Level: LevelError,
					Title: `CodeScoring policy "Copyleft licenses" blocks the build`,
					Message: "2 alerts: @img/sharp-libvips-linux-x64 1.0.4, transitive: license LGPL-3.0-or-later (fix: replace the dependency, or ask for a policy ignore of license LGPL-3.0-or-later); " +
						"mysql:mysql-connector-java 8.0.33, transitive: license GPL-2.0-only (fix: replace the dependency, or ask for a policy ignore of license GPL-2.0-only). See the job summary for details.",
				},
				{
					Level:   LevelNotice,
					Title:   `1 delayed block starts blocking later`,
					Message: "from 2026-12-01 10:20 UTC, High CVEs after 30 days: github.com/golang-jwt/jwt/v4 v4.5.0, direct: CVE-2025-30204 https://nvd.nist.gov/vuln/detail/CVE-2025-30204. Fix or ignore them before then.",
				},
			},
		},
		{
			name:    "warn",
			outcome: warn,
			want: []Annotation{
				{
					Level: LevelWarning,
					Title: `CodeScoring policy "No critical CVEs" would block the build (warn mode)`,
					Message: "5 alerts: org.apache.logging.log4j:log4j-core 2.14.1, direct: CVE-2021-44228 https://nvd.nist.gov/vuln/detail/CVE-2021-44228 [critical 10.0] (fix: upgrade to 2.17.1); " +
						"com.fasterxml.jackson.core:jackson-databind 2.9.10.1, transitive: CVE-2020-9548 https://nvd.nist.gov/vuln/detail/CVE-2020-9548 [critical 9.8] (fix: upgrade to 2.9.10.4); " +
						"@babel/traverse 7.22.5, direct: CVE-2023-45133 https://nvd.nist.gov/vuln/detail/CVE-2023-45133 [critical 9.3] (fix: upgrade to 7.23.2); " +
						"io.opentelemetry.instrumentation:opentelemetry-spring-webmvc 1.32.0-alpha, transitive: CVE-2026-21017 https://nvd.nist.gov/vuln/detail/CVE-2026-21017 [critical 9.1] (fix: no fixed version is known; replace the dependency or ask for a policy ignore); " +
						"golang.org/x/crypto v0.28.0, direct: CVE-2024-45337 https://nvd.nist.gov/vuln/detail/CVE-2024-45337 [critical 9.1] (fix: upgrade to v0.31.0). See the job summary for details.",
				},
				{
					Level: LevelWarning,
					Title: `CodeScoring policy "Copyleft licenses" would block the build (warn mode)`,
					Message: "2 alerts: @img/sharp-libvips-linux-x64 1.0.4, transitive: license LGPL-3.0-or-later (fix: replace the dependency, or ask for a policy ignore of license LGPL-3.0-or-later); " +
						"mysql:mysql-connector-java 8.0.33, transitive: license GPL-2.0-only (fix: replace the dependency, or ask for a policy ignore of license GPL-2.0-only). See the job summary for details.",
				},
			},
		},
		{
			name:    "pass with an upcoming block",
			outcome: passOutcome(),
			want: []Annotation{
				{
					Level:   LevelNotice,
					Title:   `1 delayed block starts blocking later`,
					Message: "from 2026-12-01 10:20 UTC, High CVEs after 30 days: github.com/golang-jwt/jwt/v4 v4.5.0, direct: CVE-2025-30204 https://nvd.nist.gov/vuln/detail/CVE-2025-30204. Fix or ignore them before then.",
				},
			},
		},
		{
			name:    "error",
			outcome: errorOutcome(),
			want: []Annotation{{
				Level: LevelError,
				Title: "CodeScoring gate could not decide",
				Message: "What failed: analysis 977 finished with status failed CodeScoring says: git clone failed: repository not found " +
					"What to do: Check that CodeScoring can clone the repository (its VCS credentials), then re-run the job.",
			}},
		},
		{
			name:    "pass without upcoming",
			outcome: &gate.Outcome{Verdict: gate.VerdictPass, Decision: &gate.Decision{}},
			want:    nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Annotations(tc.outcome, i18n.English)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Annotations (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAnnotationsLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		policies int
		upcoming bool
		wantLen  int
		wantOwn  int    // policies with an annotation of their own
		wantRest string // title of the summing-up annotation, if any
		wantLast string // level of the last annotation
	}{
		{name: "10 policies fit", policies: 10, wantLen: 10, wantOwn: 10, wantLast: LevelError},
		{name: "11 policies: 9 and the rest", policies: 11, wantLen: 10, wantOwn: 9, wantRest: "2 more policies with 6 alerts block the build", wantLast: LevelError},
		{name: "30 policies: 9 and the rest", policies: 30, wantLen: 10, wantOwn: 9, wantRest: "21 more policies with 63 alerts block the build", wantLast: LevelError},
		{name: "9 policies and upcoming fit", policies: 9, upcoming: true, wantLen: 10, wantOwn: 9, wantLast: LevelNotice},
		{name: "10 policies and upcoming: 8, the rest, the notice", policies: 10, upcoming: true, wantLen: 10, wantOwn: 8, wantRest: "2 more policies with 6 alerts block the build", wantLast: LevelNotice},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Annotations(manyPolicies(tc.policies, tc.upcoming), i18n.English)
			if len(got) != tc.wantLen {
				t.Fatalf("%d annotations, want %d", len(got), tc.wantLen)
			}
			own := 0
			for _, a := range got {
				if strings.HasPrefix(a.Title, "CodeScoring policy ") {
					own++
				}
			}
			if own != tc.wantOwn {
				t.Errorf("%d policies have their own annotation, want %d", own, tc.wantOwn)
			}
			if tc.wantRest != "" {
				rest := got[tc.wantOwn]
				if rest.Title != tc.wantRest || rest.Level != LevelError {
					t.Errorf("summing-up annotation = %+v, want title %q at level error", rest, tc.wantRest)
				}
				if !strings.HasPrefix(rest.Message, fmt.Sprintf(`Policies: "Policy %02d" (3 alerts); `, tc.wantOwn)) {
					t.Errorf("summing-up message %q does not list the first policy left", rest.Message)
				}
			}
			if last := got[len(got)-1].Level; last != tc.wantLast {
				t.Errorf("last annotation has level %s, want %s", last, tc.wantLast)
			}
		})
	}
}

func TestAnnotationsRestInWarnMode(t *testing.T) {
	t.Parallel()
	o := manyPolicies(12, false)
	o.Verdict, o.Config.Mode = gate.VerdictWarn, gate.ModeWarn
	got := Annotations(o, i18n.English)
	if len(got) != MaxAnnotations {
		t.Fatalf("%d annotations, want %d", len(got), MaxAnnotations)
	}
	rest := got[len(got)-1]
	want := Annotation{Level: LevelWarning, Title: "3 more policies with 9 alerts would block the build (warn mode)"}
	if rest.Level != want.Level || rest.Title != want.Title {
		t.Errorf("last annotation = %s %q, want %s %q", rest.Level, rest.Title, want.Level, want.Title)
	}
}

func TestAnnotationsShort(t *testing.T) {
	t.Parallel()
	big := bigOutcome(10000)
	hostile := failOutcome()
	hostile.Decision.Blocking[0].Alert.DependencyName = strings.Repeat("é\r\n%", 2000)
	hostile.Decision.Blocking[0].Policy = &api.Policy{ID: 15, Name: strings.Repeat("ü\n", 500)}
	longErr := errorOutcome()
	longErr.Err = fmt.Errorf("%s", strings.Repeat("x\n", 3000))
	longErr.Hint = strings.Repeat("y", 3000)

	for name, o := range map[string]*gate.Outcome{"big": big, "hostile": hostile, "long error": longErr} {
		for _, a := range Annotations(o, i18n.English) {
			if len(a.Message) >= 1024 || len(a.Title) > maxTitleLen {
				t.Errorf("%s: annotation %q has a %d-byte title and a %d-byte message", name, a.Title, len(a.Title), len(a.Message))
			}
			if strings.ContainsAny(a.Title+a.Message, "\r\n") {
				t.Errorf("%s: annotation has a line break: %+v", name, a)
			}
			if !strings.HasSuffix(a.Message, ".") && !strings.Contains(a.Message, " What to do: ") {
				t.Errorf("%s: message lost its end: %q", name, a.Message)
			}
		}
	}
	if got := Annotations(big, i18n.English)[0].Message; !strings.Contains(got, "; and ") || !strings.Contains(got, " more. See the job summary") {
		t.Errorf("a long list does not say how many are left out: %q", got)
	}
}

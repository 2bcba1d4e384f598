package gate

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// Every reason Decide writes is one ReasonIn knows: each string literal on
// a line of decide.go that sets a Reason is part of a reason's format.
func TestReasonsAreKnown(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("decide.go")
	if err != nil {
		t.Fatal(err)
	}
	lit := regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)
	var formats []string
	for _, key := range reasonKeys {
		formats = append(formats, i18n.New(i18n.English).Format(key))
	}
	n := 0
	for i, line := range strings.Split(string(src), "\n") {
		if !strings.Contains(line, "Reason =") && !strings.Contains(line, "Reason:") || strings.HasPrefix(strings.TrimSpace(line), "//") {
			continue
		}
		for _, m := range lit.FindAllStringSubmatch(line, -1) {
			n++
			found := false
			for _, f := range formats {
				if strings.Contains(f, m[1]) {
					found = true
				}
			}
			if !found {
				t.Errorf("decide.go:%d: reason %q is in no reason format of ReasonIn", i+1, m[1])
			}
		}
	}
	if n < 10 {
		t.Errorf("found %d reasons in decide.go, want the dozen it has", n)
	}
}

// ReasonIn says Decide's reasons in Russian, a stage or a status inside as
// it came, days by CLDR plurals; English is the reason itself.
func TestReasonInRussian(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	for reason, want := range map[string]string{
		"policy is inactive":                    "политика неактивна",
		"a policy ignore applies":               "действует игнор политики",
		"on the baseline, not in this analysis": "в базе сравнения, но не в этом анализе",
		"stage " + "build" + " is not in the policy's stages " + stageList([]string{"source", "prod"}):                                                      "этапа build нет среди этапов политики: source, prod",
		"stage build is not in the policy's stages " + stageList(nil):                                                                                       "этапа build нет среди этапов политики: нет",
		"blocks from " + stamp(at) + " (block delay of " + days(7*24*time.Hour) + ")":                                                                       "блокирует с 2026-12-03 09:00 UTC (отложенная блокировка на 7 дней)",
		"block delay of " + days(24*time.Hour) + " ended " + stamp(at):                                                                                      "отложенная блокировка на 1 день закончилась 2026-12-03 09:00 UTC",
		"block delay of " + days(36*time.Hour) + " ended " + stamp(at):                                                                                      "отложенная блокировка на 36h0m0s закончилась 2026-12-03 09:00 UTC",
		`status "reopened" treated as active: policy is an active blocker`:                                                                                  `статус "reopened" считается активным: политика — активный блокер`,
		"already on main (block-on: new): blocks from " + stamp(at) + " (block delay of 22 days)":                                                           "уже в main (block-on: new): блокирует с 2026-12-03 09:00 UTC (отложенная блокировка на 22 дня)",
		"already on " + baseName("") + " (block-on: new): policy is an active blocker":                                                                      "уже в базе сравнения (block-on: new): политика — активный блокер",
		"policy 42 is not in the policy list; the alert says it does not block":                                                                             "политики 42 нет в списке политик; по алерту она не блокирует",
		"No commit was given, so the gate decided on the newest analysis of project payments-service (commit 9fceb02), which may not be this build's code.": "Коммит не указан, поэтому гейт принял решение по последнему анализу проекта payments-service (коммит 9fceb02), а это может быть не код этой сборки.",
		"No commit was given, so the gate decided on the newest analysis of main (commit 9fceb02), which may not be this build's code.":                     "Коммит не указан, поэтому гейт принял решение по последнему анализу main (коммит 9fceb02), а это может быть не код этой сборки.",
		"something the server said": "something the server said",
	} {
		if got := ReasonIn(reason, i18n.Russian); got != want {
			t.Errorf("ReasonIn(%q) = %q, want %q", reason, got, want)
		}
		if got := ReasonIn(reason, i18n.English); got != reason {
			t.Errorf("ReasonIn(%q, en) = %q", reason, got)
		}
	}
}

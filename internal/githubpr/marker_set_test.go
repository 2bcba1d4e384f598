package githubpr

import (
	"strings"
	"testing"
)

// TestMarkerSet: a marker of several projects is found again by a run
// whose list gained or lost a project, and by one of a project it names;
// never by a disjoint list or another job.
func TestMarkerSet(t *testing.T) {
	t.Parallel()
	set := Marker{Projects: "payments-service,payments-gateway", Workflow: "ci", Job: "gate"}
	for _, c := range []struct {
		name string
		o    Marker
		want bool
	}{
		{"same list", Marker{Projects: "payments-service,payments-gateway", Workflow: "ci", Job: "gate"}, true},
		{"a project added", Marker{Projects: "payments-service,payments-gateway,ledger", Workflow: "ci", Job: "gate"}, true},
		{"a project removed", Marker{Projects: "payments-gateway", Workflow: "ci", Job: "gate"}, true},
		{"one project of the list, as today", Marker{Project: "payments-service", ProjectID: 340, Workflow: "ci", Job: "gate"}, true},
		{"disjoint list", Marker{Projects: "ledger,billing", Workflow: "ci", Job: "gate"}, false},
		{"another project", Marker{Project: "ledger", ProjectID: 7, Workflow: "ci", Job: "gate"}, false},
		{"an old marker without a project", Marker{ProjectID: 340, Workflow: "ci", Job: "gate"}, false},
		{"another job", Marker{Projects: "payments-service,payments-gateway", Workflow: "ci", Job: "other"}, false},
	} {
		if got := set.SameKey(c.o); got != c.want {
			t.Errorf("%s: SameKey = %t, want %t", c.name, got, c.want)
		}
		if got := c.o.SameKey(set); got != c.want {
			t.Errorf("%s (reversed): SameKey = %t, want %t", c.name, got, c.want)
		}
	}
	s := set.String()
	if !strings.Contains(s, `"v":3`) || !strings.Contains(s, `"projects":"payments-service,payments-gateway"`) {
		t.Errorf("String = %s, want version 3 with the projects", s)
	}
	if m, ok := ParseMarker("x\n" + s + "\n"); !ok || m != set.withDefaults() {
		t.Errorf("ParseMarker = %+v, %t", m, ok)
	}
	if one := (Marker{Project: "payments-service", ProjectID: 340}).String(); strings.Contains(one, "projects") || !strings.Contains(one, `"v":2`) {
		t.Errorf("a one-project marker changed: %s", one)
	}
}

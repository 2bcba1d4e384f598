package e2e_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// TestEndpointNamesAgree: `simulator --serve-at` and the gate's `api-paths`
// take the same endpoint names, in the same order, so the README's example of
// a differing installation works with the names doctor prints.
func TestEndpointNamesAgree(t *testing.T) {
	t.Parallel()
	var gate, sim []string
	for _, e := range api.Endpoints() {
		gate = append(gate, e.Key)
	}
	for _, e := range simulator.ContractEndpoints {
		sim = append(sim, string(e))
	}
	if diff := cmp.Diff(gate, sim); diff != "" {
		t.Errorf("api-paths names (-) and simulator --serve-at names (+) differ:\n%s", diff)
	}
}

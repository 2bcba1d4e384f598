package api_test

import (
	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

// The gate runs against *api.Client through its Server interface; api itself
// must not import gate.
var _ gate.Server = (*api.Client)(nil)

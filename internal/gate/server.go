package gate

import (
	"context"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

// Server is what the gate needs from CodeScoring; *api.Client satisfies it.
// Methods retry transient faults themselves; an error they return is final.
type Server interface {
	// GetProject returns the project with id.
	GetProject(ctx context.Context, id int64) (*api.Project, error)
	// FindProject returns the one project whose name equals name
	// (case-insensitive), or *api.ProjectNotFoundError /
	// *api.AmbiguousProjectError.
	FindProject(ctx context.Context, name string) (*api.Project, error)
	// StartAnalysis starts an SCA analysis. When one is already running it
	// returns *api.AlreadyRunningError.
	StartAnalysis(ctx context.Context, req api.StartRequest) (*api.Analysis, error)
	// GetAnalysis returns one analysis.
	GetAnalysis(ctx context.Context, id int64) (*api.Analysis, error)
	// RecentAnalyses returns up to limit analyses of the project, newest first.
	RecentAnalyses(ctx context.Context, projectID int64, limit int) ([]api.Analysis, error)
	// BaselineAnalysis returns the newest successful analysis of the
	// project for ref, or *api.NoBaselineError when there is none.
	BaselineAnalysis(ctx context.Context, projectID int64, ref string) (*api.Analysis, error)
	// Policies returns every policy.
	Policies(ctx context.Context) ([]api.Policy, error)
	// Alerts returns every alert of the analysis.
	Alerts(ctx context.Context, projectID, analysisID int64) ([]api.Alert, error)
}

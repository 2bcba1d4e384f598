package simulator

import (
	"net/http"
)

// DefaultToken is the API token a Server accepts when Options names none.
const DefaultToken = "simulator-token"

// Role is what a token's user may do. Every role may read; starting an
// analysis needs RoleDeveloper or RoleOwner (docs/codescoring-api.md §6).
type Role string

// The roles a token can have.
const (
	RoleOwner     Role = "owner"
	RoleDeveloper Role = "developer"
	RoleReader    Role = "reader"
)

// canStart reports whether r may start an analysis.
func (r Role) canStart() bool { return r == RoleOwner || r == RoleDeveloper }

// Endpoint names one endpoint of the contract, for options that apply per
// endpoint and for the OpenAPI document.
type Endpoint string

// The endpoints a Server answers.
const (
	EndpointProject       Endpoint = "project"  // GET /api/projects/{id}/
	EndpointProjects      Endpoint = "projects" // GET /api/projects/
	EndpointStartAnalysis Endpoint = "start"    // POST /api/analyses/projects/sca/start/
	EndpointAnalysis      Endpoint = "analysis" // GET /api/analyses/projects/history/{id}/
	EndpointAnalyses      Endpoint = "analyses" // GET /api/analyses/projects/history/
	EndpointPolicies      Endpoint = "policies" // GET /api/policies/
	EndpointAlerts        Endpoint = "alerts"   // GET /api/sca/policy_alerts/
	EndpointSchema        Endpoint = "schema"   // GET /api/schema/
)

// ContractEndpoints lists the endpoints of the contract the gate uses, in the
// order of the contract. It leaves out EndpointSchema.
var ContractEndpoints = []Endpoint{
	EndpointProject, EndpointProjects, EndpointStartAnalysis,
	EndpointAnalysis, EndpointAnalyses, EndpointPolicies, EndpointAlerts,
}

// Path returns the path template of e below the installation URL, e.g.
// "/api/projects/{id}/", or "" for an unknown endpoint.
func (e Endpoint) Path() string {
	switch e {
	case EndpointProject:
		return "/api/projects/{id}/"
	case EndpointProjects:
		return "/api/projects/"
	case EndpointStartAnalysis:
		return "/api/analyses/projects/sca/start/"
	case EndpointAnalysis:
		return "/api/analyses/projects/history/{id}/"
	case EndpointAnalyses:
		return "/api/analyses/projects/history/"
	case EndpointPolicies:
		return "/api/policies/"
	case EndpointAlerts:
		return "/api/sca/policy_alerts/"
	case EndpointSchema:
		return "/api/schema/"
	}
	return ""
}

// Method returns the HTTP method of e.
func (e Endpoint) Method() string {
	if e == EndpointStartAnalysis {
		return http.MethodPost
	}
	return http.MethodGet
}

// Options configures a Server. The zero value serves an empty scenario to
// DefaultToken.
type Options struct {
	// Scenario is the data the server starts with.
	Scenario Scenario

	// Token is accepted with RoleOwner. Tokens adds tokens with their roles.
	// When both are empty, DefaultToken is accepted with RoleOwner.
	Token  string
	Tokens map[string]Role

	// Prefix mounts every path below it, e.g. "/codescoring", so that a
	// client that drops the base URL's path fails loudly. Requests outside it
	// answer 404.
	Prefix string

	// BareArrays serves every list as a bare JSON array (the complete list,
	// no pagination) instead of the paginated envelope; BareArrayEndpoints
	// does so for the named list endpoints only.
	BareArrays         bool
	BareArrayEndpoints []Endpoint

	// PK names ids "pk" instead of "id" in every object; PKEndpoints does so
	// in the objects of the named endpoints only.
	PK          bool
	PKEndpoints []Endpoint

	// RepeatLastEndpoints serves the named list endpoints as a list that
	// grows while it is paged: every page after the first begins with the
	// previous page's last item again (it holds per_page+1 items), as when
	// an item is added before it meanwhile (docs/codescoring-api.md §1).
	RepeatLastEndpoints []Endpoint

	// StringBooleans serves every boolean of policies and alerts
	// (is_active, is_blocks_build) as the string "True" or "False", as
	// installations before 2026.3.0 do (docs/codescoring-api.md §1).
	StringBooleans bool

	// StartStatus is the status of a successful start: 201 (when zero) or 202.
	StartStatus int
	// DefaultPerPage is the page size when a request names none; 20 when zero.
	DefaultPerPage int

	// NoSchema answers 404 at /api/schema/. SchemaOmit leaves endpoints out
	// of the document. SchemaAuth requires the token for it (drf-spectacular
	// serves it to anyone by default).
	NoSchema   bool
	SchemaOmit []Endpoint
	SchemaAuth bool

	// Paths serves the named endpoints at other paths, as an installation
	// that differs from the contract would, e.g. EndpointAlerts at
	// "/api/sca/alerts/" (an object endpoint's path has "{id}" where the id
	// goes). The contract's path of a moved endpoint answers 404, and the
	// OpenAPI document lists the new one.
	Paths map[Endpoint]string
}

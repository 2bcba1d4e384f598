package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Endpoint is one path of the CodeScoring contract that the client calls.
// Path is an OpenAPI-style template under the installation root, with a
// leading slash and "{id}" for the object id, as drf-spectacular writes it.
type Endpoint struct {
	// Name is the Client method that calls the endpoint.
	Name   string
	Method string
	Path   string
	// Query lists the query parameters the client sends.
	Query []string
	// Assumed is true when the vendor does not publish the path or method
	// ([assumed] in the contract); these are what an installation may differ in.
	Assumed bool
}

// endpointID indexes the endpoint table.
type endpointID int

const (
	epGetProject endpointID = iota
	epListProjects
	epStartAnalysis
	epGetAnalysis
	epListAnalyses
	epListPolicies
	epListAlerts
)

// endpoints is the one table of every path the client calls (contract §2–§5).
// A real installation that differs costs a change here only.
var endpoints = [...]Endpoint{
	epGetProject: {Name: "GetProject", Method: http.MethodGet,
		Path: "/api/projects/{id}/"},
	epListProjects: {Name: "FindProject", Method: http.MethodGet,
		Path: "/api/projects/", Query: []string{"search", "page", "per_page"}},
	epStartAnalysis: {Name: "StartAnalysis", Method: http.MethodPost,
		Path: "/api/analyses/projects/sca/start/", Assumed: true},
	epGetAnalysis: {Name: "GetAnalysis", Method: http.MethodGet,
		Path: "/api/analyses/projects/history/{id}/", Assumed: true},
	epListAnalyses: {Name: "RecentAnalyses", Method: http.MethodGet,
		Path: "/api/analyses/projects/history/", Query: []string{"project", "ordering", "page", "per_page", filterBranch, filterStatus}},
	epListPolicies: {Name: "Policies", Method: http.MethodGet,
		Path: "/api/policies/", Query: []string{"page", "per_page"}, Assumed: true},
	epListAlerts: {Name: "Alerts", Method: http.MethodGet,
		Path: "/api/sca/policy_alerts/", Query: []string{"project", "analysis", "page", "per_page"}, Assumed: true},
}

// Endpoints returns a copy of the table of every endpoint the client calls,
// in a fixed order, for `doctor` to compare with an installation's OpenAPI
// document.
func Endpoints() []Endpoint {
	out := slices.Clone(endpoints[:])
	for i := range out {
		out[i].Query = slices.Clone(out[i].Query)
	}
	return out
}

// relPath returns the endpoint's path relative to the base URL, with id in
// place of "{id}".
func (id endpointID) relPath(objectID int64) string {
	p := strings.TrimPrefix(endpoints[id].Path, "/")
	return strings.ReplaceAll(p, "{id}", strconv.FormatInt(objectID, 10))
}

func (id endpointID) method() string { return endpoints[id].Method }

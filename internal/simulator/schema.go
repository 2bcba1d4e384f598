package simulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// handleSchema serves an OpenAPI 3 document of the contract, as
// drf-spectacular does at /api/schema/ (in JSON, for a client that accepts it).
func (s *Server) handleSchema(w http.ResponseWriter, r *http.Request) {
	b, err := json.MarshalIndent(s.schema(), "", "  ")
	if err != nil {
		writeDetail(w, http.StatusInternalServerError, "encode schema: "+err.Error())
		return
	}
	ct := "application/json"
	if strings.Contains(r.Header.Get("Accept"), "application/vnd.oai.openapi+json") {
		ct = "application/vnd.oai.openapi+json"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b) // the client may be gone
}

type obj = map[string]any

// schema returns the OpenAPI document. Paths are below the installation URL,
// without Options.Prefix.
func (s *Server) schema() obj {
	paths := obj{}
	for _, e := range ContractEndpoints {
		if s.schemaOmit[e] {
			continue
		}
		item, _ := paths[s.path(e)].(obj)
		if item == nil {
			item = obj{}
			paths[s.path(e)] = item
		}
		item[strings.ToLower(e.Method())] = operation(e)
	}
	return obj{
		"openapi": "3.0.3",
		"info": obj{
			"title":       "CodeScoring API",
			"version":     "simulator",
			"description": "The contract of docs/codescoring-api.md, served by the codescoring-gate simulator.",
		},
		"paths": paths,
		"components": obj{
			"securitySchemes": obj{
				"tokenAuth": obj{"type": "apiKey", "in": "header", "name": "Authorization",
					"description": `Token-based authentication with required prefix "Token"`},
			},
			"schemas": schemas(),
		},
	}
}

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

func queryParam(name, typ, desc string) obj {
	return obj{"in": "query", "name": name, "schema": obj{"type": typ}, "description": desc}
}

func pathID(desc string) obj {
	return obj{"in": "path", "name": "id", "required": true, "schema": obj{"type": "integer"}, "description": desc}
}

var pageParams = []any{
	queryParam("page", "integer", "A page number within the paginated result set."),
	queryParam("per_page", "integer", "Number of results to return per page (1..100)."),
}

func withPaging(ps ...any) []any { return append(ps, pageParams...) }

func okJSON(schema obj) obj {
	return obj{"description": "", "content": obj{"application/json": obj{"schema": schema}}}
}

// operation describes one endpoint.
func operation(e Endpoint) obj {
	op := func(id, tag string, params []any, responses obj) obj {
		o := obj{"operationId": id, "tags": []any{tag}, "responses": responses,
			"security": []any{obj{"tokenAuth": []any{}}}}
		if params != nil {
			o["parameters"] = params
		}
		return o
	}
	ok := func(schema string) obj { return obj{"200": okJSON(ref(schema))} }
	switch e {
	case EndpointProject:
		return op("projects_retrieve", "projects",
			[]any{pathID("A unique integer value identifying this project.")}, ok("Project"))
	case EndpointProjects:
		return op("projects_list", "projects",
			withPaging(queryParam("search", "string", "A search term.")), ok("PaginatedProjectList"))
	case EndpointStartAnalysis:
		o := op("analyses_projects_sca_start_create", "analyses", nil,
			obj{"201": okJSON(ref("Analysis")), "409": okJSON(ref("AnalysisAlreadyRunning"))})
		o["requestBody"] = obj{"required": true,
			"content": obj{"application/json": obj{"schema": ref("ScaAnalysisStart")}}}
		return o
	case EndpointAnalysis:
		return op("analyses_projects_history_retrieve", "analyses",
			[]any{pathID("A unique integer value identifying this analysis.")}, ok("Analysis"))
	case EndpointAnalyses:
		return op("analyses_projects_history_list", "analyses", withPaging(
			queryParam("project", "integer", ""),
			queryParam("ordering", "string", "Which field to use when ordering the results.")),
			ok("PaginatedAnalysisList"))
	case EndpointPolicies:
		return op("policies_list", "policies", withPaging(), ok("PaginatedPolicyList"))
	case EndpointAlerts:
		return op("sca_policy_alerts_list", "sca", withPaging(
			queryParam("project", "integer", ""),
			queryParam("analysis", "integer", "")), ok("PaginatedPolicyAlertList"))
	}
	return obj{"security": []any{obj{"tokenAuth": []any{}}}}
}

func props(kv ...any) obj {
	p := obj{}
	for i := 0; i+1 < len(kv); i += 2 {
		p[kv[i].(string)] = kv[i+1]
	}
	return p
}

func typ(t string) obj          { return obj{"type": t} }
func nullableType(t string) obj { return obj{"type": t, "nullable": true} }
func dateTime(null bool) obj {
	return obj{"type": "string", "format": "date-time", "nullable": null}
}
func arrayOf(items obj) obj { return obj{"type": "array", "items": items} }

func paginated(item string) obj {
	return obj{"type": "object", "required": []any{"count", "results"}, "properties": props(
		"count", typ("integer"),
		"next", obj{"type": "string", "format": "uri", "nullable": true},
		"previous", obj{"type": "string", "format": "uri", "nullable": true},
		"results", arrayOf(ref(item)),
	)}
}

func schemas() obj {
	return obj{
		"Project": obj{"type": "object", "properties": props(
			"id", typ("integer"), "name", typ("string"), "project_type", typ("string"),
			"repository", typ("string"), "policy_stage", typ("string"))},
		"ScaAnalysisStart": obj{"type": "object", "required": []any{"project"}, "properties": props(
			"project", typ("integer"), "branch_or_tag", typ("string"), "commit", typ("string"))},
		"Analysis": obj{"type": "object", "properties": props(
			"id", typ("integer"), "project", typ("integer"),
			"status", obj{"type": "string", "enum": []any{"pending", "in_progress", "success", "failed", "canceled"}},
			"branch_or_tag", typ("string"), "commit", typ("string"),
			"started_at", dateTime(false), "finished_at", dateTime(true),
			"dependencies_count", typ("integer"), "vulnerabilities_count", typ("integer"),
			"error", nullableType("string"))},
		"AnalysisAlreadyRunning": obj{"type": "object", "properties": props(
			"detail", typ("string"), "analysis_id", typ("integer"))},
		"Policy": obj{"type": "object", "properties": props(
			"id", typ("integer"), "name", typ("string"), "description", typ("string"),
			"stages", arrayOf(obj{"type": "string", "enum": []any{"dev", "source", "build", "stage", "test", "prod", "proxy"}}),
			"level", obj{"type": "string", "enum": []any{"info", "warning", "critical"}},
			"proprietors", arrayOf(typ("integer")), "projects", arrayOf(typ("integer")),
			"conditions", typ("object"), "conditions_connector", typ("string"),
			"is_active", typ("boolean"), "is_blocks_build", typ("boolean"),
			"block_delay", nullableType("integer"))},
		"PolicyAlert": obj{"type": "object", "properties": props(
			"id", typ("integer"), "policy", typ("integer"), "policy_name", typ("string"),
			"level", typ("string"), "stage", typ("string"),
			"status", obj{"type": "string", "enum": []any{"active", "ignored", "resolved"}},
			"is_blocks_build", typ("boolean"),
			"dependency_purl", typ("string"), "dependency_name", typ("string"),
			"dependency_version", typ("string"), "technology", typ("string"), "relation", typ("string"),
			"vulnerability_code", nullableType("string"), "vulnerability_link", nullableType("string"),
			"license_code", nullableType("string"), "max_fixed_version", nullableType("string"),
			"matched_criteria", arrayOf(typ("string")),
			"first_triggered_at", dateTime(true), "created_at", dateTime(false))},
		"PaginatedProjectList":     paginated("Project"),
		"PaginatedAnalysisList":    paginated("Analysis"),
		"PaginatedPolicyList":      paginated("Policy"),
		"PaginatedPolicyAlertList": paginated("PolicyAlert"),
	}
}

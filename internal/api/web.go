package api

import (
	"net/url"
	"strconv"
)

// projectPagePath is the web page of a project in the CodeScoring UI
// [assumed: the UI's route is not published]; used for links in reports.
const projectPagePath = "projects/{id}"

// ProjectPageURL returns the project's page in the CodeScoring UI under the
// installation root base.
func ProjectPageURL(base *url.URL, projectID int64) string {
	if base == nil || projectID <= 0 {
		return ""
	}
	rel := &url.URL{Path: replaceID(projectPagePath, projectID)}
	return base.ResolveReference(rel).String()
}

func replaceID(p string, id int64) string {
	out := ""
	for i := 0; i < len(p); i++ {
		if p[i] == '{' && len(p) >= i+4 && p[i:i+4] == "{id}" {
			out += strconv.FormatInt(id, 10)
			i += 3
			continue
		}
		out += string(p[i])
	}
	return out
}

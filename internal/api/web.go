package api

import (
	"net/url"
	"strconv"
	"strings"
)

// projectPagePath is the web page of a project in the CodeScoring UI
// [assumed: the UI's routes are not published]; used for links in reports.
const projectPagePath = "projects/{id}"

// ProjectPageURL returns the project's page in the CodeScoring UI under the
// installation root base, or "" when base or the id is unknown.
func ProjectPageURL(base *url.URL, projectID int64) string {
	if base == nil || projectID <= 0 {
		return ""
	}
	rel := &url.URL{Path: strings.ReplaceAll(projectPagePath, "{id}", strconv.FormatInt(projectID, 10))}
	return base.ResolveReference(rel).String()
}

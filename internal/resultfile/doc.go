// Package resultfile writes the gate's outcome as files that CI systems read
// without knowing the gate: a versioned JSON document (report-json), JUnit
// XML (report-junit: GitLab's merge request test summary, Jenkins' junit
// step, Azure Pipelines, TeamCity) and GitLab Code Quality JSON
// (report-codequality: GitLab's merge request widget).
//
// Each renderer is pure: the same Input always gives the same bytes. Write
// puts them on disk. The package reads the gate's Outcome and never talks to
// a server.
package resultfile

// Package gitlab is the GitLab adapter of the gate: it keeps one note per
// (project, job, stage) on a merge request, found again by the same hidden
// marker as the GitHub comment (githubpr.Marker) and edited in place only
// when its text changed.
//
// It is given an already-rendered note body and never imports the gate or
// the report packages. It talks to GitLab through narrow interfaces with
// the exact method signatures of gitlab.com/gitlab-org/api/client-go/v2, so
// tests use tiny fakes and *gitlab.Client's services satisfy them.
package gitlab

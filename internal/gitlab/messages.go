package gitlab

import (
	"fmt"

	"github.com/codescoring-gate/codescoring-gate/internal/githubpr"
)

// The human-facing texts of the package, in one place.

const (
	msgPolicyNever     = "comment policy is never: the merge request note is left alone"
	msgOnFailureClean  = "comment policy is on-failure and nothing fails: no merge request note posted"
	msgCertificateHint = "GitLab's TLS certificate is not trusted: the runner passes its CA in CI_SERVER_TLS_CA_FILE when it is registered with tls-ca-file"
	msgNotFoundHint    = "GitLab answered 404: the merge request or project is not visible to the token (check CI_MERGE_REQUEST_PROJECT_ID and that the token's user is a member)"
	// msgWhichToken says which token can write merge request notes.
	msgWhichToken = "Create a project access token with the `api` scope and the Reporter role (Settings → Access tokens; a group or personal one works too) " +
		"and store it as a masked CI/CD variable GITLAB_TOKEN; meanwhile the result is in the job log and the report files."
)

func msgJobTokenOnly(req Request) string {
	return fmt.Sprintf("no merge request note on %s: the only GitLab token is CI_JOB_TOKEN, which can read merge request notes but not write them. %s", req.name(), msgWhichToken)
}

func msgDenied(code int, what string, req Request) string {
	why := "the token may not"
	if code == 401 {
		why = "GitLab rejected the token (wrong, expired or revoked), so it may not"
	}
	return fmt.Sprintf("GitLab answered %d: %s %s %s. %s", code, why, what, req.name(), msgWhichToken)
}

func msgGuardUnchecked(req Request, code int) string {
	return fmt.Sprintf("could not read %s to check that no newer pipeline is analysing a newer commit (GitLab answered %d); the note was written anyway", req.name(), code)
}

func msgStale(analysed, head string) string {
	return fmt.Sprintf("the merge request note was left alone: this pipeline analysed commit %s, but the merge request's head is now %s, which a newer pipeline is analysing; that pipeline will update the note",
		githubpr.ShortSHA(analysed), githubpr.ShortSHA(head))
}

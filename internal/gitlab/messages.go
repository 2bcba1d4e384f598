package gitlab

import (
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/githubpr"
)

// The human-facing texts of the package, in one place: what a Result says
// is a message of the i18n catalogs (mr.*), said in the reader's language
// where it is shown; the hints of errors are English.

const (
	msgCertificateHint = "GitLab's TLS certificate is not trusted: the runner passes its CA in CI_SERVER_TLS_CA_FILE when it is registered with tls-ca-file"
	msgNotFoundHint    = "GitLab answered 404: the merge request or project is not visible to the token (check CI_MERGE_REQUEST_PROJECT_ID and that the token's user is a member)"
)

// said is the request's merge request in words, for a Result's message.
func (r Request) said() gate.Text { return gate.Say("mr.name", r.MergeRequest, r.Project) }

func msgJobTokenOnly(req Request) gate.Text {
	return gate.Say("mr.jobtoken", req.said(), gate.Say("mr.whichtoken"))
}

func msgDenied(code int, what gate.Text, req Request) gate.Text {
	why := gate.Say("mr.denied.may")
	if code == 401 {
		why = gate.Say("mr.denied.rejected")
	}
	return gate.Say("mr.denied", code, why, what, req.said(), gate.Say("mr.whichtoken"))
}

func msgGuardUnchecked(req Request, code int) gate.Text {
	return gate.Say("mr.unchecked", req.said(), code)
}

func msgStale(analysed, head string) gate.Text {
	return gate.Say("mr.stale", githubpr.ShortSHA(analysed), githubpr.ShortSHA(head))
}

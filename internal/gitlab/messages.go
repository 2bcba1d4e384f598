package gitlab

import (
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/githubpr"
)

// The human-facing texts of the package, in one place: what a Result says
// is a message of the i18n catalogs (mr.*), said in the reader's language
// where it is shown, and so are the steps and hints of its errors (step).

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

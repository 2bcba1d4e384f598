// Package githubpr is the GitHub adapter of the gate: it reads the pull
// request from the Actions event payload and keeps one sticky comment per
// (project, workflow, job) on it, edited in place on every run.
//
// It is given an already-rendered comment body and never imports the gate or
// the report packages. It talks to GitHub through narrow interfaces with
// go-github's exact method signatures, so tests use tiny fakes and
// *github.Client's services satisfy them.
package githubpr

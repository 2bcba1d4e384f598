// Package runnertest runs the gate as the GitHub runner does, for tests: the
// environment of the action's step (INPUT_ variables with action.yml's
// defaults, the workflow's GITHUB_ variables), the GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files and their parsing, pull_request event payloads,
// and a fake GitHub API for one pull request's comments.
//
// It does not call the gate itself: internal/app's own tests use it, so it
// must not import internal/app. The caller hands Step.Getenv, Step.Stdout
// and Step.Stderr to app.Main (or Step.Environ to the built binary) and the
// exit code to Step.Result.
//
// Every run is on the same repository, pull request and commits (Repository,
// PullNumber, HeadRef, HeadSHA, MergeSHA), so that a test can name them in
// what it expects.
package runnertest

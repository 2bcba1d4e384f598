package app

import "fmt"

// fileCommand runs go-githubactions file commands (SetOutput,
// AddStepSummary, which append to the files the runner names in
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY) and returns the failure to write
// one, which they panic with, as an error: a file the runner cannot take is
// reported, never a crash.
func fileCommand(commands func()) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if e, ok := p.(error); ok {
				err = e
			} else {
				err = fmt.Errorf("%v", p)
			}
		}
	}()
	commands()
	return nil
}

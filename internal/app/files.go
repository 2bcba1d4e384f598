package app

import "os"

// appendFile appends s to the file at path, as the runner's file commands
// (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) expect.
func appendFile(path, s string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(s); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

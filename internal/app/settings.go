package app

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// envName is the environment variable that sets an input outside GitHub
// Actions, e.g. CODESCORING_WAIT_TIMEOUT.
func envName(name string) string {
	return "CODESCORING_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// actionEnvNames are the variables the GitHub runner sets for an action
// input: INPUT_ and the upper-cased name with its hyphens kept
// (INPUT_WAIT-TIMEOUT); the underscore form is read too, for tools that
// cannot set a name with a hyphen.
func actionEnvNames(name string) []string {
	up := strings.ToUpper(strings.ReplaceAll(name, " ", "_"))
	names := []string{"INPUT_" + up}
	if alt := strings.ReplaceAll(up, "-", "_"); alt != up {
		names = append(names, "INPUT_"+alt)
	}
	return names
}

// newFlagSet declares one flag per input; values are strings so that a
// flag, an action input and an environment variable parse the same way.
func newFlagSet(name string, out io.Writer) (*flag.FlagSet, map[string]*string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	vals := make(map[string]*string, len(inputs))
	for _, in := range inputs {
		// Defaults are applied in resolveSettings, so flag's own default
		// stays empty and --help never shows a secret.
		vals[in.Name] = fs.String(in.Name, "", in.Usage)
	}
	return fs, vals
}

// resolveSettings gives each input its value: a flag set on the command line,
// else the GitHub Action input, else CODESCORING_<NAME>, else the default.
func resolveSettings(fs *flag.FlagSet, vals map[string]*string, getenv func(string) string) settings {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	s := settings{}
	for _, in := range inputs {
		v := ""
		if set[in.Name] {
			v = *vals[in.Name]
		}
		for _, k := range actionEnvNames(in.Name) {
			if v == "" {
				v = getenv(k)
			}
		}
		if v == "" {
			v = getenv(envName(in.Name))
		}
		v = strings.TrimSpace(v)
		if v == "" {
			v = in.Default
		}
		s[in.Name] = v
	}
	return s
}

// usage is the text of --help.
func usage(w io.Writer, version string) {
	fmt.Fprintf(w, `codescoring-gate %s: gate a build on the policies of a CodeScoring server.

Usage:
  codescoring-gate [gate] [flags]          run the gate (the default command)
  codescoring-gate doctor [--json] [flags]  check that the installation, token and project fit
                                           the gate; changes nothing (exit 0 ok, 1 a check failed)
  codescoring-gate demo [--stage S] [--mode M]
                                           run the gate against a built-in simulator
  codescoring-gate simulator [--listen A]  serve a CodeScoring simulator (default 127.0.0.1:8080)
  codescoring-gate version                 print the version (also --version or -v, anywhere)
  codescoring-gate help                    print this help

Flags may come before or after the command. mode, comment and on-error
take their values in any case.

The gate starts an SCA analysis of the project (or attaches to one that is
running), waits for it, reads the policies and alerts, decides and reports.

Flags (each also read from the GitHub Action input of the same name, then
from the environment variable CODESCORING_<NAME>, e.g. CODESCORING_WAIT_TIMEOUT):
`, version)
	for _, in := range inputs {
		def := ""
		if in.Default != "" {
			def = fmt.Sprintf(" (default %q)", in.Default)
		}
		fmt.Fprintf(w, "  --%s\n        %s%s\n", in.Name, in.Usage, def)
	}
	fmt.Fprintf(w, `
Verdicts and exit codes:
  pass   nothing blocks                                 exit 0
  warn   something blocks, but mode is warn             exit 0
  fail   something blocks (mode enforce)                exit 1
  error  the gate could not decide (server, network,
         timeout, bad input)                            exit 2 (0 with --on-error warn for
                                                        an outage; a configuration error
                                                        and cancellation always exit 2)

In GitHub Actions the gate also writes the step outputs (%s),
the job summary, annotations and, on pull requests, one PR comment. In a GitLab
merge request pipeline (CI_MERGE_REQUEST_IID) it keeps one merge request note,
written with --gitlab-token or GITLAB_TOKEN. --report-json, --report-junit and
--report-codequality write result files in any CI, also on error.
`, outputNames())
}

func outputNames() string {
	names := make([]string, len(outputs))
	for i, o := range outputs {
		names[i] = o.Name
	}
	return strings.Join(names, ", ")
}

package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/codescoring-gate/codescoring-gate/internal/doctor"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

// doctor checks the installation, token and project and prints one line per
// check; it never starts an analysis. Exit 0 all passed, 1 a check failed,
// 2 doctor could not run. With several projects it checks each, one report
// after the other under a line naming the project (with --json an array of
// the reports), and exits with the worst code.
func (r *runner) doctor(ctx context.Context, cfg *Config, jsonOut bool) int {
	projects := cfg.Projects
	if len(projects) == 0 {
		projects = []string{cfg.Gate.Project}
	}
	var text, js strings.Builder
	code := exitPass
	for i, project := range projects {
		rep, err := doctor.Run(ctx, doctor.Options{
			URL:       cfg.URL,
			Token:     cfg.Token,
			Project:   project,
			Stage:     cfg.Gate.Stage,
			Paths:     cfg.APIPaths,
			CACert:    cfg.CACert,
			Version:   version,
			Audience:  gate.Audience{Actions: r.env.Actions, Lang: cfg.Language},
			Transport: r.sys.Transport,
		})
		if err != nil {
			fmt.Fprintf(r.stderr, "codescoring-gate doctor: %v\n", err)
			return exitError
		}
		if len(projects) > 1 {
			if i > 0 {
				text.WriteString("\n")
			}
			fmt.Fprintf(&text, "── project %d of %d: %s\n", i+1, len(projects), project)
		}
		if err := doctor.WriteTextIn(&text, rep, cfg.Language, terminalOptions(r.sys.Stdout, r.sys.Getenv).Width); err != nil {
			fmt.Fprintf(r.stderr, "codescoring-gate doctor: %v\n", err)
			return exitError
		}
		var one strings.Builder
		if err := doctor.WriteJSON(&one, rep); err != nil {
			fmt.Fprintf(r.stderr, "codescoring-gate doctor: %v\n", err)
			return exitError
		}
		if i > 0 {
			js.WriteString(",\n")
		}
		js.WriteString(strings.TrimRight(one.String(), "\n"))
		code = max(code, rep.ExitCode())
	}
	if jsonOut {
		out := js.String() + "\n"
		if len(projects) > 1 {
			out = "[\n" + js.String() + "\n]\n"
		}
		fmt.Fprint(r.stdout, out)
	} else {
		fmt.Fprint(r.stdout, text.String())
	}
	if r.env.Actions && r.env.StepSummary != "" {
		summary := "## " + r.tr("CodeScoring doctor") + "\n\n```text\n" + strings.ReplaceAll(text.String(), "```", "'''") + "```\n"
		if err := fileCommand(func() { r.gha.AddStepSummary(r.red.String(strings.TrimSuffix(summary, "\n"))) }); err != nil {
			r.warn("Job summary", fmt.Sprintf(r.tr("write the job summary: %v"), err))
		}
	}
	return code
}

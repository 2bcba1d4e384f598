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
// 2 doctor could not run.
func (r *runner) doctor(ctx context.Context, cfg *Config, jsonOut bool) int {
	rep, err := doctor.Run(ctx, doctor.Options{
		URL:        cfg.URL,
		Token:      cfg.Token,
		Project:    cfg.Gate.Project,
		Stage:      cfg.Gate.Stage,
		Paths:      cfg.APIPaths,
		CACert:     cfg.CACert,
		Version:    version,
		HTTPClient: nil,
		Audience:   gate.Audience{Actions: r.env.Actions},
	})
	if err != nil {
		fmt.Fprintf(r.stderr, "codescoring-gate doctor: %v\n", err)
		return exitError
	}
	var text strings.Builder
	if err := doctor.WriteTextIn(&text, rep, cfg.Language); err != nil {
		fmt.Fprintf(r.stderr, "codescoring-gate doctor: %v\n", err)
		return exitError
	}
	if jsonOut {
		if err := doctor.WriteJSON(r.stdout, rep); err != nil {
			fmt.Fprintf(r.stderr, "codescoring-gate doctor: %v\n", err)
			return exitError
		}
	} else {
		fmt.Fprint(r.stdout, text.String())
	}
	if r.env.Actions && r.env.StepSummary != "" {
		summary := "## CodeScoring doctor\n\n```text\n" + strings.ReplaceAll(text.String(), "```", "'''") + "```\n"
		if err := appendFile(r.env.StepSummary, r.red.String(summary)); err != nil {
			r.warn("Job summary", fmt.Sprintf("write the job summary: %v", err))
		}
	}
	return rep.ExitCode()
}

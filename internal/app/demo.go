package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// demoScenario is the demo's data: analyses take about 5 s, long enough to
// show progress lines; main has a successful analysis, the baseline of the
// demo's pull request. Tests replace it.
var demoScenario = simulator.BaselineDemoScenario

// runDemo starts the simulator in-process with a sample project and runs the
// gate against it, as a CI job would, in the terminal.
func runDemo(ctx context.Context, args []string, sys System) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(sys.Stderr)
	stage := fs.String("stage", "", "policy stage to gate on, e.g. source or build")
	mode := fs.String("mode", "enforce", "enforce or warn")
	blockOn := fs.String("block-on", "all", "all, or new: only alerts that main does not have block")
	lang := fs.String("language", "en", "language of the report: "+strings.Join(i18n.Names(), " or "))
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitError
	}
	language, err := i18n.Parse(*lang)
	if err != nil {
		fmt.Fprintf(sys.Stderr, "demo: %v\n", err)
		return exitError
	}
	p := i18n.New(language)
	cmd := demoCommand(sys.Program)
	if language != i18n.English {
		cmd += " --language " + string(language)
	}
	sim := simulator.New(simulator.Options{Scenario: demoScenario()})
	base, err := sim.Start("127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(sys.Stderr, "demo: start the simulator: %v\n", err)
		return exitError
	}
	defer sim.Close()

	fmt.Fprintln(sys.Stdout, p.T("demo.listens", base))
	fmt.Fprintf(sys.Stdout, p.T("demo.running")+" %s --url %s --token *** --project payments-service --ref feature/login --commit 9fceb02d0ae5 --baseline-ref main --block-on %s --mode %s%s\n\n", strings.TrimSuffix(demoCommand(sys.Program), " demo"), strings.TrimSuffix(base, "/"), *blockOn, *mode, stageFlag(*stage))

	// The demo reads nothing from the real environment: it is a terminal run
	// whatever CI variables are set.
	demoEnv := map[string]string{}
	gateSys := sys
	gateSys.Getenv = func(k string) string { return demoEnv[k] }
	gateArgs := []string{
		"--url", strings.TrimSuffix(base, "/"),
		"--token", simulator.DefaultToken,
		"--project", "payments-service",
		"--ref", "feature/login",
		"--commit", "9fceb02d0ae598e95dc970b74767f19372d61af8",
		"--baseline-ref", "main",
		"--block-on", *blockOn,
		"--mode", *mode,
		"--stage", *stage,
		"--wait-timeout", "2m",
		"--language", *lang,
	}
	start := time.Now()
	code := runWith(ctx, gateArgs, gateSys, runOptions{demo: true})
	fmt.Fprintln(sys.Stdout, "\n"+p.T("demo.took", time.Since(start).Round(100*time.Millisecond).String(), code, exitMeaning(p, code)))
	if tip := demoTip(p, cmd, code, *stage, *mode, *blockOn); tip != "" {
		fmt.Fprintln(sys.Stdout, tip)
	}
	if code == exitError {
		return exitError
	}
	return 0
}

// demoStageThatPasses is a stage no blocker policy of the demo's scenario
// covers: gating on it passes the build (TestDemoTipsChangeTheVerdict).
const demoStageThatPasses = "test"

// demoTip suggests runs of the demo whose verdict differs from this one's
// (exit code code), each the command the user ran with one flag changed;
// "" after an error.
// The words are p's; the commands stay as typed.
func demoTip(p i18n.Printer, cmd string, code int, stage, mode, blockOn string) string {
	run := func(stage, mode, blockOn string) string {
		c := cmd
		if blockOn != "all" {
			c += " --block-on " + blockOn
		}
		if stage != "" {
			c += " --stage " + stage
		}
		if mode != "enforce" {
			c += " --mode " + mode
		}
		return c
	}
	switch code {
	case exitPass:
		return p.T("demo.tip.fail", run("", "enforce", "all"))
	case exitFail:
	default:
		return ""
	}
	var lines [][2]string
	if blockOn != "new" {
		lines = append(lines, [2]string{run(stage, mode, "new"), p.T("demo.tip.new")})
	}
	if stage != demoStageThatPasses {
		lines = append(lines, [2]string{run(demoStageThatPasses, mode, blockOn), p.T("demo.tip.stage")})
	}
	lines = append(lines, [2]string{run(stage, "warn", blockOn), p.T("demo.tip.warn")})
	width := 0
	for _, l := range lines {
		width = max(width, len(l[0]))
	}
	var b strings.Builder
	b.WriteString(p.T("demo.tip.try"))
	for _, l := range lines {
		fmt.Fprintf(&b, "\n  %-*s   (%s)", width, l[0], l[1])
	}
	return b.String()
}

// demoCommand is the demo command as the user ran it: `go run . demo` under
// go run (whose binary lives in a go-build directory), else the program as
// invoked, e.g. ./codescoring-gate demo.
func demoCommand(program string) string {
	p := strings.ReplaceAll(program, `\`, "/") // Windows paths too, on any OS
	switch {
	case p == "":
		return "codescoring-gate demo"
	case strings.Contains(p, "/go-build"):
		return "go run . demo"
	}
	return program + " demo"
}

func stageFlag(s string) string {
	if s == "" {
		return ""
	}
	return " --stage " + s
}

func exitMeaning(p i18n.Printer, code int) string {
	switch code {
	case exitPass:
		return p.T("demo.exit.pass")
	case exitFail:
		return p.T("demo.exit.fail")
	}
	return p.T("demo.exit.error")
}

// runSimulator serves the simulator until the process is interrupted, so a
// user can try the gate or the action by hand.
func runSimulator(ctx context.Context, args []string, sys System) int {
	fs := flag.NewFlagSet("simulator", flag.ContinueOnError)
	fs.SetOutput(sys.Stderr)
	listen := fs.String("listen", "127.0.0.1:8080", "address to listen on")
	token := fs.String("token", simulator.DefaultToken, "API token the simulator accepts")
	analysis := fs.Duration("analysis-time", 5*time.Second, "how long each analysis runs before it succeeds")
	serveAt := fs.String("serve-at", "", "serve endpoints at other paths, as an installation that differs: "+
		"name=path pairs, comma-separated, e.g. alerts=/api/sca/alerts/ (names: "+simulatorEndpointNames()+")")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitError
	}
	paths, err := parseServeAt(*serveAt)
	if err != nil {
		fmt.Fprintf(sys.Stderr, "simulator: --serve-at: %v\n", err)
		return exitError
	}
	if *analysis < 0 {
		fmt.Fprintln(sys.Stderr, "simulator: --analysis-time must not be negative")
		return exitError
	}
	sc := simulator.BaselineDemoScenario()
	for i := range sc.Projects {
		sc.Projects[i].Lifecycle = simulator.Lifecycle{Pending: *analysis / 5, Running: *analysis - *analysis/5}
	}
	sim := simulator.New(simulator.Options{Scenario: sc, Token: *token, Paths: paths})
	base, err := sim.Start(*listen)
	if err != nil {
		fmt.Fprintf(sys.Stderr, "simulator: %v\n", err)
		return exitError
	}
	defer sim.Close()
	printSimulatorHelp(sys.Stdout, base)
	<-ctx.Done()
	return 0
}

// simulatorEndpointNames lists the names --serve-at takes.
func simulatorEndpointNames() string {
	names := make([]string, len(simulator.ContractEndpoints))
	for i, e := range simulator.ContractEndpoints {
		names[i] = string(e)
	}
	return strings.Join(names, ", ")
}

// parseServeAt reads the simulator's --serve-at pairs.
func parseServeAt(s string) (map[simulator.Endpoint]string, error) {
	paths := map[simulator.Endpoint]string{}
	for _, pair := range strings.Split(s, ",") {
		if pair = strings.TrimSpace(pair); pair == "" {
			continue
		}
		name, path, ok := strings.Cut(pair, "=")
		e := simulator.Endpoint(strings.TrimSpace(name))
		if !ok {
			return nil, fmt.Errorf("%q is not name=path (names: %s)", pair, simulatorEndpointNames())
		}
		if err := simulator.CheckPath(e, strings.TrimSpace(path)); err != nil {
			return nil, err
		}
		paths[e] = strings.TrimSpace(path)
	}
	return paths, nil
}

func printSimulatorHelp(w io.Writer, base string) {
	fmt.Fprintf(w, `CodeScoring simulator listening at %s (Ctrl-C stops it).
Projects: 340 payments-service, 341 payments-service-legacy, 352 payments-gateway.
Try the gate against it:
  codescoring-gate --url %s --token <the --token value> --project payments-service
`, base, strings.TrimSuffix(base, "/"))
}

package e2e_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
)

// TestMain keeps the real environment's proxy settings away from the
// in-process tests: net/http reads them once per process, and a test must
// never send a request beyond 127.0.0.1. The tests of proxies run the built
// program with an environment of their own.
func TestMain(m *testing.M) {
	for _, k := range []string{"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "REQUEST_METHOD"} {
		os.Unsetenv(k)
		os.Unsetenv(strings.ToLower(k))
	}
	// The resolver makes its lock on first use: made inside one synctest
	// bubble, a lookup in another bubble would crash on it. A .onion name
	// is answered without a query (RFC 7686).
	_, _ = net.DefaultResolver.LookupHost(context.Background(), "codescoring.onion")
	dir, err := os.MkdirTemp("", "codescoring-gate-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "codescoring-gate")
	code := m.Run()
	os.RemoveAll(dir)
	// Each simulator checks its own runs when it closes; this is the bound
	// over all of them.
	if n := maxPerPageSeen.Load(); n > 100 {
		fmt.Fprintf(os.Stderr, "the gate asked CodeScoring for per_page=%d; the contract allows at most 100\n", n)
		code = 1
	} else if testing.Verbose() {
		fmt.Printf("largest per_page over all runs: %d\n", n)
	}
	os.Exit(code)
}

var (
	buildOnce sync.Once
	binPath   string // in a directory TestMain makes and removes
	errBuild  error
)

// gateBinary builds the program (the module's main package) once per test
// binary and returns its path.
func gateBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			errBuild = err
			return
		}
		cmd := exec.Command(goTool(), "build", "-o", binPath, ".")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			errBuild = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if errBuild != nil {
		t.Fatalf("build the program: %v", errBuild)
	}
	return binPath
}

// moduleRoot is the directory of go.mod above the working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// goTool is the go command that runs the tests.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(os.Getenv("GOROOT"), "bin", "go")
}

// process is the built program started as the runner starts the action's
// step, with only the environment given: the runner's variables, the
// inputs and extra (the proxy settings).
type process struct {
	ctx  context.Context // ends the run when done
	cmd  *exec.Cmd
	step *runnertest.Step
}

// startProcess starts the built program on a push event with inputs (token
// and project default to the canary and "payments-service") and the extra
// environment variables.
func startProcess(t *testing.T, inputs, extra map[string]string) *process {
	t.Helper()
	// A liveness bound, not a timing assertion.
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	t.Cleanup(cancel)
	in := map[string]string{"token": canary, "project": "payments-service"}
	for k, v := range inputs {
		in[k] = v
	}
	p := &process{ctx: ctx, step: runnertest.NewStep(t, actionEnv(t, in, nil, nil))}
	for k, v := range extra {
		p.step.Env[k] = v
	}
	// The pure-Go resolver never sends a DNS query for a .onion name; cgo's
	// might.
	p.step.Env["GODEBUG"] = "netdns=go"
	p.cmd = exec.CommandContext(ctx, gateBinary(t))
	p.cmd.Env = p.step.Environ()
	p.cmd.Stdout, p.cmd.Stderr = &p.step.Stdout, &p.step.Stderr
	// A run that hangs is killed when the test's context ends; WaitDelay
	// keeps a stuck pipe from hanging the test.
	p.cmd.WaitDelay = 5 * time.Second
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start the program: %v", err)
	}
	return p
}

// wait waits for the program to exit and returns what it left behind, after
// checking that none of secrets leaked.
func (p *process) wait(t *testing.T, secrets ...string) gateRun {
	t.Helper()
	err := p.cmd.Wait()
	code := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("run the program: %v", err)
	}
	r := gateRun{Result: p.step.Result(t, code)}
	checkNoLeak(t, r, p.step.Env["INPUT_TOKEN"], secrets...)
	return r
}

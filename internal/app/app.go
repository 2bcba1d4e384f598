// Package app is the program behind main: it reads the inputs and the CI
// environment, runs the gate or another command, reports, and returns the
// exit code. Everything it touches outside the process comes in a System, so
// tests run it as the GitHub runner would without touching the real
// environment.
package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

// version is set at build time with -ldflags "-X …/internal/app.version=v1.2.3".
var version = "dev"

// Exit codes, as the vendor's own CLI agent uses them.
const (
	exitPass  = 0 // pass or warn
	exitFail  = 1 // blocked by policy
	exitError = 2 // could not decide: server, network, bad input
)

// System is the outside world of one run.
type System struct {
	Getenv   func(string) string
	ReadFile func(string) ([]byte, error)
	Stdout   io.Writer
	Stderr   io.Writer
	// Transport, when set, carries every request of the run: to
	// CodeScoring, GitHub and GitLab (tests serve their fakes through it).
	// nil means the network, with the ca-cert input and HTTPS_PROXY.
	Transport http.RoundTripper
	// RequestTimeout bounds each CodeScoring request; zero means the
	// client's default (30 s).
	RequestTimeout time.Duration
	// Program is how the user invoked the program (os.Args[0]), for hints
	// that name the command they ran; empty means codescoring-gate.
	Program string
}

// OSSystem returns the real environment of the process.
func OSSystem() System {
	return System{
		Getenv:   os.Getenv,
		ReadFile: os.ReadFile,
		Stdout:   os.Stdout,
		Stderr:   os.Stderr,
		Program:  os.Args[0],
	}
}

// Main runs the command named by args and returns the process exit code.
// The command may come before or after the flags; --version or -v anywhere
// prints the version.
func Main(ctx context.Context, args []string, sys System) int {
	cmd, rest, wantVersion := splitArgs(args)
	if wantVersion || cmd == "version" {
		fmt.Fprintf(sys.Stdout, "codescoring-gate %s\n", version)
		return 0
	}
	switch cmd {
	case "help":
		usageIn(sys.Stdout, version, helpLanguage(helpFlag(rest), sys.Getenv))
		return 0
	case "demo":
		return runDemo(ctx, rest, sys)
	case "simulator":
		return runSimulator(ctx, rest, sys)
	case "doctor":
		return runWith(ctx, rest, sys, runOptions{command: "doctor"})
	case "", "gate", "run":
		return runGate(ctx, rest, sys)
	}
	fmt.Fprintf(sys.Stderr, "codescoring-gate: %s\n", unknownCommand(cmd))
	return exitError
}

// httpClient is the client of the GitHub and GitLab requests: nil, their
// clients' own on the network, unless Transport is set. Over Transport each
// request is bounded to 30 s by its context's deadline, not by the client's
// Timeout: over a RoundTripper that is not an *http.Transport, Timeout keeps
// a goroutine until the answer's body is closed, and go-github never closes
// an error answer's body (CheckResponse swaps it for a copy), which a
// synctest bubble would end with.
func (s System) httpClient() *http.Client {
	if s.Transport == nil {
		return nil
	}
	return &http.Client{Transport: boundedTransport{s.Transport, 30 * time.Second}}
}

// boundedTransport gives each request through rt at most d, reading the
// answer's body included; closing the body lets the bound go.
type boundedTransport struct {
	rt http.RoundTripper
	d  time.Duration
}

func (t boundedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(req.Context(), t.d)
	resp, err := t.rt.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = cancelOnClose{resp.Body, cancel}
	return resp, nil
}

// cancelOnClose is an answer's body that ends its request's context when
// closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

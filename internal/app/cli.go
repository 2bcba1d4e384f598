package app

import (
	"fmt"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

// The commands of the CLI; "gate" is the default and the value of the
// command input.
var cliCommands = []string{"gate", "doctor", "demo", "simulator", "version", "help"}

func init() {
	version = versionFrom(version, debug.ReadBuildInfo)
}

// versionFrom is the version the binary reports: the one linked in with
// -ldflags -X, else the module version of the build info, which `go install
// …@v1.2.3` sets to v1.2.3, else "dev".
func versionFrom(linked string, buildInfo func() (*debug.BuildInfo, bool)) string {
	if linked != "dev" && linked != "" {
		return linked
	}
	if bi, ok := buildInfo(); ok && bi != nil {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			return v
		}
	}
	return "dev"
}

// boolFlags take no value on the command line; every other flag of any
// command takes one, as the next argument unless written --name=value.
var boolFlags = []string{"json", "h", "help", "v", "version"}

// splitArgs finds the command among args: the first argument that is
// neither a flag nor a flag's value, so that flags may come before or after
// it. It returns the command ("" when there is none) and the other
// arguments in their order. version reports --version or -v anywhere
// before a "--".
func splitArgs(args []string) (cmd string, rest []string, wantVersion bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, isFlag := flagName(a)
		switch {
		case !isFlag && cmd == "":
			cmd = a
			continue
		case !isFlag:
		case name == "v" || name == "version":
			wantVersion = true
		case !strings.Contains(a, "=") && !slices.Contains(boolFlags, name) && i+1 < len(args):
			// The flag's value, whatever it looks like.
			rest = append(rest, a, args[i+1])
			i++
			continue
		}
		rest = append(rest, a)
	}
	return cmd, rest, wantVersion
}

// flagName returns the name of a flag argument (-x, --x, --x=v), and false
// for an argument that is not a flag.
func flagName(a string) (string, bool) {
	if len(a) < 2 || a[0] != '-' || a == "--" {
		return "", false
	}
	name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
	name, _, _ = strings.Cut(name, "=")
	return name, name != ""
}

// didYouMean returns " (did you mean X?)" for the candidate closest to got,
// when one is close enough to be a typo, else "".
func didYouMean(got string, candidates []string, format func(string) string) string {
	best, bestD := "", 0
	for _, c := range candidates {
		d := api.EditDistance(strings.ToLower(got), c)
		if best == "" || d < bestD {
			best, bestD = c, d
		}
	}
	limit := 2
	if len(got) <= 4 {
		limit = 1
	}
	prefix := len(got) >= 3 && strings.HasPrefix(best, strings.ToLower(got))
	if best == "" || bestD > limit && !prefix {
		return ""
	}
	return " (did you mean " + format(best) + "?)"
}

// unknownFlag rewrites the flag package's "flag provided but not defined:
// -x" with the closest flag of names.
func unknownFlag(err error, names []string) string {
	msg := err.Error()
	const prefix = "flag provided but not defined: "
	if rest, ok := strings.CutPrefix(msg, prefix); ok {
		name, _ := flagName(rest)
		return msg + didYouMean(name, names, func(s string) string { return "--" + s })
	}
	return msg
}

// unknownCommand is the message for an argument that is no command.
func unknownCommand(arg string) string {
	return fmt.Sprintf("unexpected argument %q%s: the commands are %s; settings are flags such as --project",
		arg, didYouMean(arg, cliCommands, func(s string) string { return s }), strings.Join(cliCommands, ", "))
}

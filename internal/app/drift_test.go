package app

import (
	"bufio"
	"bytes"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
)

// actionSpec is what action.yml declares, read with a small line parser:
// the file keeps one key per line under inputs: and outputs:.
type actionSpec struct {
	inputs   map[string]map[string]string // name → required/default/description
	outputs  []string
	runsWith string
}

func readActionYAML(t *testing.T) actionSpec {
	t.Helper()
	b, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	spec := actionSpec{inputs: map[string]map[string]string{}}
	section, current := "", ""
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		key, val, _ := strings.Cut(strings.TrimSpace(line), ":")
		val = strings.Trim(strings.TrimSpace(val), `"'`)
		switch indent {
		case 0:
			section = key
		case 2:
			current = key
			switch section {
			case "inputs":
				spec.inputs[key] = map[string]string{}
			case "outputs":
				spec.outputs = append(spec.outputs, key)
			case "runs":
				if key == "using" {
					spec.runsWith = val
				}
			}
		case 4:
			if section == "inputs" {
				spec.inputs[current][key] = val
			}
		}
	}
	return spec
}

// TestActionYAMLMatchesCode keeps action.yml, the code and the README in
// step: every input and output is declared, read or written, and documented.
func TestActionYAMLMatchesCode(t *testing.T) {
	t.Parallel()
	spec := readActionYAML(t)
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var help bytes.Buffer
	usage(&help, "test")

	runnerDefaults := runnertest.InputDefaults("${{ github.token }}")
	var codeInputs []string
	for _, in := range inputs {
		codeInputs = append(codeInputs, in.Name)
		a, ok := spec.inputs[in.Name]
		if !ok {
			t.Errorf("input %q is read by the code but not declared in action.yml", in.Name)
			continue
		}
		if a["description"] == "" {
			t.Errorf("action.yml input %q has no description", in.Name)
		}
		required := in.Name == "url" || in.Name == "token" || in.Name == "project"
		if got := a["required"] == "true"; got != required {
			t.Errorf("action.yml input %q required = %v, want %v", in.Name, got, required)
		}
		wantDefault := in.Default
		if in.Name == "github-token" {
			wantDefault = "${{ github.token }}"
		}
		if !required && a["default"] != wantDefault {
			t.Errorf("action.yml input %q default = %q, code default = %q", in.Name, a["default"], wantDefault)
		}
		// The tests' runner must set the inputs as the real one does.
		if got, ok := runnerDefaults[in.Name]; ok == required || got != wantDefault {
			t.Errorf("runnertest sets input %q = %q (set: %v), want %q (set: %v)", in.Name, got, ok, wantDefault, !required)
		}
		if !regexp.MustCompile("(?m)^\\| `" + regexp.QuoteMeta(in.Name) + "` \\|").Match(readme) {
			t.Errorf("README's inputs table lacks `%s`", in.Name)
		}
		if !strings.Contains(help.String(), "--"+in.Name+"\n") {
			t.Errorf("--help lacks --%s", in.Name)
		}
	}
	for name := range spec.inputs {
		if !slices.Contains(codeInputs, name) {
			t.Errorf("action.yml declares input %q that the code never reads", name)
		}
	}

	var codeOutputs []string
	for _, o := range outputs {
		codeOutputs = append(codeOutputs, o.Name)
		if !regexp.MustCompile("(?m)^\\| `" + regexp.QuoteMeta(o.Name) + "` \\|").Match(readme) {
			t.Errorf("README's outputs table lacks `%s`", o.Name)
		}
		if !strings.Contains(help.String(), o.Name) {
			t.Errorf("--help lacks output %s", o.Name)
		}
	}
	if !slices.Equal(spec.outputs, codeOutputs) {
		t.Errorf("action.yml outputs %v, code outputs %v", spec.outputs, codeOutputs)
	}
	if spec.runsWith != "docker" {
		t.Errorf("action.yml runs.using = %q, want docker", spec.runsWith)
	}
}

// TestOutputsWritten checks that setOutputs writes exactly the declared
// outputs.
func TestOutputsWritten(t *testing.T) {
	t.Parallel()
	env := actionEnv(t, map[string]string{"url": "cs.example.com"}, nil)
	r := runMain(t, t.Context(), nil, env)
	var got []string
	for k := range r.Outputs {
		got = append(got, k)
	}
	slices.Sort(got)
	var want []string
	for _, o := range outputs {
		want = append(want, o.Name)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("outputs written %v, declared %v", got, want)
	}
}

// TestAPIPathsNamesDocumented keeps the names the api-paths input takes in
// step with the endpoint table: --help and action.yml list every name, and
// the README's table has each with its method and built-in path.
func TestAPIPathsNamesDocumented(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	spec := readActionYAML(t)
	var help bytes.Buffer
	usage(&help, "test")
	helpText := strings.Join(strings.Fields(help.String()), " ")
	eps := api.Endpoints()
	keys := make([]string, len(eps))
	for i, e := range eps {
		keys[i] = e.Key
		row := "| `" + e.Key + "` | " + e.Method + " | `" + e.Path + "` |"
		if !strings.Contains(string(readme), row) {
			t.Errorf("README's api-paths table lacks the row starting %q", row)
		}
	}
	names := strings.Join(keys, ", ")
	if !strings.Contains(helpText, "(names: "+names+";") {
		t.Errorf("--help does not list the api-paths names %q:\n%s", names, help.String())
	}
	if !strings.Contains(spec.inputs["api-paths"]["description"], "Names: "+names+".") {
		t.Errorf("action.yml's api-paths description does not list the names %q", names)
	}
}

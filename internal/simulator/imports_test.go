package simulator

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/codescoring-gate/codescoring-gate/"

// TestImports keeps two rules of the module: the simulator is an
// independent reading of the contract (its code imports no package of the
// module, so a field misread by the client cannot hide by being misread
// here too), and simtest is test tooling (no code outside tests imports it,
// so the shipped binary serves the contract only).
func TestImports(t *testing.T) {
	t.Parallel()
	err := filepath.WalkDir("../..", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(name, filepath.FromSlash("../../")))
		for _, spec := range f.Imports {
			imp, _ := strconv.Unquote(spec.Path.Value)
			if path.Dir(rel) == "internal/simulator" && strings.HasPrefix(imp, module) {
				t.Errorf("%s imports %s: the simulator imports no package of the module", rel, imp)
			}
			if imp == module+"internal/simulator/simtest" {
				t.Errorf("%s imports simtest, which only tests may", rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

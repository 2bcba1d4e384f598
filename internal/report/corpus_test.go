package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedCorpus returns the committed seed corpus files of the fuzz targets:
// the same inputs their f.Add calls give, so that `go test -fuzz` starts
// from them even when the seed list changes.
func seedCorpus() map[string]string {
	files := map[string]string{}
	encode := func(args ...string) string {
		var b strings.Builder
		b.WriteString("go test fuzz v1\n")
		for _, a := range args {
			fmt.Fprintf(&b, "string(%q)\n", a)
		}
		return b.String()
	}
	for i, s := range fuzzSeeds {
		o := fuzzSeeds[(i+1)%len(fuzzSeeds)]
		files[filepath.Join("FuzzCommentEscaping", fmt.Sprintf("seed-%02d", i))] = encode(s, o, s, o, s, o, s)
		files[filepath.Join("FuzzEscapeMarkdown", fmt.Sprintf("seed-%02d", i))] = encode(s)
	}
	return files
}

func TestFuzzSeedCorpus(t *testing.T) {
	t.Parallel()
	for name, want := range seedCorpus() {
		path := filepath.Join("testdata", "fuzz", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("read seed corpus file (run go test -update to write it): %v", err)
			continue
		}
		if string(got) != want {
			t.Errorf("%s is stale: run go test -update", path)
		}
	}
}

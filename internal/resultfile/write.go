package resultfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Paths are where the result files go; an empty path is not written.
type Paths struct {
	JSON        string
	JUnit       string
	CodeQuality string
}

// Any reports whether any file is to be written.
func (p Paths) Any() bool {
	return p.JSON != "" || p.JUnit != "" || p.CodeQuality != ""
}

// Write renders and writes every file p names, creating missing parent
// directories; filter (may be nil) rewrites each file's text, e.g. to
// redact secrets. A file is replaced whole (written beside it, then
// renamed), so a reader never sees half of one. Every failure is returned,
// joined, each naming its path.
func Write(p Paths, in Input, filter func(string) string) error {
	var errs []error
	for _, f := range []struct {
		path   string
		render func(Input) ([]byte, error)
	}{
		{p.JSON, JSON},
		{p.JUnit, JUnit},
		{p.CodeQuality, CodeQuality},
	} {
		if f.path == "" {
			continue
		}
		b, err := f.render(in)
		if err == nil {
			if filter != nil {
				b = []byte(filter(string(b)))
			}
			err = writeFile(f.path, b)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("write %s: %w", f.path, err))
		}
	}
	return errors.Join(errs...)
}

func writeFile(path string, b []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

package app

import (
	"bytes"
	"io"
	"strings"
	"sync"
)

// redactor replaces secrets with *** in everything the gate prints or
// writes, as a second line of defence behind ::add-mask:: (which only the
// GitHub log honours, not a terminal, a file or another CI system).
type redactor struct {
	secrets []string
}

// newRedactor ignores empty and very short values: masking "a" would mangle
// every line and hide nothing worth hiding.
func newRedactor(secrets ...string) *redactor {
	r := &redactor{}
	for _, s := range secrets {
		if len(s) >= 4 {
			r.secrets = append(r.secrets, s)
		}
	}
	return r
}

// String returns s with every secret replaced.
func (r *redactor) String(s string) string {
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, "***")
	}
	return s
}

// Writer wraps w so that secrets never reach it. It buffers up to a newline
// so that a secret split across two writes is still caught; Flush writes
// what is left.
func (r *redactor) Writer(w io.Writer) *redactingWriter {
	return &redactingWriter{r: r, w: w}
}

type redactingWriter struct {
	mu  sync.Mutex
	r   *redactor
	w   io.Writer
	buf []byte
}

func (rw *redactingWriter) Write(p []byte) (int, error) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	rw.buf = append(rw.buf, p...)
	i := bytes.LastIndexByte(rw.buf, '\n')
	if i < 0 {
		return len(p), nil
	}
	line := rw.buf[:i+1]
	if _, err := io.WriteString(rw.w, rw.r.String(string(line))); err != nil {
		return 0, err
	}
	rw.buf = append(rw.buf[:0], rw.buf[i+1:]...)
	return len(p), nil
}

// Flush writes a last line that had no newline.
func (rw *redactingWriter) Flush() error {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if len(rw.buf) == 0 {
		return nil
	}
	_, err := io.WriteString(rw.w, rw.r.String(string(rw.buf)))
	rw.buf = rw.buf[:0]
	return err
}

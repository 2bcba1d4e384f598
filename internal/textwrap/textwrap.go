// Package textwrap wraps prose for a terminal: the terminal report and
// doctor's report break their lines with it.
package textwrap

import (
	"strings"
	"unicode/utf8"
)

// DefaultWidth is the width in columns reports wrap to when the terminal's
// is unknown (not a terminal).
const DefaultWidth = 100

// Lines breaks s at spaces into lines of at most width runes. A word longer
// than width (a URL) gets a line of its own and is not broken, so it can
// still be copied or clicked.
func Lines(s string, width int) []string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return []string{""}
	}
	var lines []string
	line, n := words[0], utf8.RuneCountInString(words[0])
	for _, w := range words[1:] {
		wn := utf8.RuneCountInString(w)
		if n+1+wn > width {
			lines = append(lines, line)
			line, n = w, wn
			continue
		}
		line += " " + w
		n += 1 + wn
	}
	return append(lines, line)
}

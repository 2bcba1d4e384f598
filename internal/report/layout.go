package report

import (
	"strings"
	"unicode/utf8"

	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// mdSection is one part of a markdown report whose rows may be left out to
// fit a size limit: open, then the groups (each a heading, a table header
// and rows, and a tail), then close.
type mdSection struct {
	kind sectionKind
	// noun is the i18n key of the rows' count in the note that counts
	// those left out, e.g. "n.blocking" ("3 blocking alerts").
	noun   string
	open   string
	groups []mdGroup
	close  string
}

// mdGroup is a table (with what comes before it) inside a section.
type mdGroup struct {
	head string   // e.g. the policy line and the table header
	rows []string // each one line ending in "\n"
	tail string
	// shown is set by layout: how many of rows it wrote.
	shown int
}

// rowCount is the number of rows of s.
func (s *mdSection) rowCount() int {
	n := 0
	for _, g := range s.groups {
		n += len(g.rows)
	}
	return n
}

// fullLen is the size of s written whole, by size.
func (s *mdSection) fullLen(size measure) int {
	n := size(s.open) + size(s.close)
	for _, g := range s.groups {
		if len(g.rows) == 0 {
			continue // writeSection leaves it out
		}
		n += size(g.head) + size(g.tail)
		for _, r := range g.rows {
			n += size(r)
		}
	}
	return n
}

// measure is how a report's size limit counts: bytes for the job summary
// (GitHub's 1 MiB), characters for a comment (GitHub's 65 536 characters:
// Cyrillic is two bytes a character in UTF-8, so bytes would leave half a
// Russian comment's room unused).
type measure func(string) int

// bytesOf is the size of s in bytes.
func bytesOf(s string) int { return len(s) }

// charsOf is the size of s in characters (Unicode code points, as GitHub
// counts a comment's length).
func charsOf(s string) int { return utf8.RuneCountInString(s) }

// layout joins pre, the sections and post into at most maxLen bytes; it is
// layoutBy in bytes.
func layout(pre string, secs []mdSection, post string, maxLen int, leftOut func(s *mdSection, n int) string) string {
	return layoutBy(bytesOf, pre, secs, post, maxLen, leftOut)
}

// layoutBy joins pre, the sections and post into at most maxLen, counted by
// size.
//
// When the whole does not fit, sections are kept whole while they fit,
// keeping room for the notes of the later ones. The first that does not fit
// is cut at a row boundary, and once a row is left out every later section
// keeps only its open and close around a note: the rows shown are those of
// the earlier, more important sections. leftOut writes the note for n rows
// left out of a section; it must not get longer when n gets smaller. If even
// the notes do not fit, whole lines are kept from the start while they fit,
// and post is kept.
func layoutBy(size measure, pre string, secs []mdSection, post string, maxLen int, leftOut func(s *mdSection, n int) string) string {
	var b strings.Builder
	b.WriteString(pre)
	whole := size(pre) + size(post)
	for i := range secs {
		whole += secs[i].fullLen(size)
	}
	if whole <= maxLen {
		for i := range secs {
			writeSection(&b, &secs[i])
			for j := range secs[i].groups {
				secs[i].groups[j].shown = len(secs[i].groups[j].rows)
			}
		}
		b.WriteString(post)
		return b.String()
	}

	// compact is what a section costs when reduced to its note. While a
	// section is laid out, the compact size of every later one is kept in
	// reserve, so that each can at least say how many rows it left out.
	compact := make([]int, len(secs))
	reserve := 0
	for i := range secs {
		s := &secs[i]
		compact[i] = s.fullLen(size)
		if n := s.rowCount(); n > 0 {
			compact[i] = size(s.open) + size(leftOut(s, n)) + size(s.close)
		}
		reserve += compact[i]
	}
	budget := maxLen - size(pre) - size(post)
	full := false // a row did not fit: no later row is shown
	for i := range secs {
		s := &secs[i]
		reserve -= compact[i]
		if !full && s.fullLen(size) <= budget-reserve {
			writeSection(&b, s)
			for j := range s.groups {
				s.groups[j].shown = len(s.groups[j].rows)
			}
			budget -= s.fullLen(size)
			continue
		}
		total := s.rowCount()
		avail := budget - reserve - size(s.open) - size(s.close) - size(leftOut(s, total))
		var sb strings.Builder
		sb.WriteString(s.open)
		shown := 0
		for gi := range s.groups {
			g := &s.groups[gi]
			if full {
				break
			}
			started := false
			for _, r := range g.rows {
				cost := size(r)
				if !started {
					cost += size(g.head) + size(g.tail)
				}
				if cost > avail {
					full = true
					break
				}
				if !started {
					sb.WriteString(g.head)
					started = true
				}
				sb.WriteString(r)
				avail -= cost
				shown++
				g.shown++
			}
			if started {
				sb.WriteString(g.tail)
			}
		}
		if n := total - shown; n > 0 {
			sb.WriteString(leftOut(s, n))
		}
		sb.WriteString(s.close)
		b.WriteString(sb.String())
		budget -= size(sb.String())
	}
	b.WriteString(post)
	if size(b.String()) <= maxLen {
		return b.String()
	}
	// pre and post alone do not leave room for the notes.
	if size(post) > maxLen {
		return keepLinesBy(size, post, maxLen)
	}
	return keepLines(b.String()[:b.Len()-size(post)], maxLen-size(post)) + post
}

// writeSection writes s whole, leaving out groups without rows.
func writeSection(b *strings.Builder, s *mdSection) {
	b.WriteString(s.open)
	for _, g := range s.groups {
		if len(g.rows) == 0 {
			continue
		}
		b.WriteString(g.head)
		for _, r := range g.rows {
			b.WriteString(r)
		}
		b.WriteString(g.tail)
	}
	b.WriteString(s.close)
}

// keepLines returns the longest prefix of s made of whole lines that has at
// most n bytes.
func keepLines(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	cut := strings.LastIndexByte(s[:n], '\n')
	if cut < 0 {
		return ""
	}
	return s[:cut+1]
}

// keepLinesBy returns the longest prefix of s made of whole lines that has
// at most n, counted by size.
func keepLinesBy(size measure, s string, n int) string {
	if size(s) <= n {
		return s
	}
	end, used := 0, 0
	for end < len(s) {
		i := strings.IndexByte(s[end:], '\n')
		if i < 0 {
			break
		}
		line := s[end : end+i+1]
		if used+size(line) > n {
			break
		}
		used += size(line)
		end += i + 1
	}
	return s[:end]
}

// mdRow returns one table row of the cells.
func mdRow(cells ...string) string {
	for i, c := range cells {
		if c == "" {
			cells[i] = "–"
		}
	}
	return "| " + strings.Join(cells, " | ") + " |\n"
}

// mdTableHead returns a table's header and delimiter rows.
func mdTableHead(cols ...string) string {
	return "| " + strings.Join(cols, " | ") + " |\n|" + strings.Repeat(" --- |", len(cols)) + "\n"
}

// in returns st speaking lang.
func (st mdStyle) in(lang i18n.Language) mdStyle {
	st.p = i18n.New(lang)
	return st
}

// size is the measure of st's size limit.
func (st mdStyle) size(s string) int {
	if st.chars {
		return charsOf(s)
	}
	return bytesOf(s)
}

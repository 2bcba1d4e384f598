package report

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// mdTable is what a GFM parser reads as one table.
type mdTable struct {
	header []string // the header cells' text
	rows   int      // body rows
}

// mdDoc is the structure of a rendered report as a GFM parser reads it.
type mdDoc struct {
	tables []mdTable
	links  []string // link destinations
}

// ourHTMLRE matches the HTML the renderer writes itself: the tags of
// collapsed sections, line breaks, the footer and the marker line.
var ourHTMLRE = regexp.MustCompile(`^(?:</?(?:details|summary|sub)>|<br>|<!-- codescoring-gate:marker \{[^\n]*\} -->)$`)

// parseGFM parses md with goldmark's GFM extension (tables, autolinks,
// strikethrough, task lists) and fails t when the document has HTML other
// than the renderer's own, an autolink, or a table row whose cell count is
// not its header's.
func parseGFM(t *testing.T, md string) mdDoc {
	t.Helper()
	src := []byte(md)
	root := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(src))
	var doc mdDoc
	err := ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.RawHTML:
			var b strings.Builder
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				b.Write(seg.Value(src))
			}
			if !ourHTMLRE.MatchString(b.String()) {
				t.Errorf("inline HTML %q is not the renderer's", b.String())
			}
		case *ast.HTMLBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				checkHTMLLine(t, strings.TrimSpace(string(seg.Value(src))))
			}
			if n.HasClosure() {
				checkHTMLLine(t, strings.TrimSpace(string(n.ClosureLine.Value(src))))
			}
		case *ast.AutoLink:
			t.Errorf("autolink %q: server text must never become a link", n.URL(src))
		case *ast.Link:
			doc.links = append(doc.links, string(n.Destination))
		case *ast.Image:
			t.Errorf("image %q", n.Destination)
		case *east.Table:
			var tb mdTable
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				var cells []string
				for cell := c.FirstChild(); cell != nil; cell = cell.NextSibling() {
					cells = append(cells, nodeText(cell, src))
				}
				switch c.(type) {
				case *east.TableHeader:
					tb.header = cells
				case *east.TableRow:
					tb.rows++
					if len(cells) != len(tb.header) {
						t.Errorf("table %v: a row has %d cells %q, want %d", tb.header, len(cells), cells, len(tb.header))
					}
				}
			}
			doc.tables = append(doc.tables, tb)
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// checkHTMLLine fails t unless line of an HTML block is the renderer's:
// "<details>", "<summary>title</summary>" with a title free of tags, or
// the marker.
func checkHTMLLine(t *testing.T, line string) {
	t.Helper()
	if line == "" || ourHTMLRE.MatchString(line) {
		return
	}
	if inner, ok := strings.CutPrefix(line, "<summary>"); ok {
		if inner, ok = strings.CutSuffix(inner, "</summary>"); ok && !strings.ContainsAny(inner, "<>") {
			return
		}
	}
	t.Errorf("HTML block line %q is not the renderer's", line)
}

// nodeText is the text of n and its descendants.
func nodeText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			switch c := c.(type) {
			case *ast.Text:
				b.Write(c.Segment.Value(src))
			case *ast.String:
				b.Write(c.Value)
			case *ast.RawHTML:
				b.WriteString(" ")
			}
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// headers returns each table's header joined with "|", for comparing.
func (d mdDoc) headers() []string {
	out := make([]string, len(d.tables))
	for i, tb := range d.tables {
		out[i] = strings.Join(tb.header, "|")
	}
	return out
}

// rowCounts returns each table's number of body rows.
func (d mdDoc) rowCounts() []int {
	out := make([]int, len(d.tables))
	for i, tb := range d.tables {
		out[i] = tb.rows
	}
	return out
}

// TestReadmeExcerpt checks that the comment the README shows is the
// golden file's.
func TestReadmeExcerpt(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "<!-- comment-excerpt: start -->\n```markdown\n")
	excerpt, _, ok2 := strings.Cut(rest, "```\n<!-- comment-excerpt: end -->")
	if !ok || !ok2 || strings.TrimSpace(excerpt) == "" {
		t.Fatal("README.md has no comment excerpt between its markers")
	}
	golden, err := os.ReadFile(filepath.Join("testdata", "comment_fail.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(golden), excerpt) {
		t.Errorf("the README's comment excerpt is not the start of testdata/comment_fail.md; copy it again:\n%s", excerpt)
	}
}

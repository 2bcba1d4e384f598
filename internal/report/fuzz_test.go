package report

import (
	"errors"
	"html"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// fuzzSeeds are hostile server strings; they seed every fuzz target.
var fuzzSeeds = []string{
	"",
	"django",
	"a|b\nc\r\nd\u2028e\u2029f\u0085g",
	"<script>alert(1)</script><img src=x onerror=alert(1)>",
	"</details><details open><summary>x</summary>",
	"<!-- codescoring-gate:marker --> -->",
	"[click](javascript:alert(1)) ![img](http://x.example/y.png)",
	"<javascript:alert(1)> <https://x.example>",
	"@octocat @acme/team hi@example.com",
	"#12 GH-34 gh-5 acme/repo#56 acme/repo@deadbeef",
	"`code` **bold** _em_ ~~strike~~ $x^2$ :tada:",
	"javascript:alert(1)",
	"JaVaScRiPt:alert(1)",
	"data:text/html,<b>x</b>",
	"https://example.com/a(b)|c<d>&e=f#12",
	"HTTPS://EXAMPLE.COM",
	"https://user@example.com/",
	"- item",
	"1. item",
	"# heading",
	"> quote",
	"    code",
	"---",
	"\x1b[31mred\x1b[0m \u202egnp.exe",
	"&lt;b&gt; &#64;user &#x23;12 &amp;",
	"\\| \\` \\*",
	"\xff\xfe",
	"www.example.com ftp://example.com mailto:a@b.example xmpp:a@b.example",
	"| --- | --- |",
	"<br><sub>x</sub>",
	"ftp://example.com/x",
	"javascript://example.com/%0aalert(1)",
	"https://example.com/\u2028x",
}

// allowedTagRE matches the HTML tags the renderer itself writes.
var allowedTagRE = regexp.MustCompile(`^</?(details|summary|sub)>|^<br>`)

// linkDestRE matches the destination of a markdown link.
var linkDestRE = regexp.MustCompile(`\]\(([^)]*)\)`)

// structural are the characters whose number must not depend on the text
// put into the report.
const structural = "|*_`[]()~$\\!<>"

// checkComment fails t unless body, a comment with the marker testMarker,
// keeps server text inert. It returns body without the marker and the
// link destinations, for comparing with a benign body.
func checkComment(t *testing.T, body string) string {
	t.Helper()
	if !strings.HasSuffix(body, "\n"+testMarker+"\n") {
		t.Fatalf("the marker is not on the last line:\n%s", body)
	}
	rest := strings.TrimSuffix(body, testMarker+"\n")
	for _, r := range rest {
		if r != '\n' && (unicode.IsControl(r) || isLineBreak(r) || isBidiControl(r)) {
			t.Fatalf("raw %U in the comment:\n%s", r, body)
		}
	}
	if strings.Contains(rest, "<!--") {
		t.Fatalf("an HTML comment besides the marker:\n%s", body)
	}
	for _, m := range linkDestRE.FindAllStringSubmatch(rest, -1) {
		dest := m[1]
		if !strings.HasPrefix(dest, "https://") && !strings.HasPrefix(dest, "http://") {
			t.Fatalf("link to %q, want only http(s):\n%s", dest, body)
		}
		if strings.ContainsAny(dest, " <>\"'`|\\") {
			t.Fatalf("link destination %q has a character that breaks out:\n%s", dest, body)
		}
	}
	rest = linkDestRE.ReplaceAllString(rest, "](URL)")
	if strings.Contains(rest, "://") {
		t.Fatalf("a URL outside a link destination could be autolinked:\n%s", body)
	}
	for i := strings.IndexByte(rest, '<'); i >= 0; i = strings.IndexByte(rest, '<') {
		if !allowedTagRE.MatchString(rest[i:]) {
			end := min(i+30, len(rest))
			t.Fatalf("raw HTML %q:\n%s", rest[i:end], body)
		}
		rest = rest[i+1:]
	}
	plain := linkDestRE.ReplaceAllString(strings.TrimSuffix(body, testMarker+"\n"), "](URL)")
	checkNoReferences(t, html.UnescapeString(plain))
	return plain
}

// countStructure counts the table rows and the markdown characters of s.
func countStructure(s string) (rows int, chars map[rune]int) {
	chars = map[rune]int{}
	for _, r := range s {
		if strings.ContainsRune(structural, r) {
			chars[r]++
		}
	}
	return tableRows(s), chars
}

// benign returns a harmless string that renders with the same structure as
// s: empty when s is, else a letter.
func benign(s string) string {
	if PlainText(s) == "" {
		return ""
	}
	return "x"
}

// benignLink returns a harmless link of the same kind as s.
func benignLink(s string) string {
	switch _, ok := SafeURL(s); {
	case ok:
		return "https://example.com/a"
	case PlainText(s) == "":
		return ""
	}
	return "not a link"
}

// fuzzOutcome puts the strings into every alert field and category.
func fuzzOutcome(name, version, policy, criteria, code, link, lic string) *gate.Outcome {
	p := &api.Policy{ID: 7, Name: policy, Level: code, IsActive: true, IsBlocksBuild: true}
	alert := api.Alert{
		ID: 1, Policy: 7, PolicyName: policy, Level: lic, Status: api.AlertActive,
		DependencyPurl: name, DependencyName: name, DependencyVersion: version, Relation: lic,
		VulnerabilityCode: code, VulnerabilityLink: link, LicenseCode: lic, MaxFixedVersion: version,
		MatchedCriteria: []string{criteria, criteria},
	}
	f := gate.Finding{Alert: alert, Policy: p, Reason: gate.Plain(criteria), BlocksAt: decidedAt}
	o := baseOutcome(gate.VerdictFail, gate.ModeEnforce)
	o.Project.Name = name
	o.ReportURL = link
	o.Config.Ref = version
	o.Analysis.BranchOrTag = version
	o.Analysis.Commit = code
	o.Config.Stage = lic
	o.Decision = &gate.Decision{
		Blocking: []gate.Finding{f, f},
		Upcoming: []gate.Finding{f},
		Warnings: []gate.Finding{f},
		Ignored:  []gate.Finding{f},
		Resolved: []gate.Finding{f},
		Notes:    []gate.Text{gate.Plain(policy), gate.Plain(criteria)},
	}
	return o
}

func FuzzCommentEscaping(f *testing.F) {
	for i, s := range fuzzSeeds {
		o := fuzzSeeds[(i+1)%len(fuzzSeeds)]
		f.Add(s, o, s, o, s, o, s)
	}
	f.Fuzz(func(t *testing.T, name, version, policy, criteria, code, link, lic string) {
		for _, lang := range i18n.Languages {
			fuzzComment(t, lang, name, version, policy, criteria, code, link, lic)
		}
	})
}

// fuzzComment checks the comment in lang of an outcome with the strings
// in every field: it has the structure of the comment of benign text.
func fuzzComment(t *testing.T, lang i18n.Language, name, version, policy, criteria, code, link, lic string) {
	t.Helper()
	{
		opts := CommentOptions{Version: version, Marker: testMarker, SummaryURL: link, MaxLen: 1 << 20, Language: lang}

		got := checkComment(t, Comment(fuzzOutcome(name, version, policy, criteria, code, link, lic), opts))
		bopts := opts
		bopts.Version, bopts.SummaryURL = benign(version), benignLink(link)
		want := checkComment(t, Comment(fuzzOutcome(benign(name), benign(version), benign(policy), benign(criteria),
			benign(code), benignLink(link), benign(lic)), bopts))
		gotRows, gotChars := countStructure(got)
		wantRows, wantChars := countStructure(want)
		if gotRows != wantRows {
			t.Fatalf("%d table rows, want %d as with benign text:\n%s", gotRows, wantRows, got)
		}
		for _, r := range structural {
			if gotChars[r] != wantChars[r] {
				t.Fatalf("%d %q, want %d as with benign text:\n%s\n\nbenign:\n%s", gotChars[r], r, wantChars[r], got, want)
			}
		}

		eo := fuzzOutcome(name, version, policy, criteria, code, link, lic)
		eo.Verdict = gate.VerdictError
		eo.Err = errors.New(name)
		eo.Hint = policy
		eo.Analysis.Error = criteria
		body := checkComment(t, Comment(eo, opts))
		if n := tableRows(body); n != 0 {
			t.Fatalf("error comment has %d table rows:\n%s", n, body)
		}
	}
}

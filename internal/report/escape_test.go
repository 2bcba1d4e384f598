package report

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

func TestEscapeMarkdown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"plain", "django", "django"},
		{"empty", "", ""},
		{"pipe cannot end a cell", "a|b", "a&#124;b"},
		{"line breaks become spaces", "a\nb\r\nc\rd\u2028e\u2029f\u0085g\vh\fi\tj", "a b  c d e f g h i j"},
		{"trimmed", "  \n a \t", "a"},
		{"html", "<script>x</script>&amp;", "&lt;script&gt;x&lt;/script&gt;&amp;amp;"},
		{"ampersand that starts no reference kept", "AT & T, R&&D, &1", "AT & T, R&&amp;D, &1"},
		{"html comment", "<!-- -->", "&lt;&#33;-- --&gt;"},
		{"link", "[x](javascript:y)", "&#91;x&#93;&#40;javascript:y&#41;"},
		{"image", "![i](http://a/b)", "&#33;&#91;i&#93;&#40;http&#58;//a/b&#41;"},
		{"autolink", "<https://a>", "&lt;https&#58;//a&gt;"},
		{"extended autolink", "see https://a.example/x", "see https&#58;//a.example/x"},
		{"www autolink", "www.example.com and (www.x.org", "www&#46;example.com and &#40;www&#46;x.org"},
		{"www inside a word kept", "awww.x", "awww.x"},
		{"mention", "@octocat", "@\u200doctocat"},
		{"npm scope", "@angular/core", "@\u200dangular/core"},
		{"email", "a@b.co", "a@\u200db.co"},
		{"version after @", "django@4.2.2", "django@\u200d4.2.2"},
		{"lone @ kept", "a @ b", "a @ b"},
		{"trailing @ joined", "a@", "a@\u200d"},
		{"issue", "#12", "#\u200d12"},
		{"cross-repo issue", "acme/repo#12", "acme/repo#\u200d12"},
		{"hash before a letter kept", "C# and #main", "C# and #main"},
		{"GH reference", "GH-12 gh-3 Gh-4", "GH-\u200d12 gh-\u200d3 Gh-\u200d4"},
		{"GH before a letter kept", "gh-pages", "gh-pages"},
		{"other dashes kept", "spring-core 1.0-rc1", "spring-core 1.0-rc1"},
		{"maven coordinates kept", "com.fasterxml.jackson.core:jackson-databind", "com.fasterxml.jackson.core:jackson-databind"},
		{"go module kept", "github.com/aws/aws-sdk-go-v2/service/s3 v1.58.2", "github.com/aws/aws-sdk-go-v2/service/s3 v1.58.2"},
		{"versions kept", "8.0.33", "8.0.33"},
		{"CVSS kept", "CVSS3 Score 7.5 >= 7.00", "CVSS3 Score 7.5 &gt;= 7.00"},
		{"emoji code", ":tada: a:b:c", "&#58;tada: a&#58;b:c"},
		{"colon kept", "a: b, c:d, 1:2.3-4", "a: b, c:d, 1:2.3-4"},
		{"emphasis and code", "`c` *b* _e_ ~s~", "&#96;c&#96; &#42;b&#42; &#95;e&#95; &#126;s&#126;"},
		{"math", "$x$", "&#36;x&#36;"},
		{"backslash", `\|`, "&#92;&#124;"},
		{"quotes kept", `"a" 'b'`, `"a" 'b'`},
		{"bullet list", "- item", "&#45; item"},
		{"plus list", "+ item", "&#43; item"},
		{"plus kept", "c++ 1+1", "c++ 1+1"},
		{"ordered list", "12. item", "12&#46; item"},
		{"ordered list alone", "3.", "3&#46;"},
		{"ordered list paren", "1) item", "1&#41; item"},
		{"leading version kept", "1.2.3", "1.2.3"},
		{"version dot after letters kept", "v1.2", "v1.2"},
		{"heading", "# h", "&#35; h"},
		{"empty heading", "###", "&#35;##\u200d"},
		{"lone hash", "#", "&#35;\u200d"},
		{"hash before a number", "#1 x", "#\u200d1 x"},
		{"quote", "> q", "&gt; q"},
		{"thematic break", "---", "&#45;--"},
		{"setext underline", "===", "&#61;=="},
		{"entity text stays text", "&#64;user &lt;", "&amp;#\u200d64;user &amp;lt;"},
		{"terminal escape", "\x1b[31mred\x1b[0m", "&#91;31mred&#91;0m"},
		{"C1 controls", "a\u009b31mb\u0000c\u007f", "a31mbc"},
		{"bidi override", "a\u202eb\u2066c\u200fd", "abcd"},
		{"invalid UTF-8", "a\xffb", "a\ufffdb"},
		{"unicode kept", "пакет 📦", "пакет 📦"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := EscapeMarkdown(tc.in); got != tc.want {
				t.Errorf("EscapeMarkdown(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestPlainText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"plain", "django 4.2", "django 4.2"},
		{"markdown kept", "a|b *c* <d>", "a|b *c* <d>"},
		{"ANSI colour", "\x1b[31mred\x1b[0m", "[31mred[0m"},
		{"OSC title", "\x1b]0;pwned\x07x", "]0;pwnedx"},
		{"C1 CSI", "a\u009b2Jb", "a2Jb"},
		{"line breaks", "a\r\nb\u2028c", "a  b c"},
		{"backspace and bell", "ab\bc\a", "abc"},
		{"bidi", "\u202egnp.exe", "gnp.exe"},
		{"invalid UTF-8", "\xc3", "\ufffd"},
		{"legacy workflow command", "a ##[set-output name=verdict]pass", "a ##\u200b[set-output name=verdict]pass"},
		{"leading workflow command", " \n::add-mask::x", ":\u200b:add-mask::x"},
		{"inner double colon kept", "a::b", "a::b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := PlainText(tc.in); got != tc.want {
				t.Errorf("PlainText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSafeURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     string
		want   string
		wantOK bool
	}{
		{"https", "https://nvd.nist.gov/vuln/detail/CVE-2024-38875", "https://nvd.nist.gov/vuln/detail/CVE-2024-38875", true},
		{"http with port, query, fragment", "http://cs.local:8080/p?a=1&b=2#x", "http://cs.local:8080/p?a=1&b=2#x", true},
		{"scheme and host lower-cased", "HTTPS://Example.COM/A", "https://example.com/A", true},
		{"trimmed", "  https://a.example/  ", "https://a.example/", true},
		{"IPv6 host", "http://[::1]:8080/x", "http://[::1]:8080/x", true},
		{"markdown characters encoded", "https://a.example/x(y)|z[1]`'\"\\", "https://a.example/x%28y%29%7Cz%5B1%5D%60%27%22%5C", true},
		{"non-ASCII path encoded", "https://a.example/пакет", "https://a.example/%D0%BF%D0%B0%D0%BA%D0%B5%D1%82", true},
		{"javascript", "javascript:alert(1)", "", false},
		{"javascript with slashes", "javascript://x.example/%0aalert(1)", "", false},
		{"data", "data:text/html,<b>x</b>", "", false},
		{"mailto", "mailto:a@b.example", "", false},
		{"ftp", "ftp://a.example/x", "", false},
		{"relative", "/vuln/1", "", false},
		{"scheme-relative", "//a.example/x", "", false},
		{"no host", "https:///x", "", false},
		{"opaque", "https:a.example", "", false},
		{"user info", "https://user:pass@a.example/", "", false},
		{"space", "https://a.example/a b", "", false},
		{"newline", "https://a.example/\nx", "", false},
		{"tab", "https://a.example/\tx", "", false},
		{"bidi", "https://a.example/\u202ex", "", false},
		{"internationalised host", "https://exаmple.com/", "", false},
		{"host with markdown", "https://a.example)x/", "", false},
		{"empty", "", "", false},
		{"too long", "https://a.example/" + strings.Repeat("a", maxURLLen), "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := SafeURL(tc.in)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("SafeURL(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestMdLinkEscapesAmpersand(t *testing.T) {
	t.Parallel()
	got := mdLink("x", "https://a.example/?a=1&lt=2")
	want := "[x](https://a.example/?a=1&amp;lt=2)"
	if got != want {
		t.Errorf("mdLink = %q, want %q", got, want)
	}
}

func TestClip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "ab…"},
		{"пакет", 4, "пак…"},
		{"abc", 0, "abc"},
		{"abc", 1, "…"},
	}
	for _, tc := range tests {
		if got := clip(tc.in, tc.n); got != tc.want {
			t.Errorf("clip(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

// ourEntityRE matches the character references EscapeMarkdown writes.
var ourEntityRE = regexp.MustCompile(`&(?:amp|lt|gt|#[0-9]+);`)

// checkEscaped fails t unless out is EscapeMarkdown's promise for in.
func checkEscaped(t *testing.T, in, out string) {
	t.Helper()
	for _, r := range out {
		if unicode.IsControl(r) || isLineBreak(r) || isBidiControl(r) {
			t.Fatalf("EscapeMarkdown(%q) = %q has control character %U", in, out, r)
		}
	}
	bare := ourEntityRE.ReplaceAllString(out, "")
	if i := strings.IndexAny(bare, "<>|\\`*_~[]()!$"); i >= 0 {
		t.Fatalf("EscapeMarkdown(%q) = %q has a raw %q", in, out, bare[i])
	}
	for _, re := range []*regexp.Regexp{rawReferenceRE, rawAutolinkRE, rawWWWRE, rawEmojiRE} {
		if m := re.FindString(bare); m != "" {
			t.Fatalf("EscapeMarkdown(%q) = %q has %q (%s)", in, out, m, re)
		}
	}
	if leadingMarkerRE.MatchString(out) {
		t.Fatalf("EscapeMarkdown(%q) = %q starts a list, a heading or a break", in, out)
	}
	decoded := html.UnescapeString(out)
	if got, want := strings.ReplaceAll(decoded, zwj, ""), strings.ReplaceAll(PlainText(in), zwj, ""); got != want {
		t.Fatalf("EscapeMarkdown(%q) reads as %q, want %q", in, got, want)
	}
	// Stricter than GitHub: a joiner follows every '@' before a word
	// character, '#' and "GH-" before a digit, and each of them at the end,
	// so text put after the escaped text cannot complete a reference either.
	for _, re := range []*regexp.Regexp{joinedMentionRE, joinedIssueRE, joinedGHRE} {
		if m := re.FindString(decoded); m != "" {
			t.Fatalf("EscapeMarkdown(%q) = %q reads as %q: %q has no joiner", in, out, decoded, m)
		}
	}
	checkNoReferences(t, decoded)
}

var (
	// An '&' that starts a reference, the ':' of a URL, a "www." GFM
	// autolinks and an emoji code are never left raw.
	rawReferenceRE  = regexp.MustCompile(`&[#A-Za-z]`)
	rawAutolinkRE   = regexp.MustCompile(`://`)
	rawWWWRE        = regexp.MustCompile(`(?i)(?:^|[ *_~(\\"'<>])www\.`)
	rawEmojiRE      = regexp.MustCompile(`:[A-Za-z0-9_+-]+:`)
	leadingMarkerRE = regexp.MustCompile(`^(?:[-+#=]( |$)|\d{1,9}[.)]( |$)|([-#=])[-#= ]*$)`)
)

var (
	joinedMentionRE = regexp.MustCompile(`@([\p{L}\p{N}_]|$)`)
	joinedIssueRE   = regexp.MustCompile(`#(\p{N}|$)`)
	joinedGHRE      = regexp.MustCompile(`(?i)gh-(\p{N}|$)`)

	// What GitHub turns into a mention or an issue reference.
	mentionRE = regexp.MustCompile(`@[\p{L}\p{N}_]`)
	issueRE   = regexp.MustCompile(`#\d`)
	ghIssueRE = regexp.MustCompile(`(?i)gh-\d`)
)

// checkNoReferences fails t if text, as GitHub reads it after decoding
// character references, has an @mention or an issue reference.
func checkNoReferences(t *testing.T, text string) {
	t.Helper()
	for _, re := range []*regexp.Regexp{mentionRE, issueRE, ghIssueRE} {
		if m := re.FindString(text); m != "" {
			t.Fatalf("text has %q (%s):\n%s", m, re, text)
		}
	}
}

func FuzzEscapeMarkdown(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := EscapeMarkdown(in)
		checkEscaped(t, in, out)
		if p := PlainText(in); PlainText(p) != p {
			t.Fatalf("PlainText is not idempotent on %q", in)
		}
	})
}

func FuzzSafeURL(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, ok := SafeURL(in)
		if !ok {
			if out != "" {
				t.Fatalf("SafeURL(%q) = %q, false; want empty", in, out)
			}
			return
		}
		if !strings.HasPrefix(out, "http://") && !strings.HasPrefix(out, "https://") {
			t.Fatalf("SafeURL(%q) = %q is not http(s)", in, out)
		}
		if i := strings.IndexAny(out, " \t\r\n<>()|\\`\"'{}^"); i >= 0 {
			t.Fatalf("SafeURL(%q) = %q has %q", in, out, out[i])
		}
		u, err := url.Parse(out)
		if err != nil || u.Host == "" || u.User != nil {
			t.Fatalf("SafeURL(%q) = %q does not parse back to a URL with a host: %v", in, out, err)
		}
		if again, ok := SafeURL(out); !ok || again != out {
			t.Fatalf("SafeURL is not stable: %q -> %q -> %q, %v", in, out, again, ok)
		}
	})
}

func TestEscapeAdvice(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"set the `token` input to a current API token", "set the `token` input to a current API token"},
		{"set `--token` / `CODESCORING_TOKEN` to a token", "set `--token` / `CODESCORING_TOKEN` to a token"},
		{"run the action once with `command: doctor`", "run the action once with `command: doctor`"},
		{"a <b> and `<script>` span", "a &lt;b&gt; and &#96;&lt;script&gt;&#96; span"},
		{"an `unclosed span", "an &#96;unclosed span"},
		{"a `http://x@y` link", "a &#96;http&#58;//x@\u200dy&#96; link"},
		{"``", "&#96;&#96;"},
		{"- a list? `x`", "&#45; a list? `x`"},
	} {
		if got := EscapeAdvice(tc.in); got != tc.want {
			t.Errorf("EscapeAdvice(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

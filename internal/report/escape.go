package report

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// zwj (U+200D ZERO WIDTH JOINER) is put after an '@', '#' or "GH-" that
// GitHub would read as an @mention or an issue reference, so that it finds
// none in server text while the text still reads the same.
const zwj = "\u200d"

// maxURLLen is the longest URL SafeURL accepts as a link target.
const maxURLLen = 2048

// mdEntities are the characters EscapeMarkdown always writes as HTML
// character references: each can start or end markdown syntax anywhere in
// a line (a table cell, emphasis, a code span, a link or image, math,
// strikethrough, HTML or an autolink). A reference is plain text both in
// markdown and in HTML (inside <details>/<summary>), so one escape serves
// both contexts.
var mdEntities = [utf8.RuneSelf]string{
	'<':  "&lt;",
	'>':  "&gt;",
	'|':  "&#124;",
	'\\': "&#92;",
	'`':  "&#96;",
	'*':  "&#42;",
	'_':  "&#95;",
	'~':  "&#126;",
	'[':  "&#91;",
	']':  "&#93;",
	'(':  "&#40;",
	')':  "&#41;",
	'!':  "&#33;",
	'$':  "&#36;",
}

// EscapeMarkdown returns s as one line of inert text for GitHub-flavoured
// markdown and HTML: it may be put in a table cell, a list item, a heading,
// link text or between HTML tags, and is shown as the characters of s.
//
// Line breaks of every kind (CR, LF, VT, FF, NEL, U+2028, U+2029) and tabs
// become spaces; other control and bidirectional-override characters are
// dropped; invalid UTF-8 becomes U+FFFD; leading and trailing space is
// trimmed. Only what GitHub would read as syntax is escaped, so versions and
// coordinates (django 4.2.2, com.fasterxml.jackson.core:jackson-databind,
// @angular/core) stay readable in the edit view and in e-mail:
//
//   - markdown and HTML syntax characters (< > | \ ` * _ ~ [ ] ( ) ! $)
//     become character references, and so does an '&' that could start one;
//   - a leading list, heading or thematic-break marker is neutralised;
//   - the ':' of "://", the '.' of a leading "www." and the first ':' of an
//     emoji code such as ":tada:" become references, so nothing is
//     autolinked or turned into an emoji;
//   - a zero-width joiner follows an '@' before a letter, digit or '_', a
//     '#' before a digit and a "GH-" before a digit, so the text cannot
//     mention a user or team or reference an issue or pull request (also
//     when the text is put before other text).
//
// EscapeMarkdown never fails.
func EscapeMarkdown(s string) string {
	s = PlainText(s)
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		rest := s[i+size:]
		switch {
		case r < utf8.RuneSelf && mdEntities[r] != "":
			b.WriteString(mdEntities[r])
		case r == '&' && startsReference(rest):
			b.WriteString("&amp;")
		case i == 0 && leadingMarker(s):
			// "- x", "+ x", "# x", "---": a list item, a heading or a
			// thematic break when the text starts a line.
			fmt.Fprintf(&b, "&#%d;", r)
			if r == '#' && (rest == "" || isDigitStart(rest)) {
				b.WriteString(zwj)
			}
		case r == '.' && isOrderedListStart(s, i):
			b.WriteString("&#46;")
		case r == ':' && strings.HasPrefix(rest, "//"):
			b.WriteString("&#58;")
		case r == ':' && isEmojiCode(rest):
			b.WriteString("&#58;")
		case r == '.' && i == 3 && strings.EqualFold(s[:3], "www"):
			b.WriteString("&#46;")
		case r == '.' && i >= 4 && strings.EqualFold(s[i-3:i], "www") && startsWWW(s[i-4]):
			b.WriteString("&#46;")
		case r == '@' && (rest == "" || isWordStart(rest)):
			b.WriteString("@" + zwj)
		case r == '#' && (rest == "" || isDigitStart(rest)):
			b.WriteString("#" + zwj)
		case r == '-' && i >= 2 && strings.EqualFold(s[i-2:i], "gh") && (rest == "" || isDigitStart(rest)):
			b.WriteString("-" + zwj)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// startsReference reports whether an '&' followed by rest could be read as
// a character reference ("&amp;", "&#64;").
func startsReference(rest string) bool {
	if rest == "" {
		return false
	}
	c := rest[0]
	return c == '#' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// leadingMarker reports whether s starts with a list marker ("-", "+" or
// "*" and a space), a heading marker ("#" and a space) or a thematic break,
// or is only such a marker.
func leadingMarker(s string) bool {
	c := s[0]
	if c != '-' && c != '+' && c != '#' && c != '=' {
		return false
	}
	if len(s) == 1 || s[1] == ' ' {
		return true
	}
	// "---", "- - -", "===", "###": a thematic break, a setext underline or
	// an empty heading.
	return strings.Trim(s, string(c)+" ") == ""
}

// isOrderedListStart reports whether s[i] is the '.' of an ordered list
// marker at the start of s: one to nine digits, then '.', then a space or
// the end.
func isOrderedListStart(s string, i int) bool {
	if i < 1 || i > 9 || strings.Trim(s[:i], "0123456789") != "" {
		return false
	}
	return i+1 == len(s) || s[i+1] == ' '
}

// isEmojiCode reports whether rest, after a ':', is an emoji short code
// and its closing ':', as GitHub renders ":tada:".
func isEmojiCode(rest string) bool {
	end := strings.IndexByte(rest, ':')
	if end <= 0 {
		return false
	}
	for i := 0; i < end; i++ {
		c := rest[i]
		if !isCodeByte(c) {
			return false
		}
	}
	return true
}

// isCodeByte reports whether c may be part of an emoji code.
func isCodeByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '+' || c == '-'
}

// startsWWW reports whether a "www." after c is autolinked: after a space
// or one of GFM's delimiters.
func startsWWW(c byte) bool {
	return strings.IndexByte(" *_~(\"'<>", c) >= 0
}

// isWordStart reports whether s starts with a letter, a digit or '_': what
// can follow the '@' of a mention or an e-mail address.
func isWordStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r)
}

// isDigitStart reports whether s starts with a digit of any script.
func isDigitStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsDigit(r) || unicode.IsNumber(r)
}

// zwsp (U+200B ZERO WIDTH SPACE) breaks workflow commands in PlainText.
const zwsp = "\u200b"

// PlainText returns s as one line of plain text, safe for a terminal, a log
// or an annotation: line breaks and tabs become spaces; C0 and C1 control
// characters (and so every terminal escape sequence's introducer), DEL and
// bidirectional-override characters are dropped; invalid UTF-8 becomes
// U+FFFD; leading and trailing space is trimmed. A zero-width space breaks
// GitHub's workflow commands: the "##[" prefix the runner finds anywhere in
// a log line, and a leading "::". PlainText never fails.
func PlainText(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			clean = false
			break
		}
	}
	if !clean {
		s = strings.ToValidUTF8(s, "\uFFFD")
		var b strings.Builder
		b.Grow(len(s))
		for _, r := range s {
			switch {
			case isLineBreak(r) || r == '\t':
				b.WriteByte(' ')
			case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0, isBidiControl(r):
				// dropped
			default:
				b.WriteRune(r)
			}
		}
		s = b.String()
	}
	s = strings.TrimSpace(s)
	if strings.Contains(s, "##[") {
		s = strings.ReplaceAll(s, "##[", "##"+zwsp+"[")
	}
	if strings.HasPrefix(s, "::") {
		s = ":" + zwsp + s[1:]
	}
	return s
}

// isLineBreak reports whether r ends a line for some reader of the text.
func isLineBreak(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', 0x85, 0x2028, 0x2029:
		return true
	}
	return false
}

// isBidiControl reports whether r changes the display order of text, which
// can make a table cell read differently from what it contains.
func isBidiControl(r rune) bool {
	switch {
	case r == 0x061c, r == 0x200e, r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e:
		return true
	case r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// SafeURL returns s normalised as a link target, and true, when s is an
// absolute http or https URL with a host and no user information. Otherwise
// it returns "" and false, and the caller shows s as text (EscapeMarkdown).
//
// The returned URL has no whitespace, quotes, angle brackets, parentheses,
// backslashes, backticks, pipes, brackets outside the host or non-ASCII
// bytes (they are percent-encoded), so it can be put between the
// parentheses of a markdown link, also inside a table cell.
func SafeURL(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > maxURLLen {
		return "", false
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f || isLineBreak(r) || isBidiControl(r) || (r >= 0x80 && r < 0xa0) || r == utf8.RuneError {
			return "", false
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", false
	}
	if u.Opaque != "" || u.User != nil || u.Hostname() == "" {
		return "", false
	}
	for i := 0; i < len(u.Host); i++ {
		if !isHostByte(u.Host[i]) {
			return "", false
		}
	}
	rest := u.EscapedPath()
	if u.RawQuery != "" || u.ForceQuery {
		rest += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		rest += "#" + u.EscapedFragment()
	}
	return scheme + "://" + strings.ToLower(u.Host) + percentEncodeUnsafe(rest), true
}

// isHostByte reports whether c may appear in the host[:port] of a URL we
// link to: letters, digits, '.', '-', '_', and ':' '[' ']' for ports and
// IPv6 literals. Internationalised hosts are not linked (homographs).
func isHostByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte(".-_:[]", c) >= 0
}

// percentEncodeUnsafe percent-encodes every byte of s that is not an
// unreserved character or a URL delimiter that is inert in a markdown link
// destination.
func percentEncodeUnsafe(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isLinkByte(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// isLinkByte reports whether c can stay as it is in the path, query or
// fragment of a link destination.
func isLinkByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("-._~%/?#&=+,;:@!$*", c) >= 0
}

// mdLink returns a markdown link to target (a SafeURL result) with the
// already escaped text. '&' in the destination is written as a character
// reference because markdown decodes references there.
func mdLink(escapedText, target string) string {
	return "[" + escapedText + "](" + strings.ReplaceAll(target, "&", "&amp;") + ")"
}

// clip returns s cut to at most n runes, with "…" at the end when cut.
func clip(s string, n int) string {
	if n <= 0 || utf8.RuneCountInString(s) <= n {
		return s
	}
	i, count := 0, 0
	for i = range s {
		if count == n-1 {
			break
		}
		count++
	}
	return s[:i] + "…"
}

// EscapeAdvice returns the gate's own advice (gate.Advice) as markdown: its
// `code` spans stay code, so the user sees `token` as code rather than
// literal backticks; everything else is escaped as EscapeMarkdown does. Only
// a span of setting names and words (letters, digits, spaces and "_-./=,:",
// no "://") stays code; any other span, an empty one and an unclosed
// backtick are escaped, so advice cannot open markup, a link or a mention.
func EscapeAdvice(s string) string {
	parts := strings.Split(PlainText(s), "`")
	var b strings.Builder
	for i, p := range parts {
		code := i%2 == 1 && i < len(parts)-1 && codeSpanSafe(p)
		switch {
		case code:
			b.WriteString("`" + p + "`")
		case i%2 == 1:
			// An empty span or an unclosed backtick: shown as written.
			b.WriteString(mdEntities['`'] + EscapeMarkdown(p))
			if i < len(parts)-1 {
				b.WriteString(mdEntities['`'])
			}
		default:
			b.WriteString(escapeInline(p))
		}
	}
	return b.String()
}

// escapeInline is EscapeMarkdown for text in the middle of a line: the
// spaces around it are kept.
func escapeInline(s string) string {
	lead := s[:len(s)-len(strings.TrimLeft(s, " "))]
	trail := s[len(strings.TrimRight(s, " ")):]
	if strings.TrimSpace(s) == "" {
		return s
	}
	return lead + EscapeMarkdown(s) + trail
}

// codeSpanSafe reports whether s may be the text of a code span of advice.
func codeSpanSafe(s string) bool {
	if strings.TrimSpace(s) == "" || strings.Contains(s, "://") {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(" _-./=,:", r)
		if !ok {
			return false
		}
	}
	return true
}

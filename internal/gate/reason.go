package gate

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// reasonKeys is every reason Decide gives a finding, as the i18n key whose
// English form is the reason's format (a test keeps each reason Decide
// writes matched by one of them).
var reasonKeys = []string{
	"reason.inactive", "reason.notblocker", "reason.blocker", "reason.resolved", "what.ignored",
	"reason.fixed", "reason.status", "reason.stage", "reason.undated", "reason.ended", "reason.from",
	"reason.unlisted.unknown", "reason.unlisted.blocks", "reason.unlisted.nonblocking", "reason.onbase",
	"fallback.nocommit",
}

// reasonPattern is a reason's English format as a pattern, and the verb of
// each argument.
type reasonPattern struct {
	key   string
	re    *regexp.Regexp
	verbs []byte
}

var reasonPatterns = func() []reasonPattern {
	verb := regexp.MustCompile(`%[sdq]`)
	out := make([]reasonPattern, 0, len(reasonKeys))
	for _, key := range reasonKeys {
		format := i18n.New(i18n.English).Format(key)
		var b strings.Builder
		var verbs []byte
		last := 0
		for _, m := range verb.FindAllStringIndex(format, -1) {
			b.WriteString(regexp.QuoteMeta(format[last:m[0]]))
			v := format[m[0]+1]
			verbs = append(verbs, v)
			switch v {
			case 'd':
				b.WriteString(`(-?\d+)`)
			case 'q':
				b.WriteString(`("(?:[^"\\]|\\.)*")`)
			default:
				b.WriteString(`(.+?)`)
			}
			last = m[1]
		}
		b.WriteString(regexp.QuoteMeta(format[last:]))
		out = append(out, reasonPattern{key: key, re: regexp.MustCompile("^" + b.String() + "$"), verbs: verbs})
	}
	return out
}()

var daysRE = regexp.MustCompile(`^(\d+) days?$`)

// ReasonIn is a finding's Reason, or Outcome.Fallback, in the language l: Decide's reasons (a
// stage, a date, a block delay, a status inside) in l's words, what came
// from the server (a status, a stage name) as it came. A reason Decide does
// not give is returned as it is.
func ReasonIn(reason string, l i18n.Language) string {
	if l == "" || l == i18n.English {
		return reason
	}
	p := i18n.New(l)
	for _, rp := range reasonPatterns {
		m := rp.re.FindStringSubmatch(reason)
		if m == nil {
			continue
		}
		args := make([]any, len(rp.verbs))
		for i, v := range rp.verbs {
			s := m[i+1]
			switch v {
			case 'd':
				n, _ := strconv.Atoi(s)
				args[i] = n
			case 'q':
				u, err := strconv.Unquote(s)
				if err != nil {
					u = s
				}
				args[i] = u
			default:
				args[i] = reasonArg(s, l, p)
			}
		}
		return p.T(rp.key, args...)
	}
	return reason
}

// reasonArg is a %s part of a reason in p's words: a reason inside, a
// count of days, the words the gate puts for nothing; else as it is.
func reasonArg(s string, l i18n.Language, p i18n.Printer) string {
	if d := daysRE.FindStringSubmatch(s); d != nil {
		n, _ := strconv.Atoi(d[1])
		return p.N("n.day", n)
	}
	switch s {
	case "none":
		return p.T("reason.none")
	case "the baseline":
		return p.T("reason.thebaseline")
	}
	if name, ok := strings.CutPrefix(s, "project "); ok {
		return p.T("of.project", name)
	}
	return ReasonIn(s, l)
}

package gate

import (
	"strings"

	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// Text is a message of the i18n catalogs with its arguments, said in a
// language only where it is shown: a finding's reason, a note of the
// decision, what the gate's own errors say. The reports say it in the
// reader's language, the report files in English (String), and nothing is
// ever read back from the words. An argument that is a Text is said in the
// same language, one that is an error by Fact; any other is shown as it is
// (what the server sent stays as it came). For a plural message the first
// argument is the count that picks its form.
type Text struct {
	Key  string
	Args []any
}

// said is Text by the name the gate's errors use for what they say.
type said = Text

// say is the message key with args (a test keeps every key in the
// catalogs, with as many arguments as it takes).
func say(key string, args ...any) Text { return Text{Key: key, Args: args} }

// Say is the message key of the i18n catalogs with args, as a Text.
func Say(key string, args ...any) Text { return say(key, args...) }

// Plain is a Text of words that are the same in every language, e.g. what
// a server sent.
func Plain(s string) Text { return say("", s) }

// textOf is err as a Text: said by Fact in the language it is shown in.
func textOf(err error) Text { return say("", err) }

// IsZero reports whether t says nothing.
func (t Text) IsZero() bool { return t.Key == "" && len(t.Args) == 0 }

// String is t in English, as the report files have it.
func (t Text) String() string { return t.In(i18n.English) }

// In is t in the language l.
func (t Text) In(l i18n.Language) string {
	if t.Key == "" {
		if len(t.Args) == 1 {
			switch v := t.Args[0].(type) {
			case string:
				return v
			case error:
				return Fact(v, l)
			}
		}
		return ""
	}
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		if err, ok := a.(error); ok {
			a = Fact(err, l)
		}
		args[i] = a // a Text is said in l by the catalog's Printer
	}
	return i18n.New(l).Say(t.Key, args...)
}

// saying is a sentence made of messages, said one after the other.
type saying []said

func (s saying) in(l i18n.Language) string {
	var b strings.Builder
	for _, m := range s {
		b.WriteString(m.In(l))
	}
	return b.String()
}

// or is s in l, or msg when s is empty.
func (s saying) or(msg string, l i18n.Language) string {
	if len(s) == 0 {
		return msg
	}
	return s.in(l)
}

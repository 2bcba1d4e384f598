// Package i18n holds every sentence a person reads from the gate in each
// language it speaks, and picks a sentence's plural form by the CLDR rules
// of golang.org/x/text/feature/plural. Messages are fmt formats: a message
// takes the same arguments in every language (a test keeps them so), and
// what a machine reads (outputs, input names, JSON keys, the comment's
// marker) is never a message.
package i18n

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// Language is a language the gate speaks, by its input value.
type Language string

// The languages the gate speaks.
const (
	English Language = "en"
	Russian Language = "ru"
)

// Languages lists every language, the default first.
var Languages = []Language{English, Russian}

// Names returns the input values of Languages, e.g. for an error message.
func Names() []string {
	out := make([]string, len(Languages))
	for i, l := range Languages {
		out[i] = string(l)
	}
	return out
}

// Parse returns the language named s ("en", "ru"; case and surrounding
// space do not matter). An unknown name is an *UnknownError listing the
// known ones; the language returned with it is the one s seems to mean
// ("ru-RU", "rus", "русский": Russian), else English, so that the errors
// about the other inputs are in words the user reads.
func Parse(s string) (Language, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	for _, l := range Languages {
		if string(l) == v {
			return l, nil
		}
	}
	e := &UnknownError{Value: s}
	e.Guess, e.Guessed = guess(v)
	return e.Guess, e
}

// guess is the language whose code or name v (lower case) begins with:
// "ru", "ru_RU", "russian", "русский"; ok is false when none does.
func guess(v string) (l Language, ok bool) {
	switch {
	case strings.HasPrefix(v, "ru"), strings.HasPrefix(v, "ру"):
		return Russian, true
	case strings.HasPrefix(v, "en"), strings.HasPrefix(v, "анг"):
		return English, true
	}
	return English, false
}

// UnknownError is a `language` value the gate does not speak. Its message
// is in both languages, the one the value seems to mean first: whoever
// typed it cannot be told in a language they did not choose only.
type UnknownError struct {
	Value string
	// Guess is the language Value seems to mean when Guessed, else English.
	Guess   Language
	Guessed bool
}

func (e *UnknownError) Error() string {
	parts := make([]string, 0, len(Languages))
	for _, l := range append([]Language{e.Guess}, Languages...) {
		p := New(l)
		s := p.T("language.unknown", e.Value, strings.Join(Names(), ", "))
		if e.Guessed {
			s += p.T("language.guess", string(e.Guess))
		}
		if !slices.Contains(parts, s) {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " / ")
}

// tag is l's BCP 47 tag, for the plural rules.
func (l Language) tag() language.Tag {
	if l == Russian {
		return language.Russian
	}
	return language.English
}

// Message is one sentence in one language: a fmt format in Other, and for
// a count the forms of the CLDR plural categories the language has (en:
// one, other; ru: one, few, many, other).
type Message struct {
	One, Few, Many, Other string
}

// form returns the form of m for the plural form f, else Other.
func (m Message) form(f plural.Form) string {
	var s string
	switch f {
	case plural.One:
		s = m.One
	case plural.Few:
		s = m.Few
	case plural.Many:
		s = m.Many
	}
	if s == "" {
		return m.Other
	}
	return s
}

// isPlural reports whether m has forms for counts.
func (m Message) isPlural() bool { return m.One != "" || m.Few != "" || m.Many != "" }

// catalogs holds the messages of each language by key.
var catalogs = map[Language]map[string]Message{
	English: en,
	Russian: ru,
}

// Printer formats the messages of one language. The zero Printer speaks
// English.
type Printer struct {
	lang Language
}

// New returns the Printer of l; an unknown l speaks English.
func New(l Language) Printer {
	if _, ok := catalogs[l]; !ok {
		l = English
	}
	return Printer{lang: l}
}

// Language is the language p speaks.
func (p Printer) Language() Language {
	if p.lang == "" {
		return English
	}
	return p.lang
}

// lookup returns the message key of p's language, else the English one;
// ok is false when neither has it.
func (p Printer) lookup(key string) (Message, bool) {
	if m, ok := catalogs[p.Language()][key]; ok {
		return m, true
	}
	m, ok := en[key]
	return m, ok
}

// Sayer is words that are said in the language of the message they are
// an argument of (gate.Text).
type Sayer interface {
	In(l Language) string
}

// T formats the message key with args, each Sayer said in p's language.
// A key no catalog has (a test keeps every key used in the code in both
// catalogs) is returned as it is.
func (p Printer) T(key string, args ...any) string {
	m, ok := p.lookup(key)
	if !ok {
		return key
	}
	return p.sprintf(m.Other, args)
}

// N formats the message key for the count n: its form for n's plural
// category in p's language, with n as the first argument and then args.
func (p Printer) N(key string, n int, args ...any) string {
	m, ok := p.lookup(key)
	if !ok {
		return key
	}
	return p.sprintf(m.form(Form(p.Language(), n)), append([]any{n}, args...))
}

// Form is the CLDR cardinal plural category of the integer n in l.
func Form(l Language, n int) plural.Form {
	if n < 0 {
		n = -n
	}
	// MatchPlural takes operands modulo 10 000 000 (its doc), which keeps
	// the last digits the rules look at.
	return plural.Cardinal.MatchPlural(l.tag(), n%10_000_000, 0, 0, 0, 0)
}

// Say formats the message key with args: T, or for a plural message N
// with its first argument (an integer) as the count.
func (p Printer) Say(key string, args ...any) string {
	m, ok := p.lookup(key)
	if !ok || !m.isPlural() || len(args) == 0 {
		return p.T(key, args...)
	}
	var n int
	switch v := args[0].(type) {
	case int:
		n = v
	case int64:
		n = int(v)
	default:
		return p.T(key, args...)
	}
	return p.sprintf(m.form(Form(p.Language(), n)), args)
}

func (p Printer) sprintf(format string, args []any) string {
	return fmt.Sprintf(format, p.Args(args)...)
}

// Args is args with each Sayer said in p's language, for a line formatted
// with fmt; args itself when none is one.
func (p Printer) Args(args []any) []any {
	var out []any
	for i, a := range args {
		s, ok := a.(Sayer)
		if !ok {
			continue
		}
		if out == nil {
			out = slices.Clone(args)
		}
		out[i] = s.In(p.Language())
	}
	if out == nil {
		return args
	}
	return out
}

// init merges the catalogs kept apart from the gate's own words (doctor's,
// the comment's and the note's) into en and ru. A key in two of them would
// hide one of the messages: that is a bug, which every test of the module
// finds.
func init() {
	for _, part := range []struct {
		name   string
		en, ru map[string]Message
	}{{"doctor's", doctorEN, doctorRU}, {"the comment's", commentEN, commentRU}} {
		for _, c := range []struct{ into, from map[string]Message }{{en, part.en}, {ru, part.ru}} {
			for k, m := range c.from {
				if _, dup := c.into[k]; dup {
					panic(fmt.Sprintf("i18n: message %q of %s catalog is in another catalog too", k, part.name))
				}
				c.into[k] = m
			}
		}
	}
}

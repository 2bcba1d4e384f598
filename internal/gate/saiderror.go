package gate

import "github.com/codescoring-gate/codescoring-gate/internal/i18n"

// SaidError is a failed step whose words are the catalogs': Doing says the
// step ("create comment on o/r#1"), Err what failed in it (what GitHub or
// GitLab answered stays as it came) and Hint, when not zero, what to do.
// Error is the English, "Doing: Err: Hint"; Fact says it in the reader's
// language.
type SaidError struct {
	Doing Text
	Err   error
	Hint  Text
}

func (e *SaidError) Error() string { return e.in(i18n.English) }
func (e *SaidError) Unwrap() error { return e.Err }

func (e *SaidError) in(l i18n.Language) string {
	s := Fact(e.Err, l)
	if !e.Doing.IsZero() {
		s = e.Doing.In(l) + ": " + s
	}
	if !e.Hint.IsZero() {
		s += ": " + e.Hint.In(l)
	}
	return s
}

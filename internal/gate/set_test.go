package gate

import "testing"

func TestSetVerdict(t *testing.T) {
	t.Parallel()
	o := func(v Verdict) *Outcome { return &Outcome{Verdict: v} }
	for _, c := range []struct {
		name string
		outs []*Outcome
		want Verdict
	}{
		{"none", nil, VerdictError},
		{"one pass", []*Outcome{o(VerdictPass)}, VerdictPass},
		{"pass and warn", []*Outcome{o(VerdictPass), o(VerdictWarn)}, VerdictWarn},
		{"warn and fail", []*Outcome{o(VerdictWarn), o(VerdictFail), o(VerdictPass)}, VerdictFail},
		{"fail and error", []*Outcome{o(VerdictFail), o(VerdictError)}, VerdictError},
		{"error first", []*Outcome{o(VerdictError), o(VerdictPass)}, VerdictError},
		{"nil is error", []*Outcome{o(VerdictPass), nil}, VerdictError},
		{"empty verdict is error", []*Outcome{o(VerdictPass), o("")}, VerdictError},
	} {
		if got := SetVerdict(c.outs); got != c.want {
			t.Errorf("%s: SetVerdict = %s, want %s", c.name, got, c.want)
		}
	}
}

package gate

// SetVerdict is the one verdict of a run over several projects: error when
// any project could not be decided, else fail when any blocks, else warn
// when any would block in warn mode, else pass. A nil outcome counts as an
// error; no outcomes at all is an error too (nothing was decided).
func SetVerdict(outs []*Outcome) Verdict {
	if len(outs) == 0 {
		return VerdictError
	}
	rank := map[Verdict]int{VerdictPass: 0, VerdictWarn: 1, VerdictFail: 2, VerdictError: 3}
	v := VerdictPass
	for _, o := range outs {
		ov := VerdictError
		if o != nil {
			if _, known := rank[o.Verdict]; known {
				ov = o.Verdict
			}
		}
		if rank[ov] > rank[v] {
			v = ov
		}
	}
	return v
}

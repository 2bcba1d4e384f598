package doctor

import (
	"strings"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// listOf joins items with commas, naming at most limit of them.
func listOf(p i18n.Printer, items []string, limit int) string {
	if len(items) > limit {
		return strings.Join(items[:limit], ", ") + " " + p.T("more.n", len(items)-limit)
	}
	return strings.Join(items, ", ")
}

// orList joins items as "a, b or c".
func orList(p i18n.Printer, items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return p.T("where.or", strings.Join(items[:len(items)-1], ", "), items[len(items)-1])
}

// clip shortens s to at most n runes, on one line.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// humanDuration returns d in its largest whole unit: "45s", "12m", "5h",
// "3d". A negative d (a clock skew) reads as "0s".
func humanDuration(p i18n.Printer, d time.Duration) string {
	switch {
	case d < 0:
		return p.T("doctor.dur.s", 0)
	case d < time.Minute:
		return p.T("doctor.dur.s", int(d/time.Second))
	case d < time.Hour:
		return p.T("doctor.dur.m", int(d/time.Minute))
	case d < 48*time.Hour:
		return p.T("doctor.dur.h", int(d/time.Hour))
	}
	return p.T("doctor.dur.d", int(d/(24*time.Hour)))
}

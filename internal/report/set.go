package report

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// A run over several projects (a monorepo) reports them as one: a headline
// with the one verdict, a short table of the projects (verdict and counts,
// each linked to its page), then a section per project. One project is
// reported exactly as Comment, Summary, Terminal and Annotations do.

// projectLabel is the project as the reports name it: CodeScoring's name
// once known, else as configured.
func projectLabel(p i18n.Printer, o *gate.Outcome) string {
	if n := projectNameOf(o); n != "" {
		return n
	}
	return p.T("unknown")
}

// setWhy is the sentence under a set's headline: which projects give the
// verdict. It holds escaped project names when e escapes.
func setWhy(p i18n.Printer, outs []*gate.Outcome, e func(string) string) string {
	by := map[gate.Verdict][]string{}
	for _, o := range outs {
		by[o.Verdict] = append(by[o.Verdict], e(projectLabel(p, o)))
	}
	n := len(outs)
	count := func(v gate.Verdict) string { return p.N("set.of", n, len(by[v])) }
	list := func(v gate.Verdict) string { return strings.Join(by[v], ", ") }
	switch gate.SetVerdict(outs) {
	case gate.VerdictError:
		s := p.T("set.why.error", count(gate.VerdictError), list(gate.VerdictError))
		if len(by[gate.VerdictFail]) > 0 {
			s += p.T("set.why.fail.too", count(gate.VerdictFail), list(gate.VerdictFail))
		}
		return s
	case gate.VerdictFail:
		return p.T("set.why.fail", count(gate.VerdictFail), list(gate.VerdictFail))
	case gate.VerdictWarn:
		return p.T("set.why.warn", count(gate.VerdictWarn), list(gate.VerdictWarn))
	}
	return p.N("set.why.pass", n)
}

// countCell is a count for the projects table: a dash when the project was
// not decided.
func countCell(o *gate.Outcome, n int) string {
	if o.Decision == nil || o.Verdict == gate.VerdictError {
		return "–"
	}
	return strconv.Itoa(n)
}

// setTable is the projects table: one row per project, in the configured
// order; with analyses (the job summary) it names each analysis too.
func setTable(outs []*gate.Outcome, st mdStyle, analyses bool) string {
	p := st.p
	cols := []string{p.T("set.col.project"), p.T("set.col.verdict"), p.T("set.col.blocking"), p.T("set.col.warnings"), p.T("set.col.upcoming")}
	if analyses {
		cols = append(cols, p.T("set.col.analysis"))
	}
	var b strings.Builder
	b.WriteString(mdTableHead(cols...))
	for _, o := range outs {
		name := esc(projectLabel(p, o), st.nameLen)
		if u, ok := SafeURL(o.ReportURL); ok {
			name = mdLink(name, u)
		}
		blocking, warnings, upcoming := o.Counts()
		cells := []string{name, verdictEmoji(o.Verdict) + nbsp + verdictWord(p, o.Verdict),
			countCell(o, blocking), countCell(o, warnings), countCell(o, upcoming)}
		if analyses {
			a := ""
			if o.Analysis != nil && o.Analysis.ID != 0 {
				a = strconv.FormatInt(o.Analysis.ID, 10)
			}
			cells = append(cells, a)
		}
		b.WriteString(mdRow(cells...))
	}
	b.WriteString("\n")
	return b.String()
}

// setHead is a set's headline, the sentence and the projects table.
func setHead(outs []*gate.Outcome, st mdStyle, analyses bool) string {
	v, p := gate.SetVerdict(outs), st.p
	return fmt.Sprintf("%s %s %s\n\n%s\n\n", st.title, verdictEmoji(v), p.T("set.headline", verdictWord(p, v), p.N("n.projects", len(outs))),
		setWhy(p, outs, func(s string) string { return esc(s, st.nameLen) })) + setTable(outs, st, analyses)
}

// projectSection renders one project's part of a set's report in at most
// maxLen bytes: its own heading, then what its report alone has below the
// headline (facts, what failed, overview, tables, diagnostics), tables cut
// by layout with a note that says so.
func projectSection(o *gate.Outcome, st mdStyle, places budgetPlaces, what, where string, maxLen int) string {
	pre := mdPre(o, st)
	if _, rest, ok := strings.Cut(pre, "\n\n"); ok {
		pre = rest // the project's heading replaces the gate's headline
	}
	p := st.p
	pre = fmt.Sprintf("%s %s %s: %s\n\n", st.title, verdictEmoji(o.Verdict), esc(projectLabel(p, o), st.nameLen), verdictWord(p, o.Verdict)) + pre
	var post strings.Builder
	if o.Decision != nil && o.Verdict != gate.VerdictError && len(o.Decision.Resolved) > 0 && st.collapse {
		post.WriteString(p.N("comment.resolved", len(o.Decision.Resolved)) + "\n\n")
	}
	post.WriteString(mdDiagnostics(o, st))
	return layoutBy(st.size, pre, mdSections(o, st, places), post.String(), maxLen, leftOutNote(p, what, where))
}

// setSections renders the sections of every project so that together they
// have at most avail, counted by size: each whole when all fit, else the room is
// shared out, a section smaller than its share whole and the others cut to
// an equal share of what is left. cut reports whether any was cut.
func setSections(size measure, outs []*gate.Outcome, avail int, render func(i, maxLen int) string) (secs []string, cut bool) {
	const whole = 1 << 30
	secs = make([]string, len(outs))
	sizes := make([]int, len(outs))
	total := 0
	for i := range outs {
		secs[i] = render(i, whole)
		sizes[i] = size(secs[i])
		total += sizes[i]
	}
	if total <= avail {
		return secs, false
	}
	order := make([]int, len(outs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return sizes[a] - sizes[b] })
	left := max(avail, 0)
	for k, i := range order {
		share := left / (len(order) - k)
		if sizes[i] > share {
			secs[i] = render(i, share)
		}
		left -= size(secs[i])
	}
	return secs, true
}

// CommentSet is Comment for the outcomes of a run over several projects,
// in the configured order: the headline with the one verdict
// (gate.SetVerdict), the projects table, then each project's section,
// within opts.MaxLen: when the sections do not fit, the table stays whole
// and the sections are cut, each saying what it leaves out. One outcome
// gives exactly Comment's body.
func CommentSet(outs []*gate.Outcome, opts CommentOptions) string {
	outs = nonNil(outs)
	if len(outs) == 1 {
		return Comment(outs[0], opts)
	}
	top, maxLen := opts.style()
	p := top.p
	summaryURL, _ := SafeURL(opts.SummaryURL)
	var post strings.Builder
	post.WriteString("---\n<sub>" + footer(opts.Version, opts.APIPaths))
	if summaryURL != "" {
		post.WriteString(" · " + mdLink(p.T("footer.summary"), summaryURL))
	}
	post.WriteString("</sub>\n")
	if m := strings.TrimRight(opts.Marker, "\r\n"); m != "" {
		post.WriteString("\n" + m + "\n")
	}
	return markdownSet(outs, top, false, post.String(), p.T("limit.comment"), maxLen, func(o *gate.Outcome) (budgetPlaces, string) {
		places := budgetPlaces{p: p}
		if u, ok := SafeURL(o.ReportURL); ok {
			places.reportURL = u
		}
		return places, whereToSee(p, summaryURL, places.reportURL)
	})
}

// SummarySet is Summary for the outcomes of a run over several projects:
// the headline, the projects table with each analysis, then each project's
// section, within opts.MaxLen as CommentSet is. One outcome gives exactly
// Summary's text.
func SummarySet(outs []*gate.Outcome, opts SummaryOptions) string {
	outs = nonNil(outs)
	if len(outs) == 1 {
		return Summary(outs[0], opts)
	}
	top, maxLen := opts.style()
	p := top.p
	post := "---\n<sub>" + footer(opts.Version, opts.APIPaths) + "</sub>\n"
	return markdownSet(outs, top, true, post, p.T("limit.summary"), maxLen, func(o *gate.Outcome) (budgetPlaces, string) {
		where := p.T("where.project.the")
		if u, ok := SafeURL(o.ReportURL); ok {
			where = p.T("where.the", mdLink(p.T("where.report"), u))
		}
		return budgetPlaces{p: p}, where
	})
}

// markdownSet is the frame of CommentSet and SummarySet: the set's head in
// top's style, then each project's section one heading level down, then
// post, in at most maxLen as top counts size. what names the limit ("the
// comment's size limit"); places gives a project's links and where to see
// what its section leaves out.
func markdownSet(outs []*gate.Outcome, top mdStyle, analyses bool, post, what string, maxLen int,
	places func(o *gate.Outcome) (budgetPlaces, string)) string {
	st := top
	st.title, st.heading = top.heading, top.heading+"#"
	head := setHead(outs, top, analyses)
	render := func(i, n int) string {
		pl, where := places(outs[i])
		return projectSection(outs[i], st, pl, what, where, n)
	}
	note := st.p.T("set.cut", what) + "\n\n"
	size := st.size
	secs, cut := setSections(size, outs, maxLen-size(head)-size(post)-size(note), render)
	var b strings.Builder
	b.WriteString(head)
	if cut {
		b.WriteString(note)
	}
	for _, s := range secs {
		b.WriteString(s)
	}
	b.WriteString(post)
	if size(b.String()) > maxLen {
		// Not even the table fits: whole lines from the start, and the
		// footer (with the comment's marker).
		return keepLinesBy(size, b.String()[:b.Len()-len(post)], maxLen-size(post)) + post
	}
	return b.String()
}

// AnnotationsSet is Annotations for a run over several projects: at most
// MaxAnnotations in all, shared out one at a time between the projects
// that have any, each title naming its project. Where a project gets fewer
// than its own, its last one sums up the rest. asWarning[i], when true,
// makes project i's errors warnings (on-error warn, an outage). One outcome
// gives exactly Annotations (with the same change).
func AnnotationsSet(outs []*gate.Outcome, asWarning []bool, lang i18n.Language) []Annotation {
	p := i18n.New(lang)
	lists := make([][]Annotation, len(outs))
	want := make([]int, len(outs))
	for i, o := range outs {
		want[i] = len(annotations(orNil(o), p, MaxAnnotations))
	}
	room := make([]int, len(outs))
	for left := MaxAnnotations; left > 0; {
		gave := false
		for i := range outs {
			if left > 0 && room[i] < want[i] {
				room[i]++
				left--
				gave = true
			}
		}
		if !gave {
			break
		}
	}
	var out []Annotation
	for i, o := range outs {
		lists[i] = annotations(orNil(o), p, room[i])
		for _, a := range lists[i] {
			if i < len(asWarning) && asWarning[i] && a.Level == LevelError {
				a.Level = LevelWarning
			}
			if len(outs) > 1 {
				a.Title = fitBytes(txt(projectLabel(p, orNil(o)), termNameLen)+": "+a.Title, maxTitleLen)
			}
			out = append(out, a)
		}
	}
	return out
}

// TerminalSet is Terminal for a run over several projects: each project's
// report under a rule naming it (one footer, at the end), then one line
// with the run's verdict and each project's. One outcome gives exactly
// Terminal's report.
func TerminalSet(w io.Writer, outs []*gate.Outcome, opts TerminalOptions) error {
	outs = nonNil(outs)
	if len(outs) == 1 {
		return Terminal(w, outs[0], opts)
	}
	width := opts.Width
	if width <= 0 {
		width = DefaultTerminalWidth
	}
	p := i18n.New(opts.Language)
	var parts []string
	for i, o := range outs {
		title := p.T("set.term.rule", i+1, len(outs), txt(projectLabel(p, o), termNameLen))
		if n := max(width, 40) - len([]rune(title)); n > 0 {
			title += strings.Repeat("─", n)
		}
		if _, err := fmt.Fprintln(w, title); err != nil {
			return err
		}
		po := opts
		po.NoFooter = true
		if err := Terminal(w, o, po); err != nil {
			return err
		}
		if _, err := fmt.Fprintln(w); err != nil {
			return err
		}
		parts = append(parts, txt(projectLabel(p, o), termNameLen)+" "+verdictWord(p, o.Verdict))
	}
	t := &termWriter{color: opts.Color, width: max(width, 40)}
	v := gate.SetVerdict(outs)
	t.styled(ansiBold+verdictColor(v), p.T("set.term.title", strings.ToUpper(verdictWord(p, v)), p.N("n.projects", len(outs))))
	t.para("", setWhy(p, outs, func(s string) string { return txt(s, termNameLen) }))
	t.para("", strings.Join(parts, " · "))
	if !opts.NoFooter {
		t.blank()
		t.para("", PlainText(footerPlain(opts.Version, opts.APIPaths)))
	}
	_, err := w.Write(t.buf.Bytes())
	return err
}

// nonNil returns outs with an error outcome in place of each nil one.
func nonNil(outs []*gate.Outcome) []*gate.Outcome {
	res := make([]*gate.Outcome, len(outs))
	for i, o := range outs {
		res[i] = orNil(o)
	}
	return res
}

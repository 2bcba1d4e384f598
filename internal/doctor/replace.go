package doctor

import (
	"slices"
	"strings"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// Candidate is a path of the OpenAPI document that doctor considered as
// where the installation serves an endpoint the document lacks.
type Candidate struct {
	// Path is the path as the document writes it, e.g. "/api/scans/{pk}/".
	Path string
	// Score is how alike it is: higher is likelier.
	Score int
	// Why says what is alike and what is not.
	Why string
}

// Suggestion is doctor's replacement for an endpoint the document lacks:
// the paths with the same method and the same placeholders whose segments
// resemble it, best first, and the one to set when one stands out.
type Suggestion struct {
	// Path is the path to give `api-paths`, with "{id}" where the default
	// has it; empty when no candidate stands out.
	Path string
	// APIPaths is the `api-paths` entry to set, e.g.
	// "alerts=/api/sca/alerts/"; empty when Path is.
	APIPaths string
	// Candidates are every path considered, best first.
	Candidates []Candidate
}

// maxCandidates is how many candidates a report lists.
const maxCandidates = 5

// ignoredSegments say nothing about what a path serves.
var ignoredSegments = map[string]bool{"api": true, "v1": true, "v2": true, "v3": true}

// pagingParams are sent to every list and say nothing about which it is.
var pagingParams = map[string]bool{"page": true, "per_page": true, "page_size": true, "limit": true, "offset": true}

// replacements looks in the document for where the installation may serve
// ep: paths with ep's method and as many placeholders as its default path,
// that no other endpoint of eps uses, whose literal segments share a word
// with the default's. They are scored by the last literal segment (the
// name of the list or object: policy_alerts ~ alerts), the other shared
// segments and the query parameters the gate sends (project, analysis),
// and the best is suggested when it scores higher than the rest. It
// returns nil when no path of the document resembles ep.
func (doc *document) replacements(ep api.Endpoint, eps []api.Endpoint, p i18n.Printer) *Suggestion {
	def := ep.Default
	if def == "" {
		def = ep.Path
	}
	taken := map[string]bool{normalise(ep.Path): true}
	for _, other := range eps {
		if other.Key != ep.Key {
			n := normalise(other.Path)
			taken[n], taken[toggleSlash(n)] = true, true
		}
	}
	anchor := stems(lastLiteral(def))
	words := map[string]bool{}
	for _, seg := range literals(def) {
		for _, w := range stems(seg) {
			words[w] = true
		}
	}
	var keyParams []string
	for _, q := range ep.Query {
		if !pagingParams[q] {
			keyParams = append(keyParams, q)
		}
	}
	placeholders := strings.Count(def, "{")

	type scored struct {
		Candidate
		anchored bool
		allKeys  bool
	}
	var cs []scored
	for n, dp := range doc.paths {
		if taken[n] || !dp.methods[ep.Method] || !strings.HasSuffix(dp.raw, "/") ||
			len(paramRe.FindAllString(dp.raw, -1)) != placeholders {
			continue
		}
		var why []string
		score := 0
		last := lastLiteral(dp.raw)
		shared := intersect(anchor, stems(last))
		switch {
		case len(shared) > 0 && len(shared) == len(anchor) && len(shared) == len(stems(last)):
			score += 6
			why = append(why, p.T("doctor.why.last", last))
		case len(shared) > 0:
			score += min(2*len(shared), 4)
			why = append(why, p.T("doctor.why.lastlike", last, lastLiteral(def)))
		}
		// Words of the other segments count for it when the default has
		// them too, against it when it does not (overall_sca/start/ is
		// less like sca/start/ than sca/start/ itself); so do the words
		// of the last segment beyond those it shares.
		var also, extra []string
		for _, seg := range literals(dp.raw) {
			for _, w := range stems(seg) {
				switch {
				case seg == last && slices.Contains(shared, w):
				case words[w]:
					if !slices.Contains(also, seg) {
						also = append(also, seg)
					}
					score++
				case !slices.Contains(extra, w):
					extra = append(extra, w)
					score--
				}
			}
		}
		if len(shared) == 0 && len(also) == 0 {
			continue
		}
		if len(also) > 0 {
			why = append(why, p.T("doctor.why.below", strings.Join(also, ", ")))
		}
		if len(extra) > 0 {
			why = append(why, p.T("doctor.why.words", strings.Join(extra, ", ")))
		}
		var has, lacks []string
		for _, q := range keyParams {
			if slices.Contains(dp.query[ep.Method], q) {
				has = append(has, q)
			} else {
				lacks = append(lacks, q)
			}
		}
		score += 2*len(has) - len(lacks)
		if len(has) > 0 {
			why = append(why, p.T("doctor.why.query", strings.Join(has, ", ")))
		}
		if len(lacks) > 0 {
			why = append(why, p.T("doctor.why.noquery", strings.Join(lacks, ", ")))
		}
		cs = append(cs, scored{Candidate: Candidate{Path: dp.raw, Score: score, Why: strings.Join(why, "; ")},
			anchored: len(shared) > 0, allKeys: len(keyParams) > 0 && len(lacks) == 0})
	}
	if len(cs) == 0 {
		return nil
	}
	slices.SortFunc(cs, func(a, b scored) int {
		if a.Score != b.Score {
			return b.Score - a.Score
		}
		return strings.Compare(a.Path, b.Path)
	})
	s := &Suggestion{}
	for _, c := range cs {
		s.Candidates = append(s.Candidates, c.Candidate)
	}
	best := cs[0]
	if (len(cs) == 1 || best.Score > cs[1].Score) && (best.anchored || best.allKeys) && best.Score > 0 {
		s.Path = paramRe.ReplaceAllString(best.Path, "{id}")
		s.APIPaths = ep.Key + "=" + s.Path
	}
	return s
}

// finding is what the endpoint's finding adds about s.
func (s *Suggestion) finding(ep api.Endpoint, p i18n.Printer) string {
	switch {
	case s == nil:
		return p.T("doctor.sugg.none", ep.Method)
	case s.APIPaths != "":
		return p.N("doctor.sugg.best", len(s.Candidates), s.Candidates[0].Path)
	}
	var paths []string
	for i, c := range s.Candidates {
		if i == maxCandidates {
			break
		}
		paths = append(paths, c.Path)
	}
	return p.T("doctor.sugg.similar", strings.Join(paths, ", "))
}

// literals returns the segments of p that are not parameters and say
// something about what it serves.
func literals(p string) []string {
	var out []string
	for _, seg := range strings.Split(p, "/") {
		if seg != "" && !strings.Contains(seg, "{") && !ignoredSegments[strings.ToLower(seg)] {
			out = append(out, seg)
		}
	}
	return out
}

// lastLiteral returns the last path segment that is not a parameter.
func lastLiteral(p string) string {
	word := ""
	for _, seg := range strings.Split(p, "/") {
		if seg != "" && !strings.Contains(seg, "{") {
			word = seg
		}
	}
	return word
}

// stems returns the words of a segment ("policy_alerts": policy, alert),
// lower case and without plural endings, so that alerts ~ alert and
// analyses ~ analysis.
func stems(seg string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(seg), func(r rune) bool { return r == '_' || r == '-' || r == '.' }) {
		switch {
		case len(w) > 4 && strings.HasSuffix(w, "ies"):
			w = w[:len(w)-3] + "y"
		case len(w) > 4 && (strings.HasSuffix(w, "ses") || strings.HasSuffix(w, "sis")):
			w = w[:len(w)-2]
		case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
			w = w[:len(w)-1]
		}
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

func intersect(a, b []string) []string {
	var out []string
	for _, w := range a {
		if slices.Contains(b, w) {
			out = append(out, w)
		}
	}
	return out
}

package api

import (
	"cmp"
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	// maxNear is how many near matches a ProjectNotFoundError lists.
	maxNear = 10
	// maxFindRequests bounds the requests of a name that is not found: the
	// search itself and, while the budget lasts, one page of each search
	// for a part of the name, for near matches.
	maxFindRequests = 3
	// minTermLen is the shortest part of a name searched for.
	minTermLen = 3
)

// GetProject returns the project with id. An unknown id is an *APIError
// with status 404.
func (c *Client) GetProject(ctx context.Context, id int64) (*Project, error) {
	p, err := getOne(ctx, c, epGetProject, id, wireProject.project)
	return p, c.named(epGetProject, err)
}

// FindProject returns the one project whose name equals name, ignoring case,
// searching every page of the server's search for it. It returns
// *AmbiguousProjectError when several do, and *ProjectNotFoundError when
// none does, with up to 10 near matches, closest first by edit distance.
// The server's search is a substring match, which misses a typo
// ("payment-service" for "payments-service"): for near matches the client
// also searches for parts of the name, one page each, so that a name not
// found costs at most 3 requests when its own search fits one page.
func (c *Client) FindProject(ctx context.Context, name string) (*Project, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, errors.New("find project: the name is empty: set the `project` input to a project name or id")
	}
	found, requests, err := listAllCounted(ctx, c, epListProjects, url.Values{"search": {name}}, wireProject.project)
	if err != nil {
		return nil, c.named(epListProjects, err)
	}
	var exact []Project
	for _, p := range found {
		if strings.EqualFold(p.Name, name) {
			exact = append(exact, p)
		}
	}
	switch len(exact) {
	case 1:
		return &exact[0], nil
	case 0:
	default:
		return nil, &AmbiguousProjectError{Name: name, Matches: exact}
	}
	for _, term := range searchTerms(name) {
		if requests >= maxFindRequests {
			break
		}
		requests++
		more, err := searchPage(ctx, c, term)
		if ctx.Err() != nil {
			return nil, err
		}
		// A failed search for near matches leaves the answer as it is: no
		// project has the name.
		found = append(found, more...)
	}
	return nil, &ProjectNotFoundError{Name: name, Near: nearMatches(name, found)}
}

// searchPage returns the projects on the first page of a search for term.
func searchPage(ctx context.Context, c *Client, term string) ([]Project, error) {
	p, err := fetchPage[wireProject](ctx, c, c.pageURL(epListProjects, url.Values{"search": {term}}, 1))
	if err != nil {
		return nil, err
	}
	var out []Project
	for _, w := range p.Results {
		if pr, err := w.project(); err == nil {
			out = append(out, pr)
		}
	}
	return out, nil
}

// searchTerms returns the parts of name worth searching for near matches,
// most telling first: its words (split at anything but letters and digits)
// of 3 or more characters, longest first, then its first and last third (of
// at least 3 characters).
func searchTerms(name string) []string {
	words := strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	slices.SortStableFunc(words, func(a, b string) int { return utf8.RuneCountInString(b) - utf8.RuneCountInString(a) })
	// A typo inside a single word leaves its start or its end intact.
	rs := []rune(name)
	n := min(len(rs), max(minTermLen, len(rs)/3))
	words = append(words, string(rs[:n]), string(rs[len(rs)-n:]))
	var out []string
	for _, t := range words {
		t = strings.TrimSpace(t)
		if utf8.RuneCountInString(t) < minTermLen || strings.EqualFold(t, name) ||
			slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, t) }) {
			continue
		}
		out = append(out, t)
	}
	return out
}

// nearMatches returns up to maxNear of projects, each once, whose names are
// close to name: within an edit distance of a third of its length (at least
// 2), or containing it or contained in it, closest first.
func nearMatches(name string, projects []Project) []Project {
	lower := strings.ToLower(name)
	limit := max(2, utf8.RuneCountInString(name)/3)
	type scored struct {
		p    Project
		dist int
	}
	var near []scored
	seen := map[int64]bool{}
	for _, p := range projects {
		pl := strings.ToLower(p.Name)
		if seen[p.ID] || pl == "" {
			continue
		}
		seen[p.ID] = true
		d := EditDistance(lower, pl)
		if d <= limit || strings.Contains(pl, lower) || strings.Contains(lower, pl) {
			near = append(near, scored{p, d})
		}
	}
	slices.SortStableFunc(near, func(a, b scored) int { return cmp.Compare(a.dist, b.dist) })
	out := make([]Project, 0, min(len(near), maxNear))
	for _, s := range near[:min(len(near), maxNear)] {
		out = append(out, s.p)
	}
	return out
}

// EditDistance is the Levenshtein distance of a and b, in runes: the measure
// of near project names here and of the CLI's "did you mean".
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"
)

const (
	// perPage is the page size the client asks for: the contract's maximum.
	perPage = 100
	// maxPages guards against a server that never stops paginating.
	maxPages = 10000
	// maxInFlight bounds the pages fetched at once when the count is known.
	maxInFlight = 4
)

// getOne fetches one object of ep and converts it.
func getOne[W any, T any](ctx context.Context, c *Client, ep endpointID, id int64, conv func(W) (T, error)) (*T, error) {
	u := c.endpointURL(ep, id, nil)
	resp, err := c.do(ctx, &request{method: c.method(ep), url: u})
	if err != nil {
		return nil, err
	}
	return decodeObject(u.Path, resp.body, conv)
}

// decodeObject decodes and converts one object of the answer to path.
func decodeObject[W any, T any](path string, body []byte, conv func(W) (T, error)) (*T, error) {
	w, err := decodeOne[W](body)
	if err != nil {
		return nil, &DecodeError{Path: path, Err: err}
	}
	t, err := conv(w)
	if err != nil {
		return nil, &DecodeError{Path: path, Err: err}
	}
	return &t, nil
}

// fetchPage fetches and decodes one page at u.
func fetchPage[W any](ctx context.Context, c *Client, u *url.URL) (page[W], error) {
	resp, err := c.do(ctx, &request{method: http.MethodGet, url: u})
	if err != nil {
		return page[W]{}, err
	}
	p, err := decodePage[W](resp.body)
	if err != nil {
		return page[W]{}, &DecodeError{Path: u.Path, Err: err}
	}
	return p, nil
}

// pageURL returns the URL of page n of ep with query q.
func (c *Client) pageURL(ep endpointID, q url.Values, n int) *url.URL {
	q2 := url.Values{}
	for k, v := range q {
		q2[k] = v
	}
	q2.Set("page", strconv.Itoa(n))
	q2.Set("per_page", strconv.Itoa(perPage))
	return c.endpointURL(ep, 0, q2)
}

// listAll fetches every page of ep with query q and converts the items, in
// the server's order. A bare array is the whole list. When the first page
// gives the count, the other pages are computed and fetched concurrently;
// otherwise the client follows the `next` links.
func listAll[W any, T any](ctx context.Context, c *Client, ep endpointID, q url.Values, conv func(W) (T, error)) ([]T, error) {
	out, _, err := listAllCounted(ctx, c, ep, q, conv)
	return out, err
}

// listAllCounted is listAll that also returns how many pages it read, one
// request each.
func listAllCounted[W any, T any](ctx context.Context, c *Client, ep endpointID, q url.Values, conv func(W) (T, error)) ([]T, int, error) {
	first := c.pageURL(ep, q, 1)
	p, err := fetchPage[W](ctx, c, first)
	if err != nil {
		return nil, 0, err
	}
	pages := [][]W{p.Results}
	switch {
	case p.Bare:
	case p.Count >= 0:
		size := int64(len(p.Results))
		if size == 0 || p.Count <= size {
			break
		}
		n := (p.Count + size - 1) / size
		if n > int64(c.pageCap) {
			return nil, 0, fmt.Errorf("list %s: the server counts %d items, more than %d pages", first.Path, p.Count, c.pageCap)
		}
		urls := make([]*url.URL, 0, n-1)
		for i := 2; i <= int(n); i++ {
			urls = append(urls, c.pageURL(ep, q, i))
		}
		rest, err := fetchPages[W](ctx, c, urls)
		if err != nil {
			return nil, 0, err
		}
		pages = append(pages, rest...)
	default:
		rest, err := followNext[W](ctx, c, first, p.Next)
		if err != nil {
			return nil, 0, err
		}
		pages = append(pages, rest...)
	}
	var out []T
	for i, items := range pages {
		ts, err := convertAll(items, conv)
		if err != nil {
			return nil, 0, &DecodeError{Path: first.Path, Err: fmt.Errorf("page %d: %w", i+1, err)}
		}
		out = append(out, ts...)
	}
	return out, len(pages), nil
}

// fetchPages fetches the pages at urls with at most maxInFlight requests at
// once and returns their items in the order of urls. The first error cancels
// the requests still running, no request follows it, and it is returned.
func fetchPages[W any](ctx context.Context, c *Client, urls []*url.URL) ([][]W, error) {
	out := make([][]W, len(urls))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(maxInFlight)
	for i, u := range urls {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			p, err := fetchPage[W](gctx, c, u)
			out[i] = p.Results
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("list %s: %w", urls[0].Path, err)
	}
	return out, nil
}

// followNext fetches the pages after first by the server's `next` links.
func followNext[W any](ctx context.Context, c *Client, first *url.URL, next string) ([][]W, error) {
	// Keyed by the sorted query: the server may order its parameters differently.
	seen := map[string]bool{first.Query().Encode(): true}
	cur := first
	var pages [][]W
	for n := 1; next != ""; n++ {
		if n >= c.pageCap {
			return nil, fmt.Errorf("list %s: stopped after %d pages", first.Path, c.pageCap)
		}
		u, err := c.resolveNext(cur, next)
		if err != nil {
			return nil, err
		}
		key := u.Query().Encode()
		if seen[key] {
			return nil, fmt.Errorf("list %s: the server's next page link loops back to a page already read (page %q)",
				first.Path, u.Query().Get("page"))
		}
		seen[key] = true
		p, err := fetchPage[W](ctx, c, u)
		if err != nil {
			return nil, err
		}
		pages = append(pages, p.Results)
		cur, next = u, p.Next
		if p.Bare {
			break
		}
	}
	return pages, nil
}

// resolveNext turns the server's `next` link into the URL to fetch. The link
// must stay on the installation's host; of it the client uses only the
// query, on the path it called: behind a proxy, DRF writes links with the
// backend's scheme and path prefix, which would downgrade to http or miss the
// prefix of the `url` input.
func (c *Client) resolveNext(cur *url.URL, next string) (*url.URL, error) {
	ref, err := url.Parse(next)
	if err != nil {
		return nil, &DecodeError{Path: cur.Path, Err: fmt.Errorf("next page link is not a URL")}
	}
	abs := cur.ResolveReference(ref)
	if !strings.EqualFold(abs.Hostname(), c.BaseURL.Hostname()) {
		return nil, fmt.Errorf("list %s: the server's next page link points to host %q, not %q: refusing to send the token there",
			cur.Path, abs.Hostname(), c.BaseURL.Hostname())
	}
	u := *cur
	u.RawQuery = abs.RawQuery
	return &u, nil
}

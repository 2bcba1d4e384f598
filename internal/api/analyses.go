package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// StartAnalysis starts an SCA analysis of a VCS project at req's branch or
// tag and commit (the server's defaults when empty). When one is running
// already (409) it returns *AlreadyRunningError, naming the running analysis
// when the server does. It is retried on transient faults like every call:
// a start that reached the server before a fault comes back as 409.
func (c *Client) StartAnalysis(ctx context.Context, req StartRequest) (_ *Analysis, err error) {
	defer func() { err = c.named(epStartAnalysis, err) }()
	body, err := json.Marshal(wireStart(req))
	if err != nil {
		return nil, fmt.Errorf("encode start request: %w", err)
	}
	u := c.endpointURL(epStartAnalysis, 0, nil)
	resp, err := c.do(ctx, &request{method: c.method(epStartAnalysis), url: u, body: body})
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusConflict {
		running := &AlreadyRunningError{Detail: apiErr.Detail}
		if resp != nil {
			if eb, ok := decodeErrorBody(resp.body); ok {
				running.AnalysisID = eb.AnalysisID
			}
		}
		return nil, running
	}
	if err != nil {
		return nil, err
	}
	return c.decodeAnalysis(u.Path, resp.body)
}

// GetAnalysis returns the analysis with id. An unknown id is an *APIError
// with status 404.
func (c *Client) GetAnalysis(ctx context.Context, id int64) (_ *Analysis, err error) {
	defer func() { err = c.named(epGetAnalysis, err) }()
	u := c.endpointURL(epGetAnalysis, id, nil)
	resp, err := c.do(ctx, &request{method: c.method(epGetAnalysis), url: u})
	if err != nil {
		return nil, err
	}
	return c.decodeAnalysis(u.Path, resp.body)
}

// RecentAnalyses returns up to limit analyses of the project, newest first
// as the server orders them, from one page of at most 100. A limit below 1
// asks for nothing.
func (c *Client) RecentAnalyses(ctx context.Context, projectID int64, limit int) (_ []Analysis, err error) {
	defer func() { err = c.named(epListAnalyses, err) }()
	if limit < 1 {
		return nil, nil
	}
	q := url.Values{
		"project":  {strconv.FormatInt(projectID, 10)},
		"ordering": {"-started_at"},
		"page":     {"1"},
		"per_page": {strconv.Itoa(min(limit, perPage))},
	}
	u := c.endpointURL(epListAnalyses, 0, q)
	p, err := fetchPage[wireAnalysis](ctx, c, u)
	if err != nil {
		return nil, err
	}
	items := p.Results
	if len(items) > limit {
		items = items[:limit]
	}
	out, err := convertAll(items, wireAnalysis.analysis)
	if err != nil {
		return nil, &DecodeError{Path: u.Path, Err: err}
	}
	for _, a := range out {
		c.noteStatus(a)
	}
	return out, nil
}

func (c *Client) decodeAnalysis(path string, body []byte) (*Analysis, error) {
	a, err := decodeObject(path, body, wireAnalysis.analysis)
	if err != nil {
		return nil, err
	}
	c.noteStatus(*a)
	return a, nil
}

// noteStatus warns, once per value, of a status the contract does not name.
func (c *Client) noteStatus(a Analysis) {
	if !a.Status.Known() {
		c.warnOnce("status:"+string(a.Status),
			"CodeScoring reported analysis %d with unknown status %q: treating it as not finished", a.ID, truncate(string(a.Status), 40))
	}
}

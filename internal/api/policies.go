package api

import (
	"context"
	"net/url"
	"strconv"
)

// Policies returns every policy of the installation, from all pages.
func (c *Client) Policies(ctx context.Context) ([]Policy, error) {
	ps, err := listAll(ctx, c, epListPolicies, nil, wirePolicy.policy)
	return ps, c.named(epListPolicies, err)
}

// Alerts returns every policy alert of the analysis of the project, from all
// pages, in the server's order.
func (c *Client) Alerts(ctx context.Context, projectID, analysisID int64) ([]Alert, error) {
	q := url.Values{
		"project":  {strconv.FormatInt(projectID, 10)},
		"analysis": {strconv.FormatInt(analysisID, 10)},
	}
	as, err := listAll(ctx, c, epListAlerts, q, wireAlert.alert)
	return as, c.named(epListAlerts, err)
}

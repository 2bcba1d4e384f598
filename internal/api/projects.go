package api

import (
	"context"
	"errors"
	"net/url"
	"strings"
)

// maxNear is how many near matches a ProjectNotFoundError lists.
const maxNear = 10

// GetProject returns the project with id. An unknown id is an *APIError
// with status 404.
func (c *Client) GetProject(ctx context.Context, id int64) (*Project, error) {
	return getOne(ctx, c, epGetProject, id, wireProject.project)
}

// FindProject returns the one project whose name equals name, ignoring case,
// searching every page of the server's search for it. It returns
// *ProjectNotFoundError (with up to 10 near matches) when none does and
// *AmbiguousProjectError when several do.
func (c *Client) FindProject(ctx context.Context, name string) (*Project, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, errors.New("find project: the name is empty: set the `project` input to a project name or id")
	}
	found, err := listAll(ctx, c, epListProjects, url.Values{"search": {name}}, wireProject.project)
	if err != nil {
		return nil, err
	}
	var exact, near []Project
	lower := strings.ToLower(name)
	for _, p := range found {
		pl := strings.ToLower(p.Name)
		switch {
		case strings.EqualFold(p.Name, name):
			exact = append(exact, p)
		case len(near) < maxNear && pl != "" && (strings.Contains(pl, lower) || strings.Contains(lower, pl)):
			near = append(near, p)
		}
	}
	switch len(exact) {
	case 0:
		return nil, &ProjectNotFoundError{Name: name, Near: near}
	case 1:
		return &exact[0], nil
	}
	return nil, &AmbiguousProjectError{Name: name, Matches: exact}
}

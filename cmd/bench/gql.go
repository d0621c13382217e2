package main

import (
	"context"
	"net/http"
	"time"

	"github.com/rolegraph/rolegraph/internal/gqlclient"
)

// gqlClient speaks GraphQL over real HTTP to one replica as one identity,
// through the client the tests use too.
type gqlClient struct{ gqlclient.Client }

var httpClient = &http.Client{
	Timeout: 5 * time.Minute,
	Transport: &http.Transport{
		MaxIdleConns:        64,
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     5 * time.Minute,
		DisableCompression:  true,
	},
}

// do sends one request and decodes data into out (nil: discard). Any
// GraphQL error is an error.
func (c *gqlClient) do(ctx context.Context, query string, vars map[string]any, out any) error {
	return c.Do(ctx, query, vars, out)
}

const canQuery = `query($p: String!, $r: ID) { can(permission: $p, resourceId: $r) }`

func (c *gqlClient) can(ctx context.Context, permission, resourceID string) (bool, error) {
	var out struct {
		Can bool `json:"can"`
	}
	err := c.do(ctx, canQuery, map[string]any{"p": permission, "r": resourceID}, &out)
	return out.Can, err
}

const (
	pageQuery = `query($n: Int) { interactions(first: $n) {
		edges { node { id title } } pageInfo { hasNextPage endCursor } } }`
	pageFlagsQuery = `query($n: Int) { interactions(first: $n) {
		edges { node { id title viewerCan { read write delete download } } } pageInfo { hasNextPage endCursor } } }`
)

type pageResult struct {
	Interactions struct {
		Edges []struct {
			Node struct {
				ID        string `json:"id"`
				ViewerCan *struct {
					Read, Write, Delete, Download bool
				} `json:"viewerCan"`
			} `json:"node"`
		} `json:"edges"`
	} `json:"interactions"`
}

func (c *gqlClient) page(ctx context.Context, flags bool, n int) (*pageResult, error) {
	q := pageQuery
	if flags {
		q = pageFlagsQuery
	}
	var out pageResult
	err := c.do(ctx, q, map[string]any{"n": n}, &out)
	return &out, err
}

const setRoleGrantsMutation = `mutation($r: ID!, $g: [GrantInput!]!) { setRoleGrants(roleId: $r, grants: $g) { id } }`

func (c *gqlClient) setRoleGrants(ctx context.Context, roleID string, grants []map[string]string) error {
	if grants == nil {
		grants = []map[string]string{}
	}
	return c.do(ctx, setRoleGrantsMutation, map[string]any{"r": roleID, "g": grants}, nil)
}

const evaluationsQuery = `query($n: Int) { evaluations(first: $n) { id score } }`

// evaluations returns how many evaluations the first page held.
func (c *gqlClient) evaluations(ctx context.Context, n int) (int, error) {
	var out struct {
		Evaluations []struct {
			ID string `json:"id"`
		} `json:"evaluations"`
	}
	err := c.do(ctx, evaluationsQuery, map[string]any{"n": n}, &out)
	return len(out.Evaluations), err
}

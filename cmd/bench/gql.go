package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// gqlClient speaks GraphQL over real HTTP to one replica as one identity.
type gqlClient struct {
	url   string // http://host:port/graphql
	token string
	hc    *http.Client
}

var httpClient = &http.Client{
	Timeout: 5 * time.Minute,
	Transport: &http.Transport{
		MaxIdleConns:        64,
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     5 * time.Minute,
		DisableCompression:  true,
	},
}

type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// do sends one request and decodes data into out (nil: discard). Any
// GraphQL error is an error.
func (c *gqlClient) do(ctx context.Context, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	res, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	var decoded struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.Unmarshal(raw, &decoded); err != nil {
		return fmt.Errorf("HTTP %d, not JSON: %.200s", res.StatusCode, raw)
	}
	if len(decoded.Errors) > 0 {
		return fmt.Errorf("GraphQL error %v: %s", decoded.Errors[0].Extensions["code"], decoded.Errors[0].Message)
	}
	if out != nil {
		return json.Unmarshal(decoded.Data, out)
	}
	return nil
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

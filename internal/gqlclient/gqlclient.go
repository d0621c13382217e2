// Package gqlclient speaks GraphQL over HTTP to rolegraph as one identity.
// It is the one client the end-to-end, fault and limit tests and cmd/bench
// share, so a change to the transport (a header, the error shape) is made
// once.
package gqlclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// ErrNotJSON is returned when the server answers with something other
// than a GraphQL JSON response (a proxy's HTML page, a truncated body).
var ErrNotJSON = errors.New("response is not GraphQL JSON")

// Client sends requests to one rolegraph endpoint.
type Client struct {
	// URL is the server's base URL (http://host:port); /graphql is added.
	URL string
	// Authorization is the header's whole value ("Bearer …"), or "" for an
	// anonymous request. Tests of malformed headers set it verbatim.
	Authorization string
	// HTTP is the transport; nil means http.DefaultClient.
	HTTP *http.Client
}

// Bearer returns a copy of c that presents token ("" for anonymous).
func (c Client) Bearer(token string) Client {
	c.Authorization = ""
	if token != "" {
		c.Authorization = "Bearer " + token
	}
	return c
}

// Error is one GraphQL error as rolegraph sends it: a message a person can
// act on and extensions.code (and field, permission …).
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// Code is extensions.code ("" when absent).
func (e Error) Code() string { s, _ := e.Extensions["code"].(string); return s }

// Field is extensions.field: the argument a BAD_USER_INPUT error is about.
func (e Error) Field() string { s, _ := e.Extensions["field"].(string); return s }

func (e Error) Error() string { return e.Code() + ": " + e.Message }

// Response is one decoded answer.
type Response struct {
	Status int
	Header http.Header
	Data   json.RawMessage
	Errors []Error
	// Raw is the body as received, for failure messages.
	Raw []byte
}

// Err is the first GraphQL error, or nil.
func (r *Response) Err() error {
	if len(r.Errors) == 0 {
		return nil
	}
	return r.Errors[0]
}

// Post sends one operation. A GraphQL error is not a Go error here (read
// r.Errors); transport failures and non-JSON answers are.
func (c Client) Post(ctx context.Context, query string, vars map[string]any) (*Response, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return nil, fmt.Errorf("encoding request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(c.URL, "/")+"/graphql", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.Authorization != "" {
		req.Header.Set("Authorization", c.Authorization)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, fmt.Errorf("reading response (HTTP %d): %w", res.StatusCode, err)
	}
	out := &Response{Status: res.StatusCode, Header: res.Header, Raw: raw}
	var decoded struct {
		Data   json.RawMessage `json:"data"`
		Errors []Error         `json:"errors"`
	}
	if err := json.Unmarshal(raw, &decoded); err != nil {
		return out, fmt.Errorf("%w (HTTP %d): %.300s", ErrNotJSON, res.StatusCode, raw)
	}
	out.Data, out.Errors = decoded.Data, decoded.Errors
	return out, nil
}

// Do sends one operation that must succeed and decodes its data into out
// (nil: discard). A GraphQL error comes back as an Error.
func (c Client) Do(ctx context.Context, query string, vars map[string]any, out any) error {
	r, err := c.Post(ctx, query, vars)
	if err != nil {
		return err
	}
	if err := r.Err(); err != nil {
		return err
	}
	if out == nil || len(r.Data) == 0 {
		return nil
	}
	if err := json.Unmarshal(r.Data, out); err != nil {
		return fmt.Errorf("decoding data: %w", err)
	}
	return nil
}

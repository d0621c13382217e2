package server

// GraphQL over HTTP (the GraphQL-over-HTTP spec, graphql.github.io/graphql-over-http):
// the media type of an answer and its status code.
//
// A client that accepts application/graphql-response+json gets that media
// type, on every answer of /graphql (rolegraph's own refusals included), and
// the spec's status codes: an operation that was not executed (it did not
// parse, did not validate, its variables did not fit, a limit or a rule
// refused it before any resolver ran) has no "data" and a 4xx status (400;
// 401 and 403 for UNAUTHENTICATED and FORBIDDEN), and one that was
// executed is 200, with "data" and any field errors. Under application/json
// (the default, and what a client that names neither gets) nothing
// changes: a parse or validation error is 200 with "errors" (errors.go),
// since Apollo and urql clients of that media type treat a 4xx as a
// network failure and hide the errors.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/rolegraph/rolegraph/errs"
)

// The media types a /graphql answer can have.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// negotiateMediaType picks the answer's media type from the Accept header
// values: the supported type with the highest q (the first listed on a
// tie); application/json for "*/*", "application/*", no Accept, or only
// types rolegraph cannot answer with (the spec lets a server disregard
// Accept rather than answer 406, and application/json is what the
// clients that send such headers read).
func negotiateMediaType(accept []string) string {
	best, bestQ := mediaJSON, -1.0
	for _, header := range accept {
		for part := range strings.SplitSeq(header, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			q := 1.0
			if s, ok := params["q"]; ok {
				if q, err = strconv.ParseFloat(s, 64); err != nil || q < 0 || q > 1 {
					continue
				}
			}
			var offered string
			switch mt {
			case mediaGraphQLResponse:
				offered = mediaGraphQLResponse
			case mediaJSON, "application/*", "*/*":
				offered = mediaJSON
			default:
				continue
			}
			if q > 0 && q > bestQ {
				best, bestQ = offered, q
			}
		}
	}
	return best
}

// graphqlMediaType negotiates the media type of a /graphql answer and makes
// every handler inside agree on it: gqlgen's transports see an Accept
// naming exactly the chosen type, or none for application/json (they would
// otherwise negotiate on their own, ignoring q), and under application/graphql-response+json the
// Content-Type of rolegraph's own refusals (401, 413, 415, 503: written
// as application/json) is replaced.
func graphqlMediaType(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		accept := r.Header.Values("Accept")
		mt := negotiateMediaType(accept)
		// A request that already names exactly the chosen type, or names
		// none for application/json (what the transports answer it then),
		// is passed as it came: cloning its headers cost every request.
		if !(len(accept) == 1 && accept[0] == mt) && !(len(accept) == 0 && mt == mediaJSON) {
			r = r.Clone(r.Context())
			r.Header.Set("Accept", mt)
		}
		if mt == mediaGraphQLResponse {
			w = &mediaTypeWriter{ResponseWriter: w}
		}
		next.ServeHTTP(w, r)
	})
}

// mediaTypeWriter sets Content-Type: application/graphql-response+json on
// an answer written as JSON.
type mediaTypeWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *mediaTypeWriter) fix() {
	if w.wrote {
		return
	}
	w.wrote = true
	h := w.Header()
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	if h.Get("Content-Type") == "" || (err == nil && mt == mediaJSON) {
		h.Set("Content-Type", mediaGraphQLResponse)
	}
}

func (w *mediaTypeWriter) WriteHeader(status int) { w.fix(); w.ResponseWriter.WriteHeader(status) }
func (w *mediaTypeWriter) Write(b []byte) (int, error) {
	w.fix()
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *mediaTypeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// specStatus is a gqlgen transport (POST or GET) that, under
// application/graphql-response+json, answers an operation that was not
// executed with a 4xx and without "data". gqlgen decides that status from
// a process-wide table of error kinds, which errors.go sets so that
// application/json answers parse and validation errors 200; this transport
// decides it per request instead, from what refused the operation.
type specStatus struct{ graphql.Transport }

func (t specStatus) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	if r.Header.Get("Accept") != mediaGraphQLResponse { // set by graphqlMediaType
		t.Transport.Do(w, r, exec)
		return
	}
	x := &refusals{GraphExecutor: exec}
	sw := &refusalWriter{ResponseWriter: w, x: x}
	t.Transport.Do(sw, r, x)
	sw.flush()
}

// refusals remembers the errors that stopped an operation before it was
// executed: everything CreateOperationContext refuses (parse, validation,
// variables, persisted query, limits, identity.ServicesRead).
type refusals struct {
	graphql.GraphExecutor
	errs gqlerror.List
}

func (x *refusals) CreateOperationContext(ctx context.Context, p *graphql.RawParams) (*graphql.OperationContext, gqlerror.List) {
	oc, errs := x.GraphExecutor.CreateOperationContext(ctx, p)
	x.errs = errs
	return oc, errs
}

// refusalWriter holds back the answer to a refused operation, to give it
// the spec's status and drop its "data": null (gqlgen's Response always
// writes "data"; a request error has none). Executed operations pass
// through untouched.
type refusalWriter struct {
	http.ResponseWriter
	x      *refusals
	status int
	held   bytes.Buffer
}

func (w *refusalWriter) refused() bool { return len(w.x.errs) > 0 }

func (w *refusalWriter) WriteHeader(status int) {
	if w.refused() {
		w.status = status
		return
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *refusalWriter) Write(b []byte) (int, error) {
	if w.refused() {
		return w.held.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// flush writes a held answer: its status from the first refusal's code,
// its body without "data".
func (w *refusalWriter) flush() {
	if !w.refused() {
		return
	}
	body := w.held.Bytes()
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) == nil {
		if d, ok := m["data"]; ok && string(bytes.TrimSpace(d)) == "null" {
			delete(m, "data")
			if b, err := json.Marshal(m); err == nil {
				body = b
			}
		}
	}
	w.ResponseWriter.WriteHeader(refusalStatus(w.x.errs, w.status))
	_, _ = w.ResponseWriter.Write(body)
}

// refusalStatus is the status of an operation refused before it was
// executed: 401 or 403 when the refusal is about who asks, 400 otherwise
// (the spec's SHOULD for documents that do not parse or validate, and
// variables that do not fit), or what the transport chose if it already
// chose a 4xx of its own.
func refusalStatus(refused gqlerror.List, chosen int) int {
	code, _ := refused[0].Extensions["code"].(string)
	var e *errs.Error
	if code == "" && errors.As(refused[0], &e) {
		code = string(e.Code) // presentError will name it so
	}
	switch {
	case code == string(errs.Unauthenticated):
		return http.StatusUnauthorized
	case code == string(errs.Forbidden):
		return http.StatusForbidden
	case chosen >= 400 && chosen < 500:
		return chosen
	}
	return http.StatusBadRequest
}

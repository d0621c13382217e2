package server

import (
	"net/http"
	"strings"
	"time"

	"github.com/rs/cors"
)

// corsMaxAge is how long a browser may reuse a preflight's answer.
const corsMaxAge = 10 * time.Minute

// withCORS lets pages on Config.CORSOrigins call next from a browser
// (github.com/rs/cors): a preflight from an allowed origin is answered 204
// with that origin echoed (never "*"), Authorization and Content-Type
// allowed, GET and POST; one from any other origin gets no CORS headers,
// so the browser refuses to send the request. Answers to allowed origins,
// refusals (401, 413, 415, 503) included, carry Access-Control-Allow-Origin
// so a page can read why it was refused. Without origins next is returned
// as is: no CORS headers at all.
func (s *Server) withCORS(next http.Handler) http.Handler {
	if len(s.Config.CORSOrigins) == 0 {
		return next
	}
	// A browser's Origin has no trailing slash; a configured one may.
	origins := make([]string, 0, len(s.Config.CORSOrigins))
	for _, o := range s.Config.CORSOrigins {
		origins = append(origins, strings.TrimRight(o, "/"))
	}
	return cors.New(cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Authorization", "Content-Type"},
		// Bearer tokens travel in Authorization, not cookies.
		AllowCredentials: false,
		MaxAge:           int(corsMaxAge / time.Second),
	}).Handler(next)
}

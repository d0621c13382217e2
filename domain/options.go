package domain

import "time"

// Option sets how a Service behaves, once, at New: a running service is
// shared by every request, so nothing about it changes after it is built.
// A test or a benchmark that wants another behaviour builds another
// Service over the same store and SpiceDB questions.
type Option func(*Service)

// WithBaseURL is where invitation links point (default
// http://127.0.0.1:8080), without a trailing slash.
func WithBaseURL(u string) Option {
	return func(s *Service) { s.baseURL = u }
}

// WithInviteTTL is how long a member invitation stays valid (default 7
// days).
func WithInviteTTL(d time.Duration) Option {
	return func(s *Service) { s.inviteTTL = d }
}

// WithEvaluationsByLookup makes Evaluations answer from one
// LookupResources of every readable evaluation rather than from the
// caller's scopes (the way before issue 15, kept to compare with).
func WithEvaluationsByLookup() Option {
	return func(s *Service) { s.evaluationsByLookupOnly = true }
}

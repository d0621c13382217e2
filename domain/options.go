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

// WithEvaluationScan sets how an evaluations page is found (Evaluations):
// it walks at most batches batches of the store's newest-first listing,
// the first of firstBatch rows (0: the page's size) and each next one
// twice the last, before one LookupResources serves it instead; batches 0
// always uses the lookup. The default is 3 batches, the first the page's
// size.
func WithEvaluationScan(batches, firstBatch int) Option {
	return func(s *Service) { s.evaluationScanBatches, s.evaluationScanBatch = batches, firstBatch }
}

// Package authz asks SpiceDB, through authzed-go, every question rolegraph
// answers about permissions, and applies the store's outbox of relationship
// updates to it. Reads are at least as fresh as the organization's last
// applied write (its ZedToken), so a revocation is denied on the next request.
package authz

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	v1 "github.com/authzed/authzed-go/proto/authzed/api/v1"
	authzed "github.com/authzed/authzed-go/v1"
	"golang.org/x/sync/singleflight"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/stats"
	"google.golang.org/grpc/status"

	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

// DefaultDecisionTimeout: a check that takes SpiceDB longer than this on
// the machines rolegraph runs on is not coming (the bench's slowest p99
// is a few ms; a full LookupResources of 100k interactions takes ~1 s
// and is not a decision).
const DefaultDecisionTimeout = 2 * time.Second

// ErrUnavailable: SpiceDB did not answer. Callers deny; nothing is allowed
// on an error.
var ErrUnavailable = errors.New("authz: permission service unavailable")

// MaxUpdatesPerWrite is SpiceDB's default limit on updates in one
// WriteRelationships call; larger outbox batches are chunked.
const MaxUpdatesPerWrite = 1000

// Object is a SpiceDB object reference.
type Object struct{ Type, ID string }

func (o Object) ref() *v1.ObjectReference {
	return &v1.ObjectReference{ObjectType: o.Type, ObjectId: o.ID}
}

// Check is one question: may member do permission on object?
type Check struct {
	Object     Object
	Permission string
	MemberID   string
}

// Authz is safe for concurrent use.
type Authz struct {
	client  *authzed.Client
	store   store.Store
	log     *slog.Logger
	timeout time.Duration

	cache *Cache // nil: every question goes to SpiceDB

	// DecisionTimeout bounds one SpiceDB question — a check, a bulk check,
	// a page of LookupResources — (0: DefaultDecisionTimeout). A SpiceDB
	// that hangs rather than refusing connections (a stopped process, a
	// black-holed network) keeps its connection up, so only a deadline
	// turns it into an answer: UNAVAILABLE, and the cache bypassed until
	// SpiceDB answers again. Writes and full listings keep the longer
	// timeout. Set it before the Authz is used.
	DecisionTimeout time.Duration

	// FailPoint, when set, is called at named points of applying updates to
	// SpiceDB; an error it returns stops the apply right there, as if the
	// process had died at that point (tests kill the applier this way).
	// Stages: "write" (before each WriteRelationships chunk), "mark" (SpiceDB
	// has the updates, MarkApplied not yet called), "remember" (after
	// MarkApplied). Set it before the Authz is used.
	FailPoint func(stage string) error
	// WriteChunk caps the updates of one WriteRelationships call; 0 (or more
	// than MaxUpdatesPerWrite) means MaxUpdatesPerWrite. Tests lower it to
	// cross chunk boundaries with small outboxes.
	WriteChunk int
	// OnOutbox, when set, is told of every attempt to apply an
	// organization's outbox batch: the entries applied, or the error.
	OnOutbox func(applied int, err error)

	// spicedbDown is set when a SpiceDB call fails as unavailable and
	// cleared by the next one that succeeds; while set, the decision cache
	// is not read.
	spicedbDown atomic.Bool
	// hungUntil (unix nanos; 0: not hung) is set when a question ran out
	// of its decision timeout: SpiceDB holds connections but does not
	// answer. Until then questions fail at once instead of each waiting
	// the timeout; after it, one question goes through as a probe while
	// the others keep failing fast (admit).
	hungUntil atomic.Int64

	// settling shares one flush of an organization's pending changes
	// among the reads that find them (settle).
	settling singleflight.Group

	mu     sync.Mutex
	tokens map[string]orgToken // the newest write this process has seen per organization
}

type orgToken struct {
	revision int64
	token    string
}

func New(client *authzed.Client, st store.Store, log *slog.Logger) *Authz {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Authz{client: client, store: st, log: log, timeout: 10 * time.Second, tokens: map[string]orgToken{}}
}

// Freshness identifies how fresh an answer must be for one organization:
// the revision and token the caller knows of (from its stored organization).
type Freshness struct {
	OrgID    string
	Revision int64
	ZedToken string
	// Pending: the organization has committed changes SpiceDB does not
	// have yet (model.Organization.Pending). Reads apply them first.
	Pending bool
}

// settle makes f safe to answer from. An organization with pending
// changes would be answered as if they had not been made — by SpiceDB and
// by every decision cached under its revision — so they are applied first,
// by this read or by one already applying them, and the organization is
// read again for the revision and token that include them. If they cannot
// be applied, nothing is answered: a revocation saved while SpiceDB was
// unreachable is never allowed past, on any replica.
func (a *Authz) settle(ctx context.Context, f Freshness) (Freshness, error) {
	if !f.Pending {
		return f, nil
	}
	done := a.settling.DoChan(f.OrgID, func() (any, error) {
		// Shared by every waiting read: one caller's cancellation must not
		// fail the others.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.timeout)
		defer cancel()
		return nil, a.Flush(fctx, f.OrgID)
	})
	var err error
	select {
	case r := <-done:
		err = r.Err
	case <-ctx.Done():
		// This read gives up; the flush goes on for the others.
		err = ctx.Err()
	}
	if err != nil {
		return f, fmt.Errorf("apply the pending changes of %s: %w", f.OrgID, err)
	}
	org, err := a.store.GetOrganization(ctx, f.OrgID)
	if err != nil {
		return f, fmt.Errorf("re-read %s after applying its pending changes: %w", f.OrgID, err)
	}
	// org may be pending again (a change committed after the flush
	// started): this answer is then ordered before that change, as any
	// read that started before its commit.
	return Freshness{OrgID: org.ID, Revision: org.Revision, ZedToken: org.ZedToken}, nil
}

// freshest picks the newest write known for the organization, from the
// caller or from this process's own writes: the revision decisions are
// cached under, and the consistency SpiceDB reads at. Both come from the
// same write, so a cached answer is never older than its key says.
func (a *Authz) freshest(f Freshness) (int64, *v1.Consistency) {
	rev, tok := f.Revision, f.ZedToken
	a.mu.Lock()
	if t, ok := a.tokens[f.OrgID]; ok && t.revision > rev {
		rev, tok = t.revision, t.token
	}
	a.mu.Unlock()
	if tok == "" {
		return rev, &v1.Consistency{Requirement: &v1.Consistency_FullyConsistent{FullyConsistent: true}}
	}
	return rev, &v1.Consistency{Requirement: &v1.Consistency_AtLeastAsFresh{AtLeastAsFresh: &v1.ZedToken{Token: tok}}}
}

func (a *Authz) consistency(f Freshness) *v1.Consistency {
	_, c := a.freshest(f)
	return c
}

// Revision is the newest revision of the organization known here.
func (a *Authz) Revision(f Freshness) int64 {
	rev, _ := a.freshest(f)
	return rev
}

// SetCache puts a decision cache in front of Check and CheckBulk.
func (a *Authz) SetCache(c *Cache) { a.cache = c }

func subject(memberID string) *v1.SubjectReference {
	return &v1.SubjectReference{Object: &v1.ObjectReference{ObjectType: rels.TypeMember, ObjectId: memberID}}
}

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if s, ok := status.FromError(err); ok {
		switch s.Code() {
		case codes.Unavailable, codes.DeadlineExceeded, codes.Canceled, codes.ResourceExhausted, codes.Unknown:
			return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err)
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// Check answers one question.
func (a *Authz) Check(ctx context.Context, f Freshness, c Check) (bool, error) {
	answers, err := a.CheckBulk(ctx, f, []Check{c})
	if err != nil {
		return false, err
	}
	return answers[0], nil
}

// checkOne asks SpiceDB one question.
func (a *Authz) checkOne(ctx context.Context, consistency *v1.Consistency, c Check) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, a.decisionTimeout())
	defer cancel()
	resp, err := a.client.CheckPermission(ctx, &v1.CheckPermissionRequest{
		Consistency: consistency,
		Resource:    c.Object.ref(),
		Permission:  c.Permission,
		Subject:     subject(c.MemberID),
	})
	if err != nil {
		return false, wrap("check "+c.Permission, err)
	}
	return resp.Permissionship == v1.CheckPermissionResponse_PERMISSIONSHIP_HAS_PERMISSION, nil
}

// maxBulk bounds one CheckBulkPermissions call (SpiceDB's default limit is
// far higher; this keeps one request's memory predictable).
const maxBulk = 500

// CheckBulk answers many questions: from the decision cache where it
// knows, the rest in one SpiceDB call per maxBulk items (a single question
// uses CheckPermission). Answers are in the order asked. Any error fails the
// whole call (deny), never a partial allow.
func (a *Authz) CheckBulk(ctx context.Context, f Freshness, checks []Check) ([]bool, error) {
	f, err := a.settle(ctx, f)
	if err != nil {
		return nil, err
	}
	rev, consistency := a.freshest(f)
	out := make([]bool, len(checks))
	todo := make([]int, 0, len(checks))
	var keys []string
	if a.cache != nil {
		keys = make([]string, len(checks))
		for i, c := range checks {
			keys[i] = DecisionKey(f.OrgID, rev, c)
		}
	}
	// While SpiceDB is known to be failing, answers come from SpiceDB only
	// (that is, none come): an outage fails closed. Correctness does not
	// rest on this — a change queued during the outage leaves the
	// organization pending, and settle refuses to answer for it — but an
	// admin who cannot reach SpiceDB to revoke should not see access go on.
	if a.cache != nil && !a.spicedbDown.Load() {
		answers, found := a.cache.lookup(ctx, keys)
		for i := range checks {
			if found[i] {
				out[i] = answers[i]
			} else {
				todo = append(todo, i)
			}
		}
	} else {
		for i := range checks {
			todo = append(todo, i)
		}
	}
	if len(todo) == 0 {
		return out, nil
	}
	if err := a.admit(); err != nil {
		return nil, err
	}
	if len(todo) == 1 {
		ok, err := a.checkOne(ctx, consistency, checks[todo[0]])
		if err != nil {
			return nil, a.failed(ctx, err)
		}
		out[todo[0]] = ok
	} else if err := a.bulk(ctx, consistency, checks, todo, out); err != nil {
		return nil, a.failed(ctx, err)
	}
	a.observe(nil)
	if a.cache != nil {
		k, v := make([]string, len(todo)), make([]bool, len(todo))
		for j, i := range todo {
			k[j], v[j] = keys[i], out[i]
		}
		a.cache.store(ctx, k, v)
	}
	return out, nil
}

// bulk asks SpiceDB the questions checks[todo...] and fills out.
func (a *Authz) bulk(ctx context.Context, consistency *v1.Consistency, checks []Check, todo []int, out []bool) error {
	for start := 0; start < len(todo); start += maxBulk {
		end := min(start+maxBulk, len(todo))
		items := make([]*v1.CheckBulkPermissionsRequestItem, 0, end-start)
		for _, i := range todo[start:end] {
			c := checks[i]
			items = append(items, &v1.CheckBulkPermissionsRequestItem{
				Resource: c.Object.ref(), Permission: c.Permission, Subject: subject(c.MemberID),
			})
		}
		cctx, cancel := context.WithTimeout(ctx, a.decisionTimeout())
		resp, err := a.client.CheckBulkPermissions(cctx, &v1.CheckBulkPermissionsRequest{Consistency: consistency, Items: items})
		cancel()
		if err != nil {
			return wrap("bulk check", err)
		}
		if len(resp.Pairs) != len(items) {
			return fmt.Errorf("bulk check: %d answers for %d questions", len(resp.Pairs), len(items))
		}
		for k, p := range resp.Pairs {
			i := todo[start+k]
			switch r := p.Response.(type) {
			case *v1.CheckBulkPermissionsPair_Item:
				out[i] = r.Item.Permissionship == v1.CheckPermissionResponse_PERMISSIONSHIP_HAS_PERMISSION
			case *v1.CheckBulkPermissionsPair_Error:
				return fmt.Errorf("bulk check %s: %s", checks[i].Permission, r.Error.GetMessage())
			default:
				return fmt.Errorf("bulk check %s: no answer", checks[i].Permission)
			}
		}
	}
	return nil
}

// LookupPage is a page of LookupResources.
type LookupPage struct {
	IDs []string
	// After[i] resumes the lookup right after IDs[i], so a caller that
	// keeps only some of a page can still continue exactly where it stopped.
	After  []string
	Cursor string // resumes after the page; "" when there is nothing more
}

// LookupResources lists the ids of objects of resourceType on which the
// member has permission. limit 0 lists them all; otherwise the page ends at
// limit and carries SpiceDB's cursor to resume after it.
//
// Limited pages (never full listings, which can be huge) are cached by
// organization revision like decisions.
func (a *Authz) LookupResources(ctx context.Context, f Freshness, resourceType, permission, memberID string, limit int, cursor string) (LookupPage, error) {
	f, err := a.settle(ctx, f)
	if err != nil {
		return LookupPage{}, err
	}
	rev, consistency := a.freshest(f)
	if a.cache == nil || limit == 0 || a.spicedbDown.Load() {
		return a.lookupResources(ctx, consistency, resourceType, permission, memberID, limit, cursor)
	}
	key := PageKey(f.OrgID, rev, resourceType, permission, memberID, limit, cursor)
	if page, ok := a.cache.lookupPage(ctx, key); ok {
		return page, nil
	}
	page, err := a.lookupResources(ctx, consistency, resourceType, permission, memberID, limit, cursor)
	if err == nil {
		a.cache.storePage(ctx, key, page)
	}
	return page, err
}

func (a *Authz) lookupResources(ctx context.Context, consistency *v1.Consistency, resourceType, permission, memberID string, limit int, cursor string) (LookupPage, error) {
	if err := a.admit(); err != nil {
		return LookupPage{}, err
	}
	page, err := a.lookupResourcesOnce(ctx, consistency, resourceType, permission, memberID, limit, cursor)
	if err != nil {
		return LookupPage{}, a.failed(ctx, err)
	}
	a.observe(nil)
	return page, nil
}

func (a *Authz) lookupResourcesOnce(ctx context.Context, consistency *v1.Consistency, resourceType, permission, memberID string, limit int, cursor string) (LookupPage, error) {
	timeout := a.timeout
	if limit > 0 {
		timeout = a.decisionTimeout()
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req := &v1.LookupResourcesRequest{
		Consistency:        consistency,
		ResourceObjectType: resourceType,
		Permission:         permission,
		Subject:            subject(memberID),
		OptionalLimit:      uint32(limit),
	}
	if cursor != "" {
		req.OptionalCursor = &v1.Cursor{Token: cursor}
	}
	stream, err := a.client.LookupResources(ctx, req)
	if err != nil {
		return LookupPage{}, wrap("lookup "+resourceType, err)
	}
	var page LookupPage
	for {
		r, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return LookupPage{}, wrap("lookup "+resourceType, err)
		}
		if r.Permissionship != v1.LookupPermissionship_LOOKUP_PERMISSIONSHIP_HAS_PERMISSION {
			continue
		}
		page.IDs = append(page.IDs, r.ResourceObjectId)
		page.After = append(page.After, r.AfterResultCursor.GetToken())
		page.Cursor = r.AfterResultCursor.GetToken()
	}
	if limit == 0 || len(page.IDs) < limit {
		page.Cursor = ""
	}
	return page, nil
}

// LookupSubjects lists the members who have permission on object.
func (a *Authz) LookupSubjects(ctx context.Context, f Freshness, obj Object, permission string) ([]string, error) {
	f, err := a.settle(ctx, f)
	if err != nil {
		return nil, err
	}
	if err := a.admit(); err != nil {
		return nil, err
	}
	out, err := a.lookupSubjects(ctx, f, obj, permission)
	if err != nil {
		return nil, a.failed(ctx, err)
	}
	a.observe(nil)
	return out, nil
}

func (a *Authz) lookupSubjects(ctx context.Context, f Freshness, obj Object, permission string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	stream, err := a.client.LookupSubjects(ctx, &v1.LookupSubjectsRequest{
		Consistency:       a.consistency(f),
		Resource:          obj.ref(),
		Permission:        permission,
		SubjectObjectType: rels.TypeMember,
	})
	if err != nil {
		return nil, wrap("lookup subjects", err)
	}
	var out []string
	for {
		r, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, wrap("lookup subjects", err)
		}
		if r.Subject == nil || r.Subject.Permissionship != v1.LookupPermissionship_LOOKUP_PERMISSIONSHIP_HAS_PERMISSION {
			continue
		}
		if r.Subject.SubjectObjectId == "*" {
			continue // a wildcard alone grants nobody in particular
		}
		out = append(out, r.Subject.SubjectObjectId)
	}
	return out, nil
}

// ToV1 is a relationship as authzed-go sends it.
func ToV1(r rels.Relationship) *v1.Relationship {
	return &v1.Relationship{
		Resource: &v1.ObjectReference{ObjectType: r.ResourceType, ObjectId: r.ResourceID},
		Relation: r.Relation,
		Subject: &v1.SubjectReference{
			Object:           &v1.ObjectReference{ObjectType: r.SubjectType, ObjectId: r.SubjectID},
			OptionalRelation: r.SubjectRelation,
		},
	}
}

// Write applies updates in chunks of at most MaxUpdatesPerWrite and
// returns the ZedToken of the last chunk. TOUCH and DELETE are idempotent,
// so a retried or replayed chunk is harmless: a chunk that fails with a
// transient error is retried with backoff (writeAttempts in all) before
// Write gives up; chunks already written stay written, and replaying the
// whole batch later converges to the same state.
func (a *Authz) Write(ctx context.Context, updates []rels.Update) (string, error) {
	size := MaxUpdatesPerWrite
	if a.WriteChunk > 0 && a.WriteChunk < size {
		size = a.WriteChunk
	}
	var token string
	for start := 0; start < len(updates); {
		end := min(start+size, len(updates))
		// One call may not name the same tuple twice (SpiceDB refuses
		// it); split there, keeping the outbox's order.
		chunk, seen := make([]*v1.RelationshipUpdate, 0, end-start), map[string]bool{}
		for i := start; i < end; i++ {
			key := updates[i].Rel.String()
			if seen[key] {
				end = i
				break
			}
			seen[key] = true
			op := v1.RelationshipUpdate_OPERATION_TOUCH
			if updates[i].Op == rels.OpDelete {
				op = v1.RelationshipUpdate_OPERATION_DELETE
			}
			chunk = append(chunk, &v1.RelationshipUpdate{Operation: op, Relationship: ToV1(updates[i].Rel)})
		}
		if err := a.failPoint("write"); err != nil {
			return "", err
		}
		t, err := a.writeChunk(ctx, chunk)
		if err != nil {
			return "", err
		}
		token = t
		start = end
	}
	return token, nil
}

// writeAttempts bounds the tries of one chunk; the backoff between them
// starts at writeBackoff and doubles (about 0.35s in all before giving up,
// after which the outbox keeps the updates for the applier).
const (
	writeAttempts = 4
	writeBackoff  = 50 * time.Millisecond
)

func (a *Authz) writeChunk(ctx context.Context, chunk []*v1.RelationshipUpdate) (string, error) {
	backoff := writeBackoff
	for attempt := 1; ; attempt++ {
		if err := a.admit(); err != nil {
			// Hung: the change stays queued, and a read that needs it
			// answered is refused at once rather than after the timeouts.
			return "", err
		}
		cctx, cancel := context.WithTimeout(ctx, a.timeout)
		resp, err := a.client.WriteRelationships(cctx, &v1.WriteRelationshipsRequest{Updates: chunk})
		cancel()
		if err == nil {
			a.observe(nil)
			return resp.WrittenAt.GetToken(), nil
		}
		if attempt >= writeAttempts || ctx.Err() != nil || !retryable(err) {
			err = wrap("write relationships", err)
			a.observe(err)
			return "", err
		}
		a.log.Debug("write relationships: retrying", "attempt", attempt, "err", err)
		select {
		case <-ctx.Done():
			return "", wrap("write relationships", err)
		case <-time.After(backoff + time.Duration(rand.Int64N(int64(backoff)))):
		}
		backoff *= 2
	}
}

// retryable: errors after which the same write may succeed (the write may
// also have been applied already; TOUCH and DELETE make that harmless).
func retryable(err error) bool {
	switch status.Code(err) {
	case codes.Unavailable, codes.DeadlineExceeded, codes.ResourceExhausted, codes.Aborted:
		return true
	}
	return errors.Is(err, context.DeadlineExceeded)
}

// ConnWatch is a gRPC stats handler for the connection to SpiceDB
// (grpc.WithStatsHandler in spicedb.Config.DialOptions). When a connection
// ends — a remote SpiceDB went away — the attached Authz stops answering
// from its decision cache until SpiceDB answers again, so that an outage
// is failed closed from the moment the connection drops rather than from
// the first failed call.
type ConnWatch struct{ a atomic.Pointer[Authz] }

// Attach names the Authz the watch reports to.
func (w *ConnWatch) Attach(a *Authz) { w.a.Store(a) }

func (w *ConnWatch) TagRPC(ctx context.Context, _ *stats.RPCTagInfo) context.Context   { return ctx }
func (w *ConnWatch) HandleRPC(context.Context, stats.RPCStats)                         {}
func (w *ConnWatch) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context { return ctx }

func (w *ConnWatch) HandleConn(_ context.Context, s stats.ConnStats) {
	if _, ok := s.(*stats.ConnEnd); !ok {
		return
	}
	if a := w.a.Load(); a != nil {
		// Silently: a connection also ends when the process shuts down.
		a.spicedbDown.Store(true)
	}
}

// failed observes a question's error, unless the caller gave up on it: a
// question cancelled by its asker says nothing about SpiceDB.
func (a *Authz) failed(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("%w (%w)", cerr, err)
	}
	if status.Code(err) == codes.DeadlineExceeded || errors.Is(err, context.DeadlineExceeded) {
		// The asker still waits, so the deadline was ours: SpiceDB hangs.
		a.hungUntil.Store(time.Now().Add(probeInterval).UnixNano())
	}
	a.observe(err)
	return err
}

// probeInterval is how long questions fail fast after one ran out of its
// decision timeout, before the next is let through to see whether SpiceDB
// answers again.
const probeInterval = time.Second

// errHung is the fail-fast answer while SpiceDB hangs.
var errHung = fmt.Errorf("%w: it did not answer within the decision timeout; failing fast until a probe gets an answer", ErrUnavailable)

// admit lets a question go to SpiceDB, or fails it at once while SpiceDB
// is known to hang. When the wait is over, exactly one question goes as
// the probe (the deadline moves past its own timeout first), and the
// others keep failing fast until it is answered or times out.
func (a *Authz) admit() error {
	for {
		until := a.hungUntil.Load()
		if until == 0 {
			return nil
		}
		now := time.Now()
		if now.UnixNano() < until {
			return errHung
		}
		if a.hungUntil.CompareAndSwap(until, now.Add(a.decisionTimeout()+probeInterval).UnixNano()) {
			return nil
		}
	}
}

// observe keeps spicedbDown: set by an unavailable SpiceDB, cleared by an
// answer.
func (a *Authz) observe(err error) {
	switch {
	case err == nil:
		if a.spicedbDown.Load() {
			a.spicedbDown.Store(false)
		}
		if a.hungUntil.Load() != 0 {
			a.hungUntil.Store(0)
		}
	case errors.Is(err, ErrUnavailable):
		if !a.spicedbDown.Load() {
			a.log.Warn("SpiceDB unavailable: decisions bypass the cache until it answers", "err", err)
		}
		a.spicedbDown.Store(true)
	}
}

func (a *Authz) decisionTimeout() time.Duration {
	if a.DecisionTimeout > 0 {
		return a.DecisionTimeout
	}
	return DefaultDecisionTimeout
}

// SpiceDBDown reports whether this process knows SpiceDB to be failing
// (a lost connection or an unavailable answer, not yet followed by an
// answer). While it does, decisions bypass the cache.
func (a *Authz) SpiceDBDown() bool { return a.spicedbDown.Load() }

func (a *Authz) failPoint(stage string) error {
	if a.FailPoint == nil {
		return nil
	}
	return a.FailPoint(stage)
}

// Flush applies the organization's pending outbox entries to SpiceDB, in
// order, under the organization's outbox lock, and records the ZedToken so
// later reads see the change.
func (a *Authz) Flush(ctx context.Context, orgID string) error {
	return a.store.WithOutboxLock(ctx, orgID, func() error { return a.ApplyPending(ctx, orgID) })
}

// ApplyPending is Flush for a caller that already holds the organization's
// outbox lock (store.WithOutboxLock), such as a reconcile that must see
// SpiceDB and the store agree while no applier runs.
func (a *Authz) ApplyPending(ctx context.Context, orgID string) error {
	for {
		entries, err := a.store.PendingOutbox(ctx, orgID, 5*MaxUpdatesPerWrite)
		if err != nil {
			return fmt.Errorf("read outbox: %w", err)
		}
		if len(entries) == 0 {
			return nil
		}
		err = a.applyBatch(ctx, orgID, entries)
		if a.OnOutbox != nil {
			a.OnOutbox(len(entries), err)
		}
		if err != nil {
			return err
		}
	}
}

func (a *Authz) applyBatch(ctx context.Context, orgID string, entries []store.OutboxEntry) error {
	updates := make([]rels.Update, len(entries))
	for i, e := range entries {
		updates[i] = e.Update
	}
	token, err := a.Write(ctx, updates)
	if err != nil {
		return err
	}
	if err := a.failPoint("mark"); err != nil {
		return err
	}
	if err := a.store.MarkApplied(ctx, orgID, entries[len(entries)-1].ID, token); err != nil {
		return fmt.Errorf("mark outbox applied: %w", err)
	}
	if err := a.failPoint("remember"); err != nil {
		return err
	}
	a.Remember(ctx, orgID, token)
	return nil
}

// Remember records a write this process made to the organization's graph
// (after the store's revision was bumped with it, as MarkApplied does), so
// that reads here are at least as fresh as the write.
func (a *Authz) Remember(ctx context.Context, orgID, token string) {
	org, err := a.store.GetOrganization(ctx, orgID)
	if err != nil {
		// Remember nothing: callers read the organization (whose revision
		// and token MarkApplied already bumped) before every decision.
		// A made-up revision here would be worse than none: decisions are
		// cached under the revision, so a revision that never moves again
		// would keep serving answers from before later revocations.
		a.log.Warn("outbox applied but the organization could not be re-read", "org", orgID, "err", err)
		return
	}
	a.remember(orgID, org.Revision, token)
}

func (a *Authz) remember(orgID string, revision int64, token string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if t, ok := a.tokens[orgID]; !ok || revision >= t.revision {
		a.tokens[orgID] = orgToken{revision: revision, token: token}
	}
}

// FlushAll applies every organization's pending entries; the background
// applier calls it so that a change committed while SpiceDB was down
// reaches it once it is back.
func (a *Authz) FlushAll(ctx context.Context) error {
	orgs, err := a.store.OrgsWithPending(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, o := range orgs {
		if err := a.Flush(ctx, o); err != nil {
			errs = append(errs, fmt.Errorf("org %s: %w", o, err))
		}
	}
	return errors.Join(errs...)
}

// RunApplier flushes pending outbox entries every interval until ctx ends.
func (a *Authz) RunApplier(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := a.FlushAll(ctx); err != nil && ctx.Err() == nil {
				a.log.Warn("outbox applier: will retry", "err", err)
			}
		}
	}
}

// WriteSchema writes the zed schema.
func (a *Authz) WriteSchema(ctx context.Context, schema string) error {
	_, err := a.client.WriteSchema(ctx, &v1.WriteSchemaRequest{Schema: schema})
	return wrap("write schema", err)
}

package authz

import (
	"context"
	"fmt"
	"time"

	v1 "github.com/authzed/authzed-go/proto/authzed/api/v1"
)

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
	ctx, cancel := context.WithTimeout(ctx, a.decisionTimeout)
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
	rev, consistency := a.freshest(f)
	out := make([]bool, len(checks))
	todo := make([]int, 0, len(checks))
	var keys []string
	suffix, cacheable := cacheScope(f, rev, time.Now())
	cache := a.cache
	if !cacheable {
		cache = nil
	}
	if cache != nil {
		keys = make([]string, len(checks))
		for i, c := range checks {
			keys[i] = DecisionKey(f.OrgID, rev, c) + suffix
		}
	}
	// While SpiceDB is known to be failing, answers come from SpiceDB only
	// (that is, none come): an outage fails closed. Correctness does not
	// rest on this — a change queued during the outage leaves the
	// organization pending, and a pending organization is not answered
	// until its changes are applied (outbox.Applier.Settle) — but an admin
	// who cannot reach SpiceDB to revoke should not see access go on.
	if cache != nil && !a.health.Down() {
		answers, found := cache.lookup(ctx, keys)
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
	consistency, err := a.afterExpiry(ctx, f, consistency)
	if err != nil {
		return nil, a.health.Failed(ctx, err)
	}
	if len(todo) == 1 {
		ok, err := a.checkOne(ctx, consistency, checks[todo[0]])
		if err != nil {
			return nil, a.health.Failed(ctx, err)
		}
		out[todo[0]] = ok
	} else if err := a.bulk(ctx, consistency, checks, todo, out); err != nil {
		return nil, a.health.Failed(ctx, err)
	}
	a.health.Observe(nil)
	if cache != nil {
		k, v := make([]string, len(todo)), make([]bool, len(todo))
		for j, i := range todo {
			k[j], v[j] = keys[i], out[i]
		}
		cache.store(ctx, k, v)
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
		cctx, cancel := context.WithTimeout(ctx, a.decisionTimeout)
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

package authz

import (
	"context"
	"errors"
	"io"
	"time"

	v1 "github.com/authzed/authzed-go/proto/authzed/api/v1"

	"github.com/rolegraph/rolegraph/rels"
)

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
	rev, consistency := a.freshest(f)
	consistency, err := a.afterExpiry(ctx, f, consistency)
	if err != nil {
		return LookupPage{}, err
	}
	suffix, cacheable := cacheScope(f, rev, time.Now())
	if a.cache == nil || limit == 0 || a.health.Down() || !cacheable {
		return a.lookupResources(ctx, consistency, resourceType, permission, memberID, limit, cursor)
	}
	key := PageKey(f.OrgID, rev, resourceType, permission, memberID, limit, cursor) + suffix
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
		return LookupPage{}, a.health.Failed(ctx, err)
	}
	a.health.Observe(nil)
	return page, nil
}

func (a *Authz) lookupResourcesOnce(ctx context.Context, consistency *v1.Consistency, resourceType, permission, memberID string, limit int, cursor string) (LookupPage, error) {
	timeout := a.timeout
	if limit > 0 {
		timeout = a.decisionTimeout
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
	if err := a.admit(); err != nil {
		return nil, err
	}
	out, err := a.lookupSubjects(ctx, f, obj, permission)
	if err != nil {
		return nil, a.health.Failed(ctx, err)
	}
	a.health.Observe(nil)
	return out, nil
}

func (a *Authz) lookupSubjects(ctx context.Context, f Freshness, obj Object, permission string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	consistency, err := a.afterExpiry(ctx, f, a.consistency(f))
	if err != nil {
		return nil, err
	}
	stream, err := a.client.LookupSubjects(ctx, &v1.LookupSubjectsRequest{
		Consistency:       consistency,
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

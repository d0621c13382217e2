package domain

import (
	"context"
	"fmt"

	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/ids"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

// grantObject is the SpiceDB object of one permission in one organization.
func grantObject(orgID, permission string) authz.Object {
	return authz.Object{Type: rels.TypeGrant, ID: rels.GrantID(orgID, permission)}
}

// scopePermission names the grant permission answering "at scope s".
func scopePermission(prefix string, s model.Scope) string {
	switch s {
	case model.ScopeAll:
		return prefix + "_all"
	case model.ScopeTeam:
		return prefix + "_team"
	}
	return prefix + "_own"
}

// check answers: may member do permission, on resource when obj is set, or
// at any scope when it is not (what a frontend needs to show a menu item).
func (s *Service) check(ctx context.Context, org *model.Organization, memberID, permission string, obj *authz.Object) (bool, error) {
	a, ok := s.cat.Action(permission)
	if !ok {
		return false, errs.BadInput("permission", "unknown permission %q: see permissionCatalog for the keys", permission)
	}
	c := authz.Check{Object: grantObject(org.ID, permission), Permission: "at_own", MemberID: memberID}
	if obj != nil {
		if a.Resource == catalog.ResourceOrg || obj.Type == rels.TypeOrganization {
			// Organization-level actions are about no one resource: ask the
			// grant, at ALL (their only scope besides OWN-only personal ones).
			c.Permission = scopePermission("at", a.Max())
		} else {
			c = authz.Check{Object: *obj, Permission: a.ObjectKey(), MemberID: memberID}
		}
	}
	ok, err := s.ask(ctx, org, c)
	if err != nil {
		return false, storeErr(err)
	}
	return ok, nil
}

// require is check, turned into the error that says why not.
func (s *Service) require(ctx context.Context, org *model.Organization, memberID, permission string, obj *authz.Object) error {
	ok, err := s.check(ctx, org, memberID, permission, obj)
	if err != nil || ok {
		return err
	}
	return s.denial(ctx, org, memberID, permission)
}

// requireAll requires the permission at ALL scope.
func (s *Service) requireAll(ctx context.Context, org *model.Organization, memberID, permission string) error {
	ok, err := s.ask(ctx, org, authz.Check{Object: grantObject(org.ID, permission), Permission: "at_all", MemberID: memberID})
	if err != nil {
		return storeErr(err)
	}
	if ok {
		return nil
	}
	return s.denial(ctx, org, memberID, permission)
}

// denial explains a refusal: the product is off, a seat is missing, the
// permission is not held, or it is held at a scope that does not cover the
// resource.
func (s *Service) denial(ctx context.Context, org *model.Organization, memberID, permission string) error {
	a, _ := s.cat.Action(permission)
	if p := s.cat.ProductOf(permission); p != "" && !org.HasProduct(p) {
		return &errs.Error{Code: errs.ProductDisabled, Permission: permission,
			Message: fmt.Sprintf("%s is part of the %s product, which is not enabled for this organization: enable it first", permission, p)}
	}
	held, err := s.ask(ctx, org, authz.Check{Object: grantObject(org.ID, permission), Permission: "held_own", MemberID: memberID})
	if err != nil {
		return storeErr(err)
	}
	if !held {
		return errs.Denied(permission, "you need the %s permission: ask an administrator for a role that grants it", permission)
	}
	if a != nil && a.Seat != "" {
		// Asked of the graph, not the store: denial runs inside changes,
		// whose transaction holds the memory store's lock.
		usable, err := s.ask(ctx, org, authz.Check{Object: grantObject(org.ID, permission), Permission: "usable", MemberID: memberID})
		if err != nil {
			return storeErr(err)
		}
		if !usable {
			return &errs.Error{Code: errs.SeatRequired, Permission: permission,
				Message: fmt.Sprintf("%s needs a %s seat: ask an administrator to assign you one", permission, a.Seat)}
		}
	}
	return errs.Denied(permission, "your %s permission does not reach this resource (its scope is narrower)", permission)
}

// Grants computes a member's grants in one bulk SpiceDB call: held (what
// their roles say, for the escalation guard) or effective (gated by
// products and seats). Missing permissions are DISABLED.
func (s *Service) grants(ctx context.Context, org *model.Organization, memberID string, effective bool) (map[string]model.Scope, error) {
	key := fmt.Sprintf("grants:%s:%t", memberID, effective)
	return memoized(ctx, key, func() (map[string]model.Scope, error) {
		prefix := "held"
		if effective {
			prefix = "at"
		}
		actions := s.cat.Actions()
		scopes := []model.Scope{model.ScopeAll, model.ScopeTeam, model.ScopeOwn}
		checks := make([]authz.Check, 0, len(actions)*len(scopes))
		for _, a := range actions {
			for _, sc := range scopes {
				checks = append(checks, authz.Check{Object: grantObject(org.ID, a.Permission),
					Permission: scopePermission(prefix, sc), MemberID: memberID})
			}
		}
		answers, err := s.askBulk(ctx, org, checks)
		if err != nil {
			return nil, storeErr(err)
		}
		out := make(map[string]model.Scope, len(actions))
		for i, a := range actions {
			got := model.ScopeDisabled
			for j, sc := range scopes {
				if answers[i*len(scopes)+j] {
					got = sc
					break
				}
			}
			out[a.Permission] = a.Clamp(got)
		}
		return out, nil
	})
}

// EffectiveGrants lists the member's grants as they act: non-DISABLED only,
// in catalog order.
func (s *Service) EffectiveGrants(ctx context.Context, c Caller, memberID string) ([]model.Grant, error) {
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, err
	}
	if _, err := s.visibleMember(ctx, c, org, memberID); err != nil {
		return nil, err
	}
	m, err := s.grants(ctx, org, memberID, true)
	if err != nil {
		return nil, err
	}
	var out []model.Grant
	for _, a := range s.cat.Actions() {
		if sc := m[a.Permission]; sc != model.ScopeDisabled {
			out = append(out, model.Grant{Permission: a.Permission, Scope: sc})
		}
	}
	return out, nil
}

// guardGrants is the escalation guard: every grant must be within what the
// caller holds, scope-wise. Held, not effective: a product switched off or
// a seat not held limits what one does, not what one may delegate.
func (s *Service) guardGrants(ctx context.Context, c Caller, org *model.Organization, grants []model.Grant) error {
	held, err := s.grants(ctx, org, c.MemberID, false)
	if err != nil {
		return err
	}
	for _, g := range grants {
		if g.Scope == model.ScopeDisabled {
			continue
		}
		if h := held[g.Permission]; !h.Covers(g.Scope) {
			return &errs.Error{Code: errs.Escalation, Permission: g.Permission,
				Message: fmt.Sprintf("you cannot grant %s at %s: you hold it at %s", g.Permission, g.Scope, h)}
		}
	}
	return nil
}

// guardRoles applies guardGrants to every grant of the roles.
func (s *Service) guardRoles(ctx context.Context, c Caller, org *model.Organization, roles []*model.Role) error {
	for _, r := range roles {
		if r.Key == catalog.RoleOwner {
			return &errs.Error{Code: errs.Escalation, Message: "the owner role comes only with ownership: use transferOwnership"}
		}
		if err := s.guardGrants(ctx, c, org, r.Grants); err != nil {
			e, _ := errs.As(err)
			if e != nil && e.Code == errs.Escalation {
				e.Message = fmt.Sprintf("role %q: %s", r.Name, e.Message)
			}
			return err
		}
	}
	return nil
}

// guardMember is what acting on another member needs: members.write at a
// scope covering them, and every role they hold within the caller's grants
// (nobody manages someone above them). Nobody acts on themselves this way.
// r is the change's transaction: reading through s.store while it holds
// the organization would deadlock the memory store.
func (s *Service) guardMember(ctx context.Context, r store.Reader, c Caller, org *model.Organization, target *model.Member, permission string) error {
	if target.ID == c.MemberID {
		return errs.Denied(permission, "you cannot change your own roles, seats or status: ask another administrator")
	}
	if permission == "members.write" {
		obj := authz.Object{Type: rels.TypeMember, ID: target.ID}
		if err := s.require(ctx, org, c.MemberID, permission, &obj); err != nil {
			return err
		}
	} else if err := s.requireAll(ctx, org, c.MemberID, permission); err != nil {
		return err
	}
	if target.ID == org.OwnerID {
		return nil // the caller sees the owner rule next, with its own message
	}
	return s.guardAbove(ctx, r, c, org, target, "change their roles, seats or status")
}

// guardAbove is the escalation guard about a member rather than a grant:
// every grant of every role the target holds must be within the caller's.
// Its refusal says what happened (the member holds more than the caller)
// and names one permission, rather than speaking of granting a role the
// caller may be taking away. what completes "only someone who holds it can …".
func (s *Service) guardAbove(ctx context.Context, r store.Reader, c Caller, org *model.Organization, target *model.Member, what string) error {
	roles, err := rolesIn(ctx, r, org.ID, "roleIds", s.HeldRoleIDs(target))
	if err != nil {
		return err
	}
	held, err := s.grants(ctx, org, c.MemberID, false)
	if err != nil {
		return err
	}
	for _, role := range roles {
		for _, g := range role.Grants {
			if g.Scope == model.ScopeDisabled {
				continue
			}
			if h := held[g.Permission]; !h.Covers(g.Scope) {
				return &errs.Error{Code: errs.Escalation, Permission: g.Permission,
					Message: fmt.Sprintf("%s holds access beyond yours (%s at %s through role %q; you hold it at %s): only someone who holds it can %s",
						target.Name, g.Permission, g.Scope, role.Name, h, what)}
			}
		}
	}
	return nil
}

// objectFor resolves a resource id of the caller's organization to its
// SpiceDB object; ids of other organizations are not found, like unknown ones.
func (s *Service) objectFor(ctx context.Context, org *model.Organization, field, id string) (*authz.Object, error) {
	obj, ok := objectOf(org, id)
	if !ok {
		return nil, notFoundResource(field, id)
	}
	if err := s.exists(ctx, org, field, obj); err != nil {
		return nil, err
	}
	return obj, nil
}

// objectOf is the SpiceDB object an id names, judged by its prefix alone.
func objectOf(org *model.Organization, id string) (*authz.Object, bool) {
	kind, ok := ids.Parse(id)
	if !ok {
		return nil, false
	}
	var typ string
	switch kind {
	case ids.Organization:
		if id != org.ID {
			return nil, false
		}
		typ = rels.TypeOrganization
	case ids.Member:
		typ = rels.TypeMember
	case ids.Team:
		typ = rels.TypeTeam
	case ids.Interaction:
		typ = rels.TypeInteraction
	case ids.Evaluation:
		typ = rels.TypeEvaluation
	default:
		return nil, false
	}
	return &authz.Object{Type: typ, ID: id}, true
}

func notFoundResource(field, id string) error {
	return errs.BadInput(field, "no resource with id %q in this organization", id)
}

// entityOf is the store entity behind each resource type can asks about.
var entityOf = map[string]store.Entity{rels.TypeMember: store.EntityMember, rels.TypeTeam: store.EntityTeam,
	rels.TypeInteraction: store.EntityInteraction, rels.TypeEvaluation: store.EntityEvaluation}

// exists reads the object from the store: not found unless it is the
// organization's.
func (s *Service) exists(ctx context.Context, org *model.Organization, field string, obj *authz.Object) error {
	kind := entityOf[obj.Type]
	if kind == "" {
		return nil // the organization itself: objectOf compared it with org
	}
	found, err := s.store.Exists(ctx, org.ID, kind, obj.ID)
	if err != nil {
		if e := storeErr(err); errs.Is(e, errs.Unavailable) {
			return e
		}
		return notFoundResource(field, obj.ID)
	}
	if !found {
		return notFoundResource(field, obj.ID)
	}
	return nil
}

// memoryExister is a store that can tell what Exists would answer without
// a round trip (store/postgres, until a write to the organization commits).
type memoryExister interface {
	CachedExists(orgID string, kind store.Entity, id string) (found, hit bool)
}

// cachedExists is what the store knows of obj's existence without reading:
// hit is false when it would have to read.
func (s *Service) cachedExists(org *model.Organization, obj *authz.Object) (found, hit bool) {
	kind := entityOf[obj.Type]
	if kind == "" {
		return true, true // the organization itself: objectOf compared it with org
	}
	if m, ok := s.store.(memoryExister); ok {
		return m.CachedExists(org.ID, kind, obj.ID)
	}
	return false, false
}

// checkResource answers a question about one resource: the store says
// whether it exists in the organization, SpiceDB whether the member may.
// Both are asked at once. When the store says no, the answer is "not
// found" at once and the SpiceDB question is cancelled, so a refusal takes
// as long as the store read whatever the id is: another organization's
// resource (which SpiceDB would spend a graph walk on) cannot be told from
// a nonexistent one by timing.
func (s *Service) checkResource(ctx context.Context, org *model.Organization, memberID, permission, field, id string) (bool, error) {
	a, ok := s.cat.Action(permission)
	if !ok {
		return false, errs.BadInput("permission", "unknown permission %q: see permissionCatalog for the keys", permission)
	}
	obj, ok := objectOf(org, id)
	if !ok {
		return false, notFoundResource(field, id)
	}
	if !s.resourceFits(a, obj) {
		if err := s.exists(ctx, org, field, obj); err != nil {
			return false, err
		}
		return false, errs.BadInput(field, "%s is not asked of a %s", permission, obj.Type)
	}
	// Existence known in process (store/postgres's hot reads): a refusal
	// is as quick, and the question needs no goroutine to run beside it.
	if found, hit := s.cachedExists(org, obj); hit {
		if !found {
			return false, notFoundResource(field, id)
		}
		return s.check(ctx, org, memberID, permission, obj)
	}
	type decision struct {
		allowed bool
		err     error
	}
	checkCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	decided := make(chan decision, 1)
	go func() {
		ok, err := s.check(checkCtx, org, memberID, permission, obj)
		decided <- decision{ok, err}
	}()
	if err := s.exists(ctx, org, field, obj); err != nil {
		return false, err // the deferred cancel stops the question
	}
	d := <-decided
	return d.allowed, d.err
}

// resourceFits reports whether a permission can be asked of that kind of
// object: interactions.* of interactions, members.write of members or teams…
func (s *Service) resourceFits(a *catalog.Action, obj *authz.Object) bool {
	if obj.Type == rels.TypeOrganization || a.Resource == catalog.ResourceOrg {
		return true
	}
	switch a.Resource {
	case catalog.ResourceMember:
		return obj.Type == rels.TypeMember || (a.Permission == "members.write" && obj.Type == rels.TypeTeam)
	default:
		return string(a.Resource) == obj.Type
	}
}

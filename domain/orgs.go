package domain

import (
	"context"
	"errors"
	"fmt"

	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/ids"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

// DefaultSeatTotal is each pool's size in a new organization: enough to try
// every flow before licenses are bought with setSeatTotal.
const DefaultSeatTotal = 5

type CreateOrganizationInput struct {
	Name       string
	Plan       model.Plan      // default STARTER
	Products   []model.Product // nil: every product
	OwnerEmail string
	OwnerName  string
	// SeatTotals overrides DefaultSeatTotal per kind.
	SeatTotals map[model.SeatKind]int
	// ExternalID is the organization's id at the OIDC issuer ("": none).
	ExternalID string
	// OwnerExternalID is the owner's sub at the OIDC issuer ("": none),
	// bound at creation: the owner is never invited, so no
	// acceptInvitation could bind it later, and the issuer's tokens sign
	// them in from the start. It needs ExternalID.
	OwnerExternalID string
}

// MaxExternalIDLen bounds an issuer's ids (organization claims, subs).
const MaxExternalIDLen = 255

// CreateOrganization makes a tenant with its system roles, seat pools and
// its owner (ACTIVE, holding the owner role). Operators only: the caller
// authenticated as one.
func (s *Service) CreateOrganization(ctx context.Context, in CreateOrganizationInput) (*model.Organization, *model.Member, error) {
	name, err := text("input.name", in.Name, MaxNameLen)
	if err != nil {
		return nil, nil, err
	}
	ownerEmail, err := email("input.ownerEmail", in.OwnerEmail)
	if err != nil {
		return nil, nil, err
	}
	ownerName, err := text("input.ownerName", in.OwnerName, MaxNameLen)
	if err != nil {
		return nil, nil, err
	}
	plan := in.Plan
	if plan == "" {
		plan = model.PlanStarter
	}
	if !plan.Valid() {
		return nil, nil, errs.BadInput("input.plan", "unknown plan %q", plan)
	}
	products := model.AllProducts
	if in.Products != nil {
		if products, err = productSet("input.products", in.Products); err != nil {
			return nil, nil, err
		}
	}
	externalID, err := optionalText("input.externalId", in.ExternalID, MaxExternalIDLen)
	if err != nil {
		return nil, nil, err
	}
	ownerExternalID, err := optionalText("input.ownerExternalId", in.OwnerExternalID, MaxExternalIDLen)
	if err != nil {
		return nil, nil, err
	}
	if ownerExternalID != "" && externalID == "" {
		// A sub means nothing without the organization claim that goes
		// with it: no token could ever name this owner.
		return nil, nil, errs.BadInput("input.ownerExternalId", "an owner's external id needs the organization's (input.externalId): the issuer's tokens name both")
	}
	now := s.now().UTC()
	org := &model.Organization{ID: ids.New(ids.Organization), Name: name, Plan: plan, Products: products,
		ExternalID: externalID, CreatedAt: now}
	owner := &model.Member{ID: ids.New(ids.Member), OrgID: org.ID, Email: ownerEmail, Name: ownerName,
		Status: model.StatusActive, ExternalID: ownerExternalID, CreatedAt: now}
	org.OwnerID = owner.ID

	err = s.store.InTx(ctx, func(tx store.Tx) error {
		if err := tx.CreateOrganization(ctx, org); errors.Is(err, store.ErrConflict) && externalID != "" {
			return &errs.Error{Code: errs.Conflict, Field: "input.externalId", Err: err,
				Message: fmt.Sprintf("another organization already has the external id %q: each issuer organization maps to one rolegraph organization", externalID)}
		} else if err != nil {
			return err
		}
		parts := NewOrganizationParts(s.cat, org, owner, in.SeatTotals, ids.New)
		for _, r := range parts.Roles {
			if err := tx.CreateRole(ctx, r); err != nil {
				return err
			}
		}
		for _, p := range parts.SeatPools {
			if err := tx.PutSeatPool(ctx, p); err != nil {
				return err
			}
		}
		if err := tx.CreateMember(ctx, owner); err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, org.ID, rels.Touches(parts.Graph)); err != nil {
			return err
		}
		if err := tx.MarkCatalog(ctx, org.ID, s.catalogFP); err != nil {
			return err
		}
		after := map[string]any{"name": name, "plan": plan, "products": products, "owner": ownerEmail}
		if externalID != "" {
			after["externalId"] = externalID
		}
		if ownerExternalID != "" {
			after["ownerExternalId"] = ownerExternalID
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{OrgID: org.ID, At: now, Action: "createOrganization",
			TargetID: org.ID, After: jsonOf(after)})
	})
	if err != nil {
		return nil, nil, storeErr(err)
	}
	if err := s.flush(ctx, org.ID); err != nil {
		return nil, nil, err
	}
	org, err = s.store.GetOrganization(ctx, org.ID)
	return org, owner, storeErr(err)
}

// OrganizationParts is what a new organization consists of besides its row
// and its owner's: the system roles, a seat pool per kind, and the graph
// of all of it with the owner.
type OrganizationParts struct {
	Roles     []*model.Role
	SeatPools []*model.SeatPool
	Graph     rels.Set
}

// NewOrganizationParts derives the parts createOrganization writes for org
// and its owner, and gives the owner the owner role. newID makes the role
// ids (ids.New; cmd/bench passes a seeded generator): cmd/bench bulk-loads
// organizations from the same parts, so a bulk-seeded organization is the
// one the API would have made.
func NewOrganizationParts(cat *catalog.Catalog, org *model.Organization, owner *model.Member,
	seatTotals map[model.SeatKind]int, newID func(ids.Kind) string) OrganizationParts {
	p := OrganizationParts{Graph: rels.Organization(cat, org)}
	for _, sr := range cat.SystemRoles() {
		r := &model.Role{ID: newID(ids.Role), OrgID: org.ID, Key: sr.Key, Name: sr.Name,
			Description: sr.Description, System: true, Grants: sr.Grants}
		if sr.Key == catalog.RoleOwner {
			owner.RoleIDs = []string{r.ID}
		}
		p.Roles = append(p.Roles, r)
		for _, x := range rels.Role(r) {
			p.Graph.Add(x)
		}
	}
	for _, k := range model.AllSeatKinds {
		total, ok := seatTotals[k]
		if !ok {
			total = DefaultSeatTotal
		}
		p.SeatPools = append(p.SeatPools, &model.SeatPool{OrgID: org.ID, Kind: k, Total: total})
	}
	for _, x := range rels.Member(owner) {
		p.Graph.Add(x)
	}
	return p
}

func productSet(field string, ps []model.Product) ([]model.Product, error) {
	want := map[model.Product]bool{}
	for _, p := range ps {
		if !p.Valid() {
			return nil, errs.BadInput(field, "unknown product %q", p)
		}
		if want[p] {
			return nil, errs.BadInput(field, "%s is listed twice", p)
		}
		want[p] = true
	}
	out := []model.Product{}
	for _, p := range model.AllProducts {
		if want[p] {
			out = append(out, p)
		}
	}
	return out, nil
}

// SetPlan changes the plan (account.write). Leaving PRO/ENTERPRISE while
// custom roles exist is refused: they would keep working on a plan that
// does not include them.
func (s *Service) SetPlan(ctx context.Context, c Caller, plan model.Plan) (*model.Organization, error) {
	if !plan.Valid() {
		return nil, errs.BadInput("plan", "unknown plan %q", plan)
	}
	var out *model.Organization
	err := s.change(ctx, c, "setPlan", func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error {
		if err := s.requireAll(ctx, org, c.MemberID, "account.write"); err != nil {
			return err
		}
		if !plan.AllowsCustomRoles() {
			roles, err := tx.ListRoles(ctx, org.ID)
			if err != nil {
				return err
			}
			custom := 0
			for _, r := range roles {
				if !r.System {
					custom++
				}
			}
			if custom > 0 {
				return errs.New(errs.Conflict, "the %s plan has no custom roles and %d exist: delete them (reassigning their members) first", plan, custom)
			}
		}
		before := org.Plan
		org.Plan = plan
		if err := tx.UpdateOrganization(ctx, org); err != nil {
			return err
		}
		out = org
		return record(ev, org.ID, map[string]any{"plan": before}, map[string]any{"plan": plan})
	})
	return out, err
}

// EnableProduct / DisableProduct switch a product (account.write). Roles
// keep their grants: disabling hides and denies the product's modules,
// enabling brings back exactly what was granted.
func (s *Service) EnableProduct(ctx context.Context, c Caller, p model.Product) (*model.Organization, error) {
	org, _, err := s.setProduct(ctx, c, p, true, false)
	return org, err
}

func (s *Service) DisableProduct(ctx context.Context, c Caller, p model.Product) (*model.Organization, error) {
	org, _, err := s.setProduct(ctx, c, p, false, false)
	return org, err
}

// SetProductWithImpact is EnableProduct (on) or DisableProduct that also
// says what the switch did to everyone's access: what PreviewProductChange
// answered just before, computed in the switch's own transaction.
func (s *Service) SetProductWithImpact(ctx context.Context, c Caller, p model.Product, on bool) (*model.Organization, *AccessDiff, error) {
	return s.setProduct(ctx, c, p, on, true)
}

func (s *Service) setProduct(ctx context.Context, c Caller, p model.Product, on, impact bool) (*model.Organization, *AccessDiff, error) {
	if !p.Valid() {
		return nil, nil, errs.BadInput("product", "unknown product %q", p)
	}
	var diff *AccessDiff
	action := "disableProduct"
	if on {
		action = "enableProduct"
	}
	var out *model.Organization
	err := s.change(ctx, c, action, func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error {
		if err := s.requireAll(ctx, org, c.MemberID, "account.write"); err != nil {
			return err
		}
		before := rels.Organization(s.cat, org)
		products := productsAfter(org, p, on)
		if impact {
			var err error
			if diff, err = s.previewWorld(ctx, tx, org, withProducts(products)); err != nil {
				return err
			}
		}
		was := org.Products
		org.Products = products
		if err := tx.UpdateOrganization(ctx, org); err != nil {
			return err
		}
		if err := enqueue(ctx, tx, org.ID, before, rels.Organization(s.cat, org)); err != nil {
			return err
		}
		out = org
		return record(ev, org.ID, map[string]any{"products": was}, map[string]any{"products": products})
	})
	if err != nil {
		return nil, nil, err
	}
	return out, diff, nil
}

// productsAfter is the organization's products once p is switched on or off.
func productsAfter(org *model.Organization, p model.Product, on bool) []model.Product {
	products := []model.Product{}
	for _, q := range model.AllProducts {
		if (q == p && on) || (q != p && org.HasProduct(q)) {
			products = append(products, q)
		}
	}
	return products
}

// TransferOwnership hands the organization to another active member. Only
// the owner calls it; the previous owner becomes an admin.
func (s *Service) TransferOwnership(ctx context.Context, c Caller, memberID string) (*model.Organization, error) {
	if err := id("memberId", memberID, ids.Member); err != nil {
		return nil, err
	}
	var out *model.Organization
	err := s.change(ctx, c, "transferOwnership", func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error {
		if org.OwnerID != c.MemberID {
			return errs.Denied("", "only the owner can transfer ownership")
		}
		target, err := memberIn(ctx, tx, org.ID, "memberId", memberID)
		if err != nil {
			return err
		}
		if target.ID == org.OwnerID {
			return errs.BadInput("memberId", "you already own this organization")
		}
		if target.Status != model.StatusActive || target.IsGuest {
			return errs.BadInput("memberId", "ownership goes only to an active, non-guest member")
		}
		ownerRole, err := tx.GetRoleByKey(ctx, org.ID, catalog.RoleOwner)
		if err != nil {
			return err
		}
		adminRole, err := tx.GetRoleByKey(ctx, org.ID, catalog.RoleAdmin)
		if err != nil {
			return err
		}
		old, err := tx.GetMember(ctx, org.ID, org.OwnerID)
		if err != nil {
			return err
		}
		orgBefore, oldBefore, newBefore := rels.Organization(s.cat, org), rels.Member(old), rels.Member(target)
		old.RoleIDs = replaceRole(old.RoleIDs, ownerRole.ID, adminRole.ID)
		target.RoleIDs = []string{ownerRole.ID}
		org.OwnerID = target.ID
		for _, m := range []*model.Member{old, target} {
			if err := tx.UpdateMember(ctx, m); err != nil {
				return err
			}
		}
		if err := tx.UpdateOrganization(ctx, org); err != nil {
			return err
		}
		if err := enqueue(ctx, tx, org.ID, rels.Union(orgBefore, oldBefore, newBefore),
			rels.Union(rels.Organization(s.cat, org), rels.Member(old), rels.Member(target))); err != nil {
			return err
		}
		out = org
		return record(ev, target.ID, map[string]any{"owner": old.ID}, map[string]any{"owner": target.ID})
	})
	return out, err
}

func replaceRole(roleIDs []string, from, to string) []string {
	out := []string{}
	has := false
	for _, r := range roleIDs {
		if r == to {
			has = true
		}
		if r != from {
			out = append(out, r)
		}
	}
	if !has {
		out = append(out, to)
	}
	return sortedIDs(out)
}

// rolesByID loads roles, refusing unknown ids.
func (s *Service) rolesByID(ctx context.Context, orgID string, roleIDs []string) ([]*model.Role, error) {
	return rolesIn(ctx, s.store, orgID, "roleIds", roleIDs)
}

func rolesIn(ctx context.Context, r store.Reader, orgID, field string, roleIDs []string) ([]*model.Role, error) {
	out := make([]*model.Role, 0, len(roleIDs))
	for _, id := range roleIDs {
		role, err := r.GetRole(ctx, orgID, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil, errs.BadInput(field, "no role with id %q in this organization", id)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, role)
	}
	return out, nil
}

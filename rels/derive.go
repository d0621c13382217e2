package rels

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/model"
)

// Object types and the relations rolegraph writes, as schema.zed names them.
const (
	TypeOrganization = "organization"
	TypeMember       = "member"
	TypeTeam         = "team"
	TypeRole         = "role"
	TypeGrant        = "grant"
	TypeProduct      = "product"
	TypeSeat         = "seat"
	TypeInteraction  = "interaction"
	TypeEvaluation   = "evaluation"
)

// GrantID names the grant object of one permission in one organization:
// object ids cannot hold ".", so "interactions.read" becomes
// "<org>_interactions_read".
func GrantID(orgID, permission string) string {
	return orgID + "_" + strings.ReplaceAll(permission, ".", "_")
}

func ProductID(orgID string, p model.Product) string {
	return orgID + "_" + strings.ToLower(string(p))
}

func SeatID(orgID string, k model.SeatKind) string {
	return orgID + "_" + strings.ToLower(string(k))
}

// ScopeRelation is the grant relation a role's scope writes.
func ScopeRelation(s model.Scope) string {
	switch s {
	case model.ScopeAll:
		return "all"
	case model.ScopeTeam:
		return "team"
	case model.ScopeOwn:
		return "own"
	}
	return ""
}

func rel(rt, ri, r, st, si string) Relationship {
	return Relationship{ResourceType: rt, ResourceID: ri, Relation: r, SubjectType: st, SubjectID: si}
}

// Organization is the organization's own graph: its owner, its products,
// and a grant object per catalog permission wired to its product and seat
// gates. Roles, members and resources add to it.
func Organization(c *catalog.Catalog, o *model.Organization) Set {
	s := NewSet()
	if o.OwnerID != "" {
		s.Add(rel(TypeOrganization, o.ID, "owner", TypeMember, o.OwnerID))
	}
	for _, p := range o.Products {
		s.Add(rel(TypeProduct, ProductID(o.ID, p), "enabled_for", TypeMember, "*"))
	}
	for _, a := range c.Actions() {
		gid := GrantID(o.ID, a.Permission)
		s.Add(rel(TypeGrant, gid, "org", TypeOrganization, o.ID))
		if p := c.ProductOf(a.Permission); p != "" {
			s.Add(rel(TypeGrant, gid, "product", TypeProduct, ProductID(o.ID, p)))
		} else {
			s.Add(rel(TypeGrant, gid, "ungated", TypeMember, "*"))
		}
		if a.Seat != "" {
			s.Add(rel(TypeGrant, gid, "seat", TypeSeat, SeatID(o.ID, a.Seat)))
		} else {
			s.Add(rel(TypeGrant, gid, "seatless", TypeMember, "*"))
		}
		if a.Resource != catalog.ResourceOrg {
			s.Add(rel(TypeOrganization, o.ID, a.ObjectKey(), TypeGrant, gid))
		}
	}
	return s
}

// CatalogFingerprint identifies what a catalog makes of an organization's
// grant, product and seat objects (Organization), ids aside: two catalogs
// with the same fingerprint derive the same relationships, and an
// organization whose graph was derived from another one must be reconciled.
func CatalogFingerprint(c *catalog.Catalog) string {
	return Fingerprint(Organization(c, &model.Organization{ID: CatalogProbe, Products: model.AllProducts}))
}

// CatalogProbe is the organization CatalogFingerprint derives for.
const CatalogProbe = "fingerprint"

// Fingerprint is CatalogFingerprint of what a catalog derived for the
// probe organization with every product, so that a derivation saved
// elsewhere can be checked against the fingerprint it was saved under.
func Fingerprint(s Set) string {
	rs := s.Sorted()
	h := sha256.New()
	for _, r := range rs {
		h.Write([]byte(r.String()))
		h.Write([]byte{'\n'})
	}
	return "c1:" + hex.EncodeToString(h.Sum(nil))[:32]
}

// Role is a role's grants: one relationship per non-DISABLED grant, on the
// relation of its scope.
func Role(r *model.Role) Set {
	s := NewSet()
	for _, g := range r.Grants {
		sr := ScopeRelation(g.Scope)
		if sr == "" {
			continue
		}
		x := rel(TypeGrant, GrantID(r.OrgID, g.Permission), sr, TypeRole, r.ID)
		x.SubjectRelation = "assignee"
		s.Add(x)
	}
	return s
}

// Member is what a member brings: their identity as a resource always, and
// their roles and seats only while ACTIVE — an invited or deactivated
// member holds nothing, and reactivation restores exactly what they had.
func Member(m *model.Member) Set {
	s := NewSet(
		rel(TypeMember, m.ID, "org", TypeOrganization, m.OrgID),
		rel(TypeMember, m.ID, "self", TypeMember, m.ID),
	)
	if m.Status != model.StatusActive {
		return s
	}
	for _, r := range m.RoleIDs {
		s.Add(rel(TypeRole, r, "assignee", TypeMember, m.ID))
	}
	// Temporary roles carry their expiry, expired ones included, so that
	// this stays a function of the entity alone: authz.Write turns a TOUCH
	// already expired into a DELETE, reconcile compares Unexpired sets.
	for _, a := range m.TempRoles {
		x := rel(TypeRole, a.RoleID, "assignee", TypeMember, m.ID)
		x.Expires = ExpiryMillis(a.ExpiresAt)
		s.Add(x)
	}
	for _, k := range m.Seats {
		s.Add(rel(TypeSeat, SeatID(m.OrgID, k), "holder", TypeMember, m.ID))
	}
	return s
}

// Team is a team's place in the organization and its parent.
func Team(t *model.Team) Set {
	s := NewSet(rel(TypeTeam, t.ID, "org", TypeOrganization, t.OrgID))
	if t.ParentID != "" {
		s.Add(rel(TypeTeam, t.ID, "parent", TypeTeam, t.ParentID))
	}
	return s
}

// Membership places a member in a team, as member or as manager.
func Membership(m *model.TeamMembership) Set {
	r := "member"
	if m.Manager {
		r = "manager"
	}
	return NewSet(
		rel(TypeTeam, m.TeamID, r, TypeMember, m.MemberID),
		rel(TypeMember, m.MemberID, "team", TypeTeam, m.TeamID),
	)
}

func Interaction(i *model.Interaction) Set {
	s := NewSet(rel(TypeInteraction, i.ID, "org", TypeOrganization, i.OrgID))
	if i.OwnerID != "" {
		s.Add(rel(TypeInteraction, i.ID, "owner", TypeMember, i.OwnerID))
	}
	for _, a := range i.AssigneeIDs {
		s.Add(rel(TypeInteraction, i.ID, "assignee", TypeMember, a))
	}
	if i.TeamID != "" {
		s.Add(rel(TypeInteraction, i.ID, "team", TypeTeam, i.TeamID))
	}
	return s
}

func Evaluation(e *model.Evaluation) Set {
	return NewSet(
		rel(TypeEvaluation, e.ID, "org", TypeOrganization, e.OrgID),
		rel(TypeEvaluation, e.ID, "interaction", TypeInteraction, e.InteractionID),
		rel(TypeEvaluation, e.ID, "agent", TypeMember, e.AgentID),
		rel(TypeEvaluation, e.ID, "evaluator", TypeMember, e.EvaluatorID),
	)
}

// Union merges sets.
func Union(sets ...Set) Set {
	out := NewSet()
	for _, s := range sets {
		for k, r := range s {
			out[k] = r
		}
	}
	return out
}

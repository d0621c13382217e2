package memory

import (
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store/internal/canon"
)

// The copies below are the only way values enter or leave the maps: a
// caller's value is never stored, a stored one never handed out, so neither
// side can change the other's. Each copy also puts the value in the
// canonical shape (package canon) that Postgres gives values back in.

func copyOrg(o *model.Organization) *model.Organization {
	c := *o
	c.Products = canon.Products(o.Products)
	c.CreatedAt = canon.Time(o.CreatedAt)
	return &c
}

func copyMember(m *model.Member) *model.Member {
	c := *m
	c.RoleIDs = canon.IDs(m.RoleIDs)
	c.Seats = canon.Seats(m.Seats)
	c.CreatedAt = canon.Time(m.CreatedAt)
	if m.Preferences != nil {
		p := *m.Preferences
		c.Preferences = &p
	}
	c.TempRoles = canon.TempRoles(m.TempRoles)
	return &c
}

func copyAccessRequest(r *model.AccessRequest) *model.AccessRequest {
	c := *r
	c.CreatedAt, c.DecidedAt, c.ExpiresAt = canon.Time(r.CreatedAt), canon.Time(r.DecidedAt), canon.Time(r.ExpiresAt)
	return &c
}

func copyTeam(t *model.Team) *model.Team { c := *t; return &c }

func copyMembership(m *model.TeamMembership) *model.TeamMembership { c := *m; return &c }

func copyRole(r *model.Role) *model.Role {
	c := *r
	c.Grants = canon.Grants(r.Grants)
	return &c
}

func copyPool(p *model.SeatPool) *model.SeatPool { c := *p; return &c }

func copyInteraction(i *model.Interaction) *model.Interaction {
	c := *i
	c.AssigneeIDs = canon.IDs(i.AssigneeIDs)
	c.CreatedAt = canon.Time(i.CreatedAt)
	return &c
}

func copyEvaluation(e *model.Evaluation) *model.Evaluation {
	c := *e
	c.CreatedAt = canon.Time(e.CreatedAt)
	return &c
}

func copyAudit(e *model.AuditEvent) *model.AuditEvent {
	c := *e
	c.At = canon.Time(e.At)
	return &c
}

func copyInvitation(inv *model.Invitation) *model.Invitation {
	c := *inv
	c.ExpiresAt = canon.Time(inv.ExpiresAt)
	c.UsedAt = canon.TimePtr(inv.UsedAt)
	c.AccessExpiresAt = canon.Time(inv.AccessExpiresAt)
	return &c
}

package memory

import (
	"context"
	"slices"
	"time"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
	"github.com/rolegraph/rolegraph/store/internal/canon"
)

// This file is every write of a transaction (store.Tx), on tx. It is apart
// from the reads because only a transaction writes, always under the
// store's write lock, and every write goes through write and the undo log
// (data.go) so that a failed method, or a failed transaction, leaves
// nothing behind. The outbox's writes are in outbox.go.

type tx struct {
	view
	undo undoLog
	done bool
}

var _ store.Tx = (*tx)(nil)

// write runs one Tx method: a method that fails changes nothing, so the
// caller may handle the error and go on with the transaction, as it can on
// Postgres (where each write runs under a savepoint).
func (t *tx) write(ctx context.Context, orgID string, fn func(od *orgData) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if t.done {
		return errTxDone
	}
	var od *orgData
	if orgID != "" {
		if od = t.s.orgs[orgID]; od == nil {
			return notFound("organization", orgID)
		}
	}
	mark := len(t.undo)
	if err := fn(od); err != nil {
		t.undo.rollbackTo(mark)
		return err
	}
	return nil
}

// LockOrganization has nothing to do: InTx already holds the store-wide
// write lock, which serializes every transaction, not only those of one
// organization. It still reports an unknown organization, as Postgres does.
func (t *tx) LockOrganization(ctx context.Context, orgID string) error {
	return t.write(ctx, orgID, func(*orgData) error { return nil })
}

func (t *tx) CreateOrganization(ctx context.Context, o *model.Organization) error {
	return t.write(ctx, "", func(*orgData) error {
		if t.s.orgs[o.ID] != nil {
			return conflict("organization", o.ID)
		}
		if externalTaken(t.s.orgExternal, o.ExternalID, o.ID) {
			return conflict("organization external id", o.ExternalID)
		}
		set(&t.undo, t.s.orgs, o.ID, newOrgData(copyOrg(o)))
		moveExternal(&t.undo, t.s.orgExternal, "", o.ExternalID, o.ID)
		return nil
	})
}

func (t *tx) MarkCatalog(ctx context.Context, orgID, fingerprint string) error {
	return t.write(ctx, orgID, func(od *orgData) error {
		assign(&t.undo, &od.catalog, fingerprint)
		return nil
	})
}

func (t *tx) SaveCatalog(ctx context.Context, fingerprint string, derivation []string) error {
	return t.write(ctx, "", func(*orgData) error {
		if _, saved := t.s.catalogs[fingerprint]; !saved {
			set(&t.undo, t.s.catalogs, fingerprint, slices.Clone(derivation))
		}
		return nil
	})
}

func (t *tx) UpdateOrganization(ctx context.Context, o *model.Organization) error {
	return t.write(ctx, o.ID, func(od *orgData) error {
		n := copyOrg(od.org)
		n.Name, n.Plan, n.OwnerID = o.Name, o.Plan, o.OwnerID
		n.Products = canon.Products(o.Products)
		assign(&t.undo, &od.org, n)
		return nil
	})
}

// memberFits says whether m may be stored as it is, new or changed: its
// email and external id are its own and every role it holds exists.
func memberFits(od *orgData, m *model.Member) error {
	if od.emails.takenBy(m.Email, m.ID) {
		return conflict("member email", m.Email)
	}
	if externalTaken(od.externals, m.ExternalID, m.ID) {
		return conflict("member external id", m.ExternalID)
	}
	for _, id := range m.RoleIDs {
		if od.roles[id] == nil {
			return notFound("role", id)
		}
	}
	for _, a := range m.TempRoles {
		if od.roles[a.RoleID] == nil {
			return notFound("role", a.RoleID)
		}
	}
	return nil
}

// teamFits says whether tm may be stored as it is, new or changed: its name
// is its own and its parent exists.
func teamFits(od *orgData, tm *model.Team) error {
	if od.teamNames.takenBy(tm.Name, tm.ID) {
		return conflict("team name", tm.Name)
	}
	if tm.ParentID != "" && od.teams[tm.ParentID] == nil {
		return notFound("parent team", tm.ParentID)
	}
	return nil
}

func (t *tx) CreateMember(ctx context.Context, m *model.Member) error {
	return t.write(ctx, m.OrgID, func(od *orgData) error {
		if od.members[m.ID] != nil {
			return conflict("member", m.ID)
		}
		if err := memberFits(od, m); err != nil {
			return err
		}
		n := copyMember(m)
		set(&t.undo, od.members, n.ID, n)
		od.emails.put(&t.undo, n.Email, n.ID)
		moveExternal(&t.undo, od.externals, "", n.ExternalID, n.ID)
		od.memberOrder.insert(&t.undo, memberTable.key(n))
		return nil
	})
}

func (t *tx) UpdateMember(ctx context.Context, m *model.Member) error {
	return t.write(ctx, m.OrgID, func(od *orgData) error {
		old := od.members[m.ID]
		if old == nil {
			return notFound("member", m.ID)
		}
		if err := memberFits(od, m); err != nil {
			return err
		}
		n := copyMember(m)
		n.CreatedAt = old.CreatedAt
		od.emails.rename(&t.undo, old.Email, n.Email, n.ID)
		moveExternal(&t.undo, od.externals, old.ExternalID, n.ExternalID, n.ID)
		set(&t.undo, od.members, n.ID, n)
		return nil
	})
}

func (t *tx) DeleteMember(ctx context.Context, orgID, id string) error {
	return t.write(ctx, orgID, func(od *orgData) error {
		old := od.members[id]
		if old == nil {
			return notFound("member", id)
		}
		for k := range od.memberships {
			if k.member == id {
				del(&t.undo, od.memberships, k)
			}
		}
		od.emails.drop(&t.undo, old.Email)
		moveExternal(&t.undo, od.externals, old.ExternalID, "", id)
		del(&t.undo, od.members, id)
		od.memberOrder.remove(&t.undo, memberTable.key(old))
		return nil
	})
}

func (t *tx) CreateTeam(ctx context.Context, tm *model.Team) error {
	return t.write(ctx, tm.OrgID, func(od *orgData) error {
		if od.teams[tm.ID] != nil {
			return conflict("team", tm.ID)
		}
		if err := teamFits(od, tm); err != nil {
			return err
		}
		set(&t.undo, od.teams, tm.ID, copyTeam(tm))
		od.teamNames.put(&t.undo, tm.Name, tm.ID)
		return nil
	})
}

func (t *tx) UpdateTeam(ctx context.Context, tm *model.Team) error {
	return t.write(ctx, tm.OrgID, func(od *orgData) error {
		old := od.teams[tm.ID]
		if old == nil {
			return notFound("team", tm.ID)
		}
		if err := teamFits(od, tm); err != nil {
			return err
		}
		n := copyTeam(old)
		n.Name, n.ParentID = tm.Name, tm.ParentID
		od.teamNames.rename(&t.undo, old.Name, n.Name, n.ID)
		set(&t.undo, od.teams, n.ID, n)
		return nil
	})
}

func (t *tx) DeleteTeam(ctx context.Context, orgID, id string) error {
	return t.write(ctx, orgID, func(od *orgData) error {
		old := od.teams[id]
		if old == nil {
			return notFound("team", id)
		}
		for _, c := range od.teams {
			if c.ParentID == id {
				n := copyTeam(c)
				n.ParentID = old.ParentID
				set(&t.undo, od.teams, n.ID, n)
			}
		}
		for _, i := range od.interactions {
			if i.TeamID == id {
				n := copyInteraction(i)
				n.TeamID = ""
				set(&t.undo, od.interactions, n.ID, n)
			}
		}
		for k := range od.memberships {
			if k.team == id {
				del(&t.undo, od.memberships, k)
			}
		}
		od.teamNames.drop(&t.undo, old.Name)
		del(&t.undo, od.teams, id)
		return nil
	})
}

func (t *tx) PutMembership(ctx context.Context, m *model.TeamMembership) error {
	return t.write(ctx, m.OrgID, func(od *orgData) error {
		if od.teams[m.TeamID] == nil {
			return notFound("team", m.TeamID)
		}
		if od.members[m.MemberID] == nil {
			return notFound("member", m.MemberID)
		}
		set(&t.undo, od.memberships, membershipKey{m.TeamID, m.MemberID}, copyMembership(m))
		return nil
	})
}

func (t *tx) DeleteMembership(ctx context.Context, orgID, teamID, memberID string) error {
	return t.write(ctx, orgID, func(od *orgData) error {
		k := membershipKey{teamID, memberID}
		if od.memberships[k] == nil {
			return notFound("membership", teamID+"/"+memberID)
		}
		del(&t.undo, od.memberships, k)
		return nil
	})
}

func (t *tx) CreateRole(ctx context.Context, r *model.Role) error {
	return t.write(ctx, r.OrgID, func(od *orgData) error {
		if od.roles[r.ID] != nil {
			return conflict("role", r.ID)
		}
		if od.roleNames.takenBy(r.Name, r.ID) {
			return conflict("role name", r.Name)
		}
		if r.Key != "" {
			if _, taken := od.roleKeys[r.Key]; taken {
				return conflict("role key", r.Key)
			}
			set(&t.undo, od.roleKeys, r.Key, r.ID)
		}
		set(&t.undo, od.roles, r.ID, copyRole(r))
		od.roleNames.put(&t.undo, r.Name, r.ID)
		return nil
	})
}

func (t *tx) UpdateRole(ctx context.Context, r *model.Role) error {
	return t.write(ctx, r.OrgID, func(od *orgData) error {
		old := od.roles[r.ID]
		if old == nil {
			return notFound("role", r.ID)
		}
		if od.roleNames.takenBy(r.Name, r.ID) {
			return conflict("role name", r.Name)
		}
		n := copyRole(old)
		n.Name, n.Description, n.Grants = r.Name, r.Description, canon.Grants(r.Grants)
		od.roleNames.rename(&t.undo, old.Name, n.Name, n.ID)
		set(&t.undo, od.roles, n.ID, n)
		return nil
	})
}

// DeleteRole also takes the role away from its holders, as the foreign key
// of the Postgres schema does: a member never holds a role that is gone.
func (t *tx) DeleteRole(ctx context.Context, orgID, id string) error {
	return t.write(ctx, orgID, func(od *orgData) error {
		old := od.roles[id]
		if old == nil {
			return notFound("role", id)
		}
		for _, m := range od.members {
			if _, temp := m.TempRole(id); m.HasRole(id) || temp {
				n := copyMember(m)
				n.RoleIDs = slices.DeleteFunc(n.RoleIDs, func(r string) bool { return r == id })
				if len(n.RoleIDs) == 0 {
					n.RoleIDs = nil
				}
				n.TempRoles = canon.TempRoles(slices.DeleteFunc(n.TempRoles, func(a model.RoleAssignment) bool { return a.RoleID == id }))
				set(&t.undo, od.members, n.ID, n)
			}
		}
		if old.Key != "" {
			del(&t.undo, od.roleKeys, old.Key)
		}
		od.roleNames.drop(&t.undo, old.Name)
		del(&t.undo, od.roles, id)
		return nil
	})
}

func (t *tx) PutSeatPool(ctx context.Context, p *model.SeatPool) error {
	return t.write(ctx, p.OrgID, func(od *orgData) error {
		set(&t.undo, od.pools, p.Kind, copyPool(p))
		return nil
	})
}

func (t *tx) CreateInteraction(ctx context.Context, i *model.Interaction) error {
	return t.write(ctx, i.OrgID, func(od *orgData) error {
		if od.interactions[i.ID] != nil {
			return conflict("interaction", i.ID)
		}
		if i.TeamID != "" && od.teams[i.TeamID] == nil {
			return notFound("team", i.TeamID)
		}
		n := copyInteraction(i)
		set(&t.undo, od.interactions, n.ID, n)
		od.interactionOrder.insert(&t.undo, interactionTable.key(n))
		return nil
	})
}

func (t *tx) UpdateInteraction(ctx context.Context, i *model.Interaction) error {
	return t.write(ctx, i.OrgID, func(od *orgData) error {
		old := od.interactions[i.ID]
		if old == nil {
			return notFound("interaction", i.ID)
		}
		if i.TeamID != "" && od.teams[i.TeamID] == nil {
			return notFound("team", i.TeamID)
		}
		n := copyInteraction(old)
		n.Title, n.TeamID, n.AssigneeIDs = i.Title, i.TeamID, canon.IDs(i.AssigneeIDs)
		set(&t.undo, od.interactions, n.ID, n)
		return nil
	})
}

func (t *tx) UpdateEvaluation(ctx context.Context, e *model.Evaluation) error {
	return t.write(ctx, e.OrgID, func(od *orgData) error {
		old := od.evaluations[e.ID]
		if old == nil {
			return notFound("evaluation", e.ID)
		}
		n := copyEvaluation(old)
		n.Score = e.Score
		set(&t.undo, od.evaluations, n.ID, n)
		return nil
	})
}

func (t *tx) DeleteEvaluation(ctx context.Context, orgID, id string) error {
	return t.write(ctx, orgID, func(od *orgData) error {
		old := od.evaluations[id]
		if old == nil {
			return notFound("evaluation", id)
		}
		del(&t.undo, od.evaluations, id)
		od.evaluationOrder.remove(&t.undo, evaluationTable.key(old))
		return nil
	})
}

func (t *tx) DeleteInteraction(ctx context.Context, orgID, id string) error {
	return t.write(ctx, orgID, func(od *orgData) error {
		old := od.interactions[id]
		if old == nil {
			return notFound("interaction", id)
		}
		for _, e := range od.evaluations {
			if e.InteractionID == id {
				del(&t.undo, od.evaluations, e.ID)
				od.evaluationOrder.remove(&t.undo, evaluationTable.key(e))
			}
		}
		del(&t.undo, od.interactions, id)
		od.interactionOrder.remove(&t.undo, interactionTable.key(old))
		return nil
	})
}

func (t *tx) CreateEvaluation(ctx context.Context, e *model.Evaluation) error {
	return t.write(ctx, e.OrgID, func(od *orgData) error {
		if od.evaluations[e.ID] != nil {
			return conflict("evaluation", e.ID)
		}
		if od.interactions[e.InteractionID] == nil {
			return notFound("interaction", e.InteractionID)
		}
		n := copyEvaluation(e)
		set(&t.undo, od.evaluations, n.ID, n)
		od.evaluationOrder.insert(&t.undo, evaluationTable.key(n))
		return nil
	})
}

func (t *tx) AppendAudit(ctx context.Context, e *model.AuditEvent) error {
	return t.write(ctx, e.OrgID, func(od *orgData) error {
		canon.AuditDefaults(e)
		if od.audit[e.ID] != nil {
			return conflict("audit event", e.ID)
		}
		n := copyAudit(e)
		set(&t.undo, od.audit, n.ID, n)
		od.auditOrder.insert(&t.undo, auditTable.key(n))
		return nil
	})
}

func (t *tx) CreateInvitation(ctx context.Context, inv *model.Invitation) error {
	return t.write(ctx, inv.OrgID, func(*orgData) error {
		if t.s.invitations[inv.TokenHash] != nil {
			return conflict("invitation", inv.TokenHash)
		}
		set(&t.undo, t.s.invitations, inv.TokenHash, copyInvitation(inv))
		return nil
	})
}

func (t *tx) CreateAccessRequest(ctx context.Context, r *model.AccessRequest) error {
	return t.write(ctx, r.OrgID, func(od *orgData) error {
		if od.accessRequests[r.ID] != nil {
			return conflict("access request", r.ID)
		}
		if od.members[r.RequesterID] == nil {
			return notFound("member", r.RequesterID)
		}
		set(&t.undo, od.accessRequests, r.ID, copyAccessRequest(r))
		return nil
	})
}

func (t *tx) UpdateAccessRequest(ctx context.Context, r *model.AccessRequest) error {
	return t.write(ctx, r.OrgID, func(od *orgData) error {
		old := od.accessRequests[r.ID]
		if old == nil {
			return notFound("access request", r.ID)
		}
		n := copyAccessRequest(old)
		n.Status, n.DecidedBy, n.DecisionReason, n.RoleID = r.Status, r.DecidedBy, r.DecisionReason, r.RoleID
		n.ExpiresAt, n.DecidedAt = canon.Time(r.ExpiresAt), canon.Time(r.DecidedAt)
		set(&t.undo, od.accessRequests, r.ID, n)
		return nil
	})
}

func (t *tx) MarkInvitationUsed(ctx context.Context, tokenHash string, at time.Time) error {
	return t.write(ctx, "", func(*orgData) error {
		old := t.s.invitations[tokenHash]
		if old == nil {
			return notFound("invitation", tokenHash)
		}
		n := copyInvitation(old)
		n.UsedAt = canon.TimePtr(&at)
		set(&t.undo, t.s.invitations, tokenHash, n)
		return nil
	})
}

package domain

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/ids"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

// Role is role(id) (roles.read, or holding it): nil when it does not exist.
func (s *Service) Role(ctx context.Context, c Caller, roleID string) (*model.Role, error) {
	if !ids.Is(roleID, ids.Role) {
		return nil, nil
	}
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, err
	}
	r, err := s.store.GetRole(ctx, org.ID, roleID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, storeErr(err)
	}
	if me, err := s.store.GetMember(ctx, org.ID, c.MemberID); err == nil && me.HasRole(roleID) {
		return r, nil
	}
	if err := s.requireAll(ctx, org, c.MemberID, "roles.read"); err != nil {
		return nil, err
	}
	return r, nil
}

// Roles lists the organization's roles (roles.read).
func (s *Service) Roles(ctx context.Context, c Caller) ([]*model.Role, error) {
	org, err := s.Organization(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := s.requireAll(ctx, org, c.MemberID, "roles.read"); err != nil {
		return nil, err
	}
	rs, err := s.store.ListRoles(ctx, org.ID)
	return rs, storeErr(err)
}

func (s *Service) validGrants(field string, grants []model.Grant) ([]model.Grant, error) {
	if len(grants) > len(s.cat.Actions()) {
		return nil, errs.BadInput(field, "%d grants given; the catalog has %d permissions", len(grants), len(s.cat.Actions()))
	}
	if i, err := s.cat.Validate(grants); err != nil {
		return nil, errs.BadInput(fmt.Sprintf("%s[%d]", field, i), "%s", err.Error())
	}
	return catalog.Normalize(grants), nil
}

// nameTaken turns the store's uniqueness conflict into the error that
// names the field; other errors pass through.
func nameTaken(err error, field, what, name string) error {
	if errors.Is(err, store.ErrConflict) {
		return &errs.Error{Code: errs.Conflict, Field: field, Message: fmt.Sprintf("a %s named %q already exists: pick another name", what, name), Err: err}
	}
	return err
}

// field is the argument that carries the name (input.name, name).
func uniqueRoleName(ctx context.Context, tx store.Tx, field, orgID, name, except string) error {
	rs, err := tx.ListRoles(ctx, orgID)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if r.ID != except && strings.EqualFold(r.Name, name) {
			return &errs.Error{Code: errs.Conflict, Field: field, Message: fmt.Sprintf("a role named %q already exists: pick another name", r.Name)}
		}
	}
	return nil
}

type CreateRoleInput struct {
	Name        string
	Description string
	CloneFromID string
	Grants      []model.Grant // nil: the clone's grants (or none)
}

// CreateRole makes a custom role (roles.write, PRO or ENTERPRISE), from
// scratch or cloned; every grant must be within the caller's own.
func (s *Service) CreateRole(ctx context.Context, c Caller, in CreateRoleInput) (*model.Role, error) {
	name, err := text("input.name", in.Name, MaxNameLen)
	if err != nil {
		return nil, err
	}
	desc, err := optionalText("input.description", in.Description, MaxDescriptionLen)
	if err != nil {
		return nil, err
	}
	if in.CloneFromID != "" {
		if err := id("input.cloneFromId", in.CloneFromID, ids.Role); err != nil {
			return nil, err
		}
	}
	var grants []model.Grant
	if in.Grants != nil {
		if grants, err = s.validGrants("input.grants", in.Grants); err != nil {
			return nil, err
		}
	}
	var r *model.Role
	err = s.change(ctx, c, "createRole", func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error {
		if err := s.requireAll(ctx, org, c.MemberID, "roles.write"); err != nil {
			return err
		}
		if !org.Plan.AllowsCustomRoles() {
			return &errs.Error{Code: errs.PlanRequired, Permission: "roles.write",
				Message: fmt.Sprintf("custom roles are part of the PRO and ENTERPRISE plans; this organization is on %s", org.Plan)}
		}
		if in.CloneFromID != "" {
			src, err := roleIn(ctx, tx, org.ID, "input.cloneFromId", in.CloneFromID)
			if err != nil {
				return err
			}
			if src.Key == catalog.RoleOwner {
				return errs.BadInput("input.cloneFromId", "the owner role cannot be cloned: it is held only through ownership")
			}
			if in.Grants == nil {
				grants = src.Grants
			}
			if desc == "" {
				desc = "Cloned from " + src.Name
			}
		}
		if err := s.guardGrants(ctx, c, org, grants); err != nil {
			return err
		}
		r = &model.Role{ID: ids.New(ids.Role), OrgID: org.ID, Name: name, Description: desc, Grants: append([]model.Grant{}, grants...)}
		// The store enforces unique names; scanning every role here would
		// make creating roles quadratic.
		if err := tx.CreateRole(ctx, r); err != nil {
			return nameTaken(err, "input.name", "role", name)
		}
		if err := enqueue(ctx, tx, org.ID, nil, rels.Role(r)); err != nil {
			return err
		}
		return record(ev, r.ID, nil, map[string]any{"name": name, "cloneFrom": in.CloneFromID, "grants": grants})
	})
	return r, err
}

// roleChange edits one role (roles.write). Nobody edits a role they hold,
// the owner role is fixed, and the role's grants before and after must be
// within the caller's: editing a role edits everyone who holds it.
// idField is the argument carrying roleID: "id" or "roleId".
func (s *Service) roleChange(ctx context.Context, c Caller, action, idField, roleID string,
	fn func(tx store.Tx, org *model.Organization, r *model.Role) error) (*model.Role, error) {
	if err := id(idField, roleID, ids.Role); err != nil {
		return nil, err
	}
	var out *model.Role
	err := s.change(ctx, c, action, func(tx store.Tx, org *model.Organization, ev *model.AuditEvent) error {
		r, err := roleFor(ctx, tx, org, idField, roleID)
		if err != nil {
			return err
		}
		ev.TargetID = r.ID
		ev.Before = jsonOf(map[string]any{"name": r.Name, "description": r.Description, "grants": r.Grants})
		if err := s.guardRoleEdit(ctx, tx, c, org, r); err != nil {
			return err
		}
		before := rels.Role(r)
		if err := fn(tx, org, r); err != nil {
			return err
		}
		if err := s.guardGrants(ctx, c, org, r.Grants); err != nil {
			return err
		}
		if err := tx.UpdateRole(ctx, r); err != nil {
			return err
		}
		ev.After = jsonOf(map[string]any{"name": r.Name, "description": r.Description, "grants": r.Grants})
		out = r
		return enqueue(ctx, tx, org.ID, before, rels.Role(r))
	})
	return out, err
}

// roleFor reads the role an edit names; unknown ids are bad input in idField.
func roleFor(ctx context.Context, r store.Reader, org *model.Organization, idField, roleID string) (*model.Role, error) {
	role, err := roleIn(ctx, r, org.ID, idField, roleID)
	if err != nil {
		return nil, err
	}
	return role, nil
}

// guardRoleEdit is what editing role needs before anything changes:
// roles.write, not the owner role, not a role the caller holds, and its
// grants as they are within the caller's. Previews run it too (preview.go),
// so a preview refuses exactly what the edit would. r is the reader of the
// running change (or the store, for a preview).
func (s *Service) guardRoleEdit(ctx context.Context, rd store.Reader, c Caller, org *model.Organization, r *model.Role) error {
	if err := s.requireAll(ctx, org, c.MemberID, "roles.write"); err != nil {
		return err
	}
	if r.Key == catalog.RoleOwner {
		return errs.Denied("roles.write", "the owner role always holds every permission and cannot be edited")
	}
	me, err := rd.GetMember(ctx, org.ID, c.MemberID)
	if err != nil {
		return err
	}
	if me.HasRole(r.ID) {
		return errs.Denied("roles.write", "you hold the role %q: another administrator must edit it", r.Name)
	}
	return s.guardGrants(ctx, c, org, r.Grants)
}

// UpdateRole renames or re-describes a role; nil leaves a field as is.
func (s *Service) UpdateRole(ctx context.Context, c Caller, roleID string, name, description *string) (*model.Role, error) {
	var n, d string
	var err error
	if name != nil {
		if n, err = text("name", *name, MaxNameLen); err != nil {
			return nil, err
		}
	}
	if description != nil {
		if d, err = optionalText("description", *description, MaxDescriptionLen); err != nil {
			return nil, err
		}
	}
	return s.roleChange(ctx, c, "updateRole", "id", roleID, func(tx store.Tx, org *model.Organization, r *model.Role) error {
		if name != nil {
			if err := uniqueRoleName(ctx, tx, "name", org.ID, n, r.ID); err != nil {
				return err
			}
			r.Name = n
		}
		if description != nil {
			r.Description = d
		}
		return nil
	})
}

// SetRoleGrants replaces a role's matrix; missing permissions are DISABLED.
// The change reaches every holder on their next request.
func (s *Service) SetRoleGrants(ctx context.Context, c Caller, roleID string, grants []model.Grant) (*model.Role, error) {
	r, _, err := s.setRoleGrants(ctx, c, roleID, grants, false)
	return r, err
}

// SetRoleGrantsWithImpact is SetRoleGrants that also says what the edit
// did to everyone's access: what PreviewRoleGrants answered just before,
// computed in the edit's own transaction.
func (s *Service) SetRoleGrantsWithImpact(ctx context.Context, c Caller, roleID string, grants []model.Grant) (*model.Role, *AccessDiff, error) {
	return s.setRoleGrants(ctx, c, roleID, grants, true)
}

func (s *Service) setRoleGrants(ctx context.Context, c Caller, roleID string, grants []model.Grant, impact bool) (*model.Role, *AccessDiff, error) {
	g, err := s.validGrants("grants", grants)
	if err != nil {
		return nil, nil, err
	}
	var diff *AccessDiff
	r, err := s.roleChange(ctx, c, "setRoleGrants", "roleId", roleID, func(tx store.Tx, org *model.Organization, r *model.Role) error {
		if err := setGrants(org, r, g); err != nil || !impact {
			return err
		}
		edited := *r
		diff, err = s.previewWorld(ctx, tx, org, func(w *world) { w.roles[edited.ID] = &edited })
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return r, diff, nil
}

// setGrants gives r the validated matrix g; custom roles are edited only
// on plans that have them.
func setGrants(org *model.Organization, r *model.Role, g []model.Grant) error {
	if !r.System && !org.Plan.AllowsCustomRoles() {
		return &errs.Error{Code: errs.PlanRequired, Message: "custom roles are part of the PRO and ENTERPRISE plans"}
	}
	r.Grants = g
	return nil
}

// ResetRole puts a system role's grants back to the defaults.
func (s *Service) ResetRole(ctx context.Context, c Caller, roleID string) (*model.Role, error) {
	return s.roleChange(ctx, c, "resetRole", "roleId", roleID, func(tx store.Tx, org *model.Organization, r *model.Role) error {
		def := s.DefaultGrants(r)
		if def == nil {
			return errs.BadInput("roleId", "%q is a custom role: only system roles have defaults to reset to", r.Name)
		}
		r.Grants = def
		return nil
	})
}

// DefaultGrants is what ResetRole restores r to: a system role's grants
// in this release's catalog, nil for a custom role. Unauthorized: r was
// read under the caller's guard.
func (s *Service) DefaultGrants(r *model.Role) []model.Grant {
	def, ok := s.cat.SystemRole(r.Key)
	if !r.System || !ok {
		return nil
	}
	return append([]model.Grant{}, def.Grants...)
}

// DeleteRole deletes a custom role (roles.delete). While members hold it,
// it is refused unless reassignToId names the role they move to.
func (s *Service) DeleteRole(ctx context.Context, c Caller, roleID, reassignToID string) error {
	if err := id("id", roleID, ids.Role); err != nil {
		return err
	}
	if reassignToID != "" {
		if err := id("reassignToId", reassignToID, ids.Role); err != nil {
			return err
		}
		if reassignToID == roleID {
			return errs.BadInput("reassignToId", "reassign to a different role than the one being deleted")
		}
	}
	return changeTo(s, ctx, c, "deleteRole", roleIn, "id", roleID,
		func(tx store.Tx, org *model.Organization, ev *model.AuditEvent, r *model.Role) error {
			ev.TargetID, ev.Before = r.ID, jsonOf(map[string]any{"name": r.Name, "grants": r.Grants})
			if err := s.requireAll(ctx, org, c.MemberID, "roles.delete"); err != nil {
				return err
			}
			if r.System {
				return errs.New(errs.Conflict, "%q is a system role: system roles cannot be deleted, reset it instead", r.Name)
			}
			if err := s.guardGrants(ctx, c, org, r.Grants); err != nil {
				return err
			}
			// A reassignToId that names no role is refused whether or not
			// anyone holds the role.
			var to *model.Role
			if reassignToID != "" {
				var err error
				if to, err = roleIn(ctx, tx, org.ID, "reassignToId", reassignToID); err != nil {
					return err
				}
			}
			holders, err := roleHolders(ctx, tx, org.ID, roleID)
			if err != nil {
				return err
			}
			graph := rels.Role(r)
			after := rels.NewSet()
			if len(holders) > 0 {
				if reassignToID == "" {
					return errs.New(errs.Conflict, "%d members hold %q: pass reassignToId to move them to another role", len(holders), r.Name)
				}
				if err := s.guardRoles(ctx, c, org, []*model.Role{to}); err != nil {
					return err
				}
				for _, m := range holders {
					if m.ID == c.MemberID {
						return errs.Denied("roles.delete", "you hold %q: another administrator must delete it", r.Name)
					}
					graph = rels.Union(graph, rels.Member(m))
					m.RoleIDs = replaceRole(m.RoleIDs, roleID, reassignToID)
					if err := tx.UpdateMember(ctx, m); err != nil {
						return err
					}
					after = rels.Union(after, rels.Member(m))
				}
			}
			if err := tx.DeleteRole(ctx, org.ID, roleID); err != nil {
				return err
			}
			if err := enqueue(ctx, tx, org.ID, graph, after); err != nil {
				return err
			}
			ev.After = jsonOf(map[string]any{"reassignedTo": reassignToID, "members": len(holders)})
			return nil
		})
}

// roleHolders lists the members holding a role, paging through members.
func roleHolders(ctx context.Context, r store.Reader, orgID, roleID string) ([]*model.Member, error) {
	var out []*model.Member
	page := store.MemberFilter{Page: store.Page{Limit: 1000}}
	for {
		ms, err := r.ListMembers(ctx, orgID, page)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if m.HasRole(roleID) {
				out = append(out, m)
			}
		}
		if len(ms) < page.Limit {
			return out, nil
		}
		page.After = ms[len(ms)-1].ID
	}
}

// Package store defines where rolegraph keeps its entities and its outbox of
// relationship updates. Two backends implement it: store/memory (the embedded
// default) and store/postgres (pgx). store/storetest is the one conformance
// suite both must pass; the doc comments here are the contract it checks.
// What the backends share beyond the contract (the canonical shape of
// values, the per-organization lock of WithOutboxLock) is in store/internal.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
)

var (
	// ErrNotFound: no entity with that id in that organization. An entity of
	// another organization is not found, exactly like one that never existed.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a uniqueness rule would break (member email, team name,
	// role name, role key per organization; invitation token).
	ErrConflict = errors.New("store: conflict")
	// ErrUnavailable: the backend could not be reached; nothing was changed.
	ErrUnavailable = errors.New("store: unavailable")
	// ErrOutcomeUnknown: the backend went away while a transaction was
	// committing, so it may or may not have been saved (a server that
	// crashes after making the commit durable but before acknowledging it).
	// Never returned by the memory backend.
	ErrOutcomeUnknown = errors.New("store: outcome unknown")
)

// Entity names a kind of organization-owned entity, for Exists.
type Entity string

const (
	EntityMember      Entity = "member"
	EntityTeam        Entity = "team"
	EntityInteraction Entity = "interaction"
	EntityEvaluation  Entity = "evaluation"
)

// Page asks for at most Limit items after the item with id After, in the
// listing's order. Limit <= 0 means no limit. NewestFirst reverses the
// creation order of ListMembers, ListInteractions and ListEvaluations (After
// then means "older than"); ListAudit is newest first whatever it says.
type Page struct {
	After       string
	Limit       int
	NewestFirst bool
}

// MemberFilter narrows ListMembers and CountMatchingMembers.
type MemberFilter struct {
	Status model.MemberStatus // "" for every status
	// Search keeps members whose name or email contains it, ignoring case
	// ("" keeps all). LIKE's wildcards in it match themselves.
	Search string
	// TeamID keeps the members (plain or managers) of that team.
	TeamID string
	Page
}

// ResourceFilter narrows ListInteractionsWhere and ListEvaluationsWhere to
// the rows one reader's scope covers (package domain decides which, from
// the permission graph). An evaluation's team is its interaction's.
type ResourceFilter struct {
	// All keeps every row of the organization. Otherwise a row is kept
	// when its team is one of TeamIDs or InvolvedID is involved in it
	// (owner or assignee of an interaction; evaluated agent or evaluator
	// of an evaluation); with neither, nothing is kept.
	All        bool
	TeamIDs    []string
	InvolvedID string
	// TeamID, when set, keeps only the rows of that team besides.
	TeamID string
	Page
}

// OutboxEntry is one queued relationship update. IDs increase in commit
// order within an organization, and entries are applied in ID order.
type OutboxEntry struct {
	ID     int64
	OrgID  string
	Update rels.Update
}

// Reader is every read. Listings return items in a stable order: members,
// interactions, evaluations and audit events by creation time then id
// (audit events newest first); teams and roles by name; memberships by team
// then member. Returned values are copies: changing them changes nothing.
type Reader interface {
	// GetOrganization returns the organization with Pending set exactly
	// when it has unapplied outbox entries at the moment of the read.
	// NextExpiry is set to the soonest temporary role expiry after the
	// moment of the read.
	GetOrganization(ctx context.Context, id string) (*model.Organization, error)
	ListOrganizations(ctx context.Context) ([]*model.Organization, error)

	GetMember(ctx context.Context, orgID, id string) (*model.Member, error)
	// GetOrganizationMember is GetOrganization and GetMember read together
	// (one round trip on Postgres): every authenticated request needs
	// both. ErrNotFound when either is missing, or the member belongs to
	// another organization.
	GetOrganizationMember(ctx context.Context, orgID, memberID string) (*model.Organization, *model.Member, error)
	// GetOrganizationMemberByExternalID is GetOrganizationMember by the
	// OIDC issuer's ids: the organization whose ExternalID is
	// orgExternalID and its member whose ExternalID is memberExternalID;
	// ErrNotFound when either is missing.
	GetOrganizationMemberByExternalID(ctx context.Context, orgExternalID, memberExternalID string) (*model.Organization, *model.Member, error)
	// GetMembers returns the members with these ids, in the order asked;
	// unknown ids (or ids of another organization) are left out.
	GetMembers(ctx context.Context, orgID string, ids []string) ([]*model.Member, error)
	// GetMemberByEmail matches the email case-insensitively.
	GetMemberByEmail(ctx context.Context, orgID, email string) (*model.Member, error)
	ListMembers(ctx context.Context, orgID string, f MemberFilter) ([]*model.Member, error)
	CountMembers(ctx context.Context, orgID string, status model.MemberStatus) (int, error)
	// CountMatchingMembers counts what ListMembers would list without its Page.
	CountMatchingMembers(ctx context.Context, orgID string, f MemberFilter) (int, error)
	// CountRoleHolders counts members (any status) holding the role.
	CountRoleHolders(ctx context.Context, orgID, roleID string) (int, error)
	// CountSeatHolders counts members (any status but DEACTIVATED) holding
	// the seat: a deactivated member's seat goes back to the pool.
	CountSeatHolders(ctx context.Context, orgID string, kind model.SeatKind) (int, error)

	// Exists reports whether the organization has an entity of that kind
	// with that id, reading nothing else (a permission question's
	// existence read).
	Exists(ctx context.Context, orgID string, kind Entity, id string) (bool, error)

	GetTeam(ctx context.Context, orgID, id string) (*model.Team, error)
	ListTeams(ctx context.Context, orgID string) ([]*model.Team, error)
	// ListMemberships lists memberships of one team (teamID set), of one
	// member (memberID set), or of the whole organization (neither).
	ListMemberships(ctx context.Context, orgID, teamID, memberID string) ([]*model.TeamMembership, error)

	GetRole(ctx context.Context, orgID, id string) (*model.Role, error)
	GetRoleByKey(ctx context.Context, orgID, key string) (*model.Role, error)
	ListRoles(ctx context.Context, orgID string) ([]*model.Role, error)

	ListSeatPools(ctx context.Context, orgID string) ([]*model.SeatPool, error)

	GetInteraction(ctx context.Context, orgID, id string) (*model.Interaction, error)
	// GetInteractions: as GetMembers.
	GetInteractions(ctx context.Context, orgID string, ids []string) ([]*model.Interaction, error)
	ListInteractions(ctx context.Context, orgID string, p Page) ([]*model.Interaction, error)
	// ListInteractionsWhere is ListInteractions of the rows f keeps
	// (f.Page's cursor may be a row f does not keep).
	ListInteractionsWhere(ctx context.Context, orgID string, f ResourceFilter) ([]*model.Interaction, error)

	GetEvaluation(ctx context.Context, orgID, id string) (*model.Evaluation, error)
	GetEvaluations(ctx context.Context, orgID string, ids []string) ([]*model.Evaluation, error)
	ListEvaluations(ctx context.Context, orgID string, p Page) ([]*model.Evaluation, error)
	// ListEvaluationsWhere is ListEvaluations of the rows f keeps.
	ListEvaluationsWhere(ctx context.Context, orgID string, f ResourceFilter) ([]*model.Evaluation, error)

	// CountVisible counts the organization's interactions and evaluations
	// by team, and by team for each of memberIDs those they are involved
	// in: what a member sees at each read scope is a sum of these, so a
	// preview (issue 12) counts it without listing 100k resources.
	CountVisible(ctx context.Context, orgID string, memberIDs []string) (*VisibleCounts, error)

	// ListAudit pages newest first; After is an event id.
	ListAudit(ctx context.Context, orgID string, p Page) ([]*model.AuditEvent, error)
	CountAudit(ctx context.Context, orgID string) (int, error)

	// GetInvitation looks an invitation up by the hash of its token, across
	// organizations (the token is the only thing an invitee has).
	GetInvitation(ctx context.Context, tokenHash string) (*model.Invitation, error)

	// GetAccessRequest: ErrNotFound for another organization's request.
	GetAccessRequest(ctx context.Context, orgID, id string) (*model.AccessRequest, error)
	// ListAccessRequests lists the organization's requests newest first
	// (creation time, then id), of every status.
	ListAccessRequests(ctx context.Context, orgID string) ([]*model.AccessRequest, error)
	// ListExpiringRoles lists temporary role assignments expiring after
	// `after` and at or before `until`, soonest first (then member, role);
	// orgID "" lists every organization's. Members of any status.
	ListExpiringRoles(ctx context.Context, orgID string, after, until time.Time) ([]model.ExpiringRole, error)

	// StaleCatalog lists, in id order, the organizations whose catalog
	// fingerprint (MarkCatalog) is not this one, never-marked ones included,
	// each with the fingerprint it has.
	StaleCatalog(ctx context.Context, fingerprint string) ([]CatalogMark, error)
	// CatalogsOf maps each of the organizations to its catalog fingerprint
	// (MarkCatalog; "" when never marked); unknown ones are left out.
	CatalogsOf(ctx context.Context, orgIDs []string) (map[string]string, error)
	// CatalogDerivation is what SaveCatalog saved for the fingerprint;
	// ErrNotFound when nothing was.
	CatalogDerivation(ctx context.Context, fingerprint string) ([]string, error)
}

// CatalogMark is an organization with the fingerprint of the catalog its
// catalog-derived relationships follow ("" when never marked).
type CatalogMark struct {
	OrgID   string
	Catalog string
}

// VisibleCounts is what Reader.CountVisible counts.
type VisibleCounts struct {
	Interactions, Evaluations ResourceCounts
}

// ResourceCounts divides one kind of resource among teams and members. An
// evaluation's team is its interaction's. Involved means owner or assignee
// of an interaction, evaluated agent or evaluator of an evaluation.
type ResourceCounts struct {
	Total int
	// ByTeam: team id → resources of that team (none for those without).
	ByTeam map[string]int
	// Involved: member id → team id ("" for none) → resources of that team
	// the member is involved in, each counted once. Members involved in
	// nothing have no entry.
	Involved map[string]map[string]int
}

// Tx is one transaction: its reads see its own writes, and all its writes,
// outbox entries included, commit together or not at all.
type Tx interface {
	Reader

	// LockOrganization serializes transactions that touch organization-wide
	// invariants (one owner, seat totals, names): a second transaction
	// locking the same organization waits until the first ends.
	LockOrganization(ctx context.Context, orgID string) error

	// CreateOrganization: ErrConflict on a taken id or ExternalID.
	CreateOrganization(ctx context.Context, o *model.Organization) error
	// UpdateOrganization writes name, plan, products and owner. Revision and
	// ZedToken belong to the outbox (MarkApplied) and are left alone.
	UpdateOrganization(ctx context.Context, o *model.Organization) error

	CreateMember(ctx context.Context, m *model.Member) error // ErrConflict on a taken email or ExternalID
	// UpdateMember writes all fields but ID, OrgID, CreatedAt (preferences
	// included); ErrConflict as CreateMember.
	UpdateMember(ctx context.Context, m *model.Member) error
	// DeleteMember removes the member and their team memberships.
	DeleteMember(ctx context.Context, orgID, id string) error

	CreateTeam(ctx context.Context, t *model.Team) error // ErrConflict on a taken name
	UpdateTeam(ctx context.Context, t *model.Team) error // name and parent
	// DeleteTeam removes the team and its memberships; its children become
	// children of its parent, its interactions lose their team.
	DeleteTeam(ctx context.Context, orgID, id string) error
	// PutMembership adds a membership or changes its Manager flag.
	PutMembership(ctx context.Context, m *model.TeamMembership) error
	DeleteMembership(ctx context.Context, orgID, teamID, memberID string) error

	CreateRole(ctx context.Context, r *model.Role) error // ErrConflict on a taken name or key
	UpdateRole(ctx context.Context, r *model.Role) error // name, description, grants
	DeleteRole(ctx context.Context, orgID, id string) error

	// PutSeatPool creates or changes a pool's total.
	PutSeatPool(ctx context.Context, p *model.SeatPool) error

	CreateInteraction(ctx context.Context, i *model.Interaction) error
	// UpdateInteraction writes title, team and assignees (owner and
	// CreatedAt stay); ErrNotFound for an unknown interaction or team.
	UpdateInteraction(ctx context.Context, i *model.Interaction) error
	// DeleteInteraction removes the interaction and its evaluations.
	DeleteInteraction(ctx context.Context, orgID, id string) error
	CreateEvaluation(ctx context.Context, e *model.Evaluation) error
	// UpdateEvaluation writes the score; ErrNotFound when it does not exist.
	UpdateEvaluation(ctx context.Context, e *model.Evaluation) error
	DeleteEvaluation(ctx context.Context, orgID, id string) error

	// AppendAudit stores the event; the store sets ID when empty and At when zero.
	AppendAudit(ctx context.Context, e *model.AuditEvent) error

	CreateInvitation(ctx context.Context, inv *model.Invitation) error
	// MarkInvitationUsed sets UsedAt.
	MarkInvitationUsed(ctx context.Context, tokenHash string, at time.Time) error

	CreateAccessRequest(ctx context.Context, r *model.AccessRequest) error
	// UpdateAccessRequest writes status, decision, role and expiry.
	UpdateAccessRequest(ctx context.Context, r *model.AccessRequest) error

	// Enqueue appends relationship updates to the organization's outbox, in
	// order, as part of this transaction.
	Enqueue(ctx context.Context, orgID string, updates []rels.Update) error
	// MarkCatalog records the fingerprint of the catalog the organization's
	// catalog-derived relationships now follow; ErrNotFound for an unknown
	// organization.
	MarkCatalog(ctx context.Context, orgID, fingerprint string) error
	// SaveCatalog records what the catalog of the fingerprint derives for a
	// probe organization (package reconcile), so that a later release can
	// bring organizations marked with it to its own catalog by the
	// difference of the two alone. The first save of a fingerprint stays:
	// one catalog derives one thing.
	SaveCatalog(ctx context.Context, fingerprint string, derivation []string) error
}

// Store is a backend.
type Store interface {
	Reader

	// InTx runs fn in one transaction. fn's error rolls everything back and
	// is returned as is; a nil error commits.
	InTx(ctx context.Context, fn func(Tx) error) error

	// WithOutboxLock runs fn while holding the organization's outbox lock,
	// shared by every process on the same backend: appliers of one
	// organization never interleave, so a late write can never resurrect a
	// relationship a newer entry deleted.
	WithOutboxLock(ctx context.Context, orgID string, fn func() error) error
	// WithOutboxLocks is WithOutboxLock over several organizations at once
	// (a catalog sync changes many in one SpiceDB write). Taken in id
	// order, so that two callers never wait on each other in a cycle.
	WithOutboxLocks(ctx context.Context, orgIDs []string, fn func() error) error
	// PendingOutbox returns up to limit unapplied entries of the organization
	// in ID order; OrgsWithPending lists organizations that have any.
	PendingOutbox(ctx context.Context, orgID string, limit int) ([]OutboxEntry, error)
	OrgsWithPending(ctx context.Context) ([]string, error)
	// MarkApplied removes the organization's entries with ID <= upTo,
	// increments its Revision and stores zedToken, in one transaction.
	MarkApplied(ctx context.Context, orgID string, upTo int64, zedToken string) error
	// RecordCatalogChange is, for each organization and in one transaction,
	// MarkApplied without removing entries and MarkCatalog: one SpiceDB
	// write (zedToken) brought them all to the catalog of fingerprint. It
	// returns their new revisions; ErrNotFound, and nothing recorded, when
	// one is unknown.
	RecordCatalogChange(ctx context.Context, orgIDs []string, fingerprint, zedToken string) (map[string]int64, error)

	// Ping answers when the backend is reachable.
	Ping(ctx context.Context) error
	Close()
}

/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
};

/** What a change would do: every member whose effective access changes. */
export type AccessDiff = {
  __typename?: 'AccessDiff';
  members: Array<MemberAccessChange>;
  membersAffected: Scalars['Int']['output'];
};

export type AccessRequest = {
  __typename?: 'AccessRequest';
  createdAt: Scalars['String']['output'];
  decidedBy?: Maybe<Member>;
  expiresAt?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  permission: Scalars['String']['output'];
  reason: Scalars['String']['output'];
  requester: Member;
  resource?: Maybe<Interaction>;
  status: AccessRequestStatus;
};

/** A PENDING request nobody decided within 7 days reads as EXPIRED. */
export type AccessRequestStatus =
  | 'APPROVED'
  | 'DENIED'
  | 'EXPIRED'
  | 'PENDING';

/** Who changed what, when, before and after (JSON). */
export type AuditEvent = {
  __typename?: 'AuditEvent';
  action: Scalars['String']['output'];
  actor?: Maybe<Member>;
  after?: Maybe<Scalars['String']['output']>;
  at: Scalars['String']['output'];
  before?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  targetId?: Maybe<Scalars['ID']['output']>;
};

export type AuditEventConnection = {
  __typename?: 'AuditEventConnection';
  edges: Array<AuditEventEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type AuditEventEdge = {
  __typename?: 'AuditEventEdge';
  cursor: Scalars['String']['output'];
  node: AuditEvent;
};

export type CreateEvaluationInput = {
  agentId: Scalars['ID']['input'];
  interactionId: Scalars['ID']['input'];
  score: Scalars['Int']['input'];
};

export type CreateInteractionInput = {
  assigneeIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  teamId?: InputMaybe<Scalars['ID']['input']>;
  title: Scalars['String']['input'];
};

export type CreateOrganizationInput = {
  /** The organization's id at the OIDC issuer; unique (CONFLICT when taken). */
  externalId?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  ownerEmail: Scalars['String']['input'];
  /** The owner's sub at the OIDC issuer (needs externalId): the issuer's tokens sign the owner in from the start, as acceptInvitation binds an invited member. */
  ownerExternalId?: InputMaybe<Scalars['String']['input']>;
  ownerName: Scalars['String']['input'];
  plan?: InputMaybe<Plan>;
  products?: InputMaybe<Array<Product>>;
};

export type CreateOrganizationPayload = {
  __typename?: 'CreateOrganizationPayload';
  organization: Organization;
  owner: Member;
};

export type CreateRoleInput = {
  cloneFromId?: InputMaybe<Scalars['ID']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  grants?: InputMaybe<Array<GrantInput>>;
  name: Scalars['String']['input'];
};

export type CreateTeamInput = {
  name: Scalars['String']['input'];
  parentId?: InputMaybe<Scalars['ID']['input']>;
};

/** A QA scorecard on an interaction. */
export type Evaluation = {
  __typename?: 'Evaluation';
  agent: Member;
  createdAt: Scalars['String']['output'];
  evaluator: Member;
  id: Scalars['ID']['output'];
  interaction: Interaction;
  score: Scalars['Int']['output'];
};

export type ExpiringAccess = {
  __typename?: 'ExpiringAccess';
  expiresAt: Scalars['String']['output'];
  member: Member;
  role: Role;
};

/** Why a member may or may not do something, in words and as structured reasons, and for a denial what would change it. */
export type Explanation = {
  __typename?: 'Explanation';
  /** The answer can gives for the same question (the same SpiceDB check). */
  allowed: Scalars['Boolean']['output'];
  /** Every path that allows it, or every gate that blocks it. */
  reasons: Array<Reason>;
  /** For a denial: the changes that, applied together in this order, allow it; smallest first. Empty when allowed. */
  remedies: Array<Remedy>;
  /** One sentence a support agent can read to a customer. */
  summary: Scalars['String']['output'];
};

export type Grant = {
  __typename?: 'Grant';
  permission: Scalars['String']['output'];
  scope: Scope;
};

/** One permission's effective scope, before (from) and after (to). */
export type GrantChange = {
  __typename?: 'GrantChange';
  from: Scope;
  permission: Scalars['String']['output'];
  to: Scope;
};

export type GrantInput = {
  permission: Scalars['String']['input'];
  scope: Scope;
};

export type GuestInvite = {
  __typename?: 'GuestInvite';
  expiresAt: Scalars['String']['output'];
  token: Scalars['String']['output'];
  url: Scalars['String']['output'];
};

/** A recorded call, meeting or conversation. */
export type Interaction = {
  __typename?: 'Interaction';
  assignees: Array<Member>;
  createdAt: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  owner: Member;
  team?: Maybe<Team>;
  title: Scalars['String']['output'];
  viewerCan: InteractionPermissions;
};

export type InteractionConnection = {
  __typename?: 'InteractionConnection';
  edges: Array<InteractionEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type InteractionEdge = {
  __typename?: 'InteractionEdge';
  cursor: Scalars['String']['output'];
  node: Interaction;
};

export type InteractionPermissions = {
  __typename?: 'InteractionPermissions';
  delete: Scalars['Boolean']['output'];
  download: Scalars['Boolean']['output'];
  read: Scalars['Boolean']['output'];
  write: Scalars['Boolean']['output'];
};

export type InviteMemberInput = {
  email: Scalars['String']['input'];
  name: Scalars['String']['input'];
  roleIds: Array<Scalars['ID']['input']>;
  seats?: InputMaybe<Array<SeatKind>>;
  teamIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type InviteMemberPayload = {
  __typename?: 'InviteMemberPayload';
  invitationToken: Scalars['String']['output'];
  member: Member;
};

/** A person in one organization. Permissions are the union of their roles, gated by products and seats. */
export type Member = {
  __typename?: 'Member';
  /** May this member do permission (on resourceId, or at any scope without it)? */
  can: Scalars['Boolean']['output'];
  email: Scalars['String']['output'];
  /** The member's sub at the OIDC issuer, bound when they accepted their invitation with the issuer's token; null for none. */
  externalId?: Maybe<Scalars['String']['output']>;
  /** Effective grants: union of roles, gated by enabled products and held seats. */
  grants: Array<Grant>;
  id: Scalars['ID']['output'];
  /** On the member setMemberRoles returns: what the change did to everyone's access. Null elsewhere. */
  impact?: Maybe<AccessDiff>;
  isGuest: Scalars['Boolean']['output'];
  isOwner: Scalars['Boolean']['output'];
  managedTeams: Array<Team>;
  name: Scalars['String']['output'];
  /** Personal settings; defaults (en, UTC, notifications on) until set. */
  preferences: MemberPreferences;
  /** Roles held: permanent ones (expiresAt null) and temporary ones not yet expired. */
  roleAssignments: Array<RoleAssignment>;
  roles: Array<Role>;
  seats: Array<SeatKind>;
  status: MemberStatus;
  teams: Array<Team>;
};


/** A person in one organization. Permissions are the union of their roles, gated by products and seats. */
export type MemberCanArgs = {
  permission: Scalars['String']['input'];
  resourceId?: InputMaybe<Scalars['ID']['input']>;
};

/** One member's access before and after a change. */
export type MemberAccessChange = {
  __typename?: 'MemberAccessChange';
  evaluationsGained: Scalars['Int']['output'];
  evaluationsLost: Scalars['Int']['output'];
  /** Permissions whose effective scope widens (from DISABLED when new). */
  gained: Array<GrantChange>;
  /** How many interactions the member would newly read. */
  interactionsGained: Scalars['Int']['output'];
  /** How many interactions the member would no longer read. */
  interactionsLost: Scalars['Int']['output'];
  /** Permissions whose effective scope narrows (to DISABLED when gone). */
  lost: Array<GrantChange>;
  member: Member;
};

export type MemberConnection = {
  __typename?: 'MemberConnection';
  edges: Array<MemberEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type MemberEdge = {
  __typename?: 'MemberEdge';
  cursor: Scalars['String']['output'];
  node: Member;
};

export type MemberPreferences = {
  __typename?: 'MemberPreferences';
  emailNotifications: Scalars['Boolean']['output'];
  /** A BCP 47 language tag, canonical (en-US). */
  locale: Scalars['String']['output'];
  /** An IANA time zone (Europe/Berlin). */
  timezone: Scalars['String']['output'];
};

/** Omitted fields stay as they are. */
export type MemberPreferencesInput = {
  emailNotifications?: InputMaybe<Scalars['Boolean']['input']>;
  locale?: InputMaybe<Scalars['String']['input']>;
  timezone?: InputMaybe<Scalars['String']['input']>;
};

export type MemberStatus =
  | 'ACTIVE'
  | 'DEACTIVATED'
  | 'INVITED';

/** A module of the permission catalog, grouped by product. */
export type Module = {
  __typename?: 'Module';
  actions: Array<ModuleAction>;
  key: Scalars['String']['output'];
  name: Scalars['String']['output'];
  product?: Maybe<Product>;
};

export type ModuleAction = {
  __typename?: 'ModuleAction';
  key: Scalars['String']['output'];
  name: Scalars['String']['output'];
  permission: Scalars['String']['output'];
  scopes: Array<Scope>;
  seat?: Maybe<SeatKind>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** No bearer token needed. For a guest link, email and name are required. */
  acceptInvitation: Member;
  /** teams.write at a scope covering the team (team administrators staff their teams); your own memberships need teams.write at ALL; making someone a manager passes the escalation guard. */
  addTeamMember: Team;
  /** Grants the requester roleId until expiresAt. Not your own request; the role must be within your grants. */
  approveAccessRequest: AccessRequest;
  /** Needs seats.write. VOICE needs RECORDER first. */
  assignSeat: Member;
  /** evaluations.write covering the interaction; you are the evaluator. */
  createEvaluation: Evaluation;
  /** Needs guests.write: an expiring link that lets guests join with one role; with accessExpiresAt, the guests' role ends then. */
  createGuestInvite: GuestInvite;
  /** Your own call needs interactions.record and a RECORDER seat; another member's needs interactions.write covering them. */
  createInteraction: Interaction;
  /** Operator token only. */
  createOrganization: CreateOrganizationPayload;
  /** Needs roles.write and plan PRO or ENTERPRISE. Every grant within your own. */
  createRole: Role;
  /** teams.write: ALL for a top-level team, TEAM for a sub-team of a team you belong to or manage. */
  createTeam: Team;
  deactivateMember: Member;
  /** evaluations.delete covering it. */
  deleteEvaluation: Scalars['Boolean']['output'];
  deleteInteraction: Scalars['Boolean']['output'];
  /** CONFLICT while members hold it, unless reassignToId is given. */
  deleteRole: Scalars['Boolean']['output'];
  /** Needs teams.delete. Sub-teams move up to the parent. */
  deleteTeam: Scalars['Boolean']['output'];
  denyAccessRequest: AccessRequest;
  disableProduct: Organization;
  /** Needs account.write. Roles keep their grants while a product is off. */
  enableProduct: Organization;
  /** Moves the end of an unexpired temporary role. */
  extendRoleAssignment: Member;
  /** Gives a role until expiresAt (at most 90 days ahead). Needs members.write on the member; the role must be within your grants. */
  grantTemporaryRole: Member;
  /** Needs members.write (TEAM: only into teams you belong to or manage). Roles must be within your own grants. */
  inviteMember: InviteMemberPayload;
  reactivateMember: Member;
  /** Releasing RECORDER releases VOICE too. */
  releaseSeat: Member;
  /** Needs members.delete. */
  removeMember: Scalars['Boolean']['output'];
  removeTeamMember: Team;
  renameTeam: Team;
  /** Asks for a permission you were denied, optionally on one resource. */
  requestAccess: AccessRequest;
  /** System roles back to defaults. */
  resetRole: Role;
  /** Takes a temporary role (or a permanent one but the last) away now. */
  revokeRoleAssignment: Member;
  /** preferences.write: OWN for yourself, ALL for others. */
  setMemberPreferences: Member;
  /** Replaces a member's roles. Never your own, never the owner's. */
  setMemberRoles: Member;
  /** Needs account.write. Leaving PRO/ENTERPRISE is refused while custom roles exist. */
  setPlan: Organization;
  /** Replaces the matrix; missing permissions are DISABLED. */
  setRoleGrants: Role;
  /** Buying licences: needs account.write; never below the seats in use. Distributing them (assignSeat, releaseSeat) is seats.write. */
  setSeatTotal: SeatPool;
  /** Only the owner. The previous owner becomes an admin. */
  transferOwnership: Organization;
  /** evaluations.write covering it; score 0 to 100. */
  updateEvaluation: Evaluation;
  /** interactions.write at a scope covering it (and the target team when moving it). */
  updateInteraction: Interaction;
  /** Another member: members.write covering them (the owner: only the owner); yourself: preferences.write. */
  updateMember: Member;
  updateRole: Role;
};


export type MutationAcceptInvitationArgs = {
  email?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  token: Scalars['String']['input'];
};


export type MutationAddTeamMemberArgs = {
  manager?: InputMaybe<Scalars['Boolean']['input']>;
  memberId: Scalars['ID']['input'];
  teamId: Scalars['ID']['input'];
};


export type MutationApproveAccessRequestArgs = {
  expiresAt: Scalars['String']['input'];
  id: Scalars['ID']['input'];
  roleId: Scalars['ID']['input'];
};


export type MutationAssignSeatArgs = {
  kind: SeatKind;
  memberId: Scalars['ID']['input'];
};


export type MutationCreateEvaluationArgs = {
  input: CreateEvaluationInput;
};


export type MutationCreateGuestInviteArgs = {
  accessExpiresAt?: InputMaybe<Scalars['String']['input']>;
  expiresAt: Scalars['String']['input'];
  roleId: Scalars['ID']['input'];
};


export type MutationCreateInteractionArgs = {
  input: CreateInteractionInput;
};


export type MutationCreateOrganizationArgs = {
  input: CreateOrganizationInput;
};


export type MutationCreateRoleArgs = {
  input: CreateRoleInput;
};


export type MutationCreateTeamArgs = {
  input: CreateTeamInput;
};


export type MutationDeactivateMemberArgs = {
  memberId: Scalars['ID']['input'];
};


export type MutationDeleteEvaluationArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteInteractionArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteRoleArgs = {
  id: Scalars['ID']['input'];
  reassignToId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationDeleteTeamArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDenyAccessRequestArgs = {
  id: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};


export type MutationDisableProductArgs = {
  product: Product;
};


export type MutationEnableProductArgs = {
  product: Product;
};


export type MutationExtendRoleAssignmentArgs = {
  expiresAt: Scalars['String']['input'];
  memberId: Scalars['ID']['input'];
  roleId: Scalars['ID']['input'];
};


export type MutationGrantTemporaryRoleArgs = {
  expiresAt: Scalars['String']['input'];
  memberId: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
  roleId: Scalars['ID']['input'];
};


export type MutationInviteMemberArgs = {
  input: InviteMemberInput;
};


export type MutationReactivateMemberArgs = {
  memberId: Scalars['ID']['input'];
};


export type MutationReleaseSeatArgs = {
  kind: SeatKind;
  memberId: Scalars['ID']['input'];
};


export type MutationRemoveMemberArgs = {
  memberId: Scalars['ID']['input'];
};


export type MutationRemoveTeamMemberArgs = {
  memberId: Scalars['ID']['input'];
  teamId: Scalars['ID']['input'];
};


export type MutationRenameTeamArgs = {
  id: Scalars['ID']['input'];
  name: Scalars['String']['input'];
};


export type MutationRequestAccessArgs = {
  permission: Scalars['String']['input'];
  reason: Scalars['String']['input'];
  resourceId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationResetRoleArgs = {
  roleId: Scalars['ID']['input'];
};


export type MutationRevokeRoleAssignmentArgs = {
  memberId: Scalars['ID']['input'];
  roleId: Scalars['ID']['input'];
};


export type MutationSetMemberPreferencesArgs = {
  input: MemberPreferencesInput;
  memberId: Scalars['ID']['input'];
};


export type MutationSetMemberRolesArgs = {
  memberId: Scalars['ID']['input'];
  roleIds: Array<Scalars['ID']['input']>;
};


export type MutationSetPlanArgs = {
  plan: Plan;
};


export type MutationSetRoleGrantsArgs = {
  grants: Array<GrantInput>;
  roleId: Scalars['ID']['input'];
};


export type MutationSetSeatTotalArgs = {
  kind: SeatKind;
  total: Scalars['Int']['input'];
};


export type MutationTransferOwnershipArgs = {
  memberId: Scalars['ID']['input'];
};


export type MutationUpdateEvaluationArgs = {
  id: Scalars['ID']['input'];
  score: Scalars['Int']['input'];
};


export type MutationUpdateInteractionArgs = {
  id: Scalars['ID']['input'];
  input: UpdateInteractionInput;
};


export type MutationUpdateMemberArgs = {
  id: Scalars['ID']['input'];
  input: UpdateMemberInput;
};


export type MutationUpdateRoleArgs = {
  description?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
};

/** A tenant. Exactly one owner; modules lists only those of enabled products. */
export type Organization = {
  __typename?: 'Organization';
  /** The organization's id at the OIDC issuer (the value of its organization claim); null for none. */
  externalId?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** On the organization enableProduct or disableProduct returns: what the switch did to everyone's access. Null elsewhere. */
  impact?: Maybe<AccessDiff>;
  /** Needs members.read. search: name or email, case-insensitive substring (seed 001 Supersearch); teamId: members and managers of that team. */
  members: MemberConnection;
  /** Modules of enabled products only. */
  modules: Array<Module>;
  name: Scalars['String']['output'];
  owner: Member;
  plan: Plan;
  products: Array<Product>;
  /** Needs roles.read. */
  roles: Array<Role>;
  /** Seat pools with their use (seats.read or members.read). */
  seats: Array<SeatPool>;
  /** Needs teams.read. */
  teams: Array<Team>;
};


/** A tenant. Exactly one owner; modules lists only those of enabled products. */
export type OrganizationMembersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<MemberStatus>;
  teamId?: InputMaybe<Scalars['ID']['input']>;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type Plan =
  | 'ENTERPRISE'
  | 'PRO'
  | 'STARTER';

export type Product =
  | 'AI'
  | 'CONTACT_CENTER'
  | 'CONVERSATIONS'
  | 'KNOWLEDGE_BASE'
  | 'MESSAGING'
  | 'QUALITY'
  | 'TELEPHONY';

export type Query = {
  __typename?: 'Query';
  /** Newest first: everyone's with members.read, else your own. */
  accessRequests: Array<AccessRequest>;
  /** Needs audit_log.read. Newest first. */
  auditLog: AuditEventConnection;
  /** Without resourceId: true when the member holds the permission at any scope, its product is enabled and its seat held. memberId asks for another member (needs members.read). */
  can: Scalars['Boolean']['output'];
  /** Only readable ones, newest first. */
  evaluations: Array<Evaluation>;
  /** Temporary roles ending within the next withinHours (1 to 2160), soonest first. Needs members.read. */
  expiringAccess: Array<ExpiringAccess>;
  /** Explains can(permission, resourceId, memberId): memberId other than you needs members.read. */
  explain: Explanation;
  /** null when it does not exist or is not readable. */
  interaction?: Maybe<Interaction>;
  /** Only readable ones, newest first. */
  interactions: InteractionConnection;
  /** null when no such member exists in this organization. Others than the viewer need members.read. */
  member?: Maybe<Member>;
  /** organization.members, from the root: needs members.read. search: name or email, case-insensitive substring (seed 001 Supersearch); teamId: members and managers of that team. */
  members: MemberConnection;
  /** The caller's organization. */
  organization: Organization;
  /** Every module and action, whatever is enabled. */
  permissionCatalog: Array<Module>;
  /** What setMemberRoles(memberId, roleIds) would do. Needs what setMemberRoles needs. */
  previewMemberRoles: AccessDiff;
  /** What enableProduct (enabled: true) or disableProduct would do. Needs account.write. */
  previewProductChange: AccessDiff;
  /** What setRoleGrants(roleId, grants) would do. Needs what setRoleGrants needs. */
  previewRoleGrants: AccessDiff;
  /** null when no such role exists. Needs roles.read unless you hold it. */
  role?: Maybe<Role>;
  /** Needs teams.read; null when no such team exists. */
  team?: Maybe<Team>;
  /** The calling member. */
  viewer: Member;
  /** Active members who may do permission on the resource (needs members.read). */
  whoCan: Array<Member>;
};


export type QueryAccessRequestsArgs = {
  status?: InputMaybe<AccessRequestStatus>;
};


export type QueryAuditLogArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryCanArgs = {
  memberId?: InputMaybe<Scalars['ID']['input']>;
  permission: Scalars['String']['input'];
  resourceId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryEvaluationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryExpiringAccessArgs = {
  withinHours: Scalars['Int']['input'];
};


export type QueryExplainArgs = {
  memberId?: InputMaybe<Scalars['ID']['input']>;
  permission: Scalars['String']['input'];
  resourceId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryInteractionArgs = {
  id: Scalars['ID']['input'];
};


export type QueryInteractionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  teamId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryMemberArgs = {
  id: Scalars['ID']['input'];
};


export type QueryMembersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<MemberStatus>;
  teamId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryPreviewMemberRolesArgs = {
  memberId: Scalars['ID']['input'];
  roleIds: Array<Scalars['ID']['input']>;
};


export type QueryPreviewProductChangeArgs = {
  enabled: Scalars['Boolean']['input'];
  product: Product;
};


export type QueryPreviewRoleGrantsArgs = {
  grants: Array<GrantInput>;
  roleId: Scalars['ID']['input'];
};


export type QueryRoleArgs = {
  id: Scalars['ID']['input'];
};


export type QueryTeamArgs = {
  id: Scalars['ID']['input'];
};


export type QueryWhoCanArgs = {
  permission: Scalars['String']['input'];
  resourceId: Scalars['ID']['input'];
};

/** One fact behind a decision. */
export type Reason = {
  __typename?: 'Reason';
  kind: ReasonKind;
  product?: Maybe<Product>;
  role?: Maybe<Role>;
  scope?: Maybe<Scope>;
  seat?: Maybe<SeatKind>;
  team?: Maybe<Team>;
  text: Scalars['String']['output'];
};

export type ReasonKind =
  /** Time-bound access that would allow it has expired. */
  | 'ACCESS_EXPIRED'
  /** The member is assigned to the resource (OWN scope). */
  | 'ASSIGNED'
  /** The member is not ACTIVE: they hold nothing until (re)activated. */
  | 'MEMBER_INACTIVE'
  /** No role of the member grants the permission. */
  | 'NOT_GRANTED'
  /** The member owns the organization: every permission. */
  | 'OWNER'
  /** The member owns the resource (OWN scope). */
  | 'OWNS'
  /** The permission's product is not enabled for the organization. */
  | 'PRODUCT_DISABLED'
  /** A role the member holds grants the permission at scope. */
  | 'ROLE_GRANT'
  /** The member holds the permission, at a scope that does not reach this resource (scope: the one needed). */
  | 'SCOPE_TOO_NARROW'
  /** The permission needs a seat the member does not hold. */
  | 'SEAT_MISSING'
  /** The member manages the resource's team or a team above it (TEAM scope). */
  | 'TEAM_MANAGER'
  /** The resource belongs to a team the member is in (TEAM scope). */
  | 'TEAM_MEMBER';

/** One change that lifts a blocker. callerCanApply: the mutation's own guards, run for you without saving, let you make it. */
export type Remedy = {
  __typename?: 'Remedy';
  callerCanApply: Scalars['Boolean']['output'];
  kind: RemedyKind;
  product?: Maybe<Product>;
  role?: Maybe<Role>;
  scope?: Maybe<Scope>;
  seat?: Maybe<SeatKind>;
  team?: Maybe<Team>;
  text: Scalars['String']['output'];
};

export type RemedyKind =
  /** addTeamMember: put the member in team. */
  | 'ADD_TO_TEAM'
  /** setMemberRoles: add role (which grants the permission at scope). */
  | 'ASSIGN_ROLE'
  /** assignSeat: give the member a seat from the pool. */
  | 'ASSIGN_SEAT'
  /** setSeatTotal: the pool is full; raise it by one (then ASSIGN_SEAT). */
  | 'BUY_SEAT'
  /** enableProduct: switch the product on. */
  | 'ENABLE_PRODUCT'
  /** reactivateMember: restore the member. */
  | 'REACTIVATE'
  /** setRoleGrants: widen role's grant of the permission to scope. */
  | 'WIDEN_ROLE_GRANT';

/** A system role (editable, resettable, not deletable) or a custom role. */
export type Role = {
  __typename?: 'Role';
  /** What resetRole restores: the system role's default grants; null for a custom role. */
  defaultGrants?: Maybe<Array<Grant>>;
  description: Scalars['String']['output'];
  /** The role's non-DISABLED grants. */
  grants: Array<Grant>;
  id: Scalars['ID']['output'];
  /** On the role setRoleGrants returns: what the edit did to everyone's access. Null elsewhere. */
  impact?: Maybe<AccessDiff>;
  /** The system role's key (owner, admin, manager, …); null for custom roles. */
  key?: Maybe<Scalars['String']['output']>;
  memberCount: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  system: Scalars['Boolean']['output'];
};

export type RoleAssignment = {
  __typename?: 'RoleAssignment';
  expiresAt?: Maybe<Scalars['String']['output']>;
  grantedBy?: Maybe<Member>;
  reason?: Maybe<Scalars['String']['output']>;
  role: Role;
};

/** How far a grant reaches. ALL implies TEAM implies OWN. */
export type Scope =
  | 'ALL'
  | 'DISABLED'
  | 'OWN'
  | 'TEAM';

export type SeatKind =
  | 'CONTACT_CENTER'
  | 'RECORDER'
  | 'VOICE';

export type SeatPool = {
  __typename?: 'SeatPool';
  kind: SeatKind;
  total: Scalars['Int']['output'];
  used: Scalars['Int']['output'];
};

/** A named group of members. Managers see their team and its sub-teams. */
export type Team = {
  __typename?: 'Team';
  children: Array<Team>;
  id: Scalars['ID']['output'];
  managers: Array<Member>;
  members: Array<Member>;
  name: Scalars['String']['output'];
  parent?: Maybe<Team>;
};

/** Omitted fields stay as they are; assigneeIds: [] removes every assignee. */
export type UpdateInteractionInput = {
  assigneeIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Needs interactions.write covering the target team too. */
  teamId?: InputMaybe<Scalars['ID']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

/** Omitted fields stay as they are. */
export type UpdateMemberInput = {
  /** Unique per organization: CONFLICT when another member has it. */
  email?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
};

export type InteractionsQueryVariables = Exact<{ [key: string]: never; }>;


export type InteractionsQuery = { __typename?: 'Query', viewer: { __typename?: 'Member', name: string }, interactions: { __typename?: 'InteractionConnection', totalCount: number, edges: Array<{ __typename?: 'InteractionEdge', node: { __typename?: 'Interaction', id: string, title: string, viewerCan: { __typename?: 'InteractionPermissions', read: boolean, write: boolean, delete: boolean, download: boolean } } }> } };


export const InteractionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Interactions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"interactions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"5"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"viewerCan"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"read"}},{"kind":"Field","name":{"kind":"Name","value":"write"}},{"kind":"Field","name":{"kind":"Name","value":"delete"}},{"kind":"Field","name":{"kind":"Name","value":"download"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<InteractionsQuery, InteractionsQueryVariables>;
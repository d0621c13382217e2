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

export type AccessDiffFieldsFragment = { __typename?: 'AccessDiff', membersAffected: number, members: Array<{ __typename?: 'MemberAccessChange', interactionsGained: number, interactionsLost: number, evaluationsGained: number, evaluationsLost: number, member: { __typename?: 'Member', id: string, name: string, email: string }, gained: Array<{ __typename?: 'GrantChange', permission: string, from: Scope, to: Scope }>, lost: Array<{ __typename?: 'GrantChange', permission: string, from: Scope, to: Scope }> }> };

export type PreviewRoleGrantsQueryVariables = Exact<{
  roleId: Scalars['ID']['input'];
  grants: Array<GrantInput> | GrantInput;
}>;


export type PreviewRoleGrantsQuery = { __typename?: 'Query', previewRoleGrants: { __typename?: 'AccessDiff', membersAffected: number, members: Array<{ __typename?: 'MemberAccessChange', interactionsGained: number, interactionsLost: number, evaluationsGained: number, evaluationsLost: number, member: { __typename?: 'Member', id: string, name: string, email: string }, gained: Array<{ __typename?: 'GrantChange', permission: string, from: Scope, to: Scope }>, lost: Array<{ __typename?: 'GrantChange', permission: string, from: Scope, to: Scope }> }> } };

export type PreviewMemberRolesQueryVariables = Exact<{
  memberId: Scalars['ID']['input'];
  roleIds: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type PreviewMemberRolesQuery = { __typename?: 'Query', previewMemberRoles: { __typename?: 'AccessDiff', membersAffected: number, members: Array<{ __typename?: 'MemberAccessChange', interactionsGained: number, interactionsLost: number, evaluationsGained: number, evaluationsLost: number, member: { __typename?: 'Member', id: string, name: string, email: string }, gained: Array<{ __typename?: 'GrantChange', permission: string, from: Scope, to: Scope }>, lost: Array<{ __typename?: 'GrantChange', permission: string, from: Scope, to: Scope }> }> } };

export type PreviewProductChangeQueryVariables = Exact<{
  product: Product;
  enabled: Scalars['Boolean']['input'];
}>;


export type PreviewProductChangeQuery = { __typename?: 'Query', previewProductChange: { __typename?: 'AccessDiff', membersAffected: number, members: Array<{ __typename?: 'MemberAccessChange', interactionsGained: number, interactionsLost: number, evaluationsGained: number, evaluationsLost: number, member: { __typename?: 'Member', id: string, name: string, email: string }, gained: Array<{ __typename?: 'GrantChange', permission: string, from: Scope, to: Scope }>, lost: Array<{ __typename?: 'GrantChange', permission: string, from: Scope, to: Scope }> }> } };

export type WhyFragment = { __typename?: 'Explanation', allowed: boolean, summary: string };

export type SessionQueryVariables = Exact<{ [key: string]: never; }>;


export type SessionQuery = { __typename?: 'Query', viewer: { __typename?: 'Member', id: string, name: string, email: string, isOwner: boolean, roles: Array<{ __typename?: 'Role', id: string, name: string }> }, organization: { __typename?: 'Organization', id: string, name: string, plan: Plan, products: Array<Product>, modules: Array<{ __typename?: 'Module', key: string, name: string, product?: Product | null, actions: Array<{ __typename?: 'ModuleAction', key: string, permission: string, name: string, scopes: Array<Scope>, seat?: SeatKind | null }> }> }, rolesRead: { __typename?: 'Explanation', allowed: boolean, summary: string }, rolesWrite: { __typename?: 'Explanation', allowed: boolean, summary: string }, rolesDelete: { __typename?: 'Explanation', allowed: boolean, summary: string }, membersRead: { __typename?: 'Explanation', allowed: boolean, summary: string }, membersWrite: { __typename?: 'Explanation', allowed: boolean, summary: string }, teamsRead: { __typename?: 'Explanation', allowed: boolean, summary: string }, teamsWrite: { __typename?: 'Explanation', allowed: boolean, summary: string }, teamsDelete: { __typename?: 'Explanation', allowed: boolean, summary: string }, seatsRead: { __typename?: 'Explanation', allowed: boolean, summary: string }, seatsWrite: { __typename?: 'Explanation', allowed: boolean, summary: string }, accountWrite: { __typename?: 'Explanation', allowed: boolean, summary: string }, guestsWrite: { __typename?: 'Explanation', allowed: boolean, summary: string }, auditLogRead: { __typename?: 'Explanation', allowed: boolean, summary: string }, apiExplore: { __typename?: 'Explanation', allowed: boolean, summary: string } };

export type AuditLogQueryVariables = Exact<{
  first: Scalars['Int']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type AuditLogQuery = { __typename?: 'Query', auditLog: { __typename?: 'AuditEventConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'AuditEventEdge', node: { __typename?: 'AuditEvent', id: string, at: string, action: string, targetId?: string | null, before?: string | null, after?: string | null, actor?: { __typename?: 'Member', id: string, name: string, email: string } | null } }> } };

export type GuestRolesQueryVariables = Exact<{ [key: string]: never; }>;


export type GuestRolesQuery = { __typename?: 'Query', organization: { __typename?: 'Organization', id: string, roles: Array<{ __typename?: 'Role', id: string, key?: string | null, name: string }> } };

export type CreateGuestInviteMutationVariables = Exact<{
  roleId: Scalars['ID']['input'];
  expiresAt: Scalars['String']['input'];
}>;


export type CreateGuestInviteMutation = { __typename?: 'Mutation', createGuestInvite: { __typename?: 'GuestInvite', token: string, url: string, expiresAt: string } };

export type SeatsQueryVariables = Exact<{ [key: string]: never; }>;


export type SeatsQuery = { __typename?: 'Query', organization: { __typename?: 'Organization', id: string, seats: Array<{ __typename?: 'SeatPool', kind: SeatKind, total: number, used: number }> } };

export type SetSeatTotalMutationVariables = Exact<{
  kind: SeatKind;
  total: Scalars['Int']['input'];
}>;


export type SetSeatTotalMutation = { __typename?: 'Mutation', setSeatTotal: { __typename?: 'SeatPool', kind: SeatKind, total: number, used: number } };

export type MemberPageQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type MemberPageQuery = { __typename?: 'Query', member?: { __typename?: 'Member', id: string, name: string, email: string, status: MemberStatus, isOwner: boolean, isGuest: boolean, seats: Array<SeatKind>, roles: Array<{ __typename?: 'Role', id: string, name: string, grants: Array<{ __typename?: 'Grant', permission: string, scope: Scope }> }>, teams: Array<{ __typename?: 'Team', id: string, name: string }>, managedTeams: Array<{ __typename?: 'Team', id: string, name: string }>, grants: Array<{ __typename?: 'Grant', permission: string, scope: Scope }> } | null, organization: { __typename?: 'Organization', id: string, roles: Array<{ __typename?: 'Role', id: string, key?: string | null, name: string }> } };

export type ExplainMemberAccessQueryVariables = Exact<{
  permission: Scalars['String']['input'];
  memberId: Scalars['ID']['input'];
}>;


export type ExplainMemberAccessQuery = { __typename?: 'Query', explain: { __typename?: 'Explanation', allowed: boolean, summary: string, reasons: Array<{ __typename?: 'Reason', kind: ReasonKind, text: string }>, remedies: Array<{ __typename?: 'Remedy', text: string, callerCanApply: boolean }> } };

export type SetMemberRolesMutationVariables = Exact<{
  memberId: Scalars['ID']['input'];
  roleIds: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type SetMemberRolesMutation = { __typename?: 'Mutation', setMemberRoles: { __typename?: 'Member', id: string, roles: Array<{ __typename?: 'Role', id: string, name: string }>, grants: Array<{ __typename?: 'Grant', permission: string, scope: Scope }> } };

export type DeactivateMemberMutationVariables = Exact<{
  memberId: Scalars['ID']['input'];
}>;


export type DeactivateMemberMutation = { __typename?: 'Mutation', deactivateMember: { __typename?: 'Member', id: string, status: MemberStatus } };

export type ReactivateMemberMutationVariables = Exact<{
  memberId: Scalars['ID']['input'];
}>;


export type ReactivateMemberMutation = { __typename?: 'Mutation', reactivateMember: { __typename?: 'Member', id: string, status: MemberStatus } };

export type AssignSeatMutationVariables = Exact<{
  memberId: Scalars['ID']['input'];
  kind: SeatKind;
}>;


export type AssignSeatMutation = { __typename?: 'Mutation', assignSeat: { __typename?: 'Member', id: string, seats: Array<SeatKind> } };

export type ReleaseSeatMutationVariables = Exact<{
  memberId: Scalars['ID']['input'];
  kind: SeatKind;
}>;


export type ReleaseSeatMutation = { __typename?: 'Mutation', releaseSeat: { __typename?: 'Member', id: string, seats: Array<SeatKind> } };

export type MembersQueryVariables = Exact<{
  first: Scalars['Int']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<MemberStatus>;
  search?: InputMaybe<Scalars['String']['input']>;
  teamId?: InputMaybe<Scalars['ID']['input']>;
}>;


export type MembersQuery = { __typename?: 'Query', members: { __typename?: 'MemberConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'MemberEdge', node: { __typename?: 'Member', id: string, name: string, email: string, status: MemberStatus, isOwner: boolean, isGuest: boolean, seats: Array<SeatKind>, roles: Array<{ __typename?: 'Role', id: string, name: string }>, teams: Array<{ __typename?: 'Team', id: string, name: string }> } }> } };

export type TeamOptionsQueryVariables = Exact<{ [key: string]: never; }>;


export type TeamOptionsQuery = { __typename?: 'Query', organization: { __typename?: 'Organization', id: string, teams: Array<{ __typename?: 'Team', id: string, name: string }> } };

export type InviteOptionsQueryVariables = Exact<{ [key: string]: never; }>;


export type InviteOptionsQuery = { __typename?: 'Query', organization: { __typename?: 'Organization', id: string, roles: Array<{ __typename?: 'Role', id: string, name: string, key?: string | null }>, teams: Array<{ __typename?: 'Team', id: string, name: string }> } };

export type InviteMemberMutationVariables = Exact<{
  input: InviteMemberInput;
}>;


export type InviteMemberMutation = { __typename?: 'Mutation', inviteMember: { __typename?: 'InviteMemberPayload', invitationToken: string, member: { __typename?: 'Member', id: string, email: string, status: MemberStatus } } };

export type ProductsQueryVariables = Exact<{ [key: string]: never; }>;


export type ProductsQuery = { __typename?: 'Query', organization: { __typename?: 'Organization', id: string, products: Array<Product> } };

export type EnableProductMutationVariables = Exact<{
  product: Product;
}>;


export type EnableProductMutation = { __typename?: 'Mutation', enableProduct: { __typename?: 'Organization', id: string, products: Array<Product>, modules: Array<{ __typename?: 'Module', key: string }> } };

export type DisableProductMutationVariables = Exact<{
  product: Product;
}>;


export type DisableProductMutation = { __typename?: 'Mutation', disableProduct: { __typename?: 'Organization', id: string, products: Array<Product>, modules: Array<{ __typename?: 'Module', key: string }> } };

export type SetRoleGrantsMutationVariables = Exact<{
  roleId: Scalars['ID']['input'];
  grants: Array<GrantInput> | GrantInput;
}>;


export type SetRoleGrantsMutation = { __typename?: 'Mutation', setRoleGrants: { __typename?: 'Role', id: string, memberCount: number, grants: Array<{ __typename?: 'Grant', permission: string, scope: Scope }> } };

export type ResetRoleMutationVariables = Exact<{
  roleId: Scalars['ID']['input'];
}>;


export type ResetRoleMutation = { __typename?: 'Mutation', resetRole: { __typename?: 'Role', id: string, grants: Array<{ __typename?: 'Grant', permission: string, scope: Scope }> } };

export type CloneRoleMutationVariables = Exact<{
  input: CreateRoleInput;
}>;


export type CloneRoleMutation = { __typename?: 'Mutation', createRole: { __typename?: 'Role', id: string, name: string } };

export type UpdateRoleMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
}>;


export type UpdateRoleMutation = { __typename?: 'Mutation', updateRole: { __typename?: 'Role', id: string, name: string, description: string } };

export type DeleteRoleMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  reassignToId?: InputMaybe<Scalars['ID']['input']>;
}>;


export type DeleteRoleMutation = { __typename?: 'Mutation', deleteRole: boolean };

export type RolesQueryVariables = Exact<{ [key: string]: never; }>;


export type RolesQuery = { __typename?: 'Query', organization: { __typename?: 'Organization', id: string, plan: Plan, roles: Array<{ __typename?: 'Role', id: string, key?: string | null, name: string, description: string, system: boolean, memberCount: number, grants: Array<{ __typename?: 'Grant', permission: string, scope: Scope }>, defaultGrants?: Array<{ __typename?: 'Grant', permission: string, scope: Scope }> | null }> } };

export type CreateRoleMutationVariables = Exact<{
  input: CreateRoleInput;
}>;


export type CreateRoleMutation = { __typename?: 'Mutation', createRole: { __typename?: 'Role', id: string, name: string } };

export type TeamsQueryVariables = Exact<{ [key: string]: never; }>;


export type TeamsQuery = { __typename?: 'Query', organization: { __typename?: 'Organization', id: string, teams: Array<{ __typename?: 'Team', id: string, name: string, parent?: { __typename?: 'Team', id: string } | null, managers: Array<{ __typename?: 'Member', id: string, name: string }>, members: Array<{ __typename?: 'Member', id: string, name: string }> }>, members: { __typename?: 'MemberConnection', edges: Array<{ __typename?: 'MemberEdge', node: { __typename?: 'Member', id: string, name: string, email: string } }> } } };

export type CreateTeamMutationVariables = Exact<{
  input: CreateTeamInput;
}>;


export type CreateTeamMutation = { __typename?: 'Mutation', createTeam: { __typename?: 'Team', id: string, name: string } };

export type AddTeamMemberMutationVariables = Exact<{
  teamId: Scalars['ID']['input'];
  memberId: Scalars['ID']['input'];
  manager?: InputMaybe<Scalars['Boolean']['input']>;
}>;


export type AddTeamMemberMutation = { __typename?: 'Mutation', addTeamMember: { __typename?: 'Team', id: string } };

export type RemoveTeamMemberMutationVariables = Exact<{
  teamId: Scalars['ID']['input'];
  memberId: Scalars['ID']['input'];
}>;


export type RemoveTeamMemberMutation = { __typename?: 'Mutation', removeTeamMember: { __typename?: 'Team', id: string } };

export const AccessDiffFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AccessDiffFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AccessDiff"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"membersAffected"}},{"kind":"Field","name":{"kind":"Name","value":"members"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"member"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"Field","name":{"kind":"Name","value":"gained"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"permission"}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lost"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"permission"}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}}]}},{"kind":"Field","name":{"kind":"Name","value":"interactionsGained"}},{"kind":"Field","name":{"kind":"Name","value":"interactionsLost"}},{"kind":"Field","name":{"kind":"Name","value":"evaluationsGained"}},{"kind":"Field","name":{"kind":"Name","value":"evaluationsLost"}}]}}]}}]} as unknown as DocumentNode<AccessDiffFieldsFragment, unknown>;
export const WhyFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Why"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Explanation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"allowed"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}}]}}]} as unknown as DocumentNode<WhyFragment, unknown>;
export const PreviewRoleGrantsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PreviewRoleGrants"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"roleId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"grants"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"GrantInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"previewRoleGrants"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"roleId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"roleId"}}},{"kind":"Argument","name":{"kind":"Name","value":"grants"},"value":{"kind":"Variable","name":{"kind":"Name","value":"grants"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AccessDiffFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AccessDiffFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AccessDiff"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"membersAffected"}},{"kind":"Field","name":{"kind":"Name","value":"members"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"member"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"Field","name":{"kind":"Name","value":"gained"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"permission"}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lost"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"permission"}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}}]}},{"kind":"Field","name":{"kind":"Name","value":"interactionsGained"}},{"kind":"Field","name":{"kind":"Name","value":"interactionsLost"}},{"kind":"Field","name":{"kind":"Name","value":"evaluationsGained"}},{"kind":"Field","name":{"kind":"Name","value":"evaluationsLost"}}]}}]}}]} as unknown as DocumentNode<PreviewRoleGrantsQuery, PreviewRoleGrantsQueryVariables>;
export const PreviewMemberRolesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PreviewMemberRoles"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"memberId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"roleIds"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"previewMemberRoles"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"memberId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"memberId"}}},{"kind":"Argument","name":{"kind":"Name","value":"roleIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"roleIds"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AccessDiffFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AccessDiffFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AccessDiff"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"membersAffected"}},{"kind":"Field","name":{"kind":"Name","value":"members"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"member"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"Field","name":{"kind":"Name","value":"gained"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"permission"}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lost"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"permission"}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}}]}},{"kind":"Field","name":{"kind":"Name","value":"interactionsGained"}},{"kind":"Field","name":{"kind":"Name","value":"interactionsLost"}},{"kind":"Field","name":{"kind":"Name","value":"evaluationsGained"}},{"kind":"Field","name":{"kind":"Name","value":"evaluationsLost"}}]}}]}}]} as unknown as DocumentNode<PreviewMemberRolesQuery, PreviewMemberRolesQueryVariables>;
export const PreviewProductChangeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PreviewProductChange"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"product"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Product"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"enabled"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"previewProductChange"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"product"},"value":{"kind":"Variable","name":{"kind":"Name","value":"product"}}},{"kind":"Argument","name":{"kind":"Name","value":"enabled"},"value":{"kind":"Variable","name":{"kind":"Name","value":"enabled"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AccessDiffFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AccessDiffFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AccessDiff"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"membersAffected"}},{"kind":"Field","name":{"kind":"Name","value":"members"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"member"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"Field","name":{"kind":"Name","value":"gained"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"permission"}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lost"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"permission"}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}}]}},{"kind":"Field","name":{"kind":"Name","value":"interactionsGained"}},{"kind":"Field","name":{"kind":"Name","value":"interactionsLost"}},{"kind":"Field","name":{"kind":"Name","value":"evaluationsGained"}},{"kind":"Field","name":{"kind":"Name","value":"evaluationsLost"}}]}}]}}]} as unknown as DocumentNode<PreviewProductChangeQuery, PreviewProductChangeQueryVariables>;
export const SessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Session"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"isOwner"}},{"kind":"Field","name":{"kind":"Name","value":"roles"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"plan"}},{"kind":"Field","name":{"kind":"Name","value":"products"}},{"kind":"Field","name":{"kind":"Name","value":"modules"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"product"}},{"kind":"Field","name":{"kind":"Name","value":"actions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"permission"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}},{"kind":"Field","name":{"kind":"Name","value":"seat"}}]}}]}}]}},{"kind":"Field","alias":{"kind":"Name","value":"rolesRead"},"name":{"kind":"Name","value":"explain"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"permission"},"value":{"kind":"StringValue","value":"roles.read","block":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Why"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"rolesWrite"},"name":{"kind":"Name","value":"explain"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"permission"},"value":{"kind":"StringValue","value":"roles.write","block":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Why"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"rolesDelete"},"name":{"kind":"Name","value":"explain"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"permission"},"value":{"kind":"StringValue","value":"roles.delete","block":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Why"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"membersRead"},"name":{"kind":"Name","value":"explain"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"permission"},"value":{"kind":"StringValue","value":"members.read","block":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Why"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"membersWrite"},"name":{"kind":"Name","value":"explain"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"permission"},"value":{"kind":"StringValue","value":"members.write","block":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Why"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"teamsRead"},"name":{"kind":"Name","value":"explain"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"permission"},"value":{"kind":"StringValue","value":"teams.read","block":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Why"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"teamsWrite"},"name":{"kind":"Name","value":"explain"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"permission"},"value":{"kind":"StringValue","value":"teams.write","block":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Why"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"teamsDelete"},"name":{"kind":"Name","value":"explain"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"permission"},"value":{"kind":"StringValue","value":"teams.delete","block":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Why"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"seatsRead"},"name":{"kind":"Name","value":"explain"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"permission"},"value":{"kind":"StringValue","value":"seats.read","block":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Why"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"seatsWrite"},"name":{"kind":"Name","value":"explain"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"permission"},"value":{"kind":"StringValue","value":"seats.write","block":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Why"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"accountWrite"},"name":{"kind":"Name","value":"explain"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"permission"},"value":{"kind":"StringValue","value":"account.write","block":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Why"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"guestsWrite"},"name":{"kind":"Name","value":"explain"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"permission"},"value":{"kind":"StringValue","value":"guests.write","block":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Why"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"auditLogRead"},"name":{"kind":"Name","value":"explain"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"permission"},"value":{"kind":"StringValue","value":"audit_log.read","block":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Why"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"apiExplore"},"name":{"kind":"Name","value":"explain"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"permission"},"value":{"kind":"StringValue","value":"api.explore","block":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Why"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Why"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Explanation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"allowed"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}}]}}]} as unknown as DocumentNode<SessionQuery, SessionQueryVariables>;
export const AuditLogDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AuditLog"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"auditLog"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"targetId"}},{"kind":"Field","name":{"kind":"Name","value":"before"}},{"kind":"Field","name":{"kind":"Name","value":"after"}},{"kind":"Field","name":{"kind":"Name","value":"actor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<AuditLogQuery, AuditLogQueryVariables>;
export const GuestRolesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GuestRoles"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"roles"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<GuestRolesQuery, GuestRolesQueryVariables>;
export const CreateGuestInviteDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateGuestInvite"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"roleId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"expiresAt"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createGuestInvite"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"roleId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"roleId"}}},{"kind":"Argument","name":{"kind":"Name","value":"expiresAt"},"value":{"kind":"Variable","name":{"kind":"Name","value":"expiresAt"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"token"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<CreateGuestInviteMutation, CreateGuestInviteMutationVariables>;
export const SeatsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Seats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"seats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"used"}}]}}]}}]}}]} as unknown as DocumentNode<SeatsQuery, SeatsQueryVariables>;
export const SetSeatTotalDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetSeatTotal"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"kind"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SeatKind"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"total"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setSeatTotal"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"Variable","name":{"kind":"Name","value":"kind"}}},{"kind":"Argument","name":{"kind":"Name","value":"total"},"value":{"kind":"Variable","name":{"kind":"Name","value":"total"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"used"}}]}}]}}]} as unknown as DocumentNode<SetSeatTotalMutation, SetSeatTotalMutationVariables>;
export const MemberPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MemberPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"member"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"isOwner"}},{"kind":"Field","name":{"kind":"Name","value":"isGuest"}},{"kind":"Field","name":{"kind":"Name","value":"seats"}},{"kind":"Field","name":{"kind":"Name","value":"roles"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"grants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"permission"}},{"kind":"Field","name":{"kind":"Name","value":"scope"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"teams"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"managedTeams"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"grants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"permission"}},{"kind":"Field","name":{"kind":"Name","value":"scope"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"roles"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<MemberPageQuery, MemberPageQueryVariables>;
export const ExplainMemberAccessDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ExplainMemberAccess"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"permission"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"memberId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"explain"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"permission"},"value":{"kind":"Variable","name":{"kind":"Name","value":"permission"}}},{"kind":"Argument","name":{"kind":"Name","value":"memberId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"memberId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"allowed"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"reasons"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"text"}}]}},{"kind":"Field","name":{"kind":"Name","value":"remedies"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"callerCanApply"}}]}}]}}]}}]} as unknown as DocumentNode<ExplainMemberAccessQuery, ExplainMemberAccessQueryVariables>;
export const SetMemberRolesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetMemberRoles"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"memberId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"roleIds"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setMemberRoles"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"memberId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"memberId"}}},{"kind":"Argument","name":{"kind":"Name","value":"roleIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"roleIds"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"roles"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"grants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"permission"}},{"kind":"Field","name":{"kind":"Name","value":"scope"}}]}}]}}]}}]} as unknown as DocumentNode<SetMemberRolesMutation, SetMemberRolesMutationVariables>;
export const DeactivateMemberDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeactivateMember"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"memberId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deactivateMember"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"memberId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"memberId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<DeactivateMemberMutation, DeactivateMemberMutationVariables>;
export const ReactivateMemberDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ReactivateMember"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"memberId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reactivateMember"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"memberId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"memberId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<ReactivateMemberMutation, ReactivateMemberMutationVariables>;
export const AssignSeatDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AssignSeat"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"memberId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"kind"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SeatKind"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"assignSeat"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"memberId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"memberId"}}},{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"Variable","name":{"kind":"Name","value":"kind"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"seats"}}]}}]}}]} as unknown as DocumentNode<AssignSeatMutation, AssignSeatMutationVariables>;
export const ReleaseSeatDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ReleaseSeat"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"memberId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"kind"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SeatKind"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"releaseSeat"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"memberId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"memberId"}}},{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"Variable","name":{"kind":"Name","value":"kind"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"seats"}}]}}]}}]} as unknown as DocumentNode<ReleaseSeatMutation, ReleaseSeatMutationVariables>;
export const MembersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Members"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"status"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"MemberStatus"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"teamId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"members"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"Variable","name":{"kind":"Name","value":"status"}}},{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}},{"kind":"Argument","name":{"kind":"Name","value":"teamId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"teamId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"isOwner"}},{"kind":"Field","name":{"kind":"Name","value":"isGuest"}},{"kind":"Field","name":{"kind":"Name","value":"roles"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"seats"}},{"kind":"Field","name":{"kind":"Name","value":"teams"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<MembersQuery, MembersQueryVariables>;
export const TeamOptionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TeamOptions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"teams"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<TeamOptionsQuery, TeamOptionsQueryVariables>;
export const InviteOptionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"InviteOptions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"roles"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"key"}}]}},{"kind":"Field","name":{"kind":"Name","value":"teams"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<InviteOptionsQuery, InviteOptionsQueryVariables>;
export const InviteMemberDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"InviteMember"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"InviteMemberInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inviteMember"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"invitationToken"}},{"kind":"Field","name":{"kind":"Name","value":"member"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<InviteMemberMutation, InviteMemberMutationVariables>;
export const ProductsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Products"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"products"}}]}}]}}]} as unknown as DocumentNode<ProductsQuery, ProductsQueryVariables>;
export const EnableProductDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"EnableProduct"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"product"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Product"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enableProduct"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"product"},"value":{"kind":"Variable","name":{"kind":"Name","value":"product"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"products"}},{"kind":"Field","name":{"kind":"Name","value":"modules"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}}]}}]}}]}}]} as unknown as DocumentNode<EnableProductMutation, EnableProductMutationVariables>;
export const DisableProductDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DisableProduct"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"product"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Product"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"disableProduct"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"product"},"value":{"kind":"Variable","name":{"kind":"Name","value":"product"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"products"}},{"kind":"Field","name":{"kind":"Name","value":"modules"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}}]}}]}}]}}]} as unknown as DocumentNode<DisableProductMutation, DisableProductMutationVariables>;
export const SetRoleGrantsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetRoleGrants"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"roleId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"grants"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"GrantInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setRoleGrants"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"roleId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"roleId"}}},{"kind":"Argument","name":{"kind":"Name","value":"grants"},"value":{"kind":"Variable","name":{"kind":"Name","value":"grants"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}},{"kind":"Field","name":{"kind":"Name","value":"grants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"permission"}},{"kind":"Field","name":{"kind":"Name","value":"scope"}}]}}]}}]}}]} as unknown as DocumentNode<SetRoleGrantsMutation, SetRoleGrantsMutationVariables>;
export const ResetRoleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ResetRole"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"roleId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resetRole"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"roleId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"roleId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"grants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"permission"}},{"kind":"Field","name":{"kind":"Name","value":"scope"}}]}}]}}]}}]} as unknown as DocumentNode<ResetRoleMutation, ResetRoleMutationVariables>;
export const CloneRoleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CloneRole"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateRoleInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createRole"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<CloneRoleMutation, CloneRoleMutationVariables>;
export const UpdateRoleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateRole"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"description"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateRole"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"description"},"value":{"kind":"Variable","name":{"kind":"Name","value":"description"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}}]}}]} as unknown as DocumentNode<UpdateRoleMutation, UpdateRoleMutationVariables>;
export const DeleteRoleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteRole"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"reassignToId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteRole"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"reassignToId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reassignToId"}}}]}]}}]} as unknown as DocumentNode<DeleteRoleMutation, DeleteRoleMutationVariables>;
export const RolesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Roles"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"plan"}},{"kind":"Field","name":{"kind":"Name","value":"roles"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"system"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}},{"kind":"Field","name":{"kind":"Name","value":"grants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"permission"}},{"kind":"Field","name":{"kind":"Name","value":"scope"}}]}},{"kind":"Field","name":{"kind":"Name","value":"defaultGrants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"permission"}},{"kind":"Field","name":{"kind":"Name","value":"scope"}}]}}]}}]}}]}}]} as unknown as DocumentNode<RolesQuery, RolesQueryVariables>;
export const CreateRoleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateRole"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateRoleInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createRole"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<CreateRoleMutation, CreateRoleMutationVariables>;
export const TeamsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Teams"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"teams"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"parent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"managers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"members"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"members"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}},{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"EnumValue","value":"ACTIVE"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<TeamsQuery, TeamsQueryVariables>;
export const CreateTeamDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateTeam"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateTeamInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createTeam"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<CreateTeamMutation, CreateTeamMutationVariables>;
export const AddTeamMemberDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddTeamMember"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"teamId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"memberId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"manager"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addTeamMember"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"teamId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"teamId"}}},{"kind":"Argument","name":{"kind":"Name","value":"memberId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"memberId"}}},{"kind":"Argument","name":{"kind":"Name","value":"manager"},"value":{"kind":"Variable","name":{"kind":"Name","value":"manager"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<AddTeamMemberMutation, AddTeamMemberMutationVariables>;
export const RemoveTeamMemberDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RemoveTeamMember"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"teamId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"memberId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"removeTeamMember"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"teamId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"teamId"}}},{"kind":"Argument","name":{"kind":"Name","value":"memberId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"memberId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<RemoveTeamMemberMutation, RemoveTeamMemberMutationVariables>;
/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment AccessDiffFields on AccessDiff {\n    membersAffected\n    members {\n      member { id name email }\n      gained { permission from to }\n      lost { permission from to }\n      interactionsGained interactionsLost evaluationsGained evaluationsLost\n    }\n  }\n": typeof types.AccessDiffFieldsFragmentDoc,
    "\n  query PreviewRoleGrants($roleId: ID!, $grants: [GrantInput!]!) {\n    previewRoleGrants(roleId: $roleId, grants: $grants) {\n      ...AccessDiffFields\n    }\n  }\n": typeof types.PreviewRoleGrantsDocument,
    "\n  query PreviewMemberRoles($memberId: ID!, $roleIds: [ID!]!) {\n    previewMemberRoles(memberId: $memberId, roleIds: $roleIds) {\n      ...AccessDiffFields\n    }\n  }\n": typeof types.PreviewMemberRolesDocument,
    "\n  query PreviewProductChange($product: Product!, $enabled: Boolean!) {\n    previewProductChange(product: $product, enabled: $enabled) {\n      ...AccessDiffFields\n    }\n  }\n": typeof types.PreviewProductChangeDocument,
    "\n  fragment Why on Explanation { allowed summary }\n": typeof types.WhyFragmentDoc,
    "\n  query Session {\n    viewer { id name email isOwner roles { id name } }\n    organization {\n      id name plan products\n      modules { key name product actions { key permission name scopes seat } }\n    }\n    rolesRead: explain(permission: \"roles.read\") { ...Why }\n    rolesWrite: explain(permission: \"roles.write\") { ...Why }\n    rolesDelete: explain(permission: \"roles.delete\") { ...Why }\n    membersRead: explain(permission: \"members.read\") { ...Why }\n    membersWrite: explain(permission: \"members.write\") { ...Why }\n    teamsRead: explain(permission: \"teams.read\") { ...Why }\n    teamsWrite: explain(permission: \"teams.write\") { ...Why }\n    teamsDelete: explain(permission: \"teams.delete\") { ...Why }\n    seatsRead: explain(permission: \"seats.read\") { ...Why }\n    seatsWrite: explain(permission: \"seats.write\") { ...Why }\n    accountWrite: explain(permission: \"account.write\") { ...Why }\n    guestsWrite: explain(permission: \"guests.write\") { ...Why }\n    auditLogRead: explain(permission: \"audit_log.read\") { ...Why }\n    apiExplore: explain(permission: \"api.explore\") { ...Why }\n  }\n": typeof types.SessionDocument,
    "\n  query AuditLog($first: Int!, $after: String) {\n    auditLog(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id at action targetId before after actor { id name email } } }\n    }\n  }\n": typeof types.AuditLogDocument,
    "\n  query GuestRoles { organization { id roles { id key name } } }\n": typeof types.GuestRolesDocument,
    "\n  mutation CreateGuestInvite($roleId: ID!, $expiresAt: String!) {\n    createGuestInvite(roleId: $roleId, expiresAt: $expiresAt) { token url expiresAt }\n  }\n": typeof types.CreateGuestInviteDocument,
    "\n  query Seats { organization { id seats { kind total used } } }\n": typeof types.SeatsDocument,
    "\n  mutation SetSeatTotal($kind: SeatKind!, $total: Int!) { setSeatTotal(kind: $kind, total: $total) { kind total used } }\n": typeof types.SetSeatTotalDocument,
    "\n  query MemberPage($id: ID!) {\n    member(id: $id) {\n      id name email status isOwner isGuest seats\n      roles { id name grants { permission scope } }\n      teams { id name }\n      managedTeams { id name }\n      grants { permission scope }\n    }\n    organization { id roles { id key name } }\n  }\n": typeof types.MemberPageDocument,
    "\n  query ExplainMemberAccess($permission: String!, $memberId: ID!) {\n    explain(permission: $permission, memberId: $memberId) {\n      allowed summary\n      reasons { kind text }\n      remedies { text callerCanApply }\n    }\n  }\n": typeof types.ExplainMemberAccessDocument,
    "\n  mutation SetMemberRoles($memberId: ID!, $roleIds: [ID!]!) {\n    setMemberRoles(memberId: $memberId, roleIds: $roleIds) { id roles { id name } grants { permission scope } }\n  }\n": typeof types.SetMemberRolesDocument,
    "\n  mutation DeactivateMember($memberId: ID!) { deactivateMember(memberId: $memberId) { id status } }\n": typeof types.DeactivateMemberDocument,
    "\n  mutation ReactivateMember($memberId: ID!) { reactivateMember(memberId: $memberId) { id status } }\n": typeof types.ReactivateMemberDocument,
    "\n  mutation AssignSeat($memberId: ID!, $kind: SeatKind!) { assignSeat(memberId: $memberId, kind: $kind) { id seats } }\n": typeof types.AssignSeatDocument,
    "\n  mutation ReleaseSeat($memberId: ID!, $kind: SeatKind!) { releaseSeat(memberId: $memberId, kind: $kind) { id seats } }\n": typeof types.ReleaseSeatDocument,
    "\n  query Members($first: Int!, $after: String, $status: MemberStatus, $search: String, $teamId: ID) {\n    members(first: $first, after: $after, status: $status, search: $search, teamId: $teamId) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name email status isOwner isGuest roles { id name } seats teams { id name } } }\n    }\n  }\n": typeof types.MembersDocument,
    "\n  query TeamOptions {\n    organization { id teams { id name } }\n  }\n": typeof types.TeamOptionsDocument,
    "\n  query InviteOptions {\n    organization { id roles { id name key } teams { id name } }\n  }\n": typeof types.InviteOptionsDocument,
    "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) { invitationToken member { id email status } }\n  }\n": typeof types.InviteMemberDocument,
    "\n  query Products { organization { id products } }\n": typeof types.ProductsDocument,
    "\n  mutation EnableProduct($product: Product!) { enableProduct(product: $product) { id products modules { key } } }\n": typeof types.EnableProductDocument,
    "\n  mutation DisableProduct($product: Product!) { disableProduct(product: $product) { id products modules { key } } }\n": typeof types.DisableProductDocument,
    "\n  mutation SetRoleGrants($roleId: ID!, $grants: [GrantInput!]!) {\n    setRoleGrants(roleId: $roleId, grants: $grants) { id memberCount grants { permission scope } }\n  }\n": typeof types.SetRoleGrantsDocument,
    "\n  mutation ResetRole($roleId: ID!) {\n    resetRole(roleId: $roleId) { id grants { permission scope } }\n  }\n": typeof types.ResetRoleDocument,
    "\n  mutation CloneRole($input: CreateRoleInput!) {\n    createRole(input: $input) { id name }\n  }\n": typeof types.CloneRoleDocument,
    "\n  mutation UpdateRole($id: ID!, $name: String, $description: String) {\n    updateRole(id: $id, name: $name, description: $description) { id name description }\n  }\n": typeof types.UpdateRoleDocument,
    "\n  mutation DeleteRole($id: ID!, $reassignToId: ID) {\n    deleteRole(id: $id, reassignToId: $reassignToId)\n  }\n": typeof types.DeleteRoleDocument,
    "\n  query Roles {\n    organization {\n      id plan\n      roles { id key name description system memberCount grants { permission scope } defaultGrants { permission scope } }\n    }\n  }\n": typeof types.RolesDocument,
    "\n  mutation CreateRole($input: CreateRoleInput!) {\n    createRole(input: $input) { id name }\n  }\n": typeof types.CreateRoleDocument,
    "\n  query Teams {\n    organization {\n      id\n      teams { id name parent { id } managers { id name } members { id name } }\n      members(first: 100, status: ACTIVE) { edges { node { id name email } } }\n    }\n  }\n": typeof types.TeamsDocument,
    "\n  mutation CreateTeam($input: CreateTeamInput!) { createTeam(input: $input) { id name } }\n": typeof types.CreateTeamDocument,
    "\n  mutation AddTeamMember($teamId: ID!, $memberId: ID!, $manager: Boolean) {\n    addTeamMember(teamId: $teamId, memberId: $memberId, manager: $manager) { id }\n  }\n": typeof types.AddTeamMemberDocument,
    "\n  mutation RemoveTeamMember($teamId: ID!, $memberId: ID!) { removeTeamMember(teamId: $teamId, memberId: $memberId) { id } }\n": typeof types.RemoveTeamMemberDocument,
};
const documents: Documents = {
    "\n  fragment AccessDiffFields on AccessDiff {\n    membersAffected\n    members {\n      member { id name email }\n      gained { permission from to }\n      lost { permission from to }\n      interactionsGained interactionsLost evaluationsGained evaluationsLost\n    }\n  }\n": types.AccessDiffFieldsFragmentDoc,
    "\n  query PreviewRoleGrants($roleId: ID!, $grants: [GrantInput!]!) {\n    previewRoleGrants(roleId: $roleId, grants: $grants) {\n      ...AccessDiffFields\n    }\n  }\n": types.PreviewRoleGrantsDocument,
    "\n  query PreviewMemberRoles($memberId: ID!, $roleIds: [ID!]!) {\n    previewMemberRoles(memberId: $memberId, roleIds: $roleIds) {\n      ...AccessDiffFields\n    }\n  }\n": types.PreviewMemberRolesDocument,
    "\n  query PreviewProductChange($product: Product!, $enabled: Boolean!) {\n    previewProductChange(product: $product, enabled: $enabled) {\n      ...AccessDiffFields\n    }\n  }\n": types.PreviewProductChangeDocument,
    "\n  fragment Why on Explanation { allowed summary }\n": types.WhyFragmentDoc,
    "\n  query Session {\n    viewer { id name email isOwner roles { id name } }\n    organization {\n      id name plan products\n      modules { key name product actions { key permission name scopes seat } }\n    }\n    rolesRead: explain(permission: \"roles.read\") { ...Why }\n    rolesWrite: explain(permission: \"roles.write\") { ...Why }\n    rolesDelete: explain(permission: \"roles.delete\") { ...Why }\n    membersRead: explain(permission: \"members.read\") { ...Why }\n    membersWrite: explain(permission: \"members.write\") { ...Why }\n    teamsRead: explain(permission: \"teams.read\") { ...Why }\n    teamsWrite: explain(permission: \"teams.write\") { ...Why }\n    teamsDelete: explain(permission: \"teams.delete\") { ...Why }\n    seatsRead: explain(permission: \"seats.read\") { ...Why }\n    seatsWrite: explain(permission: \"seats.write\") { ...Why }\n    accountWrite: explain(permission: \"account.write\") { ...Why }\n    guestsWrite: explain(permission: \"guests.write\") { ...Why }\n    auditLogRead: explain(permission: \"audit_log.read\") { ...Why }\n    apiExplore: explain(permission: \"api.explore\") { ...Why }\n  }\n": types.SessionDocument,
    "\n  query AuditLog($first: Int!, $after: String) {\n    auditLog(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id at action targetId before after actor { id name email } } }\n    }\n  }\n": types.AuditLogDocument,
    "\n  query GuestRoles { organization { id roles { id key name } } }\n": types.GuestRolesDocument,
    "\n  mutation CreateGuestInvite($roleId: ID!, $expiresAt: String!) {\n    createGuestInvite(roleId: $roleId, expiresAt: $expiresAt) { token url expiresAt }\n  }\n": types.CreateGuestInviteDocument,
    "\n  query Seats { organization { id seats { kind total used } } }\n": types.SeatsDocument,
    "\n  mutation SetSeatTotal($kind: SeatKind!, $total: Int!) { setSeatTotal(kind: $kind, total: $total) { kind total used } }\n": types.SetSeatTotalDocument,
    "\n  query MemberPage($id: ID!) {\n    member(id: $id) {\n      id name email status isOwner isGuest seats\n      roles { id name grants { permission scope } }\n      teams { id name }\n      managedTeams { id name }\n      grants { permission scope }\n    }\n    organization { id roles { id key name } }\n  }\n": types.MemberPageDocument,
    "\n  query ExplainMemberAccess($permission: String!, $memberId: ID!) {\n    explain(permission: $permission, memberId: $memberId) {\n      allowed summary\n      reasons { kind text }\n      remedies { text callerCanApply }\n    }\n  }\n": types.ExplainMemberAccessDocument,
    "\n  mutation SetMemberRoles($memberId: ID!, $roleIds: [ID!]!) {\n    setMemberRoles(memberId: $memberId, roleIds: $roleIds) { id roles { id name } grants { permission scope } }\n  }\n": types.SetMemberRolesDocument,
    "\n  mutation DeactivateMember($memberId: ID!) { deactivateMember(memberId: $memberId) { id status } }\n": types.DeactivateMemberDocument,
    "\n  mutation ReactivateMember($memberId: ID!) { reactivateMember(memberId: $memberId) { id status } }\n": types.ReactivateMemberDocument,
    "\n  mutation AssignSeat($memberId: ID!, $kind: SeatKind!) { assignSeat(memberId: $memberId, kind: $kind) { id seats } }\n": types.AssignSeatDocument,
    "\n  mutation ReleaseSeat($memberId: ID!, $kind: SeatKind!) { releaseSeat(memberId: $memberId, kind: $kind) { id seats } }\n": types.ReleaseSeatDocument,
    "\n  query Members($first: Int!, $after: String, $status: MemberStatus, $search: String, $teamId: ID) {\n    members(first: $first, after: $after, status: $status, search: $search, teamId: $teamId) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name email status isOwner isGuest roles { id name } seats teams { id name } } }\n    }\n  }\n": types.MembersDocument,
    "\n  query TeamOptions {\n    organization { id teams { id name } }\n  }\n": types.TeamOptionsDocument,
    "\n  query InviteOptions {\n    organization { id roles { id name key } teams { id name } }\n  }\n": types.InviteOptionsDocument,
    "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) { invitationToken member { id email status } }\n  }\n": types.InviteMemberDocument,
    "\n  query Products { organization { id products } }\n": types.ProductsDocument,
    "\n  mutation EnableProduct($product: Product!) { enableProduct(product: $product) { id products modules { key } } }\n": types.EnableProductDocument,
    "\n  mutation DisableProduct($product: Product!) { disableProduct(product: $product) { id products modules { key } } }\n": types.DisableProductDocument,
    "\n  mutation SetRoleGrants($roleId: ID!, $grants: [GrantInput!]!) {\n    setRoleGrants(roleId: $roleId, grants: $grants) { id memberCount grants { permission scope } }\n  }\n": types.SetRoleGrantsDocument,
    "\n  mutation ResetRole($roleId: ID!) {\n    resetRole(roleId: $roleId) { id grants { permission scope } }\n  }\n": types.ResetRoleDocument,
    "\n  mutation CloneRole($input: CreateRoleInput!) {\n    createRole(input: $input) { id name }\n  }\n": types.CloneRoleDocument,
    "\n  mutation UpdateRole($id: ID!, $name: String, $description: String) {\n    updateRole(id: $id, name: $name, description: $description) { id name description }\n  }\n": types.UpdateRoleDocument,
    "\n  mutation DeleteRole($id: ID!, $reassignToId: ID) {\n    deleteRole(id: $id, reassignToId: $reassignToId)\n  }\n": types.DeleteRoleDocument,
    "\n  query Roles {\n    organization {\n      id plan\n      roles { id key name description system memberCount grants { permission scope } defaultGrants { permission scope } }\n    }\n  }\n": types.RolesDocument,
    "\n  mutation CreateRole($input: CreateRoleInput!) {\n    createRole(input: $input) { id name }\n  }\n": types.CreateRoleDocument,
    "\n  query Teams {\n    organization {\n      id\n      teams { id name parent { id } managers { id name } members { id name } }\n      members(first: 100, status: ACTIVE) { edges { node { id name email } } }\n    }\n  }\n": types.TeamsDocument,
    "\n  mutation CreateTeam($input: CreateTeamInput!) { createTeam(input: $input) { id name } }\n": types.CreateTeamDocument,
    "\n  mutation AddTeamMember($teamId: ID!, $memberId: ID!, $manager: Boolean) {\n    addTeamMember(teamId: $teamId, memberId: $memberId, manager: $manager) { id }\n  }\n": types.AddTeamMemberDocument,
    "\n  mutation RemoveTeamMember($teamId: ID!, $memberId: ID!) { removeTeamMember(teamId: $teamId, memberId: $memberId) { id } }\n": types.RemoveTeamMemberDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AccessDiffFields on AccessDiff {\n    membersAffected\n    members {\n      member { id name email }\n      gained { permission from to }\n      lost { permission from to }\n      interactionsGained interactionsLost evaluationsGained evaluationsLost\n    }\n  }\n"): (typeof documents)["\n  fragment AccessDiffFields on AccessDiff {\n    membersAffected\n    members {\n      member { id name email }\n      gained { permission from to }\n      lost { permission from to }\n      interactionsGained interactionsLost evaluationsGained evaluationsLost\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PreviewRoleGrants($roleId: ID!, $grants: [GrantInput!]!) {\n    previewRoleGrants(roleId: $roleId, grants: $grants) {\n      ...AccessDiffFields\n    }\n  }\n"): (typeof documents)["\n  query PreviewRoleGrants($roleId: ID!, $grants: [GrantInput!]!) {\n    previewRoleGrants(roleId: $roleId, grants: $grants) {\n      ...AccessDiffFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PreviewMemberRoles($memberId: ID!, $roleIds: [ID!]!) {\n    previewMemberRoles(memberId: $memberId, roleIds: $roleIds) {\n      ...AccessDiffFields\n    }\n  }\n"): (typeof documents)["\n  query PreviewMemberRoles($memberId: ID!, $roleIds: [ID!]!) {\n    previewMemberRoles(memberId: $memberId, roleIds: $roleIds) {\n      ...AccessDiffFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PreviewProductChange($product: Product!, $enabled: Boolean!) {\n    previewProductChange(product: $product, enabled: $enabled) {\n      ...AccessDiffFields\n    }\n  }\n"): (typeof documents)["\n  query PreviewProductChange($product: Product!, $enabled: Boolean!) {\n    previewProductChange(product: $product, enabled: $enabled) {\n      ...AccessDiffFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment Why on Explanation { allowed summary }\n"): (typeof documents)["\n  fragment Why on Explanation { allowed summary }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Session {\n    viewer { id name email isOwner roles { id name } }\n    organization {\n      id name plan products\n      modules { key name product actions { key permission name scopes seat } }\n    }\n    rolesRead: explain(permission: \"roles.read\") { ...Why }\n    rolesWrite: explain(permission: \"roles.write\") { ...Why }\n    rolesDelete: explain(permission: \"roles.delete\") { ...Why }\n    membersRead: explain(permission: \"members.read\") { ...Why }\n    membersWrite: explain(permission: \"members.write\") { ...Why }\n    teamsRead: explain(permission: \"teams.read\") { ...Why }\n    teamsWrite: explain(permission: \"teams.write\") { ...Why }\n    teamsDelete: explain(permission: \"teams.delete\") { ...Why }\n    seatsRead: explain(permission: \"seats.read\") { ...Why }\n    seatsWrite: explain(permission: \"seats.write\") { ...Why }\n    accountWrite: explain(permission: \"account.write\") { ...Why }\n    guestsWrite: explain(permission: \"guests.write\") { ...Why }\n    auditLogRead: explain(permission: \"audit_log.read\") { ...Why }\n    apiExplore: explain(permission: \"api.explore\") { ...Why }\n  }\n"): (typeof documents)["\n  query Session {\n    viewer { id name email isOwner roles { id name } }\n    organization {\n      id name plan products\n      modules { key name product actions { key permission name scopes seat } }\n    }\n    rolesRead: explain(permission: \"roles.read\") { ...Why }\n    rolesWrite: explain(permission: \"roles.write\") { ...Why }\n    rolesDelete: explain(permission: \"roles.delete\") { ...Why }\n    membersRead: explain(permission: \"members.read\") { ...Why }\n    membersWrite: explain(permission: \"members.write\") { ...Why }\n    teamsRead: explain(permission: \"teams.read\") { ...Why }\n    teamsWrite: explain(permission: \"teams.write\") { ...Why }\n    teamsDelete: explain(permission: \"teams.delete\") { ...Why }\n    seatsRead: explain(permission: \"seats.read\") { ...Why }\n    seatsWrite: explain(permission: \"seats.write\") { ...Why }\n    accountWrite: explain(permission: \"account.write\") { ...Why }\n    guestsWrite: explain(permission: \"guests.write\") { ...Why }\n    auditLogRead: explain(permission: \"audit_log.read\") { ...Why }\n    apiExplore: explain(permission: \"api.explore\") { ...Why }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLog($first: Int!, $after: String) {\n    auditLog(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id at action targetId before after actor { id name email } } }\n    }\n  }\n"): (typeof documents)["\n  query AuditLog($first: Int!, $after: String) {\n    auditLog(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id at action targetId before after actor { id name email } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GuestRoles { organization { id roles { id key name } } }\n"): (typeof documents)["\n  query GuestRoles { organization { id roles { id key name } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateGuestInvite($roleId: ID!, $expiresAt: String!) {\n    createGuestInvite(roleId: $roleId, expiresAt: $expiresAt) { token url expiresAt }\n  }\n"): (typeof documents)["\n  mutation CreateGuestInvite($roleId: ID!, $expiresAt: String!) {\n    createGuestInvite(roleId: $roleId, expiresAt: $expiresAt) { token url expiresAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Seats { organization { id seats { kind total used } } }\n"): (typeof documents)["\n  query Seats { organization { id seats { kind total used } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetSeatTotal($kind: SeatKind!, $total: Int!) { setSeatTotal(kind: $kind, total: $total) { kind total used } }\n"): (typeof documents)["\n  mutation SetSeatTotal($kind: SeatKind!, $total: Int!) { setSeatTotal(kind: $kind, total: $total) { kind total used } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MemberPage($id: ID!) {\n    member(id: $id) {\n      id name email status isOwner isGuest seats\n      roles { id name grants { permission scope } }\n      teams { id name }\n      managedTeams { id name }\n      grants { permission scope }\n    }\n    organization { id roles { id key name } }\n  }\n"): (typeof documents)["\n  query MemberPage($id: ID!) {\n    member(id: $id) {\n      id name email status isOwner isGuest seats\n      roles { id name grants { permission scope } }\n      teams { id name }\n      managedTeams { id name }\n      grants { permission scope }\n    }\n    organization { id roles { id key name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplainMemberAccess($permission: String!, $memberId: ID!) {\n    explain(permission: $permission, memberId: $memberId) {\n      allowed summary\n      reasons { kind text }\n      remedies { text callerCanApply }\n    }\n  }\n"): (typeof documents)["\n  query ExplainMemberAccess($permission: String!, $memberId: ID!) {\n    explain(permission: $permission, memberId: $memberId) {\n      allowed summary\n      reasons { kind text }\n      remedies { text callerCanApply }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetMemberRoles($memberId: ID!, $roleIds: [ID!]!) {\n    setMemberRoles(memberId: $memberId, roleIds: $roleIds) { id roles { id name } grants { permission scope } }\n  }\n"): (typeof documents)["\n  mutation SetMemberRoles($memberId: ID!, $roleIds: [ID!]!) {\n    setMemberRoles(memberId: $memberId, roleIds: $roleIds) { id roles { id name } grants { permission scope } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeactivateMember($memberId: ID!) { deactivateMember(memberId: $memberId) { id status } }\n"): (typeof documents)["\n  mutation DeactivateMember($memberId: ID!) { deactivateMember(memberId: $memberId) { id status } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReactivateMember($memberId: ID!) { reactivateMember(memberId: $memberId) { id status } }\n"): (typeof documents)["\n  mutation ReactivateMember($memberId: ID!) { reactivateMember(memberId: $memberId) { id status } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AssignSeat($memberId: ID!, $kind: SeatKind!) { assignSeat(memberId: $memberId, kind: $kind) { id seats } }\n"): (typeof documents)["\n  mutation AssignSeat($memberId: ID!, $kind: SeatKind!) { assignSeat(memberId: $memberId, kind: $kind) { id seats } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReleaseSeat($memberId: ID!, $kind: SeatKind!) { releaseSeat(memberId: $memberId, kind: $kind) { id seats } }\n"): (typeof documents)["\n  mutation ReleaseSeat($memberId: ID!, $kind: SeatKind!) { releaseSeat(memberId: $memberId, kind: $kind) { id seats } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Members($first: Int!, $after: String, $status: MemberStatus, $search: String, $teamId: ID) {\n    members(first: $first, after: $after, status: $status, search: $search, teamId: $teamId) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name email status isOwner isGuest roles { id name } seats teams { id name } } }\n    }\n  }\n"): (typeof documents)["\n  query Members($first: Int!, $after: String, $status: MemberStatus, $search: String, $teamId: ID) {\n    members(first: $first, after: $after, status: $status, search: $search, teamId: $teamId) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { id name email status isOwner isGuest roles { id name } seats teams { id name } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TeamOptions {\n    organization { id teams { id name } }\n  }\n"): (typeof documents)["\n  query TeamOptions {\n    organization { id teams { id name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InviteOptions {\n    organization { id roles { id name key } teams { id name } }\n  }\n"): (typeof documents)["\n  query InviteOptions {\n    organization { id roles { id name key } teams { id name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) { invitationToken member { id email status } }\n  }\n"): (typeof documents)["\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) { invitationToken member { id email status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Products { organization { id products } }\n"): (typeof documents)["\n  query Products { organization { id products } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EnableProduct($product: Product!) { enableProduct(product: $product) { id products modules { key } } }\n"): (typeof documents)["\n  mutation EnableProduct($product: Product!) { enableProduct(product: $product) { id products modules { key } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableProduct($product: Product!) { disableProduct(product: $product) { id products modules { key } } }\n"): (typeof documents)["\n  mutation DisableProduct($product: Product!) { disableProduct(product: $product) { id products modules { key } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetRoleGrants($roleId: ID!, $grants: [GrantInput!]!) {\n    setRoleGrants(roleId: $roleId, grants: $grants) { id memberCount grants { permission scope } }\n  }\n"): (typeof documents)["\n  mutation SetRoleGrants($roleId: ID!, $grants: [GrantInput!]!) {\n    setRoleGrants(roleId: $roleId, grants: $grants) { id memberCount grants { permission scope } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetRole($roleId: ID!) {\n    resetRole(roleId: $roleId) { id grants { permission scope } }\n  }\n"): (typeof documents)["\n  mutation ResetRole($roleId: ID!) {\n    resetRole(roleId: $roleId) { id grants { permission scope } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CloneRole($input: CreateRoleInput!) {\n    createRole(input: $input) { id name }\n  }\n"): (typeof documents)["\n  mutation CloneRole($input: CreateRoleInput!) {\n    createRole(input: $input) { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateRole($id: ID!, $name: String, $description: String) {\n    updateRole(id: $id, name: $name, description: $description) { id name description }\n  }\n"): (typeof documents)["\n  mutation UpdateRole($id: ID!, $name: String, $description: String) {\n    updateRole(id: $id, name: $name, description: $description) { id name description }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteRole($id: ID!, $reassignToId: ID) {\n    deleteRole(id: $id, reassignToId: $reassignToId)\n  }\n"): (typeof documents)["\n  mutation DeleteRole($id: ID!, $reassignToId: ID) {\n    deleteRole(id: $id, reassignToId: $reassignToId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Roles {\n    organization {\n      id plan\n      roles { id key name description system memberCount grants { permission scope } defaultGrants { permission scope } }\n    }\n  }\n"): (typeof documents)["\n  query Roles {\n    organization {\n      id plan\n      roles { id key name description system memberCount grants { permission scope } defaultGrants { permission scope } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateRole($input: CreateRoleInput!) {\n    createRole(input: $input) { id name }\n  }\n"): (typeof documents)["\n  mutation CreateRole($input: CreateRoleInput!) {\n    createRole(input: $input) { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Teams {\n    organization {\n      id\n      teams { id name parent { id } managers { id name } members { id name } }\n      members(first: 100, status: ACTIVE) { edges { node { id name email } } }\n    }\n  }\n"): (typeof documents)["\n  query Teams {\n    organization {\n      id\n      teams { id name parent { id } managers { id name } members { id name } }\n      members(first: 100, status: ACTIVE) { edges { node { id name email } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateTeam($input: CreateTeamInput!) { createTeam(input: $input) { id name } }\n"): (typeof documents)["\n  mutation CreateTeam($input: CreateTeamInput!) { createTeam(input: $input) { id name } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddTeamMember($teamId: ID!, $memberId: ID!, $manager: Boolean) {\n    addTeamMember(teamId: $teamId, memberId: $memberId, manager: $manager) { id }\n  }\n"): (typeof documents)["\n  mutation AddTeamMember($teamId: ID!, $memberId: ID!, $manager: Boolean) {\n    addTeamMember(teamId: $teamId, memberId: $memberId, manager: $manager) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveTeamMember($teamId: ID!, $memberId: ID!) { removeTeamMember(teamId: $teamId, memberId: $memberId) { id } }\n"): (typeof documents)["\n  mutation RemoveTeamMember($teamId: ID!, $memberId: ID!) { removeTeamMember(teamId: $teamId, memberId: $memberId) { id } }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;
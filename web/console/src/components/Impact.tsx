// What a change does to people. The API has no preview operations yet
// (previewRoleGrants, previewMemberRoles, previewProductChange), so today
// these say only what is known for certain; each becomes a query of its
// preview operation, listing who gains and loses what, when it exists.
import type { GrantChange } from '../lib/grants';

export function RoleImpact({ memberCount }: { roleId: string; changes: GrantChange[]; memberCount: number }) {
  // Plug-in point: previewRoleGrants(roleId, grants) → AccessDiff.
  return (
    <p className="muted">
      {memberCount === 1 ? '1 member holds' : `${memberCount} members hold`} this role; the change reaches them on
      their next request.
    </p>
  );
}

export function ProductImpact({ enabled }: { product: string; enabled: boolean }) {
  // Plug-in point: previewProductChange(product, enabled) → AccessDiff.
  return (
    <p className="muted">
      {enabled
        ? "Its modules come back in every role with the grants they had when it was disabled."
        : "Its modules disappear from every role and their permissions are denied; the roles keep their grants for when it is enabled again."}
    </p>
  );
}

export function MemberRolesImpact(_: { memberId: string; roleIds: string[] }) {
  // Plug-in point: previewMemberRoles(memberId, roleIds) → AccessDiff.
  return null;
}

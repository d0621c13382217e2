// What a change does to people, from the API's preview operations
// (previewRoleGrants, previewMemberRoles, previewProductChange): who gains
// and loses which grant, and how many interactions and evaluations each
// newly sees or no longer sees. The preview is asked with exactly the
// arguments the change will be sent with, so what the dialog shows is what
// Confirm does; a confirmation waits for it (see `ready`).
import { useMemo } from 'react';
import { useQuery, type UseQueryState } from 'urql';
import { graphql } from '../gql';
import type { GrantInput, Product } from '../gql/graphql';
import { scopeLabel, widens, type ScopeName } from '../lib/grants';
import { ErrorOf, Loading } from './State';

// The three previews answer the same diff; one selection for all.
graphql(`
  fragment AccessDiffFields on AccessDiff {
    membersAffected
    members {
      member { id name email }
      gained { permission from to }
      lost { permission from to }
      interactionsGained interactionsLost evaluationsGained evaluationsLost
    }
  }
`);
const PreviewRoleGrantsDocument = graphql(`
  query PreviewRoleGrants($roleId: ID!, $grants: [GrantInput!]!) {
    previewRoleGrants(roleId: $roleId, grants: $grants) {
      ...AccessDiffFields
    }
  }
`);
const PreviewMemberRolesDocument = graphql(`
  query PreviewMemberRoles($memberId: ID!, $roleIds: [ID!]!) {
    previewMemberRoles(memberId: $memberId, roleIds: $roleIds) {
      ...AccessDiffFields
    }
  }
`);
const PreviewProductChangeDocument = graphql(`
  query PreviewProductChange($product: Product!, $enabled: Boolean!) {
    previewProductChange(product: $product, enabled: $enabled) {
      ...AccessDiffFields
    }
  }
`);

interface Change {
  permission: string;
  from: string;
  to: string;
}
interface MemberChange {
  member: { id: string; name: string; email: string };
  gained: Change[];
  lost: Change[];
  interactionsGained: number;
  interactionsLost: number;
  evaluationsGained: number;
  evaluationsLost: number;
}
export interface Diff {
  membersAffected: number;
  members: MemberChange[];
}

/** A preview's state: ready once the API answered (with the diff or an error). */
export interface Preview {
  result: UseQueryState<unknown>;
  diff?: Diff;
  ready: boolean;
}

function preview(result: UseQueryState<unknown>, diff: Diff | undefined, paused: boolean): Preview {
  return { result, diff, ready: !paused && !result.fetching && (!!diff || !!result.error) };
}

// Previews are never served from the document cache: they must say what
// the change does now.
const fresh = { requestPolicy: 'network-only' as const };

export function useRolePreview(roleId: string, grants: GrantInput[], pause: boolean): Preview {
  const variables = useMemo(() => ({ roleId, grants }), [roleId, grants]);
  const [r] = useQuery({ query: PreviewRoleGrantsDocument, variables, pause, ...fresh });
  return preview(r, r.data?.previewRoleGrants, pause);
}

export function useMemberRolesPreview(memberId: string, roleIds: string[], pause: boolean): Preview {
  const variables = useMemo(() => ({ memberId, roleIds }), [memberId, roleIds]);
  const [r] = useQuery({ query: PreviewMemberRolesDocument, variables, pause, ...fresh });
  return preview(r, r.data?.previewMemberRoles, pause);
}

export function useProductPreview(product: Product, enabled: boolean, pause: boolean): Preview {
  const variables = useMemo(() => ({ product, enabled }), [product, enabled]);
  const [r] = useQuery({ query: PreviewProductChangeDocument, variables, pause, ...fresh });
  return preview(r, r.data?.previewProductChange, pause);
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** One preview as a person reads it: a line per member affected. */
export function Impact({ preview, title = 'Who is affected' }: { preview: Preview; title?: string }) {
  const { result, diff } = preview;
  if (!diff) {
    if (result.error) return <ErrorOf error={result.error} title="Could not preview the change." />;
    return <Loading what="the impact of this change" />;
  }
  return (
    <section className="impact" aria-label="Impact preview">
      <h3>{title}</h3>
      {diff.membersAffected === 0 ? (
        <p className="muted">Nobody's access changes.</p>
      ) : (
        <>
          <p>
            {diff.membersAffected === 1 ? "1 member's access changes" : `${diff.membersAffected} members' access changes`} on
            their next request:
          </p>
          <ul className="impact-members">
            {diff.members.map((m) => (
              <li key={m.member.id}>
                <strong>{m.member.name}</strong> <span className="muted">{m.member.email}</span>
                <ul className="grant-diff">
                  {m.gained.map((c) => (
                    <GrantLine key={'g' + c.permission} verb="gains" c={c} />
                  ))}
                  {m.lost.map((c) => (
                    <GrantLine key={'l' + c.permission} verb="loses" c={c} />
                  ))}
                  {m.interactionsGained > 0 && <li className="wider">newly sees {plural(m.interactionsGained, 'interaction')}</li>}
                  {m.interactionsLost > 0 && <li className="narrower">no longer sees {plural(m.interactionsLost, 'interaction')}</li>}
                  {m.evaluationsGained > 0 && <li className="wider">newly sees {plural(m.evaluationsGained, 'evaluation')}</li>}
                  {m.evaluationsLost > 0 && <li className="narrower">no longer sees {plural(m.evaluationsLost, 'evaluation')}</li>}
                </ul>
              </li>
            ))}
          </ul>
        </>
      )}
      <ErrorOf error={result.error} title="Could not refresh the preview." />
    </section>
  );
}

function GrantLine({ verb, c }: { verb: string; c: Change }) {
  const from = c.from as ScopeName;
  const to = c.to as ScopeName;
  return (
    <li className={widens({ permission: c.permission, from, to }) ? 'wider' : 'narrower'}>
      {verb} <code>{c.permission}</code>: {scopeLabel[from]} → {scopeLabel[to]}
    </li>
  );
}

/** The Products confirmation: what the product switch does to roles and people. */
export function ProductImpact({ enabled, preview }: { enabled: boolean; preview: Preview }) {
  return (
    <>
      <p className="muted">
        {enabled
          ? 'Its modules come back in every role with the grants they had when it was disabled.'
          : 'Its modules disappear from every role and their permissions are denied; the roles keep their grants for when it is enabled again.'}
      </p>
      <Impact preview={preview} />
    </>
  );
}

/** A member's Roles panel: what saving the picked roles does, before Save roles. */
export function MemberRolesImpact({ memberId, roleIds, pause }: { memberId: string; roleIds: string[]; pause: boolean }) {
  const p = useMemberRolesPreview(memberId, roleIds, pause);
  if (pause) return null;
  return <Impact preview={p} title="If you save these roles" />;
}

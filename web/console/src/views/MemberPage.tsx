import { Fragment, useId, useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import type { MemberPageQuery, SeatKind } from '../gql/graphql';
import { useSession, type Session } from '../session';
import { CheckList } from '../components/CheckList';
import { ErrorOf, QueryState, Reason } from '../components/State';
import { MemberRolesImpact } from '../components/Impact';
import { scopeLabel, type ScopeName } from '../lib/grants';
import { href } from '../lib/route';
import { seatKinds } from './Members';
import { seatName } from '../lib/names';

const MemberPageDocument = graphql(`
  query MemberPage($id: ID!) {
    member(id: $id) {
      id name email status isOwner isGuest seats
      roles { id name grants { permission scope } }
      teams { id name }
      managedTeams { id name }
      grants { permission scope }
    }
    organization { id roles { id key name } }
  }
`);
const ExplainDocument = graphql(`
  query ExplainMemberAccess($permission: String!, $memberId: ID!) {
    explain(permission: $permission, memberId: $memberId) {
      allowed summary
      reasons { kind text }
      remedies { text callerCanApply }
    }
  }
`);
const SetMemberRolesDocument = graphql(`
  mutation SetMemberRoles($memberId: ID!, $roleIds: [ID!]!) {
    setMemberRoles(memberId: $memberId, roleIds: $roleIds) { id roles { id name } grants { permission scope } }
  }
`);
const DeactivateDocument = graphql(`
  mutation DeactivateMember($memberId: ID!) { deactivateMember(memberId: $memberId) { id status } }
`);
const ReactivateDocument = graphql(`
  mutation ReactivateMember($memberId: ID!) { reactivateMember(memberId: $memberId) { id status } }
`);
const AssignSeatDocument = graphql(`
  mutation AssignSeat($memberId: ID!, $kind: SeatKind!) { assignSeat(memberId: $memberId, kind: $kind) { id seats } }
`);
const ReleaseSeatDocument = graphql(`
  mutation ReleaseSeat($memberId: ID!, $kind: SeatKind!) { releaseSeat(memberId: $memberId, kind: $kind) { id seats } }
`);

type Member = NonNullable<MemberPageQuery['member']>;

export function MemberPage({ memberId }: { memberId: string }) {
  const [result, refetch] = useQuery({ query: MemberPageDocument, variables: { id: memberId } });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <section aria-labelledby="member-title">
      <p>
        <a href={href('members')}>← All members</a>
      </p>
      <QueryState result={result} what="the member">
        {(d) =>
          d.member ? (
            <MemberBody m={d.member} roles={d.organization.roles} reload={reload} />
          ) : (
            <p role="alert" className="error">
              No such member in this organization <code>NOT_FOUND</code>.
            </p>
          )
        }
      </QueryState>
    </section>
  );
}

function MemberBody({ m, roles, reload }: { m: Member; roles: { id: string; key?: string | null; name: string }[]; reload: () => void }) {
  const s = useSession();
  const self = s.data.viewer.id === m.id;
  return (
    <>
      <h1 id="member-title">
        {m.name} <span className="muted">{m.email}</span>
      </h1>
      <p>
        <span className={`status status-${m.status.toLowerCase()}`}>{m.status.toLowerCase()}</span>
        {m.isOwner && <span className="badge">owner</span>}
        {m.isGuest && <span className="badge">guest</span>}
        {m.teams.length > 0 && <> · Teams: {m.teams.map((t) => t.name).join(', ')}</>}
        {m.managedTeams.length > 0 && <> · Manages: {m.managedTeams.map((t) => t.name).join(', ')}</>}
      </p>
      <div className="member-grid">
        <RolesEditor m={m} roles={roles} self={self} reload={reload} />
        <StatusControl m={m} self={self} reload={reload} />
        <Seats m={m} reload={reload} />
      </div>
      <Access m={m} />
    </>
  );
}

/** Why a change to member m is refused before asking: the owner, yourself, or members.write. */
function memberBlock(s: Session, m: Member, self: boolean, owner: string, yourself: string): string | null {
  if (m.isOwner) return owner;
  if (self) return yourself;
  return s.can('members.write') ? null : s.reason('members.write');
}

function RolesEditor({ m, roles, self, reload }: { m: Member; roles: { id: string; key?: string | null; name: string }[]; self: boolean; reload: () => void }) {
  const s = useSession();
  const [picked, setPicked] = useState<Set<string>>(() => new Set(m.roles.map((r) => r.id)));
  const [res, setRoles] = useMutation(SetMemberRolesDocument);
  const reasonId = useId();
  const block = memberBlock(s, m, self, "The owner's roles change only by an ownership transfer.", 'Nobody changes their own roles.');
  const changed = picked.size !== m.roles.length || m.roles.some((r) => !picked.has(r.id));
  const pickedIds = useMemo(() => [...picked].sort(), [picked]);
  return (
    <form
      className="panel"
      aria-labelledby={`${reasonId}-h`}
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await setRoles({ memberId: m.id, roleIds: pickedIds });
        if (r.data) reload();
      }}
    >
      <h2 id={`${reasonId}-h`}>Roles</h2>
      <CheckList
        legend={<span className="sr-only">Roles of {m.name}</span>}
        items={roles.filter((r) => r.key !== 'owner' || m.isOwner).map((r) => ({ value: r.id, label: r.name }))}
        picked={picked}
        onChange={setPicked}
        disabled={!!block}
        describedBy={block ? reasonId : undefined}
      />
      {block && <Reason id={reasonId}>{block}</Reason>}
      <MemberRolesImpact memberId={m.id} roleIds={pickedIds} pause={!!block || !changed || picked.size === 0} />
      <ErrorOf error={res.error} title="Roles not changed." />
      <button type="submit" className="primary" disabled={!!block || !changed || picked.size === 0 || res.fetching}>
        Save roles
      </button>
    </form>
  );
}

function StatusControl({ m, self, reload }: { m: Member; self: boolean; reload: () => void }) {
  const s = useSession();
  const [dres, deactivate] = useMutation(DeactivateDocument);
  const [rres, reactivate] = useMutation(ReactivateDocument);
  const reasonId = useId();
  const block = memberBlock(s, m, self, 'The owner cannot be deactivated.', 'You cannot deactivate yourself.');
  const active = m.status !== 'DEACTIVATED';
  return (
    <div className="panel">
      <h2>Status</h2>
      <p>
        {m.name} is {m.status.toLowerCase()}.
      </p>
      {active ? (
        <button type="button" className="danger" disabled={!!block || dres.fetching} aria-describedby={block ? reasonId : undefined}
          onClick={async () => (await deactivate({ memberId: m.id })).data && reload()}>
          Deactivate
        </button>
      ) : (
        <button type="button" disabled={!!block || rres.fetching} aria-describedby={block ? reasonId : undefined}
          onClick={async () => (await reactivate({ memberId: m.id })).data && reload()}>
          Reactivate
        </button>
      )}
      {block && <Reason id={reasonId}>{block}</Reason>}
      <ErrorOf error={dres.error ?? rres.error} title="Status not changed." />
    </div>
  );
}

function Seats({ m, reload }: { m: Member; reload: () => void }) {
  const s = useSession();
  const [ares, assign] = useMutation(AssignSeatDocument);
  const [rres, release] = useMutation(ReleaseSeatDocument);
  const reasonId = useId();
  const block = s.can('seats.write') ? null : s.reason('seats.write');
  const toggle = async (k: SeatKind) => {
    const r = m.seats.includes(k) ? await release({ memberId: m.id, kind: k }) : await assign({ memberId: m.id, kind: k });
    if (r.data) reload();
  };
  return (
    <div className="panel">
      <h2>Seats</h2>
      <ul className="plain">
        {seatKinds.map((k) => (
          <li key={k}>
            {seatName(k)}: {m.seats.includes(k) ? 'held' : 'none'}{' '}
            <button type="button" disabled={!!block || ares.fetching || rres.fetching} aria-describedby={block ? reasonId : undefined} onClick={() => toggle(k)}>
              {m.seats.includes(k) ? `Release ${seatName(k)} seat` : `Assign ${seatName(k)} seat`}
            </button>
          </li>
        ))}
      </ul>
      {block && <Reason id={reasonId}>{block}</Reason>}
      <ErrorOf error={ares.error ?? rres.error} title="Seats not changed." />
    </div>
  );
}

/**
 * Effective access by module. The scope is the API's (Member.grants: roles
 * united, gated by products and seats); "from" lists the member's roles
 * that grant the permission, read off the roles' own grants. "Why?" per
 * row asks the API's `explain(permission:, memberId:)`: the facts behind
 * the decision and what would change it.
 */
function Access({ m }: { m: Member }) {
  const s = useSession();
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const toggle = (p: string) => {
    const next = new Set(open);
    if (next.has(p)) next.delete(p);
    else next.add(p);
    setOpen(next);
  };
  const effective = useMemo(() => new Map(m.grants.map((g) => [g.permission, g.scope as ScopeName])), [m.grants]);
  const from = useMemo(() => {
    const out = new Map<string, string[]>();
    for (const r of m.roles)
      for (const g of r.grants)
        if (g.scope !== 'DISABLED') out.set(g.permission, [...(out.get(g.permission) ?? []), `${r.name} (${scopeLabel[g.scope as ScopeName]})`]);
    return out;
  }, [m.roles]);
  return (
    <section aria-labelledby="access-title" className="access">
      <h2 id="access-title">Effective access</h2>
      <p className="muted">
        What {m.name} may do now, by module: their roles united, within enabled products and held seats.
      </p>
      {s.data.organization.modules.map((mod) => {
        // Every action, denied ones too: "why not?" is the question asked most.
        const rows = mod.actions;
        return (
          <div key={mod.key} className="table-wrap">
            <table>
              <caption>{mod.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Action</th>
                  <th scope="col">Effective scope</th>
                  <th scope="col">From roles</th>
                  <th scope="col">
                    <span className="sr-only">Explanation</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((a) => (
                  <Fragment key={a.permission}>
                  <tr>
                    <th scope="row">
                      {a.name} <code>{a.permission}</code>
                    </th>
                    <td>
                      {scopeLabel[effective.get(a.permission) ?? 'DISABLED']}
                      {!effective.has(a.permission) && a.seat && <span className="muted"> (needs a {seatName(a.seat)} seat)</span>}
                    </td>
                    <td>{(from.get(a.permission) ?? []).join(', ') || (m.isOwner ? 'owner' : '—')}</td>
                    <td>
                      <button
                        type="button"
                        className="link"
                        aria-expanded={open.has(a.permission)}
                        aria-controls={`why-${a.permission}`}
                        aria-label={`Why? ${a.permission}`}
                        onClick={() => toggle(a.permission)}
                      >
                        why?
                      </button>
                    </td>
                  </tr>
                  {open.has(a.permission) && (
                    <tr id={`why-${a.permission}`} className="why-row">
                      <td colSpan={4}>
                        <Why memberId={m.id} permission={a.permission} />
                      </td>
                    </tr>
                  )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
    </section>
  );
}

/** The API's explanation of one permission of one member. */
function Why({ memberId, permission }: { memberId: string; permission: string }) {
  const [result] = useQuery({ query: ExplainDocument, variables: { memberId, permission } });
  return (
    <QueryState result={result} what={`why ${permission}`}>
      {(d) => (
        <div className="why" role="region" aria-label={`Why ${permission}`}>
          <p>
            <strong>{d.explain.summary}</strong>
          </p>
          {d.explain.reasons.length > 0 && (
            <ul>
              {d.explain.reasons.map((r, i) => (
                <li key={i}>{r.text}</li>
              ))}
            </ul>
          )}
          {d.explain.remedies.length > 0 && (
            <>
              <p className="muted">What would change it:</p>
              <ul>
                {d.explain.remedies.map((r, i) => (
                  <li key={i}>
                    {r.text}
                    {!r.callerCanApply && <span className="muted"> (not something you can do)</span>}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </QueryState>
  );
}

import { useId, useMemo, useState } from 'react';
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
  return (
    <form
      className="panel"
      aria-labelledby={`${reasonId}-h`}
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await setRoles({ memberId: m.id, roleIds: [...picked] });
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
      <MemberRolesImpact memberId={m.id} roleIds={[...picked]} />
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
 * that grant the permission, read off the roles' own grants. A "why?" per
 * cell is `explain(permission:, memberId:)` once the API has it.
 */
function Access({ m }: { m: Member }) {
  const s = useSession();
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
        const rows = mod.actions.filter((a) => effective.has(a.permission) || from.has(a.permission));
        if (rows.length === 0) return null;
        return (
          <div key={mod.key} className="table-wrap">
            <table>
              <caption>{mod.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Action</th>
                  <th scope="col">Effective scope</th>
                  <th scope="col">From roles</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((a) => (
                  <tr key={a.permission}>
                    <th scope="row">
                      {a.name} <code>{a.permission}</code>
                    </th>
                    <td>
                      {scopeLabel[effective.get(a.permission) ?? 'DISABLED']}
                      {!effective.has(a.permission) && a.seat && <span className="muted"> (needs a {seatName(a.seat)} seat)</span>}
                    </td>
                    <td>{(from.get(a.permission) ?? []).join(', ') || (m.isOwner ? 'owner' : '—')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
    </section>
  );
}

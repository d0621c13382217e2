import { useCallback, useEffect, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import type { MemberStatus, SeatKind } from '../gql/graphql';
import { useSession } from '../session';
import { ErrorOf, QueryState, Reason } from '../components/State';
import { Pager, usePager } from '../components/Pager';
import { CheckList } from '../components/CheckList';
import { href } from '../lib/route';
import { seatName } from '../lib/names';

const MembersDocument = graphql(`
  query Members($first: Int!, $after: String, $status: MemberStatus, $search: String, $teamId: ID) {
    members(first: $first, after: $after, status: $status, search: $search, teamId: $teamId) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name email status isOwner isGuest roles { id name } seats teams { id name } } }
    }
  }
`);

const TeamOptionsDocument = graphql(`
  query TeamOptions {
    organization { id teams { id name } }
  }
`);

const InviteOptionsDocument = graphql(`
  query InviteOptions {
    organization { id roles { id name key } teams { id name } }
  }
`);

const InviteMemberDocument = graphql(`
  mutation InviteMember($input: InviteMemberInput!) {
    inviteMember(input: $input) { invitationToken member { id email status } }
  }
`);

export const seatKinds: SeatKind[] = ['RECORDER', 'VOICE', 'CONTACT_CENTER'];
const PAGE = 20;

export interface MemberFilter {
  status: MemberStatus | '';
  search: string;
  teamId: string;
}

/**
 * The member list's filters, all answered by the API (`members(status:,
 * search:, teamId:)`): the search is a case-insensitive substring of name
 * or email (seed 001's Supersearch), sent once typing pauses.
 */
function Filters({ value, onChange }: { value: MemberFilter; onChange: (f: MemberFilter) => void }) {
  const s = useSession();
  const id = useId();
  const [typed, setTyped] = useState(value.search);
  useEffect(() => {
    if (typed === value.search) return;
    const t = setTimeout(() => onChange({ ...value, search: typed }), 250);
    return () => clearTimeout(t);
  }, [typed, value, onChange]);
  const canTeams = s.can('teams.read');
  const [teams] = useQuery({ query: TeamOptionsDocument, pause: !canTeams });
  return (
    <div className="filters">
      <label htmlFor={`${id}-search`}>Search members</label>
      <input id={`${id}-search`} type="search" value={typed} placeholder="name or email" onChange={(e) => setTyped(e.target.value)} />
      <label htmlFor={`${id}-status`}>Status</label>
      <select id={`${id}-status`} value={value.status} onChange={(e) => onChange({ ...value, status: e.target.value as MemberStatus | '' })}>
        <option value="">All</option>
        <option value="ACTIVE">Active</option>
        <option value="INVITED">Invited</option>
        <option value="DEACTIVATED">Deactivated</option>
      </select>
      <label htmlFor={`${id}-team`}>Team</label>
      <select
        id={`${id}-team`}
        value={value.teamId}
        disabled={!canTeams}
        aria-describedby={canTeams ? undefined : `${id}-team-why`}
        onChange={(e) => onChange({ ...value, teamId: e.target.value })}
      >
        <option value="">All teams</option>
        {teams.data?.organization.teams.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
      <ErrorOf error={teams.error} title="Could not load the teams." />
      {!canTeams && <Reason id={`${id}-team-why`}>Team filter: {s.reason('teams.read')}</Reason>}
    </div>
  );
}

export function Members() {
  const [filter, setFilter] = useState<MemberFilter>({ status: '', search: '', teamId: '' });
  const pager = usePager();
  const [result] = useQuery({
    query: MembersDocument,
    variables: {
      first: PAGE,
      after: pager.after,
      status: filter.status || undefined,
      search: filter.search.trim() || undefined,
      teamId: filter.teamId || undefined,
    },
  });
  const { reset } = pager;
  const onFilter = useCallback(
    (f: MemberFilter) => {
      setFilter(f);
      reset();
    },
    [reset],
  );
  return (
    <section aria-labelledby="members-title">
      <div className="view-head">
        <h1 id="members-title">Members</h1>
        <Invite />
      </div>
      <Filters value={filter} onChange={onFilter} />
      <QueryState result={result} what="members">
        {(data) => {
          const conn = data.members;
          return (
            <>
              <div className="table-wrap">
                <table className="stack">
                  <caption className="sr-only">Members</caption>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Email</th>
                      <th scope="col">Status</th>
                      <th scope="col">Roles</th>
                      <th scope="col">Seats</th>
                      <th scope="col">Teams</th>
                    </tr>
                  </thead>
                  <tbody>
                    {conn.edges.map(({ node: m }) => (
                      <tr key={m.id}>
                        <td data-label="Name">
                          <a href={href('members', m.id)}>{m.name}</a>
                          {m.isOwner && <span className="badge">owner</span>}
                          {m.isGuest && <span className="badge">guest</span>}
                        </td>
                        <td data-label="Email">{m.email}</td>
                        <td data-label="Status">
                          <span className={`status status-${m.status.toLowerCase()}`}>{m.status.toLowerCase()}</span>
                        </td>
                        <td data-label="Roles">{m.roles.map((r) => r.name).join(', ') || '—'}</td>
                        <td data-label="Seats">{m.seats.map(seatName).join(', ') || '—'}</td>
                        <td data-label="Teams">{m.teams.map((t) => t.name).join(', ') || '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager pager={pager} page={conn} size={PAGE} what="members" />
            </>
          );
        }}
      </QueryState>
    </section>
  );
}

function Invite() {
  const s = useSession();
  const [open, setOpen] = useState(false);
  const reasonId = useId();
  const block = s.can('members.write') ? null : s.reason('members.write');
  return (
    <div>
      <button type="button" className="primary" disabled={!!block} aria-describedby={block ? reasonId : undefined} aria-expanded={open} onClick={() => setOpen(!open)}>
        Invite member
      </button>
      {block && <Reason id={reasonId}>{block}</Reason>}
      {open && <InviteForm onClose={() => setOpen(false)} />}
    </div>
  );
}

function InviteForm({ onClose }: { onClose: () => void }) {
  const [opts] = useQuery({ query: InviteOptionsDocument });
  const [res, invite] = useMutation(InviteMemberDocument);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<Set<string>>(new Set());
  const [teams, setTeams] = useState<Set<string>>(new Set());
  const [seats, setSeats] = useState<Set<SeatKind>>(new Set());
  const [token, setToken] = useState<string | null>(null);
  const emailId = useId();
  const nameId = useId();
  return (
    <form
      className="panel invite"
      aria-label="Invite a member"
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await invite({
          input: { email: email.trim(), name: name.trim(), roleIds: [...roles], teamIds: [...teams], seats: [...seats] },
        });
        if (r.data) setToken(r.data.inviteMember.invitationToken);
      }}
    >
      <h2>Invite a member</h2>
      <label htmlFor={emailId}>Email</label>
      <input id={emailId} type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      <label htmlFor={nameId}>Name</label>
      <input id={nameId} required value={name} onChange={(e) => setName(e.target.value)} />
      <QueryState result={opts} what="roles and teams">
        {(d) => (
          <div className="choices">
            <CheckList
              legend="Roles"
              items={d.organization.roles.filter((r) => r.key !== 'owner').map((r) => ({ value: r.id, label: r.name }))}
              picked={roles}
              onChange={setRoles}
            />
            <CheckList legend="Teams" items={d.organization.teams.map((t) => ({ value: t.id, label: t.name }))} picked={teams} onChange={setTeams} />
            <CheckList legend="Seats" items={seatKinds.map((k) => ({ value: k, label: seatName(k) }))} picked={seats} onChange={setSeats} />
          </div>
        )}
      </QueryState>
      <ErrorOf error={res.error} title="Not invited." />
      {token && (
        <div role="status" className="done">
          <p>Invited {email}. Their invitation token (for acceptInvitation):</p>
          <CopyField label="Invitation token" value={token} />
        </div>
      )}
      <div className="actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
        <button type="submit" className="primary" disabled={res.fetching || roles.size === 0}>
          {res.fetching ? 'Inviting…' : 'Send invitation'}
        </button>
      </div>
    </form>
  );
}

export function CopyField({ label, value }: { label: string; value: string }) {
  const id = useId();
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <div className="copy">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input id={id} readOnly value={value} onFocus={(e) => e.target.select()} />
        <button
          type="button"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(value);
              setCopied('Copied.');
            } catch {
              (document.getElementById(id) as HTMLInputElement | null)?.select();
              setCopied('Select the text and copy it: this browser refused clipboard access.');
            }
          }}
        >
          Copy {label.toLowerCase()}
        </button>
      </div>
      <span role="status" className="muted">
        {copied}
      </span>
    </div>
  );
}

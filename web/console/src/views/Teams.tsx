import { useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import type { TeamsQuery } from '../gql/graphql';
import { useSession } from '../session';
import { ErrorOf, QueryState, Reason } from '../components/State';
import { href } from '../lib/route';

const TeamsDocument = graphql(`
  query Teams {
    organization {
      id
      teams { id name parent { id } managers { id name } members { id name } }
      members(first: 100, status: ACTIVE) { edges { node { id name email } } }
    }
  }
`);
const CreateTeamDocument = graphql(`
  mutation CreateTeam($input: CreateTeamInput!) { createTeam(input: $input) { id name } }
`);
const AddTeamMemberDocument = graphql(`
  mutation AddTeamMember($teamId: ID!, $memberId: ID!, $manager: Boolean) {
    addTeamMember(teamId: $teamId, memberId: $memberId, manager: $manager) { id }
  }
`);
const RemoveTeamMemberDocument = graphql(`
  mutation RemoveTeamMember($teamId: ID!, $memberId: ID!) { removeTeamMember(teamId: $teamId, memberId: $memberId) { id } }
`);

type Team = TeamsQuery['organization']['teams'][number];
type Person = { id: string; name: string; email: string };

export function Teams() {
  const [result, refetch] = useQuery({ query: TeamsDocument });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <section aria-labelledby="teams-title">
      <h1 id="teams-title">Teams</h1>
      <QueryState result={result} what="teams">
        {(d) => {
          const teams = d.organization.teams;
          const people = d.organization.members.edges.map((e) => e.node);
          const roots = teams.filter((t) => !t.parent || !teams.some((p) => p.id === t.parent!.id));
          return (
            <div className="teams">
              <ul className="tree" aria-label="Team tree">
                {roots.map((t) => (
                  <TeamNode key={t.id} team={t} teams={teams} people={people} reload={reload} />
                ))}
              </ul>
              {teams.length === 0 && <p>No teams yet.</p>}
              <NewTeam teams={teams} reload={reload} />
            </div>
          );
        }}
      </QueryState>
    </section>
  );
}

function TeamNode({ team, teams, people, reload }: { team: Team; teams: Team[]; people: Person[]; reload: () => void }) {
  const children = teams.filter((t) => t.parent?.id === team.id);
  const managers = new Set(team.managers.map((m) => m.id));
  return (
    <li>
      <div className="team">
        <h2>{team.name}</h2>
        <p>
          <strong>Managers:</strong> {team.managers.map((m) => m.name).join(', ') || 'none'}
        </p>
        <div>
          <strong>Members:</strong>{' '}
          {team.members.length === 0 ? (
            'none'
          ) : (
            <ul className="chips" aria-label={`Members of ${team.name}`}>
              {team.members.map((m) => (
                <li key={m.id}>
                  <a href={href('members', m.id)}>{m.name}</a>
                  {managers.has(m.id) && <span className="muted"> (manager)</span>}
                  <RemoveMember teamId={team.id} member={m} reload={reload} />
                </li>
              ))}
            </ul>
          )}
        </div>
        <AddMember team={team} people={people} reload={reload} />
      </div>
      {children.length > 0 && (
        <ul aria-label={`Sub-teams of ${team.name}`}>
          {children.map((c) => (
            <TeamNode key={c.id} team={c} teams={teams} people={people} reload={reload} />
          ))}
        </ul>
      )}
    </li>
  );
}

function RemoveMember({ teamId, member, reload }: { teamId: string; member: { id: string; name: string }; reload: () => void }) {
  const s = useSession();
  const [res, remove] = useMutation(RemoveTeamMemberDocument);
  const can = s.can('teams.write');
  return (
    <>
      {' '}
      <button
        type="button"
        className="link"
        disabled={!can || res.fetching}
        title={can ? undefined : s.reason('teams.write')}
        aria-label={`Remove ${member.name} from the team`}
        onClick={async () => (await remove({ teamId, memberId: member.id })).data && reload()}
      >
        ✕
      </button>
      <ErrorOf error={res.error} title={`${member.name} not removed.`} />
    </>
  );
}

function AddMember({ team, people, reload }: { team: Team; people: Person[]; reload: () => void }) {
  const s = useSession();
  const [who, setWho] = useState('');
  const [manager, setManager] = useState(false);
  const [res, add] = useMutation(AddTeamMemberDocument);
  const id = useId();
  const block = s.can('teams.write') ? null : s.reason('teams.write');
  const inTeam = new Set(team.members.map((m) => m.id));
  return (
    <form
      className="inline"
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await add({ teamId: team.id, memberId: who, manager });
        if (r.data) {
          setWho('');
          reload();
        }
      }}
    >
      <label htmlFor={id}>Add to {team.name}</label>
      <select id={id} value={who} onChange={(e) => setWho(e.target.value)} disabled={!!block}>
        <option value="">Choose a member…</option>
        {people
          .filter((p) => !inTeam.has(p.id))
          .map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.email})
            </option>
          ))}
      </select>
      <label className="check">
        <input type="checkbox" checked={manager} onChange={(e) => setManager(e.target.checked)} disabled={!!block} /> as manager
      </label>
      <button type="submit" disabled={!!block || !who || res.fetching}>
        Add
      </button>
      {block && <Reason id={`${id}-r`}>{block}</Reason>}
      <ErrorOf error={res.error} title="Not added." />
    </form>
  );
}

function NewTeam({ teams, reload }: { teams: Team[]; reload: () => void }) {
  const s = useSession();
  const [name, setName] = useState('');
  const [parent, setParent] = useState('');
  const [res, create] = useMutation(CreateTeamDocument);
  const nameId = useId();
  const parentId = useId();
  const block = s.can('teams.write') ? null : s.reason('teams.write');
  return (
    <form
      className="panel"
      aria-label="New team"
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await create({ input: { name: name.trim(), parentId: parent || undefined } });
        if (r.data) {
          setName('');
          reload();
        }
      }}
    >
      <h2>New team</h2>
      <label htmlFor={nameId}>Team name</label>
      <input id={nameId} value={name} onChange={(e) => setName(e.target.value)} disabled={!!block} />
      <label htmlFor={parentId}>Parent team</label>
      <select id={parentId} value={parent} onChange={(e) => setParent(e.target.value)} disabled={!!block}>
        <option value="">None (top level)</option>
        {teams.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
      <button type="submit" className="primary" disabled={!!block || !name.trim() || res.fetching}>
        Create team
      </button>
      {block && <Reason id={`${nameId}-r`}>{block}</Reason>}
      <ErrorOf error={res.error} title="Team not created." />
    </form>
  );
}

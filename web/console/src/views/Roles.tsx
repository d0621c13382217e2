import { useEffect, useId, useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import type { RolesQuery } from '../gql/graphql';
import { useSession } from '../session';
import { ErrorOf, QueryState, Reason } from '../components/State';
import { Confirm } from '../components/Confirm';
import { go, href } from '../lib/route';
import { RoleEditor } from './RoleEditor';

export const RolesDocument = graphql(`
  query Roles {
    organization {
      id plan
      roles { id key name description system memberCount grants { permission scope } defaultGrants { permission scope } }
    }
  }
`);

const CreateRoleDocument = graphql(`
  mutation CreateRole($input: CreateRoleInput!) {
    createRole(input: $input) { id name }
  }
`);

export type RoleRow = RolesQuery['organization']['roles'][number];

/** Why custom roles cannot be made, or null when they can. */
export function customRoleBlock(plan: string, canWrite: boolean, reason: string): string | null {
  if (!canWrite) return reason;
  if (plan === 'STARTER') return 'Custom roles are part of the PRO and ENTERPRISE plans (PLAN_REQUIRED): change the plan first.';
  return null;
}

export function Roles({ roleId }: { roleId?: string }) {
  const s = useSession();
  const [result, refetch] = useQuery({ query: RolesDocument });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  // Opening another role shows it as the server has it now (another admin
  // may have changed it, or who holds it), not as first loaded.
  const opened = useRef(roleId);
  useEffect(() => {
    if (opened.current === roleId) return;
    opened.current = roleId;
    refetch({ requestPolicy: 'network-only' });
  }, [roleId, refetch]);
  return (
    <QueryState result={result} what="roles">
      {(data) => {
        const roles = data.organization.roles;
        const role = roles.find((r) => r.id === roleId) ?? roles[0];
        const block = customRoleBlock(data.organization.plan, s.can('roles.write'), s.reason('roles.write'));
        return (
          <div className="roles">
            <aside className="role-list" aria-labelledby="roles-title">
              <h1 id="roles-title">Roles</h1>
              <RoleGroup title="System roles" roles={roles.filter((r) => r.system)} current={role?.id} />
              <RoleGroup title="Custom roles" roles={roles.filter((r) => !r.system)} current={role?.id} />
              <NewRole block={block} onCreated={(id) => { reload(); go('roles', id); }} />
            </aside>
            {role ? (
              <RoleEditor key={role.id} role={role} roles={roles} plan={data.organization.plan} onChanged={reload} />
            ) : (
              <p>No roles.</p>
            )}
          </div>
        );
      }}
    </QueryState>
  );
}

function RoleGroup({ title, roles, current }: { title: string; roles: RoleRow[]; current?: string }) {
  const id = useId();
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {roles.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul>
          {roles.map((r) => (
            <li key={r.id}>
              <a href={href('roles', r.id)} aria-current={r.id === current ? 'page' : undefined}>
                <span className="role-name">{r.name}</span>
                <span className="muted">
                  {r.memberCount} {r.memberCount === 1 ? 'member' : 'members'}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function NewRole({ block, onCreated }: { block: string | null; onCreated: (id: string) => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [res, create] = useMutation(CreateRoleDocument);
  const nameId = useId();
  const descId = useId();
  const reasonId = useId();
  return (
    <div className="new-role">
      <button type="button" onClick={() => setOpen(true)} disabled={!!block} aria-describedby={block ? reasonId : undefined}>
        New role
      </button>
      {block && <Reason id={reasonId}>{block}</Reason>}
      <Confirm
        open={open}
        title="New custom role"
        confirmLabel="Create role"
        busy={res.fetching}
        confirmDisabled={!name.trim()}
        onCancel={() => setOpen(false)}
        onConfirm={async () => {
          const r = await create({ input: { name: name.trim(), description: description.trim() || undefined } });
          if (r.data) {
            setOpen(false);
            setName('');
            setDescription('');
            onCreated(r.data.createRole.id);
          }
        }}
      >
        <label htmlFor={nameId}>Name</label>
        <input id={nameId} value={name} onChange={(e) => setName(e.target.value)} />
        <label htmlFor={descId}>Description</label>
        <input id={descId} value={description} onChange={(e) => setDescription(e.target.value)} />
        <p className="muted">A new role starts with every permission disabled.</p>
        <ErrorOf error={res.error} title="The role was not created." />
      </Confirm>
    </div>
  );
}

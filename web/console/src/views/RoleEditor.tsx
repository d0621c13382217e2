import { useId, useMemo, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import { useSession } from '../session';
import { ErrorOf, Reason } from '../components/State';
import { Confirm } from '../components/Confirm';
import { Impact, useRolePreview } from '../components/Impact';
import { GrantDiff } from '../components/GrantDiff';
import { diffMatrices, grantsOf, matrixOf, type GrantChange, type Matrix, type ScopeName } from '../lib/grants';
import { go } from '../lib/route';
import { ModuleSection, ModulesNav } from './Matrix';
import { customRoleBlock, type RoleRow } from './Roles';

const SetRoleGrantsDocument = graphql(`
  mutation SetRoleGrants($roleId: ID!, $grants: [GrantInput!]!) {
    setRoleGrants(roleId: $roleId, grants: $grants) { id memberCount grants { permission scope } }
  }
`);
const ResetRoleDocument = graphql(`
  mutation ResetRole($roleId: ID!) {
    resetRole(roleId: $roleId) { id grants { permission scope } }
  }
`);
const CloneRoleDocument = graphql(`
  mutation CloneRole($input: CreateRoleInput!) {
    createRole(input: $input) { id name }
  }
`);
const UpdateRoleDocument = graphql(`
  mutation UpdateRole($id: ID!, $name: String, $description: String) {
    updateRole(id: $id, name: $name, description: $description) { id name description }
  }
`);
const DeleteRoleDocument = graphql(`
  mutation DeleteRole($id: ID!, $reassignToId: ID) {
    deleteRole(id: $id, reassignToId: $reassignToId)
  }
`);

type Dialog = 'save' | 'reset' | 'clone' | 'rename' | 'delete' | null;

export function RoleEditor({
  role,
  roles,
  plan,
  onChanged,
}: {
  role: RoleRow;
  roles: RoleRow[];
  plan: string;
  onChanged: () => void;
}) {
  const s = useSession();
  const modules = s.data.organization.modules;
  const saved = useMemo(() => matrixOf(role.grants), [role.grants]);
  // null: no edits. The draft starts from every grant the role has, those of
  // disabled products included, so Save never drops what it does not show.
  const [draft, setDraft] = useState<Matrix | null>(null);
  const matrix = draft ?? saved;
  const changes = useMemo(() => diffMatrices(saved, matrix), [saved, matrix]);
  // What Save sends, and what its preview is asked about: the same value.
  const pending = useMemo(() => grantsOf(matrix), [matrix]);
  // Closed sections, so a module that comes back (its product enabled
  // again) opens like the rest.
  const [closed, setClosed] = useState<Set<string>>(() => new Set());
  const [filter, setFilter] = useState('');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [done, setDone] = useState<{ text: string; changes?: GrantChange[] } | null>(null);
  const [saveRes, save] = useMutation(SetRoleGrantsDocument);
  const [resetRes, reset] = useMutation(ResetRoleDocument);
  const preview = useRolePreview(role.id, pending, dialog !== 'save');
  // Reset shows what it will do before it does it: the role's saved grants
  // against its defaults, and what that does to people (the preview of
  // setting exactly those grants, which is what resetRole does).
  const defaults = useMemo(() => (role.defaultGrants ? matrixOf(role.defaultGrants) : null), [role.defaultGrants]);
  const resetTo = useMemo(() => (defaults ? grantsOf(defaults) : []), [defaults]);
  const resetChanges = useMemo(() => (defaults ? diffMatrices(saved, defaults) : []), [saved, defaults]);
  const resetPreview = useRolePreview(role.id, resetTo, dialog !== 'reset' || !defaults);
  const filterId = useId();
  const writeReasonId = useId();
  const canWrite = s.can('roles.write');
  const cloneBlock = customRoleBlock(plan, canWrite, s.reason('roles.write'));
  const deleteBlock = s.can('roles.delete') ? null : s.reason('roles.delete');

  const change = (permission: string, scope: ScopeName) => {
    const next = new Map(matrix);
    next.set(permission, scope);
    setDraft(diffMatrices(saved, next).length ? next : null);
    setDone(null);
  };
  const toggle = (key: string) => {
    const next = new Set(closed);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setClosed(next);
  };
  const pick = (key: string) => {
    const next = new Set(closed);
    next.delete(key);
    setClosed(next);
    requestAnimationFrame(() => {
      const el = document.getElementById(`module-${key}`);
      el?.scrollIntoView({ block: 'start' });
      el?.querySelector<HTMLButtonElement>('h3 button')?.focus();
    });
  };

  return (
    <section className="editor" aria-labelledby="role-title">
      <header className="editor-head">
        <div>
          <h2 id="role-title">
            {role.name} <span className="badge">{role.system ? 'system role' : 'custom role'}</span>
          </h2>
          <p className="muted">
            {role.description || 'No description.'} · {role.memberCount} {role.memberCount === 1 ? 'member' : 'members'}
          </p>
        </div>
      </header>
      <div className="toolbar" role="toolbar" aria-label="Role actions">
        <button
          type="button"
          className="primary"
          disabled={!canWrite || changes.length === 0}
          aria-describedby={!canWrite ? writeReasonId : undefined}
          onClick={() => setDialog('save')}
        >
          Save
        </button>
        <button type="button" disabled={!draft} onClick={() => setDraft(null)}>
          Discard changes
        </button>
        {role.system && (
          <button
            type="button"
            disabled={!canWrite}
            aria-describedby={!canWrite ? writeReasonId : undefined}
            onClick={() => setDialog('reset')}
          >
            Reset permissions
          </button>
        )}
        <button type="button" disabled={!!cloneBlock} title={cloneBlock ?? undefined} onClick={() => setDialog('clone')}>
          Clone role
        </button>
        <button type="button" disabled={!canWrite} onClick={() => setDialog('rename')}>
          Rename
        </button>
        {!role.system && (
          <button type="button" className="danger" disabled={!!deleteBlock} title={deleteBlock ?? undefined} onClick={() => setDialog('delete')}>
            Delete role
          </button>
        )}
      </div>
      {!canWrite && (
        <Reason id={writeReasonId}>
          Read-only: {s.reason('roles.write')} You can see this role's permissions but not change them.
        </Reason>
      )}
      {canWrite && cloneBlock && <Reason id={`${writeReasonId}-clone`}>Clone role: {cloneBlock}</Reason>}
      {changes.length > 0 && (
        <p className="pending" role="status">
          {changes.length} unsaved {changes.length === 1 ? 'change' : 'changes'}.
        </p>
      )}
      {done && (
        <div role="status" className="done">
          <p>{done.text}</p>
          {done.changes && <GrantDiff changes={done.changes} empty="No grant changed: the role already had its defaults." />}
        </div>
      )}
      <ErrorOf error={saveRes.error} title="Not saved." />
      <ErrorOf error={resetRes.error} title="Not reset." />

      <div className="matrix-tools">
        <div className="filter">
          <label htmlFor={filterId}>Filter permissions</label>
          <input
            id={filterId}
            type="search"
            value={filter}
            placeholder="e.g. download, interactions.read"
            onChange={(e) => setFilter(e.target.value)}
          />
        </div>
        <button type="button" onClick={() => setClosed(new Set())}>
          Expand all
        </button>
        <button type="button" onClick={() => setClosed(new Set(modules.map((m) => m.key)))}>
          Collapse all
        </button>
      </div>
      <div className="matrix">
        <ModulesNav modules={modules} matrix={matrix} onPick={pick} />
        <div className="modules">
          {modules.map((m) => (
            <ModuleSection
              key={m.key}
              module={m}
              open={!closed.has(m.key) || filter.trim() !== ''}
              onToggle={() => toggle(m.key)}
              matrix={matrix}
              saved={saved}
              filter={filter}
              readOnly={!canWrite}
              reasonId={writeReasonId}
              onChange={change}
            />
          ))}
          {modules.length === 0 && <p>No product is enabled: there are no modules to show.</p>}
        </div>
      </div>

      <Confirm
        open={dialog === 'save'}
        title={`Save changes to ${role.name}?`}
        confirmLabel="Save changes"
        busy={saveRes.fetching}
        confirmDisabled={!preview.ready}
        onCancel={() => setDialog(null)}
        onConfirm={async () => {
          const r = await save({ roleId: role.id, grants: pending });
          setDialog(null);
          if (r.data) {
            setDraft(null);
            setDone({ text: `Saved ${role.name}.`, changes });
            onChanged();
          }
        }}
      >
        <h3>Grant diff</h3>
        <p className="muted">This role's grants, saved → after saving.</p>
        <GrantDiff changes={changes} />
        <Impact preview={preview} />
      </Confirm>

      <Confirm
        open={dialog === 'reset'}
        title={`Reset ${role.name} to its default permissions?`}
        confirmLabel="Reset to defaults"
        danger
        busy={resetRes.fetching}
        confirmDisabled={!!defaults && !resetPreview.ready}
        onCancel={() => setDialog(null)}
        onConfirm={async () => {
          const before = saved;
          const r = await reset({ roleId: role.id });
          setDialog(null);
          if (r.data) {
            setDraft(null);
            setDone({ text: `Reset ${role.name} to its defaults. Grant diff:`, changes: diffMatrices(before, matrixOf(r.data.resetRole.grants)) });
            onChanged();
          }
        }}
      >
        <p>
          Every grant of {role.name} goes back to rolegraph's default and is saved at once; edits made to this role are
          lost{draft ? ', including your unsaved changes' : ''}.
        </p>
        <h3>Grant diff</h3>
        <p className="muted">This role's grants, saved → after the reset.</p>
        <GrantDiff changes={resetChanges} empty="No grant changes: the role already has its defaults." />
        {defaults && <Impact preview={resetPreview} />}
        <p className="muted">
          {role.memberCount === 1 ? '1 member holds' : `${role.memberCount} members hold`} this role; the change reaches
          them on their next request.
        </p>
      </Confirm>

      <CloneDialog open={dialog === 'clone'} role={role} onClose={() => setDialog(null)} onCreated={(id) => { onChanged(); go('roles', id); }} />
      <RenameDialog open={dialog === 'rename'} role={role} onClose={() => setDialog(null)} onDone={onChanged} />
      <DeleteDialog open={dialog === 'delete'} role={role} roles={roles} onClose={() => setDialog(null)} onDone={() => { onChanged(); go('roles'); }} />
    </section>
  );
}

function CloneDialog({ open, role, onClose, onCreated }: { open: boolean; role: RoleRow; onClose: () => void; onCreated: (id: string) => void }) {
  const [name, setName] = useState(`Copy of ${role.name}`);
  const [res, clone] = useMutation(CloneRoleDocument);
  const id = useId();
  return (
    <Confirm
      open={open}
      title={`Clone ${role.name}`}
      confirmLabel="Create clone"
      busy={res.fetching}
      confirmDisabled={!name.trim()}
      onCancel={onClose}
      onConfirm={async () => {
        const r = await clone({ input: { name: name.trim(), cloneFromId: role.id } });
        if (r.data) {
          onClose();
          onCreated(r.data.createRole.id);
        }
      }}
    >
      <label htmlFor={id}>Name of the new role</label>
      <input id={id} value={name} onChange={(e) => setName(e.target.value)} />
      <p className="muted">The new custom role starts with {role.name}'s grants.</p>
      <ErrorOf error={res.error} title="The role was not cloned." />
    </Confirm>
  );
}

function RenameDialog({ open, role, onClose, onDone }: { open: boolean; role: RoleRow; onClose: () => void; onDone: () => void }) {
  const [name, setName] = useState(role.name);
  const [description, setDescription] = useState(role.description);
  const [res, update] = useMutation(UpdateRoleDocument);
  const nameId = useId();
  const descId = useId();
  return (
    <Confirm
      open={open}
      title={`Rename ${role.name}`}
      confirmLabel="Save name"
      busy={res.fetching}
      confirmDisabled={!name.trim()}
      onCancel={onClose}
      onConfirm={async () => {
        const r = await update({ id: role.id, name: name.trim(), description });
        if (r.data) {
          onClose();
          onDone();
        }
      }}
    >
      <label htmlFor={nameId}>Name</label>
      <input id={nameId} value={name} onChange={(e) => setName(e.target.value)} />
      <label htmlFor={descId}>Description</label>
      <input id={descId} value={description} onChange={(e) => setDescription(e.target.value)} />
      <ErrorOf error={res.error} title="Not renamed." />
    </Confirm>
  );
}

function DeleteDialog({ open, role, roles, onClose, onDone }: { open: boolean; role: RoleRow; roles: RoleRow[]; onClose: () => void; onDone: () => void }) {
  const others = roles.filter((r) => r.id !== role.id && r.key !== 'owner');
  const [to, setTo] = useState('');
  const [res, del] = useMutation(DeleteRoleDocument);
  const id = useId();
  const needsTarget = role.memberCount > 0;
  return (
    <Confirm
      open={open}
      title={`Delete ${role.name}?`}
      confirmLabel="Delete role"
      danger
      busy={res.fetching}
      confirmDisabled={needsTarget && !to}
      onCancel={onClose}
      onConfirm={async () => {
        const r = await del({ id: role.id, reassignToId: to || undefined });
        if (r.data) {
          onClose();
          onDone();
        }
      }}
    >
      {needsTarget ? (
        <>
          <p>
            {role.memberCount} {role.memberCount === 1 ? 'member holds' : 'members hold'} this role. Choose the role they
            move to.
          </p>
          <label htmlFor={id}>Move its members to</label>
          <select id={id} value={to} onChange={(e) => setTo(e.target.value)}>
            <option value="">Choose a role…</option>
            {others.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </>
      ) : (
        <p>No member holds this role.</p>
      )}
      <ErrorOf error={res.error} title="Not deleted." />
    </Confirm>
  );
}

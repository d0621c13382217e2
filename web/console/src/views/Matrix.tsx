// One role's matrix: the modules of enabled products, each a section that
// opens and closes, an action per row with a radio group named by its
// permission key holding only the scopes the action supports.
import * as RadioGroup from '@radix-ui/react-radio-group';
import { useId } from 'react';
import type { SessionQuery } from '../gql/graphql';
import { seatName } from '../lib/names';
import { scopeIn, scopeLabel, type Matrix as M, type ScopeName } from '../lib/grants';

export type Module = SessionQuery['organization']['modules'][number];
type Action = Module['actions'][number];


export function matches(filter: string, m: Module, a: Action): boolean {
  const f = filter.trim().toLowerCase();
  return !f || `${m.name} ${a.name} ${a.permission}`.toLowerCase().includes(f);
}

export function ModulesNav({
  modules,
  matrix,
  onPick,
}: {
  modules: Module[];
  matrix: M;
  onPick: (key: string) => void;
}) {
  return (
    <nav aria-label="Modules" className="modules-nav">
      <ul>
        {modules.map((m) => {
          const on = m.actions.filter((a) => scopeIn(matrix, a.permission) !== 'DISABLED').length;
          return (
            <li key={m.key}>
              <button type="button" onClick={() => onPick(m.key)}>
                <span>{m.name}</span>
                <span className="count">
                  {on}/{m.actions.length}
                  <span className="sr-only"> granted</span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

export function ModuleSection({
  module: m,
  open,
  onToggle,
  matrix,
  saved,
  filter,
  readOnly,
  reasonId,
  onChange,
}: {
  module: Module;
  open: boolean;
  onToggle: () => void;
  matrix: M;
  saved: M;
  filter: string;
  readOnly: boolean;
  reasonId?: string;
  onChange: (permission: string, scope: ScopeName) => void;
}) {
  const bodyId = useId();
  const actions = m.actions.filter((a) => matches(filter, m, a));
  if (actions.length === 0) return null;
  return (
    <section className="module" id={`module-${m.key}`} aria-labelledby={`${bodyId}-h`}>
      <h3 id={`${bodyId}-h`}>
        <button type="button" aria-expanded={open} aria-controls={bodyId} onClick={onToggle} className="disclosure">
          <span aria-hidden="true" className="chevron">
            {open ? '▾' : '▸'}
          </span>
          {m.name}
          {m.product && <span className="badge">{m.product.replace('_', ' ').toLowerCase()}</span>}
        </button>
      </h3>
      <div id={bodyId} hidden={!open} className="actions-list">
        {actions.map((a) => (
          <ActionRow
            key={a.permission}
            action={a}
            value={scopeIn(matrix, a.permission)}
            was={scopeIn(saved, a.permission)}
            readOnly={readOnly}
            reasonId={reasonId}
            onChange={(s) => onChange(a.permission, s)}
          />
        ))}
      </div>
    </section>
  );
}

function ActionRow({
  action: a,
  value,
  was,
  readOnly,
  reasonId,
  onChange,
}: {
  action: Action;
  value: ScopeName;
  was: ScopeName;
  readOnly: boolean;
  reasonId?: string;
  onChange: (s: ScopeName) => void;
}) {
  const id = useId();
  const options: ScopeName[] = ['DISABLED', ...(a.scopes.filter((s) => s !== 'DISABLED') as ScopeName[])];
  const changed = value !== was;
  return (
    <div className={changed ? 'action changed' : 'action'}>
      <div className="action-name">
        <span>{a.name}</span>
        <code>{a.permission}</code>
        {a.seat && (
          <span className="badge seat" title={`Needs a ${seatName(a.seat)} seat: denied without one, whatever the role says`}>
            Needs {seatName(a.seat)} seat
          </span>
        )}
        {changed && <span className="badge changed-badge">changed from {scopeLabel[was]}</span>}
      </div>
      <RadioGroup.Root
        className="scopes"
        aria-label={a.permission}
        aria-describedby={readOnly ? reasonId : undefined}
        value={value}
        disabled={readOnly}
        onValueChange={(v) => onChange(v as ScopeName)}
        loop
      >
        {options.map((s) => (
          <div key={s} className="scope">
            <RadioGroup.Item value={s} id={`${id}-${s}`} className={`radio scope-${s.toLowerCase()}`}>
              <RadioGroup.Indicator className="dot" />
            </RadioGroup.Item>
            <label htmlFor={`${id}-${s}`}>{scopeLabel[s]}</label>
          </div>
        ))}
      </RadioGroup.Root>
    </div>
  );
}

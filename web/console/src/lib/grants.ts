// A role's matrix on the client: the map permission → scope the editor
// changes, and the grant diff between two matrices (what Save and Reset
// show). The diff is computed from the role's own grants only: who gains
// or loses what needs the API's preview operations (see preview.ts).

export type ScopeName = 'DISABLED' | 'OWN' | 'TEAM' | 'ALL';

export interface GrantLike {
  permission: string;
  scope: ScopeName;
}

export type Matrix = Map<string, ScopeName>;

export const scopeLabel: Record<ScopeName, string> = {
  DISABLED: 'Disabled',
  OWN: 'Own',
  TEAM: 'Team',
  ALL: 'All',
};

const order: ScopeName[] = ['DISABLED', 'OWN', 'TEAM', 'ALL'];

export function matrixOf(grants: readonly GrantLike[]): Matrix {
  const m: Matrix = new Map();
  for (const g of grants) if (g.scope !== 'DISABLED') m.set(g.permission, g.scope);
  return m;
}

export function scopeIn(m: Matrix, permission: string): ScopeName {
  return m.get(permission) ?? 'DISABLED';
}

/** The grants to send: every non-DISABLED entry, sorted for a stable request. */
export function grantsOf(m: Matrix): GrantLike[] {
  return [...m.entries()]
    .filter(([, s]) => s !== 'DISABLED')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([permission, scope]) => ({ permission, scope }));
}

export interface GrantChange {
  permission: string;
  from: ScopeName;
  to: ScopeName;
}

/** Every permission whose scope differs between before and after. */
export function diffMatrices(before: Matrix, after: Matrix): GrantChange[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  const out: GrantChange[] = [];
  for (const permission of keys) {
    const from = scopeIn(before, permission);
    const to = scopeIn(after, permission);
    if (from !== to) out.push({ permission, from, to });
  }
  return out.sort((a, b) => a.permission.localeCompare(b.permission));
}

/** Wider or narrower, for the diff's wording. */
export function widens(c: GrantChange): boolean {
  return order.indexOf(c.to) > order.indexOf(c.from);
}

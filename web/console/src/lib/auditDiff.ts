// The audit log keeps before/after as JSON. A person reads them as the
// fields that changed: nested objects flatten to dotted paths, and a list
// of grants ({permission, scope}) reads as one line per permission.

export interface FieldChange {
  path: string;
  before: string;
  after: string;
}

type Flat = Map<string, string>;

function isGrantList(v: unknown): v is { permission: string; scope: string }[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => x && typeof x === 'object' && 'permission' in x && 'scope' in x);
}

function flatten(v: unknown, path: string, out: Flat): void {
  if (isGrantList(v)) {
    for (const g of v) out.set(`${path}${path ? '.' : ''}${g.permission}`, g.scope);
    return;
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) out.set(path, '{}');
    for (const [k, x] of entries) flatten(x, path ? `${path}.${k}` : k, out);
    return;
  }
  if (Array.isArray(v)) {
    out.set(path, v.length === 0 ? '(none)' : v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', '));
    return;
  }
  out.set(path, v === null || v === undefined || v === '' ? '(none)' : String(v));
}

function parse(json: string | null | undefined): Flat {
  const out: Flat = new Map();
  if (!json) return out;
  try {
    flatten(JSON.parse(json), '', out);
  } catch {
    out.set('value', json); // not JSON: show it as it is
  }
  return out;
}

export function auditChanges(before: string | null | undefined, after: string | null | undefined): FieldChange[] {
  const b = parse(before);
  const a = parse(after);
  const keys = [...new Set([...b.keys(), ...a.keys()])].sort();
  const out: FieldChange[] = [];
  for (const k of keys) {
    const x = b.get(k) ?? '—';
    const y = a.get(k) ?? '—';
    if (x !== y) out.push({ path: k || 'value', before: x, after: y });
  }
  return out;
}

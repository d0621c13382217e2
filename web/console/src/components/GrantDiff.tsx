import { scopeLabel, widens, type GrantChange } from '../lib/grants';

/** A role's grant diff: one line per permission whose scope changes. */
export function GrantDiff({ changes, empty }: { changes: GrantChange[]; empty?: string }) {
  if (changes.length === 0) return <p className="muted">{empty ?? 'No changes.'}</p>;
  return (
    <ul className="grant-diff" aria-label="Grant diff">
      {changes.map((c) => (
        <li key={c.permission} className={widens(c) ? 'wider' : 'narrower'}>
          <code>{c.permission}</code>: {scopeLabel[c.from]} → {scopeLabel[c.to]}
          <span className="sr-only">{widens(c) ? ' (wider)' : ' (narrower)'}</span>
        </li>
      ))}
    </ul>
  );
}

// Every request has a visible loading state and a visible error state, with
// the API's own message and code.
import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { apiErrors, type ApiError } from '../lib/errors';

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="loading">
      Loading {what}…
    </p>
  );
}

export function Errors({ errors, title }: { errors: ApiError[]; title?: string }) {
  if (errors.length === 0) return null;
  return (
    <div role="alert" className="error">
      {title && <strong>{title}</strong>}
      <ul>
        {errors.map((e, i) => (
          <li key={i}>
            {e.message} <code>{e.code}</code>
            {e.permission && <> (needs <code>{e.permission}</code>)</>}
            {e.field && <> (field <code>{e.field}</code>)</>}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ErrorOf({ error, title }: { error?: CombinedError; title?: string }) {
  if (!error) return null;
  return <Errors errors={apiErrors(error)} title={title} />;
}

/** Renders children once data is there; loading and errors otherwise. */
export function QueryState<T>({
  result,
  what,
  children,
}: {
  result: { fetching: boolean; error?: CombinedError; data?: T };
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (result.error && !result.data) return <ErrorOf error={result.error} title={`Could not load ${what}.`} />;
  if (!result.data) return <Loading what={what} />;
  return (
    <>
      <ErrorOf error={result.error} title={`Could not refresh ${what}.`} />
      {children(result.data)}
    </>
  );
}

/** The reason a control is disabled, tied to it with aria-describedby. */
export function Reason({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="reason">
      {children}
    </p>
  );
}

import { useEffect, useId, useState } from 'react';
import { loadSignInMethods, type SignInMethods } from '../lib/auth';
import { finishOidcSignIn, isOidcCallback, startOidcSignIn } from '../lib/oidc';

export function SignIn({
  onToken,
  expired,
  onRestart,
}: {
  onToken: (token: string) => void;
  expired?: boolean;
  onRestart?: () => void;
}) {
  if (expired) {
    return (
      <main className="signin" aria-labelledby="signin-title">
        <h1 id="signin-title">Signed out</h1>
        <p role="alert" className="error">
          The server no longer accepts this session's token <code>UNAUTHENTICATED</code>: sign in again.
        </p>
        <button type="button" className="primary" onClick={onRestart}>
          Sign in again
        </button>
      </main>
    );
  }
  return <SignInPage onToken={onToken} />;
}

function SignInPage({ onToken }: { onToken: (token: string) => void }) {
  const [methods, setMethods] = useState<SignInMethods | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  // Coming back from the identity provider: finish that sign-in first.
  const [returning, setReturning] = useState(isOidcCallback);
  const [oidcError, setOidcError] = useState<string | null>(null);
  useEffect(() => {
    if (!returning) return;
    finishOidcSignIn().then(onToken, (e: Error) => {
      setOidcError(e.message);
      setReturning(false);
    });
  }, [returning, onToken]);
  const [pasted, setPasted] = useState('');
  const tokenId = useId();
  useEffect(() => {
    let live = true;
    loadSignInMethods().then(
      (m) => live && setMethods(m),
      (e: Error) => live && setLoadError(e.message),
    );
    return () => {
      live = false;
    };
  }, []);
  return (
    <main className="signin" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to the rolegraph console</h1>
      {returning && (
        <p role="status" className="loading">
          Signing in with your identity provider…
        </p>
      )}
      {oidcError && (
        <p role="alert" className="error">
          Sign-in with the identity provider failed: {oidcError} <code>UNAUTHENTICATED</code>
        </p>
      )}
      {!methods && !loadError && (
        <p role="status" className="loading">
          Loading sign-in options…
        </p>
      )}
      {loadError && (
        <p role="alert" className="error">
          Could not ask the server how to sign in: {loadError} <code>NETWORK</code>
        </p>
      )}
      {methods?.oidc && (
        <section aria-labelledby="oidc-title">
          <h2 id="oidc-title">Single sign-on</h2>
          <p className="muted">
            Sign in at <code>{methods.oidc.issuer}</code>; you come back here signed in.
          </p>
          <button type="button" className="primary" disabled={returning} onClick={() => methods.oidc && void startOidcSignIn(methods.oidc)}>
            Sign in with your identity provider
          </button>
        </section>
      )}
      {methods?.demo && (
        <section aria-labelledby="demo-title">
          <h2 id="demo-title">Demo members</h2>
          <p className="muted">This server runs with --demo: sign in as one of its members.</p>
          <ul className="demo-list">
            {methods.demo.map((m) => (
              <li key={m.email}>
                <button type="button" onClick={() => onToken(m.token)}>
                  <span>
                    Sign in as <strong>{m.email}</strong>
                  </span>
                  <span className="muted">
                    {m.role} — {m.note}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {/* Shown with the demo list, not before it: a list arriving above the
          field would move it from under the pointer. */}
      {(methods || loadError) && (
      <section aria-labelledby="token-title">
        <h2 id="token-title">Sign in with a token</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const t = pasted.trim().replace(/^Bearer\s+/i, '');
            if (t) onToken(t);
          }}
        >
          <label htmlFor={tokenId}>Bearer token</label>
          <textarea
            id={tokenId}
            rows={3}
            value={pasted}
            onChange={(e) => setPasted(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
          <p className="muted">Kept only in this browser tab (sessionStorage).</p>
          <button type="submit" className="primary" disabled={!pasted.trim()}>
            Sign in
          </button>
        </form>
      </section>
      )}
    </main>
  );
}

import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { Client, Provider, cacheExchange, fetchExchange, useQuery } from 'urql';
import { loadExplorePermission, loadToken, saveToken } from './lib/auth';
import { expiresAt, forgetIssuerSession, issuerSignOutUrl, renewOidcToken } from './lib/oidc';
import { isUnauthenticated } from './lib/errors';
import { href, useRoute } from './lib/route';
import { SessionContext, SessionDocument, makeSession, useSession, type Permission, type Session } from './session';
import { QueryState } from './components/State';
import { SignIn } from './views/SignIn';
import { Roles } from './views/Roles';
import { Members } from './views/Members';
import { MemberPage } from './views/MemberPage';
import { Teams } from './views/Teams';
import { Licences } from './views/Licences';
import { Guests } from './views/Guests';
import { Products } from './views/Products';
import { AuditLog } from './views/AuditLog';

function client(bearer: () => string): Client {
  return new Client({
    url: '/graphql',
    exchanges: [cacheExchange, fetchExchange],
    // Every view shows what the server says now; the document cache only
    // avoids a blank screen while it answers.
    requestPolicy: 'cache-and-network',
    // Read at each request: a renewed token is used without starting the
    // console over.
    fetchOptions: () => ({ headers: { Authorization: `Bearer ${bearer()}` } }),
    preferGetMethod: false,
  });
}

export function App() {
  // token is the sign-in (a new one starts the console over); bearer is
  // what requests carry, renewed in place before it expires.
  const [token, setToken] = useState<string | null>(loadToken);
  const bearer = useRef(token);
  const signIn = useCallback((t: string) => {
    saveToken(t);
    bearer.current = t;
    setToken(t);
  }, []);
  // Signing out forgets the token and, after an OIDC sign-in, ends the
  // issuer's session (the issuer sends the browser back here).
  const signOut = useCallback(() => {
    saveToken(null);
    bearer.current = null;
    const u = issuerSignOutUrl();
    if (u) location.assign(u);
    else setToken(null);
  }, []);
  // A token the server stopped accepting: start again, but keep the
  // issuer's session so signing in again asks nothing.
  const restart = useCallback(() => {
    saveToken(null);
    bearer.current = null;
    forgetIssuerSession();
    setToken(null);
  }, []);
  useRenewal(token, bearer);
  const c = useMemo(() => (token ? client(() => bearer.current ?? '') : null), [token]);
  if (!token || !c) return <SignIn onToken={signIn} />;
  return (
    <Provider value={c} key={token}>
      <Signed signOut={signOut} restart={restart} />
    </Provider>
  );
}

/**
 * Renews an issuer sign-in's token before it expires: a minute before, or
 * halfway through a shorter lifetime, never sooner than 5 s apart.
 */
function useRenewal(signedIn: string | null, bearer: RefObject<string | null>) {
  useEffect(() => {
    if (!signedIn) return;
    let live = true;
    let timer: number | undefined;
    const schedule = () => {
      const t = bearer.current;
      const exp = t ? expiresAt(t) : null;
      if (!t || !exp) return;
      const left = exp - Date.now();
      // At most 2^31-1 ms: setTimeout fires at once past that (24.8 days).
      const wait = Math.min(2_147_483_647, Math.max(5_000, left - Math.min(60_000, left / 2)));
      timer = window.setTimeout(async () => {
        const next = await renewOidcToken(t);
        if (!live || !next || bearer.current !== t) return;
        bearer.current = next;
        saveToken(next);
        schedule();
      }, wait);
    };
    schedule();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [signedIn, bearer]);
}

function Signed({ signOut, restart }: { signOut: () => void; restart: () => void }) {
  const [result] = useQuery({ query: SessionDocument });
  if (isUnauthenticated(result.error)) {
    return <SignIn onToken={() => undefined} expired onRestart={restart} />;
  }
  return (
    <QueryState result={result} what="your organization">
      {(data) => (
        <SessionContext.Provider value={makeSession(data, signOut)}>
          <Shell />
        </SessionContext.Provider>
      )}
    </QueryState>
  );
}

interface View {
  path: string;
  label: string;
  /** Any one of these opens the view (the API's own rule for its query). */
  needs?: Permission[];
}

const views: View[] = [
  { path: 'roles', label: 'Roles', needs: ['roles.read'] },
  { path: 'members', label: 'Members', needs: ['members.read'] },
  { path: 'teams', label: 'Teams', needs: ['teams.read'] },
  { path: 'licences', label: 'Licences', needs: ['seats.read', 'members.read'] },
  { path: 'guests', label: 'Guests', needs: ['guests.write'] },
  { path: 'products', label: 'Products' },
  { path: 'audit', label: 'Audit log', needs: ['audit_log.read'] },
];

/** Why the member cannot open a view, or null when they can. */
function blocked(s: Session, v: View): string | null {
  if (!v.needs || v.needs.some((p) => s.can(p))) return null;
  return v.needs.map((p) => s.reason(p)).join(' ');
}

/**
 * The GraphiQL link, locked like a view (with the reason) when this server
 * gates its schema (--production: api.explore) and the member may not see
 * it: GraphiQL would open, but refuse to load the schema.
 */
function GraphiQLLink() {
  const s = useSession();
  // undefined until the server said (its answer also marks the link, for tests).
  const [needs, setNeeds] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    loadExplorePermission().then(
      (p) => live && setNeeds(p),
      () => undefined, // unknown: the link stays as it is
    );
    return () => {
      live = false;
    };
  }, []);
  const locked = needs === 'api.explore' && !s.can('api.explore') ? s.reason('api.explore') : null;
  return (
    <a
      href="/graphiql"
      className={locked ? 'graphiql-link locked' : 'graphiql-link'}
      title={locked ?? undefined}
      data-explore-permission={needs === undefined ? undefined : (needs ?? 'none')}
    >
      GraphiQL
      {locked && <LockIcon />}
    </a>
  );
}

function LockIcon() {
  return (
    <svg aria-hidden="true" className="lock" viewBox="0 0 16 16" width="12" height="12">
      <rect x="3" y="7" width="10" height="8" rx="1.5" fill="currentColor" />
      <path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" strokeWidth="1.6" />
    </svg>
  );
}

function Shell() {
  const s = useSession();
  const route = useRoute();
  const current = views.find((v) => v.path === route[0]) ?? views[0];
  const { viewer, organization } = s.data;
  return (
    <div className="shell">
      <header className="top">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ◆
          </span>
          <span>
            <strong>{organization.name}</strong> <span className="muted">· {organization.plan} plan</span>
          </span>
        </div>
        <div className="who">
          <span>
            {viewer.name} <span className="muted">({viewer.email})</span>
          </span>
          {/* GraphiQL signs in on its own (the same ways as here). */}
          <GraphiQLLink />
          <button type="button" onClick={s.signOut}>
            Sign out
          </button>
        </div>
      </header>
      <nav aria-label="Console" className="views">
        <ul>
          {views.map((v) => {
            const locked = blocked(s, v);
            return (
              <li key={v.path}>
                <a
                  href={href(v.path)}
                  aria-current={v === current ? 'page' : undefined}
                  title={locked ?? undefined}
                  className={locked ? 'locked' : undefined}
                >
                  {v.label}
                  {locked && <LockIcon />}
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
      <main className="view" aria-label={current.label}>
        <ViewBody view={current} route={route} />
      </main>
    </div>
  );
}

function ViewBody({ view, route }: { view: View; route: string[] }) {
  const s = useSession();
  const locked = blocked(s, view);
  if (locked) {
    return (
      <section>
        <h1>{view.label}</h1>
        <p role="note" className="reason">
          You cannot open {view.label.toLowerCase()}: {locked}
        </p>
      </section>
    );
  }
  switch (view.path) {
    case 'roles':
      return <Roles roleId={route[1]} />;
    case 'members':
      return route[1] ? <MemberPage memberId={route[1]} /> : <Members />;
    case 'teams':
      return <Teams />;
    case 'licences':
      return <Licences />;
    case 'guests':
      return <Guests />;
    case 'products':
      return <Products />;
    case 'audit':
      return <AuditLog />;
  }
  return null;
}

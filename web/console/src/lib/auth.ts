import type { OidcConfig } from './oidc';

// Who the console speaks as. The bearer token lives only in this tab's
// sessionStorage (and memory): closing the tab signs out, and no other
// site or tab can read it.

const KEY = 'rolegraph.console.token';

export function loadToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null; // storage disabled: memory only
  }
}

export function saveToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(KEY, token);
    else sessionStorage.removeItem(KEY);
  } catch {
    // storage disabled: the token stays in memory for this page only
  }
}

/** One demo member the server offers to sign in as (`--demo` only). */
export interface DemoMember {
  label: string;
  role: string;
  email: string;
  note: string;
  token: string;
}

/**
 * The ways to sign in this server offers (/console/sign-in): demo members
 * (with `--demo`), the OIDC issuer (with `--oidc-issuer` and
 * `--oidc-client-id`); a pasted token always works.
 */
export interface SignInMethods {
  demo: DemoMember[] | null;
  oidc: OidcConfig | null;
  /** What GraphiQL's schema needs on this server (with --production), or null. */
  explorePermission: string | null;
}

export async function loadSignInMethods(): Promise<SignInMethods> {
  const res = await fetch('/console/sign-in', { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`the server answered ${res.status} for its sign-in methods`);
  const m = (await res.json()) as { demo: boolean; oidc: OidcConfig | null; explorePermission?: string | null };
  let demo: DemoMember[] | null = null;
  if (m.demo) {
    const d = await fetch('/console/demo-members', { headers: { Accept: 'application/json' } });
    if (!d.ok) throw new Error(`the server answered ${d.status} for its demo members`);
    demo = ((await d.json()) as { members: DemoMember[] }).members;
  }
  return { demo, oidc: m.oidc, explorePermission: m.explorePermission ?? null };
}

/** What GraphiQL's schema needs on this server: a permission, or null. */
export async function loadExplorePermission(): Promise<string | null> {
  const res = await fetch('/console/sign-in', { headers: { Accept: 'application/json' } });
  if (!res.ok) return null;
  return (((await res.json()) as { explorePermission?: string | null }).explorePermission ?? null);
}

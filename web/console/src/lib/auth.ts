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
 * The ways to sign in this server offers. Today: demo members (with
 * `--demo`) or a pasted token. OIDC (authorization code + PKCE against
 * `--oidc-issuer`) plugs in here: the server would announce the issuer and
 * client id beside the demo members, and SignIn renders a button for it.
 */
export interface SignInMethods {
  demo: DemoMember[] | null;
  oidc: null; // not offered by the server yet
}

export async function loadSignInMethods(): Promise<SignInMethods> {
  const res = await fetch('/console/demo-members', { headers: { Accept: 'application/json' } });
  if (res.status === 404) return { demo: null, oidc: null };
  if (!res.ok) throw new Error(`the server answered ${res.status} for its demo members`);
  const body = (await res.json()) as { members: DemoMember[] };
  return { demo: body.members, oidc: null };
}

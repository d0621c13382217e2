// Sign-in at the OpenID Connect issuer (--oidc-issuer, --oidc-client-id):
// authorization code with PKCE (RFC 7636, S256), as a public client. The
// browser goes to the issuer's authorization endpoint, comes back to
// /console/ with ?code&state, and trades the code and its verifier for a
// token at the token endpoint. The verifier, state and nonce live in this
// tab's sessionStorage for the round trip only; the token is kept like any
// other sign-in (lib/auth.ts). Nothing here is a secret the server holds.
// The token is renewed before it expires with the refresh token the issuer
// gave (when it gave one), so an admin is not signed out every time the
// issuer's access token lifetime (often 5 minutes) runs out.
// Signing out ends the issuer's session too when the issuer has an
// end_session_endpoint (OpenID Connect RP-Initiated Logout 1.0): without
// that, the next "Sign in" on a shared computer would go straight through
// as the last person, with no password asked.

/** What the server announces at /console/sign-in under "oidc". */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** The issuer's end_session_endpoint; absent when it has none. */
  endSessionEndpoint?: string;
  scope: string;
}

interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  tokenEndpoint: string;
  clientId: string;
  endSessionEndpoint?: string;
  hash: string;
}

const PENDING = 'rolegraph.console.oidc';

/**
 * What the tab keeps of an issuer sign-in while it lasts: the refresh
 * token that renews the bearer token before it expires, and what signing
 * out at the issuer needs.
 */
interface IssuerSession {
  /** The bearer token last issued: renewal replaces that one only. */
  token: string;
  tokenEndpoint: string;
  clientId: string;
  refreshToken?: string;
  endSessionEndpoint?: string;
  idToken?: string;
}

const ISSUER_SESSION = 'rolegraph.console.oidc.session';

function b64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function random(n = 32): string {
  return b64url(crypto.getRandomValues(new Uint8Array(n)));
}

async function challenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return b64url(new Uint8Array(digest));
}

/**
 * Where the issuer sends the browser back: the console's page, spelled one
 * way (the issuer compares redirect URIs exactly), without query or hash.
 */
function redirectUri(): string {
  return location.origin + '/console/';
}

/** Leaves for the issuer's authorization endpoint. */
export async function startOidcSignIn(c: OidcConfig): Promise<void> {
  const p: Pending = {
    state: random(),
    nonce: random(),
    verifier: random(48),
    redirectUri: redirectUri(),
    tokenEndpoint: c.tokenEndpoint,
    clientId: c.clientId,
    endSessionEndpoint: c.endSessionEndpoint,
    hash: location.hash,
  };
  sessionStorage.setItem(PENDING, JSON.stringify(p));
  const u = new URL(c.authorizationEndpoint);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('client_id', c.clientId);
  u.searchParams.set('redirect_uri', p.redirectUri);
  u.searchParams.set('scope', c.scope);
  u.searchParams.set('state', p.state);
  u.searchParams.set('nonce', p.nonce);
  u.searchParams.set('code_challenge', await challenge(p.verifier));
  u.searchParams.set('code_challenge_method', 'S256');
  location.assign(u.toString());
}

/** True when this page load is the issuer sending the browser back. */
export function isOidcCallback(): boolean {
  const q = new URLSearchParams(location.search);
  return (q.has('code') || q.has('error')) && q.has('state');
}

function claims(jwt: string): Record<string, unknown> | null {
  const parts = jwt.split('.');
  if (parts.length !== 3) return null;
  try {
    return JSON.parse(atob(parts[1].replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/**
 * Finishes a sign-in the issuer sent back: checks state (and the id
 * token's nonce), trades the code, and returns the bearer token for
 * /graphql — the access token when it is a JWT, else the id token. The
 * server verifies whichever it is (signature, iss, aud); the checks here
 * only keep this tab from accepting a sign-in it did not start.
 */
export function finishOidcSignIn(): Promise<string> {
  // Once per page load, however often a component asks.
  finishing ??= finish();
  return finishing;
}

let finishing: Promise<string> | null = null;

async function finish(): Promise<string> {
  const q = new URLSearchParams(location.search);
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  const p = raw ? (JSON.parse(raw) as Pending) : null;
  // The code is single-use: take it out of the address bar whatever happens.
  history.replaceState(null, '', (p?.redirectUri ?? redirectUri()) + (p?.hash ?? ''));
  if (!p || q.get('state') !== p.state) throw new Error('this sign-in was not started in this tab (state mismatch): sign in again');
  if (q.has('error')) throw new Error(`the identity provider refused: ${q.get('error_description') || q.get('error')}`);
  const res = await fetch(p.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: q.get('code') ?? '',
      redirect_uri: p.redirectUri,
      client_id: p.clientId,
      code_verifier: p.verifier,
    }),
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, string>;
  if (!res.ok) throw new Error(`the identity provider's token endpoint answered ${res.status}: ${body.error_description || body.error || ''}`);
  const id = body.id_token ? claims(body.id_token) : null;
  if (id && id.nonce !== undefined && id.nonce !== p.nonce) throw new Error('the id token was not issued for this sign-in (nonce mismatch)');
  const token = bearerOf(body);
  if (!token) throw new Error('the identity provider returned no token rolegraph can verify');
  keepIssuerSession({
    token,
    tokenEndpoint: p.tokenEndpoint,
    clientId: p.clientId,
    refreshToken: body.refresh_token,
    endSessionEndpoint: p.endSessionEndpoint,
    idToken: body.id_token,
  });
  return token;
}

function keepIssuerSession(s: IssuerSession): void {
  try {
    sessionStorage.setItem(ISSUER_SESSION, JSON.stringify(s));
  } catch {
    // storage disabled: no renewal, and sign-out only forgets the token
  }
}

function issuerSession(): IssuerSession | null {
  try {
    const raw = sessionStorage.getItem(ISSUER_SESSION);
    return raw ? (JSON.parse(raw) as IssuerSession) : null;
  } catch {
    return null;
  }
}

/** The bearer token to send: the access token when it is a JWT, else the id token. */
function bearerOf(body: Record<string, string>): string | undefined {
  return body.access_token && claims(body.access_token) ? body.access_token : body.id_token;
}

/** When a JWT expires (ms since the epoch); null when it says nothing. */
export function expiresAt(jwt: string): number | null {
  const exp = claims(jwt)?.exp;
  return typeof exp === 'number' ? exp * 1000 : null;
}

let renewing: Promise<string | null> | null = null;

/**
 * Renews current, the bearer token of this tab's issuer sign-in, with the
 * refresh token the issuer gave (grant_type=refresh_token at the token
 * endpoint, as a public client); null when current came another way
 * (demo, pasted), there is no refresh token, or the issuer refused it
 * (then the next refused request asks to sign in again). One at a time.
 */
export function renewOidcToken(current: string): Promise<string | null> {
  renewing ??= renew(current).finally(() => {
    renewing = null;
  });
  return renewing;
}

async function renew(current: string): Promise<string | null> {
  const s = issuerSession();
  if (!s?.refreshToken || s.token !== current) return null;
  let res: Response;
  try {
    res = await fetch(s.tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: s.refreshToken, client_id: s.clientId }),
    });
  } catch {
    return null; // offline: the token still works until it expires
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, string>;
  const token = res.ok ? bearerOf(body) : undefined;
  if (!token) {
    // Refused (revoked, session ended): renewing again would be refused too.
    keepIssuerSession({ ...s, refreshToken: undefined });
    return null;
  }
  // Issuers that rotate refresh tokens send a new one each time.
  keepIssuerSession({ ...s, token, refreshToken: body.refresh_token || s.refreshToken, idToken: body.id_token || s.idToken });
  return token;
}

/** Forgets the issuer session this tab signed in with, if any. */
export function forgetIssuerSession(): void {
  try {
    sessionStorage.removeItem(ISSUER_SESSION);
  } catch {
    // storage disabled: nothing was kept
  }
}

/**
 * Where to send the browser so the issuer ends the session this tab signed
 * in with, and sends it back to the console signed out; null when the tab
 * did not sign in at an issuer that can end sessions. Forgets the session
 * either way: a sign-out is asked once.
 */
export function issuerSignOutUrl(): string | null {
  const s = issuerSession();
  forgetIssuerSession();
  if (!s?.endSessionEndpoint || !s.idToken) return null;
  const u = new URL(s.endSessionEndpoint);
  u.searchParams.set('id_token_hint', s.idToken);
  u.searchParams.set('client_id', s.clientId);
  u.searchParams.set('post_logout_redirect_uri', redirectUri());
  return u.toString();
}

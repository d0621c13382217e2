package web

import (
	"html/template"
)

// ExampleQuery is the query GraphiQL opens with: README.md's "Try it"
// example (a test keeps the two the same), so a newcomer runs something
// meaningful instead of reading GraphiQL's generic welcome.
const ExampleQuery = `{
  viewer { name roles { name } grants { permission scope } }
  interactions(first: 5) {
    totalCount
    edges { node { title owner { name } team { name } viewerCan { read write delete download } } }
  }
  can(permission: "interactions.download")
}
`

// DemoMembersPath is where the server lists the demo members and their
// tokens with --demo (404 otherwise). GraphiQL's sign-in bar and the
// console both read it.
const DemoMembersPath = "/console/demo-members"

// SignInPath is where the server says how to sign in: {"demo": bool,
// "oidc": null | {issuer, clientId, authorizationEndpoint, tokenEndpoint,
// scope}}. The console and GraphiQL read it.
const SignInPath = "/console/sign-in"

// graphiqlPage is GraphiQL (the embedded, integrity-checked assets) under a
// sign-in bar: with --demo a picker of demo members, with an OIDC issuer
// and client id (SignInPath says) a sign-in there, and always a field for
// a pasted token. Either sets the Authorization header of every request
// unless the Headers editor sets one itself. The token is kept in this
// tab's sessionStorage only: GraphiQL's own header persistence (to
// localStorage) is off.
var graphiqlPage = template.Must(template.New("graphiql").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
  body { margin: 0; font-family: system-ui, sans-serif; height: 100vh; display: flex; flex-direction: column; }
  #signin { flex: none; display: flex; flex-wrap: wrap; gap: .4rem 1rem; align-items: center; padding: .4rem .75rem;
    background: #18223a; color: #fff; font-size: 14px; }
  #signin label { font-weight: 600; }
  #signin button { font: inherit; padding: .2rem .6rem; border-radius: 4px; border: 1px solid #9fb8ff; background: #2d4a8a; color: #fff; cursor: pointer; }
  #signin select, #signin input { font: inherit; padding: .2rem .4rem; border-radius: 4px; border: 1px solid #4a5a7a; max-width: 100%; }
  #signin input { width: 16rem; font-family: ui-monospace, monospace; font-size: 12px; }
  #signin a { color: #9fb8ff; }
  #signin :focus-visible { outline: 3px solid #f0a500; outline-offset: 1px; }
  #signin-status { color: #c9d3e6; }
  #graphiql { flex: 1; min-height: 0; }
  .loading { height: 100%; display: flex; align-items: center; justify-content: center; font-size: 2rem; }
</style>
<script src="{{.Assets}}{{.ReactJS}}" integrity="{{.ReactSRI}}" crossorigin="anonymous"></script>
<script src="{{.Assets}}{{.ReactDOMJS}}" integrity="{{.ReactDOMSRI}}" crossorigin="anonymous"></script>
<link rel="stylesheet" href="{{.Assets}}{{.CSS}}" integrity="{{.CSSSRI}}" crossorigin="anonymous">
<link rel="stylesheet" href="{{.Assets}}{{.ExplorerCSS}}" integrity="{{.ExplorerCSSSRI}}" crossorigin="anonymous">
</head>
<body>
<form id="signin" aria-label="Sign in" onsubmit="return false">
  <span id="signin-demo" hidden>
    <label for="demo-member">Demo member</label>
    <select id="demo-member"><option value="">— none (use the Headers tab) —</option></select>
  </span>
  <span id="signin-oidc" hidden>
    <button id="oidc-sign-in" type="button">Sign in with your identity provider</button>
  </span>
  <span id="signin-token">
    <label for="bearer-token">Bearer token</label>
    <input id="bearer-token" type="password" autocomplete="off" spellcheck="false" placeholder="paste a token">
  </span>
  <span id="signin-status" role="status">Anonymous: only acceptInvitation works without a token.</span>
  <a href="/console">Admin console</a>
</form>
<div id="graphiql"><div class="loading">Loading…</div></div>
<script src="{{.Assets}}{{.JS}}" integrity="{{.JSSRI}}" crossorigin="anonymous"></script>
<script src="{{.Assets}}{{.ExplorerJS}}" integrity="{{.ExplorerJSSRI}}" crossorigin="anonymous"></script>
<script>
(function () {
  const url = location.protocol + '//' + location.host + {{.Endpoint}};
  const demoPath = {{.DemoMembers}};
  const signInPath = {{.SignIn}};
  const exampleQuery = {{.Query}};
  const key = 'rolegraph.graphiql.auth';
  let auth = sessionStorage.getItem(key) || '';
  const status = document.getElementById('signin-status');
  const picker = document.getElementById('demo-member');
  const pasted = document.getElementById('bearer-token');
  function setAuth(token, who) {
    auth = token ? 'Bearer ' + token : '';
    if (auth) sessionStorage.setItem(key, auth); else sessionStorage.removeItem(key);
    status.textContent = auth ? 'Requests carry Authorization: Bearer … (' + who + ').' : 'Anonymous: only acceptInvitation works without a token.';
  }
  if (auth) status.textContent = 'Requests carry Authorization: Bearer … (from earlier in this tab).';
  pasted.addEventListener('input', function () {
    picker.value = '';
    setAuth(pasted.value.trim().replace(/^Bearer\s+/i, ''), 'pasted token');
  });
  picker.addEventListener('change', function () {
    const o = picker.selectedOptions[0];
    pasted.value = '';
    setAuth(picker.value, o && picker.value ? o.dataset.email : '');
  });
  // OIDC sign-in (--oidc-issuer with --oidc-client-id): authorization code
  // + PKCE (S256) as a public client, back to this page; the console does
  // the same (web/console/src/lib/oidc.ts). Verifier, state and nonce stay
  // in this tab's sessionStorage for the round trip only.
  const pendingKey = 'rolegraph.graphiql.oidc';
  function b64url(bytes) {
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function random(n) { return b64url(crypto.getRandomValues(new Uint8Array(n))); }
  function claims(jwt) {
    const p = (jwt || '').split('.');
    if (p.length !== 3) return null;
    try { return JSON.parse(atob(p[1].replace(/-/g, '+').replace(/_/g, '/'))); } catch (e) { return null; }
  }
  const redirectUri = location.origin + location.pathname;
  async function startOIDC(c) {
    const p = { state: random(32), nonce: random(32), verifier: random(48), tokenEndpoint: c.tokenEndpoint, clientId: c.clientId, issuer: c.issuer };
    sessionStorage.setItem(pendingKey, JSON.stringify(p));
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(p.verifier));
    const u = new URL(c.authorizationEndpoint);
    const q = { response_type: 'code', client_id: c.clientId, redirect_uri: redirectUri, scope: c.scope, state: p.state,
      nonce: p.nonce, code_challenge: b64url(new Uint8Array(digest)), code_challenge_method: 'S256' };
    for (const k in q) u.searchParams.set(k, q[k]);
    location.assign(u.toString());
  }
  async function finishOIDC() {
    const q = new URLSearchParams(location.search);
    const p = JSON.parse(sessionStorage.getItem(pendingKey) || 'null');
    sessionStorage.removeItem(pendingKey);
    history.replaceState(null, '', redirectUri); // the code is single-use
    if (!p || q.get('state') !== p.state) throw new Error('this sign-in was not started in this tab (state mismatch)');
    if (q.has('error')) throw new Error('the identity provider refused: ' + (q.get('error_description') || q.get('error')));
    const res = await fetch(p.tokenEndpoint, { method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: q.get('code') || '', redirect_uri: redirectUri,
        client_id: p.clientId, code_verifier: p.verifier }) });
    const body = await res.json().catch(function () { return {}; });
    if (!res.ok) throw new Error('the token endpoint answered ' + res.status + ' ' + (body.error_description || body.error || ''));
    const id = body.id_token ? claims(body.id_token) : null;
    if (id && id.nonce !== undefined && id.nonce !== p.nonce) throw new Error('the id token was not issued for this sign-in (nonce mismatch)');
    const token = body.access_token && claims(body.access_token) ? body.access_token : body.id_token;
    if (!token) throw new Error('the identity provider returned no token rolegraph can verify');
    setAuth(token, 'signed in at ' + p.issuer);
  }
  // Back from the issuer: finish signing in before GraphiQL starts, so its
  // first request (the schema, which production mode shows only to holders
  // of api.explore) already carries the token.
  let signedIn = Promise.resolve();
  const back = new URLSearchParams(location.search);
  if ((back.has('code') || back.has('error')) && back.has('state')) {
    status.textContent = 'Signing in with your identity provider…';
    signedIn = finishOIDC().catch(function (e) { status.textContent = 'Sign-in failed: ' + e.message; });
  }
  // How this server signs in (SignInPath): the OIDC button, and the demo
  // members only when there is a demo (no 404 to log otherwise).
  fetch(signInPath, { headers: { Accept: 'application/json' } }).then(function (res) {
    return res.ok ? res.json() : null;
  }).then(function (m) {
    if (!m) return;
    if (m.oidc) {
      document.getElementById('signin-oidc').hidden = false;
      document.getElementById('oidc-sign-in').addEventListener('click', function () {
        startOIDC(m.oidc).catch(function (e) { status.textContent = 'Sign-in failed: ' + e.message; });
      });
    }
    if (!m.demo) return;
    return fetch(demoPath, { headers: { Accept: 'application/json' } }).then(function (res) {
      if (!res.ok) return;
      return res.json().then(function (body) {
        for (const m of body.members) {
          const o = document.createElement('option');
          o.value = m.token;
          o.dataset.email = m.email;
          o.textContent = m.label + ' (' + m.role + ') — ' + m.email;
          picker.appendChild(o);
        }
        document.getElementById('signin-demo').hidden = false;
      });
    });
  }).catch(function () {});

  const base = GraphiQL.createFetcher({ url: url });
  function fetcher(params, opts) {
    const headers = Object.assign({}, opts && opts.headers);
    const own = Object.keys(headers).some(function (h) { return h.toLowerCase() === 'authorization'; });
    if (auth && !own) headers.Authorization = auth;
    return base(params, Object.assign({}, opts, { headers: headers }));
  }
  signedIn.then(function () {
    ReactDOM.render(
      React.createElement(GraphiQL, {
        fetcher: fetcher,
        defaultQuery: exampleQuery,
        isHeadersEditorEnabled: true,
        shouldPersistHeaders: false,
        plugins: [GraphiQLPluginExplorer.explorerPlugin()],
        storage: localStorage,
        inputValueDeprecation: true,
      }),
      document.getElementById('graphiql'),
    );
  });
})();
</script>
</body>
</html>
`))

type graphiqlData struct {
	Title, Endpoint, DemoMembers, Query  string
	SignIn                               string
	Assets                               string
	JS, CSS, ReactJS, ReactDOMJS         string
	ExplorerJS, ExplorerCSS              string
	JSSRI, CSSSRI, ReactSRI, ReactDOMSRI string
	ExplorerJSSRI, ExplorerCSSSRI        string
}

// The whole client: plain fetch calls. Without DPoP, tokens stay in HttpOnly cookies set by the
// server and this script only ever reads /api/me; same-origin fetches carry Sec-Fetch-Site:
// same-origin, which is what JwtGate's CSRF check looks for on cookie-authenticated POSTs.
//
// With DPoP (RFC 9449) on the server, the page proves possession of a key: an ECDSA P-256 key pair
// made by WebCrypto with extractable = false (the private key can sign but can never be read, not even
// by this script) and kept in IndexedDB, so it survives reloads. Every token request (/login,
// /refresh) and every API call carries a fresh proof (a dpop+jwt JWS: method, URL, time, one-time id,
// the access token's hash), and the server binds the tokens to the key. The access token then lives in
// this page's memory only (a cookie would present it as a bearer token, which the server refuses);
// after a reload the refresh cookie, bound to the same key, gets a new one.
//
// For an administrator the page also shows the operations panel: GET /admin/status every second
// (Redis nodes and roles, the near-cache, the filter's counters) and a form posting to
// /admin/revoke. Everything it shows is written with textContent, never as HTML.
'use strict';

const $ = (id) => document.getElementById(id);

function show(view) {
  $('login-form').hidden = view !== 'login';
  $('session').hidden = view !== 'session';
  if (view !== 'session') {
    stopOperations();
  }
}

function say(text) {
  $('message').textContent = text || '';
}

// ---- DPoP -------------------------------------------------------------------------------------

const DB_NAME = 'jwtgate-sample';
const STORE = 'keys';
// Whether this browser's session is DPoP-bound (no secret: the token stays in memory). In localStorage, which every
// tab of the origin shares as it shares the refresh cookie: a tab opened anew must refresh with a proof too, since the
// bound family refuses a refresh without one (and the answer clears the cookie).
const SCHEME_KEY = 'jwtgate-sample-scheme';
let accessToken = null;   // a DPoP-bound access token: memory only
let dpopNonce = null;     // the last DPoP-Nonce the server sent, if it requires nonces

function b64url(bytes) {
  let text = '';
  new Uint8Array(bytes).forEach((b) => { text += String.fromCharCode(b); });
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function b64urlText(text) {
  return b64url(new TextEncoder().encode(text));
}

function request(store, mode, action) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction(store, mode);
      const req = action(tx.objectStore(store));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    };
  });
}

// The page's DPoP key pair: loaded from IndexedDB, or made once (non-extractable) and stored there.
let keyPairPromise = null;
function dpopKeyPair() {
  if (!keyPairPromise) {
    keyPairPromise = (async () => {
      if (!window.crypto || !crypto.subtle || !window.indexedDB) {
        return null;
      }
      const stored = await request(STORE, 'readonly', (s) => s.get('dpop')).catch(() => undefined);
      if (stored) {
        return stored;
      }
      const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
      await request(STORE, 'readwrite', (s) => s.put(pair, 'dpop'));
      return pair;
    })().catch(() => null);
  }
  return keyPairPromise;
}

// A DPoP proof for one request: header {typ, alg, jwk}, claims {jti, htm, htu, iat, [ath], [nonce]}.
async function proof(method, path, token) {
  const pair = await dpopKeyPair();
  if (!pair) {
    return null;
  }
  const full = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const jwk = { kty: full.kty, crv: full.crv, x: full.x, y: full.y };
  const url = new URL(path, window.location.href);
  const claims = {
    jti: b64url(crypto.getRandomValues(new Uint8Array(16))),
    htm: method,
    htu: url.origin + url.pathname,
    iat: Math.floor(Date.now() / 1000),
  };
  if (token) {
    claims.ath = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
  }
  if (dpopNonce) {
    claims.nonce = dpopNonce;
  }
  const input = b64urlText(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk })) + '.' + b64urlText(JSON.stringify(claims));
  // WebCrypto's ECDSA signature is r || s, exactly the JWS form (RFC 7518 §3.4).
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, new TextEncoder().encode(input));
  return input + '.' + b64url(signature);
}

function usesDpop() {
  return localStorage.getItem(SCHEME_KEY) === 'DPoP';
}

// fetch; with proof = 'token-request' a DPoP proof alone (/login, /refresh), with 'bound' the access
// token with the DPoP scheme and a proof naming it. Answers a use_dpop_nonce challenge once by
// retrying with the nonce it carries.
async function send(method, path, options, proofMode, retried) {
  const headers = Object.assign({}, options.headers || {});
  const withProof = proofMode === 'token-request' || proofMode === 'bound';
  if (withProof) {
    const token = proofMode === 'bound' ? accessToken : null;
    const signed = await proof(method, path, token);
    if (signed) {
      headers.DPoP = signed;
    }
    if (token) {
      headers.Authorization = 'DPoP ' + token;
    }
  }
  const response = await fetch(path, Object.assign({}, options, { method, headers, credentials: 'same-origin' }));
  const nonce = response.headers.get('DPoP-Nonce');
  if (nonce) {
    dpopNonce = nonce;
  }
  if (withProof && nonce && !retried && (response.status === 400 || response.status === 401)) {
    const challenge = (response.headers.get('WWW-Authenticate') || '') + (await response.clone().text());
    if (challenge.includes('use_dpop_nonce')) {
      return send(method, path, options, proofMode, true);
    }
  }
  return response;
}

async function post(path, body, proofMode) {
  return send('POST', path, {
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  }, proofMode);
}

// Keeps what a token response says: a DPoP-bound token in memory, a bearer one in its cookie.
async function remember(response) {
  const tokens = await response.json();
  if (tokens.token_type === 'DPoP') {
    accessToken = tokens.access_token;
    localStorage.setItem(SCHEME_KEY, 'DPoP');
  } else {
    accessToken = null;
    localStorage.removeItem(SCHEME_KEY);
  }
}

// POST /refresh with the refresh cookie. Tabs share the cookie, and a refresh token presented twice is taken for a
// stolen one's reuse, which ends the session: two tabs that find the access token expired at once (a browser
// restoring them) must not both send the same one. One tab refreshes at a time (Web Locks, shared by the tabs of
// this origin); the next one sends the cookie the first one's answer set.
function refresh(proofMode) {
  const send = () => post('/refresh', undefined, proofMode);
  return navigator.locks ? navigator.locks.request('jwtgate-sample-refresh', send) : send();
}

// ---- the page ---------------------------------------------------------------------------------

// Shows who is signed in; when the access token has expired (or, with DPoP, after a reload), rotates
// the refresh token once. Resolves to whether a session is shown, or null when the server could not say.
async function loadSession(mayRefresh) {
  const dpop = usesDpop();
  const me = dpop && !accessToken ? null : await send('GET', '/api/me', {}, dpop ? 'bound' : 'none');
  if (me && me.ok) {
    const who = await me.json();
    $('who').textContent = who.sub;
    $('roles').textContent = who.roles.join(', ');
    $('jti').textContent = who.jti;
    $('expires').textContent = new Date(who.exp * 1000).toLocaleString();
    $('binding').textContent = who.auth === 'DPoP' ? 'yes: DPoP, key ' + who.jkt : 'no: bearer token';
    show('session');
    if (who.roles.includes('admin')) {
      startOperations();
    } else {
      stopOperations();
    }
    return true;
  }
  let answer = me;
  if ((!me || me.status === 401) && mayRefresh) {
    const refreshed = await refresh(dpop ? 'token-request' : 'none');
    if (refreshed.ok) {
      await remember(refreshed);
      return loadSession(false);
    }
    answer = refreshed;
  }
  // A 5xx (503: Redis unavailable, failing over) says nothing about the session: keep it, and whether it is
  // DPoP-bound, for the next try (which, not knowing, would refresh without a proof: the bound family refuses that).
  if (answer && answer.status >= 500) {
    say(`The server cannot answer right now (${answer.status}): try again in a moment.`);
    return null;
  }
  accessToken = null;
  localStorage.removeItem(SCHEME_KEY);
  show('login');
  return false;
}

// "Call the API": the next request of this session. After an administrator revoked the user, the
// filter refuses the token (401 invalid_token) and the refresh family is gone too: back to sign-in.
async function callApi() {
  say('');
  if ((await loadSession(true)) === false) {
    say('The server refused this session (revoked, or signed out elsewhere): sign in again.');
  }
}

async function login(event) {
  event.preventDefault();
  say('');
  // Always offer a proof: a server with DPoP binds the tokens to this page's key (token_type DPoP),
  // one without ignores it and answers with bearer tokens in cookies.
  dpopNonce = null;
  const response = await post('/login', { username: $('username').value, password: $('password').value }, 'token-request');
  $('password').value = '';
  if (response.ok) {
    await remember(response);
    await loadSession(false);
    return;
  }
  const retry = response.headers.get('Retry-After');
  say(response.status === 429 ? `Too many failed attempts: retry in ${retry} s.`
    : response.status === 401 ? 'Unknown user or wrong password.'
      : `Sign-in failed (${response.status}).`);
}

async function logout(everywhere) {
  say('');
  const path = everywhere ? '/logout?all=true' : '/logout';
  let response = await post(path, undefined, usesDpop() ? 'bound' : 'none');
  // 401: the access token expired (its cookie is gone after 15 minutes) or was revoked. The refresh cookie may
  // still hold a live session, which the next visit would resume: renew once, and sign out with the new token.
  if (response.status === 401) {
    const refreshed = await refresh(usesDpop() ? 'token-request' : 'none');
    if (refreshed.ok) {
      await remember(refreshed);
      response = await post(path, undefined, usesDpop() ? 'bound' : 'none');
    } else if (refreshed.status >= 500) {
      response = refreshed; // a 503 changed nothing: the session may live on, so this is no sign-out
    }
  }
  if (response.status === 204 || response.status === 401) {
    accessToken = null;
    localStorage.removeItem(SCHEME_KEY);
    show('login');
    return;
  }
  const retry = response.headers.get('Retry-After');
  say(response.status === 503 ? `Sign-out not yet confirmed by Redis: retry in ${retry} s.`
    : `Sign-out failed (${response.status}).`);
}

// ---- operations panel (administrators) --------------------------------------------------------

let operationsOn = false;
let operationsTimer = null;

function startOperations() {
  $('operations').hidden = false;
  if (!operationsOn) {
    operationsOn = true;
    pollOperations();
  }
}

function stopOperations() {
  operationsOn = false;
  clearTimeout(operationsTimer);
  $('operations').hidden = true;
}

const SESSION_REFUSED = 'Refused (401): this session\'s token expired or was revoked. "Call the API" renews it or signs you out.';

// One poll, then the next a second after it answered (never two in flight). A 401 means this
// session's token expired or was revoked: polling stops, and the refresh is left to the user, so
// that several tabs never rotate the same refresh token at once (which would look like reuse).
async function pollOperations() {
  if (!operationsOn) {
    return;
  }
  const response = await send('GET', '/admin/status', {}, usesDpop() ? 'bound' : 'none').catch(() => null);
  if (!operationsOn) {
    return;
  }
  if (response && response.status === 401) {
    operationsOn = false;
    $('ops-error').textContent = SESSION_REFUSED;
    return;
  }
  if (response && response.status === 403) {
    stopOperations();
    return;
  }
  if (response && response.ok) {
    renderOperations(await response.json());
    $('ops-error').textContent = '';
  } else {
    $('ops-error').textContent = response ? `Status not available (${response.status}).` : 'The server does not answer.';
  }
  operationsTimer = setTimeout(pollOperations, 1000);
}

function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text;
  row.appendChild(td);
}

// A <dl> of name → value whose <dd> ids (prefix-name) stay the same from one poll to the next.
function counters(listId, prefix, values) {
  const list = $(listId);
  Object.entries(values).forEach(([name, value]) => {
    const id = prefix + '-' + name;
    let dd = document.getElementById(id);
    if (!dd) {
      const dt = document.createElement('dt');
      dt.textContent = name;
      dd = document.createElement('dd');
      dd.id = id;
      list.append(dt, dd);
    }
    dd.textContent = String(value);
  });
}

function renderOperations(status) {
  $('ops-status').textContent = status.status;
  $('ops-status').className = 'status ' + status.status;

  const rows = status.redis.nodes.map((node) => {
    const row = document.createElement('tr');
    row.className = 'node ' + (node.up ? 'up' : 'down');
    row.dataset.role = node.role;
    row.dataset.up = String(node.up);
    cell(row, node.address);
    cell(row, node.replica_of ? `${node.role} of ${node.replica_of}` : node.role);
    cell(row, (node.up ? 'up' : 'down') + (node.failing ? ', failing' : ''));
    return row;
  });
  $('ops-nodes').tBodies[0].replaceChildren(...rows);

  const near = status.near_cache;
  if (!near.enabled) {
    $('ops-near-cache-state').textContent = 'off';
    $('ops-near-cache').textContent = 'Every check reads the revocation store.';
  } else {
    $('ops-near-cache-state').textContent = near.fresh ? 'fresh' : 'not fresh';
    const heartbeat = near.heartbeat_age_ms < 0 ? 'no heartbeat yet' : `heartbeat ${near.heartbeat_age_ms} ms ago`;
    $('ops-near-cache').textContent = `${heartbeat}; pub/sub ${near.pubsub_mode}; ${near.revocations_held} `
      + `revocations held; ${near.local_checks} checks answered locally, ${near.redis_checks} from Redis.`;
  }

  counters('ops-health', 'health', status.jwtgate.details);
  counters('ops-requests', 'count-requests', status.requests);
  counters('ops-refused', 'count-refused', status.refused);
  counters('ops-checks', 'count-checks', status.revocation_checks);
  counters('ops-token-cache', 'count-token-cache', status.token_cache);
}

async function revokeUser(event) {
  event.preventDefault();
  const sub = $('revoke-sub').value.trim();
  const reason = $('revoke-reason').value.trim();
  const result = $('revoke-result');
  result.textContent = '';
  const response = await post('/admin/revoke', reason ? { sub, reason } : { sub }, usesDpop() ? 'bound' : 'none');
  if (response.status === 204) {
    result.textContent = `Revoked: every token of ${sub} issued so far is refused, on every server.`;
    $('revoke-sub').value = '';
    $('revoke-reason').value = '';
    return;
  }
  if (response.status === 401) {
    result.textContent = SESSION_REFUSED;
    return;
  }
  const retry = response.headers.get('Retry-After');
  const answer = await response.json().catch(() => ({}));
  result.textContent = response.status === 503 ? `Revocation not yet confirmed by the replicas: retry in ${retry} s.`
    : response.status === 403 ? 'Only administrators may revoke.'
      : response.status === 400 ? `Refused: ${answer.error_description || 'bad request'}.`
        : `Revocation failed (${response.status}).`;
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', login);
  $('me-button').addEventListener('click', callApi);
  $('logout-button').addEventListener('click', () => logout(false));
  $('logout-all-button').addEventListener('click', () => logout(true));
  $('revoke-form').addEventListener('submit', revokeUser);
  dpopKeyPair();
  loadSession(true);
});

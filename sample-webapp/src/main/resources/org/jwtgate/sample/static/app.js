// The whole client: plain fetch calls. Tokens stay in HttpOnly cookies set by the server; this
// script only ever reads /api/me. Same-origin fetches carry Sec-Fetch-Site: same-origin, which
// is what JwtGate's CSRF check looks for on cookie-authenticated POSTs.
'use strict';

const $ = (id) => document.getElementById(id);

function show(view) {
  $('login-form').hidden = view !== 'login';
  $('session').hidden = view !== 'session';
}

function say(text) {
  $('message').textContent = text || '';
}

async function post(path, body) {
  return fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
}

// Shows who is signed in; when the access token has expired, rotates the refresh token once.
async function loadSession(mayRefresh) {
  const me = await fetch('/api/me', { credentials: 'same-origin' });
  if (me.ok) {
    const who = await me.json();
    $('who').textContent = who.sub;
    $('roles').textContent = who.roles.join(', ');
    $('jti').textContent = who.jti;
    $('expires').textContent = new Date(who.exp * 1000).toLocaleString();
    show('session');
    return;
  }
  if (me.status === 401 && mayRefresh) {
    const refreshed = await post('/refresh');
    if (refreshed.ok) {
      return loadSession(false);
    }
  }
  show('login');
}

async function login(event) {
  event.preventDefault();
  say('');
  const response = await post('/login', { username: $('username').value, password: $('password').value });
  $('password').value = '';
  if (response.ok) {
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
  const response = await post(everywhere ? '/logout?all=true' : '/logout');
  if (response.status === 204 || response.status === 401) {
    show('login');
    return;
  }
  const retry = response.headers.get('Retry-After');
  say(response.status === 503 ? `Sign-out not yet confirmed by Redis: retry in ${retry} s.`
    : `Sign-out failed (${response.status}).`);
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', login);
  $('logout-button').addEventListener('click', () => logout(false));
  $('logout-all-button').addEventListener('click', () => logout(true));
  loadSession(true);
});

// The public JSON API, and the signed-in session.
//
// Where the tokens live: the access token (15 minutes) only in this module's memory, never
// in storage; the refresh token in sessionStorage, so that a reload keeps the tab signed in
// while closing the tab ends it. sessionStorage is per tab, which matters because refresh
// tokens are single use: two tabs sharing one (as localStorage would) would race, and the
// loser's reuse would end the session for both. A script injected into the page could read
// either token, so the defence is the CSP (scripts from this origin only) and building the
// DOM without innerHTML; the server's reuse detection limits what a stolen refresh token
// can do.

const REFRESH_KEY = 'griha.refresh';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `Request failed (${status})`);
    this.status = status;
    this.code = problem?.code || 'http_error';
    this.fields = problem?.errors || [];
    this.problem = problem;
  }
}

let webConfig;  // the promise of GET /api/v1/web-config, fetched once (see config())
let accessToken = null;
let accessExpires = 0;
let refreshing = null;
const listeners = new Set();

export const session = { user: null, ready: null };

export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
const notify = () => listeners.forEach((fn) => fn(session.user));

function storedRefresh() {
  try {
    return sessionStorage.getItem(REFRESH_KEY);
  } catch {
    return null;
  }
}
function storeRefresh(token) {
  try {
    if (token) sessionStorage.setItem(REFRESH_KEY, token);
    else sessionStorage.removeItem(REFRESH_KEY);
  } catch {
    // Storage disabled: the session lasts until the page is left.
  }
}

function takeTokens(t) {
  accessToken = t.access_token;
  accessExpires = Date.now() + (t.expires_in - 30) * 1000;
  storeRefresh(t.refresh_token);
}

function forget() {
  accessToken = null;
  accessExpires = 0;
  storeRefresh(null);
  session.user = null;
}

async function refresh() {
  const token = storedRefresh();
  if (!token) return false;
  refreshing ??= (async () => {
    try {
      const res = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: token }),
      });
      if (!res.ok) {
        forget();
        notify();
        return false;
      }
      takeTokens(await res.json());
      return true;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

async function parse(res) {
  if (res.status === 204 || res.status === 304) return null;
  const type = res.headers.get('content-type') || '';
  if (type.includes('json')) return res.json();
  return res.text();
}

// api('/api/v1/search?...'), api(path, {method: 'POST', body: {...}}). A FormData or string
// body goes as it is. Resolves to the parsed body; rejects with an ApiError.
export async function api(path, { method = 'GET', body, headers = {}, raw = false } = {}) {
  if (accessToken && Date.now() > accessExpires) await refresh();
  const h = { accept: 'application/json', ...headers };
  if (accessToken) h.authorization = `Bearer ${accessToken}`;
  let payload = body;
  if (body !== undefined && !(body instanceof FormData) && typeof body !== 'string' &&
      !(body instanceof Blob)) {
    h['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res = await fetch(path, { method, headers: h, body: payload });
  if (res.status === 401 && accessToken && (await refresh())) {
    h.authorization = `Bearer ${accessToken}`;
    res = await fetch(path, { method, headers: h, body: payload });
  }
  if (raw && res.ok) return res;
  const data = await parse(res);
  if (!res.ok) throw new ApiError(res.status, typeof data === 'object' ? data : null);
  return data;
}

export async function loadMe() {
  session.user = accessToken ? await api('/api/v1/me').catch(() => null) : null;
  notify();
  return session.user;
}

export async function signIn(tokens) {
  takeTokens(tokens);
  return loadMe();
}

export async function signOut() {
  if (accessToken) await api('/api/v1/auth/signout', { method: 'POST' }).catch(() => {});
  forget();
  notify();
}

// The account roles, as GET /api/v1/web-config serves them: the server defines them once
// (src/core/principal.hpp), and the pages read them rather than spelling them out. Filled in
// before session.ready resolves.
export const roles = { all: [], self_service: [], listers: [] };

// On page load: a refresh token kept by this tab signs it back in.
session.ready = (async () => {
  const cfg = config();
  if (storedRefresh() && (await refresh())) await loadMe();
  Object.assign(roles, (await cfg).roles);
  return session.user;
})();

export const hasRole = (...names) => !!session.user && names.includes(session.user.role);
export const isLister = () => hasRole(...roles.listers);

// A 404 route_not_found means the server does not offer this API (yet).
export const missingApi = (err) => err instanceof ApiError && err.code === 'route_not_found';

// The query string of a search page minus what only the page uses (the API refuses unknown
// parameters).
export const PAGE_ONLY_PARAMS = ['view', 'map'];
export function apiQuery(params) {
  const q = new URLSearchParams(params);
  for (const k of PAGE_ONLY_PARAMS) q.delete(k);
  return q;
}

export function config() {
  webConfig ??= api('/api/v1/web-config').catch(() => ({
    tile_url: '', tile_attribution: '', oidc: false, embed_hosts: [], roles: {},
  }));
  return webConfig;
}

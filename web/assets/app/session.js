// What a page needs from the app around it, without importing the app's shell (app.js boots
// the app when imported): moving to another page, and asking for a signed-in user. The shell
// registers its renderer here; a page module loaded on its own still works (navigation then
// falls back to a full page load).
import { session } from './api.js';
import { clear, h } from './dom.js';

let renderer = null;

// app.js: `render({ quiet })` draws the page for the current location.
export function setRenderer(render) {
  renderer = render;
}

export function navigate(url, { replace = false, quiet = false, state = {} } = {}) {
  const target = new URL(url, location.href);
  if (!renderer) {
    location[replace ? 'replace' : 'assign'](target.href);
    return Promise.resolve();
  }
  if (target.href !== location.href) history[replace ? 'replaceState' : 'pushState'](state, '', target);
  return renderer({ quiet });
}

// A page asks for a signed-in user (optionally with one of `roles`); otherwise the visitor is
// sent to sign in and comes back.
export async function requireUser(ctx, ...roles) {
  await session.ready;
  if (!session.user) {
    const next = location.pathname + location.search;
    navigate(`/account/signin?next=${encodeURIComponent(next)}`, { replace: true });
    return null;
  }
  if (roles.length && !roles.includes(session.user.role)) {
    clear(ctx.main, h('h1', {}, 'Not for this account'),
      h('p', {}, `This page is for ${roles.join(', ')} accounts.`));
    return null;
  }
  return session.user;
}

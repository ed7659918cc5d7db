// The app's shell: the header, and a router that renders pages in the browser. Every page
// path is served this same index.html by griha; page modules load on first use, so the
// public pages never download the dashboards' code. Pages never import this module (it boots
// the app): they navigate and ask for a user through session.js.
import { hasRole, isLister, onSessionChange, session, signOut } from './api.js';
import { clear, h, toast } from './dom.js';
import { navigate, setRenderer } from './session.js';

const routes = [
  [/^\/$/, () => import('./home.js')],
  [/^\/search$/, () => import('./search.js')],
  [/^\/listings\/(\d+)$/, () => import('./listing.js'), ['id']],
  [/^\/compare$/, () => import('./compare.js')],
  [/^\/account\/(signin|signup|otp|forgot)$/, () => import('./auth.js'), ['page']],
  [/^\/account\/(shortlist|searches|inquiries|visits|notifications)$/, () => import('./account.js'),
    ['page']],
  [/^\/dashboard(?:\/(.+))?$/, () => import('./dashboard.js'), ['path']],
  [/^\/admin(?:\/(.+))?$/, () => import('./admin.js'), ['path']],
];

// Links the browser must follow itself: the API, files, and the server-rendered email pages.
const serverPaths = /^\/(api|assets|media|docs|openapi\.json|account\/(verify-email|reset-password))/;

const main = document.getElementById('main');
let current = null; // { mod, key }
let renders = 0;

function match(pathname) {
  for (const [re, load, names = []] of routes) {
    const m = re.exec(pathname);
    if (m) return { load, params: Object.fromEntries(names.map((n, i) => [n, m[i + 1] || ''])) };
  }
  return null;
}

async function render({ quiet = false } = {}) {
  const route = match(location.pathname);
  const ctx = {
    main, navigate, path: location.pathname, query: new URLSearchParams(location.search),
    params: route?.params || {},
  };
  if (!route) {
    document.title = 'Not found · Griha';
    clear(main, h('h1', {}, 'Page not found'), h('p', {}, h('a', { href: '/' }, 'Go to the home page')));
    current = null;
    return;
  }
  const mine = ++renders;
  try {
    await session.ready;
    const mod = await route.load();
    // A later navigation while this page's module loaded wins.
    if (mine !== renders) return;
    const key = location.pathname;
    // A page that can update in place (the search page keeps its map) does so when only the
    // query string changed (a filter, the back button).
    if (current?.mod === mod && current.key === key && mod.update) {
      await mod.update(ctx);
    } else {
      current?.mod.leave?.();
      current = { mod, key };
      clear(main);
      await mod.render(ctx);
      if (!quiet) {
        window.scrollTo(0, 0);
        main.focus({ preventScroll: true });
      }
    }
  } catch (err) {
    console.warn(err);
    clear(main, h('h1', {}, 'Something went wrong'), h('p', { role: 'alert' }, err.message));
  }
}

// Same-origin links are handled here unless the server must answer them.
document.addEventListener('click', (e) => {
  const a = e.target.closest('a[href]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey ||
      e.altKey || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || serverPaths.test(url.pathname)) return;
  e.preventDefault();
  navigate(url.href);
});
window.addEventListener('popstate', () => render({ quiet: true }));

function renderHeader() {
  const user = session.user;
  const links = [h('li', {}, h('a', { href: '/search' }, 'Search'))];
  if (user) {
    if (isLister()) links.push(h('li', {}, h('a', { href: '/dashboard' }, 'Dashboard')));
    if (hasRole('admin')) links.push(h('li', {}, h('a', { href: '/admin' }, 'Admin')));
    links.push(
      h('li', {}, h('a', { href: '/account/shortlist' }, 'Shortlist')),
      h('li', {}, h('a', { href: '/account/visits' }, 'Visits')),
      h('li', {}, h('a', { href: '/account/notifications' }, 'Alerts')),
      h('li', {}, h('button', {
        type: 'button', class: 'link', onclick: async () => {
          await signOut();
          toast('Signed out');
          navigate('/');
        },
      }, `Sign out${user.name ? ` (${user.name})` : ''}`)),
    );
  } else {
    links.push(
      h('li', {}, h('a', { href: '/account/signin' }, 'Sign in')),
      h('li', {}, h('a', { href: '/account/signup', class: 'btn small' }, 'Sign up')),
    );
  }
  const nav = h('nav', { id: 'site-nav', 'aria-label': 'Main' }, h('ul', {}, links));
  const toggle = h('button', {
    type: 'button', class: 'menu-toggle', 'aria-controls': 'site-nav', 'aria-expanded': 'false',
    onclick: () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      nav.classList.toggle('open', open);
    },
  }, 'Menu');
  nav.addEventListener('click', (e) => {
    if (e.target.closest('a,button')) {
      nav.classList.remove('open');
      toggle.setAttribute('aria-expanded', 'false');
    }
  });
  clear(document.getElementById('site-header'),
    h('a', { href: '/', class: 'brand', 'aria-label': 'Griha home' }, h('span', { 'aria-hidden': 'true' }, '⌂'), ' Griha'),
    toggle, nav);
}

setRenderer(render);
onSessionChange(renderHeader);
session.ready.then(renderHeader);
render();

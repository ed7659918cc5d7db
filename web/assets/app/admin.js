// The admin dashboard: moderation queue, users, leads and visits overview, failed
// notifications, statistics. Chart.js is loaded here only.
import { api, missingApi, session } from './api.js';
import { navigate, requireUser } from './session.js';
import { cityName } from './cards.js';
import { clear, errorBox, field, h, loadScript, nextId, select, toast } from './dom.js';
import { LEAD_STAGES, bhk, label, num, price, when } from './format.js';

const sections = [['', 'Moderation'], ['users', 'Users'], ['activity', 'Leads & visits'], ['outbox', 'Failed notifications'],
  ['stats', 'Statistics']];

export async function render(ctx) {
  if (!(await requireUser(ctx, 'admin'))) return;
  const page = ctx.params.path || '';
  const body = h('div', { class: 'dash-body' });
  ctx.main.append(h('div', { class: 'dashboard admin' },
    h('nav', { class: 'tabs', 'aria-label': 'Admin' }, sections.map(([p, t]) =>
      h('a', { href: `/admin${p ? `/${p}` : ''}`, 'aria-current': p === page ? 'page' : null }, t))),
    body));
  const pages = { '': moderation, users, activity, outbox, stats };
  if (!pages[page]) {
    body.append(h('h1', {}, 'Not found'));
    return;
  }
  try {
    await pages[page](body, ctx);
  } catch (err) {
    body.append(missingApi(err) ? h('p', { class: 'notice' }, 'This is not available on this server yet.') : errorBox(err));
  }
}

const show = (v) => (v === null || v === undefined ? '—' : Array.isArray(v) ? v.map(label).join(', ') || '—' : String(v));

async function moderation(body) {
  document.title = 'Moderation · Griha';
  const list = h('ul', { class: 'rows moderation' });
  body.append(h('h1', {}, 'Moderation queue'), list);
  const load = async () => {
    const { items } = await api('/api/v1/admin/moderation?limit=100');
    clear(list, items.length ? items.map((item) => queueItem(item, load)) : h('li', { class: 'empty' }, 'Nothing waits for review.'));
  };
  await load();
}

function queueItem(item, reload) {
  const l = item.listing;
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  const reason = h('textarea', { name: 'reason', rows: 2, minlength: 5, maxlength: 500, required: true });
  const rejectForm = h('form', { class: 'inline-form', hidden: true, onsubmit: async (e) => {
    e.preventDefault();
    try {
      await api(`/api/v1/admin/listings/${l.id}/reject`, { method: 'POST', body: { reason: reason.value.trim() } });
      toast('Rejected; the lister sees your reason');
      reload();
    } catch (err) {
      clear(status, errorBox(err));
    }
  } }, field('Reason for the lister', reason, '5 to 500 characters.'),
  h('button', { type: 'submit', class: 'btn small danger' }, 'Reject'));
  const diff = item.kind === 'edit' && item.diff ? h('div', { class: 'table-wrap' }, h('table', { class: 'data diff' },
    h('caption', {}, 'Changes waiting for review'),
    h('thead', {}, h('tr', {}, ['Field', 'Now', 'Proposed'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, Object.entries(item.diff).map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, label(k)),
      h('td', { class: 'from' }, show(v.from)), h('td', { class: 'to' }, show(v.to))))))) : null;
  const flag = (name) => {
    const box = h('input', { type: 'checkbox', checked: !!l[name] });
    box.addEventListener('change', async () => {
      try {
        await api(`/api/v1/admin/listings/${l.id}`, { method: 'PATCH', body: { [name]: box.checked } });
        toast(`${label(name)}: ${box.checked ? 'on' : 'off'}`);
      } catch (err) {
        box.checked = !box.checked;
        clear(status, errorBox(err));
      }
    });
    return h('label', { class: 'check' }, box, ' ', label(name));
  };
  return h('li', { class: 'row queue-item', dataset: { listing: l.id } },
    h('div', { class: 'grow' },
      h('p', {}, h('span', { class: 'badge' }, item.kind === 'edit' ? 'Edit' : 'New'), ' ',
        h('a', { href: `/listings/${l.id}` }, l.title || `Listing ${l.id}`)),
      h('p', { class: 'muted' }, [price(l.price, l.transaction), `${bhk(l.bhk, l.property_type)} ${label(l.property_type)}`.trim(),
        cityName(l.city_id), `${num(l.photo_count)} photos`, l.rera_number ? `RERA ${l.rera_number}` : null,
        `submitted ${when(item.submitted_at || l.updated_at)}`].filter(Boolean).join(' · ')),
      l.description ? h('p', { class: 'description clamp' }, l.description) : null,
      diff, flag('verified'), ' ', flag('featured')),
    h('div', { class: 'row-actions' },
      h('button', { type: 'button', class: 'btn small primary', onclick: async () => {
        try {
          await api(`/api/v1/admin/listings/${l.id}/approve`, { method: 'POST' });
          toast(item.kind === 'edit' ? 'Edit approved' : 'Approved; the listing is live');
          reload();
        } catch (err) {
          clear(status, errorBox(err));
        }
      } }, 'Approve'),
      h('button', { type: 'button', class: 'btn small', 'aria-expanded': 'false', onclick: (e) => {
        rejectForm.hidden = !rejectForm.hidden;
        e.target.setAttribute('aria-expanded', String(!rejectForm.hidden));
        if (!rejectForm.hidden) reason.focus();
      } }, 'Reject…')),
    rejectForm, status);
}

async function users(body, ctx) {
  document.title = 'Users · Griha';
  const q = ctx.query.get('q') || '';
  const after = ctx.query.get('after');
  const search = h('input', { type: 'search', name: 'q', value: q, placeholder: 'Email, name or phone' });
  const form = h('form', { class: 'filter-bar', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    navigate(`/admin/users?${new URLSearchParams(search.value.trim() ? { q: search.value.trim() } : {})}`);
  } }, field('Find users', search), h('button', { type: 'submit', class: 'btn' }, 'Search'));
  const params = new URLSearchParams({ limit: '50' });
  if (q) params.set('q', q);
  if (after) params.set('after', after);
  const { items, next_after: nextAfter } = await api(`/api/v1/admin/users?${params}`);
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  const act = async (fn, message) => {
    try {
      await fn();
      toast(message);
      navigate(location.pathname + location.search, { replace: true });
    } catch (err) {
      clear(status, errorBox(err));
    }
  };
  body.append(h('h1', {}, 'Users'), form, status, h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
    h('caption', { class: 'visually-hidden' }, 'Users'),
    h('thead', {}, h('tr', {}, ['Name', 'Email', 'Phone', 'Role', 'Status', 'Joined', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, items.map((u) => {
      const self = u.id === session.user?.id;
      const role = select('role', ['seeker', 'owner', 'agent', 'builder', 'admin'].map((r) => [r, label(r)]), u.role,
        { 'aria-label': `Role of ${u.email || u.phone || u.id}`, disabled: self });
      role.addEventListener('change', () => act(() => api(`/api/v1/admin/users/${u.id}/role`, { method: 'PUT', body: { role: role.value } }),
        `Role changed to ${label(role.value)}; their sessions were ended`));
      return h('tr', {},
        h('td', {}, u.name || '—'), h('td', {}, u.email || '—'), h('td', {}, u.phone || '—'), h('td', {}, role),
        h('td', {}, h('span', { class: `status ${u.status}` }, label(u.status))), h('td', {}, when(u.created_at)),
        h('td', {}, self ? null : u.status === 'locked'
          ? h('button', { type: 'button', class: 'btn small', onclick: () => act(() => api(`/api/v1/admin/users/${u.id}/unlock`, { method: 'POST' }), 'Unlocked') }, 'Unlock')
          : h('button', { type: 'button', class: 'btn small danger', onclick: () => act(() => api(`/api/v1/admin/users/${u.id}/lock`, { method: 'POST' }), 'Locked') }, 'Lock')));
    })))),
  nextAfter ? h('p', {}, h('a', { href: `/admin/users?${new URLSearchParams({ ...(q ? { q } : {}), after: nextAfter })}`, class: 'btn' }, 'Next page →')) : null);
}

// The admin statistics, read tolerantly: lists of {key, count} or maps of key -> count.
const pairs = (v) => (Array.isArray(v) ? v.map((x) => [x.day ?? x.date ?? x.stage ?? x.key ?? x.label, x.count ?? x.value ?? 0])
  : Object.entries(v || {}));

async function activity(body, ctx) {
  document.title = 'Leads & visits · Griha';
  const stage = ctx.query.get('stage') || '';
  const [s, leads] = await Promise.all([api('/api/v1/admin/stats'),
    api(`/api/v1/admin/leads?limit=100${stage ? `&stage=${stage}` : ''}`)]);
  const funnel = pairs(s.funnel);
  const stageSelect = select('stage', [['', 'All stages'], ...LEAD_STAGES.map((v) => [v, label(v)])], stage, { id: nextId('stage') });
  stageSelect.addEventListener('change', () => navigate(`/admin/activity${stageSelect.value ? `?stage=${stageSelect.value}` : ''}`));
  body.append(h('h1', {}, 'Leads and visits'),
    h('section', {}, h('h2', {}, 'Inquiry → visit booked → won'),
      h('dl', { class: 'facts-grid' }, funnel.map(([k, v]) => h('div', {}, h('dt', {}, label(k)), h('dd', {}, num(v)))))),
    h('section', {}, h('h2', {}, 'Leads per day'), h('p', {}, pairs(s.leads_per_day).map(([d, n]) => `${d}: ${num(n)}`).join(' · ') || 'No leads yet.')),
    h('section', {}, h('h2', {}, 'Latest leads'), field('Stage', stageSelect),
      leads.items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
        h('thead', {}, h('tr', {}, ['Listing', 'Contact', 'Stage', 'Preferred time', 'Created'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, leads.items.map((l) => h('tr', {},
          h('td', {}, h('a', { href: `/listings/${l.listing_id}` }, l.listing_title || `Listing ${l.listing_id}`)),
          h('td', {}, [l.contact?.name, l.contact?.phone, l.contact?.email].filter(Boolean).join(' · ') || '—'),
          h('td', {}, label(l.stage)), h('td', {}, label(l.preferred_contact_time)), h('td', {}, when(l.created_at)))))))
        : h('p', {}, 'No leads.')));
}

async function outbox(body) {
  document.title = 'Failed notifications · Griha';
  const list = h('div');
  body.append(h('h1', {}, 'Failed notifications'),
    h('p', { class: 'muted' }, 'Messages that failed every attempt. Retry sends them again with the same delivery id.'), list);
  const load = async () => {
    const { items } = await api('/api/v1/admin/outbox?status=dead');
    clear(list, items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('caption', { class: 'visually-hidden' }, 'Failed notifications'),
      h('thead', {}, h('tr', {}, ['Channel', 'To', 'Message', 'Attempts', 'Last error', 'Created', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, items.map((m) => h('tr', {},
        h('td', {}, label(m.channel)), h('td', {}, m.recipient || '—'), h('td', {}, m.subject || label(m.kind)),
        h('td', {}, num(m.attempts)), h('td', { class: 'error-text' }, m.last_error || '—'), h('td', {}, when(m.created_at)),
        h('td', {}, h('button', { type: 'button', class: 'btn small', onclick: async () => {
          try {
            await api(`/api/v1/admin/outbox/${m.id}/retry`, { method: 'POST' });
            toast('Queued again');
            load();
          } catch (err) {
            toast(err.message, 'error');
          }
        } }, 'Retry')))))))
      : h('p', {}, 'No failed notifications.'));
  };
  await load();
}

async function stats(body) {
  document.title = 'Statistics · Griha';
  const [s] = await Promise.all([api('/api/v1/admin/stats'), loadScript('/assets/vendor/chart.umd.min.js')]);
  const { Chart } = window;
  const canvas = (labelText) => {
    const c = h('canvas', { role: 'img', 'aria-label': labelText, id: nextId('chart') });
    return [c, h('div', { class: 'chart' }, c)];
  };
  // Listings by city and status: one stacked bar per city.
  const rows = Array.isArray(s.listings_by_city_status) ? s.listings_by_city_status
    : Object.entries(s.listings_by_city_status || s.listings_by_city || {}).flatMap(([city, byStatus]) =>
      Object.entries(byStatus).map(([st, count]) => ({ city, status: st, count })));
  const cities = [...new Set(rows.map((r) => String(r.city ?? cityName(r.city_id) ?? r.city_id)))];
  const statuses = [...new Set(rows.map((r) => r.status))];
  const palette = ['#b4441f', '#2f6f4f', '#c99a2e', '#3b5b92', '#7a4f9a', '#888', '#d06d8f', '#4f8f8f'];
  const [c1, w1] = canvas('Listings by city and status');
  const [c2, w2] = canvas('Leads per day');
  const [c3, w3] = canvas('Inquiry to visit to won funnel');
  body.append(h('h1', {}, 'Statistics'),
    h('section', {}, h('h2', {}, 'Listings by city and status'), w1),
    h('section', {}, h('h2', {}, 'Leads per day'), w2),
    h('section', {}, h('h2', {}, 'Inquiry → visit → won'), w3));
  // A fresh options object per chart: Chart.js writes into the one it is given.
  const common = () => ({ responsive: true, maintainAspectRatio: false, animation: false });
  new Chart(c1, { type: 'bar', options: { ...common(), scales: { x: { stacked: true }, y: { stacked: true } } }, data: {
    labels: cities.map((c) => (/^\d+$/.test(c) ? cityName(c) || c : c)),
    datasets: statuses.map((st, i) => ({ label: label(st), backgroundColor: palette[i % palette.length],
      data: cities.map((c) => rows.filter((r) => String(r.city ?? cityName(r.city_id) ?? r.city_id) === c && r.status === st)
        .reduce((a, r) => a + r.count, 0)) })) } });
  const perDay = pairs(s.leads_per_day);
  new Chart(c2, { type: 'line', options: { ...common(), scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }, data: { labels: perDay.map(([d]) => d),
    datasets: [{ label: 'Leads', data: perDay.map(([, n]) => n), borderColor: palette[0], backgroundColor: palette[0] }] } });
  const funnel = pairs(s.funnel);
  new Chart(c3, { type: 'bar', options: { ...common(), plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }, data: { labels: funnel.map(([k]) => label(k)),
    datasets: [{ label: 'Count', data: funnel.map(([, n]) => n), backgroundColor: palette[1] }] } });
}

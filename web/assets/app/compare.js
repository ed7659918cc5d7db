// Up to four listings side by side (GET /api/v1/compare?ids=...).
import { api, missingApi } from './api.js';
import { compareIds } from './cards.js';
import { clear, errorBox, h } from './dom.js';
import { area, bhk, label, num, price } from './format.js';

// The server names the rows (GET /api/v1/compare answers {listings, rows}); values are shown
// in Indian formats by field.
function show(field, v, l) {
  if (v === null || v === undefined || v === '') return '—';
  if (field === 'price') return price(v, l.transaction);
  if (field === 'price_per_sqft' || field === 'maintenance_monthly' || field === 'security_deposit') return `₹${num(v)}`;
  if (field.endsWith('_sqft')) return area(v);
  if (field === 'plot_area_sqyd') return `${num(v)} sq yd`;
  if (field === 'bhk') return bhk(v, l.property_type);
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (Array.isArray(v)) return v.map(label).join(', ') || '—';
  if (typeof v === 'number') return num(v);
  return /^[a-z_]+$/.test(v) ? label(v) : String(v);
}

export async function render({ main, query }) {
  document.title = 'Compare · Griha';
  const ids = (query.get('ids') || compareIds().join(',')).split(',').map(Number).filter(Boolean).slice(0, 4);
  const body = h('div', {});
  main.append(h('h1', {}, 'Compare homes'), body);
  if (ids.length < 2) {
    body.append(h('p', {}, 'Tick "Compare" on two to four listings to see them side by side.'));
    return;
  }
  let listings;
  let rows;
  try {
    ({ listings, rows } = await api(`/api/v1/compare?ids=${ids.join(',')}`));
  } catch (err) {
    clear(body, missingApi(err) ? h('p', { class: 'notice' }, 'Comparing is not available on this server yet.') : errorBox(err));
    return;
  }
  body.append(h('div', { class: 'table-wrap' }, h('table', { class: 'compare' },
    h('caption', { class: 'visually-hidden' }, 'Listings compared'),
    h('thead', {}, h('tr', {}, h('td', {}), listings.map((l) => h('th', { scope: 'col' },
      h('a', { href: `/listings/${l.id}` }, l.title || `Listing ${l.id}`))))),
    h('tbody', {}, rows.map((row) => h('tr', {}, h('th', { scope: 'row' }, row.label),
      listings.map((l, i) => h('td', {}, show(row.field, row.values[i], l)))))))));
}

// Up to four listings side by side (GET /api/v1/compare?ids=...).
import { api, missingApi } from './api.js';
import { cityName, compareIds } from './cards.js';
import { clear, errorBox, h } from './dom.js';
import { area, bhk, label, num, price } from './format.js';

const ROWS = [
  ['Price', (l) => price(l.price, l.transaction)],
  ['Price per sq ft', (l) => (l.price_per_sqft ? `₹${num(l.price_per_sqft)}` : '—')],
  ['Type', (l) => `${bhk(l.bhk, l.property_type)} ${label(l.property_type)}`],
  ['For', (l) => label(l.transaction)],
  ['Carpet area', (l) => area(l.carpet_area_sqft)],
  ['Super built-up area', (l) => area(l.super_built_up_area_sqft)],
  ['Bathrooms', (l) => l.bathrooms ?? '—'],
  ['Furnishing', (l) => label(l.furnishing)],
  ['Possession', (l) => label(l.possession)],
  ['Floor', (l) => (l.floor !== null && l.floor !== undefined ? `${l.floor} of ${l.total_floors ?? '?'}` : '—')],
  ['Facing', (l) => label(l.facing)],
  ['City', (l) => cityName(l.city_id) || '—'],
  ['RERA', (l) => l.rera_number || '—'],
  ['Verified', (l) => (l.verified ? 'Yes' : 'No')],
  ['Amenities', (l) => (l.amenities || []).map(label).join(', ') || '—'],
];

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
  try {
    const r = await api(`/api/v1/compare?ids=${ids.join(',')}`);
    listings = r.items || r.listings || [];
  } catch (err) {
    clear(body, missingApi(err) ? h('p', { class: 'notice' }, 'Comparing is not available on this server yet.') : errorBox(err));
    return;
  }
  body.append(h('div', { class: 'table-wrap' }, h('table', { class: 'compare' },
    h('caption', { class: 'visually-hidden' }, 'Listings compared'),
    h('thead', {}, h('tr', {}, h('td', {}), listings.map((l) => h('th', { scope: 'col' },
      h('a', { href: `/listings/${l.id}` }, l.title || `Listing ${l.id}`))))),
    h('tbody', {}, ROWS.map(([name, fn]) => h('tr', {}, h('th', { scope: 'row' }, name),
      listings.map((l) => h('td', {}, String(fn(l))))))))));
}

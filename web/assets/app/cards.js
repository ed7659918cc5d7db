// Listing cards, the compare list and the shortlist, shared by the public pages.
import { api, missingApi, session } from './api.js';
import { h, toast } from './dom.js';
import { area, bhk, label, num, price } from './format.js';

// The gazetteer's cities (gazetteer/cities.csv): names and map centres by city id. The
// gazetteer changes only with a release, as these pages do.
export const CITIES = {
  1: ['Mumbai', 19.076, 72.8777], 2: ['Delhi', 28.6139, 77.209], 3: ['Bengaluru', 12.9716, 77.5946],
  4: ['Hyderabad', 17.385, 78.4867], 5: ['Chennai', 13.0827, 80.2707], 6: ['Kolkata', 22.5726, 88.3639],
  7: ['Pune', 18.5204, 73.8567], 8: ['Ahmedabad', 23.0225, 72.5714], 9: ['Gurugram', 28.4595, 77.0266],
  10: ['Noida', 28.5355, 77.391], 11: ['Navi Mumbai', 19.033, 73.0297], 12: ['Thane', 19.2183, 72.9781],
  13: ['Jaipur', 26.9124, 75.7873], 14: ['Lucknow', 26.8467, 80.9462], 15: ['Chandigarh', 30.7333, 76.7794],
  16: ['Kochi', 9.9312, 76.2673], 17: ['Indore', 22.7196, 75.8577], 18: ['Coimbatore', 11.0168, 76.9558],
};
export const cityName = (id) => CITIES[id]?.[0] || '';

// Cover photos: a search result carries its cover's URL (cover_photo_url); a listing shown
// from elsewhere (shortlist, compare) carries only a photo count, so its card asks for the
// listing's photos once it scrolls into view.
const covers = new Map();
export function coverUrl(id, width = '320') {
  if (!covers.has(id))
    covers.set(id, api(`/api/v1/listings/${id}/photos`).then(({ items }) => {
      const cover = items.find((m) => m.cover) || items.find((m) => m.kind === 'photo');
      return cover ? cover.urls : null;
    }).catch(() => null));
  return covers.get(id).then((urls) => urls?.[width] || null);
}

const observer = 'IntersectionObserver' in window ? new IntersectionObserver((entries) => {
  for (const e of entries) {
    if (!e.isIntersecting) continue;
    observer.unobserve(e.target);
    const img = e.target;
    const known = img.dataset.cover;
    (known ? Promise.resolve(known) : coverUrl(Number(img.dataset.listing))).then((src) => {
      if (src) img.src = src;
      else img.closest('.thumb')?.classList.add('none');
    });
  }
}, { rootMargin: '200px' }) : null;

export function badges(l) {
  return h('span', { class: 'badges' },
    l.featured && h('span', { class: 'badge featured' }, 'Featured'),
    l.verified && h('span', { class: 'badge verified' }, '✓ Verified'),
    l.rera_number && h('span', { class: 'badge rera', title: `RERA ${l.rera_number}` }, 'RERA'),
    l.posted_by && h('span', { class: 'badge' }, label(l.posted_by)));
}

// A search result (or a listing) as a card linking to its page.
export function card(r, { actions = true } = {}) {
  const place = [r.locality, r.city].filter(Boolean).join(', ');
  const dataset = { listing: r.id };
  if (r.cover_photo_url) dataset.cover = r.cover_photo_url;
  const img = h('img', { alt: '', width: 320, height: 213, dataset, decoding: 'async' });
  const thumb = h('div', { class: 'thumb' }, img, r.photo_count ? h('span', { class: 'count' }, `${r.photo_count} photos`) : null);
  // A search result without a cover has no photo to fetch (cover_photo_url null).
  const hasPhoto = r.cover_photo_url !== undefined ? r.cover_photo_url !== null : r.photo_count > 0;
  if (hasPhoto && observer) observer.observe(img);
  else thumb.classList.add('none');
  const facts = [bhk(r.bhk, r.property_type), label(r.property_type), area(r.area_sqft ?? r.carpet_area_sqft)]
    .filter((s) => s && s !== '—');
  return h('li', { class: 'card' },
    thumb,
    h('div', { class: 'body' },
      h('p', { class: 'price' }, price(r.price, r.transaction),
        r.price_per_sqft && !['rent', 'lease'].includes(r.transaction)
          ? h('small', {}, ` · ₹${num(r.price_per_sqft)}/sq ft`) : null),
      h('h3', {}, h('a', { href: `/listings/${r.id}` }, r.title || `Listing ${r.id}`)),
      h('p', { class: 'facts' }, facts.join(' · ')),
      place && h('p', { class: 'place' }, place),
      badges(r),
      actions && h('div', { class: 'card-actions' }, shortlistButton(r.id), compareToggle(r.id))));
}

// Compare: up to four listing ids, kept in this browser.
const COMPARE_KEY = 'griha.compare';
export function compareIds() {
  try {
    return JSON.parse(localStorage.getItem(COMPARE_KEY) || '[]').filter(Number.isInteger).slice(0, 4);
  } catch {
    return [];
  }
}
function setCompare(ids) {
  try {
    localStorage.setItem(COMPARE_KEY, JSON.stringify(ids));
  } catch { /* storage disabled */ }
  document.dispatchEvent(new CustomEvent('compare-changed'));
}
export function compareToggle(id) {
  const input = h('input', { type: 'checkbox', checked: compareIds().includes(id) });
  input.addEventListener('change', () => {
    let ids = compareIds().filter((x) => x !== id);
    if (input.checked) {
      if (ids.length >= 4) {
        input.checked = false;
        toast('You can compare at most 4 listings.', 'error');
        return;
      }
      ids = [...ids, id];
    }
    setCompare(ids);
  });
  return h('label', { class: 'compare-toggle' }, input, 'Compare');
}
export function compareLink() {
  const a = h('a', { href: '/compare', class: 'btn small' });
  const update = () => {
    const ids = compareIds();
    a.textContent = `Compare (${ids.length})`;
    a.href = `/compare?ids=${ids.join(',')}`;
    a.hidden = ids.length < 2;
  };
  update();
  document.addEventListener('compare-changed', update);
  return a;
}

// Shortlist: the signed-in user's, from the server; loaded once per page view.
let shortlisted = null;
export function loadShortlist() {
  if (!session.user) return Promise.resolve(new Set());
  shortlisted ??= api('/api/v1/me/shortlist')
    .then((r) => new Set((r.items || []).map((i) => i.listing_id ?? i.listing?.id ?? i.id)))
    .catch(() => new Set());
  return shortlisted;
}
export function resetShortlist() {
  shortlisted = null;
}
export function shortlistButton(id) {
  const btn = h('button', { type: 'button', class: 'shortlist', 'aria-pressed': 'false' }, '♡ Shortlist');
  const show = (on) => {
    btn.setAttribute('aria-pressed', String(on));
    btn.textContent = on ? '♥ Shortlisted' : '♡ Shortlist';
  };
  loadShortlist().then((s) => show(s.has(id)));
  btn.addEventListener('click', async () => {
    if (!session.user) {
      toast('Sign in to keep a shortlist.');
      return;
    }
    const on = btn.getAttribute('aria-pressed') !== 'true';
    try {
      await api(`/api/v1/me/shortlist/${id}`, { method: on ? 'PUT' : 'DELETE' });
      const s = await loadShortlist();
      if (on) s.add(id);
      else s.delete(id);
      show(on);
      toast(on ? 'Added to your shortlist' : 'Removed from your shortlist');
    } catch (err) {
      toast(missingApi(err) ? 'Shortlists are not available on this server yet.' : err.message, 'error');
    }
  });
  return btn;
}

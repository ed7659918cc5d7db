// A listing: gallery, key facts in Indian formats, amenities, map, virtual tour, badges,
// similar listings, the inquiry form and the visit slot picker.
import { ApiError, api, config, missingApi, session } from './api.js';
import { badges, card, cityName, compareLink, compareToggle, shortlistButton } from './cards.js';
import { $$, clear, errorBox, field, h, nextId, toast } from './dom.js';
import { area, bhk, day, istDate, label, money, num, price, time, when } from './format.js';
import { makeMap } from './map.js';

let mapRef = null;

export async function render({ main, params }) {
  const id = Number(params.id);
  let listing;
  let photos = [];
  try {
    [listing, photos] = await Promise.all([
      api(`/api/v1/listings/${id}`),
      api(`/api/v1/listings/${id}/photos`).then((r) => r.items).catch(() => []),
    ]);
  } catch (err) {
    document.title = 'Listing not found · Griha';
    main.append(h('h1', {}, 'Listing not found'),
      h('p', {}, err.status === 404 ? 'It may have been sold, rented or withdrawn.' : err.message),
      h('p', {}, h('a', { href: '/search' }, 'Back to search')));
    return;
  }
  const l = listing;
  document.title = `${l.title || `Listing ${id}`} · Griha`;
  const renting = l.transaction === 'rent' || l.transaction === 'lease';
  const city = cityName(l.city_id);
  const placeLine = h('p', { class: 'place' }, [l.project_name, city].filter(Boolean).join(', '));
  const similar = h('ul', { class: 'cards small', 'aria-label': 'Similar homes' });

  main.append(h('article', { class: 'listing-page' },
    l.status !== 'active' && h('p', { class: 'notice', role: 'note' },
      `This listing is ${label(l.status).toLowerCase()}; only you and the moderators can see it.`,
      l.rejection_reason ? ` Reason: ${l.rejection_reason}` : ''),
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
      h('a', { href: '/search' }, 'Search'), ' › ',
      city ? h('a', { href: `/search?city=${l.city_id}` }, city) : null),
    h('header', { class: 'listing-head' },
      h('div', {},
        h('h1', {}, l.title || `Listing ${id}`),
        placeLine,
        badges(l)),
      h('div', { class: 'listing-price' },
        h('p', { class: 'price big' }, price(l.price, l.transaction)),
        l.price_per_sqft && !renting ? h('p', {}, `₹${num(l.price_per_sqft)} per sq ft`) : null,
        h('div', { class: 'actions' }, shortlistButton(id), compareToggle(id), compareLink()))),
    gallery(photos, l.title),
    h('div', { class: 'listing-body' },
      h('div', { class: 'listing-main' },
        h('section', { 'aria-labelledby': 'facts-h' }, h('h2', { id: 'facts-h' }, 'Key facts'), facts(l)),
        l.description && h('section', { 'aria-labelledby': 'about-h' }, h('h2', { id: 'about-h' }, 'About this home'),
          h('p', { class: 'description' }, l.description)),
        l.amenities?.length ? h('section', { 'aria-labelledby': 'amen-h' }, h('h2', { id: 'amen-h' }, 'Amenities'),
          h('ul', { class: 'amenities-list' }, l.amenities.map((a) => h('li', {}, label(a))))) : null,
        await tour(l),
        l.latitude && h('section', { 'aria-labelledby': 'map-h' }, h('h2', { id: 'map-h' }, 'Location'),
          h('div', { class: 'map small', id: 'listing-map' })),
        h('section', { 'aria-labelledby': 'similar-h' }, h('h2', { id: 'similar-h' }, 'Similar homes'), similar)),
      h('aside', { class: 'listing-side' },
        l.status === 'active' ? inquiryForm(l) : null,
        l.status === 'active' ? visitPicker(l) : null))));

  if (l.latitude) {
    const el = document.getElementById('listing-map');
    const { L, map } = await makeMap(el, { center: [l.latitude, l.longitude], zoom: 15, label: 'Map of the location' });
    L.circleMarker([l.latitude, l.longitude], { radius: 9, className: 'here' }).addTo(map);
    mapRef = map;
  }
  loadSimilar(l, similar, placeLine, city);
}

export function leave() {
  mapRef?.remove();
  mapRef = null;
}

function facts(l) {
  const renting = l.transaction === 'rent' || l.transaction === 'lease';
  const rows = [
    ['Type', `${bhk(l.bhk, l.property_type)} ${label(l.property_type)}`.trim()],
    ['For', label(l.transaction)],
    ['Bathrooms', l.bathrooms], ['Balconies', l.balconies],
    ['Carpet area', l.carpet_area_sqft && area(l.carpet_area_sqft)],
    ['Built-up area', l.built_up_area_sqft && area(l.built_up_area_sqft)],
    ['Super built-up area', l.super_built_up_area_sqft && area(l.super_built_up_area_sqft)],
    ['Plot area', l.plot_area_sqyd && `${num(l.plot_area_sqyd)} sq yd`],
    [renting ? 'Rent' : 'Price', price(l.price, l.transaction)],
    ['Security deposit', l.security_deposit && money(l.security_deposit)],
    ['Maintenance', l.maintenance_monthly && `₹${num(l.maintenance_monthly)}/month`],
    ['Brokerage', l.brokerage && money(l.brokerage)],
    ['Furnishing', l.furnishing && label(l.furnishing)],
    ['Possession', l.possession && `${label(l.possession)}${l.possession_date ? ` (${l.possession_date})` : ''}`],
    ['Age', l.age_years !== null && l.age_years !== undefined ? `${l.age_years} years` : null],
    ['Floor', l.floor !== null && l.floor !== undefined ? `${l.floor}${l.total_floors ? ` of ${l.total_floors}` : ''}` : null],
    ['Facing', l.facing && label(l.facing)],
    ['Parking', (l.parking_covered || l.parking_open) ? `${l.parking_covered || 0} covered, ${l.parking_open || 0} open` : null],
    ['Tenants', l.tenant_preference && label(l.tenant_preference)],
    ['Pets', l.pets_allowed === null || l.pets_allowed === undefined ? null : l.pets_allowed ? 'Allowed' : 'Not allowed'],
    ['Project', l.project_name], ['RERA number', l.rera_number], ['PIN code', l.pincode],
    ['Posted by', label(l.posted_by)], ['Listed', l.published_at && when(l.published_at)],
  ].filter(([, v]) => v !== null && v !== undefined && v !== '' && v !== false);
  return h('dl', { class: 'facts-grid' }, rows.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, String(v)))));
}

function gallery(items, title) {
  const photos = items.filter((m) => m.kind === 'photo');
  const plans = items.filter((m) => m.kind === 'floor_plan');
  if (!photos.length && !plans.length) return h('div', { class: 'gallery empty' }, h('p', {}, 'No photos yet.'));
  const all = [...photos, ...plans];
  let index = Math.max(0, all.findIndex((m) => m.cover));
  const img = h('img', { class: 'gallery-main', alt: '', width: 800, height: 533 });
  const caption = h('p', { class: 'gallery-caption', 'aria-live': 'polite' });
  const thumbs = h('ul', { class: 'thumbs' });
  const show = (i) => {
    index = (i + all.length) % all.length;
    const m = all[index];
    img.src = m.urls['800'];
    img.srcset = `${m.urls['320']} 320w, ${m.urls['800']} 800w, ${m.urls['1600']} 1600w`;
    img.sizes = '(max-width: 899px) 100vw, 800px';
    img.alt = `${m.kind === 'floor_plan' ? 'Floor plan' : 'Photo'} ${index + 1} of ${all.length}: ${title || ''}`;
    caption.textContent = `${m.kind === 'floor_plan' ? 'Floor plan' : 'Photo'} ${index + 1} of ${all.length}`;
    $$('button', thumbs).forEach((b, k) => b.setAttribute('aria-current', String(k === index)));
  };
  all.forEach((m, i) => thumbs.append(h('li', {}, h('button', { type: 'button', onclick: () => show(i),
    'aria-label': `Show ${m.kind === 'floor_plan' ? 'floor plan' : 'photo'} ${i + 1}` },
  h('img', { src: m.urls['320'], alt: '', width: 96, height: 64, loading: 'lazy' })))));
  const wrap = h('section', { class: 'gallery', 'aria-label': 'Photos', tabindex: '0' },
    h('div', { class: 'stage' }, img,
      all.length > 1 && h('button', { type: 'button', class: 'prev', 'aria-label': 'Previous photo', onclick: () => show(index - 1) }, '‹'),
      all.length > 1 && h('button', { type: 'button', class: 'next', 'aria-label': 'Next photo', onclick: () => show(index + 1) }, '›')),
    caption, thumbs);
  wrap.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowLeft') show(index - 1);
    if (e.key === 'ArrowRight') show(index + 1);
  });
  show(index);
  return wrap;
}

// The virtual tour or video, embedded when its host is one the server allows (and the CSP
// frames); YouTube and Vimeo page links become their players' embed links.
async function tour(l) {
  const cfg = await config();
  const out = [];
  for (const [url, name] of [[l.virtual_tour_url, 'Virtual tour'], [l.video_url, 'Video']]) {
    if (!url) continue;
    const src = embedUrl(url, cfg.embed_hosts || []);
    out.push(src
      ? h('div', { class: 'embed' }, h('iframe', { src, title: `${name} of ${l.title || 'this home'}`, loading: 'lazy',
        allow: 'fullscreen; xr-spatial-tracking; accelerometer; gyroscope', referrerpolicy: 'strict-origin-when-cross-origin',
        sandbox: 'allow-scripts allow-same-origin allow-popups allow-presentation' }))
      : h('p', {}, h('a', { href: url, rel: 'noopener noreferrer' }, `Open the ${name.toLowerCase()}`)));
  }
  return out.length ? h('section', { 'aria-labelledby': 'tour-h' }, h('h2', { id: 'tour-h' }, 'Virtual tour'), out) : null;
}

export function embedUrl(text, hosts) {
  let u;
  try {
    u = new URL(text);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' || !hosts.includes(u.hostname)) return null;
  const yt = u.hostname === 'youtu.be' ? u.pathname.slice(1)
    : /youtube\.com$/.test(u.hostname) && u.pathname === '/watch' ? u.searchParams.get('v') : null;
  if (yt && /^[\w-]{6,20}$/.test(yt)) return hosts.includes('www.youtube.com') ? `https://www.youtube.com/embed/${yt}` : null;
  const vimeo = u.hostname === 'vimeo.com' && /^\/(\d+)$/.exec(u.pathname);
  if (vimeo) return hosts.includes('player.vimeo.com') ? `https://player.vimeo.com/video/${vimeo[1]}` : null;
  return u.href;
}

async function loadSimilar(l, list, placeLine, city) {
  const base = new URLSearchParams({ page_size: '7' });
  if (l.city_id) base.set('city', l.city_id);
  if (l.transaction) base.set('transaction', l.transaction);
  const inLocality = new URLSearchParams(base);
  if (l.locality_id) inLocality.set('locality', l.locality_id);
  try {
    let { results } = await api(`/api/v1/search?${inLocality}`);
    // The listing's locality name comes with the results in its locality.
    const locality = results[0]?.locality;
    if (locality) placeLine.textContent = [l.project_name, locality, city].filter(Boolean).join(', ');
    results = results.filter((r) => r.id !== l.id);
    if (results.length < 3 && l.city_id) {
      if (l.bhk !== null && l.bhk !== undefined) base.set('bhk', l.bhk);
      const more = await api(`/api/v1/search?${base}`);
      for (const r of more.results) if (r.id !== l.id && !results.some((x) => x.id === r.id)) results.push(r);
    }
    clear(list, results.slice(0, 6).map((r) => card(r)));
    if (!results.length) list.append(h('li', { class: 'empty' }, 'No similar homes listed right now.'));
  } catch {
    list.append(h('li', { class: 'empty' }, 'Similar homes could not be loaded.'));
  }
}

// Inquiry: signed-in seekers send at once; guests first prove a phone number or email address
// with a code. One Idempotency-Key per message, so a retried send makes one lead.
function inquiryForm(l) {
  const box = h('section', { class: 'panel', 'aria-labelledby': 'inq-h' });
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  const message = h('textarea', { name: 'message', rows: 4, required: true, maxlength: 2000 },
    `Hello, I am interested in "${l.title || 'this home'}". Please contact me.`);
  const contactTime = h('select', { name: 'preferred_contact_time' },
    ['anytime', 'morning', 'afternoon', 'evening'].map((v) => h('option', { value: v }, label(v))));
  const guest = !session.user;
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'name', maxlength: 100 });
  const contact = h('input', { type: 'text', name: 'contact', autocomplete: 'tel', placeholder: '+91 98xxxxxxxx or you@example.in' });
  const code = h('input', { type: 'text', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6 });
  // A field people never see or fill; bots that fill every field give themselves away.
  const honeypot = h('input', { type: 'text', name: 'website', tabindex: '-1', autocomplete: 'off' });
  let contactToken = null;
  let idempotencyKey = crypto.randomUUID();
  const contactBody = () => (contact.value.includes('@') ? { email: contact.value.trim() } : { phone: contact.value.trim() });

  const guestPart = guest ? h('fieldset', { class: 'group' }, h('legend', {}, 'Your contact details'),
    field('Your name', name),
    field('Mobile number or email', contact, 'We send a code to confirm it; only this lister sees it.'),
    h('button', { type: 'button', class: 'btn small', onclick: async () => {
      try {
        await api('/api/v1/inquiries/contact/verify-request', { method: 'POST', body: contactBody() });
        status.textContent = 'We sent you a code. Enter it below.';
      } catch (err) {
        clear(status, errorBox(err));
      }
    } }, 'Send code'),
    field('Code', code)) : null;

  const form = h('form', { class: 'inquiry', onsubmit: async (e) => {
    e.preventDefault();
    clear(status);
    const body = { message: message.value.trim(), preferred_contact_time: contactTime.value, website: honeypot.value };
    try {
      if (guest) {
        if (!contactToken) {
          ({ contact_token: contactToken } = await api('/api/v1/inquiries/contact/verify', {
            method: 'POST', body: { ...contactBody(), code: code.value.trim() } }));
        }
        body.contact_token = contactToken;
        if (name.value.trim()) body.name = name.value.trim();
      }
      await api(`/api/v1/listings/${l.id}/inquiries`, { method: 'POST', body,
        headers: { 'Idempotency-Key': idempotencyKey } });
      idempotencyKey = crypto.randomUUID();
      clear(status, h('p', { class: 'success' }, 'Inquiry sent. The lister will contact you.'));
      toast('Inquiry sent');
    } catch (err) {
      // The server answered, so this message was not sent: the next try is a new request.
      // (A network failure keeps the key, so a retry cannot make a second lead.)
      if (answered(err)) idempotencyKey = crypto.randomUUID();
      if (err instanceof ApiError && err.code === 'contact_token_invalid') contactToken = null;
      clear(status, missingApi(err) ? h('p', { class: 'error' }, 'Inquiries are not available on this server yet.') : errorBox(err));
    }
  } },
  field('Message', message),
  field('Best time to call', contactTime),
  guestPart,
  h('div', { class: 'honeypot', 'aria-hidden': 'true' }, h('label', {}, 'Website ', honeypot)),
  h('button', { type: 'submit', class: 'btn primary' }, 'Send inquiry'),
  status);
  box.append(h('h2', { id: 'inq-h' }, 'Contact the lister'), form);
  return box;
}

// Whether the server answered a request with an error (as opposed to the network failing, or
// the same key still being processed): only then is a retry a new request with a new key.
function answered(err) {
  return err instanceof ApiError && err.code !== 'idempotency_request_in_progress';
}

// Visit booking: the next seven days' slots in India time; one Idempotency-Key per booking.
function visitPicker(l) {
  const box = h('section', { class: 'panel', 'aria-labelledby': 'visit-h' });
  const body = h('div', { class: 'slots' });
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  box.append(h('h2', { id: 'visit-h' }, 'Book a site visit'), body, status);
  if (!session.user) {
    body.append(h('p', {}, h('a', { href: `/account/signin?next=/listings/${l.id}` }, 'Sign in'), ' to book a visit.'));
    return box;
  }
  let from = istDate();
  const load = async () => {
    clear(body, h('p', {}, 'Loading visit times…'));
    let data;
    try {
      data = await api(`/api/v1/listings/${l.id}/slots?from=${from}&days=7`);
    } catch (err) {
      clear(body, missingApi(err) ? h('p', {}, 'Visit booking is not available on this server yet.') : errorBox(err));
      return;
    }
    const open = (data.slots || []).filter((s) => s.available);
    if (!open.length) {
      clear(body, h('p', {}, 'No visit times in this week.'), nav());
      return;
    }
    const byDay = new Map();
    for (const s of open) {
      const d = istDate(new Date(s.start));
      if (!byDay.has(d)) byDay.set(d, []);
      byDay.get(d).push(s);
    }
    let key = crypto.randomUUID();
    const form = h('form', { onsubmit: async (e) => {
      e.preventDefault();
      const chosen = new FormData(form).get('slot');
      if (!chosen) {
        status.textContent = 'Choose a time first.';
        return;
      }
      try {
        const visit = await api(`/api/v1/listings/${l.id}/visits`, { method: 'POST', body: { start: chosen },
          headers: { 'Idempotency-Key': key } });
        const start = visit.visit?.start || visit.start || chosen;
        clear(status, h('p', { class: 'success' }, `Visit booked for ${day(start)}, ${time(start)} (India time).`,
          ' ', h('a', { href: '/account/visits' }, 'Your visits')));
        toast('Visit booked');
        load();
      } catch (err) {
        if (answered(err)) key = crypto.randomUUID();
        clear(status, errorBox(err));
        if (err instanceof ApiError && err.status === 409) load();
      }
    } },
    [...byDay].map(([d, slots]) => h('fieldset', { class: 'slot-day' }, h('legend', {}, day(slots[0].start)),
      h('div', { class: 'slot-list' }, slots.map((s) => {
        const id = nextId('slot');
        return h('span', { class: 'slot' }, h('input', { type: 'radio', name: 'slot', value: s.start, id }),
          h('label', { for: id }, time(s.start)));
      })))),
    h('button', { type: 'submit', class: 'btn primary' }, 'Book visit'));
    clear(body, form, nav());
  };
  const nav = () => h('p', { class: 'slot-nav' },
    from > istDate() ? h('button', { type: 'button', class: 'link', onclick: () => {
      from = shift(from, -7);
      load();
    } }, '← Earlier') : null,
    ' ', h('button', { type: 'button', class: 'link', onclick: () => {
      from = shift(from, 7);
      load();
    } }, 'Later →'));
  load();
  return box;
}

function shift(ymd, days) {
  const d = new Date(`${ymd}T12:00:00+05:30`);
  d.setUTCDate(d.getUTCDate() + days);
  return istDate(d);
}

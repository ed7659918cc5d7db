// Results: every filter of GET /api/v1/search with facet counts, sort, cursor pages, and a
// map of the server's clusters where an area can be drawn. The search lives in the URL (the
// API's own parameters, plus `view` and `map` for this page), so it can be shared and the
// back button walks back through it.
import { api, apiQuery, missingApi, session } from './api.js';
import { navigate } from './session.js';
import { card, CITIES, cityName, compareLink } from './cards.js';
import { $, $$, clear, errorBox, field, h, nextId, toast } from './dom.js';
import {
  AMENITIES, FACING, FURNISHING, PROPERTY_TYPES, TRANSACTIONS, bhk, label, money, num,
} from './format.js';
import { makeMap } from './map.js';
import { placeInput } from './places.js';

const FACETS = 'bhk,property_type,furnishing,posted_by,locality,price';
const MULTI = ['transaction', 'property_type', 'bhk', 'furnishing', 'posted_by', 'amenities', 'facing', 'locality'];
const SINGLE = ['q', 'price_min', 'price_max', 'area_min', 'area_max', 'price_per_sqft_min',
  'price_per_sqft_max', 'possession_by', 'floor_min', 'floor_max', 'bathrooms_min', 'tenant',
  'posted_within_days', 'radius_m'];
const FLAGS = ['ready_to_move', 'verified', 'with_photos', 'rera', 'pets_allowed'];
const SORTS = [['relevance', 'Relevance'], ['newest', 'Newest first'], ['price_asc', 'Price: low to high'],
  ['price_desc', 'Price: high to low'], ['price_per_sqft_asc', 'Price per sq ft: low to high'],
  ['price_per_sqft_desc', 'Price per sq ft: high to low'], ['area_desc', 'Largest first'],
  ['area_asc', 'Smallest first'], ['distance', 'Nearest first']];

let ui = null; // this page's elements and map, while it is shown

export async function render(ctx) {
  ui = { seq: 0, mapSeq: 0 };
  const form = h('form', { class: 'filters-form', 'aria-label': 'Filters' });
  ui.form = form;
  const place = placeInput({
    label: 'City or locality', onPick: (p) => {
      const q = currentQuery();
      q.delete('cursor');
      if (p.kind === 'city' || String(p.city_id) !== q.get('city')) q.delete('locality');
      q.set('city', p.city_id);
      if (p.locality_id && !q.getAll('locality').includes(String(p.locality_id)))
        q.append('locality', p.locality_id);
      place.set('');
      go(q);
    },
  });
  ui.place = place;
  ui.where = h('div', { class: 'where' });
  const group = (name, legend, values, labelOf = label) => h('fieldset', { class: 'group', dataset: { name } },
    h('legend', {}, legend),
    values.map((v) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name, value: v }), ' ', labelOf(v), ' ',
      h('span', { class: 'facet-count', dataset: { facet: name, value: v } }))));
  const numberPair = (a, b, legend, hint) => h('fieldset', { class: 'group pair' }, h('legend', {}, legend),
    field('Min', h('input', { type: 'number', name: a, min: 0, inputmode: 'numeric' })),
    field('Max', h('input', { type: 'number', name: b, min: 0, inputmode: 'numeric' })),
    hint && h('small', { class: 'hint', dataset: { amounts: `${a},${b}` } }, hint));
  ui.localities = h('fieldset', { class: 'group', dataset: { name: 'locality' }, hidden: true },
    h('legend', {}, 'Localities'));
  ui.prices = h('ul', { class: 'buckets', 'aria-label': 'Price ranges' });

  form.append(
    h('div', { class: 'where-block' }, place.el, ui.where),
    field('Keywords', h('input', { type: 'search', name: 'q', maxlength: 200, placeholder: 'e.g. sea view, metro' })),
    group('transaction', 'Buy or rent', TRANSACTIONS),
    group('bhk', 'Bedrooms', [0, 1, 2, 3, 4, 5], (v) => bhk(v)),
    numberPair('price_min', 'price_max', 'Budget (₹)', ' '),
    ui.prices,
    group('property_type', 'Property type', PROPERTY_TYPES),
    ui.localities,
    h('details', { class: 'more' }, h('summary', {}, 'More filters'),
      numberPair('area_min', 'area_max', 'Area (sq ft)'),
      numberPair('price_per_sqft_min', 'price_per_sqft_max', 'Price per sq ft (₹)'),
      group('furnishing', 'Furnishing', FURNISHING),
      group('posted_by', 'Posted by', ['owner', 'agent', 'builder']),
      h('fieldset', { class: 'group' }, h('legend', {}, 'Show only'),
        [['ready_to_move', 'Ready to move'], ['verified', 'Verified'], ['with_photos', 'With photos'],
          ['rera', 'RERA registered'], ['pets_allowed', 'Pets allowed']].map(([n, l]) =>
          h('label', { class: 'check' }, h('input', { type: 'checkbox', name: n, value: 'true' }), ' ', l))),
      field('Possession by', h('input', { type: 'date', name: 'possession_by' })),
      field('Posted within', h('select', { name: 'posted_within_days' },
        [['', 'Any time'], ['1', 'Last day'], ['7', 'Last week'], ['30', 'Last month'], ['90', 'Last 3 months']]
          .map(([v, l]) => h('option', { value: v }, l)))),
      numberPair('floor_min', 'floor_max', 'Floor'),
      field('Bathrooms, at least', h('input', { type: 'number', name: 'bathrooms_min', min: 0, max: 20 })),
      field('Tenants', h('select', { name: 'tenant' },
        [['', 'Any'], ['family', 'Family'], ['bachelors', 'Bachelors'], ['company', 'Company']]
          .map(([v, l]) => h('option', { value: v }, l)))),
      group('facing', 'Facing', FACING),
      h('fieldset', { class: 'group', dataset: { name: 'near' } }, h('legend', {}, 'Near a point'),
        field('Within', h('select', { name: 'radius_m' },
          [['', 'Anywhere'], ['1000', '1 km'], ['2000', '2 km'], ['5000', '5 km'], ['10000', '10 km'], ['25000', '25 km']]
            .map(([v, l]) => h('option', { value: v }, l))),
        'of the map centre (set it in the map view)')),
      h('details', { class: 'amenities' }, h('summary', {}, 'Amenities (all of)'),
        group('amenities', 'Amenities', AMENITIES))),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn primary' }, 'Apply'),
      h('a', { href: '/search', class: 'btn' }, 'Clear all')),
  );
  form.addEventListener('change', (e) => {
    if (e.target.name === 'place') return;
    apply();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
  });
  form.addEventListener('input', (e) => {
    if (['price_min', 'price_max'].includes(e.target.name)) amountsHint();
  });

  const filters = h('details', { class: 'filters', open: !matchMedia('(max-width: 899px)').matches },
    h('summary', {}, 'Filters'), form);

  ui.heading = h('h1', {}, 'Homes');
  ui.total = h('p', { class: 'total', role: 'status', 'aria-live': 'polite' });
  ui.sort = h('select', { id: nextId('sort') }, SORTS.map(([v, l]) => h('option', { value: v }, l)));
  ui.sort.addEventListener('change', () => {
    const q = currentQuery();
    q.delete('cursor');
    if (ui.sort.value === 'relevance') q.delete('sort');
    else q.set('sort', ui.sort.value);
    if (ui.sort.value === 'distance' && !q.has('lat')) {
      const c = mapCentre(q);
      q.set('lat', c[0].toFixed(5));
      q.set('lng', c[1].toFixed(5));
    }
    go(q);
  });
  ui.listBtn = h('button', { type: 'button', 'aria-pressed': 'true', onclick: () => setView('list') }, 'List');
  ui.mapBtn = h('button', { type: 'button', 'aria-pressed': 'false', onclick: () => setView('map') }, 'Map');
  ui.saveBox = h('div', { class: 'save-search', hidden: true });
  const saveBtn = h('button', { type: 'button', class: 'btn', 'aria-expanded': 'false', onclick: () => {
    const open = ui.saveBox.hidden;
    ui.saveBox.hidden = !open;
    saveBtn.setAttribute('aria-expanded', String(open));
    if (open) renderSaveBox();
  } }, 'Save search');
  ui.results = h('ul', { class: 'cards', 'aria-label': 'Results' });
  ui.pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  ui.mapWrap = h('div', { class: 'map-view', hidden: true });
  ui.error = h('div');

  ctx.main.append(h('div', { class: 'search-page' },
    h('div', { class: 'search-head' }, ui.heading, ui.total),
    h('div', { class: 'search-layout' },
      h('aside', { class: 'filters-col' }, filters),
      h('section', { class: 'results-col', 'aria-label': 'Search results' },
        h('div', { class: 'toolbar' },
          h('div', { class: 'segmented-buttons', role: 'group', 'aria-label': 'View' }, ui.listBtn, ui.mapBtn),
          h('label', { for: ui.sort.id, class: 'inline' }, 'Sort ', ui.sort),
          saveBtn, compareLink()),
        ui.saveBox, ui.error, ui.results, ui.pager, ui.mapWrap))));
  await update(ctx);
}

export function leave() {
  ui?.map?.remove();
  ui = null;
}

const currentQuery = () => new URLSearchParams(location.search);

function go(q, opts) {
  navigate(`/search?${q}`, opts);
}

// Reads the form into a query, keeping what the form does not show (map, polygon, sort...).
function apply() {
  const q = currentQuery();
  for (const k of [...MULTI.filter((k) => k !== 'locality'), ...SINGLE, ...FLAGS]) q.delete(k);
  q.delete('locality');
  q.delete('cursor');
  const data = new FormData(ui.form);
  for (const [k, v] of data) {
    if (k === 'place' || v === '') continue;
    q.append(k, v);
  }
  if (q.has('radius_m') && !q.has('lat')) {
    const c = mapCentre(q);
    q.set('lat', c[0].toFixed(5));
    q.set('lng', c[1].toFixed(5));
  }
  if (!q.has('radius_m') && q.get('sort') !== 'distance') {
    q.delete('lat');
    q.delete('lng');
  }
  go(q);
}

function syncForm(q) {
  for (const el of ui.form.elements) {
    if (!el.name || el.name === 'place') continue;
    if (el.type === 'checkbox') el.checked = q.getAll(el.name).includes(el.value);
    else if (el.tagName !== 'FIELDSET' && el.type !== 'submit') el.value = q.get(el.name) ?? '';
  }
  ui.sort.value = q.get('sort') || 'relevance';
  amountsHint();
  // Where: the chosen city, and a way to remove each place filter.
  const chips = [];
  if (q.get('city')) chips.push(['city', q.get('city'), cityName(q.get('city')) || `City ${q.get('city')}`]);
  if (q.get('project')) chips.push(['project', q.get('project'), `Project ${q.get('project')}`]);
  if (q.get('polygon')) chips.push(['polygon', q.get('polygon'), 'Drawn area']);
  if (q.get('bbox')) chips.push(['bbox', q.get('bbox'), 'Map area']);
  clear(ui.where, chips.length ? h('ul', { class: 'chips' }, chips.map(([k, v, text]) => h('li', {},
    h('button', { type: 'button', class: 'chip', 'aria-label': `Remove ${text}`, onclick: () => {
      const next = currentQuery();
      next.delete(k);
      if (k === 'city') next.delete('locality');
      next.delete('cursor');
      go(next);
    } }, text, ' ×')))) : null);
}

function amountsHint() {
  const hint = $('[data-amounts="price_min,price_max"]', ui.form);
  if (!hint) return;
  const lo = Number(ui.form.elements.price_min.value) || 0;
  const hi = Number(ui.form.elements.price_max.value) || 0;
  hint.textContent = lo || hi ? `${lo ? money(lo) : 'Any'} to ${hi ? money(hi) : 'any'}` : 'In rupees, e.g. 8500000 for ₹85 L';
}

function heading(q) {
  const t = q.getAll('transaction');
  const what = t.length && t.every((x) => x === 'rent' || x === 'lease') ? 'Homes for rent'
    : t.length && t.every((x) => x.startsWith('sale')) ? 'Homes for sale' : 'Homes';
  const where = cityName(q.get('city'));
  return where ? `${what} in ${where}` : what;
}

export async function update() {
  if (!ui) return;
  const q = currentQuery();
  syncForm(q);
  const text = heading(q);
  ui.heading.textContent = text;
  document.title = `${text} · Griha`;
  const view = q.get('view') === 'map' ? 'map' : 'list';
  ui.listBtn.setAttribute('aria-pressed', String(view === 'list'));
  ui.mapBtn.setAttribute('aria-pressed', String(view === 'map'));
  ui.results.hidden = view === 'map';
  ui.pager.hidden = view === 'map';
  ui.mapWrap.hidden = view !== 'map';
  clear(ui.error);

  const aq = apiQuery(q);
  aq.set('facets', FACETS);
  aq.set('locality_top_n', '15');
  const mine = ++ui.seq;
  let page;
  try {
    page = await api(`/api/v1/search?${aq}`);
  } catch (err) {
    if (mine === ui.seq) {
      clear(ui.error, errorBox(err));
      ui.total.textContent = '';
      clear(ui.results);
    }
    return;
  }
  if (!ui || mine !== ui.seq) return;
  ui.total.textContent = `${num(page.total)} ${page.total === 1 ? 'home' : 'homes'} found`;
  facetCounts(page.facets, q);
  if (view === 'list') {
    clear(ui.results, page.results.length ? page.results.map((r) => card(r))
      : h('li', { class: 'empty' }, 'Nothing matches these filters. Try removing some.'));
    renderPager(q, page);
  } else {
    await showMap(q);
  }
}

function facetCounts(facets, q) {
  for (const span of $$('.facet-count', ui.form)) span.textContent = '';
  for (const [name, items] of Object.entries(facets || {})) {
    if (name === 'locality' || name === 'price') continue;
    for (const item of items) {
      const span = $(`.facet-count[data-facet="${name}"][data-value="${item.value}"]`, ui.form);
      if (span) span.textContent = `(${num(item.count)})`;
    }
  }
  // Localities of the chosen city, with the chosen ones kept even when not among the top.
  const chosen = q.getAll('locality');
  const items = q.get('city') ? [...(facets.locality || [])] : [];
  for (const id of chosen)
    if (!items.some((i) => String(i.value) === id)) items.push({ value: Number(id), label: `Locality ${id}`, count: null });
  ui.localities.hidden = items.length === 0;
  // Rebuilt on every search; the checkbox that had the focus gets it back.
  const focused = ui.localities.contains(document.activeElement) ? document.activeElement.value : null;
  clear(ui.localities, h('legend', {}, 'Localities'), items.map((i) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'locality', value: i.value, checked: chosen.includes(String(i.value)) }),
    ' ', i.label || `Locality ${i.value}`, ' ',
    h('span', { class: 'facet-count' }, i.count === null ? '' : `(${num(i.count)})`))));
  if (focused) ui.localities.querySelector(`input[value="${CSS.escape(focused)}"]`)?.focus();
  // Price ranges with counts: choosing one sets the budget.
  clear(ui.prices, (facets.price || []).filter((b) => b.count > 0).map((b) => h('li', {},
    h('button', { type: 'button', class: 'link', onclick: () => {
      const next = currentQuery();
      next.delete('cursor');
      next.set('price_min', b.min);
      if (b.max) next.set('price_max', b.max);
      else next.delete('price_max');
      go(next);
    } }, `${money(b.min)}${b.max ? ` – ${money(b.max)}` : '+'} (${num(b.count)})`))));
}

// Cursor pages: "next" follows the server's cursor; "previous" is the browser's back, since
// each page is its own URL.
function renderPager(q, page) {
  const n = history.state?.page || 1;
  clear(ui.pager,
    q.get('cursor') ? h('button', { type: 'button', class: 'btn', onclick: () => history.back() }, '← Previous') : null,
    h('span', {}, `Page ${n}`),
    page.next_cursor ? h('button', { type: 'button', class: 'btn', onclick: () => {
      const next = currentQuery();
      next.set('cursor', page.next_cursor);
      navigate(`/search?${next}`, { state: { page: n + 1 } });
    } }, 'Next →') : null);
}

function setView(view) {
  const q = currentQuery();
  if (view === 'map') q.set('view', 'map');
  else q.delete('view');
  q.delete('cursor');
  go(q, { quiet: true });
}

function mapCentre(q) {
  if (ui?.map) {
    const c = ui.map.getCenter();
    return [c.lat, c.lng];
  }
  const m = (q.get('map') || '').split(',').map(Number);
  if (m.length === 3 && m.every(Number.isFinite)) return [m[0], m[1]];
  const city = CITIES[q.get('city')];
  return city ? [city[1], city[2]] : [22.5, 79];
}

const polygonPoints = (text) => (text || '').split(';').map((p) => p.split(',').map(Number))
  .filter((p) => p.length === 2 && p.every(Number.isFinite));

async function showMap(q) {
  if (!ui.map) {
    const el = h('div', { class: 'map', id: 'results-map' });
    ui.drawBar = h('div', { class: 'draw-bar' });
    ui.mapStatus = h('p', { class: 'map-status', role: 'status', 'aria-live': 'polite' });
    clear(ui.mapWrap, ui.drawBar, el, ui.mapStatus);
    let center = [22.5, 79];
    let zoom = 5;
    const m = (q.get('map') || '').split(',').map(Number);
    const city = CITIES[q.get('city')];
    if (m.length === 3 && m.every(Number.isFinite)) [center, zoom] = [[m[0], m[1]], m[2]];
    else if (city) [center, zoom] = [[city[1], city[2]], 11];
    const { L, map } = await makeMap(el, { center, zoom, label: 'Map of results' });
    if (!ui) return map.remove();
    ui.L = L;
    ui.map = map;
    ui.layer = L.layerGroup().addTo(map);
    ui.drawLayer = L.layerGroup().addTo(map);
    ui.drawing = null;
    const poly = polygonPoints(q.get('polygon'));
    if (!q.get('map') && poly.length >= 3) map.fitBounds(poly);
    map.on('moveend', () => {
      const c = map.getCenter();
      const next = currentQuery();
      next.set('map', `${c.lat.toFixed(5)},${c.lng.toFixed(5)},${map.getZoom()}`);
      history.replaceState(history.state, '', `/search?${next}`);
      loadClusters();
    });
    map.on('click', (e) => {
      if (ui.drawing) addPoint([e.latlng.lat, e.latlng.lng]);
    });
  } else {
    ui.map.invalidateSize();
  }
  renderDrawBar();
  drawArea();
  await loadClusters();
}

async function loadClusters() {
  if (!ui?.map) return;
  const { L, map } = ui;
  const b = map.getBounds();
  const q = apiQuery(currentQuery());
  q.delete('cursor');
  q.delete('sort');
  q.delete('bbox');
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  q.set('bbox', [clamp(b.getSouth(), -90, 90), clamp(b.getWest(), -180, 180), clamp(b.getNorth(), -90, 90),
    clamp(b.getEast(), -180, 180)].map((v) => v.toFixed(5)).join(','));
  q.set('zoom', String(clamp(map.getZoom(), 1, 22)));
  // Its own counter: a map move must not make a results search in flight look stale.
  const mine = ++ui.mapSeq;
  let geo;
  try {
    geo = await api(`/api/v1/search/map?${q}`);
  } catch (err) {
    if (ui && mine === ui.mapSeq) ui.mapStatus.textContent = err.message;
    return;
  }
  if (!ui || mine !== ui.mapSeq) return;
  ui.layer.clearLayers();
  for (const f of geo.features) {
    const [lng, lat] = f.geometry.coordinates;
    const p = f.properties;
    if (geo.clustered) {
      const size = p.count >= 100 ? 'l' : p.count >= 10 ? 'm' : 's';
      const marker = L.marker([lat, lng], {
        icon: L.divIcon({ className: `cluster ${size}`, html: `<span>${Number(p.count)}</span>`, iconSize: null }),
        title: `${p.count} homes, ${money(p.min_price)} to ${money(p.max_price)}`,
        alt: `${p.count} homes`, keyboard: true,
      });
      marker.on('click', () => map.setView([lat, lng], Math.min(map.getZoom() + 2, 18)));
      ui.layer.addLayer(marker);
    } else {
      const link = h('a', { href: `/listings/${p.id}` }, `${money(p.min_price)} — view listing`);
      const marker = L.marker([lat, lng], {
        icon: L.divIcon({ className: 'pin', html: `<span>${escapeHtml(money(p.min_price))}</span>`, iconSize: null }),
        title: `${money(p.min_price)}`, alt: `Listing ${p.id}`, keyboard: true,
      }).bindPopup(link);
      ui.layer.addLayer(marker);
    }
  }
  ui.mapStatus.textContent = `${num(geo.total)} ${geo.total === 1 ? 'home' : 'homes'} in this view${geo.truncated ? ' (showing some)' : ''}`;
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Drawing an area: each click on the map (or "add the map centre", for keyboards) adds a
// corner; "Search this area" sends it as the `polygon` filter.
function renderDrawBar() {
  const q = currentQuery();
  const drawing = ui.drawing;
  const btn = (text, onclick, attrs = {}) => h('button', { type: 'button', class: 'btn small', onclick, ...attrs }, text);
  clear(ui.drawBar,
    drawing
      ? [h('span', {}, `Drawing: ${drawing.length} ${drawing.length === 1 ? 'corner' : 'corners'}. Click the map to add corners.`),
        btn('Add map centre', () => {
          const c = ui.map.getCenter();
          addPoint([c.lat, c.lng]);
        }),
        btn('Search this area', finishArea, { disabled: drawing.length < 3 }),
        btn('Cancel', () => {
          stopDrawing();
          renderDrawBar();
          drawArea();
        })]
      : [btn('Draw an area', () => {
        ui.drawing = [];
        ui.map.getContainer().classList.add('drawing');
        // While drawing, a click anywhere adds a corner, even where a cluster sits.
        ui.layer.remove();
        renderDrawBar();
        drawArea();
      }),
      q.get('polygon') ? btn('Remove area', () => {
        const next = currentQuery();
        next.delete('polygon');
        go(next, { quiet: true });
      }) : null,
      btn('List homes in this view', () => {
        const b = ui.map.getBounds();
        const next = currentQuery();
        next.set('bbox', [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()].map((v) => v.toFixed(5)).join(','));
        next.delete('view');
        next.delete('cursor');
        go(next);
      })]);
}

function addPoint(p) {
  ui.drawing.push(p);
  renderDrawBar();
  drawArea();
}

function stopDrawing() {
  ui.drawing = null;
  ui.map.getContainer().classList.remove('drawing');
  ui.layer.addTo(ui.map);
}

function finishArea() {
  const pts = ui.drawing;
  stopDrawing();
  const next = currentQuery();
  next.set('polygon', pts.map(([a, b]) => `${a.toFixed(5)},${b.toFixed(5)}`).join(';'));
  next.delete('cursor');
  go(next, { quiet: true });
  toast('Showing homes inside the area you drew');
}

function drawArea() {
  const { L } = ui;
  ui.drawLayer.clearLayers();
  if (ui.drawing) {
    for (const p of ui.drawing) ui.drawLayer.addLayer(L.circleMarker(p, { radius: 5, className: 'vertex' }));
    if (ui.drawing.length > 1) ui.drawLayer.addLayer(L.polyline(ui.drawing, { className: 'draft-area' }));
    return;
  }
  const poly = polygonPoints(currentQuery().get('polygon'));
  if (poly.length >= 3) ui.drawLayer.addLayer(L.polygon(poly, { className: 'search-area' }));
}

function renderSaveBox() {
  if (!session.user) {
    clear(ui.saveBox, h('p', {}, h('a', { href: `/account/signin?next=${encodeURIComponent(location.pathname + location.search)}` }, 'Sign in'),
      ' to save this search and get alerts of new homes.'));
    return;
  }
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: 100, value: heading(currentQuery()) });
  const freq = h('select', { name: 'frequency' }, [['instant', 'As soon as they are listed'], ['daily', 'Once a day'],
    ['weekly', 'Once a week']].map(([v, l]) => h('option', { value: v }, l)));
  const form = h('form', { onsubmit: async (e) => {
    e.preventDefault();
    const query = apiQuery(currentQuery());
    query.delete('cursor');
    try {
      await api('/api/v1/me/saved-searches', { method: 'POST',
        body: { name: name.value.trim(), query: query.toString(), frequency: freq.value } });
      toast('Search saved. We will email you new matches.');
      ui.saveBox.hidden = true;
    } catch (err) {
      clear(ui.saveBox, form, missingApi(err) ? h('p', { class: 'error' }, 'Saved searches are not available on this server yet.') : errorBox(err));
    }
  } }, field('Name', name), field('Email me new homes', freq),
  h('button', { type: 'submit', class: 'btn primary' }, 'Save'));
  clear(ui.saveBox, form);
}

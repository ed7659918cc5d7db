// The lister's dashboard: my listings, the post/edit wizard with photos, the leads board, the
// visits calendar, availability, and CSV import.
import { ApiError, api, hasRole, missingApi } from './api.js';
import { navigate, requireUser } from './session.js';
import { visitRow } from './account.js';
import { cityName } from './cards.js';
import { $$, clear, errorBox, field, h, nextId, select, toast } from './dom.js';
import {
  AMENITIES, FACING, FURNISHING, LEAD_STAGES, PROPERTY_TYPES, TRANSACTIONS, area, bhk, day, istDate,
  label, money, num, price, time, when,
} from './format.js';
import { placeInput } from './places.js';

const sections = [
  ['', 'My listings'], ['listings/new', 'Post a listing'], ['leads', 'Leads'], ['visits', 'Visits'],
  ['availability', 'Availability'], ['import', 'CSV import'],
];

export async function render(ctx) {
  if (!(await requireUser(ctx, 'owner', 'agent', 'builder', 'admin'))) return;
  const path = ctx.params.path || '';
  const edit = /^listings\/(\d+)\/edit$/.exec(path);
  const page = edit ? 'edit' : path;
  const body = h('div', { class: 'dash-body' });
  ctx.main.append(h('div', { class: 'dashboard' },
    h('nav', { class: 'tabs', 'aria-label': 'Dashboard' }, sections
      .filter(([p]) => p !== 'import' || hasRole('agent', 'builder'))
      .map(([p, t]) => h('a', { href: `/dashboard${p ? `/${p}` : ''}`, 'aria-current': p === page ? 'page' : null }, t))),
    body));
  const pages = { '': myListings, 'listings/new': () => wizard(body, null), edit: () => wizard(body, Number(edit[1])),
    leads: leadsBoard, visits: visitsCalendar, availability, import: csvImport };
  const fn = pages[page];
  if (!fn) {
    body.append(h('h1', {}, 'Not found'));
    return;
  }
  try {
    await fn(body, ctx);
  } catch (err) {
    body.append(missingApi(err) ? h('p', { class: 'notice' }, 'This is not available on this server yet.') : errorBox(err));
  }
}

async function myListings(body) {
  document.title = 'My listings · Griha';
  body.append(h('div', { class: 'page-head' }, h('h1', {}, 'My listings'),
    h('a', { href: '/dashboard/listings/new', class: 'btn primary' }, '+ Post a listing')));
  const [{ listings }, stats, views] = await Promise.all([
    api('/api/v1/me/listings?limit=100'),
    api('/api/v1/me/leads/stats').catch(() => null),
    api('/api/v1/me/listings/views').then((r) => new Map(r.items.map((i) => [i.listing_id, i.views]))).catch(() => null),
  ]);
  const leadsFor = (id) => {
    const v = stats?.by_listing?.[id];
    if (v === undefined || v === null) return stats ? 0 : '—';
    return typeof v === 'number' ? v : (v.total ?? Object.values(v).reduce((a, b) => a + (Number(b) || 0), 0));
  };
  if (!listings.length) {
    body.append(h('p', {}, 'You have no listings yet.'));
    return;
  }
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  const act = (text, fn) => h('button', { type: 'button', class: 'btn small', onclick: async () => {
    try {
      await fn();
      navigate('/dashboard', { replace: true });
    } catch (err) {
      clear(status, errorBox(err));
    }
  } }, text);
  body.append(status, h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
    h('caption', { class: 'visually-hidden' }, 'My listings'),
    h('thead', {}, h('tr', {}, ['Listing', 'Status', 'Price', 'Photos', 'Views', 'Leads', 'Updated', 'Actions']
      .map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, listings.map((l) => h('tr', { dataset: { listing: l.id } },
      h('td', {}, h('a', { href: `/listings/${l.id}` }, l.title || `Draft ${l.id}`),
        h('small', { class: 'muted' }, ` ${cityName(l.city_id)}`)),
      h('td', {}, h('span', { class: `status ${l.status}` }, label(l.status)),
        l.rejection_reason ? h('small', { class: 'reason' }, ` ${l.rejection_reason}`) : null),
      h('td', {}, price(l.price, l.transaction)),
      h('td', {}, num(l.photo_count)),
      h('td', {}, views ? num(views.get(l.id) || 0) : '—'),
      h('td', {}, String(leadsFor(l.id))),
      h('td', {}, when(l.updated_at)),
      h('td', { class: 'actions' },
        h('a', { href: `/dashboard/listings/${l.id}/edit`, class: 'btn small' }, 'Edit'),
        ['draft', 'rejected', 'withdrawn', 'expired'].includes(l.status)
          ? act('Submit', () => api(`/api/v1/listings/${l.id}/submit`, { method: 'POST' })) : null,
        l.status === 'active' ? act('Withdraw', () => api(`/api/v1/listings/${l.id}/withdraw`, { method: 'POST' })) : null,
        l.status === 'active' ? act(l.transaction?.startsWith('sale') ? 'Mark sold' : 'Mark rented', () =>
          api(`/api/v1/listings/${l.id}/close`, { method: 'POST', body: { outcome: l.transaction?.startsWith('sale') ? 'sold' : 'rented' } })) : null)))))));
}

// ---- The post/edit wizard -------------------------------------------------------------

const STEPS = ['Basics', 'Location', 'Details', 'Photos', 'Review'];
const NUMBER_FIELDS = ['price', 'bathrooms', 'balconies', 'carpet_area_sqft', 'built_up_area_sqft',
  'super_built_up_area_sqft', 'plot_area_sqyd', 'security_deposit', 'maintenance_monthly', 'brokerage',
  'age_years', 'floor', 'total_floors', 'parking_covered', 'parking_open', 'bhk', 'city_id', 'locality_id'];

async function wizard(body, id) {
  document.title = `${id ? 'Edit listing' : 'Post a listing'} · Griha`;
  let listing = id ? await api(`/api/v1/listings/${id}`) : null;
  let step = 0;
  const stepper = h('ol', { class: 'stepper' });
  const panel = h('div', { class: 'wizard-panel' });
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  body.append(h('h1', {}, id ? `Edit: ${listing.title || `listing ${id}`}` : 'Post a listing'), stepper, status, panel);

  const input = (name, attrs = {}) => h('input', { name, id: nextId(name), value: listing?.[name] ?? '', ...attrs });
  const num_ = (name, attrs = {}) => input(name, { type: 'number', inputmode: 'numeric', ...attrs });
  const choice = (name, values, empty = '—') => select(name, [['', empty], ...values.map((v) => [v, label(v)])],
    listing?.[name] ?? '', { id: nextId(name) });
  const pricePreview = h('small', { class: 'hint', 'aria-live': 'polite' });
  const priceInput = num_('price', { min: 1000, required: true });
  const showPrice = () => (pricePreview.textContent = priceInput.value ? `= ${money(Number(priceInput.value))}` : 'Whole rupees; monthly for rent');
  priceInput.addEventListener('input', showPrice);
  showPrice();
  let place = listing ? { city_id: listing.city_id, locality_id: listing.locality_id } : null;
  const placeBox = placeInput({ label: 'Locality', placeholder: 'Start typing, e.g. Baner', onPick: (p) => {
    place = p;
    placeNote.textContent = p.kind === 'city' ? 'Choose a locality within the city.' : `Chosen: ${p.label}`;
  } });
  const placeNote = h('small', { class: 'hint', 'aria-live': 'polite' },
    listing?.locality_id ? `Currently: locality ${listing.locality_id}, ${cityName(listing.city_id)}` : '');

  const steps = [
    h('fieldset', { class: 'step' }, h('legend', {}, 'Basics'),
      field('For', choice('transaction', TRANSACTIONS)),
      field('Property type', choice('property_type', PROPERTY_TYPES)),
      field('Title', input('title', { type: 'text', minlength: 10, maxlength: 120, required: true }), '10 to 120 characters, e.g. "Bright 2 BHK near Baner metro"'),
      field('Description', h('textarea', { name: 'description', id: nextId('d'), rows: 5, minlength: 30, maxlength: 5000 }, listing?.description || ''), 'At least 30 characters.'),
      h('div', { class: 'field' }, h('label', { for: priceInput.id }, 'Price (₹)'), priceInput, pricePreview),
      field('Bedrooms', select('bhk', [['', '—'], ...[0, 1, 2, 3, 4, 5].map((v) => [v, bhk(v)])], listing?.bhk ?? '', { id: nextId('bhk') })),
      field('Bathrooms', num_('bathrooms', { min: 0, max: 20 })),
      field('Balconies', num_('balconies', { min: 0, max: 20 }))),
    h('fieldset', { class: 'step' }, h('legend', {}, 'Location'),
      placeBox.el, placeNote,
      field('Project or society', input('project_name', { type: 'text', maxlength: 120 })),
      field('PIN code', input('pincode', { type: 'text', inputmode: 'numeric', pattern: '[0-9]{6}', maxlength: 6 }), 'Filled in from the locality when left empty.')),
    h('fieldset', { class: 'step' }, h('legend', {}, 'Details'),
      h('div', { class: 'grid-2' },
        field('Carpet area (sq ft)', num_('carpet_area_sqft', { min: 50 })),
        field('Built-up area (sq ft)', num_('built_up_area_sqft', { min: 50 })),
        field('Super built-up area (sq ft)', num_('super_built_up_area_sqft', { min: 50 })),
        field('Plot area (sq yd)', num_('plot_area_sqyd', { min: 10 })),
        field('Furnishing', choice('furnishing', FURNISHING)),
        field('Possession', choice('possession', ['ready', 'under_construction'])),
        field('Possession month', input('possession_date', { type: 'month' })),
        field('Age (years)', num_('age_years', { min: 0, max: 200 })),
        field('Floor', num_('floor', { min: -3, max: 200 })),
        field('Total floors', num_('total_floors', { min: 1, max: 200 })),
        field('Facing', choice('facing', FACING)),
        field('Covered parking', num_('parking_covered', { min: 0 })),
        field('Open parking', num_('parking_open', { min: 0 })),
        field('Tenants (rent)', choice('tenant_preference', ['any', 'family', 'bachelors', 'company'])),
        field('Pets (rent)', select('pets_allowed', [['', '—'], ['true', 'Allowed'], ['false', 'Not allowed']],
          listing?.pets_allowed === null || listing?.pets_allowed === undefined ? '' : String(listing.pets_allowed), { id: nextId('pets') })),
        field('Security deposit (₹, rent)', num_('security_deposit', { min: 0 })),
        field('Maintenance (₹/month)', num_('maintenance_monthly', { min: 0 })),
        field('Brokerage (₹)', num_('brokerage', { min: 0 })),
        field('RERA number', input('rera_number', { type: 'text', maxlength: 60 }), 'Required for projects under construction.'),
        field('Virtual tour link', input('virtual_tour_url', { type: 'url', maxlength: 500 }), 'https link on YouTube, Matterport, Vimeo, Kuula…'),
        field('Video link', input('video_url', { type: 'url', maxlength: 500 }))),
      h('fieldset', { class: 'group amenity-grid' }, h('legend', {}, 'Amenities'),
        AMENITIES.map((a) => h('label', { class: 'check' },
          h('input', { type: 'checkbox', name: 'amenities', value: a, checked: listing?.amenities?.includes(a) }), ' ', label(a))))),
  ];
  const form = h('form', { class: 'wizard', novalidate: true }, steps);
  const photosPanel = h('div', { class: 'step' });
  const reviewPanel = h('div', { class: 'step' });

  // The form as listing fields: numbers as numbers, empty as absent (or null when clearing).
  const collect = () => {
    const data = new FormData(form);
    const out = {};
    for (const [k, v] of data) {
      if (k === 'amenities' || k === 'place') continue;
      if (v === '') continue;
      out[k] = NUMBER_FIELDS.includes(k) ? Number(v) : k === 'pets_allowed' ? v === 'true' : String(v).trim();
    }
    out.amenities = data.getAll('amenities');
    if (place?.city_id) out.city_id = place.city_id;
    if (place?.locality_id) out.locality_id = place.locality_id;
    return out;
  };
  const changes = () => {
    const now = collect();
    if (!listing) return now;
    const patch = {};
    for (const [k, v] of Object.entries(now))
      if (JSON.stringify(v) !== JSON.stringify(listing[k])) patch[k] = v;
    // Fields emptied in the form are cleared.
    for (const el of form.elements)
      if (el.name && el.name !== 'amenities' && el.name !== 'place' && el.value === '' && listing[el.name] !== null &&
          listing[el.name] !== undefined && !(el.name in now)) patch[el.name] = null;
    return patch;
  };
  const save = async () => {
    clear(status);
    const body_ = changes();
    if (listing && !Object.keys(body_).length) return true;
    try {
      if (!listing) {
        listing = await api('/api/v1/listings', { method: 'POST', body: body_ });
        history.replaceState({}, '', `/dashboard/listings/${listing.id}/edit`);
        toast('Draft saved');
      } else {
        const res = await api(`/api/v1/listings/${listing.id}`, { method: 'PATCH', body: body_, raw: true });
        listing = await res.json();
        toast(res.status === 202 ? 'Saved. Your changes wait for review; the listing stays visible as it was.' : 'Saved');
      }
      return true;
    } catch (err) {
      clear(status, errorBox(err));
      return false;
    }
  };

  const show = async (n) => {
    step = n;
    clear(stepper, STEPS.map((s, i) => h('li', { 'aria-current': i === step ? 'step' : null, class: i < step ? 'done' : '' },
      h('span', {}, `${i + 1}. ${s}`))));
    steps.forEach((s, i) => (s.hidden = i !== step));
    const back = step > 0 ? h('button', { type: 'button', class: 'btn', onclick: () => show(step - 1) }, '← Back') : null;
    let next;
    if (step < 2) next = h('button', { type: 'button', class: 'btn primary', onclick: () => show(step + 1) }, 'Next →');
    else if (step === 2) next = h('button', { type: 'button', class: 'btn primary', onclick: async () => {
      if (await save()) show(3);
    } }, listing ? 'Save and continue →' : 'Save draft and add photos →');
    else if (step === 3) next = h('button', { type: 'button', class: 'btn primary', onclick: () => show(4) }, 'Next: review →');
    const nav = h('div', { class: 'wizard-nav' }, back, next);
    if (step <= 2) clear(panel, form, nav);
    else if (step === 3) {
      clear(panel, photosPanel, nav);
      await photoManager(photosPanel, listing.id);
    } else {
      clear(panel, reviewPanel, nav);
      review(reviewPanel, listing);
    }
    panel.querySelector('legend, h2')?.setAttribute('tabindex', '-1');
    panel.querySelector('legend, h2')?.focus();
  };
  show(step);
}

// Photos: drop files or choose them; reorder by dragging or with the buttons; pick the cover.
async function photoManager(el, listingId) {
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  const list = h('ol', { class: 'photo-list', 'aria-label': 'Photos in order' });
  const kind = select('kind', [['photo', 'Photos'], ['floor_plan', 'Floor plans']], 'photo', { id: nextId('kind') });
  const fileInput = h('input', { type: 'file', name: 'files', accept: 'image/jpeg,image/png,image/webp', multiple: true, id: nextId('files') });
  const drop = h('div', { class: 'dropzone' },
    h('p', {}, 'Drag photos here, or ', h('label', { for: fileInput.id, class: 'link' }, 'choose files'), '.'),
    h('small', {}, 'JPEG, PNG or WebP, up to 10 MB each; the first photo becomes the cover.'), fileInput);
  let items = [];

  const upload = async (files) => {
    if (!files.length) return;
    const fd = new FormData();
    fd.append('kind', kind.value);
    for (const f of files) fd.append('files', f, f.name);
    status.textContent = `Uploading ${files.length} ${files.length === 1 ? 'file' : 'files'}…`;
    try {
      await api(`/api/v1/listings/${listingId}/photos`, { method: 'POST', body: fd });
      status.textContent = `${files.length} uploaded.`;
      await refresh();
    } catch (err) {
      clear(status, errorBox(err));
    }
    fileInput.value = '';
  };
  fileInput.addEventListener('change', () => upload([...fileInput.files]));
  drop.addEventListener('dragover', (e) => {
    if (![...e.dataTransfer.types].includes('Files')) return;
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    if (!e.dataTransfer.files.length) return;
    e.preventDefault();
    drop.classList.remove('over');
    upload([...e.dataTransfer.files]);
  });

  const arrange = async (body) => {
    try {
      ({ items } = await api(`/api/v1/listings/${listingId}/photos`, { method: 'PATCH', body }));
      draw();
      status.textContent = 'Order saved.';
    } catch (err) {
      clear(status, errorBox(err));
    }
  };
  const move = (from, to) => {
    if (to < 0 || to >= items.length) return;
    const order = items.map((m) => m.id);
    const [x] = order.splice(from, 1);
    order.splice(to, 0, x);
    arrange({ order });
  };
  let dragging = null;
  const draw = () => clear(list, items.map((m, i) => {
    const li = h('li', { class: `photo${m.cover ? ' cover' : ''}`, draggable: 'true', dataset: { id: m.id } },
      h('img', { src: m.urls['320'], alt: `${label(m.kind)} ${i + 1}`, width: 160, height: 107 }),
      h('div', { class: 'photo-actions' },
        m.cover ? h('span', { class: 'badge' }, 'Cover') : m.kind === 'photo'
          ? h('button', { type: 'button', class: 'btn small', onclick: () => arrange({ cover: m.id }) }, 'Make cover') : h('span', { class: 'badge' }, 'Floor plan'),
        h('button', { type: 'button', class: 'btn small', 'aria-label': `Move ${i + 1} earlier`, disabled: i === 0, onclick: () => move(i, i - 1) }, '↑'),
        h('button', { type: 'button', class: 'btn small', 'aria-label': `Move ${i + 1} later`, disabled: i === items.length - 1, onclick: () => move(i, i + 1) }, '↓'),
        h('button', { type: 'button', class: 'btn small danger', 'aria-label': `Delete ${i + 1}`, onclick: async () => {
          try {
            await api(`/api/v1/listings/${listingId}/photos/${m.id}`, { method: 'DELETE' });
            await refresh();
          } catch (err) {
            clear(status, errorBox(err));
          }
        } }, 'Delete')));
    li.addEventListener('dragstart', (e) => {
      dragging = i;
      e.dataTransfer.effectAllowed = 'move';
      e.dataTransfer.setData('text/plain', String(m.id));
    });
    li.addEventListener('dragover', (e) => {
      if (dragging === null) return;
      e.preventDefault();
    });
    li.addEventListener('drop', (e) => {
      if (dragging === null) return;
      e.preventDefault();
      e.stopPropagation();
      const from = dragging;
      dragging = null;
      move(from, i);
    });
    li.addEventListener('dragend', () => (dragging = null));
    return li;
  }), items.length ? null : h('li', { class: 'empty' }, 'No photos yet.'));
  const refresh = async () => {
    ({ items } = await api(`/api/v1/listings/${listingId}/photos`));
    draw();
  };
  clear(el, h('h2', {}, 'Photos'), field('Upload as', kind), drop, status, list);
  await refresh();
}

function review(el, l) {
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  const canSubmit = ['draft', 'rejected', 'withdrawn', 'expired'].includes(l.status);
  clear(el, h('h2', {}, 'Review'),
    h('dl', { class: 'facts-grid' }, [
      ['Title', l.title], ['For', label(l.transaction)], ['Type', `${bhk(l.bhk, l.property_type)} ${label(l.property_type)}`],
      ['Price', price(l.price, l.transaction)], ['Area', area(l.carpet_area_sqft || l.built_up_area_sqft || l.super_built_up_area_sqft)],
      ['City', cityName(l.city_id) || '—'], ['Photos', num(l.photo_count)], ['Status', label(l.status)],
    ].map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, String(v ?? '—'))))),
    canSubmit ? h('button', { type: 'button', class: 'btn primary', onclick: async () => {
      try {
        await api(`/api/v1/listings/${l.id}/submit`, { method: 'POST' });
        toast('Submitted for review');
        navigate('/dashboard');
      } catch (err) {
        clear(status, errorBox(err));
      }
    } }, 'Submit for review') : h('p', {}, `This listing is ${label(l.status).toLowerCase()}.`,
      ' ', h('a', { href: '/dashboard' }, 'Back to my listings')),
    status);
}

// ---- Leads ----------------------------------------------------------------------------

async function leadsBoard(body, ctx) {
  document.title = 'Leads · Griha';
  const q = ctx.query;
  const { listings } = await api('/api/v1/me/listings?limit=100');
  const filter = h('form', { class: 'filter-bar', onsubmit: (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(filter)) if (v) next.set(k, v);
    navigate(`/dashboard/leads?${next}`);
  } },
  field('Listing', select('listing_id', [['', 'All listings'], ...listings.map((l) => [l.id, l.title || `Listing ${l.id}`])], q.get('listing_id') || '')),
  field('From', h('input', { type: 'date', name: 'from', value: q.get('from') || '' })),
  field('To', h('input', { type: 'date', name: 'to', value: q.get('to') || '' })),
  h('button', { type: 'submit', class: 'btn' }, 'Filter'));
  const exportBtn = h('button', { type: 'button', class: 'btn', onclick: async () => {
    try {
      const res = await api(`/api/v1/me/leads/export?${apiFilter(q)}`, { raw: true, headers: { accept: 'text/csv' } });
      const url = URL.createObjectURL(await res.blob());
      const a = h('a', { href: url, download: `leads-${istDate()}.csv` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (err) {
      toast(err.message, 'error');
    }
  } }, 'Export CSV');
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  const board = h('div', { class: 'board', 'aria-label': 'Leads by stage' });
  body.append(h('div', { class: 'page-head' }, h('h1', {}, 'Leads'), exportBtn), filter, status, board);

  const load = async () => {
    const { items } = await api(`/api/v1/me/leads?limit=100&${apiFilter(q)}`);
    let dragged = null;
    clear(board, LEAD_STAGES.map((stage) => {
      const mine = items.filter((l) => l.stage === stage);
      const col = h('section', { class: 'column', dataset: { stage }, 'aria-labelledby': `col-${stage}` },
        h('h2', { id: `col-${stage}` }, label(stage), ' ', h('span', { class: 'count' }, `(${mine.length})`)),
        h('ul', {}, mine.map((lead) => {
          const li = leadCard(lead, listings, async (patch) => {
            try {
              await api(`/api/v1/leads/${lead.id}`, { method: 'PATCH', body: patch });
              toast(`Moved to ${label(patch.stage || lead.stage)}`);
              await load();
            } catch (err) {
              clear(status, errorBox(err));
            }
          }, status);
          li.setAttribute('draggable', 'true');
          li.addEventListener('dragstart', (e) => {
            dragged = lead;
            e.dataTransfer.setData('text/plain', String(lead.id));
          });
          return li;
        })));
      col.addEventListener('dragover', (e) => dragged && e.preventDefault());
      col.addEventListener('drop', async (e) => {
        if (!dragged || dragged.stage === stage) return;
        e.preventDefault();
        const lead = dragged;
        dragged = null;
        if (stage === 'lost') {
          toast('Choose "Lost" in the card\'s stage menu to give a reason.');
          return;
        }
        try {
          await api(`/api/v1/leads/${lead.id}`, { method: 'PATCH', body: { stage } });
          toast(`Moved to ${label(stage)}`);
          await load();
        } catch (err) {
          clear(status, errorBox(err));
        }
      });
      return col;
    }));
  };
  await load();
}

const apiFilter = (q) => {
  const out = new URLSearchParams();
  for (const k of ['listing_id', 'stage', 'from', 'to']) if (q.get(k)) out.set(k, q.get(k));
  return out;
};

function leadCard(lead, listings, update, status) {
  const title = lead.listing_title || listings.find((l) => l.id === lead.listing_id)?.title || `Listing ${lead.listing_id}`;
  const stage = select('stage', LEAD_STAGES.map((s) => [s, label(s)]), lead.stage,
    { 'aria-label': `Stage of the lead from ${lead.contact?.name || 'this contact'}` });
  const reasonBox = h('div');
  stage.addEventListener('change', () => {
    if (stage.value !== 'lost') return update({ stage: stage.value });
    const reason = h('input', { type: 'text', name: 'lost_reason', required: true, maxlength: 300 });
    clear(reasonBox, h('form', { class: 'inline-form', onsubmit: (e) => {
      e.preventDefault();
      update({ stage: 'lost', lost_reason: reason.value.trim() });
    } }, field('Why was it lost?', reason), h('button', { type: 'submit', class: 'btn small primary' }, 'Move to lost')));
    reason.focus();
  });
  const notes = h('div');
  const c = lead.contact || {};
  return h('li', { class: 'lead', dataset: { lead: lead.id } },
    h('p', { class: 'who' }, h('strong', {}, c.name || 'Guest')),
    c.phone ? h('p', {}, h('a', { href: `tel:${c.phone}` }, c.phone)) : null,
    c.email ? h('p', {}, h('a', { href: `mailto:${c.email}` }, c.email)) : null,
    h('p', { class: 'muted' }, h('a', { href: `/listings/${lead.listing_id}` }, title)),
    lead.message ? h('p', { class: 'message' }, lead.message) : null,
    h('p', { class: 'muted' }, `${when(lead.created_at)} · call ${label(lead.preferred_contact_time).toLowerCase()}`),
    lead.lost_reason ? h('p', { class: 'muted' }, `Lost: ${lead.lost_reason}`) : null,
    h('label', { class: 'inline' }, 'Stage ', stage), reasonBox,
    h('button', { type: 'button', class: 'link', onclick: () => {
      const text = h('textarea', { name: 'body', rows: 2, required: true, maxlength: 2000 });
      clear(notes, h('form', { class: 'inline-form', onsubmit: async (e) => {
        e.preventDefault();
        try {
          await api(`/api/v1/leads/${lead.id}/notes`, { method: 'POST', body: { body: text.value.trim() } });
          clear(notes, h('p', { class: 'success' }, 'Note added.'));
        } catch (err) {
          clear(status, errorBox(err));
        }
      } }, field('Note', text), h('button', { type: 'submit', class: 'btn small' }, 'Add note')));
      text.focus();
    } }, 'Add a note'), notes);
}

// ---- Visits calendar ----------------------------------------------------------------------

async function visitsCalendar(body) {
  document.title = 'Visits · Griha';
  const cal = h('div', { class: 'calendar' });
  body.append(h('h1', {}, 'Site visits'), h('p', { class: 'muted' }, 'Times are India Standard Time.'), cal);
  const load = async () => {
    const today = istDate();
    // The past week too, so that visits can be marked visited or no-show.
    const from = istDate(new Date(Date.now() - 7 * 86400000));
    const to = istDate(new Date(Date.now() + 13 * 86400000));
    const { visits: items } = await api(`/api/v1/me/hosted-visits?from=${from}&to=${to}`);
    const days = [];
    for (let i = 0; i < 14; i++) days.push(istDate(new Date(Date.now() + i * 86400000)));
    const byDay = new Map(days.map((d) => [d, []]));
    const earlier = [];
    for (const v of items) {
      const d = istDate(new Date(v.start));
      if (byDay.has(d)) byDay.get(d).push(v);
      else if (d < today) earlier.push(v);
    }
    clear(cal, [...byDay].map(([d, vs]) => h('section', { class: `day${vs.length ? '' : ' free'}`, 'aria-label': day(`${d}T12:00:00+05:30`) },
      h('h2', {}, day(`${d}T12:00:00+05:30`)),
      vs.length ? h('ul', { class: 'rows' }, vs.sort((a, b) => a.start.localeCompare(b.start)).map((v) => hostedVisit(v, load)))
        : h('p', { class: 'muted' }, 'No visits'))),
    earlier.length ? h('section', { class: 'day' }, h('h2', {}, 'Earlier'),
      h('ul', { class: 'rows' }, earlier.map((v) => hostedVisit(v, load)))) : null);
  };
  await load();
}

function hostedVisit(v, refresh) {
  const row = visitRow(v, refresh);
  if (new Date(v.start) <= new Date() && !['cancelled', 'visited', 'no_show'].includes(v.status)) {
    const actions = row.querySelector('.row-actions');
    for (const outcome of ['visited', 'no_show'])
      actions.append(h('button', { type: 'button', class: 'btn small', onclick: async () => {
        try {
          await api(`/api/v1/visits/${v.id}/outcome`, { method: 'POST', body: { outcome } });
          toast(`Marked ${label(outcome).toLowerCase()}`);
          refresh();
        } catch (err) {
          toast(err.message, 'error');
        }
      } }, `Mark ${label(outcome).toLowerCase()}`));
  }
  return row;
}

// ---- Availability ------------------------------------------------------------------------

const DAYS = [['mon', 'Monday'], ['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday'], ['fri', 'Friday'],
  ['sat', 'Saturday'], ['sun', 'Sunday']];

async function availability(body, ctx) {
  document.title = 'Availability · Griha';
  const { listings } = await api('/api/v1/me/listings?limit=100');
  const live = listings.filter((l) => l.status === 'active');
  body.append(h('h1', {}, 'Visit availability'));
  if (!live.length) {
    body.append(h('p', {}, 'Once a listing is live you can publish visit times for it.'));
    return;
  }
  const chosen = Number(ctx.query.get('listing')) || live[0].id;
  const pick = select('listing', live.map((l) => [l.id, l.title || `Listing ${l.id}`]), chosen, { id: nextId('listing') });
  pick.addEventListener('change', () => navigate(`/dashboard/availability?listing=${pick.value}`));
  const status = h('div', { role: 'status', 'aria-live': 'polite' });
  body.append(field('Listing', pick), status);
  // Before hours are first set the server answers with its defaults and configured: false.
  const a = await api(`/api/v1/listings/${chosen}/availability`);
  const unset = h('p', { class: 'notice' }, 'No visit times are published for this listing yet.');
  if (!a.configured) body.append(unset);
  const windowRow = (w = { start: '10:00', end: '13:00' }) => h('span', { class: 'window' },
    h('input', { type: 'time', name: 'start', value: w.start, 'aria-label': 'From', step: 900 }), '–',
    h('input', { type: 'time', name: 'end', value: w.end, 'aria-label': 'To', step: 900 }),
    h('button', { type: 'button', class: 'link', 'aria-label': 'Remove these hours', onclick: (e) => e.target.closest('.window').remove() }, '×'));
  const dayRows = DAYS.map(([d, name]) => {
    const mine = a.windows.filter((w) => w.day === d);
    const list = h('span', { class: 'windows' }, mine.map(windowRow));
    return h('div', { class: 'day-row', dataset: { day: d } },
      h('span', { class: 'day-name' }, name), list,
      h('button', { type: 'button', class: 'btn small', 'aria-label': `Add hours on ${name}`, onclick: () => list.append(windowRow()) }, '+ hours'));
  });
  const blackout = h('ul', { class: 'blackouts' });
  const addBlackout = (d = '') => blackout.append(h('li', {}, h('input', { type: 'date', name: 'blackout', value: d, 'aria-label': 'Date with no visits' }),
    h('button', { type: 'button', class: 'link', onclick: (e) => e.target.closest('li').remove() }, 'Remove')));
  a.blackout_dates.forEach(addBlackout);
  const slot = select('slot_minutes', [15, 30, 45, 60, 90].map((m) => [m, `${m} minutes`]), a.slot_minutes, { id: nextId('slot') });
  const per = h('input', { type: 'number', name: 'visitors_per_slot', min: 1, max: 50, value: a.visitors_per_slot, id: nextId('per') });
  const form = h('form', { class: 'stack', onsubmit: async (e) => {
    e.preventDefault();
    const windows = [];
    for (const row of dayRows)
      for (const w of $$('.window', row)) {
        const [s, en] = $$('input', w).map((i) => i.value);
        if (s && en) windows.push({ day: row.dataset.day, start: s, end: en });
      }
    const body_ = { timezone: 'Asia/Kolkata', slot_minutes: Number(slot.value), visitors_per_slot: Number(per.value),
      windows, blackout_dates: $$('input[name=blackout]', blackout).map((i) => i.value).filter(Boolean) };
    try {
      await api(`/api/v1/listings/${chosen}/availability`, { method: 'PUT', body: body_ });
      unset.remove();
      clear(status, h('p', { class: 'success' }, 'Visit times published.'));
      toast('Availability saved');
    } catch (err) {
      clear(status, errorBox(err));
    }
  } },
  h('p', { class: 'muted' }, 'Weekly hours in India Standard Time (Asia/Kolkata).'),
  h('fieldset', { class: 'group' }, h('legend', {}, 'Weekly hours'), dayRows),
  h('div', { class: 'grid-2' }, field('Each visit', slot), field('Visitors per slot', per)),
  h('fieldset', { class: 'group' }, h('legend', {}, 'No visits on'), blackout,
    h('button', { type: 'button', class: 'btn small', onclick: () => addBlackout() }, '+ date')),
  h('button', { type: 'submit', class: 'btn primary' }, 'Save availability'));
  body.append(form);
}

// ---- CSV import ---------------------------------------------------------------------------

async function csvImport(body) {
  document.title = 'CSV import · Griha';
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv', required: true, id: nextId('csv') });
  const mode = select('mode', [['partial', 'Import the valid rows, report the rest'], ['all_or_nothing', 'Import nothing unless every row is valid']], 'partial', { id: nextId('mode') });
  const submit = h('input', { type: 'checkbox', name: 'submit', value: 'true' });
  const report = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'stack', onsubmit: async (e) => {
    e.preventDefault();
    if (!file.files.length) return;
    const text = await file.files[0].text();
    const q = new URLSearchParams({ mode: mode.value, submit: String(submit.checked) });
    clear(report, h('p', {}, 'Importing…'));
    let r;
    try {
      r = await api(`/api/v1/listings/import?${q}`, { method: 'POST', body: text, headers: { 'content-type': 'text/csv' } });
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.problem?.errors) r = err.problem;
      else if (err instanceof ApiError && err.problem?.rows_total !== undefined) r = err.problem;
      else {
        clear(report, errorBox(err));
        return;
      }
    }
    clear(report,
      h('p', { class: r.written ? 'success' : 'error' },
        `${num(r.imported)} of ${num(r.rows_total)} rows imported${r.written ? '' : ' — nothing was written'}; ${num(r.failed)} with errors.`),
      r.created?.length ? h('p', {}, 'Created: ', r.created.map((c, i) => [i ? ', ' : '',
        h('a', { href: `/dashboard/listings/${c.id}/edit` }, `row ${c.row}`)])) : null,
      r.errors?.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
        h('caption', {}, 'Errors by row'),
        h('thead', {}, h('tr', {}, ['Row', 'Line', 'Column', 'Problem'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, r.errors.map((x) => h('tr', {}, h('td', {}, x.row), h('td', {}, x.line), h('td', {}, x.column || '—'),
          h('td', {}, `${x.message} (${x.code})`)))))) : null,
      r.errors?.length ? h('button', { type: 'button', class: 'btn', onclick: () => {
        // The report already holds every error; it is written out here rather than by
        // importing the file again (which, in partial mode, would create its rows twice).
        const cell = (v) => `"${String(v ?? '').replace(/"/g, '""')}"`;
        const csv = ['row,column,code,message', ...r.errors.map((x) => [x.row, x.column, x.code, x.message].map(cell).join(','))].join('\r\n');
        const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
        const a = h('a', { href: url, download: 'import-errors.csv' });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      } }, 'Download the errors as CSV') : null);
  } },
  field('CSV file', file, 'Columns named as the API\'s listing fields, e.g. transaction, property_type, title, price, city_id, locality_id; amenities separated by |.'),
  field('Mode', mode),
  h('label', { class: 'check' }, submit, ' Submit the imported listings for review'),
  h('button', { type: 'submit', class: 'btn primary' }, 'Import'));
  body.append(h('h1', {}, 'Import listings from CSV'), form, report);
}

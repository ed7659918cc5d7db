// Search against an independent reference (tests/js/search/reference.mjs, written from
// api/openapi.json's description alone): demo listings from the seeder plus listings created
// through the API that use every enum value the description lists and leave every optional
// field empty somewhere; random queries compare totals, pages (and their cursors), facets and
// cards. Every enum value of every search filter in the description is also walked through
// search. Sizes come from the environment: bench/search_reference.sh runs 50,000 listings and
// 2,000 queries; make test a small run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { compare, facet, matches, prepare, words } from './search/reference.mjs';
import { createUser, freePort, postJson, startGriha } from './support.mjs';

const SEEDED = Number(process.env.GRIHA_SEARCH_REF_SEEDED ?? 300);
const CREATED = Number(process.env.GRIHA_SEARCH_REF_CREATED ?? 60);
const QUERIES = Number(process.env.GRIHA_SEARCH_REF_QUERIES ?? 300);

const api = JSON.parse(readFileSync(new URL('../../api/openapi.json', import.meta.url)));
const searchParams = Object.fromEntries(api.paths['/api/v1/search'].get.parameters.map((p) => [p.name, p]));
const enumOf = (name) => {
  const s = searchParams[name].schema;
  return s.enum ?? s.items?.enum;
};
// Every search filter whose values the description enumerates.
const ENUM_FILTERS = Object.keys(searchParams).filter((n) => enumOf(n) && n !== 'sort' && n !== 'facets');

// The gazetteer's names, for the place words of free text.
function csv(file) {
  const [head, ...rows] = readFileSync(new URL(`../../gazetteer/${file}`, import.meta.url), 'utf8').trim().split('\n');
  const cols = head.split(',');
  return rows.map((r) => {
    const cells = r.match(/("([^"]|"")*"|[^,]*)(,|$)/g).map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"'));
    return Object.fromEntries(cols.map((c, i) => [c, cells[i]]));
  });
}
const cities = new Map(csv('cities.csv').map((c) => [Number(c.city_id), c]));
const localities = csv('localities.csv').map((l) => ({ ...l, id: Number(l.locality_id), city: Number(l.city_id) }));
const localityById = new Map(localities.map((l) => [l.id, l]));
const places = { city: (id) => cities.get(id)?.name, locality: (id) => localityById.get(id)?.name };

let seed = 20261208;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const chance = (p) => rand() < p;
const cycle = (xs, i) => xs[i % xs.length];

let griha;
let admin;
const listers = {};
let listings = [];

async function call(method, path, user, body) {
  const res = await fetch(`${griha.base}${path}`, {
    method,
    headers: { ...(user ? user.auth : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : null };
}

// A listing body that uses value i of every vocabulary and leaves fields out in turn.
function listingBody(i) {
  const transaction = cycle(enumOf('transaction'), i);
  const type = cycle(enumOf('property_type'), Math.floor(i / 4) + i);
  const rental = transaction === 'rent' || transaction === 'lease';
  const residential = !['plot', 'office', 'shop', 'warehouse'].includes(type);
  const city = cycle([1, 2, 3], i);
  const loc = cycle(localities.filter((l) => l.city === city), i * 7);
  const area = cycle(['carpet_area_sqft', 'built_up_area_sqft', 'super_built_up_area_sqft', 'plot_area_sqyd'], i);
  const word = cycle(['marigold', 'lighthouse', 'banyan', 'monsoon', 'terracotta', 'courtyard'], i);
  const b = {
    transaction,
    property_type: type,
    title: `${word} ${type.replace('_', ' ')} listing ${i}`,
    description: `A ${word} home with ${cycle(['sea breeze', 'garden views', 'quiet lanes'], i)}, number ${i}.`,
    price: rental ? 10000 + 1000 * (i % 60) : 2000000 + 250000 * (i % 80),
    city_id: city,
    locality_id: loc.id,
    [area]: area === 'plot_area_sqyd' ? 100 + i : 300 + 25 * i,
  };
  if (residential) b.bhk = type === 'studio' ? 0 : i % 6;
  const optional = (name, values) => {
    const v = cycle([...values, null], i * 3 + name.length);
    if (v !== null) b[name] = v;
  };
  optional('furnishing', enumOf('furnishing'));
  optional('facing', enumOf('facing'));
  if (rental) optional('tenant_preference', enumOf('tenant'));
  optional('bathrooms', [1, 2, 3]);
  optional('pets_allowed', [true, false]);
  optional('project_name', ['Skyline Towers', 'Lakeview Residency']);
  const floor = cycle([null, -1, 0, 3, 10], i);
  if (floor !== null) {
    b.floor = floor;
    b.total_floors = 12;
  }
  const possession = cycle([null, 'ready', 'under_construction'], i);
  if (possession) b.possession = possession;
  if (possession === 'under_construction') b.possession_date = `20${27 + (i % 3)}-0${1 + (i % 9)}`;
  if (possession === 'under_construction' || i % 5 === 0) b.rera_number = `P518${String(10000000 + i)}`;
  if (i % 4 === 1) {
    b.latitude = Number(loc.lat) + 0.001 * (i % 7);
    b.longitude = Number(loc.lng) - 0.001 * (i % 5);
  }
  b.amenities = enumOf('amenities').filter((_, k) => (k + i) % 5 === 0);
  return b;
}

before(async () => {
  griha = await startGriha(await freePort(), {
    GRIHA_DEMO_SEED: 'true',
    GRIHA_DEMO_LISTINGS: String(SEEDED),
  });
  admin = await createUser(griha, 'admin', 'admin@example.in');
  for (const role of ['owner', 'agent', 'builder']) listers[role] = await createUser(griha, role, `${role}@example.in`);

  let last = 0;
  for (let i = 0; i < CREATED; i++) {
    const who = listers[cycle(['owner', 'agent', 'builder'], i)];
    const created = await call('POST', '/api/v1/listings', who, listingBody(i));
    assert.equal(created.status, 201, created.text);
    const id = created.body.id;
    last = id;
    const submitted = await call('POST', `/api/v1/listings/${id}/submit`, who);
    assert.equal(submitted.status, 200, submitted.text);
    const approved = await call('POST', `/api/v1/admin/listings/${id}/approve`, admin);
    assert.equal(approved.status, 200, approved.text);
    if (i % 6 === 0) {
      // A write after approval: search must see the new price.
      const edited = await call('PATCH', `/api/v1/listings/${id}`, who, { price: listingBody(i).price + 500 + i });
      assert.ok(edited.status < 300, edited.text);
    }
  }
  // Every active listing, as the API shows it.
  const ids = Array.from({ length: last }, (_, k) => k + 1);
  const fetched = [];
  for (let k = 0; k < ids.length; k += 32) {
    const batch = await Promise.all(ids.slice(k, k + 32).map((id) => call('GET', `/api/v1/listings/${id}`)));
    for (const r of batch) if (r.status === 200 && r.body.status === 'active') fetched.push(r.body);
  }
  listings = fetched.map((l) => prepare(l, places));
  assert.ok(listings.length >= CREATED, `only ${listings.length} active listings`);
});

after(async () => {
  if (griha) await griha.stop();
});

const qs = (p) => new URLSearchParams(p).toString();

async function search(p) {
  const r = await call('GET', `/api/v1/search?${qs(p)}`);
  assert.equal(r.status, 200, `${qs(p)} -> ${r.text}`);
  return r;
}

function checkCards(r, why) {
  // Plain notation only: no exponent in any number (strings, such as cursors, set aside).
  const numbers = r.text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  assert.doesNotMatch(numbers, /[0-9][eE][+-]?[0-9]/, `${why}: a number in exponent form`);
  for (const card of r.body.results) {
    const l = listings.find((x) => x.id === card.id);
    assert.ok(l, `${why}: card ${card.id} is not an active listing`);
    assert.equal(card.price, l.price, why);
    assert.equal(card.bhk, l.bhk ?? null, `${why}: bhk of ${l.id}`);
    assert.equal(card.furnishing, l.furnishing ?? null, `${why}: furnishing of ${l.id}`);
    assert.equal(card.area_sqft, l.area ?? null, `${why}: area of ${l.id}`);
    assert.equal(card.price_per_sqft, l.ppsf ?? null, `${why}: price per sq ft of ${l.id}`);
    assert.equal(card.photo_count, l.photo_count, `${why}: photo_count of ${l.id}`);
    assert.ok(Math.abs(card.latitude - l.latitude) < 1e-5 && Math.abs(card.longitude - l.longitude) < 1e-5, why);
    for (const c of [card.latitude, card.longitude]) assert.ok(!/\.\d{7}/.test(String(c)), `${why}: ${c}`);
  }
}

function randomQuery() {
  const p = {};
  const l = pick(listings);
  if (chance(0.7)) p.city = String(l.city_id);
  if (p.city && chance(0.2)) {
    const locs = [...new Set(listings.filter((x) => x.city_id === l.city_id).map((x) => x.locality_id))];
    p.locality = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(locs)).join(',');
  }
  const some = (name, prob) => {
    if (chance(prob)) p[name] = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(enumOf(name))))].join(',');
  };
  some('transaction', 0.3);
  some('property_type', 0.25);
  some('furnishing', 0.2);
  some('posted_by', 0.15);
  some('facing', 0.1);
  if (chance(0.3)) p.bhk = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 2) }, () => Math.floor(rand() * 6)))].join(',');
  if (chance(0.2)) p.price_max = String(l.price * (1 + Math.floor(rand() * 3)));
  if (chance(0.1)) p.price_min = String(Math.floor(l.price / 2));
  if (chance(0.1)) p.area_min = String(300 + Math.floor(rand() * 1000));
  if (chance(0.08)) p.area_max = String(500 + Math.floor(rand() * 2000));
  if (chance(0.08)) p.price_per_sqft_max = String(5000 + Math.floor(rand() * 20000));
  if (chance(0.06)) p.floor_min = String(Math.floor(rand() * 4) - 1);
  if (chance(0.06)) p.floor_max = String(Math.floor(rand() * 8));
  if (chance(0.06)) p.bathrooms_min = String(1 + Math.floor(rand() * 3));
  // The description refuses a minimum above its maximum (400): ask for a valid range.
  for (const k of ['price', 'area', 'floor']) {
    const [lo, hi] = [p[`${k}_min`], p[`${k}_max`]];
    if (lo !== undefined && hi !== undefined && Number(lo) > Number(hi)) {
      [p[`${k}_min`], p[`${k}_max`]] = [hi, lo];
    }
  }
  if (chance(0.08)) p.tenant = pick(enumOf('tenant'));
  if (chance(0.06)) p.ready_to_move = 'true';
  if (chance(0.06)) p.possession_by = `20${28 + Math.floor(rand() * 2)}-06-30`;
  for (const flag of ['verified', 'with_photos', 'pets_allowed', 'rera']) if (chance(0.05)) p[flag] = 'true';
  if (chance(0.05)) p.amenities = pick(enumOf('amenities'));
  if (chance(0.08)) p.posted_within_days = String(1 + Math.floor(rand() * 120));
  if (chance(0.25)) {
    const r = rand();
    if (r < 0.1 && l.rera_number) {
      p.q = chance(0.5) ? l.rera_number.toLowerCase() : ` ${l.rera_number} `;
    } else {
      const pool = [...l.words].filter((w) => /^[a-z]+$/.test(w));
      let ws = Array.from({ length: 1 + Math.floor(rand() * 2) }, () => pick(pool));
      if (chance(0.3)) {
        // A swap of two neighbouring letters, or a dropped one, in a long word.
        ws = ws.map((w) => {
          if (w.length < 5) return w;
          const k = 1 + Math.floor(rand() * (w.length - 2));
          return chance(0.5) ? w.slice(0, k) + w[k + 1] + w[k] + w.slice(k + 2) : w.slice(0, k) + w.slice(k + 1);
        });
      }
      if (chance(0.3)) ws[ws.length - 1] = ws[ws.length - 1].slice(0, Math.max(2, ws[ws.length - 1].length - 2));
      p.q = ws.join(' ');
    }
  }
  if (chance(0.1)) {
    p.lat = String(l.latitude);
    p.lng = String(l.longitude);
    p.radius_m = String(500 + Math.floor(rand() * 5000));
  } else if (chance(0.08)) {
    const d = 0.01 + rand() * 0.05;
    p.bbox = [l.latitude - d, l.longitude - d, l.latitude + d, l.longitude + d].map((x) => x.toFixed(4)).join(',');
  }
  p.sort = pick(enumOf('sort'));
  if (p.sort === 'distance' && !p.lat) {
    p.lat = String(l.latitude);
    p.lng = String(l.longitude);
  }
  p.page_size = String(1 + Math.floor(rand() * 30));
  const facets = enumOf('facets').filter(() => chance(0.35));
  if (facets.length) p.facets = facets.join(',');
  if (chance(0.3)) p.locality_top_n = String(1 + Math.floor(rand() * 5));
  return p;
}

function expectPage(p, body, why) {
  const now = Date.now();
  const want = listings.filter((l) => matches(l, p, now)).sort(compare(p));
  assert.equal(body.total, want.length, `${why}: total`);
  const size = Number(p.page_size ?? 20);
  const have = body.results.map((r) => r.id);
  const byRelevance = (p.sort ?? 'relevance') === 'relevance' && p.q !== undefined && words(p.q).length > 0;
  if (!byRelevance) {
    assert.deepEqual(have, want.slice(0, size).map((l) => l.id), `${why}: page`);
  } else if (want.length <= size) {
    assert.deepEqual([...have].sort((a, b) => a - b), want.map((l) => l.id).sort((a, b) => a - b), `${why}: page`);
  }
  return want;
}

test('every enum value of every search filter in the description is searchable', async () => {
  assert.ok(ENUM_FILTERS.length >= 7, ENUM_FILTERS.join());
  const now = Date.now();
  for (const name of ENUM_FILTERS) {
    for (const value of enumOf(name)) {
      const p = { [name]: value, page_size: '100' };
      const r = await search(p);
      const want = listings.filter((l) => matches(l, p, now)).length;
      assert.equal(r.body.total, want, `${name}=${value}`);
    }
  }
  for (const value of enumOf('facets')) await search({ facets: value });
  for (const value of enumOf('sort')) {
    await search(value === 'distance' ? { sort: value, lat: '19.07', lng: '72.87' } : { sort: value });
  }
});

test('random searches agree with the reference', async () => {
  let nonEmpty = 0;
  for (let n = 0; n < QUERIES; n++) {
    const p = randomQuery();
    const why = `query ${n}: ${qs(p)}`;
    const r = await search(p);
    const want = expectPage(p, r.body, why);
    checkCards(r, why);
    nonEmpty += want.length > 0;
    const now = Date.now();
    for (const [f, counts] of Object.entries(r.body.facets)) {
      if (f === 'price') {
        const rows = listings.filter((l) => matches(l, p, now, 'price'));
        let sum = 0;
        for (const b of counts) {
          const c = rows.filter((l) => l.price >= b.min && (b.max === undefined || l.price < b.max)).length;
          assert.equal(b.count, c, `${why}: price bucket ${b.min}`);
          sum += b.count;
        }
        assert.equal(sum, rows.length, `${why}: price buckets cover every listing`);
        continue;
      }
      const got = counts.map(({ value, count }) => ({ value, count }));
      const exp = facet(listings, p, now, f);
      const key = (x) => `${x.value}`;
      if (f === 'locality') assert.deepEqual(got, exp, `${why}: facet ${f}`);
      else assert.deepEqual(got.sort((a, b) => key(a).localeCompare(key(b))), exp.sort((a, b) => key(a).localeCompare(key(b))), `${why}: facet ${f}`);
    }
    if (r.body.next_cursor && chance(0.3)) {
      const next = await search({ ...p, cursor: r.body.next_cursor });
      const size = Number(p.page_size);
      const byRelevance = (p.sort ?? 'relevance') === 'relevance' && p.q !== undefined;
      if (!byRelevance) {
        assert.deepEqual(next.body.results.map((x) => x.id), want.slice(size, 2 * size).map((l) => l.id), `${why}: second page`);
      }
    }
  }
  assert.ok(nonEmpty > QUERIES / 3, `only ${nonEmpty} of ${QUERIES} queries found anything`);
});

test('POST takes the same query and refuses lists beyond their caps', async () => {
  const ok = await postJson(`${griha.base}/api/v1/search`, { furnishing: ['semi_furnished'], facets: ['furnishing', 'bhk'] });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.total, listings.filter((l) => l.furnishing === 'semi_furnished').length);
  const tooMany = await postJson(`${griha.base}/api/v1/search`, { facets: Array(7).fill('bhk') });
  assert.equal(tooMany.status, 400);
  assert.equal(tooMany.body.errors[0].field, 'facets');
  assert.equal(tooMany.body.errors[0].code, 'too_many_values');
});

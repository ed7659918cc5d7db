// A reference search, written from api/openapi.json's description of GET /api/v1/search alone
// (parameters, sorts, facets and the SearchPage schema), deliberately simple: a linear scan
// over listings as GET /api/v1/listings/{id} returns them. It shares nothing with src/search:
// not its vocabularies (they are read from the description), not its tokenizer, not its
// idea of an absent value. tests/js/search_reference.test.mjs compares the server against it.

// "a few stop words ... dropped" — the list the description of `q` names.
const STOP_WORDS = new Set(['a', 'an', 'and', 'at', 'by', 'for', 'in', 'is', 'of', 'on', 'or', 'the',
  'to', 'with']);

// Words: runs of ASCII letters and digits and of non-ASCII characters; ASCII letters compared
// case-insensitively.
export function words(text) {
  if (!text) return [];
  const out = [];
  for (const [m] of text.matchAll(/[A-Za-z0-9\u0080-\uffff]+/g)) {
    const w = m.replace(/[A-Z]/g, (c) => c.toLowerCase());
    if (!STOP_WORDS.has(w)) out.push(w);
  }
  return out;
}

// One typo: an insertion, a deletion, a substitution or a swap of two neighbouring letters.
export function withinOneTypo(a, b) {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    const diff = [];
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff.push(i);
    if (diff.length === 1) return true;
    return diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] &&
      a[diff[1]] === b[diff[0]];
  }
  const [s, l] = a.length < b.length ? [a, b] : [b, a];
  for (let i = 0; i <= s.length; i++) if (s.slice(0, i) + l[i] + s.slice(i) === l) return true;
  return false;
}

const R = 6371008.8; // the mean Earth radius the description names
function haversine(lat1, lng1, lat2, lng2) {
  const rad = Math.PI / 180;
  const dlat = (lat2 - lat1) * rad;
  const dlng = (lng2 - lng1) * rad;
  const h = Math.sin(dlat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dlng / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(Math.min(1, h)));
}

// The reference area: carpet, else built-up, else super built-up, else plot area in sq yd x 9.
export function referenceArea(l) {
  return l.carpet_area_sqft ?? l.built_up_area_sqft ?? l.super_built_up_area_sqft ??
    (l.plot_area_sqyd == null ? null : l.plot_area_sqyd * 9);
}

const isRental = (l) => l.transaction === 'rent' || l.transaction === 'lease';
const list = (v) => (v === undefined ? null : String(v).split(',').filter((s) => s !== ''));

// A listing as the reference sees it: the API's listing plus the place names (gazetteer).
export function prepare(l, places) {
  const area = referenceArea(l);
  const possession = l.possession_date ? Date.UTC(+l.possession_date.slice(0, 4), +l.possession_date.slice(5, 7) - 1, 1) : null;
  const text = [l.title, l.description, places.locality(l.locality_id), places.city(l.city_id), l.project_name];
  return {
    ...l,
    area,
    ppsf: area ? Math.floor(l.price / area) : null,
    // "positions are compared as kept: single-precision floats" (the lat parameter).
    lat32: Math.fround(l.latitude),
    lng32: Math.fround(l.longitude),
    possessionMs: possession,
    publishedMs: Date.parse(l.published_at),
    words: new Set(text.flatMap(words)),
  };
}

function textMatches(l, q) {
  if (l.rera_number && q.trim().toUpperCase() === l.rera_number.toUpperCase()) return true;
  const ws = words(q);
  if (ws.length === 0) return true;
  return ws.every((w, i) => {
    if (l.words.has(w)) return true;
    const last = i === ws.length - 1;
    for (const lw of l.words) {
      if (last && w.length >= 2 && lw.startsWith(w)) return true;
      if (w.length >= 5 && withinOneTypo(w, lw)) return true;
    }
    return false;
  });
}

// Does listing l pass every filter of `p` (the query's parameters, strings), leaving out the
// filter named `skip` (a facet ignores its own)?
export function matches(l, p, now, skip = null) {
  const num = (k) => (p[k] === undefined ? null : Number(p[k]));
  const inRange = (v, lo, hi) => v != null && (lo == null || v >= lo) && (hi == null || v <= hi);
  const anyOf = (k, v) => {
    const vs = list(p[k]);
    return vs === null || (v != null && vs.includes(String(v)));
  };
  if (p.city && l.city_id !== Number(p.city)) return false;
  if (skip !== 'locality' && !anyOf('locality', l.locality_id)) return false;
  if (!anyOf('transaction', l.transaction)) return false;
  if (skip !== 'property_type' && !anyOf('property_type', l.property_type)) return false;
  if (skip !== 'bhk' && !anyOf('bhk', l.bhk)) return false;
  if (skip !== 'price' && (p.price_min !== undefined || p.price_max !== undefined) &&
    !inRange(l.price, num('price_min'), num('price_max'))) return false;
  if ((p.area_min !== undefined || p.area_max !== undefined) && !inRange(l.area, num('area_min'), num('area_max'))) return false;
  if ((p.price_per_sqft_min !== undefined || p.price_per_sqft_max !== undefined) &&
    !inRange(l.ppsf, num('price_per_sqft_min'), num('price_per_sqft_max'))) return false;
  if (skip !== 'furnishing' && !anyOf('furnishing', l.furnishing)) return false;
  if (p.ready_to_move === 'true' && l.possession !== 'ready') return false;
  if (p.possession_by !== undefined) {
    const by = Date.parse(`${p.possession_by}T00:00:00Z`);
    const ok = l.possession === 'ready' || (l.possession === 'under_construction' && l.possessionMs != null && l.possessionMs <= by);
    if (!ok) return false;
  }
  if (skip !== 'posted_by' && !anyOf('posted_by', l.posted_by)) return false;
  if (p.amenities !== undefined && !list(p.amenities).every((a) => l.amenities.includes(a))) return false;
  if (p.verified === 'true' && !l.verified) return false;
  if (p.with_photos === 'true' && !(l.photo_count > 0)) return false;
  if (!anyOf('facing', l.facing)) return false;
  if ((p.floor_min !== undefined || p.floor_max !== undefined) && !inRange(l.floor, num('floor_min'), num('floor_max'))) return false;
  if (p.bathrooms_min !== undefined && !(l.bathrooms != null && l.bathrooms >= num('bathrooms_min'))) return false;
  if (p.tenant !== undefined && !(isRental(l) && (l.tenant_preference === p.tenant || l.tenant_preference === 'any'))) return false;
  if (p.pets_allowed === 'true' && l.pets_allowed !== true) return false;
  if (p.posted_within_days !== undefined && !(l.publishedMs >= now - num('posted_within_days') * 86400e3)) return false;
  if (p.rera === 'true' && !l.rera_number) return false;
  if (p.q !== undefined && !textMatches(l, p.q)) return false;
  if (p.bbox !== undefined) {
    const [a, b, c, d] = p.bbox.split(',').map(Number);
    if (!(l.lat32 >= a && l.lat32 <= c && l.lng32 >= b && l.lng32 <= d)) return false;
  }
  if (p.radius_m !== undefined && haversine(num('lat'), num('lng'), l.lat32, l.lng32) > num('radius_m')) return false;
  return true;
}

// The order of `sort` (no text relevance: callers compare relevance-with-q as a set).
export function compare(p) {
  const sort = p.sort ?? 'relevance';
  const byId = (a, b) => a.id - b.id;
  const lastIfNull = (key, dir) => (a, b) => {
    const x = key(a);
    const y = key(b);
    if (x == null || y == null) return (x == null) - (y == null) || byId(a, b);
    return dir * (x - y) || byId(a, b);
  };
  const newest = (a, b) => b.publishedMs - a.publishedMs || byId(a, b);
  const featuredFirst = (cmp) => (a, b) => (b.featured - a.featured) || cmp(a, b);
  switch (sort) {
    case 'relevance': return featuredFirst(newest);
    case 'newest': return newest;
    case 'price_asc': return lastIfNull((l) => l.price, 1);
    case 'price_desc': return lastIfNull((l) => l.price, -1);
    case 'area_asc': return lastIfNull((l) => l.area, 1);
    case 'area_desc': return lastIfNull((l) => l.area, -1);
    case 'price_per_sqft_asc': return lastIfNull((l) => l.ppsf, 1);
    case 'price_per_sqft_desc': return lastIfNull((l) => l.ppsf, -1);
    case 'distance': return lastIfNull((l) => haversine(Number(p.lat), Number(p.lng), l.lat32, l.lng32), 1);
    default: throw new Error(`unknown sort ${sort}`);
  }
}

// Facet counts as the SearchPage carries them: [{value|min,max, count}] for facet `f`.
export function facet(listings, p, now, f, priceBuckets) {
  const rows = listings.filter((l) => matches(l, p, now, f));
  const counts = new Map();
  const add = (k) => counts.set(k, (counts.get(k) ?? 0) + 1);
  if (f === 'price') {
    return priceBuckets.map(({ min, max }) => ({
      min, max, count: rows.filter((l) => l.price >= min && (max === undefined || l.price < max)).length,
    })).filter((b) => b.count > 0);
  }
  const key = { bhk: 'bhk', property_type: 'property_type', furnishing: 'furnishing', posted_by: 'posted_by', locality: 'locality_id' }[f];
  for (const l of rows) if (l[key] != null) add(l[key]);
  const out = [...counts].map(([value, count]) => ({ value, count }));
  if (f === 'locality') {
    out.sort((a, b) => b.count - a.count || a.value - b.value);
    return out.slice(0, Number(p.locality_top_n ?? 10));
  }
  return out;
}

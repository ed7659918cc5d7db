// The web app in a real browser: Debian's Chromium driven by playwright-core against the real
// griha binary (GRIHA_BINARY) on a fresh SQLite database with demo listings. The issue's
// must-show flows run in order, sharing one server:
//   1. a lister signs up, posts a listing with two photos and sees it pending review;
//   2. an admin (made with `griha user create --role admin`) approves it;
//   3. the lister publishes visit hours for it;
//   4. a new seeker signs up, searches with filters (and finds it), switches to the map,
//      draws an area, opens the listing, sends an inquiry and books a visit;
//   5. the lister sees the seeker's lead in the pipeline and moves it to "contacted".
// Every page is checked for console errors and, at 390 px wide, for horizontal overflow; a
// screenshot of every step goes to GRIHA_WEB_ARTIFACTS (default: <build dir>/web-artifacts).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const binary = process.env.GRIHA_BINARY;
const artifacts = process.env.GRIHA_WEB_ARTIFACTS ||
  (binary ? path.join(path.dirname(path.resolve(binary)), 'web-artifacts') : path.join(repo, 'build', 'web-artifacts'));

const PASSWORD = 'a quiet morning in baner';
const ADMIN = { email: 'admin@example.in', password: 'the moderators keep watch' };
const LISTER = { name: 'Meera Kulkarni', email: 'meera.owner@example.in' };
const SEEKER = { name: 'Arjun Rao', email: 'arjun.seeker@example.in' };
const TITLE = 'Sunlit 2 BHK near Baner hill with two balconies';
// A tour on an allowed host; the seeker's browser gets a local stand-in for YouTube's player.
const TOUR = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ';
const TOUR_EMBED = 'https://www.youtube.com/embed/dQw4w9WgXcQ';
const NARROW = { width: 390, height: 844 };
const WIDE = { width: 1280, height: 900 };

let griha;
let browser;
const state = {};

// griha serve on port 0; resolves with its base URL once it prints where it serves.
async function startGriha() {
  if (!binary) throw new Error('GRIHA_BINARY is not set (ctest sets it)');
  for (const f of ['web/assets/vendor/leaflet/leaflet.js', 'web/assets/vendor/chart.umd.min.js'])
    if (!existsSync(path.join(repo, f))) throw new Error(`${f} is missing: run scripts/install-deps.sh`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'griha-web-'));
  const env = {
    ...process.env,
    GRIHA_SERVER_HOST: '127.0.0.1',
    GRIHA_SERVER_PORT: '0',
    GRIHA_DATABASE_URL: `sqlite://${dir}/griha.db`,
    GRIHA_STORAGE_DATA_DIR: `${dir}/data`,
    GRIHA_WEB_ROOT: path.join(repo, 'web'),
    // A flat tile served by griha itself: the maps make no outside request.
    GRIHA_WEB_TILE_URL: '/assets/app/blank-tile.png',
    GRIHA_DEMO_SEED: 'true',
    GRIHA_DEMO_LISTINGS: '300',
    GRIHA_SERVER_ACCESS_LOG: 'false',
  };
  const child = spawn(binary, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`griha did not start:\n${log}`)), 60000);
    const onData = (chunk) => {
      log += chunk;
      const m = /serving on (http:\/\/[\d.]+:\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`griha exited (${code}):\n${log}`)));
  });
  return {
    base,
    env,
    log: () => log,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A browser context per person (its own sessionStorage), with every console error and page
// error collected.
async function person(name) {
  const context = await browser.newContext({ viewport: WIDE, locale: 'en-IN', timezoneId: 'Asia/Kolkata' });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${name}: console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`${name}: page error: ${e.message}`));
  // A load cut short by leaving the page (a lazy photo, say) is no failure.
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED')
      errors.push(`${name}: request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  // What the scripts and styles cost on the wire (compressed), by URL.
  const bytes = new Map();
  page.on('requestfinished', async (r) => {
    if (!['script', 'stylesheet'].includes(r.resourceType())) return;
    const { responseBodySize } = await r.sizes();
    bytes.set(r.url(), Math.max(bytes.get(r.url()) || 0, responseBodySize));
  });
  await context.route(TOUR_EMBED, (route) => route.fulfill({ contentType: 'text/html', body: '<p>Tour player</p>' }));
  page.on('request', (r) => {
    if (!r.url().startsWith(griha.base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:') &&
        r.url() !== TOUR_EMBED)
      errors.push(`${name}: outside request: ${r.url()}`);
  });
  return { context, page, errors, name, bytes };
}

let shot = 0;
async function step(who, flow, label) {
  const file = `${String(++shot).padStart(2, '0')}-${flow}-${label}.png`;
  await who.page.screenshot({ path: path.join(artifacts, file), fullPage: true });
}

// The page as a phone shows it: nothing wider than 390 px, and a screenshot of that too. And
// for screen readers: every visible control has a name.
async function checkNarrow(who, flow, label) {
  const unnamed = await who.page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
    .filter((el) => el.checkVisibility() && !(el.labels?.length || el.getAttribute('aria-label') ||
      el.getAttribute('aria-labelledby') || (el.tagName === 'BUTTON' && el.textContent.trim())))
    .map((el) => el.outerHTML.slice(0, 120)));
  assert.deepEqual(unnamed, [], `${who.name} ${flow}/${label}: controls without a name`);
  await who.page.setViewportSize(NARROW);
  await who.page.waitForTimeout(150);
  const width = await who.page.evaluate(() => document.scrollingElement.scrollWidth);
  await who.page.screenshot({ path: path.join(artifacts, `${String(++shot).padStart(2, '0')}-${flow}-${label}-390px.png`) });
  await who.page.setViewportSize(WIDE);
  assert.ok(width <= 390, `${who.name} ${flow}/${label}: page is ${width}px wide at 390px`);
}

function assertNoErrors(who) {
  assert.deepEqual(who.errors, [], `${who.name}: console errors`);
}

async function signUp(who, { name, email, role }) {
  const { page } = who;
  await page.goto(`${griha.base}/account/signup`);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel(role === 'owner' ? 'An owner with a property to list' : 'Looking for a home').check();
  await page.getByRole('button', { name: 'Create account' }).click();
}

// Two small JPEGs drawn on a canvas in the page (the browser's own encoder).
async function jpegs(page) {
  const urls = await page.evaluate(() => ['#c96f3b', '#3b7bc9'].map((color, i) => {
    const c = document.createElement('canvas');
    c.width = 480;
    c.height = 320;
    const g = c.getContext('2d');
    g.fillStyle = color;
    g.fillRect(0, 0, 480, 320);
    g.fillStyle = '#fff';
    g.font = '48px sans-serif';
    g.fillText(i ? 'Bedroom' : 'Living room', 40, 180);
    return c.toDataURL('image/jpeg', 0.85);
  }));
  return urls.map((u, i) => ({ name: i ? 'bedroom.jpg' : 'living-room.jpg', mimeType: 'image/jpeg',
    buffer: Buffer.from(u.split(',')[1], 'base64') }));
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  griha = await startGriha();
  execFileSync(binary, ['user', 'create', '--role', 'admin', '--email', ADMIN.email, '--name', 'Asha Admin'],
    { env: griha.env, input: `${ADMIN.password}\n` });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await griha?.stop();
});

test('a lister posts a listing with two photos and sees it pending review', async () => {
  const lister = state.lister = await person('lister');
  const { page } = lister;
  await signUp(lister, { ...LISTER, role: 'owner' });
  await page.waitForURL(`${griha.base}/dashboard`);
  await page.getByRole('heading', { name: 'My listings' }).waitFor();
  await step(lister, 'lister', 'signed-up-dashboard');
  await checkNarrow(lister, 'lister', 'dashboard');

  await page.getByRole('link', { name: '+ Post a listing' }).click();
  await page.getByLabel('For', { exact: true }).selectOption('sale_resale');
  await page.getByLabel('Property type').selectOption('apartment');
  await page.getByLabel('Title').fill(TITLE);
  await page.getByLabel('Description').fill('A bright corner flat on the sixth floor, ten minutes from the Baner hill trail, with covered parking and a modular kitchen.');
  await page.getByLabel('Price (₹)').fill('8500000');
  await page.getByText('= ₹85 L').waitFor();
  await page.getByLabel('Bedrooms').selectOption('2');
  await page.getByLabel('Bathrooms').fill('2');
  await page.getByLabel('Balconies').fill('2');
  await step(lister, 'lister', 'wizard-basics');
  await checkNarrow(lister, 'lister', 'wizard-basics');
  await page.getByRole('button', { name: 'Next →' }).click();

  await page.getByRole('combobox', { name: 'Locality' }).fill('Baner');
  await page.getByRole('option', { name: /Baner, Pune/ }).click();
  await page.getByText('Chosen: Baner, Pune').waitFor();
  await page.getByLabel('Project or society').fill('Hill View Residency');
  await step(lister, 'lister', 'wizard-location');
  await page.getByRole('button', { name: 'Next →' }).click();

  await page.getByLabel('Carpet area (sq ft)').fill('1050');
  await page.getByLabel('Furnishing').selectOption('semi_furnished');
  await page.getByLabel('Possession', { exact: true }).selectOption('ready');
  await page.getByLabel('Floor', { exact: true }).fill('6');
  await page.getByLabel('Total floors').fill('12');
  await page.getByLabel('Lift').check();
  await page.getByLabel('Gym').check();
  await page.getByLabel('Virtual tour link').fill(TOUR);
  await step(lister, 'lister', 'wizard-details');
  await page.getByRole('button', { name: 'Save draft and add photos →' }).click();

  await page.getByRole('heading', { name: 'Photos' }).waitFor();
  state.listingId = Number(/\/dashboard\/listings\/(\d+)\/edit/.exec(page.url())[1]);
  await page.locator('input[type=file][name=files]').setInputFiles(await jpegs(page));
  await page.locator('.photo-list li.photo').nth(1).waitFor();
  assert.equal(await page.locator('.photo-list li.photo').count(), 2);
  const first = await page.locator('.photo-list li.photo').first().getAttribute('data-id');
  // Reorder (the second photo first), then make it the cover.
  await page.getByRole('button', { name: 'Move 2 earlier' }).click();
  await page.waitForFunction((id) => document.querySelector('.photo-list li.photo:nth-child(2)')?.dataset.id === id, first);
  await page.locator('.photo-list li.photo').first().getByRole('button', { name: 'Make cover' }).click();
  await page.locator('.photo-list li.photo:first-child.cover').waitFor();
  assert.equal(await page.locator('.photo-list li.photo.cover').count(), 1);
  assert.notEqual(await page.locator('.photo-list li.photo.cover').getAttribute('data-id'), first);
  await step(lister, 'lister', 'wizard-photos');
  await checkNarrow(lister, 'lister', 'wizard-photos');
  await page.getByRole('button', { name: 'Next: review →' }).click();

  await page.getByRole('button', { name: 'Submit for review' }).click();
  await page.waitForURL(`${griha.base}/dashboard`);
  const row = page.locator(`tr[data-listing="${state.listingId}"]`);
  await row.getByText('Pending review').waitFor();
  assert.match(await row.innerText(), /₹85 L/);
  assert.equal(await row.locator('td').nth(3).innerText(), '2', 'two photos');
  await step(lister, 'lister', 'pending-review');
  await checkNarrow(lister, 'lister', 'pending-review');
  assertNoErrors(lister);
  state.pending = true;
});

test('an admin approves it in the moderation queue', async () => {
  assert.ok(state.pending, 'the lister flow submitted a listing');
  const admin = state.admin = await person('admin');
  const { page } = admin;
  // Before approval the listing is in no search.
  const before_ = await (await fetch(`${griha.base}/api/v1/search?q=sunlit`)).json();
  assert.equal(before_.results.filter((r) => r.id === state.listingId).length, 0);

  // The other ways in render too: an SMS code, a forgotten password.
  await page.goto(`${griha.base}/account/signin`);
  await page.getByRole('link', { name: 'SMS code' }).click();
  await page.getByLabel('Mobile number').waitFor();
  await checkNarrow(admin, 'admin', 'sign-in-sms');
  await page.getByRole('link', { name: 'Password' }).click();
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByRole('button', { name: 'Email me a reset link' }).waitFor();
  await checkNarrow(admin, 'admin', 'forgot-password');
  await page.goto(`${griha.base}/account/signin`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${griha.base}/admin`);
  const item = page.locator(`li.queue-item[data-listing="${state.listingId}"]`);
  await item.getByRole('link', { name: TITLE }).waitFor();
  assert.match(await item.innerText(), /2 photos/);
  await step(admin, 'admin', 'moderation-queue');
  await checkNarrow(admin, 'admin', 'moderation-queue');
  await item.getByRole('button', { name: 'Approve' }).click();
  await item.waitFor({ state: 'detached' });
  state.approved = true;
  await step(admin, 'admin', 'approved');

  // The other admin pages render too (statistics loads Chart.js on this page only).
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Statistics' }).click();
  await page.locator('.chart canvas').first().waitFor();
  assert.equal(await page.evaluate(() => typeof window.Chart), 'function');
  await step(admin, 'admin', 'statistics');
  await checkNarrow(admin, 'admin', 'statistics');
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('cell', { name: LISTER.email }).waitFor();
  await step(admin, 'admin', 'users');
  await checkNarrow(admin, 'admin', 'users');
  assertNoErrors(admin);
});

test('the lister publishes visit hours for the live listing', async () => {
  assert.ok(state.approved, 'the admin approved the listing');
  const { lister } = state;
  const { page } = lister;
  await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Availability' }).click();
  await page.getByLabel('Listing').waitFor();
  assert.equal(await page.getByLabel('Listing').inputValue(), String(state.listingId));
  // Every day, 08:00 to 20:00 India time, so that the next days always have slots.
  for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) {
    await page.getByRole('button', { name: `Add hours on ${day}` }).click();
    const row = page.locator('.day-row', { hasText: day });
    await row.getByLabel('From').fill('08:00');
    await row.getByLabel('To').fill('20:00');
  }
  await page.getByLabel('Each visit').selectOption('60');
  await page.getByRole('button', { name: 'Save availability' }).click();
  await page.getByText('Visit times published.').waitFor();
  await step(lister, 'lister', 'availability');
  await checkNarrow(lister, 'lister', 'availability');
  assertNoErrors(lister);
  state.hours = true;
});

test('a new seeker signs up, searches with filters, uses the map, opens the listing, sends an inquiry and books a visit', async () => {
  assert.ok(state.approved && state.hours, 'the listing is live with visit hours');
  const seeker = state.seeker = await person('seeker');
  const { page } = seeker;
  await signUp(seeker, { ...SEEKER, role: 'seeker' });
  await page.waitForURL(`${griha.base}/`);
  await page.getByRole('button', { name: /Sign out \(Arjun Rao\)/ }).waitFor({ state: 'attached' });
  await step(seeker, 'seeker', 'signed-up-home');
  await checkNarrow(seeker, 'seeker', 'home');

  // A results page is one API request: its cards carry their cover photos' URLs.
  const photoLookups = [];
  page.on('request', (r) => {
    if (/\/api\/v1\/listings\/\d+\/photos/.test(r.url())) photoLookups.push(r.url());
  });

  // Home: where, buy, search.
  // With the keyboard: type, arrow down to the suggestion, Enter, Enter.
  const where = page.getByRole('combobox', { name: 'Where?' });
  await where.fill('bane');
  await page.getByRole('option', { name: /Baner, Pune/ }).waitFor();
  await where.press('ArrowDown');
  assert.equal(await page.getByRole('option', { name: /Baner, Pune/ }).getAttribute('aria-selected'), 'true');
  await where.press('Enter');
  assert.equal(await where.inputValue(), 'Baner, Pune');
  await where.press('Enter');
  await page.waitForURL(/\/search\?/);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('city'), '7');
  assert.deepEqual(url.searchParams.getAll('transaction'), ['sale_resale', 'sale_new']);
  await page.getByRole('heading', { name: 'Homes for sale in Pune' }).waitFor();
  const card = page.locator('.cards .card', { hasText: TITLE });
  await card.waitFor();
  await card.scrollIntoViewIfNeeded();
  await card.locator('img[src*="/media/"]').waitFor();
  assert.match(await card.locator('img').getAttribute('src'), /^\/media\/.+-320\.jpg$/);
  assert.deepEqual(photoLookups, [], 'search cards fetch no photo lists');
  await step(seeker, 'seeker', 'results');

  // Filters: 2 BHK (with its facet count), then a budget; each is a URL the back button undoes.
  const twoBhk = page.getByRole('checkbox', { name: /^2 BHK/ });
  assert.match(await page.locator('.group[data-name="bhk"] label', { hasText: '2 BHK' }).innerText(), /\(\d+\)/);
  await twoBhk.check();
  await page.waitForURL(/bhk=2/);
  await card.waitFor();
  await page.getByRole('group', { name: 'Budget (₹)' }).getByLabel('Max').fill('9000000');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.waitForURL(/price_max=9000000/);
  await card.waitFor();
  assert.match(await card.innerText(), /₹85 L/);
  assert.match(await card.innerText(), /1,050 sq ft/);
  await step(seeker, 'seeker', 'results-filtered');
  await checkNarrow(seeker, 'seeker', 'results-filtered');
  await page.goBack();
  await page.waitForURL((u) => !u.searchParams.has('price_max') && u.searchParams.get('bhk') === '2');
  // The form follows the URL back.
  await page.waitForFunction(() => document.querySelector('input[name=price_max]').value === '');
  assert.equal(await twoBhk.isChecked(), true);
  await page.goForward();
  await page.waitForURL(/price_max=9000000/);

  // Save this search with daily alerts.
  await page.getByRole('button', { name: 'Save search' }).click();
  await page.getByLabel('Name', { exact: true }).fill('2 BHK in Baner under ₹90 L');
  await page.getByLabel('Email me new homes').selectOption('daily');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Search saved. We will email you new matches.').waitFor();

  // The map: the server's clusters, then an area drawn around the listing.
  await page.getByRole('button', { name: 'Map', exact: true }).click();
  await page.waitForURL(/view=map/);
  await page.locator('.leaflet-marker-icon').first().waitFor();
  await page.locator('.map-status', { hasText: /in this view/ }).waitFor();
  await step(seeker, 'seeker', 'map');
  await checkNarrow(seeker, 'seeker', 'map');
  const mapBox = await page.locator('#results-map').boundingBox();
  await page.getByRole('button', { name: 'Draw an area' }).click();
  for (const [fx, fy] of [[0.1, 0.1], [0.9, 0.1], [0.9, 0.9], [0.1, 0.9]])
    await page.mouse.click(mapBox.x + mapBox.width * fx, mapBox.y + mapBox.height * fy);
  await page.getByText('Drawing: 4 corners').waitFor();
  await page.getByRole('button', { name: 'Search this area' }).click();
  await page.waitForURL(/polygon=/);
  await page.locator('path.search-area').waitFor();
  await step(seeker, 'seeker', 'map-area');
  await page.getByRole('button', { name: 'List', exact: true }).click();
  await page.waitForURL((u) => !u.searchParams.has('view') && u.searchParams.has('polygon'));
  await card.waitFor();

  // The listing page.
  await card.getByRole('link', { name: TITLE }).click();
  await page.waitForURL(`${griha.base}/listings/${state.listingId}`);
  await page.getByRole('heading', { name: TITLE }).waitFor();
  await page.locator('.gallery-main[src]').waitFor();
  assert.match(await page.locator('.listing-price').innerText(), /₹85 L/);
  assert.match(await page.locator('.listing-price').innerText(), /₹8,095 per sq ft/);
  assert.match(await page.locator('.facts-grid').innerText(), /1,050 sq ft/);
  await page.locator('#listing-map .leaflet-interactive').waitFor();
  // The virtual tour, embedded as YouTube's player (the CSP's frame-src allows it).
  const tour = page.frameLocator(`iframe[src="${TOUR_EMBED}"]`);
  await tour.getByText('Tour player').waitFor();
  await step(seeker, 'seeker', 'listing');
  await checkNarrow(seeker, 'seeker', 'listing');

  // The public pages so far (home, results, map, listing) loaded under 200 KB of JavaScript
  // and CSS, compressed as griha sent them.
  // Not 'networkidle': lazy photos and map tiles can keep the network busy past its timeout.
  // Every script and style of these pages has been requested by now (the listing page has
  // rendered); wait until their sizes are in.
  await page.waitForLoadState('load');
  for (let i = 0; i < 100; i++) {
    const seen = [...seeker.bytes.keys()].map((u) => new URL(u).pathname);
    if (['/assets/app/listing.js', '/assets/vendor/leaflet/leaflet.js', '/assets/app/app.js'].every((f) => seen.includes(f))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const sizes = Object.fromEntries([...seeker.bytes].map(([u, n]) => [new URL(u).pathname, n]));
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  writeFileSync(path.join(artifacts, 'public-pages-js-css-bytes.json'), `${JSON.stringify({ total, files: sizes }, null, 2)}\n`);
  console.log(`public pages: ${total} bytes of JS and CSS, compressed, in ${Object.keys(sizes).length} files`);
  assert.ok(sizes['/assets/vendor/leaflet/leaflet.js'] > 0 && sizes['/assets/app/app.js'] > 0, 'sizes were measured');
  assert.ok(!sizes['/assets/vendor/chart.umd.min.js'], 'Chart.js is for the admin pages only');
  assert.ok(total < 200 * 1024, `public pages load ${total} bytes of JS and CSS`);

  // Shortlist it, and compare it with a similar home.
  await page.locator('.listing-price').getByRole('button', { name: '♡ Shortlist' }).click();
  await page.locator('.listing-price').getByRole('button', { name: '♥ Shortlisted' }).waitFor();
  await page.locator('.listing-price').getByLabel('Compare').check();
  const other = page.locator('.cards.small .card').first();
  await other.waitFor();
  const otherTitle = await other.locator('h3').innerText();
  await other.getByLabel('Compare').check();
  await page.locator('.listing-price').getByRole('link', { name: 'Compare (2)' }).click();
  await page.waitForURL(/\/compare\?ids=/);
  await page.getByRole('columnheader', { name: TITLE }).waitFor();
  await page.getByRole('columnheader', { name: otherTitle }).waitFor();
  assert.match(await page.locator('table.compare').innerText(), /₹85 L/);
  await step(seeker, 'seeker', 'compare');
  await checkNarrow(seeker, 'seeker', 'compare');
  await page.goBack();
  await page.getByRole('heading', { name: TITLE }).waitFor();

  // Inquiry.
  await page.getByLabel('Message').fill('Namaste, is the flat still available? I would like to see it this week.');
  await page.getByLabel('Best time to call').selectOption('evening');
  await page.getByRole('button', { name: 'Send inquiry' }).click();
  await page.getByText('Inquiry sent. The lister will contact you.').waitFor();
  await step(seeker, 'seeker', 'inquiry-sent');

  // Visit: the first free slot shown (India time).
  const firstSlot = page.locator('.slot label').first();
  await firstSlot.waitFor();
  const slotTime = await firstSlot.innerText();
  await firstSlot.click();
  await page.getByRole('button', { name: 'Book visit' }).click();
  await page.getByText(/^Visit booked for/).waitFor();
  assert.match(await page.getByText(/^Visit booked for/).innerText(), new RegExp(slotTime.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await step(seeker, 'seeker', 'visit-booked');
  await checkNarrow(seeker, 'seeker', 'visit-booked');
  await page.getByRole('link', { name: 'Your visits' }).click();
  await page.locator('.rows .row', { hasText: TITLE }).waitFor();
  await step(seeker, 'seeker', 'my-visits');
  await checkNarrow(seeker, 'seeker', 'my-visits');
  const account = page.getByRole('navigation', { name: 'Your account' });
  await account.getByRole('link', { name: 'Your shortlist' }).click();
  await page.locator('.cards .card', { hasText: TITLE }).waitFor();
  await step(seeker, 'seeker', 'my-shortlist');
  await checkNarrow(seeker, 'seeker', 'my-shortlist');
  await account.getByRole('link', { name: 'Your inquiries' }).click();
  await page.locator('.rows .row', { hasText: TITLE }).waitFor();
  await step(seeker, 'seeker', 'my-inquiries');
  await account.getByRole('link', { name: 'Saved searches' }).click();
  await page.getByRole('link', { name: '2 BHK in Baner under ₹90 L' }).waitFor();
  assert.equal(await page.getByLabel('Alerts for 2 BHK in Baner under ₹90 L').inputValue(), 'daily');
  await step(seeker, 'seeker', 'my-saved-searches');
  await checkNarrow(seeker, 'seeker', 'my-saved-searches');
  await account.getByRole('link', { name: 'Notifications' }).click();
  await page.getByRole('heading', { name: 'Notifications' }).waitFor();
  await step(seeker, 'seeker', 'my-notifications');
  assertNoErrors(seeker);
  state.inquired = true;
});

test("the lister sees the seeker's lead in the pipeline and moves it to contacted", async () => {
  assert.ok(state.inquired, 'the seeker sent an inquiry and booked a visit');
  const { lister } = state;
  const { page } = lister;
  await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Leads' }).click();
  // The seeker's booking has already moved the lead on from "new" to "visit scheduled".
  const scheduled = page.locator('.column[data-stage="visit_scheduled"]');
  const lead = scheduled.locator('.lead', { hasText: SEEKER.name });
  await lead.waitFor();
  assert.match(await lead.innerText(), new RegExp(SEEKER.email));
  assert.match(await lead.innerText(), /is the flat still available/);
  await step(lister, 'lister', 'leads-board');
  await checkNarrow(lister, 'lister', 'leads');
  await lead.getByLabel(/Stage of the lead/).selectOption('contacted');
  const moved = page.locator('.column[data-stage="contacted"] .lead', { hasText: SEEKER.name });
  await moved.waitFor();
  assert.equal(await scheduled.locator('.lead', { hasText: SEEKER.name }).count(), 0);
  await step(lister, 'lister', 'lead-contacted');

  await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Visits' }).click();
  await page.locator('.calendar .row', { hasText: SEEKER.name }).waitFor();
  await step(lister, 'lister', 'visits-calendar');
  await checkNarrow(lister, 'lister', 'visits-calendar');
  assertNoErrors(lister);
});

test('the admin sees the lead in the overview, the failed-notification list and the statistics', async () => {
  assert.ok(state.inquired, 'the seeker sent an inquiry');
  const { admin } = state;
  const { page } = admin;
  const nav = page.getByRole('navigation', { name: 'Admin' });
  await nav.getByRole('link', { name: 'Leads & visits' }).click();
  await page.getByRole('cell', { name: TITLE }).waitFor();
  assert.match(await page.locator('table.data').innerText(), new RegExp(SEEKER.name));
  await step(admin, 'admin', 'leads-overview');
  await checkNarrow(admin, 'admin', 'leads-overview');
  await nav.getByRole('link', { name: 'Failed notifications' }).click();
  await page.getByRole('heading', { name: 'Failed notifications' }).waitFor();
  await page.locator('table.data, p:text("No failed notifications.")').first().waitFor();
  await step(admin, 'admin', 'outbox');
  await checkNarrow(admin, 'admin', 'outbox');
  await nav.getByRole('link', { name: 'Statistics' }).click();
  await page.locator('.chart canvas').nth(2).waitFor();
  await step(admin, 'admin', 'statistics-with-leads');
  assertNoErrors(admin);
});

test('an edit of the live listing waits for review; the admin sees its diff and rejects it with a reason', async () => {
  assert.ok(state.approved, 'the listing is live');
  const { lister, admin } = state;
  await lister.page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'My listings' }).click();
  await lister.page.locator(`tr[data-listing="${state.listingId}"]`).getByRole('link', { name: 'Edit' }).click();
  await lister.page.getByLabel('Title').fill(`${TITLE} and a lake view`);
  await lister.page.getByRole('button', { name: 'Next →' }).click();
  await lister.page.getByRole('button', { name: 'Next →' }).click();
  await lister.page.getByRole('button', { name: 'Save and continue →' }).click();
  await lister.page.getByText('Saved. Your changes wait for review; the listing stays visible as it was.').waitFor();
  await step(lister, 'lister', 'edit-held-for-review');

  const { page } = admin;
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Moderation' }).click();
  const item = page.locator(`li.queue-item[data-listing="${state.listingId}"]`);
  await item.getByText('Edit', { exact: true }).waitFor();
  const diff = item.locator('table.diff');
  assert.equal(await diff.locator('td.from').innerText(), TITLE);
  assert.equal(await diff.locator('td.to').innerText(), `${TITLE} and a lake view`);
  await step(admin, 'admin', 'edit-diff');
  await checkNarrow(admin, 'admin', 'edit-diff');
  await item.getByRole('button', { name: 'Reject…' }).click();
  await item.getByLabel('Reason for the lister').fill('Please describe the view only if the photos show it.');
  await item.getByRole('button', { name: 'Reject', exact: true }).click();
  await item.waitFor({ state: 'detached' });
  await step(admin, 'admin', 'edit-rejected');
  // The public listing kept its approved title.
  const live = await (await fetch(`${griha.base}/api/v1/listings/${state.listingId}`)).json();
  assert.equal(live.title, TITLE);
  assertNoErrors(admin);
  assertNoErrors(lister);
});

test('an agent imports listings from a CSV file and sees the error report', async () => {
  const agent = await person('agent');
  const { page } = agent;
  await page.goto(`${griha.base}/account/signup`);
  await page.getByLabel('Your name').fill('Kabir Estates');
  await page.getByLabel('Email').fill('kabir.agent@example.in');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('An agent').check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${griha.base}/dashboard`);
  await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'CSV import' }).click();
  const csv = 'transaction,property_type,title,description,bhk,carpet_area_sqft,price,city_id,locality_id,amenities\r\n' +
    'sale_resale,apartment,Bright 2 BHK in Baner,"A bright flat near the highway, with covered parking.",2,900,"95,00,000",7,7003,lift|gym\r\n' +
    'sale_resale,apartment,Nine bedrooms is too many,"A row that the import must refuse, naming the column.",9,900,9500000,7,7003,\r\n';
  await page.getByLabel('CSV file').setInputFiles({ name: 'listings.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByText('1 of 2 rows imported; 1 with errors.').waitFor();
  const errorRow = page.locator('table.data tbody tr').first();
  assert.match(await errorRow.innerText(), /^3\t3\tbhk\t/);
  await step(agent, 'agent', 'csv-import-report');
  await checkNarrow(agent, 'agent', 'csv-import-report');
  await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'My listings' }).click();
  await page.getByRole('link', { name: 'Bright 2 BHK in Baner' }).waitFor();
  assertNoErrors(agent);
});

test("the app's modules carry an ETag and are checked on every load; libraries are cached", async () => {
  const first = await fetch(`${griha.base}/assets/app/app.js`);
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('cache-control'), 'no-cache');
  const tag = first.headers.get('etag');
  assert.match(tag, /^"[0-9a-f]{16}"$/);
  const again = await fetch(`${griha.base}/assets/app/app.js`, { headers: { 'if-none-match': tag } });
  assert.equal(again.status, 304);
  const leaflet = await fetch(`${griha.base}/assets/vendor/leaflet/leaflet.js`);
  assert.equal(leaflet.headers.get('cache-control'), 'public, max-age=86400');
  assert.notEqual(leaflet.headers.get('etag'), tag);
});

// Site-visit emails against real outside parts: a real SMTP server (npm smtp-server) receives
// the confirmations, and their .ics attachments are read by a real iCalendar parser (npm
// ical.js), as a calendar app would: METHOD, UID, SEQUENCE, DTSTART in UTC, SUMMARY, ORGANIZER
// and ATTENDEE. Cancelling then delivers METHOD:CANCEL for the same UID with a higher SEQUENCE.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import ICAL from 'ical.js';

import { createUser, freePort, postJson, startGriha, startSmtp } from './support.mjs';

const TITLE = 'Sunny 2 BHK; Baner, near "the" park';
let griha;
let smtp;
let owner;
let seeker;
let admin;

async function call(method, path, who, body) {
  const res = await fetch(`${griha.base}${path}`, {
    method,
    headers: { ...(who ? who.auth : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

// The calendar attachment of a mail, parsed: {method, event} with event an ICAL.Component.
function invite(mail) {
  const ics = mail.attachments.find((a) => a.contentType === 'text/calendar');
  assert.ok(ics, `no text/calendar attachment in "${mail.subject}"`);
  const cal = new ICAL.Component(ICAL.parse(ics.content.toString('utf8')));
  assert.equal(cal.name, 'vcalendar');
  assert.equal(cal.getAllSubcomponents('vevent').length, 1);
  return { cal, method: cal.getFirstPropertyValue('method'), event: cal.getFirstSubcomponent('vevent') };
}

function attendees(event) {
  return event.getAllProperties('attendee').map((p) => p.getFirstValue().toLowerCase());
}

// A local (Asia/Kolkata) date `days` from now.
function indianDay(days) {
  const t = new Date(Date.now() + 5.5 * 3600 * 1000 + days * 86400 * 1000);
  return t.toISOString().slice(0, 10);
}

before(async () => {
  const smtpPort = await freePort();
  smtp = await startSmtp(smtpPort);
  griha = await startGriha(await freePort(), {
    GRIHA_EMAIL_PROVIDER: 'smtp',
    GRIHA_EMAIL_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    GRIHA_EMAIL_FROM: 'Griha Visits <visits@griha.test>',
    GRIHA_NOTIFY_POLL_SECONDS: '1',
  });
  admin = await createUser(griha, 'admin', 'admin@example.in');
  owner = await createUser(griha, 'owner', 'lister@example.in');
  seeker = await createUser(griha, 'seeker', 'visitor@example.in');
});

after(async () => {
  if (griha) await griha.stop();
  if (smtp) await smtp.close();
});

test('a booking emails both sides a REQUEST invite, and a cancellation a CANCEL for the same UID', async () => {
  const places = await (await fetch(`${griha.base}/api/v1/places?q=baner`)).json();
  const place = places.places[0];
  const created = await call('POST', '/api/v1/listings', owner, {
    transaction: 'sale_resale', property_type: 'apartment', title: TITLE,
    description: 'A bright flat near the highway, with covered parking and good light.',
    bhk: 2, bathrooms: 2, carpet_area_sqft: 900, price: 9500000,
    city_id: place.city_id, locality_id: place.locality_id,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  assert.equal((await call('POST', `/api/v1/listings/${id}/submit`, owner)).status, 200);
  assert.equal((await call('POST', `/api/v1/admin/listings/${id}/approve`, admin)).status, 200);
  const hours = await call('PUT', `/api/v1/listings/${id}/availability`, owner, {
    timezone: 'Asia/Kolkata', slot_minutes: 45, visitors_per_slot: 1,
    windows: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({ day, start: '10:00', end: '17:30' })),
  });
  assert.equal(hours.status, 200, JSON.stringify(hours.body));

  const slots = await call('GET', `/api/v1/listings/${id}/slots?from=${indianDay(2)}&days=1`);
  const slot = slots.body.slots[1]; // 10:45-11:30 India time
  assert.match(slot.start_local, /T10:45:00\+05:30$/);
  const booked = await call('POST', `/api/v1/listings/${id}/visits`, seeker, { start: slot.start_local, note: 'Gate 2' });
  assert.equal(booked.status, 201, JSON.stringify(booked.body));
  assert.equal(booked.body.visit.start, slot.start);

  // The visitor's confirmation.
  const toSeeker = await smtp.waitFor((m) => m.to.includes(seeker.email) && /booked/.test(m.subject),
    'the visitor\'s confirmation');
  const req = invite(toSeeker);
  assert.equal(req.method, 'REQUEST');
  const dtstart = req.event.getFirstPropertyValue('dtstart');
  assert.equal(dtstart.zone.tzid, 'UTC', 'DTSTART is in UTC');
  assert.equal(dtstart.toString(), slot.start);
  assert.equal(req.event.getFirstPropertyValue('dtend').toString(), slot.end);
  assert.equal(req.event.getFirstPropertyValue('summary'), `Site visit: ${TITLE}`);
  assert.equal(req.event.getFirstPropertyValue('organizer').toLowerCase(), 'mailto:visits@griha.test');
  assert.equal(req.event.getFirstProperty('organizer').getParameter('cn'), 'Griha Visits');
  assert.deepEqual(attendees(req.event), [`mailto:${seeker.email}`], 'the visitor\'s copy names the visitor only');
  assert.equal(req.event.getFirstPropertyValue('sequence'), 0);
  assert.equal(req.event.getFirstPropertyValue('status'), 'CONFIRMED');
  const uid = req.event.getFirstPropertyValue('uid');
  assert.ok(uid);
  assert.match(toSeeker.text, /Gate 2/);

  // The lister's copy: the same event, naming both.
  const toLister = await smtp.waitFor((m) => m.to.includes(owner.email) && /New site visit/.test(m.subject),
    'the lister\'s notice');
  const listerReq = invite(toLister);
  assert.equal(listerReq.method, 'REQUEST');
  assert.equal(listerReq.event.getFirstPropertyValue('uid'), uid);
  assert.deepEqual(attendees(listerReq.event).sort(), [`mailto:${owner.email}`, `mailto:${seeker.email}`].sort());
  assert.match(toLister.text, new RegExp(seeker.email.replace('.', '\\.')), 'the lister sees the visitor\'s email');
  // HTML parts escape what people typed.
  assert.ok(toLister.html.includes('&quot;the&quot; park'), toLister.html);

  // Cancel: a CANCEL for the same UID with a higher SEQUENCE reaches both.
  const cancelled = await call('POST', `/api/v1/visits/${booked.body.visit.id}/cancel`, seeker, { reason: 'Found a flat' });
  assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
  for (const who of [seeker, owner]) {
    const mail = await smtp.waitFor((m) => m.to.includes(who.email) && /cancelled/.test(m.subject),
      `the cancellation to ${who.email}`);
    const c = invite(mail);
    assert.equal(c.method, 'CANCEL');
    assert.equal(c.event.getFirstPropertyValue('uid'), uid);
    assert.equal(c.event.getFirstPropertyValue('sequence'), 1);
    assert.equal(c.event.getFirstPropertyValue('status'), 'CANCELLED');
    assert.equal(c.event.getFirstPropertyValue('dtstart').toString(), slot.start);
    assert.match(mail.text, /Found a flat/);
  }
  // Each message arrived once; the reminders were called off and never sent.
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(smtp.mails.filter((m) => m.to.includes(seeker.email)).length, 2);
  assert.equal(smtp.mails.filter((m) => /Reminder/.test(m.subject)).length, 0);
});

// The outbox against a real SMTP server (npm smtp-server): emails enqueued while the server is
// down are retried with backoff and each arrives exactly once when it comes back; a message
// that runs out of attempts is dead-lettered, listed for admins, and sent once on retry.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { createUser, freePort, postJson, startGriha, startSmtp } from './support.mjs';

let griha;
let smtp;
let smtpPort;
let admin;

async function outbox(status) {
  const res = await fetch(`${griha.base}/api/v1/admin/outbox?status=${status}&limit=200`, { headers: admin.auth });
  assert.equal(res.status, 200);
  return (await res.json()).items;
}

async function until(what, fn, timeoutMs = 30000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${griha.log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  smtpPort = await freePort();
  griha = await startGriha(await freePort(), {
    GRIHA_EMAIL_PROVIDER: 'smtp',
    GRIHA_EMAIL_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, // nothing listens there yet
    GRIHA_NOTIFY_RETRY_BASE_SECONDS: '1',
    GRIHA_NOTIFY_RETRY_MAX_SECONDS: '2',
    GRIHA_NOTIFY_POLL_SECONDS: '1',
    GRIHA_NOTIFY_MAX_ATTEMPTS: '4',
  });
  admin = await createUser(griha, 'admin', 'admin@example.in');
});

after(async () => {
  if (griha) await griha.stop();
  if (smtp) await smtp.close();
});

test('emails sent while SMTP is down each arrive exactly once after it comes back', async () => {
  const people = Array.from({ length: 5 }, (_, i) => `down${i}@example.in`);
  for (const email of people) {
    const res = await postJson(`${griha.base}/api/v1/auth/register`, {
      email, password: 'a long enough passphrase 42', name: 'Asha',
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
  }
  // Every message has failed at least once against the closed port and waits for a retry.
  await until('failed first attempts', async () => {
    const pending = (await outbox('pending')).filter((m) => people.includes(m.recipient));
    return pending.length === people.length && pending.every((m) => m.attempts >= 1 && m.last_error !== '');
  });
  smtp = await startSmtp(smtpPort);
  for (const email of people) await smtp.waitFor((m) => m.to.includes(email), `the mail to ${email}`);
  await until('all marked sent', async () =>
    (await outbox('sent')).filter((m) => people.includes(m.recipient)).length === people.length);
  // Give a duplicate the chance to show up before counting.
  await new Promise((r) => setTimeout(r, 2500));
  for (const email of people) {
    const got = smtp.mails.filter((m) => m.to.includes(email));
    assert.equal(got.length, 1, `${email} got ${got.length} mails`);
    assert.match(got[0].subject, /Verify your email/);
  }
  const sent = (await outbox('sent')).filter((m) => people.includes(m.recipient));
  for (const m of sent) {
    const mail = smtp.mails.find((x) => x.to.includes(m.recipient));
    assert.equal(mail.messageId.replace(/^<|@.*$/g, ''), m.delivery_id, 'the Message-ID is the delivery id');
  }
});

test('a message out of attempts is dead-lettered, listed for admins and sent once on retry', async () => {
  await smtp.close();
  smtp = null;
  const email = 'dead@example.in';
  assert.equal((await postJson(`${griha.base}/api/v1/auth/register`, {
    email, password: 'a long enough passphrase 42', name: 'Ravi',
  })).status, 202);
  const dead = await until('the dead letter', async () =>
    (await outbox('dead')).find((m) => m.recipient === email));
  assert.equal(dead.attempts, 4);
  assert.equal(dead.kind, 'auth.email');

  // Admin only: a seeker gets 403 on the list and the retry.
  const seeker = await createUser(griha, 'seeker', 'nosy@example.in');
  assert.equal((await fetch(`${griha.base}/api/v1/admin/outbox?status=dead`, { headers: seeker.auth })).status, 403);
  assert.equal((await fetch(`${griha.base}/api/v1/admin/outbox/${dead.id}/retry`,
    { method: 'POST', headers: seeker.auth })).status, 403);

  smtp = await startSmtp(smtpPort);
  const retry = await fetch(`${griha.base}/api/v1/admin/outbox/${dead.id}/retry`, { method: 'POST', headers: admin.auth });
  assert.equal(retry.status, 202);
  await smtp.waitFor((m) => m.to.includes(email), 'the retried mail');
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal(smtp.mails.filter((m) => m.to.includes(email)).length, 1);
  const again = await fetch(`${griha.base}/api/v1/admin/outbox/${dead.id}/retry`, { method: 'POST', headers: admin.auth });
  assert.equal(again.status, 404, 'only dead messages can be retried');
});

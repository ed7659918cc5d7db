// Helpers for the node-driven interop tests: free ports, a throwaway database on the back end
// named by GRIHA_TEST_DATABASE, the real griha binary, and a tiny cookie jar for browser-less
// redirects.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Starts `griha serve` with `env` on `port`; resolves once it listens. stop() ends it and
// removes its database.
export async function startGriha(port, env) {
  const binary = process.env.GRIHA_BINARY;
  if (!binary) throw new Error('GRIHA_BINARY is not set (ctest sets it)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'griha-js-'));
  let databaseUrl = `sqlite://${dir}/griha.db`;
  let dropPg = null;
  if (process.env.GRIHA_TEST_DATABASE === 'postgres') {
    const admin = process.env.GRIHA_TEST_PG_URL;
    if (!admin) throw new Error('GRIHA_TEST_PG_URL is not set');
    const name = `griha_js_${process.pid}_${Date.now()}`;
    execFileSync('psql', [admin, '-qc', `CREATE DATABASE ${name}`]);
    databaseUrl = admin.replace(/\/[^/]*$/, `/${name}`);
    dropPg = () => execFileSync('psql', [admin, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
  }
  const child = spawn(binary, ['serve'], {
    env: {
      ...process.env,
      GRIHA_SERVER_HOST: '127.0.0.1',
      GRIHA_SERVER_PORT: String(port),
      GRIHA_DATABASE_URL: databaseUrl,
      GRIHA_STORAGE_DATA_DIR: `${dir}/data`,
      GRIHA_DEMO_SEED: 'false',
      GRIHA_SERVER_ACCESS_LOG: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`griha did not start:\n${log}`)), 60000);
    const onData = (chunk) => {
      log += chunk;
      if (log.includes('serving on http://')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`griha exited (${code}):\n${log}`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    databaseUrl,
    log: () => log,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      if (dropPg) dropPg();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postJson(url, body, headers = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

// Cookies by name, as a browser would keep them for one site (paths are ignored: each test
// site here sets a cookie name on one path only).
export class CookieJar {
  constructor() {
    this.cookies = new Map();
  }
  take(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) ||
        attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now());
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

// A real SMTP server (npm smtp-server) on 127.0.0.1:port that keeps every message, parsed by
// npm mailparser: {to, user, subject, text, html, attachments, messageId, raw}. With `auth`
// ({username, password}) it requires those credentials. waitFor(pred) polls for a message.
export async function startSmtp(port, auth) {
  const { SMTPServer } = await import('smtp-server');
  const { simpleParser } = await import('mailparser');
  const mails = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true, // loopback only; production SMTP runs over TLS
    authOptional: !auth,
    onAuth(a, session, cb) {
      if (auth && a.username === auth.username && a.password === auth.password)
        cb(null, { user: a.username });
      else cb(new Error('bad credentials'));
    },
    onData(stream, session, cb) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        const parsed = await simpleParser(raw);
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user,
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
          html: parsed.html || '',
          attachments: parsed.attachments,
          messageId: parsed.messageId,
          headers: parsed.headers,
          raw: raw.toString('utf8'),
        });
        cb();
      });
    },
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    mails,
    close: () => new Promise((resolve) => server.close(resolve)),
    async waitFor(pred, what = 'a matching mail', timeoutMs = 15000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const m = mails.find(pred);
        if (m) return m;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no ${what}; got ${mails.length}: ${mails.map((m) => m.subject).join(' | ')}`);
    },
  };
}

// Makes an account with `griha user create` on the server's database and signs it in:
// {id, email, token, auth: {Authorization: 'Bearer …'}}.
export async function createUser(griha, role, email, password = 'correct horse battery staple 9') {
  execFileSync(process.env.GRIHA_BINARY, ['user', 'create', '--role', role, '--email', email, '--name', `Test ${role}`],
    { input: `${password}\n`, env: { ...process.env, GRIHA_DATABASE_URL: griha.databaseUrl } });
  const res = await postJson(`${griha.base}/api/v1/auth/signin`, { email, password });
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  const token = res.body.access_token;
  return { id: res.body.user_id, email, token, auth: { Authorization: `Bearer ${token}` } };
}

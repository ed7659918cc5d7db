// Griha's accounts against real outside parts, each running locally: the npm `jose` library
// verifying an access token from /.well-known/jwks.json alone, a real SMTP server receiving
// the verification and reset emails (whose links must work), and a real OpenID Connect
// provider (`oidc-provider`) driven through the authorization code flow without a browser.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';

import { createRemoteJWKSet, jwtVerify } from 'jose';
import Provider from 'oidc-provider';

import { CookieJar, freePort, postJson, startGriha, startSmtp } from './support.mjs';

const PASSWORD = 'a monsoon evening in pune';
const OIDC_EMAIL = 'oidc.user@example.in';
let smtp;
let idp;
let griha;
let oidcIssuer;
let redirectUri;

// A provider that signs in its one test user without showing pages: each interaction
// (login, then consent) is finished at once, as a user clicking through would.
function startProvider(port) {
  const provider = new Provider(oidcIssuer, {
    clients: [{
      client_id: 'griha',
      client_secret: 'griha-client-secret-for-tests',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['griha-test-cookie-key'] },
    findAccount: async (ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, email: OIDC_EMAIL, email_verified: true, name: 'OIDC User' }),
    }),
  });
  const callback = provider.callback();
  const server = http.createServer(async (req, res) => {
    if (req.url.startsWith('/interaction/')) {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        await provider.interactionFinished(req, res, { login: { accountId: 'user-7' } },
          { mergeWithLastSubmission: false });
        return;
      }
      const grant = new provider.Grant({ accountId: details.session.accountId, clientId: 'griha' });
      grant.addOIDCScope(details.params.scope);
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } },
        { mergeWithLastSubmission: true });
      return;
    }
    callback(req, res);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

async function waitForMail(to, subjectPart) {
  try {
    return await smtp.waitFor((x) => x.to.includes(to) && x.subject.includes(subjectPart),
      `mail to ${to} about "${subjectPart}"`);
  } catch (e) {
    throw new Error(`${e.message}\n${griha.log()}`);
  }
}

function linkIn(mail, pathPart) {
  const m = mail.text.match(new RegExp(`(http://\\S+${pathPart}\\?token=[A-Za-z0-9_-]+)`));
  assert.ok(m, `no ${pathPart} link in:\n${mail.text}`);
  return m[1];
}

before(async () => {
  const [smtpPort, idpPort, grihaPort] = [await freePort(), await freePort(), await freePort()];
  oidcIssuer = `http://127.0.0.1:${idpPort}`;
  redirectUri = `http://127.0.0.1:${grihaPort}/api/v1/auth/oidc/callback`;
  smtp = await startSmtp(smtpPort, { username: 'griha', password: 'smtp-secret' });
  idp = await startProvider(idpPort);
  griha = await startGriha(grihaPort, {
    GRIHA_AUTH_PUBLIC_URL: `http://127.0.0.1:${grihaPort}`,
    GRIHA_EMAIL_PROVIDER: 'smtp',
    GRIHA_EMAIL_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    GRIHA_EMAIL_SMTP_USERNAME: 'griha',
    GRIHA_EMAIL_SMTP_PASSWORD: 'smtp-secret',
    GRIHA_EMAIL_FROM: 'Griha <no-reply@griha.test>',
    GRIHA_OIDC_ISSUER: oidcIssuer,
    GRIHA_OIDC_CLIENT_ID: 'griha',
    GRIHA_OIDC_CLIENT_SECRET: 'griha-client-secret-for-tests',
    GRIHA_OIDC_REDIRECT_URI: redirectUri,
  });
});

after(async () => {
  await griha?.stop();
  if (smtp) await smtp.close();
  await new Promise((r) => (idp ? idp.close(r) : r()));
});

test('jose verifies a griha access token with only the published JWKS', async () => {
  await postJson(`${griha.base}/api/v1/auth/register`, { email: 'jose@example.in', password: PASSWORD });
  const signin = await postJson(`${griha.base}/api/v1/auth/signin`, { email: 'jose@example.in', password: PASSWORD });
  assert.equal(signin.status, 200);
  const jwks = createRemoteJWKSet(new URL(`${griha.base}/.well-known/jwks.json`));
  const { payload, protectedHeader } = await jwtVerify(signin.body.access_token, jwks, {
    issuer: 'griha', audience: 'griha-api', typ: 'at+jwt', algorithms: ['EdDSA'],
  });
  assert.equal(protectedHeader.alg, 'EdDSA');
  assert.ok(protectedHeader.kid);
  assert.equal(payload.sub, String(signin.body.user_id));
  assert.equal(payload.exp - payload.iat, 900);
  assert.ok(payload.jti);
  const [h, p, s] = signin.body.access_token.split('.');
  const tampered = `${h}.${p}.${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
  await assert.rejects(jwtVerify(tampered, jwks, { issuer: 'griha', audience: 'griha-api' }));
});

test('verification and reset emails arrive over SMTP and their links work', async () => {
  const email = 'mail.user@example.in';
  const reg = await postJson(`${griha.base}/api/v1/auth/register`, { email, password: PASSWORD, name: 'Mail User' });
  assert.equal(reg.status, 202);
  const welcome = await waitForMail(email, 'Verify your email');
  assert.equal(welcome.user, 'griha', 'griha authenticated to the SMTP server');
  const verifyPage = await fetch(linkIn(welcome, '/account/verify-email'));
  assert.equal(verifyPage.status, 200);
  assert.match(await verifyPage.text(), /Email verified/);

  const signin = await postJson(`${griha.base}/api/v1/auth/signin`, { email, password: PASSWORD });
  const me = await (await fetch(`${griha.base}/api/v1/me`, {
    headers: { authorization: `Bearer ${signin.body.access_token}` },
  })).json();
  assert.equal(me.email_verified, true);

  assert.equal((await postJson(`${griha.base}/api/v1/auth/password/forgot`, { email })).status, 202);
  const reset = await waitForMail(email, 'Reset your Griha password');
  const formPage = await fetch(linkIn(reset, '/account/reset-password'));
  assert.equal(formPage.status, 200);
  const html = await formPage.text();
  const action = html.match(/<form method="post" action="([^"]+)"/)[1];
  const token = html.match(/name="token" value="([^"]+)"/)[1];
  const fresh = 'the new password after the reset';
  const submitted = await fetch(new URL(action, griha.base), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, password: fresh }),
  });
  assert.equal(submitted.status, 200);
  assert.match(await submitted.text(), /Password changed/);
  assert.equal((await postJson(`${griha.base}/api/v1/auth/signin`, { email, password: PASSWORD })).status, 401);
  assert.equal((await postJson(`${griha.base}/api/v1/auth/signin`, { email, password: fresh })).status, 200);
  assert.equal((await postJson(`${griha.base}/api/v1/auth/refresh`, { refresh_token: signin.body.refresh_token })).status, 401,
    'the reset ended the old session');
});

// The browser's part: follow redirects, keeping each site's cookies.
async function browse(url, jars) {
  for (let hops = 0; hops < 20; hops++) {
    const jar = url.startsWith(oidcIssuer) ? jars.idp : jars.griha;
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.take(res);
    if (res.status < 300 || res.status >= 400) return res;
    url = new URL(res.headers.get('location'), url).toString();
  }
  throw new Error('too many redirects');
}

test('social sign-in: code flow with PKCE against a real OpenID provider, linked by verified email', async () => {
  // An account that already has the provider's (verified) address is the one signed in.
  await postJson(`${griha.base}/api/v1/auth/register`, { email: OIDC_EMAIL, password: PASSWORD });
  const welcome = await waitForMail(OIDC_EMAIL, 'Verify your email');
  assert.equal((await fetch(linkIn(welcome, '/account/verify-email'))).status, 200);
  const local = await postJson(`${griha.base}/api/v1/auth/signin`, { email: OIDC_EMAIL, password: PASSWORD });

  const jars = { griha: new CookieJar(), idp: new CookieJar() };
  const start = await fetch(`${griha.base}/api/v1/auth/oidc/start`, { redirect: 'manual' });
  assert.equal(start.status, 302);
  jars.griha.take(start);
  const authorize = new URL(start.headers.get('location'));
  assert.equal(authorize.origin, oidcIssuer);
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(authorize.searchParams.get('state') && authorize.searchParams.get('nonce'));

  const done = await browse(authorize.toString(), jars);
  const body = await done.json();
  assert.equal(done.status, 200, JSON.stringify(body));
  assert.equal(body.user_id, local.body.user_id, 'linked to the existing account');
  const me = await (await fetch(`${griha.base}/api/v1/me`, {
    headers: { authorization: `Bearer ${body.access_token}` },
  })).json();
  assert.equal(me.email, OIDC_EMAIL);

  // The same callback again (a replayed code and state) is refused: states are single use.
  const second = await fetch(`${griha.base}/api/v1/auth/oidc/callback?code=x&state=${authorize.searchParams.get('state')}`, {
    headers: { cookie: `griha_oidc_state=${authorize.searchParams.get('state')}` },
  });
  assert.equal(second.status, 400);
  // A callback without this browser's state cookie is refused (login CSRF).
  const start2 = await fetch(`${griha.base}/api/v1/auth/oidc/start`, { redirect: 'manual' });
  const state2 = new URL(start2.headers.get('location')).searchParams.get('state');
  const forged = await fetch(`${griha.base}/api/v1/auth/oidc/callback?code=x&state=${state2}`);
  assert.equal(forged.status, 400);
});

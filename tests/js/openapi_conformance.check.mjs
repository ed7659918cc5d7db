// Every exchange the integration tests recorded (tests/support/http_client.cpp writes them to
// $GRIHA_TEST_EXCHANGES/*.jsonl) must conform to api/openapi.json. CTest runs this after the
// integration suites (fixture openapi_exchanges); the checker itself is tested first on
// exchanges made up here, so a checker that lets everything through fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { OpenApiChecker } from './openapi_conformance.mjs';

const doc = JSON.parse(readFileSync(new URL('../../api/openapi.json', import.meta.url)));
const checker = new OpenApiChecker(doc);

const problem = (status, code = 'x') =>
  JSON.stringify({ type: 'about:blank', title: 't', status, code, detail: 'd' });

test('the checker flags an undocumented status', () => {
  const out = checker.check({ method: 'GET', target: '/api/v1/me', status: 418,
    content_type: 'application/problem+json', body: problem(418) });
  assert.equal(out.length, 0, 'a 4XX range covers 418: ' + out);
  const five = checker.check({ method: 'GET', target: '/healthz', status: 201,
    content_type: 'application/json', body: '{}' });
  assert.match(five.join('\n'), /status 201 is not documented/);
});

test('the checker flags a content type the operation does not answer with', () => {
  const out = checker.check({ method: 'GET', target: '/api/v1/me', status: 401,
    content_type: 'text/html', body: '<p>no</p>' });
  assert.match(out.join('\n'), /content type text\/html is not one of/);
});

test('the checker flags a body that breaks its schema', () => {
  const out = checker.check({ method: 'GET', target: '/api/v1/places', status: 400,
    content_type: 'application/problem+json', body: JSON.stringify({ status: 'four hundred' }) });
  assert.ok(out.some((p) => /response body/.test(p)), out.join('\n'));
});

test('the checker flags an accepted request outside the contract, and routes templates', () => {
  const listing = checker.check({ method: 'GET', target: '/api/v1/listings/abc', status: 200,
    content_type: 'application/json', body: '{}' });
  assert.ok(listing.some((p) => /accepted \(200\).*path parameter id/.test(p)), listing.join('\n'));
  const refused = checker.check({ method: 'GET', target: '/api/v1/listings/abc', status: 404,
    content_type: 'application/problem+json', body: problem(404, 'listing_not_found') });
  assert.deepEqual(refused, []);
  const unknown = checker.check({ method: 'GET', target: '/api/v1/nowhere', status: 200,
    content_type: 'application/json', body: '{}' });
  assert.match(unknown.join('\n'), /no operation GET \/api\/v1\/nowhere/);
});

test('every recorded exchange conforms to api/openapi.json', () => {
  const dir = process.env.GRIHA_TEST_EXCHANGES;
  assert.ok(dir && existsSync(dir), 'GRIHA_TEST_EXCHANGES names no directory');
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  let count = 0;
  const broken = new Map();  // problem -> { count, example }
  for (const f of files) {
    for (const line of readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const exchange = JSON.parse(line);
      ++count;
      for (const p of checker.check(exchange)) {
        const seen = broken.get(p) ?? { count: 0, example: exchange };
        ++seen.count;
        broken.set(p, seen);
      }
    }
  }
  assert.ok(count > 0, `no exchanges recorded in ${dir}: run the integration tests first`);
  const report = [...broken].map(([p, { count: n, example: e }]) =>
    `${p}\n    ${n}×, e.g. ${e.test}: ${e.method} ${e.target} -> ${e.status} ` +
    String(e.body ?? '').slice(0, 300));
  assert.equal(report.length, 0,
    `${report.length} kinds of nonconforming exchange among ${count}:\n${report.join('\n')}`);
});

import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliError, EnvironmentError, InvalidDocumentError, UsageError } from '../src/errors.js';
import { resolveForEnvironment } from '../src/resolve/resolve-for-environment.js';
import type { ApiToken } from '../src/sources/api-token.js';
import {
  type ApiClientOptions,
  checkApiBaseUrl,
  customerSecretsClient,
  httpApiSource,
  MAX_ANSWER_BYTES,
  MAX_ATTEMPTS,
  PANTHEON_API_BASE,
  RETRY_BASE_MS,
} from '../src/sources/http-api.js';
import { parseSourceSpec } from '../src/sources/source-spec.js';
import { failure as failureOf, fullText } from './support/cli-error.js';

const TOKEN = 'tok-CANARY-7f3a9c';
const SITE_UUID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const ORG_UUID = '11111111-2222-3333-4444-555555555555';
const fixture = (name: string) => readFileSync(new URL(`../fixtures/pantheon/${name}`, import.meta.url), 'utf8');
/** What the real service answered for the sample site (its SiteID is SITE_UUID). */
const SITE_ANSWER = fixture('main/api-site.json');
const ORG_ANSWER = fixture('org/api.json');

type Reply = { status: number; body?: string | Buffer; headers?: Record<string, string>; delayMs?: number };
type Seen = { method: string | undefined; path: string; authorization: string | undefined; accept: string | undefined };

const servers: http.Server[] = [];
afterEach(async () => {
  // Slow replies must not keep a test (or the run) waiting: drop their connections.
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

/** The customer-secrets service on 127.0.0.1 (never another interface), answering by path and hit number. */
async function apiServer(answer: (path: string, hit: number) => Reply) {
  const seen: Seen[] = [];
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const path = req.url ?? '';
    seen.push({ method: req.method, path, authorization: req.headers.authorization, accept: req.headers.accept });
    const hit = (hits.get(path) ?? 0) + 1;
    hits.set(path, hit);
    const reply = answer(path, hit);
    const send = () => {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body ?? '');
    };
    if (reply.delayMs === undefined) return send();
    const timer = setTimeout(send, reply.delayMs);
    res.on('close', () => clearTimeout(timer));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/customer-secrets/v1`, seen };
}

const SITE_PATH = `/customer-secrets/v1/sites/${SITE_UUID}/secrets/showall`;
const ORG_PATH = `/customer-secrets/v1/organizations/${ORG_UUID}/secrets`;

function realService(path: string): Reply {
  if (path === SITE_PATH) return { status: 200, body: SITE_ANSWER };
  if (path === ORG_PATH) return { status: 200, body: ORG_ANSWER };
  return { status: 404 };
}

/** Time that passes only when the client sleeps, so no test waits in real time. */
function fakeClock() {
  let time = 0;
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      time += ms;
    },
    sleeps,
  };
}

const fromEnv = (value = TOKEN): ApiToken => ({
  value,
  from: 'COMPOSER_SECRETS_TOKEN',
  renew: 'set COMPOSER_SECRETS_TOKEN to a current session token',
});

function options(url: string, extra: Partial<ApiClientOptions> = {}) {
  const clock = fakeClock();
  const starts: number[] = [];
  const all: ApiClientOptions = {
    baseUrl: url,
    token: async () => fromEnv(),
    now: clock.now,
    sleep: clock.sleep,
    // No jitter unless a test asks: the wait is then exactly RETRY_BASE_MS x attempt.
    random: () => 0.5,
    // Records when, on the fake clock, each request went out.
    fetch: (input, init) => {
      starts.push(clock.now());
      return globalThis.fetch(input, init);
    },
    timeoutMs: 2000,
    ...extra,
  };
  return { all, clock, starts };
}

function clientFor(url: string, extra: Partial<ApiClientOptions> = {}) {
  const { all, clock, starts } = options(url, extra);
  return { client: customerSecretsClient(all), clock, starts };
}

const readSite = (url: string, extra: Partial<ApiClientOptions> = {}) =>
  clientFor(url, extra).client.read({ kind: 'site', uuid: SITE_UUID });

async function failure(promise: Promise<unknown>): Promise<CliError> {
  const error = await failureOf(promise);
  const text = fullText(error);
  // No message, whatever went wrong, carries the token or a value.
  expect(text).not.toContain('CANARY');
  expect(text).not.toContain('ghp_site_token');
  return error;
}

describe('the request, as Terminus makes it', () => {
  it('is the exact request Terminus sent for secret:site:list (captured): URL, raw Authorization, Accept', async () => {
    const [captured] = JSON.parse(fixture('main/site-list.calls.json')) as [{ url: string; options: { headers: Record<string, string> } }];
    const sent: { url: string; headers: Record<string, string> }[] = [];
    const client = customerSecretsClient({
      baseUrl: (parseSourceSpec('pantheon') as { baseUrl: string }).baseUrl,
      token: async () => fromEnv(captured.options.headers.Authorization),
      // Nothing leaves the machine: the request is recorded and answered here.
      fetch: async (input, init) => {
        sent.push({ url: String(input), headers: init?.headers as Record<string, string> });
        return new Response('{"Secrets": {}}', { status: 200 });
      },
    });
    await client.read({ kind: 'site', uuid: 'uuid-of-shop' });
    expect(sent).toEqual([{ url: new URL(captured.url).href, headers: captured.options.headers }]);
    expect(parseSourceSpec('pantheon')).toEqual({ kind: 'http-api', baseUrl: PANTHEON_API_BASE });
  });

  it('reads an organization alone at /organizations/{uuid}/secrets (no showall), as Terminus does', async () => {
    const api = await apiServer(realService);
    const { client } = clientFor(api.url);
    expect(await client.read({ kind: 'organization', uuid: ORG_UUID })).toEqual({
      url: `http://127.0.0.1:${new URL(api.url).port}${ORG_PATH}`,
      text: ORG_ANSWER,
    });
    expect(api.seen).toEqual([{ method: 'GET', path: ORG_PATH, authorization: TOKEN, accept: 'application/json' }]);
  });
});

describe('httpApiSource: a build', () => {
  it("makes ONE request, with the raw token, and resolves the site's and the organization's values from it", async () => {
    const api = await apiServer(realService);
    const source = httpApiSource(options(`${api.url}/`).all);
    const secrets = await source.fetch({ site: SITE_UUID.toUpperCase() });
    expect(api.seen).toEqual([{ method: 'GET', path: SITE_PATH, authorization: TOKEN, accept: 'application/json' }]);
    const dev = resolveForEnvironment({ ...secrets, environment: 'dev' });
    expect(Object.fromEntries(dev.map((s) => [s.name, [s.value, s.from.owner.kind]]))).toEqual({
      'github-oauth.github.com': ['ghp_site_token', 'site'],
      ACF_PRO_KEY: ['org-acf-dev', 'org'],
      SENTRY_DSN: ['https://site.example/dsn-dev', 'site'],
      // A site value, even without an override, beats the organization's override.
      BOTH: ['site-both', 'site'],
    });
    // The token it read with, for the build to mask in composer's output.
    expect(source.toolCredentials?.()).toEqual([TOKEN]);
  });

  it('refuses an answer for another site (its SiteID) rather than building with it', async () => {
    const api = await apiServer(realService);
    const other = SITE_UUID.replace('aaaaaaaa', 'ffffffff');
    const error = await failure(httpApiSource(options(api.url).all).fetch({ site: other }));
    expect(error).toBeInstanceOf(UsageError);
    expect(api.seen).toHaveLength(1);
    const served = await apiServer(() => ({ status: 200, body: SITE_ANSWER }));
    const mismatch = await failure(httpApiSource(options(served.url).all).fetch({ site: other }));
    expect(mismatch.message).toContain(`holds the secrets of site ${SITE_UUID}, not ${other}`);
  });

  it('takes the site by UUID only: a name is exit 2 saying how to find the UUID, and nothing is sent', async () => {
    const api = await apiServer(realService);
    let asked = 0;
    const source = httpApiSource(
      options(api.url, {
        token: async () => {
          asked++;
          return fromEnv();
        },
      }).all,
    );
    const error = await failure(source.fetch({ site: 'shop' }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain('--site shop: the secrets API addresses a site by its UUID');
    expect(error.message).toContain('terminus site:info shop --field=id');
    expect(error.message).toContain('$PANTHEON_SITE');
    expect(api.seen).toHaveLength(0);
    expect(asked).toBe(0);
  });
});

describe('answers that stop a build (exit 2, naming the UUID and what to do)', () => {
  it.each([
    [401, `COMPOSER_SECRETS_TOKEN was refused (HTTP 401) for site ${SITE_UUID}; set COMPOSER_SECRETS_TOKEN to a current session token`],
    [403, `the token from COMPOSER_SECRETS_TOKEN may not read the secrets of site ${SITE_UUID} (HTTP 403)`],
    [404, `there is no site ${SITE_UUID} at`],
  ])('%i, without retrying and without the body', async (status, words) => {
    const api = await apiServer(() => ({ status, body: '{"error": "CANARY-body"}' }));
    const error = await failure(readSite(api.url));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(words);
    expect(api.seen).toHaveLength(1);
  });

  it('404 for an organization names it and how to check its UUID', async () => {
    const api = await apiServer(() => ({ status: 404 }));
    const error = await failure(clientFor(api.url).client.read({ kind: 'organization', uuid: ORG_UUID }));
    expect(error.message).toContain(
      `there is no organization ${ORG_UUID} at ${api.url} (HTTP 404); check the UUID with \`terminus org:list`,
    );
  });

  it('401 with a saved Terminus session says to log in again', async () => {
    const api = await apiServer(() => ({ status: 401 }));
    const session = {
      value: TOKEN,
      from: 'the Terminus session in /home/u/.terminus/cache/session',
      renew: 'run `terminus auth:login` again',
    };
    const error = await failure(readSite(api.url, { token: async () => session }));
    expect(error.message).toContain(
      `the Terminus session in /home/u/.terminus/cache/session was refused (HTTP 401) for site ${SITE_UUID}; run \`terminus auth:login\` again`,
    );
  });

  it.each([400, 405, 409])('%i is not retried (as Terminus: 400-409 are final)', async (status) => {
    const api = await apiServer(() => ({ status }));
    const error = await failure(readSite(api.url));
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error.message).toContain(`HTTP ${status}, an unexpected answer`);
    expect(api.seen).toHaveLength(1);
  });

  it('does not follow redirects (the token would go along)', async () => {
    const api = await apiServer(() => ({ status: 302, headers: { location: 'https://elsewhere.example/' } }));
    const error = await failure(readSite(api.url));
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error.message).toContain('HTTP 302, a redirect');
    expect(api.seen).toHaveLength(1);
  });
});

describe('retries, as Terminus retries (429, 5xx, connection errors)', () => {
  it('waits as long as a 429 asks when that is longer than its own backoff, then succeeds', async () => {
    const api = await apiServer((path, hit) => (hit === 1 ? { status: 429, headers: { 'retry-after': '7' } } : realService(path)));
    const { client, clock } = clientFor(api.url);
    await client.read({ kind: 'site', uuid: SITE_UUID });
    expect(api.seen.map((s) => s.path)).toEqual([SITE_PATH, SITE_PATH]);
    expect(clock.sleeps).toEqual([7000]);
  });

  it('reads a Retry-After given as a date', async () => {
    const api = await apiServer((path, hit) =>
      hit === 1 ? { status: 429, headers: { 'retry-after': new Date(20_000).toUTCString() } } : realService(path),
    );
    const { client, clock } = clientFor(api.url);
    await client.read({ kind: 'site', uuid: SITE_UUID });
    expect(clock.sleeps).toEqual([20_000]);
  });

  it.each([429, 500, 502, 503, 410])('retries %i with a backoff that grows by attempt', async (status) => {
    const api = await apiServer((path, hit) => (hit <= 2 ? { status } : realService(path)));
    const { client, clock } = clientFor(api.url);
    await client.read({ kind: 'site', uuid: SITE_UUID });
    expect(api.seen).toHaveLength(3);
    expect(clock.sleeps).toEqual([RETRY_BASE_MS, 2 * RETRY_BASE_MS]);
  });

  it('jitters every wait between half and one and a half times the backoff', async () => {
    const api = await apiServer(() => ({ status: 503 }));
    const draws = [0, 0.999, 0.25, 0.75, 0.5];
    const { client, clock } = clientFor(api.url, { random: () => draws.shift() ?? 0.5 });
    await failure(client.read({ kind: 'site', uuid: SITE_UUID }));
    const b = RETRY_BASE_MS;
    expect(clock.sleeps).toEqual([0.5 * b, Math.round(2 * b * 1.499), 3 * b * 0.75, 4 * b * 1.25, 5 * b]);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts, as Terminus (1 + 5 retries)`, async () => {
    const api = await apiServer(() => ({ status: 503 }));
    const error = await failure(readSite(api.url));
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error.exitCode).toBe(1);
    expect(error.message).toContain(`HTTP 503 after ${MAX_ATTEMPTS} attempts; try again later`);
    expect(api.seen).toHaveLength(MAX_ATTEMPTS);
  });

  it('says when the limit of 3 requests a second is what stopped it', async () => {
    const api = await apiServer(() => ({ status: 429 }));
    const error = await failure(readSite(api.url));
    expect(error.message).toContain(`HTTP 429 (the service allows about 3 requests a second per user) after ${MAX_ATTEMPTS} attempts`);
  });

  it('gives up at once when a 429 asks for more than a minute', async () => {
    const api = await apiServer(() => ({ status: 429, headers: { 'retry-after': '3600' } }));
    const { client, clock } = clientFor(api.url);
    const error = await failure(client.read({ kind: 'site', uuid: SITE_UUID }));
    expect(error.message).toContain('asks to wait 3600 s');
    expect(api.seen).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('retries a refused connection, and says so when it never gets through', async () => {
    const api = await apiServer(realService);
    const closed = servers.pop() as http.Server;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { client, starts } = clientFor(api.url);
    const error = await failure(client.read({ kind: 'site', uuid: SITE_UUID }));
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error.message).toMatch(new RegExp(`cannot reach http://127\\.0\\.0\\.1:\\d+: ECONNREFUSED after ${MAX_ATTEMPTS} attempts`));
    expect(starts).toHaveLength(MAX_ATTEMPTS);
  });

  it('gets through after a connection reset', async () => {
    const api = await apiServer(realService);
    let calls = 0;
    const { client, clock } = clientFor(api.url, {
      fetch: (input, init) =>
        ++calls === 1 ? Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } })) : globalThis.fetch(input, init),
    });
    expect((await client.read({ kind: 'site', uuid: SITE_UUID })).text).toBe(SITE_ANSWER);
    expect(clock.sleeps).toEqual([RETRY_BASE_MS]);
    expect(api.seen).toHaveLength(1);
  });

  it('never sends more than 3 requests in any second of its clock, even to concurrent callers', async () => {
    const api = await apiServer(realService);
    const { client, clock, starts } = clientFor(api.url);
    const read = () => client.read({ kind: 'site', uuid: SITE_UUID });
    await Promise.all([read(), read(), read(), read(), read(), read(), read()]);
    expect(api.seen).toHaveLength(7);
    for (const start of starts) {
      expect(starts.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(3);
    }
    // It held requests back rather than spreading them by luck: 7 requests need 2 s.
    expect(Math.max(...starts)).toBeGreaterThanOrEqual(2000);
    expect(clock.sleeps.length).toBeGreaterThan(0);
  });
});

describe('answers that cannot be read', () => {
  it('times a slow answer out and does not retry it', async () => {
    const api = await apiServer(() => ({ status: 200, body: SITE_ANSWER, delayMs: 10_000 }));
    const error = await failure(readSite(api.url, { timeoutMs: 150 }));
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error.message).toContain('no complete answer within 150 ms');
    expect(api.seen).toHaveLength(1);
  });

  it('says where an answer is not JSON, without quoting it', async () => {
    const api = await apiServer(() => ({ status: 200, body: '{"Secrets": {"A": CANARY-x' }));
    const error = await failure(httpApiSource(options(api.url).all).fetch({ site: SITE_UUID }));
    expect(error).toBeInstanceOf(InvalidDocumentError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(
      new RegExp(`^the answer of GET http://127\\.0\\.0\\.1:\\d+${SITE_PATH} is not valid JSON \\(line 1, column \\d+\\)$`),
    );
  });

  it(`refuses an answer larger than the bound (${MAX_ANSWER_BYTES} bytes by default), declared or streamed, without reading on`, async () => {
    const body = JSON.stringify({ Secrets: { A: { Type: 'env', Scopes: ['ic'], Value: 'CANARY'.repeat(400) } } });
    for (const headers of [{ 'content-length': String(Buffer.byteLength(body)) }, {} as Record<string, string>]) {
      const api = await apiServer(() => ({ status: 200, body, headers }));
      const error = await failure(readSite(api.url, { maxAnswerBytes: 1000 }));
      expect(error).toBeInstanceOf(InvalidDocumentError);
      expect(error.exitCode).toBe(2);
      expect(error.message).toBe(
        `the answer of GET ${api.url}/sites/${SITE_UUID}/secrets/showall is larger than 1000 bytes, the most an answer may be; it was not read`,
      );
    }
    const api = await apiServer(realService);
    expect((await readSite(api.url, { maxAnswerBytes: 1000 })).text).toBe(SITE_ANSWER);
  });

  it('refuses an answer that is not UTF-8 rather than reading it with replacement characters', async () => {
    const bytes = Buffer.from(SITE_ANSWER);
    bytes[bytes.indexOf('ghp_')] = 0xc3;
    bytes[bytes.indexOf('ghp_') + 1] = 0x28;
    const api = await apiServer(() => ({ status: 200, body: bytes }));
    const error = await failure(readSite(api.url));
    expect(error).toBeInstanceOf(InvalidDocumentError);
    expect(error.message).toMatch(/showall is not valid UTF-8 text$/);
  });

  it('needs a token a header can carry, before sending anything', async () => {
    const api = await apiServer(realService);
    const broken = await failure(readSite(api.url, { token: async () => fromEnv(`${TOKEN}\nX-Other: 1`) }));
    expect(broken).toBeInstanceOf(UsageError);
    expect(broken.message).toBe('COMPOSER_SECRETS_TOKEN holds characters an HTTP header cannot carry');
    expect(api.seen).toHaveLength(0);
  });
});

describe('checkApiBaseUrl', () => {
  it.each([
    PANTHEON_API_BASE,
    'https://secrets.example.com/customer-secrets/v1',
    'http://127.0.0.1:8080',
    'http://127.9.8.7',
    'http://localhost:3000/api',
    'http://[::1]:9000',
  ])('accepts %s', (url) => {
    expect(() => checkApiBaseUrl(url)).not.toThrow();
  });

  it.each([
    ['http://secrets.example.com', 'http:// is allowed only for'],
    ['http://128.0.0.1', 'http:// is allowed only for'],
    ['http://localhost.example.com', 'http:// is allowed only for'],
    ['ftp://127.0.0.1/x', 'only https:// URLs'],
    ['https://', 'not a valid URL'],
    ['https://example.com/v1?key=1', 'no query or fragment'],
  ])('refuses %s with exit 2', (url, words) => {
    let error: unknown;
    try {
      checkApiBaseUrl(url);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain(words);
  });

  it('never repeats credentials put in the URL', () => {
    expect(() => checkApiBaseUrl(`https://user:${TOKEN}@example.com/v1`)).toThrow(
      /^--source https:\/\/example\.com\/\.\.\.: credentials do not go in the URL/,
    );
  });
});

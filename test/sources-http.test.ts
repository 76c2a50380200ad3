import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CliError, EnvironmentError, InvalidDocumentError, UsageError } from '../src/errors.js';
import { resolveForEnvironment } from '../src/resolve/resolve-for-environment.js';
import { checkApiBaseUrl, httpApiSource, MAX_ANSWER_BYTES, MAX_ATTEMPTS, type HttpApiOptions } from '../src/sources/http-api.js';
import { failure as failureOf, fullText } from './support/cli-error.js';

const TOKEN = 'tok-CANARY-7f3a9c';

type Reply = { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number };
type Seen = { path: string; authorization: string | undefined; accept: string | undefined };

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

/** A secrets API on 127.0.0.1 (never another interface) answering by path and hit number. */
async function apiServer(answer: (path: string, hit: number) => Reply) {
  const seen: Seen[] = [];
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const path = req.url ?? '';
    seen.push({ path, authorization: req.headers.authorization, accept: req.headers.accept });
    const hit = (hits.get(path) ?? 0) + 1;
    hits.set(path, hit);
    const reply = answer(path, hit);
    const send = () => {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body === undefined ? '' : typeof reply.body === 'string' || Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body));
    };
    if (reply.delayMs === undefined) return send();
    const timer = setTimeout(send, reply.delayMs);
    res.on('close', () => clearTimeout(timer));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen };
}

/** Time that passes only when the source sleeps, so no test waits in real time. */
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

function clientFor(url: string, extra: Partial<HttpApiOptions> = {}) {
  const clock = fakeClock();
  const starts: number[] = [];
  const source = httpApiSource({
    baseUrl: url,
    token: TOKEN,
    now: clock.now,
    sleep: clock.sleep,
    // Records when, on the fake clock, each request went out.
    fetch: (input, init) => {
      starts.push(clock.now());
      return globalThis.fetch(input, init);
    },
    timeoutMs: 2000,
    ...extra,
  });
  return { source, clock, starts };
}

async function failure(promise: Promise<unknown>): Promise<CliError> {
  const error = await failureOf(promise);
  const text = fullText(error);
  // No message, whatever went wrong, carries the token or a value.
  expect(text).not.toContain('CANARY');
  return error;
}

const secret = (value: string, overrides: Record<string, string> = {}) => ({ type: 'env', scopes: ['ic'], value, overrides });

const SITE_ANSWER = {
  site: 'shop',
  organization: 'acme',
  secrets: {
    SITE_BASE: secret('site-base'),
    SITE_OVERRIDE: secret('site-base', { dev: 'site-dev' }),
    SITE_BEATS_ORG: secret('site-base'),
  },
};
const ORG_ANSWER = {
  organization: 'acme',
  secrets: {
    ORG_BASE: secret('org-base'),
    ORG_OVERRIDE: secret('org-base', { dev: 'org-dev' }),
    SITE_BEATS_ORG: secret('org-base', { dev: 'org-dev' }),
  },
};

const SITE_PATH = '/v1/sites/shop/secrets/showall';
const ORG_PATH = '/v1/organizations/acme/secrets/showall';

function normalApi(path: string): Reply {
  if (path === SITE_PATH) return { status: 200, body: SITE_ANSWER };
  if (path === ORG_PATH) return { status: 200, body: ORG_ANSWER };
  return { status: 404 };
}

describe('httpApiSource answers', () => {
  it("fetches the site and its organization with the bearer token, and resolves as the platform would", async () => {
    const api = await apiServer(normalApi);
    const { source } = clientFor(`${api.url}/v1/`);
    const secrets = await source.fetch({ site: 'shop' });
    expect(api.seen).toEqual([
      { path: SITE_PATH, authorization: `Bearer ${TOKEN}`, accept: 'application/json' },
      { path: ORG_PATH, authorization: `Bearer ${TOKEN}`, accept: 'application/json' },
    ]);
    expect(secrets).toEqual({
      site: { name: 'shop', secrets: { SITE_BASE: secret('site-base'), SITE_OVERRIDE: secret('site-base', { dev: 'site-dev' }), SITE_BEATS_ORG: secret('site-base') } },
      organization: { name: 'acme', secrets: ORG_ANSWER.secrets },
    });
    const dev = resolveForEnvironment({ ...secrets, environment: 'dev' });
    expect(Object.fromEntries(dev.map((s) => [s.name, s.value]))).toEqual({
      SITE_BASE: 'site-base',
      SITE_OVERRIDE: 'site-dev',
      ORG_BASE: 'org-base',
      ORG_OVERRIDE: 'org-dev',
      SITE_BEATS_ORG: 'site-base',
    });
  });

  it('asks for no organization when the site has none, and for the --org one when given', async () => {
    const api = await apiServer((path) =>
      path === SITE_PATH ? { status: 200, body: { ...SITE_ANSWER, organization: null } } : normalApi(path),
    );
    const { source } = clientFor(`${api.url}/v1`);
    expect((await source.fetch({ site: 'shop' })).organization).toBeUndefined();
    expect(api.seen.map((s) => s.path)).toEqual([SITE_PATH]);
    expect((await source.fetch({ site: 'shop', organization: 'acme' })).organization?.name).toBe('acme');
    expect(api.seen.map((s) => s.path)).toEqual([SITE_PATH, SITE_PATH, ORG_PATH]);
  });

  it("refuses an --org that contradicts the site's organization", async () => {
    const api = await apiServer(normalApi);
    const error = await failure(clientFor(`${api.url}/v1`).source.fetch({ site: 'shop', organization: 'other' }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain("site 'shop' belongs to organization 'acme'");
  });

  it.each([
    [401, 'was rejected (HTTP 401)'],
    [403, "may not read the secrets of site 'shop' (HTTP 403)"],
    [404, "site 'shop' does not exist"],
  ])('turns %i into an exit-2 error without retrying', async (status, words) => {
    const api = await apiServer(() => ({ status, body: { error: 'CANARY-body' } }));
    const error = await failure(clientFor(`${api.url}/v1`).source.fetch({ site: 'shop' }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(words);
    expect(api.seen).toHaveLength(1);
  });

  it("names the organization when it is the organization that is missing", async () => {
    const api = await apiServer((path) => (path === ORG_PATH ? { status: 404 } : normalApi(path)));
    const error = await failure(clientFor(`${api.url}/v1`).source.fetch({ site: 'shop' }));
    expect(error.message).toContain("organization 'acme' does not exist");
  });

  it('does not follow redirects', async () => {
    const api = await apiServer(() => ({ status: 302, headers: { location: 'https://elsewhere.example/' } }));
    const error = await failure(clientFor(`${api.url}/v1`).source.fetch({ site: 'shop' }));
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error.message).toContain('HTTP 302, a redirect');
    expect(api.seen).toHaveLength(1);
  });
});

describe('httpApiSource retries', () => {
  it('waits as long as a 429 asks, then succeeds', async () => {
    const api = await apiServer((path, hit) => (path === SITE_PATH && hit === 1 ? { status: 429, headers: { 'retry-after': '3' } } : normalApi(path)));
    const { source, clock } = clientFor(`${api.url}/v1`);
    await source.fetch({ site: 'shop' });
    expect(api.seen.map((s) => s.path)).toEqual([SITE_PATH, SITE_PATH, ORG_PATH]);
    expect(clock.sleeps).toEqual([3000]);
  });

  it('backs off after a 500, then succeeds', async () => {
    const api = await apiServer((path, hit) => (path === SITE_PATH && hit === 1 ? { status: 500 } : normalApi(path)));
    const { source, clock } = clientFor(`${api.url}/v1`);
    await source.fetch({ site: 'shop' });
    expect(api.seen.map((s) => s.path)).toEqual([SITE_PATH, SITE_PATH, ORG_PATH]);
    expect(clock.sleeps).toEqual([500]);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts, backing off exponentially`, async () => {
    const api = await apiServer(() => ({ status: 503 }));
    const { source, clock } = clientFor(`${api.url}/v1`);
    const error = await failure(source.fetch({ site: 'shop' }));
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error.message).toContain('HTTP 503 after 4 attempts');
    expect(api.seen).toHaveLength(4);
    expect(clock.sleeps).toEqual([500, 1000, 2000]);
  });

  it('gives up at once when a 429 asks for more than a minute', async () => {
    const api = await apiServer(() => ({ status: 429, headers: { 'retry-after': '3600' } }));
    const { source, clock } = clientFor(`${api.url}/v1`);
    const error = await failure(source.fetch({ site: 'shop' }));
    expect(error.message).toContain('asks to wait 3600 s');
    expect(api.seen).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('never sends more than 3 requests in any second of its clock, even to concurrent callers', async () => {
    const api = await apiServer(normalApi);
    const { source, clock, starts } = clientFor(`${api.url}/v1`);
    await Promise.all([source.fetch({ site: 'shop' }), source.fetch({ site: 'shop' }), source.fetch({ site: 'shop' })]);
    await source.fetch({ site: 'shop' });
    expect(api.seen).toHaveLength(8);
    expect(starts).toHaveLength(8);
    for (const start of starts) {
      expect(starts.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(3);
    }
    // It held requests back rather than spreading them by luck: 8 requests need over 2 s.
    expect(Math.max(...starts)).toBeGreaterThanOrEqual(2000);
    expect(clock.sleeps.length).toBeGreaterThan(0);
  });
});

describe('httpApiSource failures', () => {
  it('times a slow answer out and does not retry it', async () => {
    const api = await apiServer(() => ({ status: 200, body: SITE_ANSWER, delayMs: 10_000 }));
    const { source } = clientFor(`${api.url}/v1`, { timeoutMs: 150 });
    const started = Date.now();
    const error = await failure(source.fetch({ site: 'shop' }));
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error.message).toContain('no complete answer within 150 ms');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(api.seen).toHaveLength(1);
  });

  it('says when the API cannot be reached', async () => {
    const api = await apiServer(normalApi);
    const closed = servers.pop() as http.Server;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(clientFor(`${api.url}/v1`).source.fetch({ site: 'shop' }));
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED$/);
  });

  it('says where an answer is not JSON, without quoting it', async () => {
    const api = await apiServer(() => ({ status: 200, body: '{"site": "shop", "secrets": {"A": CANARY-x' }));
    const error = await failure(clientFor(`${api.url}/v1`).source.fetch({ site: 'shop' }));
    expect(error).toBeInstanceOf(InvalidDocumentError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/is not valid JSON \(line 1, column \d+\)$/);
  });

  it('reports an answer of the wrong shape by JSON path, without values', async () => {
    const body = {
      site: 'shop',
      organization: 'acme',
      secrets: {
        A: { type: 'password', scopes: ['ic'], value: 'CANARY-1' },
        B: { type: 'env', scopes: ['ic'], value: 'CANARY-2', overrides: { dev: 'CANARY-3' }, extra: 'CANARY-4' },
        C: { type: 'env', scopes: ['ic'] },
      },
    };
    const api = await apiServer(() => ({ status: 200, body }));
    const error = await failure(clientFor(`${api.url}/v1`).source.fetch({ site: 'shop' }));
    expect(error).toBeInstanceOf(InvalidDocumentError);
    expect(error.message).toContain('does not follow the secrets API contract');
    expect(error.details).toEqual([
      'secrets.A.type: must be one of "runtime", "env", "composer"',
      'secrets.B: has an unknown key (the 5th)',
      'secrets.C.value: is required (string)',
    ]);
  });

  it('refers to bad keys by position: a key can carry the token', async () => {
    const body = {
      site: 'shop',
      organization: null,
      secrets: {
        A: { type: 'env', scopes: ['ic'], value: 'v', [TOKEN.replaceAll('-', '_')]: true },
        [`Bearer ${TOKEN}`]: { type: 'env', scopes: ['ic'], value: 'v' },
      },
    };
    const api = await apiServer(() => ({ status: 200, body }));
    const error = await failure(clientFor(`${api.url}/v1`).source.fetch({ site: 'shop' }));
    expect(error.details).toEqual([
      'secrets.A: has an unknown key (the 4th)',
      expect.stringMatching(/^secrets\.\(2nd key\): invalid name/),
    ]);
    expect(fullText(error)).not.toContain('CANARY');
  });

  it('refuses a secret named __proto__ rather than dropping it', async () => {
    const body = `{"site": "shop", "organization": null, "secrets": {"__proto__": {"type": "env", "scopes": ["ic"], "value": "v"}}}`;
    const api = await apiServer(() => ({ status: 200, body }));
    const error = await failure(clientFor(`${api.url}/v1`).source.fetch({ site: 'shop' }));
    expect(error).toBeInstanceOf(InvalidDocumentError);
    expect(error.details).toEqual([expect.stringMatching(/^secrets\.\(1st key\): the key "__proto__" is not allowed/)]);
  });

  it(`refuses an answer larger than the bound (${MAX_ANSWER_BYTES} bytes by default), declared or streamed, without reading on`, async () => {
    const body = JSON.stringify({ ...SITE_ANSWER, secrets: { A: { type: 'env', scopes: ['ic'], value: 'CANARY'.repeat(400) } } });
    for (const headers of [{ 'content-length': String(Buffer.byteLength(body)) }, {} as Record<string, string>]) {
      const api = await apiServer(() => ({ status: 200, body, headers }));
      const error = await failure(clientFor(`${api.url}/v1`, { maxAnswerBytes: 1000 }).source.fetch({ site: 'shop' }));
      expect(error).toBeInstanceOf(InvalidDocumentError);
      expect(error.exitCode).toBe(2);
      expect(error.message).toBe(`the answer of GET ${api.url}/v1/sites/shop/secrets/showall is larger than 1000 bytes, the most an answer may be; it was not read`);
    }
    const api = await apiServer(() => ({ status: 200, body: { ...SITE_ANSWER, organization: null } }));
    expect((await clientFor(`${api.url}/v1`, { maxAnswerBytes: 1000 }).source.fetch({ site: 'shop' })).site.name).toBe('shop');
  });

  it('refuses an answer that is not UTF-8 rather than reading it with replacement characters', async () => {
    const json = Buffer.from(JSON.stringify({ ...SITE_ANSWER, organization: null, secrets: { A: { type: 'env', scopes: ['ic'], value: 'XX' } } }));
    const at = json.indexOf('XX');
    json[at] = 0xc3;
    json[at + 1] = 0x28;
    const api = await apiServer(() => ({ status: 200, body: json }));
    const error = await failure(clientFor(`${api.url}/v1`).source.fetch({ site: 'shop' }));
    expect(error).toBeInstanceOf(InvalidDocumentError);
    expect(error.message).toMatch(/showall is not valid UTF-8 text$/);
  });

  it('refuses an answer about another site', async () => {
    const api = await apiServer(() => ({ status: 200, body: { ...SITE_ANSWER, site: 'blog' } }));
    const error = await failure(clientFor(`${api.url}/v1`).source.fetch({ site: 'shop' }));
    expect(error).toBeInstanceOf(InvalidDocumentError);
    expect(error.message).toContain("is for site 'blog', not 'shop'");
  });

  it('needs a token, and one a header can carry, before sending anything', async () => {
    const api = await apiServer(normalApi);
    const missing = await failure(clientFor(`${api.url}/v1`, { token: undefined }).source.fetch({ site: 'shop' }));
    expect(missing).toBeInstanceOf(UsageError);
    expect(missing.message).toContain('COMPOSER_SECRETS_TOKEN is not set');
    const broken = await failure(clientFor(`${api.url}/v1`, { token: `${TOKEN}\nX-Other: 1` }).source.fetch({ site: 'shop' }));
    expect(broken).toBeInstanceOf(UsageError);
    expect(api.seen).toHaveLength(0);
  });
});

describe('checkApiBaseUrl', () => {
  it.each(['https://secrets.example.com/v1', 'http://127.0.0.1:8080', 'http://127.9.8.7', 'http://localhost:3000/api', 'http://[::1]:9000'])(
    'accepts %s',
    (url) => {
      expect(() => checkApiBaseUrl(url)).not.toThrow();
    },
  );

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
    expect(() => checkApiBaseUrl(`https://user:${TOKEN}@example.com/v1`)).toThrow(/^--source https:\/\/example\.com\/\.\.\.: credentials do not go in the URL/);
  });
});

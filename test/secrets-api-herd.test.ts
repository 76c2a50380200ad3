// Many builds of one account starting at once against a service that allows 3 requests a
// second: each is a separate process of the built CLI (`plan`, which reads the secrets as
// a build does), and all get through on the client's jittered retries. Nothing is timed:
// the test counts requests and outcomes.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { MAX_ATTEMPTS } from '../src/sources/http-api.js';
import { runCli, temporaryFolder } from './support/built-cli.js';

const SITE_UUID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const SITE_ANSWER = readFileSync(new URL('../fixtures/pantheon/main/api-site.json', import.meta.url), 'utf8');
const BUILDS = 20;
const PER_SECOND = 3;

/**
 * The service with its rate limit: a request is answered when fewer than 3 were answered in
 * the second before it, else 429 (no Retry-After: Terminus's client does not get one either).
 * The first BUILDS requests are held until all have arrived, so the builds reach it as one
 * herd however slowly their processes start.
 */
async function rateLimitedService() {
  const answered: number[] = [];
  const outcomes: number[] = [];
  let held: Array<() => void> | undefined = [];
  const server = http.createServer((req, res) => {
    const decide = () => {
      const now = performance.now();
      const recent = answered.filter((t) => t > now - 1000).length;
      const ok = req.url === `/customer-secrets/v1/sites/${SITE_UUID}/secrets/showall` && recent < PER_SECOND;
      if (ok) answered.push(now);
      outcomes.push(ok ? 200 : 429);
      res.writeHead(ok ? 200 : 429, { 'content-type': 'application/json' });
      res.end(ok ? SITE_ANSWER : '{"error": "too many requests"}');
    };
    if (held === undefined) return decide();
    held.push(decide);
    if (held.length === BUILDS) {
      const herd = held;
      held = undefined;
      for (const answer of herd) answer();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/customer-secrets/v1`, outcomes, answered };
}

describe('20 builds of one account at once, 3 requests a second', () => {
  it('all succeed, each with one answered request, none over the limit', { timeout: 180_000 }, async () => {
    const api = await rateLimitedService();
    const dir = await temporaryFolder();
    const runs = await Promise.all(
      Array.from({ length: BUILDS }, () =>
        runCli(['plan', '--site', SITE_UUID, '--env', 'dev', '--source', api.base, '--json'], {
          cwd: dir,
          env: { COMPOSER_SECRETS_TOKEN: 'one-account-session', HOME: dir, XDG_CONFIG_HOME: dir },
          extendEnv: false,
        }),
      ),
    );
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect((JSON.parse(run.stdout) as { secrets: Array<{ name: string }> }).secrets.map((s) => s.name).sort()).toEqual([
        'ACF_PRO_KEY',
        'BOTH',
        'SENTRY_DSN',
        'github-oauth.github.com',
      ]);
    }
    // One answer per build: a build stops asking once answered.
    expect(api.outcomes.filter((status) => status === 200)).toHaveLength(BUILDS);
    // The herd did hit the limit: all but 3 were refused at first.
    expect(api.outcomes.filter((status) => status === 429).length).toBeGreaterThanOrEqual(BUILDS - PER_SECOND);
    expect(api.outcomes.length).toBeLessThanOrEqual(BUILDS * MAX_ATTEMPTS);
  });
});

// What `secret:site:list --format json` prints is read back by `--source terminus-json:-`
// with the same build: the same plan (provenance included) and the same variables.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memoryContext } from './support/memory-context.js';

const STORE = '/store.json';
const example = JSON.parse(readFileSync(new URL('../fixtures/example/store-example.json', import.meta.url), 'utf8'));

type StoreDocument = {
  organizations: Record<string, { secrets: Record<string, { scopes: string[] }> }>;
  sites: Record<string, { secrets: Record<string, { scopes: string[] }> }>;
};

/** The store with `user` added to every secret's scopes: a listing shows a person every value. */
function readableByPeople(store: StoreDocument): StoreDocument {
  const copy = structuredClone(store);
  for (const owner of [...Object.values(copy.organizations), ...Object.values(copy.sites)]) {
    for (const secret of Object.values(owner.secrets)) if (!secret.scopes.includes('user')) secret.scopes.push('user');
  }
  return copy;
}

const LAYERED = {
  version: 1,
  organizations: {
    acme: {
      secrets: {
        ORG_ONLY: { type: 'env', scopes: ['ic', 'user'], value: 'org-only', overrides: { dev: 'org-only-dev', live: 'org-only-live' } },
        BOTH: { type: 'env', scopes: ['ic', 'user'], value: 'org-both', overrides: { dev: 'org-both-dev' } },
        'bearer.repo.example.org': { type: 'composer', scopes: ['ic', 'user'], value: 'org-bearer' },
        RUNTIME: { type: 'runtime', scopes: ['web', 'user'], value: 'org-runtime' },
        SAME: { type: 'env', scopes: ['ic', 'user'], value: 'same', overrides: { dev: 'org-same-dev' } },
      },
    },
  },
  sites: {
    shop: {
      organization: 'acme',
      secrets: {
        SITE_ONLY: { type: 'env', scopes: ['ic', 'user'], value: 'site-only', overrides: { dev: 'site-only-dev' } },
        BOTH: { type: 'env', scopes: ['ic', 'web', 'user'], value: 'site-both' },
        'bearer.repo.example.org': {
          type: 'composer',
          scopes: ['ic', 'user'],
          value: 'site-bearer',
          overrides: { feature: 'site-bearer-feature' },
        },
        NOT_FOR_BUILDS: { type: 'env', scopes: ['web', 'user'], value: 'web-only' },
        // The organization's base value, held by the site too: the site's still wins over the organization's override.
        SAME: { type: 'env', scopes: ['ic', 'user'], value: 'same' },
        SITE_EMPTY: { type: 'env', scopes: ['ic', 'user'], value: '' },
      },
    },
  },
};

async function roundTrip(store: unknown, env: string) {
  const m = memoryContext({ files: { [STORE]: JSON.stringify(store) } });
  const run = (argv: string[], stdin?: string) => m.run(['--store', STORE, ...argv], stdin);
  const listing = await run(['secret:site:list', 'shop', '--format', 'json']);
  expect(listing.code).toBe(0);
  const target = ['--site', 'shop', '--env', env];
  const fromJson = ['--source', 'terminus-json:-', '--org', 'acme'];
  return {
    listing: listing.stdout,
    plan: { store: await run(['plan', ...target, '--json']), json: await run(['plan', ...target, ...fromJson, '--json'], listing.stdout) },
    env: { store: await run(['env', ...target]), json: await run(['env', ...target, ...fromJson], listing.stdout) },
  };
}

describe('store -> secret:site:list --format json -> --source terminus-json:-', () => {
  it.each([
    ['the example store, every secret readable by people', 'dev', readableByPeople(example)],
    ['the example store, every secret readable by people', 'live', readableByPeople(example)],
    ['overrides, an organization-only secret and one both own', 'dev', LAYERED],
    ['overrides, an organization-only secret and one both own', 'live', LAYERED],
    ['overrides, an organization-only secret and one both own', 'feature', LAYERED],
  ])('%s (%s): the same plan and the same variables', async (_what, env, store) => {
    const r = await roundTrip(store, env);
    expect(r.plan.store.code).toBe(0);
    expect(r.plan.json).toEqual(r.plan.store);
    expect(r.env.store.code).toBe(0);
    expect(r.env.json).toEqual(r.env.store);
  });

  it('the example store as it is: the secrets a build needs that people cannot read are named (exit 2), never guessed; the rest plans the same', async () => {
    const r = await roundTrip(example, 'dev');
    const hidden = ['SENTRY_DSN', 'github-oauth.github.com', 'http-basic.repo.example.org'];
    expect(r.plan.store.code).toBe(0);
    expect(r.plan.json.code).toBe(2);
    const fromStore = JSON.parse(r.plan.store.stdout);
    const fromJson = JSON.parse(r.plan.json.stdout);
    expect(fromJson.problems).toHaveLength(hidden.length);
    for (const [i, name] of hidden.entries()) expect(fromJson.problems[i]).toMatch(new RegExp(`^secret '${name}': the build uses it`));
    const readable = (plan: { secrets: { name: string }[] }) =>
      plan.secrets.filter((s) => ['ACF_PRO_KEY', 'ANALYTICS_ID'].includes(s.name));
    expect(readable(fromJson)).toEqual(readable(fromStore));
    // A hidden row cannot say whose it is: the organization's runtime secret reads as the site's, and is skipped all the same.
    const skipped = (plan: { secrets: { name: string; becomes: unknown }[] }) =>
      plan.secrets.filter((s) => s.name === 'NEWRELIC_LICENSE').map((s) => s.becomes);
    expect(skipped(fromJson)).toEqual(skipped(fromStore));
    expect(r.listing).not.toMatch(/example_not_a_real_token|example-key@sentry|example-not-a-real-password|example-runtime-license/);
  });
});

// --source through the commands: each source reaches resolution, and its failures are exit 2.
// The secrets API through the commands: cli-secrets-api.test.ts.
import { describe, expect, it } from 'vitest';
import { memoryContext } from './support/memory-context.js';

const CANARY = 'CANARY-src';
const terminusRows = {
  API_KEY: { type: 'env', value: `${CANARY}-site`, scopes: ['ic', 'user'], 'env-values': { dev: `${CANARY}-site-dev` }, 'org-values': [] },
  ORG_KEY: { type: 'env', value: `${CANARY}-org`, scopes: ['ic', 'user'], 'env-values': [], 'org-values': { default: `${CANARY}-org` } },
};

const env = (...more: string[]) => ['env', '--site', 'shop', '--env', 'dev', ...more];

describe('--source', () => {
  it('terminus-json:FILE', async () => {
    const m = memoryContext({ files: { '/work/list.json': JSON.stringify(terminusRows) } });
    const r = await m.run(env('--source', 'terminus-json:list.json'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ API_KEY: `${CANARY}-site-dev`, ORG_KEY: `${CANARY}-org` });
  });

  it('sdk-json:- reads standard input', async () => {
    const m = memoryContext();
    const doc = { Secrets: { TOKEN: { Type: 'env', Value: `${CANARY}-sdk`, Scopes: ['ic', 'user'] } } };
    const r = await m.run(env('--source', 'sdk-json:-'), JSON.stringify(doc));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ TOKEN: `${CANARY}-sdk` });
  });

  it('terminus runs the terminus program', async () => {
    const m = memoryContext({
      programs: { terminus: (call) => (call.options.onStdout?.(JSON.stringify(terminusRows)), { exitCode: 0 }) },
    });
    const r = await m.run(['plan', '--site', 'shop', '--env', 'dev', '--source', 'terminus', '--json']);
    expect(r.code).toBe(0);
    expect(m.calls[0]?.args).toEqual(['secret:site:list', 'shop', '--format=json']);
    expect(r.stdout).not.toContain(CANARY);
  });

  it.each([
    ['an unknown source', ['--source', 'vault:x'], /^composer-secrets: --source: unknown source; use store/],
    ['a missing file', ['--source', 'terminus-json:nope.json'], /--source: there is no file \/work\/nope\.json/],
    ['plain http to another host', ['--source', 'http://secrets.example.org'], /http:\/\//],
  ])('%s: exit 2', async (_what, flags, message) => {
    const m = memoryContext();
    const r = await m.run(env(...flags));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('a terminus listing with hidden values: exit 2 naming them, no value', async () => {
    const rows = { ...terminusRows, HIDDEN: { type: 'env', value: null, scopes: ['ic'], 'env-values': [], 'org-values': [] } };
    const m = memoryContext({ files: { '/work/list.json': JSON.stringify(rows) } });
    const r = await m.run(env('--source', 'terminus-json:list.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('HIDDEN');
    expect(r.stderr).not.toContain(CANARY);
  });
});

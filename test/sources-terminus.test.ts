import { describe, expect, it } from 'vitest';
import { EnvironmentError, InvalidDocumentError, UsageError } from '../src/errors.js';
import type { ProcessRunner, RunOptions } from '../src/io/process-runner.js';
import { resolveForEnvironment } from '../src/resolve/resolve-for-environment.js';
import { UNKNOWN_ORGANIZATION } from '../src/sources/listed-secret.js';
import type { FetchRequest } from '../src/sources/source.js';
import { terminusCommandSource } from '../src/sources/terminus-command.js';
import { terminusJsonSource } from '../src/sources/terminus-json.js';
import { failure, fullText } from './support/cli-error.js';

const request: FetchRequest = { site: 'shop' };

function source(document: unknown) {
  const text = typeof document === 'string' ? document : JSON.stringify(document);
  return terminusJsonSource({ read: async () => text, description: 'terminus-json file list.json' });
}

/** A row as Terminus prints it; PHP writes an empty map as []. */
function row(fields: {
  value: string | null;
  scopes?: string[];
  env?: Record<string, string | null>;
  org?: Record<string, string | null>;
  type?: string;
}) {
  return {
    type: fields.type ?? 'env',
    value: fields.value,
    scopes: fields.scopes ?? ['ic', 'user'],
    'env-values': fields.env ?? [],
    'org-values': fields.org ?? [],
  };
}

async function resolved(document: unknown, environment: string, req: FetchRequest = request) {
  const secrets = await source(document).fetch(req);
  return resolveForEnvironment({ ...secrets, environment });
}

describe('terminusJsonSource mapping', () => {
  it('maps keyed rows exactly: site values with their overrides, organization values under them', async () => {
    const doc = {
      SITE_ONLY: row({ value: 'site-base', env: { dev: 'site-dev', test: null } }),
      BOTH: row({ value: 'site-base', org: { default: 'org-base', dev: 'org-dev' } }),
      // The site's own value, even when it equals the organization's (capture c, SAME).
      SAME: row({ value: 'org-base', org: { default: 'org-base', live: 'org-live' } }),
      ORG_NULL: row({ value: null, org: { default: 'org-base', dev: null } }),
      'github-oauth.github.com': row({ type: 'composer', value: 'gh', scopes: ['ic'] }),
    };
    expect(await source(doc).fetch({ site: 'shop', organization: 'acme' })).toEqual({
      site: {
        name: 'shop',
        secrets: {
          SITE_ONLY: { type: 'env', scopes: ['ic', 'user'], value: 'site-base', overrides: { dev: 'site-dev' } },
          BOTH: { type: 'env', scopes: ['ic', 'user'], value: 'site-base', overrides: {} },
          SAME: { type: 'env', scopes: ['ic', 'user'], value: 'org-base', overrides: {} },
          'github-oauth.github.com': { type: 'composer', scopes: ['ic'], value: 'gh', overrides: {} },
        },
      },
      organization: {
        name: 'acme',
        secrets: {
          BOTH: { type: 'env', scopes: ['ic', 'user'], value: 'org-base', overrides: { dev: 'org-dev' } },
          SAME: { type: 'env', scopes: ['ic', 'user'], value: 'org-base', overrides: { live: 'org-live' } },
          ORG_NULL: { type: 'env', scopes: ['ic', 'user'], value: 'org-base', overrides: {} },
        },
      },
    });
  });

  it('reads the array form, where each row carries its name', async () => {
    const doc = [
      { name: 'A', ...row({ value: 'a' }) },
      { name: 'B', ...row({ value: null, org: { default: 'b' } }) },
    ];
    const secrets = await source(doc).fetch(request);
    expect(Object.keys(secrets.site.secrets)).toEqual(['A']);
    expect(secrets.organization?.secrets.B?.value).toBe('b');
  });

  it("names the organization with a placeholder when there is no --org, and leaves it out when nothing is the organization's", async () => {
    const withOrg = await source({ K: row({ value: null, org: { default: 'o' } }) }).fetch(request);
    expect(withOrg.organization?.name).toBe(UNKNOWN_ORGANIZATION);
    const siteOnly = await source({ K: row({ value: 's' }) }).fetch(request);
    expect(siteOnly.organization).toBeUndefined();
    const named = await source({ K: row({ value: 's' }) }).fetch({ site: 'shop', organization: 'acme' });
    expect(named.organization).toEqual({ name: 'acme', secrets: {} });
  });

  it("keeps a site value equal to the organization value as the site's when the site has overrides", async () => {
    const secrets = await source({ K: row({ value: 'same', env: { dev: 'site-dev' }, org: { default: 'same' } }) }).fetch(request);
    expect(secrets.site.secrets.K).toEqual({ type: 'env', scopes: ['ic', 'user'], value: 'same', overrides: { dev: 'site-dev' } });
  });

  it('reads an empty value with nothing to fall back to as an empty site value, as the SDK does', async () => {
    const secrets = await source({ K: row({ value: '' }) }).fetch(request);
    expect(secrets.site.secrets.K?.value).toBe('');
  });
});

describe('terminusJsonSource resolution gives what the platform would', () => {
  const doc = {
    SITE_BASE: row({ value: 'site-base' }),
    SITE_OVERRIDE: row({ value: 'site-base', env: { dev: 'site-dev' } }),
    ORG_BASE: row({ value: null, org: { default: 'org-base' } }),
    ORG_OVERRIDE: row({ value: null, org: { default: 'org-base', dev: 'org-dev' } }),
    SITE_BEATS_ORG: row({ value: 'site-base', org: { default: 'org-base', dev: 'org-dev' } }),
    DELETED_OVERRIDE: row({ value: 'site-base', env: { dev: null } }),
  };

  it('in dev', async () => {
    const r = await resolved(doc, 'dev', { site: 'shop', organization: 'acme' });
    const byName = Object.fromEntries(r.map((s) => [s.name, { value: s.value, from: s.from }]));
    const site = { kind: 'site', name: 'shop' };
    const org = { kind: 'org', name: 'acme' };
    expect(byName).toEqual({
      SITE_BASE: { value: 'site-base', from: { owner: site, layer: 'base' } },
      SITE_OVERRIDE: { value: 'site-dev', from: { owner: site, layer: 'override', environment: 'dev' } },
      ORG_BASE: { value: 'org-base', from: { owner: org, layer: 'base' } },
      ORG_OVERRIDE: { value: 'org-dev', from: { owner: org, layer: 'override', environment: 'dev' } },
      SITE_BEATS_ORG: { value: 'site-base', from: { owner: site, layer: 'base' } },
      DELETED_OVERRIDE: { value: 'site-base', from: { owner: site, layer: 'base' } },
    });
  });

  it("in an environment without overrides, every owner's base value", async () => {
    const r = await resolved(doc, 'feature-x');
    expect(Object.fromEntries(r.map((s) => [s.name, s.value]))).toEqual({
      SITE_BASE: 'site-base',
      SITE_OVERRIDE: 'site-base',
      ORG_BASE: 'org-base',
      ORG_OVERRIDE: 'org-base',
      SITE_BEATS_ORG: 'site-base',
      DELETED_OVERRIDE: 'site-base',
    });
  });
});

describe('terminusJsonSource refusals', () => {
  it('reads values Terminus could not show as hidden, and leaves the decision to planning', async () => {
    const doc = {
      HIDDEN: row({ value: null, scopes: ['ic'] }),
      // No site value shown, the organization's is: the organization's secret.
      ORG_SHOWN: row({ value: null, scopes: ['ic', 'web'], org: { default: 'org' } }),
      EMPTY_WITH_OVERRIDE: row({ value: '', env: { dev: 'd' }, org: { default: 'o' } }),
      ORG_OVERRIDE_ONLY: row({ value: null, org: { dev: 'od' } }),
    };
    expect(await source(doc).fetch(request)).toEqual({
      site: {
        name: 'shop',
        secrets: {
          HIDDEN: { type: 'env', scopes: ['ic'], value: null, overrides: {} },
          EMPTY_WITH_OVERRIDE: { type: 'env', scopes: ['ic', 'user'], value: '', overrides: { dev: 'd' } },
        },
      },
      organization: {
        name: UNKNOWN_ORGANIZATION,
        secrets: {
          ORG_SHOWN: { type: 'env', scopes: ['ic', 'web'], value: 'org', overrides: {} },
          EMPTY_WITH_OVERRIDE: { type: 'env', scopes: ['ic', 'user'], value: 'o', overrides: {} },
          ORG_OVERRIDE_ONLY: { type: 'env', scopes: ['ic', 'user'], value: null, overrides: { dev: 'od' } },
        },
      },
    });
  });

  it('reports a bad document by JSON path, without values', async () => {
    const doc = {
      BAD_TYPE: { ...row({ value: 'CANARY-1' }), type: 'password' },
      BAD_SCOPE: { ...row({ value: 'CANARY-2' }), scopes: ['ic', 'CANARY-scope'] },
      NO_TYPE: { value: 'CANARY-3', scopes: ['ic'] },
      NUMBER: { ...row({ value: null }), value: 12345 },
      LIST_ENV: row({ value: 'v', env: ['CANARY-5'] as unknown as Record<string, string> }),
    };
    const error = await failure(source(doc).fetch(request));
    expect(error).toBeInstanceOf(InvalidDocumentError);
    expect(error.exitCode).toBe(2);
    expect(error.details).toEqual(
      expect.arrayContaining([
        'BAD_TYPE.type: must be one of "runtime", "env", "composer", "file", "vcs"',
        'BAD_SCOPE.scopes[1]: must be one of "ic", "web", "user"',
        'NO_TYPE.type: must be one of "runtime", "env", "composer", "file", "vcs"',
        'NUMBER.value: must be a string',
        'LIST_ENV.env-values: must be a record',
      ]),
    );
    expect(fullText(error)).not.toContain('CANARY');
  });

  it('reads names outside the rules, shown by position; refuses a key and name that disagree and a name listed twice', async () => {
    const odd = await source({ 'not-a-variable': row({ value: 'v' }) }).fetch(request);
    expect(odd.site.secrets['not-a-variable']).toEqual({
      type: 'env',
      scopes: ['ic', 'user'],
      value: 'v',
      overrides: {},
      shownAs: '(1st key)',
    });
    const mismatch = await failure(source({ K: { ...row({ value: 'v' }), name: 'OTHER' } }).fetch(request));
    expect(mismatch.details).toEqual(["(1st key).name: does not match the row's key"]);
    expect(mismatch.message).toBe('terminus-json file list.json is not valid secret:site:list --format=json output');
    const listed = [
      { name: 'A', ...row({ value: 'v' }) },
      { name: 'A', ...row({ value: 'v' }) },
      { name: 'nosuch.example.org', ...row({ value: 'v', type: 'composer' }) },
      row({ value: 'v' }),
    ];
    const error = await failure(source(listed).fetch(request));
    expect(error.details).toEqual(['[3].name: is required (string)']);
    expect(error.message).toBe('terminus-json file list.json is not valid secret:site:list --format=json output');
    const named = await failure(source(listed.slice(0, 3)).fetch(request));
    expect(named.details).toEqual(['[1].name: names a secret listed before']);
    expect(named.message).toBe('terminus-json file list.json is not valid secret:site:list --format=json output');
    const read = await source([listed[0], listed[2]]).fetch(request);
    expect(read.site.secrets['nosuch.example.org']?.shownAs).toBe('[1].name');
  });

  it('says where JSON is broken without quoting it', async () => {
    const error = await failure(source('{"K": {"value": CANARY-x}}').fetch(request));
    expect(error.message).toMatch(/^terminus-json file list\.json is not valid JSON \(line 1, column \d+\)$/);
    expect(error.message).not.toContain('CANARY');
  });
});

type Outcome = { stdout?: string; stderr?: string; exitCode?: number; signal?: string; startError?: string };

/** A runner that answers every start with `outcome` and remembers what it was asked to run. */
function scriptedRunner(outcome: Outcome) {
  const calls: { file: string; args: readonly string[]; options: RunOptions }[] = [];
  const runner: ProcessRunner = {
    start(file, args, options) {
      calls.push({ file, args, options });
      if (outcome.startError === undefined) {
        if (outcome.stdout !== undefined) options.onStdout?.(Buffer.from(outcome.stdout));
        if (outcome.stderr !== undefined) options.onStderr?.(Buffer.from(outcome.stderr));
      }
      return {
        kill: () => undefined,
        result: Promise.resolve({
          exitCode: outcome.startError === undefined && outcome.signal === undefined ? (outcome.exitCode ?? 0) : undefined,
          signal: outcome.signal,
          startError: outcome.startError,
        }),
      };
    },
  };
  return { runner, calls };
}

describe('terminusCommandSource', () => {
  const env = { PATH: '/usr/bin', HOME: '/home/dev', UNSET: undefined };

  it('runs terminus secret:site:list <site> --format=json with the given environment and maps its output', async () => {
    const { runner, calls } = scriptedRunner({ stdout: JSON.stringify({ K: row({ value: 'v', env: { dev: 'd' } }) }) });
    const secrets = await terminusCommandSource({ runner, env, cwd: '/project', site: 'shop-on-pantheon' }).fetch(request);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.file).toBe('terminus');
    expect(calls[0]?.args).toEqual(['secret:site:list', 'shop-on-pantheon', '--format=json']);
    expect(calls[0]?.options.cwd).toBe('/project');
    expect(calls[0]?.options.env).toEqual({ PATH: '/usr/bin', HOME: '/home/dev' });
    expect(secrets).toEqual({
      site: { name: 'shop', secrets: { K: { type: 'env', scopes: ['ic', 'user'], value: 'v', overrides: { dev: 'd' } } } },
      organization: undefined,
    });
  });

  it("takes the request's site when none is given, and reads empty output as no secrets", async () => {
    const { runner, calls } = scriptedRunner({ stdout: '\n' });
    expect(await terminusCommandSource({ runner, env, cwd: '/p' }).fetch(request)).toEqual({
      site: { name: 'shop', secrets: {} },
      organization: undefined,
    });
    expect(calls[0]?.args[1]).toBe('shop');
  });

  it('says terminus is missing when it cannot be found', async () => {
    const { runner } = scriptedRunner({ startError: 'ENOENT' });
    const error = await failure(terminusCommandSource({ runner, env, cwd: '/p' }).fetch(request));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('terminus was not found on PATH');
  });

  it("carries the end of terminus's stderr on failure, without colours and capped", async () => {
    const noise = Array.from({ length: 20 }, (_, i) => `line ${i} ${'x'.repeat(1000)}`).join('\n');
    const { runner } = scriptedRunner({
      exitCode: 1,
      stderr: `${noise}\n\u001b[31m [error] \u001b[0m Site shop does not exist.\n\n`,
      stdout: 'CANARY-stdout',
    });
    const error = await failure(terminusCommandSource({ runner, env, cwd: '/p' }).fetch(request));
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error.message).toBe('terminus secret:site:list shop --format=json failed with exit code 1');
    expect(error.details).toHaveLength(5);
    expect(error.details[4]).toBe('[error]  Site shop does not exist.');
    expect(error.details[0]).toMatch(/^line 16 x+\.\.\.$/);
    expect(error.details[0]?.length).toBe(303);
    expect(fullText(error)).not.toContain('CANARY');
  });

  it('points at the plugin when the command is unknown', async () => {
    const { runner } = scriptedRunner({ exitCode: 1, stderr: 'Command "secret:site:list" is not defined.\n' });
    const error = await failure(terminusCommandSource({ runner, env, cwd: '/p' }).fetch(request));
    expect(error.details).toEqual(['Command "secret:site:list" is not defined.', expect.stringContaining('self:plugin:install')]);
  });

  it('validates the output like a saved file', async () => {
    const { runner } = scriptedRunner({ stdout: JSON.stringify({ K: { ...row({ value: 'CANARY-1' }), type: 'password' } }) });
    const error = await failure(terminusCommandSource({ runner, env, cwd: '/p' }).fetch(request));
    expect(error).toBeInstanceOf(InvalidDocumentError);
    expect(error.details).toEqual(['K.type: must be one of "runtime", "env", "composer", "file", "vcs"']);
    expect(fullText(error)).not.toContain('CANARY');
  });
});

import { describe, expect, it } from 'vitest';
import { planBuild } from '../src/plan/build-plan.js';
import type { Secret } from '../src/model/secret.js';
import { resolveForEnvironment } from '../src/resolve/resolve-for-environment.js';

const s = (type: Secret['type'], scopes: Secret['scopes'], value: string): Secret => ({ type, scopes, value, overrides: {} });

describe('planBuild', () => {
  const resolved = resolveForEnvironment({
    site: {
      name: 'shop',
      secrets: {
        API_KEY: s('env', ['ic'], 'CANARY-env'),
        RUNTIME_ONLY: s('runtime', ['ic', 'web'], 'CANARY-runtime'),
        WEB_ONLY: s('env', ['web'], 'CANARY-web'),
        'bearer.127.0.0.1:8765': s('composer', ['ic'], 'CANARY-bearer'),
      },
    },
    environment: 'dev',
  });
  const { plan, payload } = planBuild({ site: 'shop', environment: 'dev', resolved });

  it('says what every secret becomes', () => {
    expect(Object.fromEntries(plan.entries.map((e) => [e.name, e.action]))).toEqual({
      API_KEY: { kind: 'variable', variable: 'API_KEY' },
      RUNTIME_ONLY: { kind: 'skipped', reason: 'runtime-type', detail: expect.any(String) },
      WEB_ONLY: { kind: 'skipped', reason: 'not-in-scope', detail: expect.any(String) },
      'bearer.127.0.0.1:8765': { kind: 'auth-entry', authKind: 'bearer', host: '127.0.0.1:8765' },
    });
  });

  it('puts values only in the payload, never in the plan', () => {
    expect(JSON.stringify(plan)).not.toContain('CANARY');
    expect(payload.variables).toEqual({ API_KEY: 'CANARY-env' });
    expect(payload.authFile).toEqual({ bearer: { '127.0.0.1:8765': 'CANARY-bearer' } });
  });
});

describe('the values a build masks', () => {
  const resolved = resolveForEnvironment({
    site: {
      name: 'shop',
      secrets: {
        API_KEY: s('env', ['ic'], 'CANARY-env'),
        'http-basic.repo.example.org': s('composer', ['ic'], 'deploy CANARY-password'),
        'custom-headers.headers.example.org': s('composer', ['ic'], 'X-Api-Key: CANARY-header\nX-Other:CANARY-other '),
        COMPOSER_AUTH: s('env', ['ic'], JSON.stringify({ bearer: { 'connect.advancedcustomfields.com': 'CANARY-in-document' } })),
      },
    },
    environment: 'dev',
  });
  const { payload } = planBuild({ site: 'shop', environment: 'dev', resolved });

  it("are each value, its credential's parts, http-basic's base64(user:password) and a header's value without its name", () => {
    expect([...payload.maskedValues].sort()).toEqual(
      [
        'CANARY-env',
        'deploy CANARY-password',
        'X-Api-Key: CANARY-header\nX-Other:CANARY-other ',
        'CANARY-password',
        // base64('deploy:CANARY-password'), as in a Basic Authorization header
        'ZGVwbG95OkNBTkFSWS1wYXNzd29yZA==',
        'X-Api-Key: CANARY-header',
        'X-Other:CANARY-other',
        'CANARY-header',
        'CANARY-other',
        'CANARY-in-document',
      ].sort(),
    );
  });
});

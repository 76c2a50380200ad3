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

// A plan's problems are their own kind of error: exit 2 like a refused store change, but not one.
import { describe, expect, it } from 'vitest';
import { refuseProblems } from '../src/disk-plan/plan-on-disk.js';
import { EXIT_BAD_INPUT, PlanProblemsError, RefusedChangeError } from '../src/errors.js';
import { planBuild } from '../src/plan/build-plan.js';
import { resolveForEnvironment } from '../src/resolve/resolve-for-environment.js';

const planWithRefusedVariable = () =>
  planBuild({
    site: 'shop',
    environment: 'dev',
    resolved: resolveForEnvironment({
      site: { name: 'shop', secrets: { PATH: { type: 'env', scopes: ['ic'], value: 'CANARY', overrides: {} } } },
      environment: 'dev',
    }),
  }).plan;

describe('refuseProblems', () => {
  it('throws a PlanProblemsError (exit 2, the problems as details), not a RefusedChangeError', () => {
    const plan = planWithRefusedVariable();
    const error = (() => {
      try {
        refuseProblems(plan);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(PlanProblemsError);
    expect(error).not.toBeInstanceOf(RefusedChangeError);
    expect(error).toMatchObject({ name: 'PlanProblemsError', exitCode: EXIT_BAD_INPUT, details: plan.problems });
    expect((error as Error).message).toBe('the build of site shop (dev) was not started: 1 problem with its secrets');
  });

  it('a plan without problems passes', () => {
    expect(() => refuseProblems({ ...planWithRefusedVariable(), problems: [] })).not.toThrow();
  });
});

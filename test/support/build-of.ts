// What a build makes of a source's secrets, as data: each entry's source and fate, and
// the values handed on. Tests of sources assert the build's result through it.
import { readFileSync } from 'node:fs';
import { planBuild } from '../../src/plan/build-plan.js';
import { describeProvenance, resolveForEnvironment } from '../../src/resolve/resolve-for-environment.js';
import type { SiteSecrets } from '../../src/sources/source.js';

/** A capture of what the real Pantheon code printed or wrote (fixtures/pantheon/). */
export const pantheonFixture = (path: string) => readFileSync(new URL(`../../fixtures/pantheon/${path}`, import.meta.url), 'utf8');

export function buildOf(secrets: SiteSecrets, environment = 'dev') {
  const { plan, payload } = planBuild({
    site: secrets.site.name,
    environment,
    organization: secrets.organization?.name,
    resolved: resolveForEnvironment({ ...secrets, environment }),
  });
  return {
    entries: Object.fromEntries(
      plan.entries.map((e) => [
        e.shownAs ?? e.name,
        {
          from: describeProvenance(e.from),
          shadowed: e.shadowed.map(describeProvenance),
          becomes: e.action.kind === 'skipped' || e.action.kind === 'unusable' ? `${e.action.kind}: ${e.action.reason}` : e.action.kind,
        },
      ]),
    ),
    variables: payload.variables,
    authFile: payload.authFile,
    problems: plan.problems,
    maskedValues: payload.maskedValues,
  };
}

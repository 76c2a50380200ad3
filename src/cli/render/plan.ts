// Rendering a build plan: a table for people, a stable JSON document for programs.
// A plan holds no values, so neither form can print one.
import type { BuildPlan, PlanAction } from '../../plan/build-plan.js';
import { describeProvenance, type Provenance } from '../../resolve/resolve-for-environment.js';
import { renderTable } from './table.js';
import { formatComposerVersion, type KnownComposer } from '../../model/composer-version.js';

export const PLAN_JSON_VERSION = 1;

function becomes(action: PlanAction): string {
  switch (action.kind) {
    case 'auth-entry':
      return `auth.json ${action.authKind} ${action.host}`;
    case 'auth-document':
      return 'auth entries (a whole auth document)';
    case 'variable':
      return `env ${action.variable}`;
    case 'skipped':
      return `skipped: ${action.detail}`;
    case 'unusable':
      return `not usable: ${action.reason === 'invalid-name' ? 'invalid name' : 'no value shown'} (see problems)`;
  }
}

export function renderPlanTable(plan: BuildPlan): string {
  const head =
    `Build plan for site ${plan.site}, environment ${plan.environment}${plan.organization === undefined ? '' : `, organization ${plan.organization}`}\n` +
    `Composer: ${describeComposer(plan.composer)}\n` +
    `Credentials go to: ${plan.auth.target === 'env' ? 'COMPOSER_AUTH in composer\'s environment (nothing on disk)' : (plan.auth.file ?? 'nowhere (no composer credentials)')}\n`;
  if (plan.entries.length === 0) return `${head}No secrets.\n`;
  const table = renderTable(
    ['NAME', 'TYPE', 'FROM', 'BECOMES', 'SHADOWS'],
    plan.entries.map((e) => [e.shownAs ?? e.name, e.type, describeProvenance(e.from), becomes(e.action), e.shadowed.map(describeProvenance).join('; ')]),
  );
  const notes = plan.entries.flatMap((e) => e.notes.map((n) => `note: ${e.shownAs ?? e.name}: ${n}\n`));
  const counts = plan.entries.reduce(
    (acc, e) => ({ ...acc, [e.action.kind]: (acc[e.action.kind] ?? 0) + 1 }),
    {} as Record<string, number>,
  );
  const unusable = counts.unusable === undefined ? '' : `, ${counts.unusable} not usable`;
  const summary = `${counts['auth-entry'] ?? 0} auth.json entr${(counts['auth-entry'] ?? 0) === 1 ? 'y' : 'ies'}, ${counts.variable ?? 0} variable(s), ${counts.skipped ?? 0} skipped${unusable}\n`;
  const warnings = plan.warnings.map((w) => `warning: ${w}\n`).join('');
  const problems = plan.problems.map((p) => `problem: ${p}\n`).join('');
  return `${head}\n${table}${notes.length > 0 ? `\n${notes.join('')}` : ''}\n${summary}${warnings}${problems}`;
}

/** "2.5.5+debian (read from /usr/share/php/Composer/Composer.php)", or why it is not known. */
export function describeComposer(composer: KnownComposer): string {
  if (composer.version === undefined) return `version not known (${composer.detail}); rules that hold for every version apply`;
  const how = { flag: 'given with', 'installed files': 'read from', 'composer --version': 'answered by', none: '' }[composer.from];
  return `${formatComposerVersion(composer.version)} (${how} ${composer.detail})`;
}

/** `{"version", "from"}` of plan --json and doctor --json. */
export function composerJson(composer: KnownComposer) {
  return { version: composer.version === undefined ? null : formatComposerVersion(composer.version), from: composer.from };
}

function provenanceJson(p: Provenance) {
  return p.layer === 'base'
    ? { owner: p.owner.kind, ownerName: p.owner.name, layer: p.layer }
    : { owner: p.owner.kind, ownerName: p.owner.name, layer: p.layer, environment: p.environment };
}

/** The documented `plan --json` shape (README: "plan --json"). */
export function planJson(plan: BuildPlan) {
  return {
    version: PLAN_JSON_VERSION,
    site: plan.site,
    environment: plan.environment,
    organization: plan.organization ?? null,
    auth: { target: plan.auth.target, file: plan.auth.file ?? null },
    composer: composerJson(plan.composer),
    secrets: plan.entries.map((e) => ({
      // A name that may be a value is not printed: `nameNotShown` says where the source held it.
      name: e.shownAs === undefined ? e.name : null,
      ...(e.shownAs === undefined ? {} : { nameNotShown: e.shownAs }),
      type: e.type,
      scopes: [...e.scopes],
      from: provenanceJson(e.from),
      shadowed: e.shadowed.map(provenanceJson),
      becomes: e.action,
      notes: [...e.notes],
    })),
    warnings: [...plan.warnings],
    problems: [...plan.problems],
  };
}

export function renderPlanJson(plan: BuildPlan): string {
  return `${JSON.stringify(planJson(plan), null, 2)}\n`;
}

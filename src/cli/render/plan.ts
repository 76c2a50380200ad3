// Rendering a build plan: a table for people, a stable JSON document for programs.
// A plan holds no values, so neither form can print one.

import { counted } from '../../counted.js';
import { formatComposerVersion, type KnownComposer } from '../../model/composer-version.js';
import type { BuildPlan, PlanAction } from '../../plan/build-plan.js';
import { describeProvenance, type Provenance } from '../../resolve/resolve-for-environment.js';
import { UNKNOWN_ORGANIZATION } from '../../sources/listed-secret.js';
import { renderTable } from './table.js';

const PLAN_JSON_VERSION = 1;

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
    `Build plan for site ${plan.site}, environment ${plan.environment}${organizationHead(plan.organization)}\n` +
    `Composer: ${describeComposer(plan.composer)}\n` +
    'Credentials go to: ' +
    (plan.auth.target === 'env'
      ? "COMPOSER_AUTH in composer's environment (nothing on disk)"
      : (plan.auth.file ?? 'nowhere (no composer credentials)')) +
    '\n';
  if (plan.entries.length === 0) return `${head}No secrets.\n`;
  const table = renderTable(
    ['NAME', 'TYPE', 'FROM', 'BECOMES', 'SHADOWS'],
    plan.entries.map((e) => [
      e.shownAs ?? e.name,
      e.type,
      provenanceText(e.from),
      becomes(e.action),
      e.shadowed.map((s) => describeShadowed(s, e.from)).join('; '),
    ]),
  );
  const notes = plan.entries.flatMap((e) => e.notes.map((n) => `note: ${e.shownAs ?? e.name}: ${n}\n`));
  const counts: Record<string, number> = {};
  for (const e of plan.entries) counts[e.action.kind] = (counts[e.action.kind] ?? 0) + 1;
  const unusable = counts.unusable === undefined ? '' : `, ${counts.unusable} not usable`;
  const summary =
    `${counted(counts['auth-entry'] ?? 0, 'auth.json entry', 'auth.json entries')}, ` +
    `${counted(counts.variable ?? 0, 'variable')}, ${counts.skipped ?? 0} skipped${unusable}\n`;
  const warnings = plan.warnings.map((w) => `warning: ${w}\n`).join('');
  const problems = plan.problems.map((p) => `problem: ${p}\n`).join('');
  return `${head}\n${table}${notes.length > 0 ? `\n${notes.join('')}` : ''}\n${summary}${warnings}${problems}`;
}

/** A shadowed value; "(base)" for the base of the override that won, whose owner the FROM column already names. */
function describeShadowed(shadowed: Provenance, winner: Provenance): string {
  const ownBase =
    shadowed.layer === 'base' &&
    winner.layer !== 'base' &&
    shadowed.owner.kind === winner.owner.kind &&
    shadowed.owner.name === winner.owner.name;
  return ownBase ? '(base)' : provenanceText(shadowed);
}

/**
 * The source did not name the organization (Terminus output does not) and --org was not
 * given: the placeholder the source used is not a name, so none is printed.
 */
const isUnnamed = (organization: string | undefined) => organization === UNKNOWN_ORGANIZATION;

function organizationHead(organization: string | undefined): string {
  if (organization === undefined) return '';
  return isUnnamed(organization) ? ', organization not named by the source (give it with --org)' : `, organization ${organization}`;
}

function provenanceText(p: Provenance): string {
  if (p.owner.kind === 'site' || !isUnnamed(p.owner.name)) return describeProvenance(p);
  return p.layer === 'base' ? 'org' : `org (${p.environment} override)`;
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

const ownerNameJson = (p: Provenance) => (p.owner.kind !== 'site' && isUnnamed(p.owner.name) ? null : p.owner.name);

function provenanceJson(p: Provenance) {
  return p.layer === 'base'
    ? { owner: p.owner.kind, ownerName: ownerNameJson(p), layer: p.layer }
    : { owner: p.owner.kind, ownerName: ownerNameJson(p), layer: p.layer, environment: p.environment };
}

/** The documented `plan --json` shape (README: "plan --json"). */
function planJson(plan: BuildPlan) {
  return {
    version: PLAN_JSON_VERSION,
    site: plan.site,
    environment: plan.environment,
    organization: plan.organization === undefined || isUnnamed(plan.organization) ? null : plan.organization,
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

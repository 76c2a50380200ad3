// Rendering doctor's answer: per host, the credential Composer sends and what it shadows.
// A verdict holds kinds, places and host names, never a value.
import type { KnownComposer } from '../../model/composer-version.js';
import type { HostVerdict } from '../../plan/credential-winners.js';
import { composerJson, describeComposer } from './plan.js';
import { renderTable } from './table.js';

export type DoctorReport = { composer: KnownComposer; hosts: readonly HostVerdict[]; problems: readonly string[] };

const sent = (v: HostVerdict) => (v.kind === null ? 'nothing' : `${v.kind} from ${v.source}`);

export function renderDoctorTable(report: DoctorReport): string {
  const head = `Composer: ${describeComposer(report.composer)}\n`;
  const table =
    report.hosts.length === 0
      ? 'No credentials anywhere Composer reads.\n'
      : renderTable(
          ['HOST', 'KIND', 'SOURCE', 'SHADOWS'],
          report.hosts.map((v) => [
            v.host,
            v.kind ?? '(none sent)',
            v.source ?? '-',
            v.shadowed.map((s) => `${s.kind} (${s.source})`).join('; '),
          ]),
        );
  const warnings = report.hosts.flatMap((v) => v.warnings.map((w) => `warning: ${v.host}: ${w}\n`)).join('');
  const problems = report.problems.map((p) => `problem: ${p}\n`).join('');
  return `${head}\n${table}${warnings || problems ? '\n' : ''}${warnings}${problems}`;
}

/** The documented `doctor --json` shape (README: "doctor"). */
export function renderDoctorJson(report: DoctorReport): string {
  const json = {
    composer: composerJson(report.composer),
    hosts: report.hosts.map((v) => ({ host: v.host, kind: v.kind, source: v.source, shadowed: v.shadowed, warnings: v.warnings })),
    problems: report.problems,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** Why a host the build needs does not get its secret. */
export function missedSecretProblem(v: HostVerdict): string {
  return `the build sets a credential for ${v.host}, but Composer sends ${sent(v)}`;
}

// The build plan: what each resolved secret becomes in a build. Pure. The plan itself
// carries no values (it is what a dry run prints); the values travel separately in the
// payload, which only the writers and the composer runner see.
import { parseComposerSecretName, type ComposerAuthKind } from '../model/names.js';
import type { Scope, SecretType } from '../model/secret.js';
import { visibleTo, type Provenance, type ResolvedSecret } from '../resolve/resolve-for-environment.js';

export const BUILD_SCOPE: Scope = 'ic';

export type PlanAction =
  | { kind: 'auth-entry'; authKind: ComposerAuthKind; host: string }
  | { kind: 'variable'; variable: string }
  | { kind: 'skipped'; reason: 'runtime-type' | 'not-in-scope'; detail: string };

export type PlanEntry = {
  name: string;
  type: SecretType;
  scopes: readonly Scope[];
  from: Provenance;
  shadowed: readonly Provenance[];
  action: PlanAction;
  notes: readonly string[];
};

export type BuildPlan = {
  site: string;
  environment: string;
  organization: string | undefined;
  entries: readonly PlanEntry[];
};

/** The values a build hands on: build variables by name, composer credentials by secret name. */
export type BuildPayload = {
  variables: Readonly<Record<string, string>>;
  credentials: ReadonlyArray<{ name: string; authKind: ComposerAuthKind; host: string; value: string }>;
};

export type PlanInput = {
  site: string;
  environment: string;
  organization?: string | undefined;
  /** Every secret the site sees in the environment, unfiltered (resolveForEnvironment). */
  resolved: readonly ResolvedSecret[];
};

function actionFor(secret: ResolvedSecret, inScope: boolean): PlanAction {
  if (secret.type === 'runtime') {
    return { kind: 'skipped', reason: 'runtime-type', detail: 'runtime secrets are read by the application, never by a build' };
  }
  if (!inScope) {
    return { kind: 'skipped', reason: 'not-in-scope', detail: `not in the ${BUILD_SCOPE} scope, so builds cannot read it` };
  }
  if (secret.type === 'env') return { kind: 'variable', variable: secret.name };
  const parsed = parseComposerSecretName(secret.name);
  // The store validates names on load; a source that did not is caught here.
  if (!parsed.ok) throw new Error(`composer secret with an invalid name reached planning: ${secret.name}`);
  return { kind: 'auth-entry', authKind: parsed.value.kind, host: parsed.value.host };
}

export function planBuild(input: PlanInput): { plan: BuildPlan; payload: BuildPayload } {
  const inScope = new Set(visibleTo(input.resolved, BUILD_SCOPE).map((s) => s.name));
  const entries: PlanEntry[] = [];
  const variables: Record<string, string> = {};
  const credentials: BuildPayload['credentials'][number][] = [];
  for (const secret of input.resolved) {
    const action = actionFor(secret, inScope.has(secret.name));
    entries.push({ name: secret.name, type: secret.type, scopes: secret.scopes, from: secret.from, shadowed: secret.shadowed, action, notes: [] });
    if (action.kind === 'variable') variables[action.variable] = secret.value;
    if (action.kind === 'auth-entry') credentials.push({ name: secret.name, authKind: action.authKind, host: action.host, value: secret.value });
  }
  return {
    plan: { site: input.site, environment: input.environment, organization: input.organization, entries },
    payload: { variables, credentials },
  };
}

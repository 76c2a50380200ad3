// The build plan: what each resolved secret becomes in a build. Pure. The plan itself
// carries no values (it is what a dry run prints); the values travel separately in the
// payload, which only the writers and the composer runner see.

import type { AuthDocument } from '../model/composer-kinds.js';
import { composerRules, type KnownComposer } from '../model/composer-version.js';
import { type ComposerAuthKind, problemWithSecretName } from '../model/names.js';
import { hasLoneSurrogate, type Scope, type SourceSecretType } from '../model/secret.js';
import { type Provenance, type ResolvedSecret, visibleTo } from '../resolve/resolve-for-environment.js';
import { type AuthTarget, type AuthTargetState, notesBySecret, planAuth } from './auth-plan.js';
import { isRefusedVariable } from './refused-variables.js';

export const BUILD_SCOPE: Scope = 'ic';
/** An env secret of this name holds a whole auth document: merged in, not exported. */
export const COMPOSER_AUTH_VARIABLE = 'COMPOSER_AUTH';

export type PlanAction =
  | { kind: 'auth-entry'; authKind: ComposerAuthKind; host: string }
  | { kind: 'auth-document' }
  | { kind: 'variable'; variable: string }
  | { kind: 'skipped'; reason: 'runtime-type' | 'legacy-type' | 'not-in-scope'; detail: string }
  /** A secret the build would use but cannot: the plan has a problem naming it. */
  | { kind: 'unusable'; reason: 'invalid-name' | 'no-value-shown'; detail: string };

export type PlanEntry = {
  name: string;
  /** How the name is printed when it may not be (it breaks its type's rules, so it may be a value): where the source held it. */
  shownAs: string | undefined;
  type: SourceSecretType;
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
  auth: { target: AuthTarget; file: string | undefined };
  /** The Composer the plan is for (its rules apply), and where its version came from. */
  composer: KnownComposer;
  /** Refusals, each naming a secret: a build with any does not start (exit 2). */
  problems: readonly string[];
  /** Worth reading, not fatal. */
  warnings: readonly string[];
};

/** What a build hands on, values included. Never printed. */
export type BuildPayload = {
  /** The build's variables, secrets over the caller's. */
  variables: Readonly<Record<string, string>>;
  /** The document for the target file (merged with what it held), or undefined for `env`. */
  authFile: AuthDocument | undefined;
  /** COMPOSER_AUTH for composer's environment, when there is one to set. */
  composerAuth: AuthDocument | undefined;
  /** Every value that must be masked in composer's output. */
  maskedValues: readonly string[];
  /** The auth entries made from secrets alone (doctor compares them with every other place). */
  fromSecrets: AuthDocument;
};

export type PlanInput = {
  site: string;
  environment: string;
  organization?: string | undefined;
  /** Every secret the site sees in the environment, unfiltered (resolveForEnvironment). */
  resolved: readonly ResolvedSecret<string | null>[];
  /** Where credentials go and what is already there; defaults to a project target with no file. */
  auth?: AuthTargetState | undefined;
  /** Names of the variables in the caller's environment. */
  callerVariables?: ReadonlySet<string> | undefined;
  /** The Composer that will run; not known by default. */
  composer?: KnownComposer | undefined;
};

const UNKNOWN_COMPOSER: KnownComposer = { version: undefined, from: 'none', detail: 'not looked for' };

/** Printed in place of a name that breaks the rules when the source said nothing of where it was. */
export const NAME_NOT_SHOWN = '(name not shown)';

function shownAsOf(secret: ResolvedSecret<string | null>): string | undefined {
  return problemWithSecretName(secret.name, secret.type) === undefined ? undefined : (secret.shownAs ?? NAME_NOT_SHOWN);
}

/** The secret as problems name it: quoted, or by where it was read when its name may be a value. */
function secretLabel(secret: ResolvedSecret<string | null>): string {
  const shownAs = shownAsOf(secret);
  return shownAs === undefined ? `secret '${secret.name}'` : `the secret at ${shownAs}`;
}

function actionFor(secret: ResolvedSecret<string | null>, inScope: boolean): PlanAction {
  if (secret.type === 'runtime') {
    return { kind: 'skipped', reason: 'runtime-type', detail: 'runtime secrets are read by the application, never by a build' };
  }
  if (secret.type === 'file' || secret.type === 'vcs') {
    return { kind: 'skipped', reason: 'legacy-type', detail: `${secret.type} is an early secret type that builds never apply` };
  }
  if (!inScope) {
    return { kind: 'skipped', reason: 'not-in-scope', detail: `not in the ${BUILD_SCOPE} scope, so builds cannot read it` };
  }
  // Read liberally from other sources; only now, when a build would use it, does it matter.
  const nameProblem = problemWithSecretName(secret.name, secret.type);
  if (nameProblem !== undefined) return { kind: 'unusable', reason: 'invalid-name', detail: nameProblem };
  if (secret.value === null) {
    return {
      kind: 'unusable',
      reason: 'no-value-shown',
      detail: 'the source shows no value for it (hidden from whoever read it, or never set)',
    };
  }
  if (secret.type === 'env') {
    return secret.name === COMPOSER_AUTH_VARIABLE ? { kind: 'auth-document' } : { kind: 'variable', variable: secret.name };
  }
  const dot = secret.name.indexOf('.');
  return { kind: 'auth-entry', authKind: secret.name.slice(0, dot) as ComposerAuthKind, host: secret.name.slice(dot + 1) };
}

/** What a problem with an unusable secret tells the user to do. */
function unusableProblem(secret: ResolvedSecret<string | null>, action: Extract<PlanAction, { kind: 'unusable' }>): string {
  const used = `the build uses it (${secret.type} type, ${BUILD_SCOPE} scope)`;
  if (action.reason === 'invalid-name') return `${secretLabel(secret)}: ${used}, but ${action.detail}: recreate it under a valid name`;
  return (
    `${secretLabel(secret)}: ${used}, but ${action.detail}: read the secrets where ${BUILD_SCOPE} values are visible ` +
    `(the platform's build, with --source pantheon and its token), or recreate the secret with --scope including user so people can read it`
  );
}

/** Why a secret may not become `variable` (refused-variables.ts): at set time and in every plan. */
export function refusedVariableProblem(secret: string, variable: string): string {
  return `secret '${secret}': ${variable} changes how the build itself runs, so a secret may not set it (see "Variables" in the README)`;
}

export function planBuild(input: PlanInput): { plan: BuildPlan; payload: BuildPayload } {
  const inScope = new Set(visibleTo(input.resolved, BUILD_SCOPE).map((s) => s.name));
  const callerVariables = input.callerVariables ?? new Set<string>();
  const { notes, note } = notesBySecret();
  const problems: string[] = [];
  const variables: Record<string, string> = {};
  const used: ResolvedSecret[] = [];

  const classified = input.resolved.map((secret) => ({ secret, action: actionFor(secret, inScope.has(secret.name)) }));
  // The secrets the build uses, each with its value (actionFor gives no other action to a secret without one).
  const usable = classified.flatMap(({ secret, action }) =>
    // Stryker disable next-line ConditionalExpression: the null check only narrows the type (see actionFor)
    action.kind === 'skipped' || action.kind === 'unusable' || secret.value === null
      ? []
      : [{ secret: { ...secret, value: secret.value }, action }],
  );
  for (const { secret, action } of classified) if (action.kind === 'unusable') problems.push(unusableProblem(secret, action));
  for (const { secret, action } of usable) {
    used.push(secret);
    if (action.kind !== 'variable') continue;
    if (isRefusedVariable(action.variable)) {
      problems.push(refusedVariableProblem(secret.name, action.variable));
      continue;
    }
    const valueProblems = problemsWithVariableValue(secret.name, secret.value);
    if (valueProblems.length > 0) {
      problems.push(...valueProblems);
      continue;
    }
    variables[action.variable] = secret.value;
    if (callerVariables.has(action.variable)) note(secret.name, `replaces the ${action.variable} variable of the calling environment`);
  }

  const composer = input.composer ?? UNKNOWN_COMPOSER;
  const auth = planAuth({
    credentials: usable.flatMap(({ secret, action }) => (action.kind === 'auth-entry' ? [{ name: secret.name, value: secret.value }] : [])),
    authDocumentSecret: usable.find(({ action }) => action.kind === 'auth-document')?.secret,
    state: input.auth ?? { target: 'project', file: undefined, existing: undefined, projectFile: undefined, callerComposerAuth: undefined },
    rules: composerRules(composer.version),
  });
  for (const [name, texts] of auth.notes) for (const text of texts) note(name, text);

  const entries: PlanEntry[] = classified.map(({ secret, action }) => ({
    name: secret.name,
    shownAs: shownAsOf(secret),
    type: secret.type,
    scopes: secret.scopes,
    from: secret.from,
    shadowed: secret.shadowed,
    action,
    notes: notes.get(secret.name) ?? [],
  }));
  return {
    plan: {
      site: input.site,
      environment: input.environment,
      organization: input.organization,
      entries,
      auth: { target: auth.target, file: auth.file },
      composer,
      problems: [...problems, ...auth.problems],
      warnings: auth.warnings,
    },
    payload: {
      variables,
      authFile: auth.authFile,
      composerAuth: auth.composerAuth,
      // Parts too: a password or a header value can be printed without the rest. A whole
      // COMPOSER_AUTH document is not: its parts are, and stretches of it (host names) are not secret.
      fromSecrets: auth.fromSecrets,
      maskedValues: [
        ...used.flatMap((s) => (s.name === COMPOSER_AUTH_VARIABLE && s.type === 'env' ? [] : [s.value])),
        ...authParts(auth.fromSecrets),
      ],
    },
  };
}

/**
 * Problems with the value of a secret that becomes an environment variable. (Values that
 * become auth.json entries are checked string by string with the entry.)
 */
export function problemsWithVariableValue(name: string, value: string): string[] {
  const problems: string[] = [];
  if (hasLoneSurrogate(value)) {
    problems.push(
      `secret '${name}': the value holds a lone UTF-16 surrogate (\\uD800-\\uDFFF without its pair), ` +
        'which is not text: it cannot be passed to composer',
    );
  }
  // The environment is a list of C strings: a NUL would end the value, so composer could not start.
  if (value.includes('\0')) problems.push(`secret '${name}': the value holds a NUL character, which an environment variable cannot carry`);
  return problems;
}

/**
 * The secret parts of an auth document as they may be printed: every string but usernames,
 * a custom header's value without its name, and http-basic's Basic Authorization
 * credential, base64(username:password). That one as printed: `username:password` itself
 * would also mask text next to a password that matches the username's end.
 */
export function authParts(document: AuthDocument): string[] {
  const basic = Object.values(document['http-basic'] ?? {}).map((entry) =>
    Buffer.from(`${entry.username}:${entry.password}`).toString('base64'),
  );
  const headerValues = Object.values(document['custom-headers'] ?? {}).flatMap((lines) =>
    lines.map((line) => line.slice(line.indexOf(':') + 1).trim()),
  );
  return [...stringLeaves(document), ...basic, ...headerValues];
}

/** The strings in an auth document, but usernames: they name an account, and masking them hides too much. */
function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  // Numbers and booleans (expires-at) have no entries, null has none to give.
  return Object.entries(value ?? {}).flatMap(([key, inner]) => (key === 'username' ? [] : stringLeaves(inner)));
}

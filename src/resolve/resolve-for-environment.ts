// Value resolution for (site, environment): pure, data in and data out.
// See "Value resolution" in ../shared/reference/pantheon-secrets.md.
import type { OwnerRef, Scope, Secret, SecretMap, SecretType } from '../model/secret.js';

/** Where a value came from: an owner's base value or its override for one environment. */
export type Provenance =
  | { owner: OwnerRef; layer: 'base' }
  | { owner: OwnerRef; layer: 'override'; environment: string };

export type ResolvedSecret = {
  name: string;
  type: SecretType;
  scopes: readonly Scope[];
  value: string;
  from: Provenance;
  /** The values this one hid, nearest first (an owner's base under its override, the organization under the site). */
  shadowed: readonly Provenance[];
};

export type ResolutionInput = {
  site: { name: string; secrets: SecretMap };
  /** The site's owning organization, if it has one. */
  organization?: { name: string; secrets: SecretMap } | undefined;
  environment: string;
};

function layersOf(owner: OwnerRef, secret: Secret, environment: string): Provenance[] {
  const base: Provenance = { owner, layer: 'base' };
  return Object.hasOwn(secret.overrides, environment) ? [{ owner, layer: 'override', environment }, base] : [base];
}

function valueAt(secret: Secret, from: Provenance): string {
  return from.layer === 'override' ? (secret.overrides[from.environment] as string) : secret.value;
}

function resolveOwner(owner: OwnerRef, secrets: SecretMap, environment: string): Map<string, ResolvedSecret> {
  const out = new Map<string, ResolvedSecret>();
  for (const [name, secret] of Object.entries(secrets)) {
    const [from, ...shadowed] = layersOf(owner, secret, environment) as [Provenance, ...Provenance[]];
    out.set(name, { name, type: secret.type, scopes: secret.scopes, value: valueAt(secret, from), from, shadowed });
  }
  return out;
}

/**
 * Every secret the site sees in the environment, before scope filtering: each owner's
 * overrides applied to its own secrets, then the site's secret winning whole over the
 * organization's on a name clash. Sorted by name.
 */
export function resolveForEnvironment(input: ResolutionInput): ResolvedSecret[] {
  const site = resolveOwner({ kind: 'site', name: input.site.name }, input.site.secrets, input.environment);
  const merged = new Map<string, ResolvedSecret>();
  if (input.organization !== undefined) {
    const org = resolveOwner({ kind: 'org', name: input.organization.name }, input.organization.secrets, input.environment);
    for (const [name, secret] of org) merged.set(name, secret);
  }
  for (const [name, secret] of site) {
    const hidden = merged.get(name);
    merged.set(name, hidden === undefined ? secret : { ...secret, shadowed: [...secret.shadowed, hidden.from, ...hidden.shadowed] });
  }
  // Names are the map's keys, so no two are equal: the order is by UTF-16 code unit.
  // Stryker disable next-line EqualityOperator: with no two names equal, < and <= order alike
  return [...merged.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The secrets a consumer with this scope may read (`ic` for builds). */
export function visibleTo(secrets: readonly ResolvedSecret[], scope: Scope): ResolvedSecret[] {
  return secrets.filter((s) => s.scopes.includes(scope));
}

export function describeProvenance(p: Provenance): string {
  const owner = `${p.owner.kind === 'site' ? 'site' : 'org'} ${p.owner.name}`;
  return p.layer === 'base' ? owner : `${owner} (${p.environment} override)`;
}

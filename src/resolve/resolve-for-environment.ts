// Value resolution for (site, environment): pure, data in and data out.
// An owner's override for the environment replaces its base value; the site's secret wins whole (value,
// type, scopes) over the organization's of the same name, so a site base value beats an organization override.
import type { OwnerRef, Scope, SourceSecret, SourceSecretMap, SourceSecretType } from '../model/secret.js';

/** Where a value came from: an owner's base value or its override for one environment. */
export type Provenance = { owner: OwnerRef; layer: 'base' } | { owner: OwnerRef; layer: 'override'; environment: string };

/**
 * A secret as the site sees it in one environment. `Value` is null for a value the source
 * does not show; resolution hands such secrets on, and planning refuses only the ones a
 * build would use, so code past planning sees visible values only (the default).
 */
export type ResolvedSecret<Value extends string | null = string> = {
  name: string;
  type: SourceSecretType;
  scopes: readonly Scope[];
  value: Value;
  from: Provenance;
  /** The values this one hid, nearest first (an owner's base under its override, the organization under the site). */
  shadowed: readonly Provenance[];
  /** How the name is shown when it may not be printed (SourceSecret.shownAs). */
  shownAs?: string | undefined;
};

export type ResolutionInput = {
  site: { name: string; secrets: SourceSecretMap };
  /** The site's owning organization, if it has one. */
  organization?: { name: string; secrets: SourceSecretMap } | undefined;
  environment: string;
};

function layersOf(owner: OwnerRef, secret: SourceSecret, environment: string): Provenance[] {
  const base: Provenance = { owner, layer: 'base' };
  return Object.hasOwn(secret.overrides, environment) ? [{ owner, layer: 'override', environment }, base] : [base];
}

function valueAt(secret: SourceSecret, from: Provenance): string | null {
  return from.layer === 'override' ? (secret.overrides[from.environment] as string) : secret.value;
}

function resolveOwner(owner: OwnerRef, secrets: SourceSecretMap, environment: string): Map<string, ResolvedSecret<string | null>> {
  const out = new Map<string, ResolvedSecret<string | null>>();
  for (const [name, secret] of Object.entries(secrets)) {
    const [from, ...shadowed] = layersOf(owner, secret, environment) as [Provenance, ...Provenance[]];
    const resolved: ResolvedSecret<string | null> = {
      name,
      type: secret.type,
      scopes: secret.scopes,
      value: valueAt(secret, from),
      from,
      shadowed,
    };
    if (secret.shownAs !== undefined) resolved.shownAs = secret.shownAs;
    out.set(name, resolved);
  }
  return out;
}

/**
 * Every secret the site sees in the environment, before scope filtering: each owner's
 * overrides applied to its own secrets, then the site's secret winning whole over the
 * organization's on a name clash. Sorted by name.
 */
export function resolveForEnvironment(input: ResolutionInput): ResolvedSecret<string | null>[] {
  const site = resolveOwner({ kind: 'site', name: input.site.name }, input.site.secrets, input.environment);
  const merged = new Map<string, ResolvedSecret<string | null>>();
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
export function visibleTo<S extends ResolvedSecret<string | null>>(secrets: readonly S[], scope: Scope): S[] {
  return secrets.filter((s) => s.scopes.includes(scope));
}

export function describeProvenance(p: Provenance): string {
  const owner = `${p.owner.kind === 'site' ? 'site' : 'org'} ${p.owner.name}`;
  return p.layer === 'base' ? owner : `${owner} (${p.environment} override)`;
}

// The secret model and the store document, as zod schemas with types inferred from them.
import * as z from 'zod/mini';
import { KEY_AT_FAULT } from '../validation/issue-messages.js';
import { EnvironmentName, OwnerName, problemWithSecretName, SecretName } from './names.js';

export const SECRET_TYPES = ['runtime', 'env', 'composer'] as const;
export const SCOPES = ['ic', 'web', 'user'] as const;
export const MAX_VALUE_BYTES = 16384;

export const SecretType = z.enum(SECRET_TYPES);
export type SecretType = z.infer<typeof SecretType>;
export const Scope = z.enum(SCOPES);
export type Scope = z.infer<typeof Scope>;

/**
 * A UTF-16 surrogate without its pair (a JSON escape such as \uD800 alone): not text, so it
 * cannot be written as UTF-8 (auth.json, composer's environment) or URL-encoded.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

export const SecretValue = z.string().check(
  // byteLength counts a string's UTF-8 bytes.
  z.refine((v) => Buffer.byteLength(v) <= MAX_VALUE_BYTES, { message: `value is longer than ${MAX_VALUE_BYTES} bytes` }),
);

export const Scopes = z.array(Scope).check(
  z.minLength(1),
  z.refine((s) => new Set(s).size === s.length, { message: 'lists a scope twice' }),
);

export const Secret = z.strictObject({
  type: SecretType,
  scopes: Scopes,
  value: SecretValue,
  /** Environment name -> value for that environment. */
  overrides: z._default(z.record(EnvironmentName, SecretValue), {}),
});
export type Secret = z.infer<typeof Secret>;

/** A map of secrets whose names are checked against their types. */
export const SecretMap = z.record(SecretName, Secret).check(
  z.superRefine((secrets, ctx) => {
    for (const [name, secret] of Object.entries(secrets)) {
      const problem = problemWithSecretName(name, secret.type);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', path: [name], message: problem, params: KEY_AT_FAULT });
    }
  }),
);
export type SecretMap = z.infer<typeof SecretMap>;

/**
 * Types a source may hand over besides ours: `file` and `vcs` are an early plugin's types,
 * still present on some sites and accepted by the service. Builds never apply them.
 */
export const LEGACY_SECRET_TYPES = ['file', 'vcs'] as const;
export const SourceSecretType = z.enum([...SECRET_TYPES, ...LEGACY_SECRET_TYPES]);
export type SourceSecretType = z.infer<typeof SourceSecretType>;

/**
 * A secret as a source hands it to resolution: read liberally, used strictly. Unlike the
 * store's Secret, its value may be hidden from whoever produced the source, its type may be
 * a legacy one and its name may break our rules; planning decides whether that matters
 * (only for a secret the build uses). A store Secret is a SourceSecret.
 */
export type SourceSecret = {
  type: SourceSecretType;
  scopes: readonly Scope[];
  /** null: the source does not show a value (hidden from its reader, or never set). */
  value: string | null;
  /** Environment name -> value for that environment. */
  overrides: Readonly<Record<string, string>>;
  /**
   * How messages and the plan show the secret when its name breaks the rules for its type:
   * such a name may be a value typed in its place, so it is shown by where it was read
   * (`Secrets.(3rd key)`), never quoted. Undefined for a name that fits.
   */
  shownAs?: string | undefined;
};
export type SourceSecretMap = Readonly<Record<string, SourceSecret>>;

export const Organization = z.strictObject({
  secrets: z._default(SecretMap, {}),
});
export type Organization = z.infer<typeof Organization>;

export const Site = z.strictObject({
  /** The owning (primary) organization, if any. */
  organization: z.optional(OwnerName),
  secrets: z._default(SecretMap, {}),
});
export type Site = z.infer<typeof Site>;

export const STORE_FORMAT_VERSION = 1;

const storeHeader = {
  $schema: z.optional(z.string()),
  version: z.literal(STORE_FORMAT_VERSION),
};

export const Store = z.strictObject({
  ...storeHeader,
  organizations: z._default(z.record(OwnerName, Organization), {}),
  sites: z._default(z.record(OwnerName, Site), {}),
});
export type Store = z.infer<typeof Store>;

/**
 * The store's outline: its version and its owners by name, each owner not yet checked.
 * Commands that only read check the outline, then the owners they use (Site,
 * Organization): one site's bad secret does not stop the builds of the others, and a
 * large store is not copied whole. Commands that write check the whole Store.
 */
export const StoreOutline = z.strictObject({
  ...storeHeader,
  organizations: z._default(z.record(OwnerName, z.unknown()), {}),
  sites: z._default(z.record(OwnerName, z.unknown()), {}),
});
export type StoreOutline = z.infer<typeof StoreOutline>;

export function emptyStore(): Store {
  return { version: STORE_FORMAT_VERSION, organizations: {}, sites: {} };
}

export type OwnerKind = 'site' | 'org';
export type OwnerRef = { kind: OwnerKind; name: string };
export function describeOwner(owner: OwnerRef): string {
  return `${owner.kind === 'site' ? 'site' : 'organization'} '${owner.name}'`;
}

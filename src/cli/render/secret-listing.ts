// secret:site:list and secret:org:list: values only for secrets with the `user` scope.
import type { SecretMap } from '../../model/secret.js';
import { renderTable } from './table.js';

export const REDACTED = '[redacted]';

export type ListedSecret = {
  name: string;
  type: string;
  scopes: readonly string[];
  /** null when the secret lacks the `user` scope. */
  value: string | null;
  overrides: Record<string, string | null>;
};

export function listSecrets(secrets: SecretMap): ListedSecret[] {
  return Object.keys(secrets)
    .sort()
    .map((name) => {
      const secret = secrets[name]!;
      const readable = secret.scopes.includes('user');
      const overrides: Record<string, string | null> = {};
      for (const env of Object.keys(secret.overrides).sort()) overrides[env] = readable ? secret.overrides[env]! : null;
      return { name, type: secret.type, scopes: secret.scopes, value: readable ? secret.value : null, overrides };
    });
}

export function renderListingTable(listed: readonly ListedSecret[]): string {
  if (listed.length === 0) return 'No secrets.\n';
  return renderTable(
    ['NAME', 'TYPE', 'VALUE', 'SCOPES', 'OVERRIDES'],
    listed.map((s) => [
      s.name,
      s.type,
      s.value ?? REDACTED,
      s.scopes.join(','),
      Object.entries(s.overrides)
        .map(([env, value]) => `${env}=${value ?? REDACTED}`)
        .join(' '),
    ]),
  );
}

export function renderListingJson(listed: readonly ListedSecret[]): string {
  return `${JSON.stringify(listed, null, 2)}\n`;
}

export const LISTING_FORMATS = ['table', 'json'] as const;

export function renderListing(secrets: SecretMap, format: (typeof LISTING_FORMATS)[number]): string {
  const listed = listSecrets(secrets);
  return format === 'json' ? renderListingJson(listed) : renderListingTable(listed);
}

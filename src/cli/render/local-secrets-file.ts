// The local-development file of Pantheon's PHP SDK (CUSTOMER_SECRETS_FAKE_FILE), in the
// shape `terminus secret:site:local-generate` writes: the service's answer, json_encode'd
// with JSON_PRETTY_PRINT, no final newline. The SDK reads each secret's `Value` (falling
// back to `OrgValues.default` when it is empty); values are written already resolved, so
// no OrgValues or EnvValues are written and the SDK reads exactly the value given.
import { PhpObject, phpJsonPretty } from './php-json.js';

/** `value` null: a value the source did not show (written as null, as Terminus writes it; the SDK's getValue() then throws). */
export type LocalSecret = { name: string; type: string; scopes: readonly string[]; value: string | null };

export function renderLocalSecretsFile(file: { siteId: string; scopes: readonly string[]; secrets: readonly LocalSecret[] }): string {
  const secrets = new PhpObject(
    file.secrets.map(
      (s) =>
        [
          s.name,
          new PhpObject([
            ['Type', s.type],
            ['Value', s.value],
            ['Scopes', [...s.scopes]],
          ]),
        ] as const,
    ),
  );
  const document = new PhpObject([
    ['SiteID', file.siteId],
    ['Secrets', secrets],
    ['Count', file.secrets.length],
    ['Version', ''],
    ['Scopes', [...file.scopes]],
  ]);
  return phpJsonPretty(document, { escapeSlashes: true });
}

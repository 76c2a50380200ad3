// The platform's local-development secrets file as a source: what
// `terminus secret:site:local-generate` writes and the PHP SDK reads through
// CUSTOMER_SECRETS_FAKE_FILE. It is the customer-secrets service's read answer written as
// it is, so it is read by pantheon-answer.ts, and mapped to the site's and its
// organization's secrets by the build's rules (listed-secret.ts), not the SDK's: the SDK
// reads base values only and takes "0" for empty, a build applies overrides for its
// environment and a site's "0" is a value.
import { UsageError } from '../errors.js';
import { parsePantheonAnswer, siteSecretsFromPantheonAnswer } from './pantheon-answer.js';
import type { FetchRequest, SecretSource, SiteSecrets } from './source.js';

/**
 * The local-development file for one site. `site`, when given, is the site the file was
 * generated for: a request for another site is refused rather than answered with its values.
 */
export function sdkJsonSource(options: { read: () => Promise<string>; description: string; site?: string | undefined }): SecretSource {
  return {
    description: options.description,
    async fetch(request: FetchRequest): Promise<SiteSecrets> {
      if (options.site !== undefined && options.site !== request.site) {
        throw new UsageError(`${options.description} holds the secrets of site '${options.site}', not '${request.site}'`);
      }
      const text = await options.read();
      return siteSecretsFromPantheonAnswer(parsePantheonAnswer(text, options.description), request, options.description);
    },
  };
}

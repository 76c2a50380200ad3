// What every source of secrets (the local store, Terminus output, the local-development
// file, the HTTP API) hands to resolution: the site's own secrets and its organization's.
import type { SourceSecretMap } from '../model/secret.js';

export type SiteSecrets = {
  site: { name: string; secrets: SourceSecretMap };
  /** The site's owning organization, when it has one. */
  organization?: { name: string; secrets: SourceSecretMap } | undefined;
};

export type FetchRequest = {
  site: string;
  /** The organization named on the command line (--org), when the source records none. */
  organization?: string | undefined;
};

export interface SecretSource {
  /** For messages: `store file ~/.config/...`, `terminus`, `https://...`. */
  readonly description: string;
  fetch(request: FetchRequest): Promise<SiteSecrets>;
}

/** `--source` when it is not given: the local store. */
export const DEFAULT_SOURCE_SPEC = 'store';

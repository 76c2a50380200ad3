// INTERIM, to be deleted when src/sources/pantheon-answer.ts (branch `readers`) is merged:
// the service's PascalCase answer read with the SDK file's reader, which parses the same
// shape. Same signatures as pantheon-answer.ts.
import type { SecretMap } from '../model/secret.js';
import { parseSdkSecretsFile } from './sdk-json.js';
import type { FetchRequest, SiteSecrets } from './source.js';
import { collectListedLayers, type ListedSecret } from './terminus-json.js';

export type PantheonAnswer = ListedSecret[];

const ADVICE = {
  unreadable: 'the token may read only `user` secrets; a build needs a token that can read `ic` values',
  noValue: 'the service holds no value for them',
};

export function parsePantheonAnswer(text: string, where: string): PantheonAnswer {
  return parseSdkSecretsFile(text, where);
}

export function siteSecretsFromPantheonAnswer(answer: PantheonAnswer, request: FetchRequest, where: string): SiteSecrets {
  // A null Value with OrgValues is the organization's secret (the reference's rule).
  const layers = collectListedLayers(answer, () => 'absent', where, ADVICE);
  const organization = Object.keys(layers.organization).length > 0 ? { name: request.organization ?? 'organization', secrets: layers.organization } : undefined;
  return { site: { name: request.site, secrets: layers.site }, organization };
}

export function organizationSecretsFromPantheonAnswer(answer: PantheonAnswer, where: string): SecretMap {
  return collectListedLayers(answer, () => 'unreadable', where, ADVICE).site;
}

// Sites and organizations by UUID, as Pantheon addresses them. The secrets API takes only
// UUIDs; every other source takes a site's UUID as well as its name (a lowercase UUID is a
// valid site name: a store site keyed by its UUID is found by it).
import { UsageError } from '../errors.js';

/** A UUID as Pantheon writes it; any case is accepted and lowercased. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID for the service, or exit 2 saying how to find it. `flag` names the argument. */
export function requireUuid(value: string, kind: 'site' | 'organization', flag: string): string {
  if (UUID_PATTERN.test(value)) return value.toLowerCase();
  const how =
    kind === 'site'
      ? `find it with \`terminus site:info ${value} --field=id\`, or in the site's dashboard URL (on Pantheon, $PANTHEON_SITE holds it)`
      : 'find it with `terminus org:list --fields=id,name`';
  throw new UsageError(`${flag} ${value}: the secrets API addresses ${kind === 'site' ? 'a site' : 'an organization'} by its UUID, not its name; ${how}`);
}

/**
 * A local-development file records the site it was generated for (`SiteID`): a request by
 * UUID for another site is refused rather than answered with that site's values. A request
 * by name cannot be compared and is taken as asked. The text is parsed only for SiteID.
 */
export function refuseOtherSiteId(text: string, site: string, where: string): void {
  if (!UUID_PATTERN.test(site)) return;
  let siteId: unknown;
  try {
    siteId = (JSON.parse(text) as { SiteID?: unknown } | null)?.SiteID;
  } catch {
    return; // the reader reports a broken document, without quoting it
  }
  if (typeof siteId !== 'string' || siteId === '' || siteId.toLowerCase() === site.toLowerCase()) return;
  // Quoted only when it is a UUID: anything else there may be a pasted value.
  const shown = UUID_PATTERN.test(siteId) ? ` ${siteId}` : ' another site';
  throw new UsageError(`--source: ${where} holds the secrets of site${shown} (its SiteID), not ${site.toLowerCase()}`);
}

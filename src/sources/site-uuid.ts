// Sites and organizations by UUID, as Pantheon addresses them. The secrets API takes only
// UUIDs; every other source takes a site's UUID as well as its name (a lowercase UUID is a
// valid site name: a store site keyed by its UUID is found by it).
import { UsageError } from '../errors.js';
import { OWNER_NAME_PATTERN } from '../model/names.js';

/** A UUID as Pantheon writes it; any case is accepted and lowercased. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID for the service, or exit 2 saying how to find it. `flag` names the argument. */
export function requireUuid(value: string, kind: 'site' | 'organization', flag: string): string {
  if (UUID_PATTERN.test(value)) return value.toLowerCase();
  // Echoed only when it is a valid name: anything else may be a value typed in its place.
  const name = OWNER_NAME_PATTERN.test(value) && value.length <= 100 ? value : undefined;
  const how =
    kind === 'site'
      ? `find it with \`terminus site:info ${name ?? '<site>'} --field=id\`, ` +
        "or in the site's dashboard URL (on Pantheon, $PANTHEON_SITE holds it)"
      : 'find it with `terminus org:list --fields=id,name`';
  const article = kind === 'site' ? 'a site' : 'an organization';
  throw new UsageError(
    `${flag}${name === undefined ? '' : ` ${name}`}: the secrets API addresses ${article} by its UUID, not its name; ${how}`,
  );
}

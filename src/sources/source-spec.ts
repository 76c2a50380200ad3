// The --source flag: which source the secrets come from.
//   store                 the local store (default)
//   terminus              run `terminus secret:site:list <site> --format=json`
//   terminus-json:FILE    saved output of that command; `-` reads stdin
//   sdk-json:FILE         the local-development secrets file; `-` reads stdin
//   pantheon              Pantheon's secrets service (https://terminus.pantheon.io/customer-secrets/v1)
//   https://...           that service at another base URL (http:// only to this machine)
import { UsageError } from '../errors.js';
import { checkApiBaseUrl, PANTHEON_API_BASE, PANTHEON_SOURCE } from './http-api.js';

export const SOURCE_FLAG = '--source';

/** Where a JSON document is read from. */
export type SourceInput = { kind: 'stdin' } | { kind: 'file'; path: string };

export type SourceSpec =
  | { kind: 'store' }
  | { kind: 'terminus' }
  | { kind: 'terminus-json'; input: SourceInput }
  | { kind: 'sdk-json'; input: SourceInput }
  | { kind: 'http-api'; baseUrl: string };

const FORMS = 'store, terminus, terminus-json:FILE, sdk-json:FILE (FILE may be - for stdin), pantheon or https://HOST/customer-secrets/v1';

function inputOf(prefix: string, rest: string): SourceInput {
  if (rest === '') throw new UsageError(`${SOURCE_FLAG} ${prefix}: name the file after the colon (${prefix}FILE, or ${prefix}- for stdin)`);
  return rest === '-' ? { kind: 'stdin' } : { kind: 'file', path: rest };
}

export function parseSourceSpec(spec: string): SourceSpec {
  if (spec === 'store') return { kind: 'store' };
  if (spec === 'terminus') return { kind: 'terminus' };
  if (spec === PANTHEON_SOURCE) return { kind: 'http-api', baseUrl: PANTHEON_API_BASE };
  if (spec.startsWith('terminus-json:'))
    return { kind: 'terminus-json', input: inputOf('terminus-json:', spec.slice('terminus-json:'.length)) };
  if (spec.startsWith('sdk-json:')) return { kind: 'sdk-json', input: inputOf('sdk-json:', spec.slice('sdk-json:'.length)) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    // Any scheme is checked here, so ftp:// gets the scheme rule rather than "unknown".
    return { kind: 'http-api', baseUrl: checkApiBaseUrl(spec, SOURCE_FLAG).href };
  }
  // Not quoted: a value typed one position off would land here.
  throw new UsageError(`${SOURCE_FLAG}: ${spec === '' ? 'empty' : 'unknown source'}; use ${FORMS}`);
}

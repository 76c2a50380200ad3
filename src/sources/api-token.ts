// The token the customer-secrets service takes in `Authorization` (raw, no `Bearer `):
// COMPOSER_SECRETS_TOKEN when set, else the session Terminus saved at `terminus auth:login`,
// so a laptop or CI job already logged in to Terminus needs nothing more.
//
// Where Terminus keeps the session (its config/constants.yml and src/Terminus.php): a file
// named `session` in its cache folder, TERMINUS_CACHE_DIR, by default
// TERMINUS_BASE_DIR/cache, by default $HOME/.terminus/cache (TERMINUS_USER_HOME replaces
// HOME). Terminus writes it with umask 077 as the JSON of the login answer:
//   {"session": "<token>", "expires_at": <unix seconds>, "user_id": "<uuid>"}
// Terminus counts a session with less than a minute left as expired (Session::isActive);
// so do we. Terminus's ~/.terminus/config.yml and a project's .env can also move the cache
// folder: those are not read here (set TERMINUS_CACHE_DIR instead).
import path from 'node:path';
import { InvalidDocumentError, UsageError } from '../errors.js';
import type { FileSystem } from '../io/file-system.js';
import { readSecretText } from '../io/secret-file.js';
import { parseJsonSafely } from '../validation/json-text.js';

export const TOKEN_VARIABLE = 'COMPOSER_SECRETS_TOKEN';
/** Terminus's own margin: a session with less than this left is not used. */
const SESSION_MARGIN_SECONDS = 60;

export type ApiToken = {
  value: string;
  /** Where it came from, for messages: `COMPOSER_SECRETS_TOKEN`, `the Terminus session in FILE`. */
  from: string;
  /** What to do when the service refuses it. */
  renew: string;
};

/** The file Terminus saves its session in, as Terminus finds its cache folder. */
export function terminusSessionFile(env: Record<string, string | undefined>, home: string): string {
  const set = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const cache =
    set('TERMINUS_CACHE_DIR') ??
    path.join(set('TERMINUS_BASE_DIR') ?? path.join(set('TERMINUS_USER_HOME') ?? set('HOME') ?? home, '.terminus'), 'cache');
  return path.join(cache, 'session');
}

const LOGIN = 'run `terminus auth:login` (or set COMPOSER_SECRETS_TOKEN)';

/**
 * The session token in Terminus's session file, or undefined when there is no such file.
 * The file is read as every secret file is (no symlink, strict UTF-8) and never quoted.
 */
async function readTerminusSession(fs: FileSystem, file: string, nowMs: number): Promise<string | undefined> {
  const what = 'the Terminus session';
  const text = await readSecretText(fs, file, what);
  if (text === undefined) return undefined;
  const json = parseJsonSafely(text);
  const session = json.ok && typeof json.value === 'object' && json.value !== null ? (json.value as Record<string, unknown>) : undefined;
  const token = session?.session;
  // PHP may write a number as a string; anything else is not a session Terminus wrote.
  const expiresAt =
    typeof session?.expires_at === 'string' && /^\d+$/.test(session.expires_at) ? Number(session.expires_at) : session?.expires_at;
  if (typeof token !== 'string' || token === '' || typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) {
    throw new InvalidDocumentError(file, `${what} ${file} is not a session Terminus wrote ({"session", "expires_at"}); ${LOGIN}`);
  }
  if (expiresAt < nowMs / 1000 + SESSION_MARGIN_SECONDS) {
    const when = new Date(expiresAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    throw new UsageError(`${what} in ${file} expired (${when}); ${LOGIN}`);
  }
  return token;
}

/**
 * The token for the service at `service` (for messages): COMPOSER_SECRETS_TOKEN, else the
 * saved Terminus session. Neither: exit 2 saying how to get one.
 */
export async function apiToken(
  edge: { env: Record<string, string | undefined>; fs: FileSystem; home: string; nowMs: number },
  service: string,
): Promise<ApiToken> {
  const fromEnv = edge.env[TOKEN_VARIABLE]?.trim() ?? '';
  if (fromEnv !== '') return { value: fromEnv, from: TOKEN_VARIABLE, renew: `set ${TOKEN_VARIABLE} to a current session token` };
  const file = terminusSessionFile(edge.env, edge.home);
  const session = await readTerminusSession(edge.fs, file, edge.nowMs);
  if (session === undefined) {
    throw new UsageError(
      `the secrets API at ${service} needs a token: set ${TOKEN_VARIABLE}, ` +
        `or log in with \`terminus auth:login\` (there is no Terminus session at ${file})`,
    );
  }
  return { value: session, from: `the Terminus session in ${file}`, renew: 'run `terminus auth:login` again' };
}

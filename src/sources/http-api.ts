/**
 * Pantheon's customer-secrets service as a source (`--source pantheon`, or
 * `--source https://host/customer-secrets/v1` for another host or a test server).
 *
 * ## The service, as the Terminus Secrets Manager plugin calls it
 *
 *     GET {base}/sites/{site-uuid}/secrets/showall        a site's secrets, with its
 *                                                         organization's of the same names
 *     GET {base}/organizations/{org-uuid}/secrets         an organization's own secrets
 *     Authorization: <session token>                      raw: no `Bearer `
 *     Accept: application/json
 *
 * Sites and organizations are addressed by UUID (`terminus site:info <site> --field=id`).
 * A build makes ONE request: the site answer carries the organization's values in each
 * secret's `OrgValues` (src/sources/pantheon-answer.ts reads it). The token comes from
 * COMPOSER_SECRETS_TOKEN or the saved Terminus session (api-token.ts).
 *
 * Answers other than 200:
 * - 401 (token refused), 403 (not allowed), 404 (no such site or organization): exit 2,
 *   naming the UUID and what to do. 400-409 are never retried (as Terminus).
 * - 429, other 4xx, 5xx and connection errors: retried as Terminus retries them (every
 *   status but 2xx and 400-409), at most MAX_ATTEMPTS attempts in all. Terminus waits
 *   5 s x attempt, the same for every client, so builds started together retry together;
 *   here the wait is RETRY_BASE_MS x attempt, jittered to 0.5-1.5x, which spreads them:
 *   20 builds against a limit of 3 requests a second all get through (test/sources-http-
 *   herd.test.ts). A `Retry-After` (seconds or a date) is waited when longer; over
 *   MAX_RETRY_AFTER_SECONDS the client gives up at once.
 * - 3xx: redirects are not followed (the token would go along); anything else: exit 1.
 * One client sends at most REQUESTS_PER_SECOND requests in any second (the service's limit
 * per user), gives each request `timeoutMs` (a timed-out request is not retried), and
 * reads at most MAX_ANSWER_BYTES of an answer. No message carries the token, a secret
 * value or the answer body.
 *
 * `http://` is accepted only for loopback hosts (127.0.0.0/8, localhost, [::1]).
 */
import { EnvironmentError, InvalidDocumentError, UsageError } from '../errors.js';
import type { ApiToken } from './api-token.js';
import { parsePantheonAnswer, siteSecretsFromPantheonAnswer } from './pantheon-answer.js';
import { requireUuid } from './site-uuid.js';
import type { FetchRequest, SecretSource, SiteSecrets } from './source.js';

export { TOKEN_VARIABLE } from './api-token.js';

/** `--source pantheon`: Pantheon's own service, where Terminus sends its requests. */
export const PANTHEON_SOURCE = 'pantheon';
export const PANTHEON_API_BASE = 'https://terminus.pantheon.io/customer-secrets/v1';

export const MAX_ATTEMPTS = 6;
const REQUESTS_PER_SECOND = 3;
export const RETRY_BASE_MS = 3000;
const MAX_RETRY_AFTER_SECONDS = 60;
const DEFAULT_TIMEOUT_MS = 30_000;
/** The largest answer body read (64 MiB): beyond it the answer is refused, not held in memory. */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

function isLoopback(hostname: string): boolean {
  // URL has already normalized 127.1 and the like to dotted quads.
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * The API base URL, checked: https, or http to a loopback host; no credentials, query or
 * fragment. `flag` names where it came from in messages. Throws UsageError (exit 2).
 */
export function checkApiBaseUrl(text: string, flag = '--source'): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${flag}: not a valid URL`);
  }
  // Never echo a URL that carries credentials: only its scheme and host.
  const shown = `${url.protocol}//${url.host}`;
  if (url.username !== '' || url.password !== '') {
    throw new UsageError(`${flag} ${shown}/...: credentials do not go in the URL; put the token in COMPOSER_SECRETS_TOKEN`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`${flag} ${shown}: only https:// URLs (or http:// to this machine) are allowed`);
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new UsageError(`${flag} ${shown}: http:// is allowed only for 127.0.0.1, localhost and [::1]; use https://`);
  }
  if (url.search !== '' || url.hash !== '') throw new UsageError(`${flag} ${shown}: the base URL takes no query or fragment`);
  return url;
}

/** Holds requests so that no more than `perSecond` start in any second of `now`. */
function rateLimiter(perSecond: number, now: () => number, sleep: (ms: number) => Promise<void>): () => Promise<void> {
  const starts: number[] = [];
  let queue: Promise<void> = Promise.resolve();
  return () => {
    // Callers wait in turn, so concurrent fetches cannot both take the last slot.
    const turn = queue.then(async () => {
      const oldest = starts.length >= perSecond ? starts[starts.length - perSecond] : undefined;
      if (oldest !== undefined) {
        const wait = oldest + 1000 - now();
        if (wait > 0) await sleep(wait);
      }
      starts.push(now());
      if (starts.length > perSecond) starts.shift();
    });
    queue = turn.catch(() => undefined);
    return turn;
  };
}

export type ApiClientOptions = {
  /** A checked base URL (checkApiBaseUrl). */
  baseUrl: string;
  /** Called once, at the first request: the token and where it came from. */
  token: () => Promise<ApiToken>;
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds, for the rate limit and a Retry-After date. */
  now?: () => number;
  /** In [0, 1), for the jitter of retry waits. */
  random?: () => number;
  timeoutMs?: number;
  maxAnswerBytes?: number;
};

/**
 * A response body as UTF-8 text, reading no more than `maxBytes`: a larger answer (by its
 * Content-Length, or as it streams) is cancelled and described, as is one that is not UTF-8.
 */
async function readAnswerText(response: Response, maxBytes: number): Promise<{ ok: true; text: string } | { ok: false; problem: string }> {
  const tooLarge = { ok: false as const, problem: `is larger than ${maxBytes} bytes, the most an answer may be; it was not read` };
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return tooLarge;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (let chunk = await reader?.read(); chunk !== undefined && !chunk.done; chunk = await reader?.read()) {
    size += chunk.value.byteLength;
    if (size > maxBytes) {
      await reader?.cancel().catch(() => undefined);
      return tooLarge;
    }
    chunks.push(chunk.value);
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)) };
  } catch {
    return { ok: false, problem: 'is not valid UTF-8 text' };
  }
}

/** What a request reads: a site (with its organization's values) or an organization. */
export type ApiTarget = { kind: 'site' | 'organization'; uuid: string };

function describeTarget(target: ApiTarget): string {
  return `${target.kind} ${target.uuid}`;
}

function networkCode(error: unknown): string | undefined {
  const cause = typeof error === 'object' && error !== null && 'cause' in error ? (error as { cause: unknown }).cause : undefined;
  if (typeof cause === 'object' && cause !== null && 'code' in cause) return String((cause as { code: unknown }).code);
  return undefined;
}

/** A Retry-After in milliseconds from `now`: delta seconds or an HTTP date. */
function retryAfterMs(response: Response, now: number): number | undefined {
  const header = response.headers.get('retry-after');
  if (header === null) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Terminus retries every status but 2xx and 400-409; redirects, which it follows and we do not, are final. */
function isRetried(status: number): boolean {
  return !(status >= 200 && status < 300) && !(status >= 400 && status <= 409) && !(status >= 300 && status < 400);
}

export type ApiClient = {
  /** `https://host/customer-secrets/v1`, for messages. */
  readonly description: string;
  /** The answer text of the one read of `target`, with the URL it came from. */
  read(target: ApiTarget): Promise<{ url: string; text: string }>;
  /** The token used so far, to be masked in composer's output; empty before the first read. */
  usedTokens(): string[];
};

export function customerSecretsClient(options: ApiClientOptions): ApiClient {
  const base = checkApiBaseUrl(options.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const origin = `${base.protocol}//${base.host}`;
  const description = `${origin}${basePath}`;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxAnswerBytes = options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
  const acquire = rateLimiter(REQUESTS_PER_SECOND, now, sleep);
  let token: Promise<ApiToken> | undefined;
  let used: ApiToken | undefined;

  async function authorization(): Promise<ApiToken> {
    token ??= options.token();
    const got = await token;
    // fetch would reject a header with control characters, quoting it in its message.
    if (!/^[\x21-\x7e]+$/.test(got.value)) throw new UsageError(`${got.from} holds characters an HTTP header cannot carry`);
    used = got;
    return got;
  }

  type Outcome =
    | { kind: 'answer'; response: Response; body?: Awaited<ReturnType<typeof readAnswerText>> }
    | { kind: 'unreachable'; code: string };

  /** One attempt: the status and, for a 200, the body text or why it cannot be read. */
  async function attempt(url: string, auth: ApiToken): Promise<Outcome> {
    await acquire();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetchImpl(url, {
        method: 'GET',
        headers: { Authorization: auth.value, Accept: 'application/json' },
        redirect: 'manual',
        signal: controller.signal,
      });
      if (response.status !== 200) {
        // Free the connection; the body is never shown.
        await response.body?.cancel().catch(() => undefined);
        return { kind: 'answer', response };
      }
      return { kind: 'answer', response, body: await readAnswerText(response, maxAnswerBytes) };
    } catch (error) {
      if (controller.signal.aborted) throw new EnvironmentError(`GET ${url}: no complete answer within ${timeoutMs} ms`);
      return { kind: 'unreachable', code: networkCode(error) ?? 'network error' };
    } finally {
      clearTimeout(timer);
    }
  }

  function refused(url: string, status: number, target: ApiTarget, auth: ApiToken): UsageError | undefined {
    const what = describeTarget(target);
    if (status === 401) return new UsageError(`GET ${url}: ${auth.from} was refused (HTTP 401) for ${what}; ${auth.renew}`);
    if (status === 403) {
      return new UsageError(
        `GET ${url}: the token from ${auth.from} may not read the secrets of ${what} (HTTP 403); log in as a user with access to it`,
      );
    }
    if (status === 404) {
      const check = target.kind === 'site' ? '`terminus site:info <site> --field=id`' : '`terminus org:list --fields=id,name`';
      return new UsageError(`GET ${url}: there is no ${what} at ${description} (HTTP 404); check the UUID with ${check}`);
    }
    return undefined;
  }

  return {
    description,
    usedTokens: () => (used === undefined ? [] : [used.value]),
    async read(target: ApiTarget): Promise<{ url: string; text: string }> {
      const auth = await authorization();
      const suffix = target.kind === 'site' ? 'secrets/showall' : 'secrets';
      const collection = target.kind === 'site' ? 'sites' : 'organizations';
      const url = `${origin}${basePath}/${collection}/${encodeURIComponent(target.uuid)}/${suffix}`;
      let last = '';
      for (let attemptNumber = 1; attemptNumber <= MAX_ATTEMPTS; attemptNumber++) {
        const outcome = await attempt(url, auth);
        let asked: number | undefined;
        if (outcome.kind === 'unreachable') {
          last = `cannot reach ${origin}: ${outcome.code}`;
        } else {
          const { status } = outcome.response;
          if (status === 200) {
            if (outcome.body?.ok === false) throw new InvalidDocumentError(url, `the answer of GET ${url} ${outcome.body.problem}`);
            return { url, text: outcome.body?.text ?? '' };
          }
          const refusal = refused(url, status, target, auth);
          if (refusal !== undefined) throw refusal;
          if (!isRetried(status)) {
            const what = status >= 300 && status < 400 ? 'a redirect, which is not followed; give the final URL' : 'an unexpected answer';
            throw new EnvironmentError(`GET ${url}: HTTP ${status}, ${what}`);
          }
          last = status === 429 ? 'HTTP 429 (the service allows about 3 requests a second per user)' : `HTTP ${status}`;
          asked = retryAfterMs(outcome.response, now());
          if (asked !== undefined && asked > MAX_RETRY_AFTER_SECONDS * 1000) {
            throw new EnvironmentError(
              `GET ${url}: ${last}; ` +
                `the service asks to wait ${Math.ceil(asked / 1000)} s, more than ${MAX_RETRY_AFTER_SECONDS} s: try again later`,
            );
          }
        }
        if (attemptNumber === MAX_ATTEMPTS) break;
        // Jittered so that builds refused together do not come back together.
        const backoff = RETRY_BASE_MS * attemptNumber * (0.5 + random());
        await sleep(Math.round(Math.max(backoff, asked ?? 0)));
      }
      throw new EnvironmentError(`GET ${url}: ${last} after ${MAX_ATTEMPTS} attempts; try again later`);
    },
  };
}

export type HttpApiOptions = ApiClientOptions;

/** A build's source: one read of the site, its organization's values included. */
export function httpApiSource(options: HttpApiOptions): SecretSource {
  const client = customerSecretsClient(options);
  return {
    description: client.description,
    toolCredentials: () => client.usedTokens(),
    async fetch(request: FetchRequest): Promise<SiteSecrets> {
      const site = requireUuid(request.site, 'site', '--site');
      const { url, text } = await client.read({ kind: 'site', uuid: site });
      const where = `the answer of GET ${url}`;
      return siteSecretsFromPantheonAnswer(parsePantheonAnswer(text, where), { ...request, site }, where);
    },
  };
}

/**
 * A secrets HTTP API as a source (`--source https://...`).
 *
 * ## Contract
 *
 * Two read-only endpoints under a base URL (which may carry a path, e.g.
 * `https://secrets.example.com/v1`). Every request is
 *
 *     GET <base>/sites/<site>/secrets/showall
 *     GET <base>/organizations/<organization>/secrets/showall
 *     Authorization: Bearer <COMPOSER_SECRETS_TOKEN>
 *     Accept: application/json
 *
 * with the names percent-encoded. A 200 answer is a JSON object:
 *
 *     site:         { "site": "shop", "organization": "acme", "secrets": { ... } }
 *     organization: { "organization": "acme", "secrets": { ... } }
 *
 * - `site` / `organization` (the top-level name) must be the name asked for. Site and
 *   organization names are lowercase letters, digits and `-`.
 * - In the site answer, `organization` is the name of the site's owning organization, or
 *   `null` (or left out) when it has none. When it is a name, its secrets are fetched with
 *   the second request; `--org` may only repeat it. With `null`, `--org` names it.
 * - `secrets` maps each secret name to exactly the store's secret entry:
 *       "NAME": { "type": "runtime" | "env" | "composer",
 *                 "scopes": ["ic", "web", "user"],          (at least one, each once)
 *                 "value": "base value",                     (at most 16384 bytes)
 *                 "overrides": { "dev": "value for dev" } }  (optional; env -> value)
 *   Entries allow no other keys, and names are checked against types (an `env` secret's
 *   name is a variable name, a `composer` secret's is `<kind>.<host>`). `overrides` are the
 *   owner's own: resolution lets a site's secret win whole over the organization's.
 * - Other top-level keys are ignored, so the API can grow.
 * - An answer that is not JSON or breaks these rules: exit 2, with the JSON path of each
 *   problem.
 *
 * Answers other than 200:
 * - 401: the token was rejected; 403: the token may not read this site or organization;
 *   404: no such site or organization. Exit 2, naming which.
 * - 429 and 5xx: retried, at most 4 attempts in all, after 0.5 s, 1 s, 2 s; a 429's
 *   `Retry-After: <seconds>` is waited instead when longer (over 60 s: given up at once).
 * - Anything else (3xx included: redirects are not followed): an error with the status.
 * The client sends at most 3 requests in any second, and gives each request (answer and
 * body) `timeoutMs` (default 30 s). A body over `maxAnswerBytes` (default 64 MiB) or not
 * UTF-8 is refused (exit 2); reading stops at the bound. Network errors and timeouts are not retried. No message
 * carries the token, a secret value or the server's answer body.
 *
 * `http://` is accepted only for loopback hosts (127.0.0.0/8, localhost, [::1]).
 */
import * as z from 'zod/mini';
import { EnvironmentError, InvalidDocumentError, UsageError } from '../errors.js';
import { checkDocument, describeIssues, parseJsonSafely } from '../model/issues.js';
import { OwnerName } from '../model/names.js';
import { SecretMap } from '../model/secret.js';
import type { FetchRequest, SecretSource, SiteSecrets } from './source.js';

export const TOKEN_VARIABLE = 'COMPOSER_SECRETS_TOKEN';
export const MAX_ATTEMPTS = 4;
export const REQUESTS_PER_SECOND = 3;
export const FIRST_BACKOFF_MS = 500;
export const MAX_RETRY_AFTER_SECONDS = 60;
export const DEFAULT_TIMEOUT_MS = 30_000;
/** The largest answer body read (64 MiB): beyond it the answer is refused, not held in memory. */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export const SiteAnswer = z.object({
  site: OwnerName,
  organization: z.optional(z.nullable(OwnerName)),
  secrets: SecretMap,
});
export const OrganizationAnswer = z.object({
  organization: OwnerName,
  secrets: SecretMap,
});

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
    throw new UsageError(`${flag} ${shown}/...: credentials do not go in the URL; put the token in ${TOKEN_VARIABLE}`);
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

export type HttpApiOptions = {
  baseUrl: string;
  /** The value of COMPOSER_SECRETS_TOKEN; missing or empty is an error when fetching. */
  token: string | undefined;
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds, for the rate limit. */
  now?: () => number;
  timeoutMs?: number;
  maxAnswerBytes?: number;
};

/**
 * A response body as UTF-8 text, reading no more than `maxBytes`: a larger answer (by its
 * Content-Length, or as it streams) is cancelled and described, as is one that is not UTF-8.
 */
export async function readAnswerText(response: Response, maxBytes: number): Promise<{ ok: true; text: string } | { ok: false; problem: string }> {
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

type Target = { kind: 'site' | 'organization'; name: string };

function describeTarget(target: Target): string {
  return `${target.kind} '${target.name}'`;
}

function networkCode(error: unknown): string | undefined {
  const cause = typeof error === 'object' && error !== null && 'cause' in error ? (error as { cause: unknown }).cause : undefined;
  if (typeof cause === 'object' && cause !== null && 'code' in cause) return String((cause as { code: unknown }).code);
  return undefined;
}

/** A 429's Retry-After in milliseconds, when given in seconds. */
function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (header === null || !/^\s*\d+\s*$/.test(header)) return undefined;
  return Number(header) * 1000;
}

export function httpApiSource(options: HttpApiOptions): SecretSource {
  const base = checkApiBaseUrl(options.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const origin = `${base.protocol}//${base.host}`;
  const description = `${origin}${basePath}`;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxAnswerBytes = options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
  const acquire = rateLimiter(REQUESTS_PER_SECOND, now, sleep);

  function bearer(): string {
    const token = options.token?.trim() ?? '';
    if (token === '') throw new UsageError(`${TOKEN_VARIABLE} is not set: the API at ${description} needs a token`);
    // fetch would reject a header with control characters, quoting it in its message.
    if (!/^[\x21-\x7e]+$/.test(token)) throw new UsageError(`${TOKEN_VARIABLE} holds characters an HTTP header cannot carry`);
    return `Bearer ${token}`;
  }

  /** One attempt: the status and, for a 200, the body text or why it cannot be read. */
  async function attempt(url: string, authorization: string): Promise<{ response: Response; body?: Awaited<ReturnType<typeof readAnswerText>> }> {
    await acquire();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetchImpl(url, {
        method: 'GET',
        headers: { Authorization: authorization, Accept: 'application/json' },
        redirect: 'manual',
        signal: controller.signal,
      });
      if (response.status !== 200) {
        // Free the connection; the body is never shown.
        await response.body?.cancel().catch(() => undefined);
        return { response };
      }
      return { response, body: await readAnswerText(response, maxAnswerBytes) };
    } catch (error) {
      if (controller.signal.aborted) throw new EnvironmentError(`GET ${url}: no complete answer within ${timeoutMs} ms`);
      throw new EnvironmentError(`GET ${url}: cannot reach ${origin}: ${networkCode(error) ?? 'network error'}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async function getJson(target: Target): Promise<{ url: string; json: unknown }> {
    const authorization = bearer();
    const collection = target.kind === 'site' ? 'sites' : 'organizations';
    const url = `${origin}${basePath}/${collection}/${encodeURIComponent(target.name)}/secrets/showall`;
    let last = 0;
    for (let attemptNumber = 1; attemptNumber <= MAX_ATTEMPTS; attemptNumber++) {
      const { response, body } = await attempt(url, authorization);
      const status = response.status;
      if (status === 200) {
        if (body?.ok === false) throw new InvalidDocumentError(url, `the answer of GET ${url} ${body.problem}`);
        const json = parseJsonSafely(body?.text ?? '');
        if (!json.ok) throw new InvalidDocumentError(url, `the answer of GET ${url} ${json.problem}`);
        return { url, json: json.value };
      }
      if (status === 401) throw new UsageError(`GET ${url}: the token in ${TOKEN_VARIABLE} was rejected (HTTP 401)`);
      if (status === 403) throw new UsageError(`GET ${url}: the token may not read the secrets of ${describeTarget(target)} (HTTP 403)`);
      if (status === 404) throw new UsageError(`GET ${url}: ${describeTarget(target)} does not exist at ${description} (HTTP 404)`);
      if (status !== 429 && (status < 500 || status > 599)) {
        const what = status >= 300 && status < 400 ? 'a redirect, which is not followed; give the final URL' : 'an unexpected answer';
        throw new EnvironmentError(`GET ${url}: HTTP ${status}, ${what}`);
      }
      last = status;
      if (attemptNumber === MAX_ATTEMPTS) break;
      const backoff = FIRST_BACKOFF_MS * 2 ** (attemptNumber - 1);
      const asked = status === 429 ? retryAfterMs(response) : undefined;
      if (asked !== undefined && asked > MAX_RETRY_AFTER_SECONDS * 1000) {
        throw new EnvironmentError(`GET ${url}: rate limited (HTTP 429); the API asks to wait ${asked / 1000} s, more than ${MAX_RETRY_AFTER_SECONDS} s`);
      }
      await sleep(Math.max(backoff, asked ?? 0));
    }
    throw new EnvironmentError(`GET ${url}: HTTP ${last} after ${MAX_ATTEMPTS} attempts; try again later`);
  }

  function invalid(url: string, issues: readonly z.core.$ZodIssue[], document: unknown): InvalidDocumentError {
    return new InvalidDocumentError(url, `the answer of GET ${url} does not follow the secrets API contract`, describeIssues(issues, { document }));
  }

  return {
    description,
    async fetch(request: FetchRequest): Promise<SiteSecrets> {
      const siteAnswer = await getJson({ kind: 'site', name: request.site });
      const site = checkDocument(SiteAnswer, siteAnswer.json);
      if (!site.ok) throw invalid(siteAnswer.url, site.issues, siteAnswer.json);
      if (site.value.site !== request.site) {
        throw new InvalidDocumentError(siteAnswer.url, `the answer of GET ${siteAnswer.url} is for site '${site.value.site}', not '${request.site}'`);
      }
      const recorded = site.value.organization ?? undefined;
      if (recorded !== undefined && request.organization !== undefined && recorded !== request.organization) {
        throw new UsageError(`--org ${request.organization}: site '${request.site}' belongs to organization '${recorded}' at ${description}`);
      }
      const orgName = recorded ?? request.organization;
      if (orgName === undefined) return { site: { name: request.site, secrets: site.value.secrets } };
      const orgAnswer = await getJson({ kind: 'organization', name: orgName });
      const org = checkDocument(OrganizationAnswer, orgAnswer.json);
      if (!org.ok) throw invalid(orgAnswer.url, org.issues, orgAnswer.json);
      if (org.value.organization !== orgName) {
        throw new InvalidDocumentError(orgAnswer.url, `the answer of GET ${orgAnswer.url} is for organization '${org.value.organization}', not '${orgName}'`);
      }
      return { site: { name: request.site, secrets: site.value.secrets }, organization: { name: orgName, secrets: org.value.secrets } };
    },
  };
}

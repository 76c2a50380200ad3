// What the leak sweep looks for: every value a build hands out, in every form the masker
// knows (src/run/output-mask.ts), plus http-basic's `username:password` as it appears in a
// URL's user info. Pure.

import type { AuthDocument } from '../model/composer-kinds.js';
import { maskedFormsOf, maskedTexts, rawUrlEncoded } from '../run/output-mask.js';

/**
 * Values (and lines of values) shorter than this are not looked for: in a tree of 300 MB a
 * short text turns up by chance (a word, a number), and a build failed for nothing gets the
 * check turned off. The masker's minimum is lower: a masked word in a log costs nothing.
 */
export const SWEEP_MIN_LENGTH = 8;

export type LeakPatterns = {
  /** The byte strings to look for. */
  patterns: Uint8Array[];
  /** How many values (or lines of values) are too short to look for. */
  tooShort: number;
};

/** The patterns for `values` (the build payload's maskedValues, credential pairs included). */
export function leakPatterns(values: readonly string[]): LeakPatterns {
  const texts = maskedTexts(values);
  const long = texts.filter((text) => Buffer.byteLength(text) >= SWEEP_MIN_LENGTH);
  const forms = new Set(long.flatMap(maskedFormsOf).filter((form) => Buffer.byteLength(form) >= SWEEP_MIN_LENGTH));
  return { patterns: [...forms].map((form) => Buffer.from(form)), tooShort: texts.length - long.length };
}

/**
 * Credentials with a username (http-basic, and gitlab-token and forgejo-token given with
 * one) whose password or token is one of `values`, as a URL's user info holds them:
 * `username:secret`, raw and each part URL-encoded (Composer's rawurlencode). A secret too
 * short to look for alone is still found next to its username.
 */
export function credentialPairs(documents: ReadonlyArray<AuthDocument | undefined>, values: readonly string[]): string[] {
  const handedOut = new Set(values);
  const pairs = new Set<string>();
  for (const document of documents) {
    for (const entries of Object.values(document ?? {})) {
      for (const entry of Object.values((entries ?? {}) as Record<string, unknown>)) {
        if (typeof entry !== 'object' || entry === null) continue;
        const { username, password, token } = entry as Record<string, unknown>;
        const secret = typeof password === 'string' ? password : token;
        if (typeof username !== 'string' || typeof secret !== 'string' || !handedOut.has(secret)) continue;
        pairs.add(`${username}:${secret}`);
        pairs.add(`${rawUrlEncoded(username)}:${rawUrlEncoded(secret)}`);
      }
    }
  }
  return [...pairs];
}

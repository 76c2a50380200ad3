// Auth documents as a plan combines them: built from the credentials the secrets give,
// laid over an existing auth.json, and the hosts that more than one kind claims. Pure.
import { type AuthDocument, type ComposerCredential, isComposerAuthKind } from '../model/composer-kinds.js';
import { COMPOSER_AUTH_KINDS, type ComposerAuthKind } from '../model/names.js';
import { isJsonObject } from '../validation/json-text.js';

/** A document holding the given credentials. A (kind, host) given twice: the later one wins. */
export function authDocumentFromCredentials(credentials: readonly ComposerCredential[]): AuthDocument {
  const byKind = new Map<ComposerAuthKind, Map<string, unknown>>();
  for (const credential of credentials) {
    const hosts = byKind.get(credential.kind) ?? new Map<string, unknown>();
    hosts.set(credential.host, structuredClone(credential.entry));
    byKind.set(credential.kind, hosts);
  }
  // Kinds in Composer's order, so the written file does not depend on secret order.
  const entries = COMPOSER_AUTH_KINDS.flatMap((kind) => {
    const hosts = byKind.get(kind);
    return hosts === undefined ? [] : [[kind, Object.fromEntries(hosts)] as const];
  });
  return Object.fromEntries(entries) as AuthDocument;
}

export type AuthMergeResult = { document: AuthDocument; replaced: Array<{ kind: ComposerAuthKind; host: string }> };

/**
 * `overlay` on top of `base`: within each kind, per host, the overlay's entry wins (for
 * custom-headers the overlay's header list replaces the base's list for that host, whole).
 * `replaced` lists the (kind, host) pairs present in both, in the base's order, whether or
 * not the values differ. Unknown top-level keys are kept; when both have one, the overlay's
 * value replaces the base's whole (we do not know its structure). Inputs are not modified.
 */
export function mergeAuthDocuments(base: AuthDocument, overlay: AuthDocument): AuthMergeResult {
  const baseMap: Record<string, unknown> = base;
  const overlayMap: Record<string, unknown> = overlay;
  const replaced: AuthMergeResult['replaced'] = [];
  const keys = [...new Set([...Object.keys(baseMap), ...Object.keys(overlayMap)])];
  // Entries + fromEntries rather than assignment: a key like "__proto__" stays a plain key.
  const entries = keys.map((key): [string, unknown] => {
    const fromBase = baseMap[key];
    const fromOverlay = overlayMap[key];
    if (!Object.hasOwn(overlayMap, key)) return [key, fromBase];
    if (!Object.hasOwn(baseMap, key) || !isComposerAuthKind(key) || !isJsonObject(fromBase) || !isJsonObject(fromOverlay)) {
      return [key, fromOverlay];
    }
    for (const host of Object.keys(fromBase)) {
      if (Object.hasOwn(fromOverlay, host)) replaced.push({ kind: key, host });
    }
    return [key, { ...fromBase, ...fromOverlay }];
  });
  return { document: structuredClone(Object.fromEntries(entries)) as AuthDocument, replaced };
}

/**
 * Hosts that appear under more than one kind. Composer keeps one credential per host (the
 * later one loaded replaces the earlier), so each of these is a conflict for the caller to
 * report. Hosts compare exactly, as Composer's lookup does. Kinds in Composer's order.
 */
export function hostsWithSeveralKinds(document: AuthDocument): Array<{ host: string; kinds: ComposerAuthKind[] }> {
  const kindsByHost = new Map<string, ComposerAuthKind[]>();
  const map: Record<string, unknown> = document;
  for (const kind of COMPOSER_AUTH_KINDS) {
    const hosts = map[kind];
    if (!isJsonObject(hosts)) continue;
    for (const host of Object.keys(hosts)) {
      const kinds = kindsByHost.get(host) ?? [];
      kinds.push(kind);
      kindsByHost.set(host, kinds);
    }
  }
  return [...kindsByHost].filter(([, kinds]) => kinds.length > 1).map(([host, kinds]) => ({ host, kinds }));
}

// Turning zod issues and JSON.parse failures into messages that never quote the input.
// zod's own messages are not used: depending on the check they can carry the value.
import { en } from 'zod/locales';
import * as z from 'zod/mini';

// zod/mini installs no messages (classic zod installs English on first use), and describeIssue
// reads the English invalid_type message. Every parse whose issues reach here runs after this.
// `en` by name: `z.locales.en` would bundle every locale.
z.config(en());

export function jsonPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      // zod leaves `input` out unless asked; its message names only types ("received undefined").
      return issue.input === undefined && /received undefined$/.test(issue.message)
        ? `is required (${issue.expected})`
        : `must be ${article(issue.expected)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' ? `has an invalid format (must match ${issue.pattern ?? 'the pattern'})` : `must be a valid ${issue.format}`;
    case 'too_small':
      return issue.origin === 'array' || issue.origin === 'set'
        ? `must have at least ${issue.minimum} item(s)`
        : `must be at least ${issue.minimum}${issue.origin === 'string' ? ' character(s) long' : ''}`;
    case 'too_big':
      return issue.origin === 'array' ? `must have at most ${issue.maximum} item(s)` : `must be at most ${issue.maximum}`;
    case 'invalid_key':
      return 'has an invalid key';
    case 'invalid_union':
      return 'does not match any allowed shape';
    case 'custom':
      // Our own refinements: their messages are written to be value-free.
      return issue.message;
    default:
      return 'is invalid';
  }
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

export function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** Name characters (secret, owner and environment names, hosts, our own keys): what a message may print of a key. */
const PRINTABLE_KEY = /^[$A-Za-z0-9_][A-Za-z0-9_.:-]{0,254}$/;

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** `(3rd key)`: a key by its position in its object, when the object is at hand. */
function keyByPosition(parent: unknown, key: string): string {
  const index = isPlainRecord(parent) ? Object.keys(parent).indexOf(key) : -1;
  return index === -1 ? '(a key)' : `(${ordinal(index + 1)} key)`;
}

/**
 * A JSON path for a message. A key is printed only when it is a name that passed its
 * checks: name characters only, and not in `keysAtFault` (an unknown key, a name that
 * breaks the name rules or its type's). Any other key is written by its position in its
 * object, `sites.shop.secrets.(3rd key)`, never by its text: a key can be a pasted value.
 * `document` is the value the path starts in (for positions); `prefix` is printed before it.
 */
export function messagePath(
  path: readonly PropertyKey[],
  options: { document?: unknown; keysAtFault?: ReadonlySet<string>; prefix?: readonly PropertyKey[] } = {},
): string {
  const keysAtFault = options.keysAtFault ?? new Set<string>();
  const parts: string[] = [];
  const shown = (key: string, parent: unknown) => (PRINTABLE_KEY.test(key) && !keysAtFault.has(key) ? key : keyByPosition(parent, key));
  for (const part of options.prefix ?? []) parts.push(typeof part === 'number' ? `[${part}]` : shown(String(part), undefined));
  let current = options.document;
  for (const part of path) {
    if (typeof part === 'number') {
      parts.push(`[${part}]`);
      current = Array.isArray(current) ? (current[part] as unknown) : undefined;
      continue;
    }
    const key = String(part);
    parts.push(shown(key, current));
    current = isPlainRecord(current) && Object.hasOwn(current, key) ? current[key] : undefined;
  }
  if (parts.length === 0) return '(top level)';
  return parts.map((part, i) => (i === 0 || part.startsWith('[') ? part : `.${part}`)).join('');
}

/** Our custom issues about a key itself (a name that does not fit, `__proto__`) carry this, so the key is not printed. */
export const KEY_AT_FAULT = { keyAtFault: true } as const;

function keysAtFaultIn(issues: readonly z.core.$ZodIssue[]): Set<string> {
  const keys = new Set<string>();
  for (const issue of issues) {
    const last = issue.path[issue.path.length - 1];
    if (issue.code === 'unrecognized_keys') issue.keys.forEach((key) => keys.add(key));
    else if ((issue.code === 'invalid_key' || (issue.code === 'custom' && issue.params?.keyAtFault === true)) && typeof last === 'string') keys.add(last);
  }
  return keys;
}

function valueAt(document: unknown, path: readonly PropertyKey[]): unknown {
  let current = document;
  for (const part of path) {
    if (typeof part === 'number') current = Array.isArray(current) ? (current[part] as unknown) : undefined;
    else current = isPlainRecord(current) && Object.hasOwn(current, String(part)) ? current[String(part)] : undefined;
  }
  return current;
}

/**
 * One line per problem: `sites.shop.secrets.FOO.type: must be one of ...`. `document` is
 * what was checked: keys at fault are written by their position in it (see messagePath).
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], options: { document?: unknown; prefix?: readonly PropertyKey[] } = {}): string[] {
  const keysAtFault = keysAtFaultIn(issues);
  const where = (path: readonly PropertyKey[]) => messagePath(path, { document: options.document, keysAtFault, prefix: options.prefix });
  return issues.map((issue) => {
    if (issue.code === 'invalid_key') {
      const format = issue.issues[0]?.code === 'invalid_format' ? describeIssue(issue.issues[0]).replace(/^has an invalid format \(must match (.*)\)$/, '$1') : undefined;
      return `${where(issue.path)}: invalid name${format === undefined ? '' : ` (allowed: ${format})`}`;
    }
    if (issue.code === 'unrecognized_keys') {
      // By position: an unknown key is often a typo, but it can be a pasted value.
      const parent = valueAt(options.document, issue.path);
      const keys = isPlainRecord(parent) ? Object.keys(parent) : [];
      const positions = issue.keys.map((key) => keys.indexOf(key) + 1);
      const which = positions.includes(0) ? '' : ` (the ${positions.map(ordinal).join(', ')})`;
      return `${where(issue.path)}: has ${issue.keys.length === 1 ? 'an unknown key' : `${issue.keys.length} unknown keys`}${which}`;
    }
    return `${where(issue.path)}: ${describeIssue(issue)}`;
  });
}

/**
 * zod's records and objects skip a `__proto__` key without a word (assigning it would set
 * the prototype), so a document holding one would lose it. Every own `__proto__` key in
 * `document`, as an issue at its path; iterative, for deep documents.
 */
export function protoKeyIssues(document: unknown): z.core.$ZodIssue[] {
  return holdsProtoKey(document) ? protoKeyPaths(document) : [];
}

/** The common case, cheaply: one stack of values, no paths. */
function holdsProtoKey(document: unknown): boolean {
  const pending: unknown[] = [document];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (const inner of value) if (typeof inner === 'object' && inner !== null) pending.push(inner);
      continue;
    }
    if (!isPlainRecord(value)) continue;
    for (const key in value) {
      if (key === '__proto__' && Object.hasOwn(value, key)) return true;
      const inner = value[key];
      if (typeof inner === 'object' && inner !== null) pending.push(inner);
    }
  }
  return false;
}

function protoKeyPaths(document: unknown): z.core.$ZodIssue[] {
  type Place = { value: unknown; key: PropertyKey; parent: Place | undefined };
  const pathOf = (place: Place | undefined): PropertyKey[] => {
    const path: PropertyKey[] = [];
    for (let at = place; at?.parent !== undefined; at = at.parent) path.unshift(at.key);
    return path;
  };
  const issues: z.core.$ZodIssue[] = [];
  // Depth first, children pushed last to first, so places are met (and issues made) in document order.
  const pending: Place[] = [{ value: document, key: '', parent: undefined }];
  for (let place = pending.pop(); place !== undefined; place = pending.pop()) {
    const { value } = place;
    if (place.parent !== undefined && place.key === '__proto__') {
      issues.push({
        code: 'custom',
        path: pathOf(place),
        message: 'the key "__proto__" is not allowed (it cannot be kept: JavaScript objects treat it as their prototype)',
        params: KEY_AT_FAULT,
        input: undefined,
      });
    }
    const visit = (inner: unknown, key: PropertyKey) => {
      if ((typeof inner === 'object' && inner !== null) || key === '__proto__') pending.push({ value: inner, key, parent: place });
    };
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) visit(value[i], i);
    } else if (isPlainRecord(value)) {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) visit(value[keys[i]!], keys[i]!);
    }
  }
  return issues;
}

/** schema.safeParse, with `__proto__` keys reported rather than dropped (protoKeyIssues). */
export function checkDocument<T>(schema: z.ZodMiniType<T>, document: unknown): { ok: true; value: T } | { ok: false; issues: z.core.$ZodIssue[] } {
  const parsed = schema.safeParse(document);
  const protoKeys = protoKeyIssues(document);
  if (parsed.success && protoKeys.length === 0) return { ok: true, value: parsed.data };
  return { ok: false, issues: [...(parsed.success ? [] : parsed.error.issues), ...protoKeys] };
}

/**
 * Whether the JSON `text` nests arrays and objects more than `limit` deep: a linear scan,
 * no parse. Strings are skipped (a malformed text may be counted wrong; JSON.parse says
 * what is wrong with it).
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return false;
}

/** JSON.parse, with an error that says where the document is broken but not what it holds. */
export function parseJsonSafely(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    if (text.trim() === '') return { ok: false, problem: 'is empty, not a JSON document' };
    const offset = firstBadOffset(text);
    if (offset === undefined) return { ok: false, problem: 'is not valid JSON (it ends too early)' };
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    return { ok: false, problem: `is not valid JSON (line ${line}, column ${column})` };
  }
}

/**
 * V8's messages quote the input and give no position for some errors, so find the
 * position ourselves: the shortest prefix that fails for a reason other than ending
 * early. A prefix that is fine so far fails with "Unexpected end" or at its own end,
 * so the predicate is monotone and a binary search finds it in O(log n) parses.
 */
function firstBadOffset(text: string): number | undefined {
  const failsInside = (length: number): boolean => {
    const prefix = text.slice(0, length);
    try {
      JSON.parse(prefix);
      return false;
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      if (/Unexpected end of JSON input/.test(message)) return false;
      const position = /at position (\d+)/.exec(message);
      return !(position?.[1] !== undefined && Number(position[1]) >= prefix.length);
    }
  };
  if (!failsInside(text.length)) return undefined;
  let low = 1;
  let high = text.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (failsInside(middle)) high = middle;
    else low = middle + 1;
  }
  return low - 1;
}

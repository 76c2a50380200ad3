// Turning zod issues and JSON.parse failures into messages that never quote the input.
// zod's own messages are not used: depending on the check they can carry the value.
import * as z from 'zod/mini';

/**
 * The text of an invalid_type issue, made while zod raises it: only then is the input at
 * hand (zod drops it from the issue unless asked to report it), and it tells a missing field
 * from a wrong one. It names types only, never the input. Other codes are described from
 * their data by describeIssue. zod/mini installs no messages of its own, so this is the one.
 */
function invalidTypeText(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== 'invalid_type') return undefined;
  return issue.input === undefined ? `is required (${issue.expected})` : `must be ${article(issue.expected)}`;
}
// Every parse whose issues reach here runs after this.
z.config({ localeError: invalidTypeText });

export function jsonPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}

/** What is wrong, without where: `must be a string`. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      // Written by invalidTypeText as zod raised it.
      return issue.message;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex'
        ? `has an invalid format (must match ${issue.pattern ?? 'the pattern'})`
        : `must be a valid ${issue.format}`;
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
    parts.push(typeof part === 'number' ? `[${part}]` : shown(String(part), current));
    current = childAt(current, part);
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
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) keys.add(key);
    } else if ((issue.code === 'invalid_key' || (issue.code === 'custom' && issue.params?.keyAtFault === true)) && typeof last === 'string')
      keys.add(last);
  }
  return keys;
}

/** The value at `part` of `value` (an array index or an own key), or undefined. */
function childAt(value: unknown, part: PropertyKey): unknown {
  if (typeof part === 'number') return Array.isArray(value) ? (value[part] as unknown) : undefined;
  const key = String(part);
  return isPlainRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

function valueAt(document: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(childAt, document);
}

/**
 * One line per problem: `sites.shop.secrets.FOO.type: must be one of ...`. `document` is
 * what was checked: keys at fault are written by their position in it (see messagePath).
 */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  options: { document?: unknown; prefix?: readonly PropertyKey[] } = {},
): string[] {
  const keysAtFault = keysAtFaultIn(issues);
  const where = (path: readonly PropertyKey[]) => messagePath(path, { document: options.document, keysAtFault, prefix: options.prefix });
  return issues.map((issue) => {
    if (issue.code === 'invalid_key') {
      const inner = issue.issues[0];
      const allowed = inner?.code === 'invalid_format' && inner.format === 'regex' ? (inner.pattern ?? 'the pattern') : undefined;
      return `${where(issue.path)}: invalid name${allowed === undefined ? '' : ` (allowed: ${allowed})`}`;
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
      for (const key of Object.keys(value).reverse()) visit(value[key], key);
    }
  }
  return issues;
}

/** schema.safeParse, with `__proto__` keys reported rather than dropped (protoKeyIssues). */
export function checkDocument<T>(
  schema: z.ZodMiniType<T>,
  document: unknown,
): { ok: true; value: T } | { ok: false; issues: z.core.$ZodIssue[] } {
  const parsed = schema.safeParse(document);
  const protoKeys = protoKeyIssues(document);
  if (parsed.success && protoKeys.length === 0) return { ok: true, value: parsed.data };
  return { ok: false, issues: [...(parsed.success ? [] : parsed.error.issues), ...protoKeys] };
}

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
    case 'unrecognized_keys':
      return `has unknown key(s): ${issue.keys.join(', ')}`;
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

/** One line per problem: `sites.shop.secrets.FOO.type: must be one of ...`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'invalid_key') {
      // The key itself is at fault: say which key (keys are names, never values).
      lines.push(`${jsonPath([...prefix, ...issue.path])}: invalid name${issue.issues[0]?.code === 'invalid_format' ? ' (allowed: ' + describeIssue(issue.issues[0]).replace(/^has an invalid format \(must match (.*)\)$/, '$1') + ')' : ''}`);
      continue;
    }
    lines.push(`${jsonPath([...prefix, ...issue.path])}: ${describeIssue(issue)}`);
  }
  return lines;
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

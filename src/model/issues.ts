// Turning zod issues and JSON.parse failures into messages that never quote the input.
// zod's own messages are not used: depending on the check they can carry the value.
import type { z } from 'zod';

export function jsonPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `is required (${issue.expected})` : `must be ${article(issue.expected)}`;
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

/** One line per problem: `sites.shop.secrets.FOO.type: must be one of ...`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'invalid_key') {
      // The key itself is at fault: say which key (keys are names, never values).
      lines.push(`${jsonPath([...prefix, ...issue.path])}: invalid name${issue.issues[0]?.code === 'invalid_format' ? ' (allowed: ' + describeIssue(issue.issues[0]).replace(/^has an invalid format \(must match (.*)\)$/, '$1') + ')' : ''}`);
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      lines.push(`${jsonPath([...prefix, ...issue.path])}: ${describeIssue(issue)}`);
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
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    const position = /position (\d+)/.exec(message);
    if (position?.[1] !== undefined) {
      const offset = Number(position[1]);
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      const column = offset - before.lastIndexOf('\n');
      return { ok: false, problem: `is not valid JSON (line ${line}, column ${column})` };
    }
    if (text.trim() === '') return { ok: false, problem: 'is empty, not a JSON document' };
    return { ok: false, problem: 'is not valid JSON (unexpected end or token)' };
  }
}

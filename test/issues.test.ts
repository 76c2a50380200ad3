// Messages from zod issues and JSON.parse failures: one line per problem, at its JSON path,
// in our words (zod's own messages can quote the input).
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { describeIssues, jsonPath, ordinal, protoKeyIssues } from '../src/validation/issue-messages.js';
import { parseJsonSafely } from '../src/validation/json-text.js';

function problems(schema: z.ZodMiniType, input: unknown): string[] {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) throw new Error('the input was accepted');
  return describeIssues(result.error.issues, { document: input });
}

describe('describeIssues', () => {
  it.each<[string, z.ZodMiniType, unknown, string[]]>([
    ['a missing field', z.object({ a: z.string() }), {}, ['a: is required (string)']],
    ['a wrong type', z.object({ a: z.string() }), { a: 1 }, ['a: must be a string']],
    ['a wrong type starting with a vowel', z.object({ a: z.array(z.string()) }), { a: 1 }, ['a: must be an array']],
    ['an object expected', z.object({ a: z.object({}) }), { a: 'x' }, ['a: must be an object']],
    ['a value not in the list', z.enum(['a', 'b']), 'c', ['(top level): must be one of "a", "b"']],
    ['a literal', z.literal(1), 2, ['(top level): must be one of 1']],
    ['a pattern', z.string().check(z.regex(/^x$/)), 'y', ['(top level): has an invalid format (must match /^x$/)']],
    ['a named format', z.email(), 'y', ['(top level): must be a valid email']],
    ['too few items', z.array(z.string()).check(z.minLength(1)), [], ['(top level): must have at least 1 item(s)']],
    ['too few set members', z.set(z.string()).check(z.minSize(1)), new Set(), ['(top level): must have at least 1 item(s)']],
    ['a short string', z.string().check(z.minLength(2)), 'a', ['(top level): must be at least 2 character(s) long']],
    ['a small number', z.number().check(z.minimum(3)), 1, ['(top level): must be at least 3']],
    ['too many items', z.array(z.string()).check(z.maxLength(1)), ['a', 'b'], ['(top level): must have at most 1 item(s)']],
    ['a long string', z.string().check(z.maxLength(1)), 'ab', ['(top level): must be at most 1']],
    ['unknown keys', z.strictObject({}), { x: 1, y: 2 }, ['(top level): has 2 unknown keys (the 1st, 2nd)']],
    [
      'a key off the pattern',
      z.record(z.string().check(z.regex(/^[a-z]+$/)), z.number()),
      { A: 1 },
      ['(1st key): invalid name (allowed: /^[a-z]+$/)'],
    ],
    ['a key failing another check', z.record(z.string().check(z.minLength(3)), z.number()), { A: 1 }, ['(1st key): invalid name']],
    ['no shape of a union', z.union([z.string(), z.number()]), true, ['(top level): does not match any allowed shape']],
    [
      'no branch of a discriminated union',
      z.discriminatedUnion('t', [z.object({ t: z.literal('a') }), z.object({ t: z.literal('b') })]),
      { t: 'c' },
      ['t: does not match any allowed shape'],
    ],
    ['any other check', z.number().check(z.multipleOf(2)), 3, ['(top level): is invalid']],
    ['our own refinement', z.string().check(z.refine(() => false, { message: 'is not ours' })), 'x', ['(top level): is not ours']],
    ['a nested path', z.object({ a: z.array(z.object({ b: z.string() })) }), { a: [{ b: 1 }] }, ['a[0].b: must be a string']],
  ])('%s', (_what, schema, input, expected) => {
    expect(problems(schema, input)).toEqual(expected);
  });

  it('puts the prefix before each path, one line per issue', () => {
    const result = z.object({ a: z.string(), b: z.number() }).safeParse({ b: 'x' });
    expect(result.success).toBe(false);
    expect(describeIssues(result.error?.issues ?? [], { prefix: ['sites', 'shop'] })).toEqual([
      'sites.shop.a: is required (string)',
      'sites.shop.b: must be a number',
    ]);
  });

  it('never quotes the input', () => {
    const secret = 'CANARY-value';
    const schema = z.strictObject({ a: z.number(), b: z.enum(['x']), c: z.string().check(z.regex(/^x$/), z.maxLength(3)) });
    expect(problems(schema, { a: secret, b: secret, c: secret }).join('\n')).not.toContain('CANARY');
  });
});

describe('jsonPath', () => {
  it('joins names with dots and indexes with brackets; the empty path is the top level', () => {
    expect(jsonPath([])).toBe('(top level)');
    expect(jsonPath(['sites', 'shop'])).toBe('sites.shop');
    expect(jsonPath([0, 'a', 1])).toBe('[0].a[1]');
  });
});

describe('parseJsonSafely', () => {
  it('gives the value of a valid document', () => {
    expect(parseJsonSafely(' {"a": [1, "x"]} ')).toEqual({ ok: true, value: { a: [1, 'x'] } });
  });

  it.each([
    ['', 'is empty, not a JSON document'],
    [' \n\t', 'is empty, not a JSON document'],
    ['{"a":', 'is not valid JSON (it ends too early)'],
    ['x', 'is not valid JSON (line 1, column 1)'],
    ['1 2', 'is not valid JSON (line 1, column 3)'],
    ['{"a":1,}', 'is not valid JSON (line 1, column 8)'],
    ['{"a":1}}', 'is not valid JSON (line 1, column 8)'],
    ['{\n  "a": x\n}', 'is not valid JSON (line 2, column 8)'],
    ['\n\n  ]', 'is not valid JSON (line 3, column 3)'],
  ])('%j: %s', (text, problem) => {
    expect(parseJsonSafely(text)).toEqual({ ok: false, problem });
  });

  it('locates the error without quoting the document', () => {
    const result = parseJsonSafely('{"token": "CANARY-value" oops}');
    expect(result).toEqual({ ok: false, problem: 'is not valid JSON (line 1, column 26)' });
  });
});

describe('protoKeyIssues', () => {
  it('reports every own __proto__ key, at its path, in document order, by position in messages', () => {
    const document: unknown = JSON.parse('{"a": [{"__proto__": 1}, 2, {"b": {"__proto__": {"__proto__": 3}}}], "__proto__": null}');
    const issues = protoKeyIssues(document);
    expect(issues.map((issue) => issue.path)).toEqual([
      ['a', 0, '__proto__'],
      ['a', 2, 'b', '__proto__'],
      ['a', 2, 'b', '__proto__', '__proto__'],
      ['__proto__'],
    ]);
    expect(describeIssues(issues, { document })).toEqual([
      'a[0].(1st key): the key "__proto__" is not allowed (it cannot be kept: JavaScript objects treat it as their prototype)',
      'a[2].b.(1st key): the key "__proto__" is not allowed (it cannot be kept: JavaScript objects treat it as their prototype)',
      'a[2].b.(1st key).(1st key): the key "__proto__" is not allowed (it cannot be kept: JavaScript objects treat it as their prototype)',
      '(2nd key): the key "__proto__" is not allowed (it cannot be kept: JavaScript objects treat it as their prototype)',
    ]);
  });

  it.each([
    ['only inside an array', '[{"x": {"__proto__": 1}}]', [[0, 'x', '__proto__']]],
    ['inside arrays of arrays, beside nulls and text', '{"a": [null, "t", 1, [{"__proto__": 2}]]}', [['a', 3, 0, '__proto__']]],
    ['only deep in objects', '{"a": {"b": {"c": {"__proto__": {}}}}}', [['a', 'b', 'c', '__proto__']]],
  ])('finds one %s', (_where, text, paths) => {
    expect(protoKeyIssues(JSON.parse(text)).map((issue) => issue.path)).toEqual(paths);
  });

  it('finds one in an object without a prototype', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    Object.defineProperty(bare, '__proto__', { value: 'own', enumerable: true, writable: true, configurable: true });
    expect(protoKeyIssues({ a: bare }).map((issue) => issue.path)).toEqual([['a', '__proto__']]);
  });

  it('finds nothing where there is none, and never mistakes the prototype for a key', () => {
    expect(protoKeyIssues({ a: [{ b: { c: 1 } }, null, 'x'], d: {} })).toEqual([]);
    expect(protoKeyIssues(JSON.parse('{"a": {"b": "__proto__"}, "__proto_": 1}'))).toEqual([]);
    for (const value of [null, 1, 'text', [], {}]) expect(protoKeyIssues(value)).toEqual([]);
  });
});

describe('ordinal', () => {
  it.each([
    [1, '1st'],
    [2, '2nd'],
    [3, '3rd'],
    [4, '4th'],
    [10, '10th'],
    [11, '11th'],
    [12, '12th'],
    [13, '13th'],
    [14, '14th'],
    [21, '21st'],
    [22, '22nd'],
    [23, '23rd'],
    [101, '101st'],
    [111, '111th'],
    [112, '112th'],
    [113, '113th'],
    [122, '122nd'],
  ])('%i is the %s', (n, text) => {
    expect(ordinal(n)).toBe(text);
  });
});

// scanJsonMembers against JSON.parse: the same documents accepted, the same members found.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { type JsonMember, parseJsonSafely, scanJsonMembers } from '../src/validation/json-text.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function scan(text: string): { ok: boolean; members: JsonMember[] } {
  const members: JsonMember[] = [];
  const ok = scanJsonMembers(text, (member) => members.push(member));
  return { ok, members };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the members say the root object is, two levels deep, the last of a repeated key winning (as JSON.parse). */
function rebuilt(text: string, members: JsonMember[]): Map<string, unknown> {
  const root = new Map<string, { value: unknown; start: number }>();
  for (const m of members.filter((m) => m.depth === 1))
    root.set(m.key, { value: JSON.parse(text.slice(m.value.start, m.value.end)), start: m.value.start });
  const result = new Map<string, unknown>();
  for (const [key, { value, start }] of root) {
    const children = members.filter((m) => m.depth === 2 && m.parentStart === start);
    result.set(
      key,
      isRecord(value) ? new Map(children.map((m) => [m.key, JSON.parse(text.slice(m.value.start, m.value.end)) as unknown])) : value,
    );
  }
  return result;
}

function expected(value: Record<string, unknown>): Map<string, unknown> {
  return new Map(Object.entries(value).map(([k, v]) => [k, isRecord(v) ? new Map(Object.entries(v)) : v]));
}

const document = fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }))));
const written = fc
  .tuple(document, fc.constantFrom(undefined, 1, 2, '\t', ' \r\n'))
  .map(([value, indent]) => JSON.stringify(value, null, indent));

describe('scanJsonMembers', () => {
  it('accepts every document JSON.stringify writes, and finds the members JSON.parse makes', () => {
    fc.assert(
      fc.property(written, (text) => {
        const { ok, members } = scan(text);
        expect(ok).toBe(true);
        const value = JSON.parse(text) as unknown;
        if (isRecord(value)) expect(rebuilt(text, members)).toEqual(expected(value));
        else expect(members).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('says yes exactly when JSON.parse does, on broken documents', () => {
    const edit = fc.tuple(
      fc.nat(),
      fc.constantFrom('delete', 'insert', 'replace'),
      fc.constantFrom(...'{}[]",:\\ 0123456789-+.eEtrufalsn\t\n\u0000\u00a0\ufeffx'),
    );
    const broken = fc.tuple(written, fc.array(edit, { minLength: 1, maxLength: 3 })).map(([text, edits]) => {
      let t = text;
      for (const [at, kind, char] of edits) {
        const i = t.length === 0 ? 0 : at % t.length;
        t =
          kind === 'delete'
            ? t.slice(0, i) + t.slice(i + 1)
            : kind === 'insert'
              ? t.slice(0, i) + char + t.slice(i)
              : t.slice(0, i) + char + t.slice(i + 1);
      }
      return t;
    });
    fc.assert(
      fc.property(broken, (text) => {
        expect(scan(text).ok).toBe(parses(text));
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it.each([
    '',
    ' ',
    '\ufeff{}',
    '\u00a0{}',
    '{}\u2028',
    '{} {}',
    ' {}\n',
    '{"a":1,}',
    '[1,]',
    '[,1]',
    '{,}',
    '{"a" 1}',
    '{"a":1 "b":2}',
    '[1 2]',
    '{"a"}',
    '{1:2}',
    '01',
    '-01',
    '1.',
    '.5',
    '-',
    '-0',
    '1e',
    '1e+',
    '1E5',
    '1e-7',
    '-0.0e0',
    '2.5E+10',
    '+1',
    'Infinity',
    'NaN',
    '0x10',
    '"\\u12"',
    '"\\u12G4"',
    '"\\uD800"',
    '"\\x"',
    '"\\/"',
    '"a\u0001"',
    '"a\u007f"',
    '"\ud800"',
    '"unterminated',
    '"\\"',
    'tru',
    'nul',
    'true',
    'false ',
    'null',
    'True',
    '[true,false,null]',
    '{"__proto__":{"a":1}}',
    '{"a":{"b":[{"c":1}]},"a":2}',
  ])('%j', (text) => {
    expect(scan(text).ok).toBe(parses(text));
  });

  it('takes deep nesting without a stack overflow', () => {
    const depth = 200_000;
    expect(scan('['.repeat(depth) + ']'.repeat(depth)).ok).toBe(true);
    expect(scan(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`).ok).toBe(true);
    expect(scan('['.repeat(depth) + ']'.repeat(depth - 1)).ok).toBe(false);
  });

  it('reports members of the root object and of its object members only, with their spans', () => {
    const text = '{"sites": {"shop": {"secrets": {"A": 1}}, "x\\u0041": [2]}, "list": [{"no": 1}], "version": 1}';
    const { ok, members } = scan(text);
    expect(ok).toBe(true);
    expect(members.map((m) => [m.depth, m.key, text.slice(m.value.start, m.value.end)])).toEqual([
      [2, 'shop', '{"secrets": {"A": 1}}'],
      [2, 'xA', '[2]'],
      [1, 'sites', '{"shop": {"secrets": {"A": 1}}, "x\\u0041": [2]}'],
      [1, 'list', '[{"no": 1}]'],
      [1, 'version', '1'],
    ]);
  });
});

describe('parseJsonSafely', () => {
  it("says where a broken document breaks from the scanner's walk: one JSON.parse, no error text read", () => {
    const parse = vi.spyOn(JSON, 'parse');
    try {
      expect(parseJsonSafely('{\n  "a": 1,,\n  "b": 2\n}')).toEqual({ ok: false, problem: 'is not valid JSON (line 2, column 10)' });
      expect(parseJsonSafely('{"a": [1, 2')).toEqual({ ok: false, problem: 'is not valid JSON (it ends too early)' });
      expect(parse).toHaveBeenCalledTimes(2);
    } finally {
      parse.mockRestore();
    }
  });
});

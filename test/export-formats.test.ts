import { execFileSync } from 'node:child_process';
import { parse as parseDotenv } from 'dotenv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EXPORT_FORMATS,
  formatDotenv,
  formatExport,
  formatGithubEnv,
  formatJson,
  formatShell,
  maskLines,
  parseExportFormat,
} from '../src/apply/export-formats.js';
import { UsageError } from '../src/errors.js';

// ------------------------------------------------------------------ generators

// Pieces that stress every format: all three quotes, escapes, comment and line-end
// characters, blanks the parsers trim, astral and accented text, shell and command syntax.
const PIECES = [
  `'`,
  '"',
  '`',
  '\\',
  '\n',
  '\r',
  '\r\n',
  '#',
  ' #',
  '$',
  `\${HOME}`,
  '=',
  ' ',
  '\t',
  '\\n',
  '\\r',
  '\u2028',
  '\u2029',
  '\u00a0',
  '\ufeff',
  'export ',
  '😀',
  'é',
  '%',
  '%0A',
  '::',
  'EOF',
];
const pieceArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PIECES) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 8 }) },
);
// Mostly the pieces above; sometimes only quotes, backslashes and line breaks, so values
// holding all three bare quote kinds (what .env cannot quote) come up often enough.
const valueArb = fc.oneof(
  { weight: 4, arbitrary: fc.array(pieceArb, { maxLength: 10 }).map((pieces) => pieces.join('')) },
  {
    weight: 1,
    arbitrary: fc.array(fc.constantFrom(`'`, '"', '`', '\\', '\n', '#', ' ', 'a'), { maxLength: 12 }).map((chars) => chars.join('')),
  },
);
// Environments and shells cannot carry NUL; those formats refuse it (tested separately).
const envValueArb = valueArb.map((value) => value.replaceAll('\0', ''));

// A prefix keeps generated names clear of shell specials (OPTIND, PPID, IFS, ...).
const nameArb = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/).map((name) => `V_${name}`);

function varsArb(value: fc.Arbitrary<string>, maxLength: number): fc.Arbitrary<Record<string, string>> {
  return fc
    .uniqueArray(fc.tuple(nameArb, value), { minLength: 1, maxLength, selector: ([name]) => name })
    .map((entries) => Object.fromEntries(entries));
}

function accepted(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch {
    return false;
  }
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** The refusal names the variable and carries nothing of the value. */
function expectRefusalWithoutValue(error: unknown, name: string, value: string): void {
  expect(error).toBeInstanceOf(UsageError);
  const usage = error as UsageError;
  expect(usage.exitCode).toBe(2);
  expect(usage.message).toContain(name);
  expect(usage.message).not.toContain(value);
  for (const line of usage.details) expect(line).not.toContain(value);
}

// ------------------------------------------------------------------ json

describe('formatJson', () => {
  it('writes sorted, indented JSON with a trailing newline', () => {
    expect(formatJson({ B: 'two', A: 'o"ne\n' })).toBe('{\n  "A": "o\\"ne\\n",\n  "B": "two"\n}\n');
    expect(formatJson({})).toBe('{}\n');
  });

  it('keeps a variable named __proto__', () => {
    expect(JSON.parse(formatJson(Object.fromEntries([['__proto__', 'x']])))).toEqual(Object.fromEntries([['__proto__', 'x']]));
  });

  it('round-trips every value, keys in sorted order', () => {
    fc.assert(
      fc.property(varsArb(valueArb, 12), (vars) => {
        const text = formatJson(vars);
        expect(text.endsWith('}\n')).toBe(true);
        const back = JSON.parse(text) as Record<string, string>;
        expect(back).toEqual(vars);
        expect(Object.keys(back)).toEqual(Object.keys(vars).sort());
      }),
      { numRuns: 500 },
    );
  });
});

// ------------------------------------------------------------------ dotenv

const BACKSLASH = '\\';

/** A quote of kind q that dotenv would end a quoted value on: not after a backslash. */
function bare(value: string, quote: string): boolean {
  for (let i = 0; i < value.length; i++) if (value[i] === quote && value[i - 1] !== BACKSLASH) return true;
  return false;
}

/**
 * The rule, stated independently of the formatter: CR is only writable as \r inside
 * "..."; a line break or # needs real quotes; "..." cannot hold a bare " or a literal
 * \n / \r; '...' and `...` cannot hold a bare quote of their kind.
 */
function dotenvCannotHold(value: string): boolean {
  const doubleQuotesFail = bare(value, '"') || /\\[nr]/.test(value);
  if (value.includes('\r')) return doubleQuotesFail;
  return /[\n#]/.test(value) && bare(value, `'`) && bare(value, '`') && doubleQuotesFail;
}

function expectDotenvReadsBack(text: string, vars: Record<string, string>): void {
  expect(parseDotenv(text)).toEqual(vars);
  // dotenv 17+ also has a hand-written scanner (`fast`); it must agree.
  expect(parseDotenv(text, { fast: true })).toEqual(vars);
}

describe('formatDotenv', () => {
  it('picks the simplest spelling that reads back', () => {
    expect(formatDotenv({ B: 'plain=$x', A: '' })).toBe('A=\nB=plain=$x\n');
    expect(formatDotenv({ A: ' padded ' })).toBe(`A=' padded '\n`);
    expect(formatDotenv({ A: `it's #1` })).toBe(`A="it's #1"\n`);
    expect(formatDotenv({ A: `it's "q"\nx` })).toBe('A=`it\'s "q"\nx`\n');
    // CR only exists as \r inside double quotes.
    expect(formatDotenv({ A: 'a\r\nb' })).toBe('A="a\\r\nb"\n');
    // All three quotes but one line: our outer pair is read as unquoted, then stripped.
    expect(formatDotenv({ A: ` 'a"b\`c ` })).toBe(`A=' 'a"b\`c '\n`);
    // U+2028 is a line end to dotenv's outer-quote strip, so this cannot stay unquoted.
    expect(formatDotenv({ A: "a\u2028'b'" })).toBe(`A="a\u2028'b'"\n`);
    for (const vars of [{ A: '' }, { A: ' padded ' }, { A: `it's #1` }, { A: 'a\r\nb' }, { A: ` 'a"b\`c ` }, { A: "a\u2028'b'" }]) {
      expectDotenvReadsBack(formatDotenv(vars), vars);
    }
  });

  it('guards a quoted value ending in a backslash, which would otherwise swallow the next line', () => {
    const vars = { A: 'C:\\dir #1\\', B: '#x' };
    const text = formatDotenv(vars);
    expect(text).toBe(`A='C:\\dir #1\\' # 'guard: the value ends with a backslash\nB='#x'\n`);
    expectDotenvReadsBack(text, vars);
    // Why the guard is there: without it dotenv reads A up to B's opening quote.
    expect(parseDotenv(text.replace(/ # 'guard.*/, ''))).not.toEqual(vars);
  });

  it('refuses values no quoting can hold, naming the variables and not the values', () => {
    const values = {
      THREE_QUOTES: `it's "a" \`b\`\nnext`,
      CR_AND_QUOTE: 'x\r"y',
      CR_AND_ESCAPE: 'C:\\new\r',
      // Each quote is followed by a U+2028 line end, so every quoted reading closes early.
      LINE_SEPARATORS: `'\u2028"\u2028\`\u2028`,
    };
    for (const [name, value] of Object.entries(values)) {
      expectRefusalWithoutValue(
        thrown(() => formatDotenv({ OK: 'fine', [name]: value })),
        name,
        value,
      );
    }
    const all = thrown(() => formatDotenv(values)) as UsageError;
    expect(all.message).toContain('CR_AND_ESCAPE, CR_AND_QUOTE, LINE_SEPARATORS, THREE_QUOTES');
    expect(all.message).toMatch(/json or shell/);
  });

  it('refuses the name __proto__, which dotenv drops', () => {
    expect(() => formatDotenv(Object.fromEntries([['__proto__', 'x']]))).toThrow(UsageError);
  });

  it('writes each value so dotenv reads it back, and refuses exactly what it cannot hold', () => {
    const runs = 3000;
    const seen = { accepted: 0, refusedCr: 0, refusedQuotes: 0, guarded: 0, allQuotesAccepted: 0 };
    fc.assert(
      fc.property(nameArb, valueArb, (name, value) => {
        const vars = { [name]: value };
        let text: string;
        try {
          text = formatDotenv(vars);
        } catch (error) {
          expectRefusalWithoutValue(error, name, value);
          // U+2028/U+2029 are line ends to dotenv; a few such single-line values are refused too.
          if (!/[\u2028\u2029]/.test(value)) expect(dotenvCannotHold(value)).toBe(true);
          if (value.includes('\r')) seen.refusedCr++;
          else seen.refusedQuotes++;
          return;
        }
        expect(dotenvCannotHold(value)).toBe(false);
        expectDotenvReadsBack(text, vars);
        seen.accepted++;
        if (text.includes(' # ')) seen.guarded++;
        if (bare(value, `'`) && bare(value, '"') && bare(value, '`')) seen.allQuotesAccepted++;
      }),
      { numRuns: runs },
    );
    // The property must not pass by refusing everything, nor by never meeting a hard case.
    expect(seen.accepted).toBeGreaterThan(runs * 0.7);
    expect(seen.refusedCr).toBeGreaterThan(0);
    expect(seen.refusedQuotes).toBeGreaterThan(0);
    expect(seen.guarded).toBeGreaterThan(0);
    expect(seen.allQuotesAccepted).toBeGreaterThan(0);
  });

  it('reads back whole documents, where one entry could run into the next', () => {
    fc.assert(
      fc.property(varsArb(valueArb, 12), (generated) => {
        const vars = Object.fromEntries(
          Object.entries(generated).filter(([name, value]) => accepted(() => formatDotenv({ [name]: value }))),
        );
        expectDotenvReadsBack(formatDotenv(vars), vars);
      }),
      { numRuns: 1000 },
    );
  });
});

// ------------------------------------------------------------------ shell

const shells = ['sh', 'bash'].filter((shell) => {
  try {
    execFileSync(shell, ['-c', 'true']);
    return true;
  } catch {
    return false;
  }
});

describe('formatShell', () => {
  it('single-quotes every value', () => {
    expect(formatShell({ B: `it's`, A: '' })).toBe(`export A=''\nexport B='it'\\''s'\n`);
  });

  it('refuses NUL, naming the variable', () => {
    expectRefusalWithoutValue(
      thrown(() => formatShell({ NUL_VALUE: 'a\0b' })),
      'NUL_VALUE',
      'a\0b',
    );
  });

  it.each(shells)('%s evaluates the output back to the exact bytes', (shell) => {
    fc.assert(
      fc.property(varsArb(envValueArb, 15), (vars) => {
        // One process per case: export everything, then print each value NUL-terminated.
        const names = Object.keys(vars);
        const script = `${formatShell(vars)}printf '%s\\0'${names.map((name) => ` "$${name}"`).join('')}\n`;
        const out = execFileSync(shell, ['-c', script]);
        const expected = Buffer.concat(names.map((name) => Buffer.from(`${vars[name]}\0`, 'utf8')));
        expect(out.equals(expected)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

// ------------------------------------------------------------------ github

/** $GITHUB_ENV as the runner reads it (FileCommandManager.cs, Linux line ends). */
function readGithubEnvFile(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  let index = 0;
  const readLine = (): string | null => {
    if (index >= text.length) return null;
    const lf = text.indexOf('\n', index);
    const end = lf < 0 ? text.length : lf;
    const line = text.slice(index, end);
    index = lf < 0 ? text.length : lf + 1;
    return line;
  };
  for (let line = readLine(); line !== null; line = readLine()) {
    if (line === '') continue;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      result[line.slice(0, equals)] = line.slice(equals + 1);
    } else if (heredoc > 0) {
      const delimiter = line.slice(heredoc + 2);
      const start = index;
      let end = index;
      for (let valueLine = readLine(); valueLine !== delimiter; valueLine = readLine()) {
        if (valueLine === null) throw new Error('matching delimiter not found');
        end = index - 1;
      }
      result[line.slice(0, heredoc)] = text.slice(start, end);
    } else {
      throw new Error('invalid line');
    }
  }
  return result;
}

/** The runner's UnescapeData, in its order. */
function unescapeCommandData(data: string): string {
  return data.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%');
}

/** Returns the given delimiters in turn, then numbered ones; records how often it ran. */
function delimiters(...first: string[]): { make: () => string; calls: () => number } {
  let calls = 0;
  return { make: () => first[calls++] ?? `ghadelimiter_${calls}`, calls: () => calls };
}

describe('formatGithubEnv', () => {
  it('masks each non-blank line and writes heredoc blocks', () => {
    const { masks, envFileText } = formatGithubEnv({ TOKEN: 'ab%c\r\nline2\n  \n', EMPTY: '' }, () => 'EOF');
    expect(masks).toBe('::add-mask::ab%25c\n::add-mask::line2\n');
    expect(envFileText).toBe('EMPTY<<EOF\n\nEOF\nTOKEN<<EOF\nab%c\r\nline2\n  \n\nEOF\n');
    expect(readGithubEnvFile(envFileText)).toEqual({ EMPTY: '', TOKEN: 'ab%c\r\nline2\n  \n' });
  });

  it('asks for another delimiter while the candidate occurs in the value', () => {
    const value = 'x\nEOF\ny';
    const source = delimiters('EOF', 'OF', 'SAFE');
    const { envFileText } = formatGithubEnv({ A: value }, source.make);
    expect(envFileText).toBe(`A<<SAFE\n${value}\nSAFE\n`);
    expect(source.calls()).toBe(3);
    expect(readGithubEnvFile(envFileText)).toEqual({ A: value });
  });

  it('rejects unusable delimiter generators without showing the value', () => {
    expect(() => formatGithubEnv({ A: 'v' }, () => '')).toThrow(/delimiter/);
    expect(() => formatGithubEnv({ A: 'v' }, () => 'a\nb')).toThrow(/line break/);
    const error = thrown(() => formatGithubEnv({ MY_TOKEN: 'secret-EOF' }, () => 'EOF')) as Error;
    expect(error.message).toContain('MY_TOKEN');
    expect(error.message).not.toContain('secret');
  });

  it('refuses NUL, naming the variable', () => {
    expectRefusalWithoutValue(
      thrown(() => formatGithubEnv({ NUL_VALUE: 'a\0b' }, () => 'D')),
      'NUL_VALUE',
      'a\0b',
    );
  });

  it('round-trips through the runner and masks every line', () => {
    let collisions = 0;
    fc.assert(
      fc.property(varsArb(envValueArb, 12), (vars) => {
        // 'EOF' is both a generated piece and the first candidate, so collisions happen.
        let calls = 0;
        const make = () => (calls++ % 2 === 0 ? 'EOF' : `ghadelimiter_${calls}`);
        const { masks, envFileText } = formatGithubEnv(vars, make);
        collisions += calls - Object.keys(vars).length;
        expect(readGithubEnvFile(envFileText)).toEqual(vars);

        // The runner splits stdout at CR too; a raw CR would cut a command in two.
        expect(masks).not.toContain('\r');
        const commands = masks === '' ? [] : masks.slice(0, -1).split('\n');
        const masked = new Set(
          commands.map((command) => {
            expect(command.startsWith('::add-mask::')).toBe(true);
            return unescapeCommandData(command.slice('::add-mask::'.length));
          }),
        );
        const lines = Object.values(vars).flatMap((value) => value.split(/\r\n|\r|\n/).filter((line) => line.trim() !== ''));
        expect(masked).toEqual(new Set(lines));
        expect(new Set(Object.values(vars).flatMap(maskLines))).toEqual(masked);
      }),
      { numRuns: 1000 },
    );
    expect(collisions).toBeGreaterThan(0);
  });
});

// ------------------------------------------------------------------ common

describe('names and dispatch', () => {
  it('every format refuses a name that is not a variable name', () => {
    for (const format of EXPORT_FORMATS) {
      expect(() => formatExport(format, { 'BAD-NAME': 'v' }, () => 'D')).toThrow(UsageError);
      expect(() => formatExport(format, { 'A=$(x)': 'v' }, () => 'D')).toThrow(/not a variable name/);
    }
  });

  it('routes each format and parses format names', () => {
    const vars = { A: 'x' };
    expect(formatExport('json', vars, () => 'D')).toEqual({ stdout: formatJson(vars), githubEnvText: null });
    expect(formatExport('dotenv', vars, () => 'D')).toEqual({ stdout: 'A=x\n', githubEnvText: null });
    expect(formatExport('shell', vars, () => 'D')).toEqual({ stdout: `export A='x'\n`, githubEnvText: null });
    expect(formatExport('github', vars, () => 'D')).toEqual({ stdout: '::add-mask::x\n', githubEnvText: 'A<<D\nx\nD\n' });
    expect(parseExportFormat('github')).toBe('github');
    expect(() => parseExportFormat('yaml')).toThrow(UsageError);
  });
});

// ------------------------------------------------------------------ messages

describe('what refusals say', () => {
  it('names the unknown format and lists the known ones', () => {
    expect((thrown(() => parseExportFormat('yaml')) as UsageError).message).toBe(
      "unknown export format 'yaml' (formats: dotenv, json, shell, github)",
    );
  });

  it('dotenv: one value or several, the rule in the details, the way out', () => {
    const one = thrown(() => formatDotenv({ OK: 'fine', BAD: 'x\r"y' })) as UsageError;
    expect(one.message).toBe('a .env file cannot hold the value of BAD exactly; use the json or shell format instead');
    expect(one.details).toHaveLength(1);
    expect(one.details[0]).toMatch(/^A \.env value with a line break or a number sign must sit inside one kind of quotes/);
    const two = thrown(() => formatDotenv({ BAD: 'x\r"y', WORSE: 'C:\\new\r' })) as UsageError;
    expect(two.message).toBe('a .env file cannot hold the values of BAD, WORSE exactly; use the json or shell format instead');
    expect((thrown(() => formatDotenv(Object.fromEntries([['__proto__', 'x']]))) as UsageError).message).toBe(
      'dotenv drops a variable named __proto__ when it reads the file; use the json or shell format instead',
    );
  });

  it('shell and github: NUL, naming every variable that holds one', () => {
    expect((thrown(() => formatShell({ A: 'a\0', B: 'ok', C: '\0' })) as UsageError).message).toBe(
      'a shell variable cannot hold a NUL character, found in A, C; use the json or dotenv format instead',
    );
    expect((thrown(() => formatGithubEnv({ A: 'a\0' }, () => 'D')) as UsageError).message).toBe(
      'an environment variable cannot hold a NUL character, found in A; use the json or dotenv format instead',
    );
  });

  it('a bad name is quoted as JSON, with the rule', () => {
    const error = thrown(() => formatJson({ 'BAD-NAME': 'v', OK: 'v', '1X': 'v' })) as UsageError;
    expect(error.message).toMatch(/^not a variable name: "1X", "BAD-NAME" \(names must match /);
  });
});

describe('formatGithubEnv details', () => {
  it('masks a line once however many values hold it', () => {
    expect(formatGithubEnv({ A: 'same', B: 'same\nother', C: 'other' }, () => 'D').masks).toBe('::add-mask::same\n::add-mask::other\n');
  });

  it('gives up after 100 delimiters that all occur in the value', () => {
    const source = delimiters(...Array<string>(200).fill('EOF'));
    expect(() => formatGithubEnv({ MY_TOKEN: 'xEOFx' }, source.make)).toThrow(
      'makeDelimiter kept returning delimiters that occur in the value of MY_TOKEN',
    );
    expect(source.calls()).toBe(100);
  });

  it('refuses an empty delimiter and one with a CR or LF', () => {
    for (const bad of ['', 'a\rb', 'a\nb']) {
      expect(() => formatGithubEnv({ A: 'v' }, () => bad)).toThrow('makeDelimiter returned an empty delimiter or one with a line break');
    }
  });

  it('masks only lines that are not blank, cut at CR, LF and CRLF', () => {
    expect(maskLines('a\rb\r\nc\nd \n \t\n\re')).toEqual(['a', 'b', 'c', 'd ', 'e']);
  });
});

describe('formatDotenv spellings, one case each', () => {
  it.each([
    ['a quote after the first character stays plain', `a'b'`, `A=a'b'`],
    ['a line (after U+2028) opening with a quote it does not close at its end stays plain', "x\u2028'a'b", "A=x\u2028'a'b"],
    ['a line (after U+2028) quoted whole is quoted', "x\u2028'ab'", `A="x\u2028'ab'"`],
    ['a line (after U+2028) quoted whole, with a blank inside, is quoted', "x\u2028'a b'", `A="x\u2028'a b'"`],
    ['a leading single quote', `'abc`, `A="'abc"`],
    ['a leading double quote', `"abc`, `A='"abc'`],
    ['a leading backtick', '`abc', `A='\`abc'`],
    ['an escaped single quote inside single quotes', `a #\\'x`, `A='a #\\'x'`],
    ['wrapped in single quotes, with a literal backslash-n', ` 'a"b\`c\\n `, `A=' 'a"b\`c\\n '`],
    ['wrapped in double quotes: the single quote ends its line (U+2028)', ` '\u2028"b\`c `, `A=" '\u2028"b\`c "`],
    ['wrapped in backticks: double quotes would expand a literal backslash-n', ` '\u2028"\\nb\`c `, `A=\` '\u2028"\\nb\`c \``],
    ['wrapped in single quotes: a line end later in the value does not count', ` 'x\u2028"b\`c `, `A=' 'x\u2028"b\`c '`],
    ['wrapped in double quotes: an escaped single quote, then one ending its line', ` \\'a'\u2028"b\`c `, `A=" \\'a'\u2028"b\`c "`],
  ])('%s', (_what, value, line) => {
    const text = formatDotenv({ A: value });
    expect(text).toBe(`${line}\n`);
    expectDotenvReadsBack(text, { A: value });
  });

  it('states the whole rule in a refusal', () => {
    expect((thrown(() => formatDotenv({ BAD: 'x\r"y' })) as UsageError).details).toEqual([
      'A .env value with a line break or a number sign must sit inside one kind of quotes with no unescaped quote of that kind, ' +
        'double quotes also turn a literal backslash-n or backslash-r into a line break, ' +
        'and a carriage return can only be written as backslash-r inside double quotes.',
    ]);
  });
});

// The leak sweep's pure parts: the byte search, the stream scanner (chunks cut anywhere,
// line numbers), what is looked for, and the ignore globs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { maskedFormsOf } from '../src/run/output-mask.js';
import { byteSearch, streamScanner } from '../src/sweep/byte-search.js';
import { credentialPairs, leakPatterns, SWEEP_MIN_LENGTH } from '../src/sweep/leak-values.js';
import { ignoredBy } from '../src/sweep/path-glob.js';

const bytes = (text: string) => Buffer.from(text);

/** Every start of every pattern in `text`, found the slow way. */
function naiveStarts(patterns: readonly string[], text: string): number[] {
  const starts = new Set<number>();
  for (const pattern of patterns) for (let i = text.indexOf(pattern); i !== -1; i = text.indexOf(pattern, i + 1)) starts.add(i);
  return [...starts].sort((a, b) => a - b);
}

function searched(patterns: readonly string[], text: string): number[] {
  const found: number[] = [];
  byteSearch(patterns.map(bytes)).search(bytes(text), (start) => found.push(start));
  return found;
}

/** The lines a scanner reports for `text` cut at `cuts`. */
function scannedLines(patterns: readonly string[], text: string, cuts: readonly number[]): number[] {
  const scanner = streamScanner(byteSearch(patterns.map(bytes)));
  const all = bytes(text);
  const points = [0, ...[...new Set(cuts)].filter((c) => c > 0 && c < all.length).sort((a, b) => a - b), all.length];
  for (let i = 1; i < points.length; i++) {
    // A reused buffer, as the file reader's: the scanner must not keep a view of it.
    const chunk = Buffer.from(all.subarray(points[i - 1], points[i]));
    scanner.push(chunk, i === points.length - 1);
    chunk.fill(0);
  }
  return [...scanner.lines];
}

const naiveLines = (patterns: readonly string[], text: string) => [
  ...new Set(naiveStarts(patterns, text).map((start) => text.slice(0, start).split('\n').length)),
];

describe('byteSearch', () => {
  it('finds each pattern wherever it is: start, middle, end, overlapping, next to each other', () => {
    const patterns = ['secret-one-1234', 'one-1234-and', 'zzzz'];
    const text = 'secret-one-1234 x secret-one-1234-and zzzzzzzz';
    expect(searched(patterns, text)).toEqual(naiveStarts(patterns, text));
    expect(searched(patterns, text).length).toBeGreaterThan(3);
  });

  it('finds nothing in text that only shares parts of the patterns', () => {
    expect(searched(['abcdefgh12345'], 'abcdefgh1234 bcdefgh12345 abcdefgh-12345')).toEqual([]);
  });

  it('matches bytes, not characters: non-ASCII and NUL bytes', () => {
    const pattern = 'pä\u0000ss\u00fcword';
    expect(searched([pattern], `x${pattern}y`)).toEqual([1]);
  });

  it('refuses patterns shorter than its block, and searches nothing without patterns', () => {
    expect(() => byteSearch([bytes('ab')])).toThrow(/at least 3/);
    expect(searched([], 'anything')).toEqual([]);
  });

  it('agrees with a naive search on random texts over a small alphabet (many near misses)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[ab\n]{3,12}$/), { minLength: 1, maxLength: 5 }),
        fc.stringMatching(/^[ab\n]{0,200}$/),
        (patterns, text) => {
          expect(searched(patterns, text)).toEqual(naiveStarts(patterns, text));
        },
      ),
    );
  });
});

describe('streamScanner', () => {
  const value = 'tok3n-5ecret-value';

  it('gives the line of each occurrence, each line once', () => {
    const text = `one\n${value}\nthree ${value} ${value}\nfour\n\n${value}`;
    expect(scannedLines([value], text, [])).toEqual([2, 3, 6]);
  });

  it('finds a value cut between two chunks at every byte, counting lines across chunks', () => {
    const text = `line one\nline two\nsome ${value} here\nlast`;
    for (let cut = 1; cut < text.length; cut++) expect(scannedLines([value], text, [cut]), `cut at ${cut}`).toEqual([3]);
  });

  it('agrees with a naive search for any text cut anywhere', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[xy\n]{3,9}$/), { minLength: 1, maxLength: 3 }),
        fc.stringMatching(/^[xy\n]{0,120}$/),
        fc.array(fc.nat(120), { maxLength: 8 }),
        (patterns, text, cuts) => {
          expect(scannedLines(patterns, text, cuts)).toEqual(naiveLines(patterns, text));
        },
      ),
    );
  });
});

describe('the forms of a value of letters, digits, _ . and - (the quick path)', () => {
  it('holds every form a program prints it in', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[\w.-]{1,40}$/), (text) => {
        const forms = new Set(maskedFormsOf(text));
        const bytesOf = Buffer.from(text);
        for (const printed of [
          text,
          JSON.stringify(text).slice(1, -1),
          encodeURIComponent(text),
          bytesOf.toString('base64'),
          bytesOf.toString('base64url'),
          bytesOf.toString('hex'),
          bytesOf.toString('hex').toUpperCase(),
        ]) {
          expect(forms.has(printed), printed).toBe(true);
        }
      }),
    );
  });
});

describe('what the sweep looks for', () => {
  it('every form the masker knows of each value, and of each line of a multi-line value', () => {
    const { patterns, tooShort } = leakPatterns(['p@ss/w0rd "quoted"', 'first-line-value\nsecond-line-value']);
    const looked = new Set(patterns.map((p) => p.toString()));
    for (const text of ['p@ss/w0rd "quoted"', 'first-line-value', 'second-line-value']) {
      for (const form of maskedFormsOf(text)) if (Buffer.byteLength(form) >= SWEEP_MIN_LENGTH) expect(looked.has(form), form).toBe(true);
    }
    expect(looked.has('p%40ss%2Fw0rd%20%22quoted%22')).toBe(true);
    expect(looked.has(Buffer.from('p@ss/w0rd "quoted"').toString('base64'))).toBe(true);
    expect(tooShort).toBe(0);
  });

  it(`leaves out values shorter than ${SWEEP_MIN_LENGTH} bytes, and counts them`, () => {
    const { patterns, tooShort } = leakPatterns(['short12', 'long-enough']);
    expect(patterns.some((p) => p.toString().includes('short12'))).toBe(false);
    expect(patterns.some((p) => p.toString() === 'long-enough')).toBe(true);
    expect(tooShort).toBe(1);
  });

  it('username:secret pairs for handed-out passwords and tokens, raw and URL-encoded, not for other entries', () => {
    const pairs = credentialPairs(
      [
        {
          'http-basic': {
            'repo.example.org': { username: 'dep@loy', password: 'p/w' },
            'other.example.org': { username: 'mine', password: 'not-a-secret' },
          },
          'forgejo-token': { 'git.example.org': { username: 'bot', token: 'forgejo-token-1' } },
        },
        undefined,
      ],
      ['p/w', 'forgejo-token-1'],
    );
    expect(pairs).toEqual(['dep@loy:p/w', 'dep%40loy:p%2Fw', 'bot:forgejo-token-1']);
  });
});

describe('--leak-check-ignore globs', () => {
  it.each([
    ['vendor/**/.env', 'vendor/a/b/.env', true],
    ['vendor/**/.env', 'vendor/.env', true],
    ['vendor/**/.env', 'vendor/a/.envrc', false],
    ['*.log', 'build.log', true],
    ['*.log', 'var/build.log', false],
    ['**/*.log', 'var/build.log', true],
    ['var/cache', 'var/cache', true],
    ['var/cache/', 'var/cache', true],
    ['./deploy.env', 'deploy.env', true],
    ['file?.txt', 'file1.txt', true],
    ['file?.txt', 'file/.txt', false],
    ['[!a]*.json', 'b.json', true],
    ['[!a]*.json', 'a.json', false],
    ['a.b', 'axb', false],
    ['web/**', 'web/x/y', true],
  ])('%s on %s: %s', (glob, file, expected) => {
    expect(ignoredBy([glob])(file)).toBe(expected);
  });

  it('refuses a glob with an unclosed [ without repeating it', () => {
    expect(() => ignoredBy(['secret-[abc'])).toThrow(UsageError);
    expect(() => ignoredBy(['secret-[abc'])).toThrow(/^--leak-check-ignore: a glob has a \[ without its \]$/);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FRAGMENT_LENGTH, MASK, MIN_MASKED_LENGTH, maskedFormsOf, outputMasker } from '../src/run/output-mask.js';

/** Everything a stream writes, pushing `chunks` (text or bytes) and then flushing. */
function streamed(values: readonly string[], chunks: ReadonlyArray<string | Uint8Array>): { writes: string[]; text: string } {
  const writes: string[] = [];
  const stream = outputMasker(values).stream((text) => writes.push(text));
  for (const chunk of chunks) stream.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  stream.flush();
  return { writes, text: writes.join('') };
}

/** The bytes of `text` cut at every one of `cuts` (byte offsets). */
function cutAt(text: string, cuts: readonly number[]): Buffer[] {
  const bytes = Buffer.from(text);
  const points = [0, ...[...cuts].sort((a, b) => a - b), bytes.length];
  return points.slice(1).map((end, i) => bytes.subarray(points[i], end));
}

describe('the forms of a value', () => {
  // Each expected form is what PHP 8.2 (or the named tool) printed for the value.
  const value = 'sk/live/pässwörd canary~(x)';
  const mask = (text: string) => outputMasker([value]).mask(text);

  it.each([
    ['as is', value],
    ['JSON.stringify, PHP json_encode with JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE', 'sk/live/pässwörd canary~(x)'],
    ['PHP json_encode', 'sk\\/live\\/p\\u00e4ssw\\u00f6rd canary~(x)'],
    ['PHP json_encode with JSON_UNESCAPED_UNICODE', 'sk\\/live\\/pässwörd canary~(x)'],
    ['PHP json_encode with JSON_UNESCAPED_SLASHES', 'sk/live/p\\u00e4ssw\\u00f6rd canary~(x)'],
    ['encodeURIComponent', 'sk%2Flive%2Fp%C3%A4ssw%C3%B6rd%20canary~(x)'],
    ['PHP rawurlencode', 'sk%2Flive%2Fp%C3%A4ssw%C3%B6rd%20canary~%28x%29'],
    ['PHP urlencode', 'sk%2Flive%2Fp%C3%A4ssw%C3%B6rd+canary%7E%28x%29'],
    ['encodeURIComponent, lowercase hex', 'sk%2flive%2fp%c3%a4ssw%c3%b6rd%20canary~(x)'],
    ['rawurlencode, lowercase hex', 'sk%2flive%2fp%c3%a4ssw%c3%b6rd%20canary~%28x%29'],
    ['urlencode, lowercase hex', 'sk%2flive%2fp%c3%a4ssw%c3%b6rd+canary%7e%28x%29'],
    ['PHP base64_encode', 'c2svbGl2ZS9ww6Rzc3fDtnJkIGNhbmFyeX4oeCk='],
    ['PHP bin2hex', '736b2f6c6976652f70c3a4737377c3b672642063616e6172797e287829'],
    ['strtoupper(bin2hex())', '736B2F6C6976652F70C3A4737377C3B672642063616E6172797E287829'],
  ])('masks the value %s', (_what, form) => {
    expect(mask(`before ${form} after`)).toBe(`before ${MASK} after`);
  });

  it.each([
    // A base64 character holds 6 bits, so the characters where the value meets its neighbours are theirs too.
    ['', '', 'Pz4/Pj8+fn5+fg==', MASK],
    ['', 'z', 'Pz4/Pj8+fn5+fno=', `${MASK}no=`],
    ['', 'zz', 'Pz4/Pj8+fn5+fnp6', `${MASK}np6`],
    ['a', '', 'YT8+Pz4/Pn5+fn4=', `YT${MASK}4=`],
    ['a', 'zz', 'YT8+Pz4/Pn5+fn56eg==', `YT${MASK}56eg==`],
    ['ab', '', 'YWI/Pj8+Pz5+fn5+', `YWI${MASK}`],
    ['ab', 'z', 'YWI/Pj8+Pz5+fn5+eg==', `YWI${MASK}eg==`],
    ['user:', 'zz', 'dXNlcjo/Pj8+Pz5+fn5+eno=', `dXNlcjo${MASK}eno=`],
  ])('masks base64 of the value inside base64 of %j + value + %j', (before, after, encoded, expected) => {
    const secret = '?>?>?>~~~~';
    expect(Buffer.from(`${before}${secret}${after}`).toString('base64')).toBe(encoded);
    expect(outputMasker([secret]).mask(`[${encoded}]`)).toBe(`[${expected}]`);
    const url = Buffer.from(`${before}${secret}${after}`).toString('base64url');
    expect(outputMasker([secret]).mask(`[${url}]`)).toBe(`[${expected.replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '')}]`);
  });

  it('masks base64 of a short value followed by more bytes', () => {
    // YWJjZA== alone; YWJjZFhZWg== with XYZ after it.
    expect(outputMasker(['abcd']).mask('YWJjZFhZWg==')).toBe(`${MASK}FhZWg==`);
  });

  it.each([
    ['PHP addslashes', `sk/live/it\\'s \\"q\\" \\\\x`],
    ['PHP var_export', `'sk/live/it\\'s "q" \\\\x'`],
    ['escapeshellarg, set -x', `'sk/live/it'\\''s "q" \\x'`],
  ])('masks the value %s', (_what, form) => {
    expect(outputMasker([`sk/live/it's "q" \\x`]).mask(`= ${form} =`)).toMatch(/^= '?\*\*\*'? =$/);
  });

  it('masks control characters percent-encoded with two hex digits', () => {
    expect(outputMasker(['tab\there-1234']).mask('[tab%09here-1234]')).toBe(`[${MASK}]`);
  });

  it('masks a NUL escaped by addslashes', () => {
    expect(outputMasker(['ab\0cdefg']).mask('[ab\\0cdefg]')).toBe(`[${MASK}]`);
  });

  it('lists each form once', () => {
    const forms = maskedFormsOf('abcd');
    expect(forms).toEqual([...new Set(forms)]);
    expect(forms).toEqual(['abcd', 'YWJjZA==', 'YWJjZA', 'YWJjZ', 'FiY2', 'hYmNk', '61626364']);
  });
});

describe('what is masked', () => {
  it('masks each line of a multi-line value on its own', () => {
    const mask = (text: string) => outputMasker(['line one\r\nline two\rline 3\nend!']).mask(text);
    expect(mask('got: line two\n')).toBe(`got: ${MASK}\n`);
    expect(mask('got: line 3\n')).toBe(`got: ${MASK}\n`);
    expect(mask('got: line one\n')).toBe(`got: ${MASK}\n`);
    expect(mask('got: end!\n')).toBe(`got: ${MASK}\n`);
  });

  it(`leaves values of fewer than ${MIN_MASKED_LENGTH} bytes alone, blanks and colour codes not counted (they would mask ordinary words)`, () => {
    expect(outputMasker(['abc', ' a b c ', '\u001b[1mxyz', 'é1']).mask('abc xyz é1')).toBe('abc xyz é1');
    expect(outputMasker(['abcd']).mask('abcd')).toBe(MASK);
    expect(outputMasker(['é12']).mask('[é12]')).toBe(`[${MASK}]`);
  });

  it('leaves output alone when there is nothing to mask', () => {
    expect(outputMasker([]).mask('any\ttext \u001b[1m\n')).toBe('any\ttext \u001b[1m\n');
  });

  it(`masks every stretch of ${FRAGMENT_LENGTH} bytes of a longer form, so a value printed in part is masked`, () => {
    const secret = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const mask = (text: string) => outputMasker([secret]).mask(text);
    expect(mask('head: ABCDEFGHIJKL.')).toBe(`head: ${MASK}.`);
    expect(mask('mid: HIJKLMNOPQRSTUV.')).toBe(`mid: ${MASK}.`);
    // Shorter stretches are ordinary text.
    expect(mask('short: ABCDEFGHIJK.')).toBe('short: ABCDEFGHIJK.');
    expect(mask('split: ABCDEFGHIJK|LMNOPQRSTUVWXYZ.')).toBe(`split: ABCDEFGHIJK|${MASK}.`);
  });

  it(`matches a form of ${FRAGMENT_LENGTH} bytes or fewer only whole`, () => {
    const mask = (text: string) => outputMasker(['ABCDEFGHIJKL', 'abcdefgh']).mask(text);
    expect(mask('ABCDEFGHIJK abcdefg ABCDEFGHIJKL, abcdefgh')).toBe(`ABCDEFGHIJK abcdefg ${MASK}, ${MASK}`);
  });

  it('masks the union of overlapping values, not what a left-to-right replace leaves', () => {
    const mask = (text: string) => outputMasker(['AAAAoverlapBBBB', 'BBBBsecondhalfCCCC']).mask(text);
    expect(mask('x AAAAoverlapBBBBsecondhalfCCCC y')).toBe(`x ${MASK} y`);
    expect(mask('x BBBBsecondhalfCCCC, AAAAoverlapBBBB y')).toBe(`x ${MASK}, ${MASK} y`);
    // Only blanks between two values: one stretch, as when a value is wrapped.
    expect(mask('x BBBBsecondhalfCCCC AAAAoverlapBBBB y')).toBe(`x ${MASK} y`);
  });

  it('masks the longest match at a place, not a shorter value it begins with', () => {
    expect(outputMasker(['abcd', 'abcdefghijkl']).mask('[abcdefghijkl]')).toBe(`[${MASK}]`);
    expect(outputMasker(['abcdefghijkl', 'abcd']).mask('[abcdefghijkl]')).toBe(`[${MASK}]`);
  });

  it('masks two values apart as two', () => {
    expect(outputMasker(['first-secret', 'second-secret']).mask('first-secret and second-secret.')).toBe(`${MASK} and ${MASK}.`);
  });

  it('keeps text around a value byte for byte, multibyte characters too', () => {
    expect(outputMasker(['pässwörd']).mask('äöü pässwörd ß\n')).toBe(`äöü ${MASK} ß\n`);
  });
});

describe('a value wrapped by composer', () => {
  const key = 'sk_live_0123456789abcdefghijklmnopqrstuvwxyz0123456789';
  const mask = (text: string) => outputMasker([key]).mask(text);

  // Captured from composer 2.5.5 `run-script` with a script that throws (80 columns, then COLUMNS=30 -v).
  it('masks a value split across the lines of the exception box', () => {
    const box = [
      '                                                                               ',
      `  request to https://example.org/api?api_key=${key.slice(0, 32)}  `,
      `  ${key.slice(32)}&x=1 failed                                            `,
      '',
    ].join('\n');
    expect(mask(box)).toBe(
      [
        '                                                                               ',
        `  request to https://example.org/api?api_key=${MASK}&x=1 failed                                            `,
        '',
      ].join('\n'),
    );
  });

  it('masks a value split into pieces shorter than a fragment, with colour codes (--ansi)', () => {
    const narrow = `  e.org/api?api_key=sk_live  \n  _0123456789abcdefghijklmn  \n  opqrstuvwxyz0123456789&x=  \n  1 failed  \n`;
    expect(mask(narrow)).toBe(`  e.org/api?api_key=${MASK}&x=  \n  1 failed  \n`);
    const ansi = `\u001b[37;41m  api_key=${key.slice(0, 5)}  \u001b[39;49m\n\u001b[37;41m  ${key.slice(5)}&x=1  \u001b[39;49m\n`;
    expect(mask(ansi)).toBe(`\u001b[37;41m  api_key=${MASK}&x=1  \u001b[39;49m\n`);
  });

  it.each([
    ['a tab', '\t'],
    ['a line feed', '\n'],
    ['a vertical tab', '\u000b'],
    ['a form feed', '\f'],
    ['a carriage return', '\r'],
    ['a space', ' '],
    ['a colour code', '\u001b[31m'],
    ['a colour code ending in @', '\u001b[@'],
    ['a colour code ending in ~', '\u001b[1~'],
    ['a colour code with a space and a ?', '\u001b[ ?h'],
  ])('sees through %s inside a value', (_what, between) => {
    expect(outputMasker(['abcdef']).mask(`<abc${between}def>`)).toBe(`<${MASK}>`);
  });

  it.each([
    ['a backspace', '\b'],
    ['a shift-out', '\u000e'],
    ['a lone escape', '\u001b'],
    ['an escape not starting a colour code', '\u001bx'],
    ['an escape and two letters', '\u001bZZ'],
    ['an escape and [ without a final byte', '\u001b[\u007f'],
    ['an escape and [ with a control byte', '\u001b[\u001f'],
    ['an escape and [ with a control byte, then a final byte', '\u001b[\u001fX'],
    ['an escape and [ with a byte past the finals', '\u001b[1\u007f'],
  ])('does not see through %s', (_what, between) => {
    expect(outputMasker(['abcdef']).mask(`<abc${between}def>`)).toBe(`<abc${between}def>`);
  });

  it('keeps an unfinished colour code at the very end', () => {
    expect(outputMasker(['abcdef']).mask('abcdef\u001b[3')).toBe(`${MASK}\u001b[3`);
  });
});

describe('masking a stream of bytes', () => {
  const value = 'sk/live/pässwörd canary~(x)';

  it('releases output that cannot begin a value at once, and holds what could', () => {
    const writes: string[] = [];
    const stream = outputMasker([value]).stream((text) => writes.push(text));
    stream.push(Buffer.from('Installing dependencies: done.\n'));
    expect(writes).toEqual(['Installing dependencies: done.\n']);
    stream.push(Buffer.from('x: sk/li'));
    expect(writes).toEqual(['Installing dependencies: done.\n', 'x: ']);
    stream.push(Buffer.from('ve/pässwörd canary~(x) done.\n'));
    stream.flush();
    expect(writes.join('')).toBe(`Installing dependencies: done.\nx: ${MASK} done.\n`);
  });

  it(`holds at most ${FRAGMENT_LENGTH - 1} bytes of a possible start`, () => {
    const writes: string[] = [];
    const stream = outputMasker(['ABCDEFGHIJKLMNOPQRSTUVWXYZ']).stream((text) => writes.push(text));
    stream.push(Buffer.from('>> ABCDEFGHIJK'));
    expect(writes).toEqual(['>> ']);
    stream.push(Buffer.from('xyz ABCDEFGHIJ'));
    expect(writes).toEqual(['>> ', 'ABCDEFGHIJKxyz ']);
    stream.flush();
    expect(writes).toEqual(['>> ', 'ABCDEFGHIJKxyz ', 'ABCDEFGHIJ']);
  });

  it('holds nothing when there is nothing to mask', () => {
    const writes: string[] = [];
    outputMasker([])
      .stream((text) => writes.push(text))
      .push(Buffer.from('some text here'));
    expect(writes).toEqual(['some text here']);
  });

  it('holds an ending that begins some form, not one that is only inside one', () => {
    // The forms of abcd: abcd, YWJjZA==, YWJjZA, 61626364, ...
    const writes: string[] = [];
    const stream = outputMasker(['abcd']).stream((text) => writes.push(text));
    stream.push(Buffer.from('xbc'));
    stream.push(Buffer.from('.ab'));
    expect(writes).toEqual(['xbc', '.']);
  });

  it(`decides an ending of ${FRAGMENT_LENGTH} bytes at once, even when it begins like a value`, () => {
    const writes: string[] = [];
    const stream = outputMasker(['ABCDEFGHIJKLMNOPQRSTUVWXYZ']).stream((text) => writes.push(text));
    stream.push(Buffer.from('ABCD########'));
    expect(writes).toEqual(['ABCD########']);
  });

  it('holds a masked stretch at the end until the next chunk shows whether it goes on', () => {
    const writes: string[] = [];
    const stream = outputMasker(['AAAAoverlapBBBB', 'BBBBsecondhalfCCCC']).stream((text) => writes.push(text));
    stream.push(Buffer.from('x AAAAoverlapBBBB'));
    expect(writes).toEqual(['x ']);
    stream.push(Buffer.from('secondhalfCCCC.\n'));
    stream.flush();
    expect(writes.join('')).toBe(`x ${MASK}.\n`);
  });

  it('writes nothing for a chunk it holds whole or a cut character, and nothing at the end when nothing is held', () => {
    const writes: string[] = [];
    const stream = outputMasker([value]).stream((text) => writes.push(text));
    stream.push(Buffer.from('sk/'));
    expect(writes).toEqual([]);
    stream.push(Buffer.from('. '));
    stream.push(Buffer.from([0xe2]));
    expect(writes).toEqual(['sk/. ']);
    stream.push(Buffer.from([0x82, 0xac]));
    stream.flush();
    stream.flush();
    expect(writes).toEqual(['sk/. ', '€']);
  });

  it('masks a value cut at any byte, inside a character too', () => {
    const text = `key: ${value}\n`;
    for (let cut = 1; cut < Buffer.byteLength(text); cut++) {
      expect(streamed([value], cutAt(text, [cut])).text, `cut at ${cut}`).toBe(`key: ${MASK}\n`);
    }
    expect(streamed([value], cutAt(text, [...Array(Buffer.byteLength(text)).keys()])).text).toBe(`key: ${MASK}\n`);
  });

  it('decodes a character cut between two chunks that is not part of a value', () => {
    expect(streamed([value], cutAt('ä ö ü\n', [1, 4, 6])).text).toBe('ä ö ü\n');
  });

  it('masks a value across the cut of a line longer than 64 KiB', () => {
    const long = 'x'.repeat(70_000);
    expect(streamed([value], [`${long} sk/live/pä`.slice(0, 70_010), `${long} sk/live/pässwörd canary~(x) y`.slice(70_010)]).text).toBe(
      `${long} ${MASK} y`,
    );
  });

  it('masks a value wrapped with colour codes cut inside a colour code', () => {
    const key = 'sk_live_0123456789abcdefghijklmnopqrstuvwxyz0123456789';
    const text = `\u001b[37;41m  api_key=${key.slice(0, 5)}  \u001b[39;49m\n\u001b[37;41m  ${key.slice(5)}&x=1\u001b[39;49m\n`;
    const bytes = Buffer.byteLength(text);
    for (let cut = 1; cut < bytes; cut++) {
      expect(streamed([key], cutAt(text, [cut])).text, `cut at ${cut}`).toBe(`\u001b[37;41m  api_key=${MASK}&x=1\u001b[39;49m\n`);
    }
  });

  it('masks what mask() masks however the output is cut, and leaves no form of a value', () => {
    const values = ['sk/live/pässwörd canary~(x)', 'AAAAoverlapBBBB', 'BBBBsecondhalfCCCC', 'tok€n-1234', 'abcd'];
    const piece = fc.oneof(
      fc.constantFrom(...values.flatMap(maskedFormsOf)),
      fc.constantFrom(' ', '\n', '  \n  ', '\u001b[31m', '\u001b[0m\n', 'ä', '€', '%', 'sk/', 'AAAA', 'abc'),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 6 }), (pieces, cuts) => {
        const text = pieces.join('');
        const size = Buffer.byteLength(text);
        const whole = outputMasker(values).mask(text);
        expect(
          streamed(
            values,
            cutAt(
              text,
              cuts.map((c) => c % (size + 1)),
            ),
          ).text,
        ).toBe(whole);
        for (const form of values.flatMap(maskedFormsOf))
          expect(whole.replace(/[\s]|\u001b\[[0-9;]*m/g, '').includes(form.replace(/\s/g, ''))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

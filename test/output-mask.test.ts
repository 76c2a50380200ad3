import { describe, expect, it } from 'vitest';
import { lineMaskingStream, MASK, maskedFormsOf, outputMasker } from '../src/run/output-mask.js';

describe('outputMasker', () => {
  const value = 'sk/live/pässwörd canary~(x)';
  const mask = outputMasker([value, 'line one\nline two', 'abc']);

  it.each([
    ['as is', value],
    ['JSON.stringify', JSON.stringify(value).slice(1, -1)],
    ["PHP json_encode (escaped '/' and \\u00e4)", 'sk\\/live\\/p\\u00e4ssw\\u00f6rd canary~(x)'],
    ['encodeURIComponent', encodeURIComponent(value)],
    ['PHP rawurlencode', 'sk%2Flive%2Fp%C3%A4ssw%C3%B6rd%20canary~%28x%29'],
    ['PHP urlencode', 'sk%2Flive%2Fp%C3%A4ssw%C3%B6rd+canary%7E%28x%29'],
  ])('masks the value %s', (_what, form) => {
    expect(mask(`before ${form} after`)).toBe(`before ${MASK} after`);
  });

  it('masks each line of a multi-line value on its own', () => {
    expect(mask('got: line two\n')).toBe(`got: ${MASK}\n`);
  });

  it('leaves values shorter than 4 characters alone (they would mask ordinary words)', () => {
    expect(maskedFormsOf('abc')).toEqual([]);
    expect(mask('abc')).toBe('abc');
  });

  it('sees a value split across chunks, releasing output line by line', () => {
    const out: string[] = [];
    const stream = lineMaskingStream(mask, (t) => out.push(t));
    stream.push('x: sk/live/pä');
    expect(out).toEqual([]);
    stream.push('sswörd canary~(x)\ntail');
    stream.flush();
    expect(out.join('')).toBe(`x: ${MASK}\ntail`);
  });
});

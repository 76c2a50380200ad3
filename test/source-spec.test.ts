import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { DEFAULT_SOURCE_SPEC } from '../src/sources/source.js';
import { parseSourceSpec } from '../src/sources/source-spec.js';

describe('parseSourceSpec', () => {
  it.each([
    ['store', { kind: 'store' }],
    [DEFAULT_SOURCE_SPEC, { kind: 'store' }],
    ['terminus', { kind: 'terminus' }],
    ['terminus-json:list.json', { kind: 'terminus-json', input: { kind: 'file', path: 'list.json' } }],
    ['terminus-json:-', { kind: 'terminus-json', input: { kind: 'stdin' } }],
    // Only the first colon separates: the rest is the path.
    ['sdk-json:C:/tmp/secrets.json', { kind: 'sdk-json', input: { kind: 'file', path: 'C:/tmp/secrets.json' } }],
    ['sdk-json:-', { kind: 'sdk-json', input: { kind: 'stdin' } }],
    ['pantheon', { kind: 'http-api', baseUrl: 'https://terminus.pantheon.io/customer-secrets/v1' }],
    ['https://secrets.example.com/customer-secrets/v1', { kind: 'http-api', baseUrl: 'https://secrets.example.com/customer-secrets/v1' }],
    ['http://127.0.0.1:8080', { kind: 'http-api', baseUrl: 'http://127.0.0.1:8080/' }],
    ['HTTP://localhost:8080/api/', { kind: 'http-api', baseUrl: 'http://localhost:8080/api/' }],
  ])('reads %s', (spec, expected) => {
    expect(parseSourceSpec(spec)).toEqual(expected);
  });

  it.each([
    // Never quoted: a value typed one position off would land here.
    ['stores', '--source: unknown source; use store, terminus, terminus-json:FILE'],
    ['', '--source: empty; use store'],
    ['Terminus', '--source: unknown source'],
    ['Pantheon', '--source: unknown source'],
    ['CANARY-token-value', '--source: unknown source'],
    ['terminus-json:', '--source terminus-json:: name the file after the colon'],
    ['sdk-json:', '--source sdk-json:: name the file after the colon'],
    ['http://secrets.example.com', '--source http://secrets.example.com: http:// is allowed only for'],
    ['ftp://127.0.0.1/', '--source ftp://127.0.0.1: only https:// URLs'],
  ])('refuses %j with a usage error naming the flag', (spec, message) => {
    let error: unknown;
    try {
      parseSourceSpec(spec);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).message.startsWith(message)).toBe(true);
  });

  it('shows no credentials from a URL', () => {
    expect(() => parseSourceSpec('https://me:CANARY-pass@example.com/v1')).toThrow(UsageError);
    try {
      parseSourceSpec('https://me:CANARY-pass@example.com/v1');
    } catch (e) {
      expect((e as UsageError).message).not.toContain('CANARY');
    }
  });
});

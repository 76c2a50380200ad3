// What `set` refuses in a value: only what a build of that type would refuse.
import { describe, expect, it } from 'vitest';
import { problemsWithValue } from '../src/plan/value-check.js';

describe('problemsWithValue', () => {
  it('checks an env COMPOSER_AUTH as an auth document, naming the secret', () => {
    expect(problemsWithValue('COMPOSER_AUTH', 'env', 'not json')).toEqual([
      "secret 'COMPOSER_AUTH': (top level): is not valid JSON (line 1, column 2)",
    ]);
    expect(problemsWithValue('COMPOSER_AUTH', 'env', '{"bearer": {"repo.example.org": "t"}}')).toEqual([]);
  });

  it('leaves a runtime secret named COMPOSER_AUTH alone: no build reads it', () => {
    expect(problemsWithValue('COMPOSER_AUTH', 'runtime', 'not json')).toEqual([]);
  });

  it('checks a composer value against its kind, and an env value for what a variable cannot carry', () => {
    expect(problemsWithValue('http-basic.repo.example.org', 'composer', 'no-password')).toHaveLength(1);
    expect(problemsWithValue('API_KEY', 'env', 'a\u0000b')).toHaveLength(1);
    expect(problemsWithValue('API_KEY', 'runtime', 'a\u0000b')).toEqual([]);
  });
});

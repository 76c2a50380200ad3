import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  type CredentialResult,
  credentialFromSecret,
  parseAuthJsonFile,
  parseComposerAuthDocument,
} from '../src/model/composer-credential.js';
import { AuthDocument, type ComposerCredential } from '../src/model/composer-kinds.js';
import { COMPOSER_AUTH_KINDS } from '../src/model/names.js';
import { authDocumentFromCredentials, hostsWithSeveralKinds, mergeAuthDocuments } from '../src/plan/auth-documents.js';
import { problemsWithValue } from '../src/plan/value-check.js';
import { parseJsonSafely } from '../src/validation/json-text.js';

// Every secret value in these tests carries CANARY, so one check catches any fragment leaking.
function expectNoLeak(...texts: readonly string[]): void {
  for (const text of texts) expect(text).not.toMatch(/canary/i);
}

function problemOf(result: CredentialResult): string {
  if (result.ok) throw new Error(`expected a problem, got an entry for ${result.kind}.${result.host}`);
  expectNoLeak(result.problem);
  return result.problem;
}

function okOf(result: CredentialResult): Extract<CredentialResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected an entry, got: ${result.problem}`);
  expectNoLeak(...result.warnings);
  return result;
}

function problemsOf(result: ReturnType<typeof parseComposerAuthDocument>): string[] {
  if (result.ok) throw new Error('expected problems, got a document');
  expectNoLeak(...result.problems);
  return result.problems;
}

describe('credentialFromSecret: text forms', () => {
  it('http-basic splits at the first space, so the password keeps its spaces', () => {
    const result = okOf(credentialFromSecret('http-basic.repo.example.org', 'user-CANARY pass word  CANARY'));
    expect(result).toEqual({
      ok: true,
      kind: 'http-basic',
      host: 'repo.example.org',
      entry: { username: 'user-CANARY', password: 'pass word  CANARY' },
      warnings: [],
    });
  });

  it('http-basic: a second space right after the first starts the password', () => {
    expect(okOf(credentialFromSecret('http-basic.repo.example.org:8443', 'u-CANARY  p-CANARY')).entry).toEqual({
      username: 'u-CANARY',
      password: ' p-CANARY',
    });
  });

  it('http-basic without a space, with an empty username or empty password is refused', () => {
    expect(problemOf(credentialFromSecret('http-basic.repo.example.org', 's3cr3t-CANARY-nospace'))).toBe(
      'secret \'http-basic.repo.example.org\': must be "<username> <password>", separated by a space, or JSON: an object {"username": "...", "password": "..."}; it holds no space',
    );
    expect(problemOf(credentialFromSecret('http-basic.repo.example.org', ' s3cr3t-CANARY'))).toBe(
      'secret \'http-basic.repo.example.org\': must be "<username> <password>"; it starts with a space, so the username is empty',
    );
    expect(problemOf(credentialFromSecret('http-basic.repo.example.org', 'user-CANARY '))).toBe(
      'secret \'http-basic.repo.example.org\': must be "<username> <password>"; nothing follows the space, so the password is empty',
    );
  });

  it('http-basic: a username with a colon is refused (basic auth splits on it)', () => {
    expect(problemOf(credentialFromSecret('http-basic.repo.example.org', 'us:er-CANARY pw-CANARY'))).toBe(
      "secret 'http-basic.repo.example.org': is not a valid http-basic value: username: must not contain ':' (HTTP basic authentication separates username and password with it)",
    );
  });

  it('token kinds take the token alone', () => {
    for (const kind of ['bearer', 'github-oauth', 'gitlab-oauth', 'gitlab-token'] as const) {
      expect(okOf(credentialFromSecret(`${kind}.git.example.com`, 'tok_CANARY_1'))).toEqual({
        ok: true,
        kind,
        host: 'git.example.com',
        entry: 'tok_CANARY_1',
        warnings: [],
      });
    }
  });

  it('token kinds refuse a space', () => {
    expect(problemOf(credentialFromSecret('bearer.repo.example.org', 'tok-CANARY extra-CANARY'))).toBe(
      "secret 'bearer.repo.example.org': must be the token alone; it holds a space or tab",
    );
    expect(problemOf(credentialFromSecret('github-oauth.github.com', 'ghp_CANARY more'))).toBe(
      "secret 'github-oauth.github.com': must be the token alone; it holds a space or tab",
    );
    expect(problemOf(credentialFromSecret('gitlab-oauth.gitlab.com', 'glpat\tCANARY'))).toBe(
      "secret 'gitlab-oauth.gitlab.com': must be the token alone; it holds a space or tab",
    );
  });

  it('a token stored with its quotes is refused', () => {
    expect(problemOf(credentialFromSecret('bearer.repo.example.org', '"tok-CANARY"'))).toBe(
      "secret 'bearer.repo.example.org': is wrapped in quotes; store the token without them",
    );
  });

  it('quotes inside a token, or at one end only, are part of it', () => {
    expect(okOf(credentialFromSecret('bearer.repo.example.org', 'a"tok-CANARY"')).entry).toBe('a"tok-CANARY"');
    expect(okOf(credentialFromSecret('bearer.repo.example.org', '"tok-CANARY"b')).entry).toBe('"tok-CANARY"b');
  });

  it('a value of spaces only is empty; a one-line kind starting with [ is text, not JSON', () => {
    expect(problemOf(credentialFromSecret('bearer.repo.example.org', '   '))).toBe(
      "secret 'bearer.repo.example.org': is empty; set it to the token alone",
    );
    expect(okOf(credentialFromSecret('bearer.repo.example.org', '[tok-CANARY')).entry).toBe('[tok-CANARY');
  });

  it('gitlab-token takes a token or "<username> <token>"', () => {
    expect(okOf(credentialFromSecret('gitlab-token.gitlab.example.com', 'user-CANARY glpat-CANARY')).entry).toEqual({
      username: 'user-CANARY',
      token: 'glpat-CANARY',
    });
    expect(problemOf(credentialFromSecret('gitlab-token.gitlab.example.com', 'a-CANARY b-CANARY c-CANARY'))).toBe(
      'secret \'gitlab-token.gitlab.example.com\': must be the token alone, or "<username> <token>": one part, or two separated by a single space',
    );
  });

  it('bitbucket-oauth takes "<consumer-key> <consumer-secret>"', () => {
    expect(okOf(credentialFromSecret('bitbucket-oauth.bitbucket.org', 'key-CANARY secret-CANARY'))).toEqual({
      ok: true,
      kind: 'bitbucket-oauth',
      host: 'bitbucket.org',
      entry: { 'consumer-key': 'key-CANARY', 'consumer-secret': 'secret-CANARY' },
      warnings: [],
    });
    const expected =
      'secret \'bitbucket-oauth.bitbucket.org\': must be "<consumer-key> <consumer-secret>": exactly two parts separated by a single space, or JSON: an object {"consumer-key": "...", "consumer-secret": "..."}';
    expect(problemOf(credentialFromSecret('bitbucket-oauth.bitbucket.org', 'key-CANARY'))).toBe(expected);
    expect(problemOf(credentialFromSecret('bitbucket-oauth.bitbucket.org', 'key-CANARY secret-CANARY x'))).toBe(expected);
    expect(problemOf(credentialFromSecret('bitbucket-oauth.bitbucket.org', 'key-CANARY  secret-CANARY'))).toBe(expected);
  });

  it('forgejo-token takes "<username> <token>"', () => {
    expect(okOf(credentialFromSecret('forgejo-token.codeberg.org', 'user-CANARY tok-CANARY')).entry).toEqual({
      username: 'user-CANARY',
      token: 'tok-CANARY',
    });
    expect(problemOf(credentialFromSecret('forgejo-token.codeberg.org', 'tok-CANARY'))).toBe(
      'secret \'forgejo-token.codeberg.org\': must be "<username> <token>": exactly two parts separated by a single space, or JSON: an object {"username": "...", "token": "..."}',
    );
  });

  it('custom-headers: one header per line, CRLF tolerated, blank lines ignored, lines trimmed', () => {
    const value = 'X-Api-Key: key-CANARY\r\n\r\n  Authorization: Token tok-CANARY  \r\n';
    expect(okOf(credentialFromSecret('custom-headers.repo.example.org', value))).toEqual({
      ok: true,
      kind: 'custom-headers',
      host: 'repo.example.org',
      entry: ['X-Api-Key: key-CANARY', 'Authorization: Token tok-CANARY'],
      warnings: [],
    });
  });

  it('custom-headers: lines that are not headers are named by number, not quoted', () => {
    const value = 'X-Api-Key: key-CANARY\n\nkey-CANARY-no-colon\nX-Empty:\n: CANARY-no-name';
    expect(problemOf(credentialFromSecret('custom-headers.repo.example.org', value))).toBe(
      'secret \'custom-headers.repo.example.org\': lines 3, 4, 5 do not look like "Name: value" (a header name, a colon, then a value); write one header per line',
    );
    expect(problemOf(credentialFromSecret('custom-headers.repo.example.org', 'X-A: 1\nBad Name: CANARY'))).toBe(
      'secret \'custom-headers.repo.example.org\': line 2 does not look like "Name: value" (a header name, a colon, then a value); write one header per line',
    );
    expect(problemOf(credentialFromSecret('custom-headers.repo.example.org', '\r\n \n'))).toBe(
      'secret \'custom-headers.repo.example.org\': holds no header; write one "Name: value" header per line',
    );
  });

  it('one trailing line ending is dropped; any other line break is refused', () => {
    expect(okOf(credentialFromSecret('bearer.repo.example.org', 'tok-CANARY\r\n')).entry).toBe('tok-CANARY');
    expect(okOf(credentialFromSecret('http-basic.repo.example.org', 'u-CANARY p-CANARY\n')).entry).toEqual({
      username: 'u-CANARY',
      password: 'p-CANARY',
    });
    expect(problemOf(credentialFromSecret('http-basic.repo.example.org', 'u-CANARY p-CANARY\nsecond-CANARY'))).toBe(
      'secret \'http-basic.repo.example.org\': holds a line break; http-basic takes one line: "<username> <password>"',
    );
  });

  it('an empty value is refused for every kind, saying what to write', () => {
    const expected: Record<string, string> = {
      'http-basic': 'is empty; set it to "<username> <password>"',
      bearer: 'is empty; set it to the token alone',
      'github-oauth': 'is empty; set it to the token alone',
      'gitlab-oauth': 'is empty; set it to the token alone',
      'gitlab-token': 'is empty; set it to the token alone, or "<username> <token>"',
      'bitbucket-oauth': 'is empty; set it to "<consumer-key> <consumer-secret>"',
      'forgejo-token': 'is empty; set it to "<username> <token>"',
      'custom-headers': 'holds no header; write one "Name: value" header per line',
    };
    for (const [kind, text] of Object.entries(expected)) {
      expect(problemOf(credentialFromSecret(`${kind}.example.org`, ''))).toBe(`secret '${kind}.example.org': ${text}`);
    }
  });
});

describe('credentialFromSecret: JSON forms', () => {
  it('http-basic as a JSON object', () => {
    const value = JSON.stringify({ username: 'u-CANARY', password: 'p w-CANARY' });
    expect(okOf(credentialFromSecret('http-basic.repo.example.org', value)).entry).toEqual({
      username: 'u-CANARY',
      password: 'p w-CANARY',
    });
  });

  it('leading whitespace before the brace still means JSON', () => {
    const value = `  \n${JSON.stringify({ 'consumer-key': 'k-CANARY', 'consumer-secret': 's-CANARY' })}\n`;
    expect(okOf(credentialFromSecret('bitbucket-oauth.bitbucket.org', value)).entry).toEqual({
      'consumer-key': 'k-CANARY',
      'consumer-secret': 's-CANARY',
    });
  });

  it('gitlab-oauth, gitlab-token, forgejo-token as JSON objects', () => {
    const oauth = { token: 'tok-CANARY', 'refresh-token': 'ref-CANARY', 'expires-at': 1767225600 };
    expect(okOf(credentialFromSecret('gitlab-oauth.gitlab.com', JSON.stringify(oauth))).entry).toEqual(oauth);
    const gitlabToken = { username: 'u-CANARY', token: 't-CANARY' };
    expect(okOf(credentialFromSecret('gitlab-token.gitlab.com', JSON.stringify(gitlabToken))).entry).toEqual(gitlabToken);
    const forgejo = { username: 'u-CANARY', token: 't-CANARY' };
    expect(okOf(credentialFromSecret('forgejo-token.codeberg.org', JSON.stringify(forgejo))).entry).toEqual(forgejo);
  });

  it('custom-headers as a JSON array', () => {
    const value = JSON.stringify(['X-Api-Key: k-CANARY', 'X-Other: o-CANARY']);
    expect(okOf(credentialFromSecret('custom-headers.repo.example.org', value)).entry).toEqual([
      'X-Api-Key: k-CANARY',
      'X-Other: o-CANARY',
    ]);
  });

  it('invalid JSON: where it breaks (as parseJsonSafely says), never what it holds', () => {
    // JSON.parse's own message would quote the text; the shared parseJsonSafely gives a position only.
    const cases = [
      [
        'http-basic.repo.example.org',
        '{"username": s3cr3t-CANARY}',
        'write "<username> <password>" or valid JSON of the form an object {"username": "...", "password": "..."}',
      ],
      [
        'custom-headers.repo.example.org',
        '["X-A: CANARY",]',
        'write one "Name: value" header per line or valid JSON of the form an array of "Name: value" header strings',
      ],
      [
        'forgejo-token.codeberg.org',
        '{"username": "u-CANARY", "token" "t-CANARY"}',
        'write "<username> <token>" or valid JSON of the form an object {"username": "...", "token": "..."}',
      ],
      ['bearer.api.example.org', '{"token": "t-CANARY"', 'write the token alone or valid JSON of the form the token (a string)'],
    ] as const;
    for (const [name, value, fix] of cases) {
      const json = parseJsonSafely(value);
      if (json.ok) throw new Error('test value must be invalid JSON');
      expect(json.problem).toMatch(/^is not valid JSON \(/);
      expect(problemOf(credentialFromSecret(name, value))).toBe(
        `secret '${name}': starts with '${value[0]}', so it is read as JSON, but it ${json.problem}; ${fix}`,
      );
    }
  });

  it('JSON of the wrong shape names the field and the fix', () => {
    expect(problemOf(credentialFromSecret('http-basic.repo.example.org', '{"username": "u-CANARY"}'))).toBe(
      "secret 'http-basic.repo.example.org': its JSON value is not a valid http-basic entry: password: is required (string)",
    );
    expect(problemOf(credentialFromSecret('http-basic.repo.example.org', '{"username": "u-CANARY", "password": 12345}'))).toBe(
      "secret 'http-basic.repo.example.org': its JSON value is not a valid http-basic entry: password: must be a string",
    );
    expect(problemOf(credentialFromSecret('bearer.repo.example.org', '{"token": "t-CANARY"}'))).toBe(
      "secret 'bearer.repo.example.org': its JSON value is not a valid bearer entry: must be the token (a string)",
    );
    expect(problemOf(credentialFromSecret('custom-headers.repo.example.org', '{"X-A": "CANARY"}'))).toBe(
      'secret \'custom-headers.repo.example.org\': its JSON value is not a valid custom-headers entry: must be an array of "Name: value" header strings',
    );
    expect(problemOf(credentialFromSecret('custom-headers.repo.example.org', '["X-A: ok-CANARY", "no-colon-CANARY"]'))).toBe(
      'secret \'custom-headers.repo.example.org\': its JSON value is not a valid custom-headers entry: [1]: must look like "Name: value" (a header name, a colon, then a value on the same line)',
    );
    expect(problemOf(credentialFromSecret('gitlab-oauth.gitlab.com', '{"token": "t-CANARY", "expires-at": "soon-CANARY"}'))).toBe(
      "secret 'gitlab-oauth.gitlab.com': its JSON value is not a valid gitlab-oauth entry: expires-at: must be a number",
    );
  });

  it('unknown fields are refused without quoting their names', () => {
    const value = JSON.stringify({ username: 'u-CANARY', pasword: 'p-CANARY', 'k-CANARY': 1 });
    expect(problemOf(credentialFromSecret('http-basic.repo.example.org', value))).toBe(
      "secret 'http-basic.repo.example.org': its JSON value is not a valid http-basic entry: password: is required (string); has 2 unknown keys (did you mean 'password'?); allowed: username, password",
    );
  });
});

describe('credentialFromSecret: names, client-certificate, github tokens', () => {
  it('refuses client-certificate without looking at the value', () => {
    expect(problemOf(credentialFromSecret('client-certificate.repo.example.org', '{"local_cert": "/CANARY.pem"}'))).toBe(
      "secret 'client-certificate.repo.example.org': client-certificate points at files on disk (local_cert, local_pk); not supported from a secret, since a build has no such files. Keep that entry in an auth.json you manage, or use http-basic, bearer or custom-headers for this host",
    );
  });

  it('refuses names that are not <kind>.<host>', () => {
    expect(problemOf(credentialFromSecret('http_basic.repo.example.org', 'u-CANARY p-CANARY'))).toBe(
      "secret 'http_basic.repo.example.org': the part before the first '.' is not a Composer auth kind (kinds: http-basic, bearer, github-oauth, gitlab-oauth, gitlab-token, bitbucket-oauth, forgejo-token, custom-headers, client-certificate)",
    );
    expect(problemOf(credentialFromSecret('bearer.repo.example.org:99999', 'tok-CANARY'))).toBe(
      "secret 'bearer.repo.example.org:99999': the part after 'bearer.' is not a host Composer can match (a host name or IP, optionally :port)",
    );
  });

  it('github-oauth: a plain token has no warning', () => {
    expect(okOf(credentialFromSecret('github-oauth.github.com', 'ghp_CANARY.0123456789')).warnings).toEqual([]);
  });

  it("github-oauth, version not known: a '-' is accepted with a warning about Composer before 2.9.8", () => {
    const result = okOf(credentialFromSecret('github-oauth.github.com', 'github_pat-CANARY-1'));
    expect(result.entry).toBe('github_pat-CANARY-1');
    expect(result.warnings).toEqual([
      "secret 'github-oauth.github.com': the token holds '-': Composer 2.9.8 and later accept it, but Composer before 2.9.8 (upstream 2.5.5 to 2.9.7) rejects it and prints the token in its error; name the Composer with --composer-version, or use a token without '-'",
    ]);
  });

  it('github-oauth, version not known: characters Composer before 2.10 refuses are an error', () => {
    const expected =
      "secret 'github-oauth.github.com': the token holds characters Composer before 2.10 refuses in a github-oauth token (allowed: letters, digits, '.', '_', and since 2.9.8 '-'; 2.10 accepts any); name the Composer with --composer-version";
    expect(problemOf(credentialFromSecret('github-oauth.github.com', 'ghp/CANARY+x='))).toBe(expected);
    expect(problemOf(credentialFromSecret('github-oauth.github.com', 'ghp_CANARY\u00e9'))).toBe(expected);
  });
});

describe('parseComposerAuthDocument', () => {
  const full = {
    'http-basic': { 'repo.example.org': { username: 'u-CANARY', password: 'p w-CANARY' } },
    bearer: { 'api.example.org': 'bearer-CANARY' },
    'github-oauth': { 'github.com': 'ghp_CANARY' },
    'gitlab-oauth': { 'gitlab.com': { token: 'gl-CANARY', 'expires-at': 1767225600 } },
    'gitlab-token': { 'gitlab.example.com': 'glpat_CANARY', 'gitlab2.example.com:8443': { username: 'u-CANARY', token: 't-CANARY' } },
    'bitbucket-oauth': { 'bitbucket.org': { 'consumer-key': 'k-CANARY', 'consumer-secret': 's-CANARY' } },
    'forgejo-token': { 'codeberg.org': { username: 'u-CANARY', token: 't-CANARY' } },
    'custom-headers': { '127.0.0.1:8765': ['X-Api-Key: k-CANARY'] },
  };

  it('accepts a document with every kind a secret may hold', () => {
    expect(parseComposerAuthDocument(JSON.stringify(full))).toEqual({ ok: true, document: full, warnings: [] });
  });

  it('names the JSON path of a missing field', () => {
    const text = JSON.stringify({ 'http-basic': { 'repo.example.org': { username: 'u-CANARY' } } });
    expect(problemsOf(parseComposerAuthDocument(text))).toEqual(['http-basic.repo.example.org.password: is required (string)']);
  });

  it('reports every problem, each with its path', () => {
    const text = JSON.stringify({
      'http-basic': { 'a.example.org': { username: 'u-CANARY', password: '' }, 'b.example.org': 'p-CANARY' },
      bearer: { 'api.example.org': 'two words-CANARY' },
      'gitlab-oauth': { 'gitlab.com': 42, 'gitlab2.com': { token: 't-CANARY', 'expires-at': -1 } },
      'custom-headers': { 'repo.example.org': [] },
      'forgejo-token': ['CANARY'],
    });
    expect(problemsOf(parseComposerAuthDocument(text))).toEqual([
      'http-basic.a.example.org.password: must not be empty',
      'http-basic.b.example.org: must be an object {"username": "...", "password": "..."}',
      'bearer.api.example.org: must not contain spaces, line breaks or control characters',
      'gitlab-oauth.gitlab.com: must be the token (a string) or an object {"token": "...", "refresh-token"?: "...", "expires-at"?: <unix time>}',
      'gitlab-oauth.gitlab2.com.expires-at: must be at least 0',
      'custom-headers.repo.example.org: must have at least 1 item(s)',
      'forgejo-token: must be an object mapping hosts to entries, each an object {"username": "...", "token": "..."}',
    ]);
  });

  it('refuses unknown kinds without quoting the key, suggesting the near kind', () => {
    const text = JSON.stringify({
      http_basic: { 'repo.example.org': { username: 'u', password: 'p' } },
      'tok-CANARY-as-key': 'x',
      'http-basic.repo.example.org': { username: 'u', password: 'p' },
    });
    expect(problemsOf(parseComposerAuthDocument(text))).toEqual([
      "(top level): the 1st key is not a Composer auth kind (did you mean 'http-basic'?); allowed: http-basic, bearer, github-oauth, gitlab-oauth, gitlab-token, bitbucket-oauth, forgejo-token, custom-headers, client-certificate",
      '(top level): the 2nd key is not a Composer auth kind; allowed: http-basic, bearer, github-oauth, gitlab-oauth, gitlab-token, bitbucket-oauth, forgejo-token, custom-headers, client-certificate',
      '(top level): the 3rd key starts with \'http-basic.\': nest the host inside the kind, {"http-basic": {"<host>": ...}}; allowed: http-basic, bearer, github-oauth, gitlab-oauth, gitlab-token, bitbucket-oauth, forgejo-token, custom-headers, client-certificate',
    ]);
  });

  it('refuses host keys Composer cannot match without quoting them (a swapped map puts a token there)', () => {
    const text = JSON.stringify({
      'github-oauth': { 'github.com': 'ghp_ok', 'ghp_CANARY/x': 'github.com', 'https://repo.example.org/': 'CANARY' },
    });
    expect(problemsOf(parseComposerAuthDocument(text))).toEqual([
      'github-oauth: the 2nd key is not a host Composer can match (a host name or IP, optionally :port; no scheme, path or credentials)',
      'github-oauth: the 3rd key is not a host Composer can match (a host name or IP, optionally :port; no scheme, path or credentials)',
    ]);
  });

  it('shows a dotless host by position (it may be a token in the wrong place), a dotted one by name', () => {
    const text = JSON.stringify({
      'gitlab-token': { 'glpat-CANARY-1': { username: 'u' }, localhost: { username: 'u' }, 'satis:8080': 42, 'gitlab.com': { token: 't' } },
    });
    expect(problemsOf(parseComposerAuthDocument(text))).toEqual([
      'gitlab-token.(1st host).token: is required (string)',
      'gitlab-token.localhost.token: is required (string)',
      'gitlab-token.satis:8080: must be the token (a string) or an object {"username": "...", "token": "..."}',
      'gitlab-token.gitlab.com.username: is required (string)',
    ]);
  });

  it('refuses unknown entry fields and client-certificate', () => {
    const text = JSON.stringify({
      'forgejo-token': { 'codeberg.org': { username: 'u-CANARY', token: 't-CANARY', 'CANARY-extra': 'x' } },
      'client-certificate': { 'repo.example.org': { local_cert: '/CANARY.pem' } },
    });
    expect(problemsOf(parseComposerAuthDocument(text))).toEqual([
      'forgejo-token.codeberg.org: has an unknown key; allowed: username, token',
      'client-certificate: client-certificate points at files on disk (local_cert, local_pk); not supported from a secret, since a build has no such files. Keep that entry in an auth.json you manage, or use http-basic, bearer or custom-headers for this host',
    ]);
  });

  it('checks github-oauth tokens: warning for "-", error for other characters', () => {
    const warned = parseComposerAuthDocument(JSON.stringify({ 'github-oauth': { 'github.com': 'ghp-CANARY' } }));
    expect(warned).toEqual({
      ok: true,
      document: { 'github-oauth': { 'github.com': 'ghp-CANARY' } },
      warnings: [
        "github-oauth.github.com: the token holds '-': Composer 2.9.8 and later accept it, but Composer before 2.9.8 (upstream 2.5.5 to 2.9.7) rejects it and prints the token in its error; name the Composer with --composer-version, or use a token without '-'",
      ],
    });
    expect(problemsOf(parseComposerAuthDocument(JSON.stringify({ 'github-oauth': { 'github.com': 'ghp+CANARY' } })))).toEqual([
      "github-oauth.github.com: the token holds characters Composer before 2.10 refuses in a github-oauth token (allowed: letters, digits, '.', '_', and since 2.9.8 '-'; 2.10 accepts any); name the Composer with --composer-version",
    ]);
  });

  it('invalid JSON and non-objects are refused without quoting the text', () => {
    for (const text of [
      '{"bearer": {"h.example.org": CANARY}}',
      '{"bearer": {"h.example.org": "CANARY"},}',
      '{"bearer": {"h.example.org": "CANARY"',
    ]) {
      const json = parseJsonSafely(text);
      if (json.ok) throw new Error('test value must be invalid JSON');
      expect(json.problem).toMatch(/^is not valid JSON \(/);
      expect(problemsOf(parseComposerAuthDocument(text))).toEqual([`(top level): ${json.problem}`]);
    }
    expect(problemsOf(parseComposerAuthDocument(''))).toEqual(['(top level): is empty, not a JSON document']);
    const notObject =
      '(top level): must be a JSON object whose keys are auth kinds (http-basic, bearer, github-oauth, gitlab-oauth, gitlab-token, bitbucket-oauth, forgejo-token, custom-headers, client-certificate)';
    expect(problemsOf(parseComposerAuthDocument('["CANARY"]'))).toEqual([notObject]);
    expect(problemsOf(parseComposerAuthDocument('"CANARY"'))).toEqual([notObject]);
    expect(problemsOf(parseComposerAuthDocument('null'))).toEqual([notObject]);
  });

  it('accepts an empty document', () => {
    expect(parseComposerAuthDocument('{}')).toEqual({ ok: true, document: {}, warnings: [] });
  });
});

describe('parseAuthJsonFile (an existing auth.json)', () => {
  it('keeps unknown top-level keys, unknown entry fields and client-certificate', () => {
    const file = {
      'http-basic': { 'repo.example.org': { username: 'u', password: 'p', note: 'kept' } },
      'client-certificate': { 'repo.example.org': { local_cert: '/etc/cert.pem', passphrase: 'x' } },
      'future-kind': { 'x.example.org': { anything: true } },
      'github-oauth': { 'github.com': 'ghp+notjudged' },
    };
    expect(parseAuthJsonFile(JSON.stringify(file))).toEqual({ ok: true, document: file, warnings: [] });
  });

  it('still reports wrongly shaped entries of known kinds', () => {
    const text = JSON.stringify({ 'bitbucket-oauth': { 'bitbucket.org': { 'consumer-key': 'k-CANARY' } } });
    expect(problemsOf(parseAuthJsonFile(text))).toEqual(['bitbucket-oauth.bitbucket.org.consumer-secret: is required (string)']);
  });

  it('the AuthDocument schema itself is loose at the top level', () => {
    expect(AuthDocument.parse({ bearer: { 'a.example.org': 't' }, extra: 1 })).toEqual({ bearer: { 'a.example.org': 't' }, extra: 1 });
    expect(AuthDocument.safeParse({ bearer: { 'not a host': 't' } }).success).toBe(false);
  });

  it('checks a document in one walk: the whole-document schema is not run after it', () => {
    const check = vi.spyOn(AuthDocument, 'safeParse');
    try {
      const text = JSON.stringify({
        'http-basic': { 'repo.example.org': { username: 'u', password: 'p' } },
        bearer: { 'api.example.org': 't' },
      });
      expect(parseAuthJsonFile(text).ok).toBe(true);
      expect(parseComposerAuthDocument(text).ok).toBe(true);
      expect(check).not.toHaveBeenCalled();
    } finally {
      check.mockRestore();
    }
  });
});

describe('authDocumentFromCredentials', () => {
  it('groups credentials by kind in Composer order; a repeated (kind, host) keeps the later one', () => {
    const credentials: ComposerCredential[] = [
      { kind: 'custom-headers', host: 'h.example.org', entry: ['X-A: 1'] },
      { kind: 'http-basic', host: 'repo.example.org', entry: { username: 'u', password: 'old' } },
      { kind: 'bearer', host: 'api.example.org', entry: 'tok' },
      { kind: 'http-basic', host: 'other.example.org', entry: { username: 'u2', password: 'p2' } },
      { kind: 'http-basic', host: 'repo.example.org', entry: { username: 'u', password: 'new' } },
    ];
    const document = authDocumentFromCredentials(credentials);
    expect(document).toEqual({
      'http-basic': { 'repo.example.org': { username: 'u', password: 'new' }, 'other.example.org': { username: 'u2', password: 'p2' } },
      bearer: { 'api.example.org': 'tok' },
      'custom-headers': { 'h.example.org': ['X-A: 1'] },
    });
    expect(Object.keys(document)).toEqual(['http-basic', 'bearer', 'custom-headers']);
  });

  it('round-trips credentials parsed from secrets', () => {
    const parsed = [
      credentialFromSecret('http-basic.repo.example.org', 'u p q'),
      credentialFromSecret('gitlab-token.gitlab.com', 'u t'),
    ].map(okOf);
    expect(authDocumentFromCredentials(parsed)).toEqual({
      'http-basic': { 'repo.example.org': { username: 'u', password: 'p q' } },
      'gitlab-token': { 'gitlab.com': { username: 'u', token: 't' } },
    });
  });
});

describe('mergeAuthDocuments', () => {
  it('overlay wins per host within a kind; other hosts and unknown keys stay', () => {
    const base: AuthDocument = {
      'http-basic': {
        'a.example.org': { username: 'ua', password: 'base' },
        'b.example.org': { username: 'ub', password: 'base' },
      },
      'custom-headers': { 'h1.example.org': ['X-A: base', 'X-B: base'], 'h2.example.org': ['X-C: base'] },
      bearer: { 'keep.example.org': 'base' },
      'future-kind': { 'f.example.org': 'base' },
    };
    const overlay: AuthDocument = {
      'http-basic': { 'b.example.org': { username: 'ub', password: 'overlay' }, 'c.example.org': { username: 'uc', password: 'overlay' } },
      'custom-headers': { 'h1.example.org': ['X-Z: overlay'] },
      'github-oauth': { 'github.com': 'overlay' },
    };
    const baseCopy = structuredClone(base);
    const overlayCopy = structuredClone(overlay);
    const { document, replaced } = mergeAuthDocuments(base, overlay);
    expect(document).toEqual({
      'http-basic': {
        'a.example.org': { username: 'ua', password: 'base' },
        'b.example.org': { username: 'ub', password: 'overlay' },
        'c.example.org': { username: 'uc', password: 'overlay' },
      },
      'custom-headers': { 'h1.example.org': ['X-Z: overlay'], 'h2.example.org': ['X-C: base'] },
      bearer: { 'keep.example.org': 'base' },
      'future-kind': { 'f.example.org': 'base' },
      'github-oauth': { 'github.com': 'overlay' },
    });
    expect(replaced).toEqual([
      { kind: 'http-basic', host: 'b.example.org' },
      { kind: 'custom-headers', host: 'h1.example.org' },
    ]);
    // Pure: inputs untouched, output shares nothing with them.
    expect(base).toEqual(baseCopy);
    expect(overlay).toEqual(overlayCopy);
    (document['http-basic']?.['a.example.org'] as { password: string }).password = 'changed';
    expect(base['http-basic']?.['a.example.org']?.password).toBe('base');
  });

  it('reports a replaced pair even when the values are equal, and nothing for new pairs', () => {
    const same: AuthDocument = { bearer: { 'a.example.org': 't' } };
    expect(mergeAuthDocuments(same, same).replaced).toEqual([{ kind: 'bearer', host: 'a.example.org' }]);
    expect(mergeAuthDocuments({}, same)).toEqual({ document: same, replaced: [] });
    expect(mergeAuthDocuments(same, {})).toEqual({ document: same, replaced: [] });
  });

  it('an unknown key in both: the overlay value replaces the base value whole', () => {
    const { document, replaced } = mergeAuthDocuments({ extra: { a: 1, b: 2 } }, { extra: { a: 3 } });
    expect(document).toEqual({ extra: { a: 3 } });
    expect(replaced).toEqual([]);
  });

  it('keeps the same host under another kind (hostsWithSeveralKinds reports it)', () => {
    const { document, replaced } = mergeAuthDocuments(
      { 'http-basic': { 'repo.example.org': { username: 'u', password: 'p' } } },
      { bearer: { 'repo.example.org': 't' } },
    );
    expect(replaced).toEqual([]);
    expect(hostsWithSeveralKinds(document)).toEqual([{ host: 'repo.example.org', kinds: ['http-basic', 'bearer'] }]);
  });
});

describe('hostsWithSeveralKinds', () => {
  it('lists each host named by more than one kind, kinds in Composer order', () => {
    const document: AuthDocument = {
      'custom-headers': { 'repo.example.org': ['X-A: 1'] },
      'http-basic': { 'repo.example.org': { username: 'u', password: 'p' }, 'solo.example.org': { username: 'u', password: 'p' } },
      'gitlab-token': { 'gitlab.example.com': 't' },
      'gitlab-oauth': { 'gitlab.example.com': 't' },
      bearer: { 'repo.example.org': 't' },
    };
    expect(hostsWithSeveralKinds(document)).toEqual([
      { host: 'repo.example.org', kinds: ['http-basic', 'bearer', 'custom-headers'] },
      { host: 'gitlab.example.com', kinds: ['gitlab-oauth', 'gitlab-token'] },
    ]);
  });

  it('finds nothing when hosts are distinct, compares hosts exactly, ignores unknown keys', () => {
    const document: AuthDocument = {
      bearer: { 'repo.example.org': 't' },
      'github-oauth': { 'repo.example.org:8443': 't' },
      'gitlab-oauth': { 'Repo.example.org': 't' },
      'future-kind': { 'repo.example.org': 'x' },
    };
    expect(hostsWithSeveralKinds(document)).toEqual([]);
  });

  it('covers every kind', () => {
    const document = Object.fromEntries(
      COMPOSER_AUTH_KINDS.map((kind) => [kind, { 'one.example.org': kind === 'custom-headers' ? ['X-A: 1'] : 't' }]),
    ) as AuthDocument;
    expect(hostsWithSeveralKinds(document)).toEqual([{ host: 'one.example.org', kinds: [...COMPOSER_AUTH_KINDS] }]);
  });
});

describe('no message carries a value (properties)', () => {
  // Any text with CANARY somewhere in it; the messages must never show it, whatever surrounds it.
  const canaryText = fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })).map(([a, b]) => `${a}CANARY${b}`);

  it('credentialFromSecret, every kind, text and JSON-looking values', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...COMPOSER_AUTH_KINDS),
        canaryText,
        fc.constantFrom('', '{', '[', ' ', '\n', 'user ', '{"username": "'),
        (kind, text, lead) => {
          const result = credentialFromSecret(`${kind}.repo.example.org`, lead + text);
          expectNoLeak(...(result.ok ? result.warnings : [result.problem]));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('parseComposerAuthDocument, with values and unmatchable keys holding the canary', () => {
    const scalar = fc.oneof(canaryText, fc.integer(), fc.constant(null), fc.array(canaryText, { maxLength: 3 }));
    // Entry fields are never quoted, so their names may hold the canary too.
    const entryKey = fc.oneof(canaryText, fc.constantFrom('username', 'password', 'token', 'expires-at'));
    const entry = fc.oneof(scalar, fc.dictionary(entryKey, fc.oneof(canaryText, fc.integer()), { maxKeys: 4 }));
    // '/' and ' ' keep these from being valid hosts or kinds, which are names and may be shown.
    // Dotless keys may be valid hosts: they must be shown by position, never quoted.
    const hostKey = fc.oneof(
      fc.constantFrom('repo.example.org', 'github.com'),
      canaryText.map((t) => `${t}/`),
      canaryText.map((t) => t.replace(/[.:]/g, '')),
    );
    const kindKey = fc.oneof(
      fc.constantFrom(...COMPOSER_AUTH_KINDS),
      canaryText.map((t) => `${t} `),
    );
    const documentArbitrary = fc.dictionary(kindKey, fc.oneof(fc.dictionary(hostKey, entry, { maxKeys: 3 }), scalar), { maxKeys: 4 });
    fc.assert(
      fc.property(documentArbitrary, fc.nat(), fc.boolean(), (document, cut, truncate) => {
        const json = JSON.stringify(document);
        const text = truncate ? json.slice(0, cut % (json.length + 1)) : json;
        for (const result of [parseComposerAuthDocument(text), parseAuthJsonFile(text)]) {
          expectNoLeak(...(result.ok ? result.warnings : result.problems));
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('what cannot be written or kept', () => {
  it('refuses a lone surrogate in any string of an entry, raw or escaped, naming the secret', () => {
    for (const [name, value] of [
      ['bearer.repo.example.org', 'tok\ud800'],
      ['http-basic.repo.example.org', '{"username": "u", "password": "p\\udfff"}'],
      ['custom-headers.repo.example.org', 'X-Key: a\udc00b'],
    ] as const) {
      const result = credentialFromSecret(name, value);
      expect(result.ok, name).toBe(false);
      expect(problemOf(result)).toMatch(new RegExp(`^secret '${name.replaceAll('.', '\\.')}': .*holds a lone UTF-16 surrogate`));
    }
    expect(credentialFromSecret('bearer.repo.example.org', 'tok\ud83d\ude00').ok).toBe(true);
    const document = parseComposerAuthDocument('{"bearer": {"repo.example.org": "\\ud800"}}');
    expect(document).toEqual({
      ok: false,
      problems: [expect.stringMatching(/^bearer\.repo\.example\.org: holds a lone UTF-16 surrogate/)],
    });
  });

  it('refuses a document nested deeper than Composer reads (512 levels), without a stack overflow', () => {
    const nested = (depth: number) => `{"http-basic": {}, "x": ${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
    expect(parseAuthJsonFile(nested(512)).ok).toBe(true);
    expect(parseAuthJsonFile(nested(513))).toEqual({
      ok: false,
      problems: ['(top level): nests arrays and objects more than 512 levels deep, more than Composer reads'],
    });
    expect(parseAuthJsonFile(nested(100_000)).ok).toBe(false);
    expect(
      problemOf(
        credentialFromSecret(
          'http-basic.repo.example.org',
          `{"username": "u", "password": "p", "x": ${'['.repeat(600)}${']'.repeat(600)}}`,
        ),
      ),
    ).toMatch(/more than 512 levels deep/);
    // Brackets inside strings are not nesting.
    expect(parseAuthJsonFile(`{"x": "${'['.repeat(600)}"}`).ok).toBe(true);
  });

  it('keeps a __proto__ key of an auth.json as a plain member, through a merge', () => {
    const parsed = parseAuthJsonFile(
      '{"__proto__": {"a": 1}, "http-basic": {"x.org": {"username": "u", "password": "p", "__proto__": 2}}}',
    );
    expect(parsed.ok).toBe(true);
    const document = parsed.ok ? parsed.document : {};
    const merged = mergeAuthDocuments(document, authDocumentFromCredentials([{ kind: 'bearer', host: 'y.org', entry: 't' }])).document;
    expect(JSON.stringify(merged)).toBe(
      '{"__proto__":{"a":1},"http-basic":{"x.org":{"username":"u","password":"p","__proto__":2}},"bearer":{"y.org":"t"}}',
    );
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });

  it('set refuses what a build would: a NUL or a lone surrogate in an env value', () => {
    expect(problemsWithValue('API_KEY', 'env', 'a\u0000b')).toEqual([
      "secret 'API_KEY': the value holds a NUL character, which an environment variable cannot carry",
    ]);
    expect(problemsWithValue('API_KEY', 'env', 'a\ud800')).toEqual([
      expect.stringMatching(/^secret 'API_KEY': the value holds a lone UTF-16 surrogate/),
    ]);
    expect(problemsWithValue('NOTES', 'runtime', 'a\u0000b')).toEqual([]);
  });
});

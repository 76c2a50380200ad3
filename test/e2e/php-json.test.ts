// Our PHP-style JSON against PHP itself: the listings and the local secrets file must be
// what json_encode prints, byte for byte, for any text (run with the php that composer uses).
import { execaSync } from 'execa';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { renderLocalSecretsFile } from '../../src/cli/render/local-secrets-file.js';
import { type ListingRow, renderListingJson } from '../../src/cli/render/secret-listing.js';
import { hasLoneSurrogate } from '../../src/model/secret.js';
import { describeWithComposer } from './support/composer-command.js';

const SAMPLES = 300;

/** Runs a PHP program on a JSON input; returns what it prints. */
function php(program: string, input: unknown): string {
  return execaSync('php', ['-r', program], { input: JSON.stringify(input), extendEnv: false, env: { PATH: process.env.PATH ?? '' } })
    .stdout;
}

// Any text PHP can hold: well-formed UTF-16 (a lone surrogate is not UTF-8). A name may not start with NUL: PHP objects refuse such a property.
// Characters each escaped (or not) by a rule of its own come often; the rest of Unicode at random.
const tricky = fc
  .array(
    fc.constantFrom(
      '\u0000',
      '\u001f',
      '\u007f',
      '\u0080',
      '/',
      '"',
      '\\',
      '\b',
      '\f',
      '\n',
      '\r',
      '\t',
      'é',
      '日',
      '😀',
      '\u2028',
      '<',
      '&',
      "'",
      'a',
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));
const text = fc.oneof(tricky, fc.string({ unit: 'binary', maxLength: 20 })).filter((s) => !hasLoneSurrogate(s));
const name = text.filter((s) => !s.startsWith('\u0000'));
const values = fc
  .array(fc.tuple(fc.constantFrom('default', 'dev', 'live', '10'), fc.option(text, { nil: null })), { maxLength: 3 })
  .map((pairs) => [...new Map(pairs)]);
const row = fc.record({
  name,
  type: fc.constantFrom('env', 'runtime', 'composer', 'file'),
  value: fc.option(text, { nil: null }),
  scopes: fc.subarray(['ic', 'web', 'user']),
  envValues: values,
  orgValues: values,
});
const rows = fc.uniqueArray(row, { selector: (r) => r.name, maxLength: 4 });

describeWithComposer('PHP json_encode, byte for byte', () => {
  it('secret:site:list --format json: what PHP re-encodes the same, with JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES', () => {
    const listings = fc.sample(rows, SAMPLES).map((r) => renderListingJson(r as ListingRow[], 'site'));
    const reencoded = php(
      'foreach (json_decode(stream_get_contents(STDIN)) as $t) echo json_encode(json_encode(json_decode($t), JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\\n"), "\\n";',
      listings,
    );
    expect(reencoded.split('\n').map((line) => JSON.parse(line))).toEqual(listings);
  });

  it('the local secrets file: what PHP re-encodes the same, with JSON_PRETTY_PRINT', () => {
    const files = fc.sample(rows, SAMPLES).map((r) =>
      renderLocalSecretsFile({
        siteId: 'shop',
        scopes: ['web'],
        secrets: r.map((s) => ({ name: s.name, type: s.type, scopes: s.scopes, value: s.value })),
      }),
    );
    const reencoded = php(
      'foreach (json_decode(stream_get_contents(STDIN)) as $t) echo json_encode(json_encode(json_decode($t), JSON_PRETTY_PRINT)), "\\n";',
      files,
    );
    expect(reencoded.split('\n').map((line) => JSON.parse(line))).toEqual(files);
  });
});

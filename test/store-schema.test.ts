import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { storeJsonSchema } from '../src/model/store-json-schema.js';
import { parseStore } from '../src/sources/local-store.js';

describe('the committed JSON Schema', () => {
  it('is the one generated from the zod schema (run `npm run schema` after changing the model)', async () => {
    const committed = JSON.parse(await readFile(new URL('../schema/store.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(storeJsonSchema());
  });

  it('and the bundled example store validates', async () => {
    const file = new URL('../fixtures/example/store-example.json', import.meta.url);
    const store = parseStore(file.pathname, await readFile(file, 'utf8'));
    expect(Object.keys(store.sites)).toEqual(['shop']);
  });
});

// Regenerates schema/store.schema.json from the zod schema (run: npm run schema).
import { writeFile } from 'node:fs/promises';

// The build of src/index.ts; imported by URL so that the type check reads src/, whether dist/ is built or not.
/** @type {typeof import('../src/index.js')} */
const { storeJsonSchema } = await import(new URL('../dist/index.js', import.meta.url).href);

await writeFile(new URL('../schema/store.schema.json', import.meta.url), `${JSON.stringify(storeJsonSchema(), null, 2)}\n`);

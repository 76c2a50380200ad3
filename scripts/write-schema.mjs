// Regenerates schema/store.schema.json from the zod schema (run: npm run schema).
import { writeFile } from 'node:fs/promises';
import { storeJsonSchema } from '../dist/index.js';

await writeFile(new URL('../schema/store.schema.json', import.meta.url), `${JSON.stringify(storeJsonSchema(), null, 2)}\n`);

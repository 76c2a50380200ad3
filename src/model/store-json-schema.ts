// The JSON Schema of the store file, generated from the zod schema so editors can
// validate store files. Committed as schema/store.schema.json; a test keeps it in sync.
import * as z from 'zod/mini';
import { Store } from './secret.js';

export function storeJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(Store, { io: 'input', target: 'draft-2020-12' }),
    title: 'composer-secrets store file',
    description: 'Secrets of organizations and sites, with environment overrides (format version 1).',
  };
}

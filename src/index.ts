// The library: the same core the CLI uses.
export * from './errors.js';
export * from './model/names.js';
export * from './model/secret.js';
export * from './model/store-changes.js';
export * from './resolve/resolve-for-environment.js';
export * from './plan/build-plan.js';
export type { SecretSource, SiteSecrets, FetchRequest } from './sources/source.js';
export { loadStore, parseStore, serializeStore, storePath, updateStore, localStoreSource } from './sources/local-store.js';
export { main } from './cli/main.js';
export type { Context } from './context.js';
export { storeJsonSchema } from './model/store-json-schema.js';

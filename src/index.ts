// The library: the same core the CLI uses.

export { EXPORT_FORMATS, formatDotenv, formatExport, formatGithubEnv, formatJson, formatShell } from './apply/export-formats.js';
export type { Context } from './context.js';
export * from './errors.js';
export { credentialFromSecret, parseComposerAuthDocument } from './model/composer-credential.js';
export { AuthDocument } from './model/composer-kinds.js';
export * from './model/names.js';
export * from './model/secret.js';
export * from './model/store-changes.js';
export { storeJsonSchema } from './model/store-json-schema.js';
export { authDocumentFromCredentials, mergeAuthDocuments } from './plan/auth-documents.js';
export { AUTH_TARGETS, type AuthTarget, type AuthTargetState, planAuth } from './plan/auth-plan.js';
export * from './plan/build-plan.js';
export { isRefusedVariable, REFUSED_VARIABLE_PREFIXES, REFUSED_VARIABLES } from './plan/refused-variables.js';
export * from './resolve/resolve-for-environment.js';
export { outputMasker } from './run/output-mask.js';
export { apiToken, terminusSessionFile } from './sources/api-token.js';
export { customerSecretsClient, httpApiSource, PANTHEON_API_BASE } from './sources/http-api.js';
export {
  loadStore,
  localStoreSource,
  parseStore,
  readStore,
  type StoreReader,
  serializeStore,
  storePath,
  updateStore,
} from './sources/local-store.js';
export {
  organizationSecretsFromPantheonAnswer,
  type PantheonAnswer,
  parsePantheonAnswer,
  siteSecretsFromPantheonAnswer,
} from './sources/pantheon-answer.js';
export { sdkJsonSource } from './sources/sdk-json.js';
export type { FetchRequest, SecretSource, SiteSecrets } from './sources/source.js';
export { parseSourceSpec } from './sources/source-spec.js';
export { terminusCommandSource } from './sources/terminus-command.js';
export { terminusJsonSource } from './sources/terminus-json.js';
export { sweptValues } from './sweep/leak-check.js';
export { leakPatterns } from './sweep/leak-values.js';

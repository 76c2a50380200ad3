// What a build would refuse in a value, checked when the value is set so the mistake is
// seen then rather than at the next deploy, and again in every plan (other sources are not
// checked on entry). Pure; messages name the secret, never the value.
import type { SecretType } from '../model/secret.js';
import { COMPOSER_AUTH_VARIABLE, problemsWithVariableValue } from './build-plan.js';
import { credentialFromSecret, parseComposerAuthDocument } from './composer-credentials.js';

export function problemsWithValue(name: string, type: SecretType, value: string): string[] {
  if (type === 'composer') {
    const result = credentialFromSecret(name, value);
    return result.ok ? [] : [result.problem];
  }
  if (type === 'env' && name === COMPOSER_AUTH_VARIABLE) {
    const result = parseComposerAuthDocument(value);
    return result.ok ? [] : result.problems.map((problem) => `secret '${name}': ${problem}`);
  }
  if (type === 'env') return problemsWithVariableValue(name, value);
  return [];
}

// What a build would refuse in a value, checked when the value is set so the mistake is
// seen then rather than at the next deploy, and again in every plan (other sources are not
// checked on entry). Pure; messages name the secret, never the value.
import { hasLoneSurrogate, type SecretType } from '../model/secret.js';
import { COMPOSER_AUTH_VARIABLE } from './build-plan.js';
import { credentialFromSecret, parseComposerAuthDocument } from './composer-credentials.js';

/**
 * Problems with the value of a secret that becomes an environment variable. (Values that
 * become auth.json entries are checked string by string with the entry.)
 */
export function problemsWithVariableValue(name: string, value: string): string[] {
  const problems: string[] = [];
  if (hasLoneSurrogate(value)) {
    problems.push(`secret '${name}': the value holds a lone UTF-16 surrogate (\\uD800-\\uDFFF without its pair), which is not text: it cannot be passed to composer`);
  }
  // The environment is a list of C strings: a NUL would end the value, so composer could not start.
  if (value.includes('\0')) problems.push(`secret '${name}': the value holds a NUL character, which an environment variable cannot carry`);
  return problems;
}

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

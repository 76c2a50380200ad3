// What a build would refuse in a value, checked when the value is set so the mistake is
// seen then rather than at the next deploy, and again in every plan (other sources are not
// checked on entry). Pure; messages name the secret, never the value.

import { credentialFromSecret, parseComposerAuthDocument } from '../model/composer-credential.js';
import { type ComposerRules, UNKNOWN_COMPOSER_RULES } from '../model/composer-version.js';
import type { SecretType } from '../model/secret.js';
import { COMPOSER_AUTH_VARIABLE, problemsWithVariableValue, refusedVariableProblem } from './build-plan.js';
import { isRefusedVariable } from './refused-variables.js';

// When a value is set, the Composer that will build is not known: only what every version
// refuses is refused here (Composer 2.10 takes any github-oauth token); each plan checks
// again with the rules of its Composer.
const SET_TIME_RULES: ComposerRules = { ...UNKNOWN_COMPOSER_RULES, githubToken: 'any' };

export function problemsWithValue(name: string, type: SecretType, value: string): string[] {
  if (type === 'composer') {
    const result = credentialFromSecret(name, value, SET_TIME_RULES);
    return result.ok ? [] : [result.problem];
  }
  if (type === 'env' && name === COMPOSER_AUTH_VARIABLE) {
    const result = parseComposerAuthDocument(value, SET_TIME_RULES);
    return result.ok ? [] : result.problems.map((problem) => `secret '${name}': ${problem}`);
  }
  // Stored, it would stop every build of the owner (of each site of an organization) later.
  if (type === 'env' && isRefusedVariable(name)) return [refusedVariableProblem(name, name)];
  if (type === 'env') return problemsWithVariableValue(name, value);
  return [];
}

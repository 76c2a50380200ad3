// The credentials composer-secrets itself uses to read secrets (the secrets API token can
// read every secret of a site). They are the tool's alone: the programs a build runs
// (composer, its scripts, git) never get them, and their values are masked in composer's
// output all the same. Every such variable is listed here, and only here. A token read
// from a file (the saved Terminus session, api-token.ts) is in no variable: the source
// reports it (SecretSource.toolCredentials) and the build masks it the same way.
import { setVariables } from '../io/process-runner.js';
import { TOKEN_VARIABLE } from './api-token.js';

const TOOL_CREDENTIAL_VARIABLES: readonly string[] = [TOKEN_VARIABLE];

/** The calling environment for a program the build runs: set variables only, the tool's credentials left out. */
export function withoutToolCredentials(env: Record<string, string | undefined>): Record<string, string> {
  const kept = setVariables(env);
  for (const name of TOOL_CREDENTIAL_VARIABLES) delete kept[name];
  return kept;
}

/** The values of the tool's credentials in `env`, to be masked. */
export function toolCredentialValues(env: Record<string, string | undefined>): string[] {
  return TOOL_CREDENTIAL_VARIABLES.map((name) => env[name]).filter((value): value is string => value !== undefined && value !== '');
}

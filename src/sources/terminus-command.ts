// Terminus as a source, run: `terminus secret:site:list <site> --format=json` through the
// injected ProcessRunner, its output read as terminus-json.ts reads a saved file.
import { EnvironmentError, UsageError } from '../errors.js';
import { captureOutput, type ProcessRunner, setVariables } from '../io/process-runner.js';
import { siteSecretsFromListed } from './listed-secret.js';
import type { FetchRequest, SecretSource, SiteSecrets } from './source.js';
import { parseTerminusSecretList } from './terminus-json.js';

/** How much of terminus's stderr a message carries. */
const STDERR_LINES = 5;
const STDERR_LINE_CHARS = 300;

/** The last few non-empty lines of a program's stderr, without colours, each capped. */
function stderrTail(stderr: string): string[] {
  const lines = stderr
    .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.slice(-STDERR_LINES).map((line) => (line.length > STDERR_LINE_CHARS ? `${line.slice(0, STDERR_LINE_CHARS)}...` : line));
}

/**
 * Runs `terminus secret:site:list <site> --format=json` and reads its output like a saved
 * file. `site` is the site as Terminus knows it; the request's site when left out.
 * Empty output (no rows) is an empty listing.
 */
export function terminusCommandSource(options: {
  runner: ProcessRunner;
  env: Record<string, string | undefined>;
  cwd: string;
  site?: string | undefined;
}): SecretSource {
  const env = setVariables(options.env);
  return {
    description: 'terminus',
    async fetch(request: FetchRequest): Promise<SiteSecrets> {
      const site = options.site ?? request.site;
      const command = `terminus secret:site:list ${site} --format=json`;
      const result = await captureOutput(options.runner, 'terminus', ['secret:site:list', site, '--format=json'], {
        cwd: options.cwd,
        env,
      });
      if (result.startError !== undefined) {
        // Not installed is bad input, as a missing composer is (exit 2); any other start failure is the machine's.
        if (result.startError === 'ENOENT') {
          throw new UsageError(
            'terminus was not found on PATH: install Terminus and its secrets plugin, or use --source terminus-json:FILE',
          );
        }
        throw new EnvironmentError(`cannot run terminus: ${result.startError}`);
      }
      if (result.exitCode !== 0) {
        const tail = stderrTail(result.stderr);
        const how =
          result.exitCode === undefined ? `was stopped by ${result.signal ?? 'a signal'}` : `failed with exit code ${result.exitCode}`;
        const hint = tail.some((line) => /secret:site:list.*not defined|not defined.*secret:site:list/i.test(line))
          ? ['the secrets plugin is missing: terminus self:plugin:install terminus-secrets-manager-plugin']
          : [];
        throw new EnvironmentError(`${command} ${how}`, [...(tail.length > 0 ? tail : ['(terminus printed nothing on stderr)']), ...hint]);
      }
      const text = result.stdout.trim() === '' ? '[]' : result.stdout;
      const where = `the output of ${command}`;
      return siteSecretsFromListed(parseTerminusSecretList(text, where), request);
    },
  };
}

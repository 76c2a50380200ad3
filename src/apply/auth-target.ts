// Where a build's credentials go, and what is there already: the edge that feeds
// planAuth. Nothing here writes.
import path from 'node:path';
import { InvalidDocumentError, UsageError } from '../errors.js';
import type { FileSystem } from '../io/file-system.js';
import { readSecretFile, secretFileText } from '../io/secret-file.js';
import type { AuthTarget, AuthTargetState } from '../plan/auth-plan.js';
import { parseAuthJsonFile, type AuthDocument } from '../plan/composer-credentials.js';
import { originalCredentialsFile } from './credentials-file.js';

export const AUTH_FILE_NAME = 'auth.json';

/** The file a target writes: the project's auth.json, or the one in COMPOSER_HOME. */
export function authFileFor(target: AuthTarget, dir: string, composerHome: string | undefined): string | undefined {
  if (target === 'project') return path.join(dir, AUTH_FILE_NAME);
  if (target === 'home') return path.join(composerHome ?? '', AUTH_FILE_NAME);
  return undefined;
}

function parsedAuthFile(file: string, text: string): AuthDocument {
  const parsed = parseAuthJsonFile(text);
  if (!parsed.ok) {
    throw new InvalidDocumentError(file, `${file} is not a valid Composer auth document, so it was left as it is; fix or move it`, parsed.problems);
  }
  return parsed.document;
}

export async function readAuthTargetState(
  fs: FileSystem,
  options: { target: AuthTarget; dir: string; file: string | undefined; callerComposerAuth: string | undefined },
): Promise<AuthTargetState> {
  const { target, dir, file } = options;
  // The original, not a crashed run's generated file: originalCredentialsFile reads the journal.
  const existing = file === undefined ? undefined : await originalCredentialsFile(fs, file);
  let projectFile: AuthDocument | undefined;
  if (target === 'env') {
    const projectAuth = path.join(dir, AUTH_FILE_NAME);
    const found = await readSecretFile(fs, projectAuth, 'auth file');
    projectFile = found === undefined ? undefined : parsedAuthFile(projectAuth, secretFileText(found.content, projectAuth, 'auth file'));
  }
  let callerComposerAuth: AuthDocument | undefined;
  if (options.callerComposerAuth !== undefined && options.callerComposerAuth.trim() !== '') {
    const parsed = parseAuthJsonFile(options.callerComposerAuth);
    if (!parsed.ok) {
      throw new UsageError('the COMPOSER_AUTH variable of the calling environment is not a valid auth document (Composer would refuse it too)', parsed.problems);
    }
    callerComposerAuth = parsed.document;
  }
  return {
    target,
    file,
    existing: existing === undefined || file === undefined ? undefined : parsedAuthFile(file, secretFileText(existing.content, file, 'auth file')),
    projectFile,
    callerComposerAuth,
  };
}

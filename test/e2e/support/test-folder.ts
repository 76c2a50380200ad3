// One fresh folder per test, removed when the test finishes (passed or failed).
import os from 'node:os';
import path from 'node:path';
import fs from 'fs-extra';
import { onTestFinished } from 'vitest';

/** Call inside a test. The folder is the real path (no /tmp symlink surprises on macOS). */
export async function createTestFolder(prefix = 'composer-secrets-e2e-'): Promise<string> {
  const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
  onTestFinished(async () => {
    await fs.remove(dir);
  });
  return dir;
}

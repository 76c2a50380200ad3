// A root Composer project that installs from the loopback repository and nowhere else.
import path from 'node:path';
import fs from 'fs-extra';
import type { ComposerRepository } from './composer-repository.js';

export interface ComposerProjectOptions {
  /** Defaults to `{ "acme/hello": "1.0.0" }`. */
  require?: Record<string, string>;
  /** Composer scripts, e.g. `{ "post-install-cmd": "echo SEEN=$MY_VARIABLE" }`. */
  scripts?: Record<string, string | string[]>;
  /** Merged into the repository entry, e.g. `{ http: { header: ['X-Api-Key: ...'] } }` (its `options`). */
  repositoryOptions?: Record<string, unknown>;
}

export interface ComposerProject {
  dir: string;
  composerJsonPath: string;
  /** What was written, for assertions. */
  manifest: Record<string, unknown>;
}

export async function createComposerProject(
  dir: string,
  repo: Pick<ComposerRepository, 'url'>,
  options: ComposerProjectOptions = {},
): Promise<ComposerProject> {
  const repository: Record<string, unknown> = { type: 'composer', url: repo.url };
  if (options.repositoryOptions) repository.options = options.repositoryOptions;

  const manifest: Record<string, unknown> = {
    name: 'composer-secrets-e2e/project',
    description: 'Project written by the end-to-end test harness.',
    type: 'project',
    require: options.require ?? { 'acme/hello': '1.0.0' },
    // Disabling packagist.org keeps composer from reaching the internet.
    repositories: [repository, { 'packagist.org': false }],
    // The loopback repository speaks plain http, which composer refuses by default.
    config: { 'secure-http': false },
  };
  if (options.scripts) manifest.scripts = options.scripts;

  await fs.ensureDir(dir);
  const composerJsonPath = path.join(dir, 'composer.json');
  await fs.writeJson(composerJsonPath, manifest, { spaces: 4 });
  return { dir, composerJsonPath, manifest };
}

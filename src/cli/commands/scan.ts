import { constants } from 'node:fs';
import path from 'node:path';
import { writeWarning } from '../../context.js';
import { counted } from '../../counted.js';
import { EnvironmentError, LeakFoundError, UsageError } from '../../errors.js';
import { errorCode, type SyncFileSystem } from '../../io/file-system.js';
import { planBuild } from '../../plan/build-plan.js';
import { resolveForEnvironment } from '../../resolve/resolve-for-environment.js';
import { sweepStream } from '../../sweep/archive-sweep.js';
import { byteSearch } from '../../sweep/byte-search.js';
import { describeHit, shortValuesNote, sweptValues, unreadLines } from '../../sweep/leak-check.js';
import { leakPatterns } from '../../sweep/leak-values.js';
import { ignoredBy } from '../../sweep/path-glob.js';
import { emptySweepResult, sweepTree } from '../../sweep/tree-sweep.js';
import { STDIN_ARGUMENT } from '../arguments.js';
import { fetchSecrets, withBuildTarget, withLeakCheckIgnore } from '../build-input.js';
import { defineCommand } from '../command.js';
import type { Context } from '../context.js';
import { outputFormat, withOutputFormat } from '../output-format.js';

const READ_CHUNK = 1 << 20;

/** A file's bytes in chunks, read as they are needed. */
async function* fileChunks(fs: SyncFileSystem, file: string): AsyncGenerator<Uint8Array> {
  const fd = fs.openSync(file, constants.O_RDONLY);
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(READ_CHUNK);
      const read = fs.readSync(fd, chunk, 0, READ_CHUNK, null);
      if (read === 0) return;
      yield chunk.subarray(0, read);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether a file starts as a gzip stream or a tar archive does (its first header's magic). */
function looksLikeArchive(fs: SyncFileSystem, file: string): boolean {
  const fd = fs.openSync(file, constants.O_RDONLY);
  try {
    const head = Buffer.alloc(512);
    const read = fs.readSync(fd, head, 0, 512, 0);
    return (read >= 2 && head[0] === 0x1f && head[1] === 0x8b) || (read === 512 && head.toString('latin1', 257, 262) === 'ustar');
  } finally {
    fs.closeSync(fd);
  }
}

/** The last value of each option given more than once, as every other command takes it. */
function lastValues<T extends Record<string, unknown>, K extends keyof T>(args: T, names: readonly K[]): { [P in K]: T[P] } {
  const last = {} as { [P in K]: T[P] };
  for (const name of names) {
    const value = args[name];
    last[name] = (Array.isArray(value) ? value[value.length - 1] : value) as T[K];
  }
  return last;
}

const SCAN_FORMATS = ['text', 'json'] as const;

export const scanCommand = (ctx: Context) =>
  defineCommand({
    command: 'scan <paths..>',
    describe:
      'Look for the values a build of the site would hand out in folders, files and .tar/.tar.gz archives ' +
      '(docker save output too); paths only, never values',
    builder: (y) =>
      withOutputFormat(
        withLeakCheckIgnore(withBuildTarget(y)),
        SCAN_FORMATS,
        'text',
        'text: a line per finding on standard error; json: the findings as a JSON document',
      )
        // yargs keeps only the last of several paths when repeated arguments do not make an
        // array (main's setting): here they do, and scalar options are brought back to their last value.
        .parserConfiguration({ 'populate--': true, 'duplicate-arguments-array': true, 'boolean-negation': false })
        .positional('paths', { type: 'string', demandOption: true, describe: 'folders, files or archives' })
        .example('composer-secrets scan --site shop --env dev vendor', "is any of shop's dev values in vendor/?")
        .example(
          'docker save my-image | gzip > image.tar.gz && composer-secrets scan --site shop --env dev image.tar.gz',
          'in the layers of an image',
        ),
    handler: async (given) => {
      const args = { ...given, ...lastValues(given, ['source', 'site', 'env', 'org', 'store', 'json', 'format']) };
      const format = outputFormat(args, 'text');
      const paths = ([] as unknown[]).concat(args.paths).map(String);
      // main refuses a lone '-' for single options only; these are a list.
      if (paths.some((p) => p === STDIN_ARGUMENT || p === '-')) {
        throw new UsageError(
          "scan: '-' (standard input) is not read by scan: give a folder, file or archive; for a file named -, write ./-",
        );
      }
      const { site, environment, secrets } = await fetchSecrets(ctx, args);
      // The values a build would hand out, whatever the project's auth.json holds: no disk read for the plan.
      const { payload } = planBuild({
        site,
        environment,
        organization: secrets.organization?.name,
        resolved: resolveForEnvironment({ ...secrets, environment }),
      });
      const { patterns, tooShort } = leakPatterns(sweptValues(payload));
      const search = byteSearch(patterns);
      const ignored = ignoredBy((args.leakCheckIgnore ?? []).map(String));
      const result = emptySweepResult();
      for (const given of paths) {
        const file = path.resolve(ctx.cwd, given);
        let isFile: boolean;
        try {
          isFile = ctx.syncFs.statSync(file).isFile();
        } catch (error) {
          if (errorCode(error) === 'ENOENT') throw new UsageError(`scan: there is no file or folder ${given}`);
          throw new EnvironmentError(`scan: cannot read ${given} (${errorCode(error) ?? 'error'})`);
        }
        if (patterns.length === 0) continue;
        if (isFile && looksLikeArchive(ctx.syncFs, file))
          await sweepStream(fileChunks(ctx.syncFs, file), given, { search, ignored, result });
        else sweepTree(ctx.syncFs, file, given, search, { ignored, kept: new Map() }, result);
      }
      const unread = unreadLines(result);
      const what = `site ${site} (${environment})`;
      if (format === 'json') {
        ctx.stdout.write(
          `${JSON.stringify(
            {
              clean: result.hits.length === 0 && unread.length === 0,
              hits: result.hits,
              notLookedAt: result.notLookedAt,
              files: result.files,
              bytes: result.bytes,
              specialFiles: result.specialFiles,
              gitObjectStores: result.gitObjectStores,
              valuesTooShort: tooShort,
            },
            null,
            2,
          )}\n`,
        );
      } else {
        for (const hit of result.hits) ctx.stdout.write(`${describeHit(hit)}\n`);
        if (tooShort > 0) writeWarning(ctx, shortValuesNote(tooShort));
        for (const line of unread) writeWarning(ctx, line);
      }
      if (result.hits.length > 0)
        throw new LeakFoundError(
          `scan: found values of ${what} in ${counted(result.hits.length, 'place')} (paths only; values are never shown)`,
        );
      if (unread.length > 0)
        throw new EnvironmentError(
          `scan: ${counted(unread.length, 'path')} could not be read, ` +
            `so ${unread.length === 1 ? 'it is' : 'they are'} not known to be clean`,
        );
      if (patterns.length === 0) {
        ctx.stderr.write(`composer-secrets: scan: a build of ${what} hands out no value long enough to look for\n`);
        return;
      }
      if (format !== 'json')
        ctx.stderr.write(
          `composer-secrets: scan: no value of ${what} in ${counted(result.files, 'file')}, ` +
            `${(result.bytes / 1048576).toFixed(1)} MiB read\n`,
        );
    },
  });

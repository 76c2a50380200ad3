// How a run of the built CLI ends, with a small fake composer (a shell script): a closed
// or full output, every signal that ends a process, composer killed or deaf to SIGTERM,
// a lock taken over while the run was paused, the project folder moved away. Every time:
// composer stopped, auth.json put back, one line saying what happened, the right exit code.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import fs from 'fs-extra';
import { describe, expect, it, onTestFinished } from 'vitest';
import { LOCK_OWNER_FILE, lockFileOnDisk, lockHolderIsGone } from '../../src/io/process-lock.js';
import { execaRunner } from '../../src/io/process-runner.js';
import { CLI, runCli, temporaryFolder } from '../support/built-cli.js';

const STAND_IN_VERSION_ANSWER = `[ "$1" = --version ] && { echo 'Composer version 2.10.2 2025-11-19 12:00:00'; exit 0; }\n`;

const CANARY = 'CANARY-run-endings-7f3a';
const ORIGINAL = '{"github-oauth": {"github.com": "original"}}\n';
const JOURNAL = '.auth.json.composer-secrets-journal';

/** A project with an auth.json, a store with one composer secret, and `composer` running `script` (sh; $STATE is a folder outside the project). */
async function setup(script: string) {
  const dir = await temporaryFolder();
  const project = path.join(dir, 'project');
  // Outside the test's folder, which is removed before onTestFinished ends composer.
  const state = await mkdtemp(path.join(os.tmpdir(), 'composer-secrets-state-'));
  onTestFinished(async () => {
    // Whatever happened, composer's process group ends with the test.
    const pid = await fs.readFile(path.join(state, 'composer.pid'), 'utf8').then(Number, () => undefined);
    if (pid !== undefined) stop(-pid);
    await fs.remove(state);
  });
  await fs.mkdirp(project);
  await fs.writeFile(path.join(project, 'composer.json'), '{}');
  await fs.writeFile(path.join(project, 'auth.json'), ORIGINAL, { mode: 0o640 });
  const composer = path.join(dir, 'composer');
  // A stand-in: it answers --version as Composer 2.10.2 does (the build asks once), then plays its part.
  await fs.writeFile(composer, `#!/bin/sh\n${STAND_IN_VERSION_ANSWER}STATE='${state}'\necho $$ > "$STATE/composer.pid"\n${script}\n`, {
    mode: 0o755,
  });
  const store = path.join(dir, 'store.json');
  const set = await runCli(
    ['--store', store, 'secret:site:set', 'shop', 'bearer.repo.example.org', '-', '--type', 'composer', '--scope', 'ic'],
    { input: CANARY },
  );
  expect(set.code, set.stderr).toBe(0);
  const args = ['--store', store, 'build', '--site', 'shop', '--env', 'dev', '--dir', project, '--composer', composer];
  return { dir, project, state, store, args };
}

type Setup = Awaited<ReturnType<typeof setup>>;

/** The build, started and not awaited; ended after the test whatever happened. */
function startBuild(t: Setup, options: { env?: Record<string, string> } = {}) {
  const child = execa(process.execPath, [CLI, ...t.args], {
    reject: false,
    stdin: 'ignore',
    stripFinalNewline: false,
    // The test sends its own signals; execa would SIGKILL the CLI 5 s after a SIGTERM.
    forceKillAfterDelay: false,
    timeout: 50_000,
    ...options,
  });
  onTestFinished(() => stop(child.pid));
  return child;
}

function stop(pid: number | undefined) {
  try {
    if (pid !== undefined) process.kill(pid, 'SIGKILL');
  } catch {
    // ESRCH: gone already.
  }
}

async function composerPid(t: Setup): Promise<number> {
  return Number((await fs.readFile(path.join(t.state, 'composer.pid'), 'utf8')).trim());
}

async function waitFor(file: string, child: { exitCode: number | null; signalCode: string | null }) {
  const deadline = Date.now() + 30_000;
  while (!(await fs.pathExists(file))) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the build ended before ${path.basename(file)} appeared`);
    if (Date.now() > deadline) throw new Error(`${path.basename(file)} did not appear`);
    await sleep(20);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function expectPutBack(folder: string) {
  expect(await fs.readFile(path.join(folder, 'auth.json'), 'utf8')).toBe(ORIGINAL);
  expect((await fs.stat(path.join(folder, 'auth.json'))).mode & 0o777).toBe(0o640);
  expect(await fs.pathExists(path.join(folder, JOURNAL))).toBe(false);
}

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at /m);

describe('output that cannot be written', () => {
  it('build | a reader that closes early: composer stopped, auth.json put back, one line, exit 1', async () => {
    const t = await setup('touch "$STATE/started"; while :; do seq 1 500; sleep 0.02; done');
    const child = startBuild(t);
    child.stdout?.once('data', () => child.stdout?.destroy());
    const result = await child;
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('composer-secrets: cannot write to standard output: the program reading it has closed it\n');
    await expectPutBack(t.project);
    expect(isRunning(await composerPid(t))).toBe(false);
  });

  it('env with a large output | a reader that closes early: one line, exit 1, no stack trace', async () => {
    const dir = await temporaryFolder();
    const store = path.join(dir, 'store.json');
    // 4 MB in one write: far more than the pipe (64 KB) and the test's first read hold.
    const secrets = Object.fromEntries(
      Array.from({ length: 4000 }, (_, i) => [`VAR_${i}`, { type: 'env', scopes: ['ic'], value: 'v'.repeat(1000), overrides: {} }]),
    );
    await fs.writeFile(store, JSON.stringify({ version: 1, organizations: {}, sites: { shop: { secrets } } }), { mode: 0o600 });
    const child = execa(process.execPath, [CLI, '--store', store, 'env', '--site', 'shop', '--env', 'dev', '--format', 'json'], {
      reject: false,
      stripFinalNewline: false,
    });
    child.stdout?.once('data', () => child.stdout?.destroy());
    const result = await child;
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('composer-secrets: cannot write to standard output: the program reading it has closed it\n');
  });

  it('plan > /dev/full: one line, exit 1, no stack trace', async () => {
    const t = await setup('exit 0');
    const full = openSync('/dev/full', 'w');
    try {
      // The CLI's own standard output is the full device (execa would put a pipe between).
      const result = spawnSync(process.execPath, [CLI, '--store', t.store, 'plan', '--site', 'shop', '--env', 'dev', '--dir', t.project], {
        stdio: ['ignore', full, 'pipe'],
      });
      expect({ code: result.status, stderr: String(result.stderr) }).toEqual({
        code: 1,
        stderr: 'composer-secrets: cannot write to standard output: no space left on device\n',
      });
    } finally {
      closeSync(full);
    }
  });
});

describe('signals that end the process', () => {
  const signals = ['SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGALRM'] as const;
  it.each(signals)('%s: passed to composer, auth.json put back, exit 128 + its number', async (signal) => {
    const t = await setup('touch "$STATE/started"; sleep 30');
    const child = startBuild(t);
    await waitFor(path.join(t.state, 'started'), child);
    process.kill(child.pid ?? 0, signal);
    const result = await child;
    expect(result.exitCode).toBe(128 + os.constants.signals[signal]);
    expect(result.stderr).toBe(`composer-secrets: interrupted by ${signal}\n`); // and no "Debugger listening" (SIGUSR1)
    await expectPutBack(t.project);
    expect(isRunning(await composerPid(t))).toBe(false);
  });

  it('composer deaf to SIGTERM is killed after the grace period; auth.json put back, exit 143', async () => {
    // An ignored signal stays ignored in the programs the shell starts: sleep is deaf too.
    const t = await setup(`trap '' TERM; touch "$STATE/started"; sleep 30`);
    const child = startBuild(t);
    await waitFor(path.join(t.state, 'started'), child);
    process.kill(child.pid ?? 0, 'SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(143);
    expect(result.stderr).toBe(
      'composer-secrets: composer did not stop within 5 s of SIGTERM; killing it\ncomposer-secrets: interrupted by SIGTERM\n',
    );
    await expectPutBack(t.project);
    expect(isRunning(await composerPid(t))).toBe(false);
  });

  it.each([
    ['SIGKILL', 137],
    ['SIGSEGV', 139],
  ] as const)('composer killed by %s: the build exits %i and says so', async (signal, code) => {
    const t = await setup(`kill -${signal.slice(3)} $$`);
    const result = await startBuild(t);
    expect(result.exitCode).toBe(code);
    expect(result.stderr).toMatch(
      new RegExp(
        `^composer-secrets: composer was killed by ${signal}\ncomposer-secrets: build of site shop \\(dev\\) done, composer exited with ${code}: [^\n]*\n$`,
      ),
    );
    await expectPutBack(t.project);
  });
});

describe('a run that loses its lock or its folder', () => {
  it('paused until another run took its lock over: notices when it resumes, stops composer, exit 1, no stack trace', async () => {
    const t = await setup('touch "$STATE/started"; sleep 30');
    const child = startBuild(t);
    await waitFor(path.join(t.state, 'started'), child);
    process.kill(child.pid ?? 0, 'SIGSTOP');
    // restore waits until the paused run's lock is stale, takes it over and puts the original back.
    const restore = await runCli(['restore', '--dir', t.project]);
    expect(restore.stdout).toBe(`Restored the original ${path.join(t.project, 'auth.json')}.\n`);
    process.kill(child.pid ?? 0, 'SIGCONT');
    const result = await child;
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(
      `composer-secrets: lost the lock on ${path.join(t.project, 'auth.json')} while the build ran (it was paused for more than 5 s and another run took the lock over, or the folder was moved); composer was stopped\n`,
    );
    await expectPutBack(t.project);
    expect(isRunning(await composerPid(t))).toBe(false);
  });

  it('its folder moved away while composer ran: the original put back in the moved folder, exit 1', async () => {
    const t = await setup('touch "$STATE/started"; while [ ! -f go ]; do sleep 0.02; done');
    const child = startBuild(t);
    await waitFor(path.join(t.state, 'started'), child);
    const moved = path.join(t.dir, 'moved');
    await fs.rename(t.project, moved);
    await fs.writeFile(path.join(moved, 'go'), ''); // composer's working folder moved with it
    const result = await child;
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`the folder ${t.project} was moved to ${moved} while the build ran; the original auth.json was put back there\\n$`),
    );
    noStackTrace(result.stderr);
    await expectPutBack(moved);
    // The lock folder went with the folder and is removed with the lock, unless the lock's
    // refresh (every 2.5 s) found it gone first: then it may be another run's, and stays.
    const lockNoticed = result.stderr.includes('lost the lock');
    expect((await fs.readdir(moved)).filter((name) => !(lockNoticed && name === 'auth.json.lock')).sort()).toEqual([
      'auth.json',
      'composer.json',
      'go',
    ]);
  });
});

/** A process id that was in use and is not any more: a child that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  expect(child.pid).toBeGreaterThan(0);
  return child.pid;
}

/** Waits until `child` prints the lock wait line, then runs `then`. */
function onWaitLine(child: { stderr: NodeJS.ReadableStream | null }, then: () => Promise<void>) {
  return new Promise<void>((resolve) =>
    child.stderr?.on('data', (chunk: Buffer) => String(chunk).includes('waiting for another run') && resolve(then())),
  );
}

describe('restore after a killed build', () => {
  it('a build killed (SIGKILL) while composer ran: restore goes on at once, the original put back', async () => {
    const t = await setup('touch "$STATE/started"; sleep 30');
    const child = startBuild(t);
    await waitFor(path.join(t.state, 'started'), child);
    process.kill(child.pid ?? 0, 'SIGKILL');
    await child;
    expect(await fs.pathExists(path.join(t.project, 'auth.json.lock', LOCK_OWNER_FILE)), 'the killed run left its lock').toBe(true);
    const restore = await runCli(['restore', '--dir', t.project]);
    expect(restore).toEqual({ code: 0, stdout: `Restored the original ${path.join(t.project, 'auth.json')}.\n`, stderr: '' });
    await expectPutBack(t.project);
    expect((await fs.readdir(t.project)).sort()).toEqual(['auth.json', 'composer.json']);
  });

  it.each([
    ['a live process on this host', () => ({})],
    ['a process gone on another host', () => ({ pid: deadPid(), host: `not-${os.hostname()}` })],
    ['a holder that wrote no record yet', () => undefined],
  ])('a lock held by %s is waited for', async (_what, record) => {
    const t = await setup('exit 0');
    const file = path.join(t.project, 'auth.json');
    const release = await lockFileOnDisk(file);
    onTestFinished(() => release().catch(() => undefined));
    const owner = path.join(`${file}.lock`, LOCK_OWNER_FILE);
    const written = record();
    if (written === undefined) await fs.remove(owner);
    else await fs.writeFile(owner, JSON.stringify({ ...JSON.parse(await fs.readFile(owner, 'utf8')), ...written }));
    const child = execa(process.execPath, [CLI, 'restore', '--dir', t.project], { reject: false, stdin: 'ignore', timeout: 30_000 });
    onTestFinished(() => stop(child.pid));
    await onWaitLine(child, () => release());
    const result = await child;
    expect(result.exitCode, result.stderr).toBe(0);
  });

  it('lockHolderIsGone: only a process that is not there, on this host', async () => {
    const file = path.join(await temporaryFolder(), 'auth.json');
    const release = await lockFileOnDisk(file);
    onTestFinished(() => release());
    const owner = path.join(`${file}.lock`, LOCK_OWNER_FILE);
    expect(JSON.parse(await fs.readFile(owner, 'utf8'))).toEqual({ pid: process.pid, host: os.hostname() });
    const live = execa(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { reject: false });
    onTestFinished(() => stop(live.pid));
    const cases: Array<[unknown, boolean]> = [
      [{ pid: deadPid(), host: os.hostname() }, true],
      [{ pid: live.pid, host: os.hostname() }, false],
      [{ pid: process.pid, host: os.hostname() }, false],
      [{ pid: deadPid(), host: 'elsewhere' }, false],
      [{ pid: -1, host: os.hostname() }, false],
      ['not a record', false],
    ];
    for (const [record, gone] of cases) {
      await fs.writeFile(owner, typeof record === 'string' ? record : JSON.stringify(record));
      expect(await lockHolderIsGone(file), JSON.stringify(record)).toBe(gone);
    }
  });
});

describe("the tool's own credentials", () => {
  it('COMPOSER_SECRETS_TOKEN does not reach composer or its scripts', async () => {
    const t = await setup('env');
    const result = await startBuild(t, { env: { COMPOSER_SECRETS_TOKEN: `${CANARY}-token` } });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('COMPOSER_NO_INTERACTION=1');
    expect(result.stdout).not.toContain('COMPOSER_SECRETS_TOKEN');
    expect(result.stdout).not.toContain(CANARY);
  });
});

describe('SIGUSR1 outside a build', () => {
  it('ends the process as it would any program, and never opens the debugger', async () => {
    const t = await setup('exit 0');
    // restore waits for a lock the test holds, and says so: the CLI is then well under way.
    const release = await lockFileOnDisk(path.join(t.project, 'auth.json'));
    onTestFinished(() => release());
    const child = execa(process.execPath, [CLI, 'restore', '--dir', t.project], { reject: false, stdin: 'ignore', timeout: 30_000 });
    onTestFinished(() => stop(child.pid));
    await new Promise<void>((resolve) =>
      child.stderr?.on('data', (chunk: Buffer) => String(chunk).includes('waiting for another run') && resolve()),
    );
    process.kill(child.pid ?? 0, 'SIGUSR1');
    const result = await child;
    expect(result.signal).toBe('SIGUSR1');
    expect(result.stderr).not.toContain('Debugger listening');
  });
});

describe('the file lock', () => {
  it('lost while held (its lock folder removed): onLost is told; without onLost, the release says so', async () => {
    const dir = await temporaryFolder();
    const file = path.join(dir, 'store.json');
    for (const withOnLost of [true, false]) {
      let lost = false;
      const release = await lockFileOnDisk(file, undefined, withOnLost ? () => (lost = true) : undefined);
      await fs.remove(`${file}.lock`);
      // proper-lockfile finds out when it next refreshes the lock (every STALE_LOCK_MS / 2).
      const deadline = Date.now() + 20_000;
      // @ts-expect-error: proper-lockfile's own module, untyped; the one lockFileOnDisk uses.
      const { getLocks } = (await import('proper-lockfile/lib/lockfile.js')) as { getLocks: () => Record<string, unknown> };
      while (withOnLost ? !lost : file in getLocks()) {
        if (Date.now() > deadline) throw new Error('the lost lock went unnoticed');
        await sleep(50);
      }
      if (withOnLost) await expect(release()).resolves.toBeUndefined();
      else
        await expect(release()).rejects.toThrow(
          `lost the lock on ${file} while using it (this process was paused for more than 5 s, or the folder was moved); check ${file}`,
        );
    }
  });
});

describe('the process runner', () => {
  it('a signal for a program that never started goes nowhere (not to our own process group)', async () => {
    let received = 0;
    const listener = () => (received += 1);
    // SIGWINCH: harmless to every process of the group, should it go astray.
    process.on('SIGWINCH', listener);
    onTestFinished(() => void process.off('SIGWINCH', listener));
    const running = execaRunner.start(path.join(os.tmpdir(), 'composer-secrets-no-such-program'), [], { cwd: os.tmpdir(), env: {} });
    running.kill('SIGWINCH');
    expect((await running.result).startError).toBe('ENOENT');
    await sleep(100); // a signal sent to the group arrives at once; this only lets its listener run
    expect(received).toBe(0);
  });
});

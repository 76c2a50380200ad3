#!/usr/bin/env node
// Speed, measured side by side: runs the built CLI, as npm installs it (`npm pack` of dist/,
// installed from the tarball into a temp folder), and its single executable against their
// reference points in one run, interleaved (A, B, A, B, ...), and writes BENCHMARKS.md.
//
//   npm run build && node bench/run.mjs
//
// Every timing is the wall time of a whole process (process.hrtime.bigint() around
// spawnSync). Temp files live in os.tmpdir() and are removed at the end. Nothing reaches
// the network: composer gets its own COMPOSER_HOME and COMPOSER_DISABLE_NETWORK=1, the
// build runs `true` in place of composer.
//
// BENCH_RUNS=N sets the number of measured runs per variant (at least 10).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { generateVendorTree } from './vendor-tree.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILT = path.join(ROOT, 'dist');
// The CLI measured: the installed package's bin in the temp folder (see installPackage), set by mainBench.
let CLI = path.join(BUILT, 'cli.cjs');
// The single executable (scripts/build-sea.mjs) in the temp folder, set by mainBench.
let SEA = '';

/**
 * @typedef {{ ms: number, stdout: string, stderr: string, maxRssKb: number | undefined }} Sample one timed run
 * @typedef {{ name: string, prepare?: () => void, run: () => Sample, check?: (sample: Sample, round: number) => unknown }} Variant
 * @typedef {{ goal: string, measured: string, met: boolean | undefined }} Goal met is undefined when not run or for reference
 * @typedef {{ title: string, command: string, table: string, goals: Goal[] }} BenchResult
 * @typedef {{ type: string, scopes: string[], value: string, overrides?: Record<string, string> }} StoredSecret
 * @typedef {{ organization?: string, secrets: Record<string, StoredSecret> }} SecretOwner
 */
const MAXRSS_PRELOAD = path.join(ROOT, 'bench', 'maxrss.cjs');
const DOTENVX = path.join(ROOT, 'node_modules', '.bin', 'dotenvx');
const EXAMPLE_STORE = path.join(ROOT, 'fixtures', 'example', 'store-example.json');
const OUTPUT = path.join(ROOT, 'BENCHMARKS.md');
const NODE = process.execPath;
const SPAWN_TIMEOUT_MS = 120_000;

const runsOverride = Number(process.env.BENCH_RUNS ?? '');
const runs = (/** @type {number} */ fallback) =>
  Number.isInteger(runsOverride) && runsOverride > 0 ? Math.max(10, runsOverride) : fallback;

// ---------------------------------------------------------------------------------------
// Processes and statistics

const log = (/** @type {string} */ text) => process.stderr.write(`${text}\n`);

/**
 * The children's environment: ours, minus what would change how the programs behave.
 * @param {Record<string, string>} [extra]
 */
function childEnv(extra = {}) {
  const env = { ...process.env };
  for (const name of ['NODE_OPTIONS', 'COMPOSER_AUTH', 'COMPOSER_SECRETS_STORE', 'COMPOSER', 'COMPOSER_SECRETS_DEBUG']) delete env[name];
  return { ...env, ...extra };
}

/**
 * Runs a command to the end; returns its wall time (ms), output and peak RSS when reported.
 * @param {string} label
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, expectCode?: number }} [options]
 * @returns {Sample}
 */
function timed(label, command, args, { cwd = ROOT, env = childEnv(), expectCode = 0 } = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: SPAWN_TIMEOUT_MS,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.error !== undefined) throw new Error(`${label}: could not run ${command}: ${result.error.message}`);
  if (result.status !== expectCode) {
    throw new Error(`${label}: exit ${result.status ?? result.signal} (expected ${expectCode})\n${result.stdout}\n${result.stderr}`);
  }
  const rss = /__BENCH_MAXRSS_KB=(\d+)/.exec(result.stderr);
  return { ms, stdout: result.stdout, stderr: result.stderr, maxRssKb: rss === null ? undefined : Number(rss[1]) };
}

/**
 * Runs the variants interleaved: warm-up rounds first (not counted), then `count` rounds of
 * A, B, C, ... Each variant: { name, prepare?() (untimed), run() -> sample, check?(sample, round) }.
 * @param {string} title
 * @param {Variant[]} variants
 * @param {number} count
 * @returns {Sample[][]}
 */
function interleaved(title, variants, count, warmup = 2) {
  const samples = variants.map(() => /** @type {Sample[]} */ ([]));
  const started = Date.now();
  for (let round = -warmup; round < count; round++) {
    for (const [k, variant] of variants.entries()) {
      variant.prepare?.();
      const sample = variant.run();
      variant.check?.(sample, round);
      if (round >= 0) samples[k]?.push(sample);
    }
  }
  log(`  ${title}: ${count} interleaved runs of ${variants.length} variants in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return samples;
}

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/**
 * @param {Sample[]} samples
 * @param {'ms' | 'maxRssKb'} [key]
 */
function summary(samples, key = 'ms') {
  const values = samples.map((s) => s[key] ?? NaN);
  return { n: values.length, median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

const fmtMs = (/** @type {number} */ ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const fmtX = (/** @type {number} */ ratio) => `${ratio.toFixed(2)}x`;
const fmtMiB = (/** @type {number} */ bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const verdict = (/** @type {boolean} */ met) => (met ? '**met**' : '**missed**');
/** A goal's result; rows marked (context) are measurements that carry no goal. */
const resultOf = (/** @type {Goal} */ g) =>
  g.met === undefined ? (g.goal.startsWith('(context)') ? 'for reference' : 'not run') : verdict(g.met);

// ---------------------------------------------------------------------------------------
// Data

/** A deterministic fake value: no randomness, so two runs measure the same files. */
const fake = (/** @type {string | number} */ seed, length = 32) => createHash('sha256').update(String(seed)).digest('hex').slice(0, length);

/** The 10 composer credentials: [secret name, value as composer-secrets takes it, `composer config` arguments]. */
const COMPOSER_CREDENTIALS = /** @type {Array<[name: string, value: string]>} */ ([
  ['http-basic.repo1.example.org', `ci-user-1 ${fake('p1')}`],
  ['http-basic.repo2.example.org', `ci-user-2 ${fake('p2')}`],
  ['http-basic.repo3.example.org', `ci-user-3 ${fake('p3')}`],
  ['http-basic.repo4.example.org:8443', `ci-user-4 ${fake('p4')}`],
  ['bearer.api1.example.org', fake('b1')],
  ['bearer.api2.example.org:8443', fake('b2')],
  ['github-oauth.github.com', `ghp_${fake('gh', 36)}`],
  ['gitlab-oauth.gitlab.com', fake('glo')],
  ['gitlab-token.gitlab.example.org', `glpat-${fake('glt', 20)}`],
  ['bitbucket-oauth.bitbucket.org', `${fake('bbk', 18)} ${fake('bbs')}`],
]).map(([name, value]) => /** @type {[name: string, value: string, configArgs: string[]]} */ ([name, value, [name, ...value.split(' ')]]));

const ENV_VARIABLES = Array.from(
  { length: 50 },
  (_, i) => /** @type {[name: string, value: string]} */ ([`BENCH_VAR_${String(i).padStart(2, '0')}`, `value-${i}-${fake(`env${i}`)}`]),
);

/** The build store: one site (shop) with 50 env secrets and 10 composer secrets, all `ic`. */
export function buildStore() {
  /** @type {Record<string, StoredSecret>} */
  const secrets = {};
  for (const [name, value] of ENV_VARIABLES) secrets[name] = { type: 'env', scopes: ['ic'], value };
  for (const [name, value] of COMPOSER_CREDENTIALS) secrets[name] = { type: 'composer', scopes: ['ic'], value };
  return { version: 1, organizations: {}, sites: { shop: { secrets } } };
}

const SCALE_SITES = 1000;
const SCALE_ORGS = 100;
const siteName = (/** @type {number} */ i) => `site-${String(i).padStart(4, '0')}`;
const orgName = (/** @type {number} */ i) => `org-${String(i).padStart(3, '0')}`;

/**
 * `count` secrets over 1000 sites and 100 organizations (site i belongs to org i % 100):
 * one in five at an organization; 60% env, 20% composer, 20% runtime; a quarter with a
 * dev override, an eighth also with a live one.
 * @param {number} count
 */
export function scaleStore(count) {
  /** @type {Record<string, SecretOwner>} */
  const organizations = {};
  /** @type {Record<string, SecretOwner>} */
  const sites = {};
  for (let o = 0; o < SCALE_ORGS; o++) organizations[orgName(o)] = { secrets: {} };
  for (let s = 0; s < SCALE_SITES; s++) sites[siteName(s)] = { organization: orgName(s % SCALE_ORGS), secrets: {} };
  const kinds = ['http-basic', 'bearer', 'github-oauth'];
  for (let j = 0; j < count; j++) {
    const owner =
      (j % 5 === 4 ? organizations[orgName(Math.floor(j / 5) % SCALE_ORGS)] : sites[siteName(j % SCALE_SITES)]) ??
      fail(`no owner for secret ${j}`);
    const t = j % 10;
    /** @type {string} */
    let name;
    /** @type {StoredSecret} */
    let secret;
    if (t < 6) {
      name = `VAR_${j}`;
      secret = { type: 'env', scopes: t % 2 === 0 ? ['ic'] : ['ic', 'web'], value: fake(j) };
    } else if (t < 8) {
      const kind = kinds[j % kinds.length];
      name = `${kind}.h${j}.example.org`;
      secret = { type: 'composer', scopes: ['ic'], value: kind === 'http-basic' ? `user${j} ${fake(j)}` : fake(j) };
    } else {
      name = `RUNTIME_${j}`;
      secret = { type: 'runtime', scopes: ['web'], value: fake(j) };
    }
    if (j % 4 === 0) secret.overrides = j % 8 === 0 ? { dev: fake(`d${j}`), live: fake(`l${j}`) } : { dev: fake(`d${j}`) };
    owner.secrets[name] = secret;
  }
  return { version: 1, organizations, sites };
}

/** As the CLI writes a store: two-space indentation, a final newline. */
const writeJson = (/** @type {string} */ file, /** @type {unknown} */ value) =>
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });

/**
 * @param {string} dir
 * @param {Record<string, string>} [files]
 */
function resetDir(dir, files = {}) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
}

const COMPOSER_JSON = `${JSON.stringify({ name: 'bench/project', description: 'benchmark project', require: {} }, null, 4)}\n`;

// ---------------------------------------------------------------------------------------
// The machine

/**
 * @param {string} command
 * @param {string[]} args
 */
function commandVersion(command, args) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: childEnv({ COMPOSER_DISABLE_NETWORK: '1', COMPOSER_ALLOW_SUPERUSER: '1' }),
  });
  if (result.error !== undefined || result.status !== 0) return undefined;
  return `${result.stdout}${result.stderr}`
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .at(-1);
}

function machine() {
  const cpus = os.cpus();
  const gitHead = spawnSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  const gitDirty = spawnSync('git', ['-C', ROOT, 'status', '--porcelain', '--', 'src', 'package.json'], { encoding: 'utf8' });
  return {
    date: new Date().toISOString(),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    loadavg: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    composer: commandVersion('composer', ['--version']),
    dotenvx: fs.existsSync(DOTENVX) ? commandVersion(NODE, [DOTENVX, '--version']) : undefined,
    commit:
      gitHead.status === 0
        ? `${gitHead.stdout.trim()}${gitDirty.status === 0 && gitDirty.stdout.trim() !== '' ? ' (src/ or package.json modified in the working tree)' : ''}`
        : 'unknown',
  };
}

/** @typedef {ReturnType<typeof machine> & ReturnType<typeof installPackage> & { loadavgEnd: string, busy: boolean }} Machine */

// ---------------------------------------------------------------------------------------
// The benchmarks

/**
 * @param {string[]} header
 * @param {string[][]} rows
 */
function table(header, rows) {
  const line = (/** @type {string[]} */ cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * @param {Array<[name: string, samples: Sample[]]>} entries
 * @param {Sample[]} reference
 */
function timingRows(entries, reference) {
  const ref = summary(reference);
  return entries.map(([name, samples]) => {
    const s = summary(samples);
    return [name, String(s.n), fmtMs(s.median), fmtMs(s.min), fmtMs(s.max), fmtX(s.median / ref.median), fmtX(s.min / ref.min)];
  });
}

// The ratio of minimums is less sensitive to other processes than the ratio of medians (the goals use medians).
const TIMING_HEADER = ['command', 'runs', 'median', 'min', 'max', 'median ratio', 'min ratio'];

/** "3.01x (minimums: 2.95x)": a ratio of medians with the ratio of minimums beside it. */
/**
 * @param {Sample[]} a
 * @param {Sample[]} b
 */
function ratioText(a, b) {
  return `${fmtX(summary(a).median / summary(b).median)} (minimums: ${fmtX(summary(a).min / summary(b).min)})`;
}

/** Start-up: `plan` of the example store, installed and as the single executable, against a bare node, interleaved. */
/**
 * @param {number} count
 * @returns {BenchResult}
 */
function benchStartup(count) {
  const planArgs = ['--store', path.relative(ROOT, EXAMPLE_STORE), 'plan', '--site', 'shop', '--env', 'dev'];
  const printedPlan = (/** @type {Sample} */ s) => s.stdout.includes('shop') || fail('plan printed no plan');
  const [plan = fail('no samples'), sea = fail('no samples'), floor = fail('no samples')] = interleaved(
    'start-up',
    [
      { name: 'plan', run: () => timed('plan', NODE, [CLI, ...planArgs]), check: printedPlan },
      { name: 'single executable', run: () => timed('single executable', SEA, planArgs), check: printedPlan },
      { name: 'node -e 0', run: () => timed('node -e 0', NODE, ['-e', '0']) },
    ],
    count,
  );
  const ratio = summary(plan).median / summary(floor).median;
  return {
    title: '1. Start-up: `plan` of the example store vs bare node',
    command:
      '`node node_modules/composer-secrets/dist/cli.cjs --store fixtures/example/store-example.json plan --site shop --env dev` (the package installed from `npm pack`; cwd: the repository) ' +
      'vs the single executable (`npm run sea`) with the same arguments vs `node -e 0`',
    table: table(
      TIMING_HEADER,
      timingRows(
        [
          ['`plan --site shop --env dev` (installed)', plan],
          ['the same, single executable', sea],
          ['`node -e 0` (floor)', floor],
        ],
        floor,
      ),
    ),
    goals: [
      { goal: '`plan` (installed) <= 1.5x bare node', measured: ratioText(plan, floor), met: ratio <= 1.5 },
      { goal: "(context) the single executable's `plan` vs bare node", measured: ratioText(sea, floor), met: undefined },
    ],
  };
}

/**
 * @param {string} tmp
 * @param {number} count
 * @returns {BenchResult & { store: string }}
 */
function benchBuild(tmp, count) {
  const store = path.join(tmp, 'build-store.json');
  writeJson(store, buildStore());
  const project = path.join(tmp, 'build-project');
  resetDir(project, { 'composer.json': COMPOSER_JSON });
  const dotenvDir = path.join(tmp, 'dotenvx-project');
  resetDir(dotenvDir, { 'composer.json': COMPOSER_JSON, '.env': ENV_VARIABLES.map(([n, v]) => `${n}=${v}\n`).join('') });
  const env = childEnv({
    COMPOSER_HOME: path.join(tmp, 'composer-home'),
    COMPOSER_NO_INTERACTION: '1',
    COMPOSER_ALLOW_SUPERUSER: '1',
    COMPOSER_DISABLE_NETWORK: '1',
  });
  const truePath = ['/usr/bin/true', '/bin/true'].find((p) => fs.existsSync(p)) ?? fail('no `true` program at /usr/bin/true or /bin/true');

  // Once, before timing: the plan is what we think it is.
  const planned = JSON.parse(
    timed('build plan', NODE, [CLI, '--store', store, 'plan', '--site', 'shop', '--env', 'dev', '--dir', project, '--json'], {
      cwd: project,
      env,
    }).stdout,
  );
  /** @type {string[]} */
  const kinds = planned.secrets.map((/** @type {{ becomes: { kind: string } }} */ s) => s.becomes.kind);
  if (kinds.filter((k) => k === 'variable').length !== 50 || kinds.filter((k) => k === 'auth-entry').length !== 10)
    fail(`the build store plans ${kinds.join(',')}`);

  const buildArgs = [CLI, '--store', store, 'build', '--site', 'shop', '--env', 'dev', '--dir', project, '--composer', truePath];
  /** @type {Variant[]} */
  const variants = [
    {
      name: 'build',
      run: () => timed('build', NODE, buildArgs, { cwd: project, env }),
      // The build wrote auth.json, ran `true`, and put everything back.
      check: () => {
        const left = fs.readdirSync(project);
        if (left.length !== 1 || left[0] !== 'composer.json') fail(`build left ${left.join(', ')} in the project`);
      },
    },
    { name: 'node -e 0', run: () => timed('node -e 0', NODE, ['-e', '0'], { env }) },
  ];
  const haveDotenvx = fs.existsSync(DOTENVX);
  if (haveDotenvx) {
    variants.push({
      name: 'dotenvx',
      run: () => timed('dotenvx', DOTENVX, ['run', '-f', '.env', '--', 'true'], { cwd: dotenvDir, env }),
      check: (s) => `${s.stdout}${s.stderr}`.includes('(50)') || fail(`dotenvx did not report 50 variables: ${s.stdout}${s.stderr}`),
    });
  }
  const [build = fail('no samples'), floor = fail('no samples'), dotenvx] = interleaved('build', variants, count);
  const b = summary(build).median;
  /** @type {Goal[]} */
  const goals = [{ goal: '`build` <= 2x bare node', measured: ratioText(build, floor), met: b / summary(floor).median <= 2 }];
  /** @type {Array<[string, Sample[]]>} */
  const rows = [
    ['`build` (composer = `true`)', build],
    ['`node -e 0` (floor)', floor],
  ];
  if (dotenvx !== undefined) {
    rows.push(['`dotenvx run -f .env -- true`', dotenvx]);
    const r = b / summary(dotenvx).median;
    goals.push({ goal: '`build` faster than `dotenvx run`', measured: `${ratioText(build, dotenvx)} of dotenvx`, met: r < 1 });
  } else {
    goals.push({ goal: '`build` faster than `dotenvx run`', measured: 'not run: node_modules/.bin/dotenvx is missing', met: undefined });
  }
  return {
    title: '2. A whole `build` (composer replaced by `true`)',
    command:
      `a store with one site: 50 \`env\` and 10 \`composer\` secrets (\`ic\`); \`node dist/cli.cjs --store STORE build --site shop --env dev --dir PROJECT --composer ${truePath}\` ` +
      '(writes auth.json, runs `true install --no-interaction`, restores; PROJECT holds only composer.json and is not a git work tree) ' +
      'vs `node -e 0` vs `node_modules/.bin/dotenvx run -f .env -- true` with the same 50 variables in .env. Ratios are against `node -e 0`.',
    table: table(TIMING_HEADER, timingRows(rows, floor)),
    goals,
    store,
  };
}

/**
 * @param {string} tmp
 * @param {string} store
 * @param {number} count
 * @returns {BenchResult}
 */
function benchAuthJson(tmp, store, count) {
  const composerVersion = commandVersion('composer', ['--version']);
  if (composerVersion === undefined) {
    return {
      title: '3. Writing 10 auth entries',
      command: 'composer is not installed: not run',
      table: '',
      goals: [{ goal: '-', measured: 'not run', met: undefined }],
    };
  }
  const env = childEnv({
    COMPOSER_HOME: path.join(tmp, 'composer-home'),
    COMPOSER_NO_INTERACTION: '1',
    COMPOSER_ALLOW_SUPERUSER: '1',
    COMPOSER_DISABLE_NETWORK: '1',
  });
  const ours = path.join(tmp, 'auth-ours');
  const theirs = path.join(tmp, 'auth-composer');
  const [cs = fail('no samples'), manual = fail('no samples')] = interleaved(
    'auth-json',
    [
      {
        name: 'auth-json',
        prepare: () => resetDir(ours, { 'composer.json': COMPOSER_JSON }),
        run: () =>
          timed(
            'auth-json',
            NODE,
            [CLI, '--store', store, 'auth-json', '--site', 'shop', '--env', 'dev', '--output', path.join(ours, 'auth.json')],
            { cwd: ours, env },
          ),
      },
      {
        name: 'composer config x10',
        prepare: () => resetDir(theirs, { 'composer.json': COMPOSER_JSON }),
        run: () => {
          let ms = 0;
          for (const [, , args] of COMPOSER_CREDENTIALS)
            ms += timed('composer config', 'composer', ['config', ...args], { cwd: theirs, env }).ms;
          return { ms, stdout: '', stderr: '', maxRssKb: undefined };
        },
        // Both ways end with the same auth.json content.
        check: (_s, round) => {
          if (round !== 0) return;
          const a = JSON.parse(fs.readFileSync(path.join(ours, 'auth.json'), 'utf8'));
          const b = JSON.parse(fs.readFileSync(path.join(theirs, 'auth.json'), 'utf8'));
          if (!isDeepStrictEqual(a, b))
            fail(`auth-json and composer config wrote different documents:\n${JSON.stringify(a)}\n${JSON.stringify(b)}`);
        },
      },
    ],
    count,
  );
  const r = summary(cs).median / summary(manual).median;
  return {
    title: '3. Writing 10 auth entries: `auth-json` vs 10 `composer config` calls',
    command:
      '`node dist/cli.cjs --store STORE auth-json --site shop --env dev --output PROJECT/auth.json` (the build store: 10 composer secrets of 6 kinds, 2 hosts with a port) vs ' +
      `10 calls \`composer config <kind>.<host> <value...>\` (${composerVersion}; own COMPOSER_HOME, COMPOSER_NO_INTERACTION=1, COMPOSER_ALLOW_SUPERUSER=1, COMPOSER_DISABLE_NETWORK=1; ` +
      'in 2.5.5 `--auth` only selects the file for `--editor`, and without `--global` auth keys go to the project auth.json). Each run starts from a fresh folder holding only composer.json; ' +
      'the two auth.json documents are checked equal. Ratios are against the composer calls.',
    table: table(
      TIMING_HEADER,
      timingRows(
        [
          ['`auth-json` (1 process)', cs],
          ['`composer config` x10', manual],
        ],
        manual,
      ),
    ),
    goals: [
      {
        goal: '`auth-json` faster than the manual way (not a stated goal, reported)',
        measured: `${ratioText(cs, manual)} of the composer calls`,
        met: r < 1,
      },
    ],
  };
}

/**
 * @param {string} tmp
 * @param {number} count
 * @returns {BenchResult}
 */
function benchScale(tmp, count) {
  const sizes = [1_000, 10_000, 100_000];
  const stores = sizes.map((n) => {
    const file = path.join(tmp, `scale-${n}.json`);
    writeJson(file, scaleStore(n));
    return { n, file, bytes: fs.statSync(file).size };
  });
  const site = siteName(42);
  const parseCode = "globalThis.store = JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'))";
  /** @type {Variant[]} */
  const variants = [
    { name: 'floor', run: () => timed('node -e 0', NODE, ['--require', MAXRSS_PRELOAD, '-e', '0']) },
    // The CLI's own fixed cost: a plan of the 6-secret example store.
    {
      name: 'cli',
      run: () =>
        timed(
          'plan example',
          NODE,
          ['--require', MAXRSS_PRELOAD, CLI, '--store', EXAMPLE_STORE, 'plan', '--site', 'shop', '--env', 'dev'],
          { cwd: tmp },
        ),
    },
  ];
  for (const s of stores) {
    variants.push({ name: `parse ${s.n}`, run: () => timed(`parse ${s.n}`, NODE, ['--require', MAXRSS_PRELOAD, '-e', parseCode, s.file]) });
    variants.push({
      name: `plan ${s.n}`,
      run: () =>
        timed(`plan ${s.n}`, NODE, ['--require', MAXRSS_PRELOAD, CLI, '--store', s.file, 'plan', '--site', site, '--env', 'dev'], {
          cwd: tmp,
        }),
      check: (r) => r.stdout.includes(site) || fail(`plan ${s.n} printed no plan`),
    });
  }
  const samples = interleaved('scale', variants, count, 1);
  const [floor = fail('no samples'), cli = fail('no samples')] = samples;
  const floorMs = summary(floor).median;
  const floorRss = summary(floor, 'maxRssKb').median * 1024;
  const cliMs = summary(cli).median;
  const cliRss = summary(cli, 'maxRssKb').median * 1024;
  const rows = [
    ['`node -e 0` (floor)', '-', String(floor.length), fmtMs(floorMs), '-', fmtMiB(floorRss), '-', '-', '-'],
    [
      "`plan` of the example store (the CLI's fixed cost)",
      '0.0 MiB',
      String(cli.length),
      fmtMs(cliMs),
      '-',
      fmtMiB(cliRss),
      fmtMiB(cliRss - floorRss),
      '-',
      '-',
    ],
  ];
  /** @type {Goal[]} */
  const goals = [];
  const perSize = stores.map((s, i) => {
    const parse = samples[2 + 2 * i] ?? fail(`no samples for parse ${s.n}`);
    const plan = samples[3 + 2 * i] ?? fail(`no samples for plan ${s.n}`);
    const parseMs = summary(parse).median;
    const planMs = summary(plan).median;
    const parseRss = summary(parse, 'maxRssKb').median * 1024;
    const planRss = summary(plan, 'maxRssKb').median * 1024;
    rows.push([
      `parse ${s.n.toLocaleString('en')}`,
      fmtMiB(s.bytes),
      String(parse.length),
      fmtMs(parseMs),
      '1.00x',
      fmtMiB(parseRss),
      fmtMiB(parseRss - floorRss),
      fmtX((parseRss - floorRss) / s.bytes),
      '-',
    ]);
    rows.push([
      `**plan ${s.n.toLocaleString('en')}**`,
      fmtMiB(s.bytes),
      String(plan.length),
      fmtMs(planMs),
      fmtX(planMs / parseMs),
      fmtMiB(planRss),
      fmtMiB(planRss - floorRss),
      fmtX((planRss - floorRss) / s.bytes),
      fmtX((planRss - cliRss) / s.bytes),
    ]);
    goals.push({
      goal: `${s.n.toLocaleString('en')} secrets: \`plan\` <= 3x the parse time`,
      measured: ratioText(plan, parse),
      met: planMs / parseMs <= 3,
    });
    goals.push({
      goal: `${s.n.toLocaleString('en')} secrets: \`plan\` peak memory above node's <= 4x the file size`,
      measured: `${fmtMiB(planRss - floorRss)} = ${fmtX((planRss - floorRss) / s.bytes)} of ${fmtMiB(s.bytes)}`,
      met: planRss - floorRss <= 4 * s.bytes,
    });
    return { ...s, parseMs, planMs, parseRss, planRss };
  });
  const k10 = perSize[1] ?? fail('no 10k store');
  const k100 = perSize[2] ?? fail('no 100k store');
  const timeGrowth = (k100.planMs - floorMs) / (k10.planMs - floorMs);
  const memGrowth = (k100.planRss - floorRss) / (k10.planRss - floorRss);
  const parseGrowth = (k100.parseMs - floorMs) / (k10.parseMs - floorMs);
  goals.push({
    goal: '10k -> 100k: `plan` time above the floor grows about 10x, no worse (<= 12x)',
    measured: `${fmtX(timeGrowth)} (whole process: ${fmtX(k100.planMs / k10.planMs)}; bare parse above the floor: ${fmtX(parseGrowth)})`,
    met: timeGrowth <= 12,
  });
  goals.push({
    goal: "10k -> 100k: `plan` peak memory above node's grows about 10x, no worse (<= 12x)",
    measured: fmtX(memGrowth),
    met: memGrowth <= 12,
  });
  return {
    title: '4. Scale: `plan` for one site vs a bare `JSON.parse` of the same store',
    command:
      `stores of 1k, 10k and 100k secrets over ${SCALE_SITES} sites and ${SCALE_ORGS} organizations (one secret in five at an organization; 60% env, 20% composer, 20% runtime; ` +
      `a quarter with overrides), written as the CLI writes them (2-space JSON). \`node --require bench/maxrss.cjs dist/cli.cjs --store FILE plan --site ${site} --env dev\` vs ` +
      '`node --require bench/maxrss.cjs -e "JSON.parse(readFileSync(FILE))"` vs `node --require bench/maxrss.cjs -e 0` (the floor, also the memory baseline), ' +
      "with a `plan` of the 6-secret example store alongside to show the CLI's fixed cost (its peak RSS is the base of the last column, informative only). " +
      "The preload prints the peak RSS (VmHWM of /proc/self/status; getrusage's maxRSS would count the forked copy of this bench) at exit; every variant carries it. Time ratios are against the parse of the same file; " +
      '"above node" is the median peak RSS minus the floor\'s.',
    table: table(
      [
        'command',
        'file',
        'runs',
        'median time',
        'ratio to parse',
        'peak RSS (median)',
        'above node',
        'above node / file',
        "above the CLI's fixed cost / file",
      ],
      rows,
    ),
    goals,
  };
}

/**
 * The leak sweep: `scan` of a generated vendor tree (about 30,000 files, 300 MB) for the
 * values of the build store, vs `grep -rlF -f PATTERNS` over the same tree with the same
 * byte strings (every form the sweep looks for). Both read the files from the page cache
 * after the warm-up rounds; neither finds anything, so both read every byte.
 */
/** `grep (GNU grep) 3.8`: the first line of --version (commandVersion takes the last). */
/** @param {string | undefined} grep */
function grepVersion(grep) {
  const result = grep === undefined ? undefined : spawnSync(grep, ['--version'], { encoding: 'utf8' });
  return result?.status === 0 ? result.stdout.split('\n')[0] : 'grep';
}

/**
 * @param {string} tmp
 * @param {string} store
 * @param {number} count
 * @returns {Promise<BenchResult>}
 */
async function benchSweep(tmp, store, count) {
  const tree = path.join(tmp, 'sweep-tree');
  const started = Date.now();
  const made = generateVendorTree(tree);
  log(`  sweep: generated ${made.files} files, ${fmtMiB(made.bytes)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const library = await import(pathToFileURL(path.join(path.dirname(CLI), 'index.js')).href);
  const secrets = await library.localStoreSource(fs.promises, store).fetch({ site: 'shop' });
  const { payload } = library.planBuild({
    site: 'shop',
    environment: 'dev',
    resolved: library.resolveForEnvironment({ ...secrets, environment: 'dev' }),
  });
  const { patterns } = library.leakPatterns(library.sweptValues(payload));
  const patternsFile = path.join(tmp, 'sweep-patterns.txt');
  fs.writeFileSync(patternsFile, `${patterns.map((/** @type {Uint8Array} */ p) => Buffer.from(p).toString('latin1')).join('\n')}\n`, {
    encoding: 'latin1',
  });
  const grep = ['/usr/bin/grep', '/bin/grep'].find((p) => fs.existsSync(p));
  const scanArgs = [CLI, '--store', store, 'scan', tree, '--site', 'shop', '--env', 'dev'];
  /** @type {Variant[]} */
  const variants = [
    {
      name: 'scan',
      run: () => timed('scan', NODE, scanArgs),
      check: (s) => s.stderr.includes(`in ${made.files} files`) || fail(`scan did not read every file: ${s.stderr}`),
    },
  ];
  if (grep !== undefined)
    variants.push({ name: 'grep', run: () => timed('grep', grep, ['-rlF', '-f', patternsFile, tree], { expectCode: 1 }) });
  const [scan = fail('no samples'), grepSamples] = interleaved('sweep', variants, count, 1);
  const command =
    `${made.files} files, ${fmtMiB(made.bytes)} in ${made.packages} packages (\`bench/vendor-tree.mjs\`: PHP, JSON, Markdown, JavaScript, YAML and binary files, sizes log-normal around a few KiB up to 2 MiB); ` +
    `the build store of benchmark 2 (50 \`env\` and 10 \`composer\` secrets): ${patterns.length} byte strings looked for (every form of every value, \`username:password\` pairs included). ` +
    `\`node dist/cli.cjs --store STORE scan TREE --site shop --env dev\` vs \`grep -rlF -f PATTERNS TREE\` (${grepVersion(grep)}; LANG=${process.env.LANG ?? ''}, LC_ALL=${process.env.LC_ALL ?? ''}) with the same byte strings; neither finds anything, so both read every byte. scan's time includes node's start-up and resolving the store.`;
  if (grepSamples === undefined) {
    return {
      title: '5. The leak sweep vs grep',
      command,
      table: table(TIMING_HEADER, timingRows([['`scan`', scan]], scan)),
      goals: [{ goal: 'sweep <= 1.0x `grep -rlF -f`', measured: 'not run: no grep', met: undefined }],
    };
  }
  const ratio = summary(scan).median / summary(grepSamples).median;
  return {
    title: '5. The leak sweep vs grep',
    command,
    table: table(
      TIMING_HEADER,
      timingRows(
        [
          ['`scan TREE` (the sweep a build runs)', scan],
          ['`grep -rlF -f PATTERNS TREE`', grepSamples],
        ],
        grepSamples,
      ),
    ),
    goals: [{ goal: 'sweep <= 1.0x `grep -rlF -f` over the same tree', measured: ratioText(scan, grepSamples), met: ratio <= 1 }],
  };
}

/**
 * @param {string} message
 * @returns {never}
 */
function fail(message) {
  throw new Error(message);
}

// ---------------------------------------------------------------------------------------
// The run

/**
 * @param {Machine} info
 * @param {BenchResult[]} results
 * @param {number} seconds
 */
function render(info, results, seconds) {
  const goalRows = results.flatMap((r) =>
    r.goals.map((g) => [(r.title.split(':')[0] ?? '').replace(/`/g, ''), g.goal, g.measured, resultOf(g)]),
  );
  const sections = results.map((r) =>
    [
      `## ${r.title}`,
      '',
      r.command,
      '',
      r.table,
      '',
      table(
        ['goal', 'measured', 'result'],
        r.goals.map((g) => [g.goal, g.measured, resultOf(g)]),
      ),
    ].join('\n'),
  );
  return [
    '# Benchmarks',
    '',
    'Generated by `npm run bench` (`npm run build && node bench/run.mjs`); do not edit by hand.',
    "Every timing is the wall time of a whole process, `process.hrtime.bigint()` around `spawnSync`, so node's own start-up is in every number.",
    'The variants of a benchmark run interleaved (A, B, A, B, ...) after untimed warm-up rounds; tables give medians (and min/max), the ratio of medians (what the goals are judged on) ' +
      'and the ratio of minimums (less sensitive to other processes on the machine).',
    '',
    '## Machine',
    '',
    ...(info.busy
      ? [
          `> The machine was busy while this ran (1-minute load average ${info.loadavg.split(' ')[0]} at the start, ${info.loadavgEnd.split(' ')[0]} at the end, on ${info.cores} cores): other processes shared the CPUs, so times are inflated and ratios are noisier. Run again on a quiet machine before comparing against these numbers.`,
          '',
        ]
      : []),
    table(
      ['', ''],
      [
        ['date', info.date],
        ['cpu', info.cpu],
        ['cores', String(info.cores)],
        ['memory', info.memory],
        ['os', info.os],
        ['node', info.node],
        ['load average at start, at end (1, 5, 15 min)', `${info.loadavg}; ${info.loadavgEnd}`],
        ['composer', info.composer ?? 'not installed'],
        ['dotenvx', info.dotenvx ?? 'not installed'],
        ['commit', info.commit],
        ['package measured (`npm pack`, installed from the tarball)', info.packed],
        ['CLI measured (its dist/)', info.bundle],
        ['single executable measured', info.sea],
        ['bench wall time', `${seconds.toFixed(0)} s`],
      ],
    ),
    '',
    '## Goals',
    '',
    table(['benchmark', 'goal', 'measured', 'result'], goalRows),
    '',
    ...sections.flatMap((s) => [s, '']),
  ].join('\n');
}

/**
 * Packs dist/ and installs the tarball into the temp folder, as a user gets it (npm gives
 * every file new times), and builds the single executable there; the bench measures those:
 * a rebuild of dist/ during the run (npm test runs one) can then neither break the run nor
 * mix two builds in one table.
 * @param {string} tmp
 */
function installPackage(tmp) {
  if (!fs.existsSync(path.join(BUILT, 'cli.cjs'))) fail('dist/cli.cjs is missing: run npm run build first (npm run bench does)');
  const npmEnv = childEnv({
    npm_config_cache: path.join(tmp, 'npm-cache'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  });
  // --ignore-scripts: prepack would build again what npm run bench has just built.
  const [{ filename }] = JSON.parse(
    timed('npm pack', 'npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { env: npmEnv }).stdout,
  );
  const app = path.join(tmp, 'installed');
  resetDir(app, { 'package.json': '{ "name": "bench", "private": true }' });
  timed('npm install', 'npm', ['install', '--offline', path.join(tmp, filename)], { cwd: app, env: npmEnv });
  const dist = path.join(app, 'node_modules', 'composer-secrets', 'dist');
  const { loadBundle, codeCacheFile, COMMANDS_WITH_OWN_CACHE } = createRequire(import.meta.url)(path.join(dist, 'cli.cjs'));
  for (const command of [...COMMANDS_WITH_OWN_CACHE, 'secret:site:list']) {
    const cacheFile = codeCacheFile([command]);
    if (!loadBundle(dist, { cacheFile }).cacheUsed) fail(`the installed package does not start from its code cache (dist/${cacheFile})`);
  }
  CLI = path.join(dist, 'cli.cjs');
  SEA = path.join(tmp, 'composer-secrets');
  timed('npm run sea', NODE, [path.join(ROOT, 'scripts', 'build-sea.mjs'), SEA]);
  const files = fs.readdirSync(dist).filter((f) => f.startsWith('cli'));
  const bytes = (/** @type {string} */ f) => fs.statSync(path.join(dist, f)).size;
  const tarball = fs.statSync(path.join(tmp, filename)).size;
  return {
    bundle: files
      .sort((a, b) => bytes(b) - bytes(a))
      .map((f) => `${f} ${(bytes(f) / 1024).toFixed(0)} KiB`)
      .join(', '),
    packed: `${filename} ${(tarball / 1024).toFixed(0)} KiB`,
    sea: `${(fs.statSync(SEA).size / 1024 / 1024).toFixed(1)} MiB`,
  };
}

async function mainBench() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'composer-secrets-bench-'));
  const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });
  const onSignal = (/** @type {NodeJS.Signals} */ signal) => {
    cleanup();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const started = Date.now();
  try {
    /** @type {Machine} */
    const info = { ...machine(), ...installPackage(tmp), loadavgEnd: '', busy: false };
    log(`composer-secrets bench: ${info.cpu}, ${info.cores} cores, node ${info.node}; temp folder ${tmp}`);
    const results = [];
    results.push(benchStartup(runs(30)));
    const build = benchBuild(tmp, runs(20));
    results.push(build);
    results.push(benchAuthJson(tmp, build.store, runs(10)));
    results.push(benchScale(tmp, runs(10)));
    results.push(await benchSweep(tmp, build.store, runs(10)));
    const seconds = (Date.now() - started) / 1000;
    info.loadavgEnd = os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    // The bench itself keeps about one core busy.
    info.busy = Math.max(Number(info.loadavg.split(' ')[0]), os.loadavg()[0] ?? 0) > info.cores * 0.5 + 1;
    fs.writeFileSync(OUTPUT, render(info, results, seconds));
    for (const r of results)
      for (const g of r.goals) log(`  ${g.met === undefined ? resultOf(g) : g.met ? 'met    ' : 'MISSED '} ${g.goal}: ${g.measured}`);
    log(`wrote ${path.relative(process.cwd(), OUTPUT) || OUTPUT} in ${seconds.toFixed(0)} s`);
  } finally {
    cleanup();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await mainBench();

// The layout of src/ as a rule: the core (model, resolve, plan, and the validation
// machinery beneath them) touches no file, process, network, environment or clock, and no
// module imports from a folder later in the flow. Read from the sources with a small import
// scanner: every `import`/`export ... from` and `import(...)`, type-only ones included.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../src');
/** The widest line src/ may hold (#15); Biome wraps code there, but not strings or comments. */
const MAX_LINE = 140;

/**
 * The flow, first to last. A module may import from its own place or an earlier one.
 * validation/, errors.ts and counted.ts (counts in messages) are machinery every layer uses; io/ holds the edge's types and
 * real implementations (file system, lock, process runner), beside model/ (which may not
 * use it: see the purity test); context.ts is the edge a command is handed, built of io/'s
 * types; disk-plan/ plans a build against the disk, reading the journal apply/ writes, and writes
 * nothing; sweep/ uses run/'s masked forms of a value, so the build command hands run/build.ts its
 * leak check; index.ts is the library, over everything.
 */
const FLOW: readonly (readonly string[])[] = [
  ['validation', 'errors.ts', 'counted.ts'],
  ['model', 'io'],
  ['context.ts'],
  ['sources'],
  ['resolve'],
  ['plan'],
  ['apply'],
  ['disk-plan'],
  ['run'],
  ['sweep'],
  ['cli'],
  ['index.ts'],
];

/**
 * Upward imports still to be removed, each `from -> to` (paths under src/). Empty this list;
 * do not add to it.
 */
const UPWARD_ALLOWED: ReadonlySet<string> = new Set<string>();

const CORE = ['model', 'resolve', 'plan'];
const EDGE_PLACES = ['io', 'sources', 'apply', 'disk-plan', 'run', 'sweep', 'cli', 'context.ts'];
const EDGE_PACKAGES =
  /^(node:)?(fs|fs\/promises|child_process|net|http|https|http2|dgram|dns|tls|worker_threads|cluster|perf_hooks)$|^(execa|fs-extra|proper-lockfile|yargs)(\/|$)/;
/** Reading the environment or the clock, in code (comments are stripped first). */
const EDGE_CALLS = [
  /\bprocess\s*\.\s*(env|hrtime|cwd|argv|std(in|out|err)|exit|kill|pid)\b/,
  /\bDate\s*\.\s*now\b/,
  /\bnew\s+Date\s*\(\s*\)/,
  /\bperformance\s*\.\s*now\b/,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const IMPORT =
  /(?:^|[\s;}])(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

type Module = { file: string; imports: string[]; packages: string[]; code: string };

function readModule(file: string): Module {
  const code = withoutComments(readFileSync(file, 'utf8'));
  const imports: string[] = [];
  const packages: string[] = [];
  for (const match of code.matchAll(IMPORT)) {
    const spec = match[1] ?? match[2] ?? match[3] ?? expect.unreachable(`an import in ${file} without a module name`);
    if (spec.startsWith('.')) imports.push(path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
    else packages.push(spec);
  }
  return { file, imports: imports.filter((target) => target.startsWith(SRC + path.sep)), packages, code };
}

const modules = new Map(sourceFiles(SRC).map((file) => [file, readModule(file)]));
const relative = (file: string) => path.relative(SRC, file).split(path.sep).join('/');
/** model/names.ts -> model; context.ts -> context.ts */
const placeOf = (file: string) => relative(file).split('/')[0] ?? '';
const stepOf = (file: string) => FLOW.findIndex((places) => places.includes(placeOf(file)));

/** Every module `file` reaches through its imports, itself included. */
function reachedFrom(file: string): Module[] {
  const seen = new Set<string>([file]);
  const pending = [file];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    for (const target of modules.get(next)?.imports ?? []) {
      if (!seen.has(target)) {
        seen.add(target);
        pending.push(target);
      }
    }
  }
  return [...seen].flatMap((reached) => modules.get(reached) ?? []);
}

/** What in the core reaches the edge: `reached file <what> (from core file)`, once per reached file. */
function edgeReachedByCore(): string[] {
  const firstReachedFrom = new Map<Module, string>();
  for (const file of modules.keys()) {
    if (!CORE.includes(placeOf(file))) continue;
    for (const reached of reachedFrom(file)) if (!firstReachedFrom.has(reached)) firstReachedFrom.set(reached, relative(file));
  }
  return [...firstReachedFrom].flatMap(([reached, from]) => {
    const at = (what: string) => `${relative(reached.file)} ${what} (from ${from})`;
    return [
      ...(EDGE_PLACES.includes(placeOf(reached.file)) ? [at('is the edge')] : []),
      ...reached.packages.filter((p) => EDGE_PACKAGES.test(p)).map((p) => at(`imports ${p}`)),
      ...EDGE_CALLS.filter((pattern) => pattern.test(reached.code)).map((pattern) => at(`uses ${pattern.source}`)),
    ];
  });
}

describe('the layout of src/', () => {
  it('the scanner sees the imports (a sanity check of the test itself)', () => {
    const plan = modules.get(path.join(SRC, 'plan/build-plan.ts')) ?? expect.unreachable('plan/build-plan.ts was not read');
    expect(plan.imports.length).toBeGreaterThan(2);
    expect(reachedFrom(plan.file).map((m) => relative(m.file))).toContain('model/names.ts');
    expect(modules.get(path.join(SRC, 'io/process-runner.ts'))?.packages).toContain('execa');
    expect([...modules.keys()].every((file) => stepOf(file) !== -1)).toBe(true);
  });

  it('the core (model, resolve, plan and what they import) touches no file, process, network, environment or clock', () => {
    expect(edgeReachedByCore()).toEqual([]);
  });

  it('no module imports from a later place in the flow, but for the listed ones', () => {
    const upward: string[] = [];
    for (const module of modules.values()) {
      for (const target of module.imports) {
        if (modules.has(target) && stepOf(target) > stepOf(module.file)) upward.push(`${relative(module.file)} -> ${relative(target)}`);
      }
    }
    expect(upward.filter((edge) => !UPWARD_ALLOWED.has(edge))).toEqual([]);
    // A listed import that is gone is taken off the list.
    expect([...UPWARD_ALLOWED].filter((edge) => !upward.includes(edge))).toEqual([]);
  });

  it(`no line of src/ is longer than ${MAX_LINE} characters`, () => {
    const tooLong = [...modules.keys()].flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) => ([...line].length > MAX_LINE ? [`${relative(file)}:${index + 1}`] : [])),
    );
    expect(tooLong).toEqual([]);
  });

  it("a warning's prefix on standard error is written in one place (context.ts writeWarning)", () => {
    const writers = [...modules.keys()].filter((file) => readFileSync(file, 'utf8').includes('composer-secrets: warning: '));
    expect(writers.map(relative)).toEqual(['context.ts']);
  });
});

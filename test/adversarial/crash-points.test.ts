// SIGKILL at every point of a build: the file system is recorded after each change the
// build makes, and from every one of those states `restore` must give back the original
// byte for byte with its mode, leaving no journal and no temp file behind.
import { describe, expect, it } from 'vitest';
import type { FileSystem } from '../../src/io/file-system.js';
import { memoryContext } from '../support/memory-context.js';

const PROJECT = '/work/project';
const AUTH = `${PROJECT}/auth.json`;
const ORIGINAL = '{"github-oauth": {"github.com": "original-token"}}\n';

type Snapshot = Map<string, { content: Buffer; mode: number }>;

function snapshot(volume: ReturnType<typeof memoryContext>['volume']): Snapshot {
  const files: Snapshot = new Map();
  for (const file of Object.keys(volume.toJSON())) {
    const stat = volume.lstatSync(file);
    if (stat.isFile()) files.set(file, { content: volume.readFileSync(file) as Buffer, mode: Number(stat.mode) & 0o7777 });
  }
  return files;
}

/** Wraps the file system so that every change is followed by a snapshot. */
function recording(fs: FileSystem, take: () => void): FileSystem {
  const after = <T>(p: Promise<T>) =>
    p.then((v) => {
      take();
      return v;
    });
  return {
    ...fs,
    writeFile: ((...a: Parameters<FileSystem['writeFile']>) => after(fs.writeFile(...a))) as FileSystem['writeFile'],
    rename: (...a) => after(fs.rename(...a)),
    unlink: (...a) => after(fs.unlink(...a)),
    chmod: (...a) => after(fs.chmod(...a)),
    mkdir: ((...a: Parameters<FileSystem['mkdir']>) => after(fs.mkdir(...a))) as FileSystem['mkdir'],
    open: (async (...a: Parameters<FileSystem['open']>) => {
      const handle = await fs.open(...a);
      take();
      return new Proxy(handle, {
        get(target, key, receiver) {
          const value = Reflect.get(target, key, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            const result = value.apply(target, args);
            return result instanceof Promise ? after(result) : result;
          };
        },
      });
    }) as FileSystem['open'],
  };
}

async function killedStates(withOriginal: boolean): Promise<Snapshot[]> {
  const m = memoryContext({
    files: { [`${PROJECT}/composer.json`]: '{}' },
    programs: {
      composer: () => {
        states.push(snapshot(m.volume));
        return { exitCode: 0 };
      },
    },
  });
  const states: Snapshot[] = [];
  for (const argv of [
    ['secret:site:set', 'shop', 'bearer.repo.example.org', 'CANARY-kill', '--type', 'composer', '--scope', 'ic'],
    ['secret:site:set', 'shop', 'ACF_KEY', 'CANARY-env', '--type', 'env', '--scope', 'ic'],
  ]) {
    expect((await m.run(argv)).code).toBe(0);
  }
  if (withOriginal) m.volume.writeFileSync(AUTH, ORIGINAL, { mode: 0o640 });
  m.ctx.fs = recording(m.ctx.fs, () => states.push(snapshot(m.volume)));
  states.push(snapshot(m.volume));
  expect((await m.run(['build', '--site', 'shop', '--env', 'dev', '--dir', 'project'])).code).toBe(0);
  return states;
}

describe.each([
  ['an existing auth.json', true],
  ['no auth.json before', false],
])('SIGKILL at every step of a build over %s', (_what, withOriginal) => {
  it('restore gives back the original from every state', async () => {
    const states = await killedStates(withOriginal);
    // Journal written, temp file, rename, composer running, restore steps...: many distinct states.
    expect(states.length).toBeGreaterThan(8);
    const withGenerated = states.filter((s) => s.get(AUTH)?.content.toString().includes('CANARY-kill'));
    expect(withGenerated.length).toBeGreaterThan(0);
    for (const [index, state] of states.entries()) {
      const files = Object.fromEntries([...state].map(([file, { content }]) => [file, content.toString('utf8')]));
      const m = memoryContext({ files });
      for (const [file, { mode }] of state) m.volume.chmodSync(file, mode);
      const r = await m.run(['restore', '--dir', 'project']);
      expect(r.code, `state ${index}: ${r.stderr}`).toBe(0);
      const left = (await m.fs.readdir(PROJECT)) as string[];
      if (withOriginal) {
        expect(m.volume.readFileSync(AUTH, 'utf8'), `state ${index}`).toBe(ORIGINAL);
        expect(Number(m.volume.statSync(AUTH).mode) & 0o7777).toBe(0o640);
        expect(left.sort()).toEqual(['auth.json', 'composer.json']);
      } else {
        expect(left, `state ${index}`).toEqual(['composer.json']);
      }
    }
  });
});

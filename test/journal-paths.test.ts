// The journal names its target by the real path of the target's folder, so a build through
// a symlinked folder is restored from the real one (and back); a journal of an earlier
// version, which recorded the path as given, is read wherever that path still leads to
// the same folder, and refused where it does not. On memfs and on the real disk.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskSetup, memfsAndDisk, type Setup } from './support/disk-context.js';

const ORIGINAL = '{"github-oauth": {"github.com": "original-token"}}\n';
const JOURNAL_NAME = '.auth.json.composer-secrets-journal';

/** root/project with an original auth.json (0640) and root/link pointing at it. */
async function linkedProject(s: Setup) {
  const { raw, root } = s;
  const project = path.join(root, 'project');
  await raw.mkdir(project);
  await raw.writeFile(path.join(project, 'composer.json'), '{}');
  await raw.writeFile(path.join(project, 'auth.json'), ORIGINAL);
  await raw.chmod(path.join(project, 'auth.json'), 0o640);
  await raw.symlink(project, path.join(root, 'link'));
  expect(
    (await s.run(['secret:site:set', 'shop', 'bearer.repo.example.org', 'CANARY-j', '--type', 'composer', '--scope', 'ic'])).code,
  ).toBe(0);
  return { project, auth: path.join(project, 'auth.json'), journal: path.join(project, JOURNAL_NAME) };
}

const keepAuth = (dir: string) => ['build', '--site', 'shop', '--env', 'dev', '--dir', dir, '--keep-auth'];

/** A journal as composer-secrets 0.1.0 wrote it: the target as given. */
function oldJournal(target: string): string {
  const original = { base64: Buffer.from(ORIGINAL).toString('base64'), mode: 0o640 };
  return `${JSON.stringify({ version: 1, tool: 'composer-secrets', target, original })}\n`;
}

// On the real disk only: memfs 4.80 cannot rename into a folder reached through a symlink (ENOTDIR).
describe('disk: one journal for every spelling of the folder', () => {
  const make = diskSetup;
  it.each([
    ['link', 'project'],
    ['project', 'link'],
  ])('build --keep-auth --dir %s, then restore --dir %s puts the original back', async (builtIn, restoredIn) => {
    const s = await make();
    const { auth, journal } = await linkedProject(s);
    const kept = await s.run(keepAuth(builtIn));
    expect(kept.code, kept.stderr).toBe(0);
    expect(JSON.parse(await s.raw.readFile(journal, 'utf8')).target).toBe(auth); // the real path, whichever was given

    const restoredFile = path.join(s.root, restoredIn, 'auth.json');
    const r = await s.run(['restore', '--dir', restoredIn]);
    expect(r).toMatchObject({ code: 0, stdout: `Restored the original ${restoredFile}.\n` });
    expect(await s.raw.readFile(auth, 'utf8')).toBe(ORIGINAL);
    expect((await s.raw.stat(auth)).mode & 0o7777).toBe(0o640);
    expect(await s.raw.readdir(path.dirname(auth))).not.toContain(JOURNAL_NAME);
  });

  it('the next build through the other spelling recovers the kept file by itself', async () => {
    let during = '';
    const s: Setup = await make({
      composer: async () => {
        during = await s.raw.readFile(auth, 'utf8');
        return { exitCode: 0 };
      },
    });
    const { auth } = await linkedProject(s);
    expect((await s.run(keepAuth('link'))).code).toBe(0);
    const r = await s.run(['build', '--site', 'shop', '--env', 'dev', '--dir', 'project']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('was left by an interrupted run; restored the original');
    expect(JSON.parse(during)['github-oauth']).toEqual({ 'github.com': 'original-token' });
    expect(await s.raw.readFile(auth, 'utf8')).toBe(ORIGINAL);
  });
});

describe.each(memfsAndDisk)('%s: a journal of the earlier version, which recorded the path as given', (_name, make) => {
  it('recorded through the link, is restored from the real folder', async () => {
    const s = await make();
    const { auth, journal } = await linkedProject(s);
    await s.raw.writeFile(auth, '{"bearer": {"repo.example.org": "generated"}}');
    await s.raw.writeFile(journal, oldJournal(path.join(s.root, 'link', 'auth.json')));
    const r = await s.run(['restore', '--dir', 'project']);
    expect(r).toMatchObject({ code: 0, stdout: `Restored the original ${auth}.\n` });
    expect(await s.raw.readFile(auth, 'utf8')).toBe(ORIGINAL);
  });

  it.each([
    ['another folder', 'other'],
    ['a folder that is gone', 'gone'],
  ])('a journal recorded for %s is still refused, and nothing is touched', async (_what, folder) => {
    const s = await make();
    const { auth, journal } = await linkedProject(s);
    await s.raw.mkdir(path.join(s.root, 'other'));
    const generated = '{"bearer": {"repo.example.org": "generated"}}';
    await s.raw.writeFile(auth, generated);
    await s.raw.writeFile(journal, oldJournal(path.join(s.root, folder, 'auth.json')));
    const r = await s.run(['restore', '--dir', 'link']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `the journal ${path.join(s.root, 'link', JOURNAL_NAME)} is damaged or not for ${path.join(s.root, 'link', 'auth.json')}`,
    );
    expect(await s.raw.readFile(auth, 'utf8')).toBe(generated);
    expect(await s.raw.readdir(path.dirname(auth))).toContain(JOURNAL_NAME);
  });
});

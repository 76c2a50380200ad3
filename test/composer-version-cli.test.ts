// plan and build with the running Composer's rules, on memfs. The scripted machine lays
// composer out as Debian's 2.5.5 package (test/support/memory-context.ts); other versions
// come through --composer-version, or a stand-in program that answers --version as the
// real release does (only Debian's 2.5.5 is installed here).
import { describe, expect, it } from 'vitest';
import { memoryContext, type Program } from './support/memory-context.js';

const CANARY = 'CANARY-c7e';
const PROJECT = '/work/project';

async function project(
  composerJson: unknown,
  secrets: Array<[string, string]>,
  programs: Record<string, Program> = {},
  files: Record<string, string> = {},
) {
  const m = memoryContext({ programs, files: { [`${PROJECT}/composer.json`]: JSON.stringify(composerJson), ...files } });
  for (const [name, value] of secrets)
    expect((await m.run(['secret:site:set', 'shop', name, value, '--type', 'composer', '--scope', 'ic'])).code).toBe(0);
  return m;
}
const plan = (...more: string[]) => ['plan', '--site', 'shop', '--env', 'dev', '--dir', 'project', ...more];

describe('plan shows the Composer it planned for', () => {
  it('read from the installed files (text and --json), without running composer', async () => {
    const m = await project({}, [['bearer.repo.example.org', CANARY]]);
    const text = await m.run(plan());
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Composer: 2.5.5+debian (read from /usr/share/php/Composer/Composer.php)\n');
    const json = await m.run(plan('--json'));
    expect(JSON.parse(json.stdout).composer).toEqual({ version: '2.5.5+debian', from: 'installed files' });
    expect(m.calls.filter((c) => c.file.endsWith('/composer'))).toEqual([]);
  });

  it('--composer-version overrides it, so plan works where composer is not installed', async () => {
    const m = await project({}, [['bearer.repo.example.org', CANARY]]);
    m.ctx.env.PATH = '/nowhere';
    const r = await m.run(plan('--composer-version', '2.10.2', '--json'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).composer).toEqual({ version: '2.10.2', from: 'flag' });
    const unknown = await m.run(plan());
    expect(unknown.stdout).toContain(
      'Composer: version not known (no composer found; name its version with --composer-version); rules that hold for every version apply\n',
    );
  });

  it('a bad --composer-version is exit 2, not repeated', async () => {
    const m = await project({}, [['bearer.repo.example.org', CANARY]]);
    const r = await m.run(plan('--composer-version', CANARY));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "composer-secrets: --composer-version: give a release as X.Y.Z (e.g. 2.9.8), or X.Y.Z+debian for Debian's package\n",
    );
  });
});

describe('rules per version reach the build', () => {
  it('set takes a GitHub token only Composer 2.10 accepts (the building Composer is not known then); the plan checks it', async () => {
    const m = await project({}, [['github-oauth.github.com', `ghs_${CANARY}.x/y+z=`]]);
    expect((await m.run(plan('--composer-version', '2.10.0'))).code).toBe(0);
    const old = await m.run(plan('--composer-version', '2.9.8'));
    expect(old.code).toBe(2);
    expect(old.stdout + old.stderr).not.toContain(CANARY);
  });

  it("a GitHub token Composer 2.10 accepts: refused for Debian's 2.5.5, accepted for 2.10.2 (stand-in answering --version)", async () => {
    const token = `ghs_${CANARY}/x+y=`;
    const standIn: Program = (call) => {
      if (call.args[0] === '--version') call.options.onStdout?.('Composer version 2.10.2 2025-11-19 12:00:00\n');
      return { exitCode: 0 };
    };
    const m = await project({}, [['github-oauth.github.com', token]], { composer: standIn }, { '/opt/stand-in/composer': '#!/bin/sh\n' });
    await m.ctx.fs.chmod('/opt/stand-in/composer', 0o755);
    const refused = await m.run(['build', '--site', 'shop', '--env', 'dev', '--dir', 'project']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "secret 'github-oauth.github.com': the token holds characters Composer 2.5.5+debian refuses in a github-oauth token",
    );
    expect(refused.stderr).not.toContain(CANARY);
    const built = await m.run(['build', '--site', 'shop', '--env', 'dev', '--dir', 'project', '--composer', '/opt/stand-in/composer']);
    expect(built.code).toBe(0);
    expect(m.calls.filter((c) => c.file === '/opt/stand-in/composer').map((c) => c.args[0])).toEqual(['--version', 'install']);
  });

  it("--auth-target env: composer.json's config credentials make the secret lose on 2.5.5, not on 2.7.8", async () => {
    const m = await project({ config: { bearer: { 'repo.example.org': 'in-composer-json' } } }, [['bearer.repo.example.org', CANARY]]);
    const old = await m.run(plan('--auth-target', 'env'));
    expect(old.code).toBe(2);
    expect(old.stdout).toContain(
      "problem: composer.json's config has credentials for repo.example.org, which Composer 2.5.5+debian prefers over COMPOSER_AUTH",
    );
    expect((await m.run(plan('--auth-target', 'env', '--composer-version', '2.7.8'))).code).toBe(0);
  });

  it('a composer.json that is not JSON is exit 2 naming it, nothing quoted', async () => {
    const m = await project({}, [['bearer.repo.example.org', CANARY]]);
    await m.ctx.fs.writeFile(`${PROJECT}/composer.json`, `{"config": ${CANARY}`);
    const r = await m.run(plan());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${PROJECT}/composer.json is not valid JSON`);
    expect(r.stderr).not.toContain(CANARY);
  });

  it('custom-headers on 2.5.5 is refused with the reason', async () => {
    const m = await project({}, [['custom-headers.repo.example.org', `X-Api-Key: ${CANARY}`]]);
    const r = await m.run(plan());
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Composer 2.5.5+debian ignores custom-headers entries without a word');
    expect((await m.run(plan('--composer-version', '2.9.0'))).code).toBe(0);
  });
});

// `scan`: the values a build would hand out, looked for in folders, files and archives
// (tar, tar.gz, a docker-save-like tar of layer tars), on the real disk with GNU tar.
import { execFileSync } from 'node:child_process';
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EXIT_LEAK_FOUND } from '../src/errors.js';
import { maskedFormsOf } from '../src/run/output-mask.js';
import { diskContext } from './support/disk-context.js';

const PASSWORD = 'CANARY-scan/p@ss wörd';
const TOKEN = 'CANARY-scan-bearer-token-1';

async function setup() {
  const d = await diskContext();
  for (const argv of [
    ['secret:site:set', 'shop', 'http-basic.repo.example.org', `deploy ${PASSWORD}`, '--type', 'composer', '--scope', 'ic'],
    ['secret:site:set', 'shop', 'bearer.127.0.0.1:8765', TOKEN, '--type', 'composer', '--scope', 'ic'],
    ['secret:site:set', 'shop', 'RUNTIME_ONLY', 'CANARY-runtime-value', '--type', 'runtime', '--scope', 'web'],
  ]) {
    expect((await d.run(argv)).code).toBe(0);
  }
  const write = (file: string, content: string | Buffer) => {
    nodeFs.mkdirSync(path.dirname(path.join(d.root, file)), { recursive: true });
    nodeFs.writeFileSync(path.join(d.root, file), content);
  };
  const scan = (...more: string[]) => d.run(['scan', ...more, '--site', 'shop', '--env', 'dev']);
  return { ...d, write, scan };
}

const noValue = (text: string) => {
  expect(text).not.toContain('CANARY');
  for (const form of [...maskedFormsOf(PASSWORD), ...maskedFormsOf(TOKEN)]) expect(text).not.toContain(form);
};

describe('scan', () => {
  it('exits 0 on a clean folder, saying how much it read', async () => {
    const s = await setup();
    s.write('site/web/index.php', '<?php echo "hi";\n');
    s.write('site/RUNTIME.txt', 'CANARY-runtime-value');
    const r = await s.scan('site');
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toMatch(/^composer-secrets: scan: no value of site shop \(dev\) in 2 files, 0\.0 MiB read\n$/);
  });

  it.each(maskedFormsOf(PASSWORD).map((form) => [form]))(
    'finds the password in a nested file written as %s, by path and line, never the value',
    async (form) => {
      const s = await setup();
      s.write('site/vendor/a/b/c/config.php', `<?php\n\n$x = '${form}';\n`);
      const r = await s.scan('site');
      expect(r.code).toBe(EXIT_LEAK_FOUND);
      expect(r.stdout).toBe('site/vendor/a/b/c/config.php (line 3)\n');
      expect(r.stderr).toBe('composer-secrets: scan: found values of site shop (dev) in 1 place (paths only; values are never shown)\n');
      noValue(r.stdout + r.stderr);
    },
  );

  it('finds values inside a tar.gz in each form, and in a docker-save-like tar of layer tars, without unpacking them', async () => {
    const s = await setup();
    const forms = maskedFormsOf(TOKEN);
    for (const [i, form] of forms.entries()) s.write(`art/app/f${i}.txt`, `line\n${form}\n`);
    s.write('art/app/clean.txt', 'clean');
    execFileSync('tar', ['-czf', path.join(s.root, 'artifact.tar.gz'), '-C', path.join(s.root, 'art'), 'app']);
    // An image: a layer tar (itself holding a gzip-compressed tar) inside the saved tar.
    s.write('layer/var/www/auth.json', JSON.stringify({ bearer: { '127.0.0.1:8765': TOKEN } }));
    // Incompressible bytes after it: the layer's gzip stream is read over many chunks.
    s.write('layer/var/www/zz-random.bin', Buffer.from(Array.from({ length: 400_000 }, (_, i) => (i * 7919 + (i >> 5) * 104729) % 251)));
    execFileSync('tar', ['-cf', path.join(s.root, 'inner.tar'), '-C', path.join(s.root, 'layer'), 'var']);
    s.write('image/blobs/sha256/aaaa', nodeFs.readFileSync(path.join(s.root, 'inner.tar')));
    s.write('image/blobs/sha256/bbbb', gzipSync(nodeFs.readFileSync(path.join(s.root, 'inner.tar'))));
    // After the layers: read only if every layer was read to its end, exactly.
    s.write('image/manifest.json', `[\n"${TOKEN}"]`);
    execFileSync('tar', ['-cf', path.join(s.root, 'image.tar'), '-C', path.join(s.root, 'image'), 'blobs', 'manifest.json']);
    nodeFs.rmSync(path.join(s.root, 'art'), { recursive: true });
    nodeFs.rmSync(path.join(s.root, 'layer'), { recursive: true });
    nodeFs.rmSync(path.join(s.root, 'image'), { recursive: true });
    nodeFs.rmSync(path.join(s.root, 'inner.tar'));

    const r = await s.scan('artifact.tar.gz', 'image.tar');
    expect(r.code).toBe(EXIT_LEAK_FOUND);
    const lines = r.stdout.trim().split('\n').sort();
    expect(lines).toEqual(
      [
        ...forms.map((_, i) => `artifact.tar.gz:app/f${i}.txt (line 2)`),
        'image.tar:blobs/sha256/aaaa:var/www/auth.json (line 1)',
        'image.tar:blobs/sha256/bbbb:var/www/auth.json (line 1)',
        'image.tar:manifest.json (line 2)',
      ].sort(),
    );
    noValue(r.stdout + r.stderr);
  });

  it('--json: the findings as a document, paths only', async () => {
    const s = await setup();
    s.write('site/.env', `X=${TOKEN}`);
    const r = await s.scan('site', '--json');
    expect(r.code).toBe(EXIT_LEAK_FOUND);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ clean: false, hits: [{ path: 'site/.env', lines: [1], in: 'content' }], files: 1 });
    noValue(r.stdout + r.stderr);
  });

  it('names a tar member whose name holds a value by its archive only', async () => {
    const s = await setup();
    s.write(`art/cache-${TOKEN}.json`, 'clean');
    execFileSync('tar', ['-cf', path.join(s.root, 'a.tar'), '-C', path.join(s.root, 'art'), '.']);
    const r = await s.scan('a.tar');
    expect(r.code).toBe(EXIT_LEAK_FOUND);
    expect(r.stdout).toBe('a.tar: the name of a file or folder in it\n');
  });

  it('a damaged tar.gz is not clean: exit 1, naming it', async () => {
    const s = await setup();
    s.write('art/x.txt', 'x'.repeat(100_000));
    execFileSync('tar', ['-czf', path.join(s.root, 'a.tar.gz'), '-C', path.join(s.root, 'art'), '.']);
    const whole = nodeFs.readFileSync(path.join(s.root, 'a.tar.gz'));
    nodeFs.writeFileSync(path.join(s.root, 'a.tar.gz'), whole.subarray(0, whole.length - 40));
    const r = await s.scan('a.tar.gz');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('a.tar.gz: is not a whole gzip stream');
  });

  it('--leak-check-ignore leaves out paths in folders and archives', async () => {
    const s = await setup();
    s.write('site/keep/.env', TOKEN);
    const r = await s.scan('site', '--leak-check-ignore', 'keep/**', 'keep');
    expect(r.code).toBe(0);
  });

  it("'-' is refused with exit 2: scan reads no standard input", async () => {
    const s = await setup();
    const r = await s.scan('.', '-');
    expect(r).toMatchObject({
      code: 2,
      stderr:
        "composer-secrets: scan: '-' (standard input) is not read by scan: give a folder, file or archive; for a file named -, write ./-\n",
    });
  });

  it('a path that does not exist is exit 2, naming it', async () => {
    const s = await setup();
    const r = await s.scan('no-such-folder');
    expect(r).toMatchObject({ code: 2, stderr: 'composer-secrets: scan: there is no file or folder no-such-folder\n' });
  });
});

// A private Composer repository served on 127.0.0.1 for end-to-end tests:
// packages.json plus tar dists, every request checked against one credential.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import fs from 'fs-extra';

/** The committed package sources (`fixtures/composer-repo/<folder>`). */
export const fixturePackagesDir = fileURLToPath(new URL('../../../fixtures/composer-repo/', import.meta.url));

/** What the repository demands on every request. */
export type RequiredCredential =
  | { kind: 'http-basic'; username: string; password: string }
  | { kind: 'bearer'; token: string }
  | { kind: 'header'; name: string; value: string }
  | { kind: 'none' };

/** One package to serve: its source folder (with composer.json) and the version the repository gives it. */
export interface FixturePackage {
  /** Absolute, or relative to `fixtures/composer-repo/`. */
  source: string;
  version: string;
}

export interface ComposerRepositoryOptions {
  credential: RequiredCredential;
  /** Defaults to `acme/hello` 1.0.0. */
  packages?: readonly FixturePackage[];
}

/** How the request presented itself: the Authorization scheme only, never its value. */
export type PresentedAuthorization = 'missing' | 'basic' | 'bearer' | 'other';

export interface RepositoryRequest {
  method: string;
  path: string;
  status: number;
  authorized: boolean;
  authorization: PresentedAuthorization;
}

export interface ServedPackage {
  name: string;
  version: string;
  /** Path of the tar dist on the server, e.g. `/dists/acme-hello-1.0.0.tar`. */
  distPath: string;
  /** Entries of the tar, as `tar -tf` lists them (kept for assertions). */
  distEntries: readonly string[];
}

export interface ComposerRepository {
  /** `http://127.0.0.1:PORT`, the repository URL for composer.json. */
  readonly url: string;
  /** `127.0.0.1:PORT`, the key auth.json and COMPOSER_AUTH use for this origin. */
  readonly host: string;
  readonly packages: readonly ServedPackage[];
  /** Every request in arrival order; holds no credential. */
  readonly requests: readonly RepositoryRequest[];
  close(): Promise<void>;
}

export const defaultFixturePackages: readonly FixturePackage[] = [{ source: 'acme-hello', version: '1.0.0' }];

interface BuiltDist {
  served: ServedPackage;
  metadata: Record<string, unknown>;
  tar: Buffer;
  shasum: string;
}

export async function startComposerRepository(options: ComposerRepositoryOptions): Promise<ComposerRepository> {
  const dists = await buildDists(options.packages ?? defaultFixturePackages);
  const byPath = new Map(dists.map((dist) => [dist.served.distPath, dist]));
  const requests: RepositoryRequest[] = [];
  let origin = '';

  const server = createServer((request, response) => {
    try {
      requests.push(handle(request, response));
    } catch (error) {
      // A bug here must surface as a failed request, not a composer hanging on an open socket.
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  });

  function handle(request: IncomingMessage, response: ServerResponse): RepositoryRequest {
    const method = request.method ?? '';
    // Query strings are dropped so the log (and routing) never carries anything a client appended.
    const pathname = (request.url ?? '/').split('?')[0] ?? '/';
    const authorization = presentedAuthorization(request);
    const { credential } = options;
    const authorized = credential.kind === 'none' || isAuthorized(request, credential);
    const reply = (status: number, headers: Record<string, string>, body: string | Buffer): RepositoryRequest => {
      response.writeHead(status, { 'Content-Length': String(Buffer.byteLength(body)), ...headers });
      response.end(method === 'HEAD' ? undefined : body);
      return { method, path: pathname, status, authorized, authorization };
    };

    // Checked before routing: an unauthorized client learns nothing, not even which paths exist.
    if (!authorized) {
      return reply(401, { 'WWW-Authenticate': challengeFor(credential), 'Content-Type': 'text/plain' }, 'Unauthorized\n');
    }
    if (method !== 'GET' && method !== 'HEAD') {
      return reply(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }, 'Method Not Allowed\n');
    }
    if (pathname === '/packages.json') {
      return reply(200, { 'Content-Type': 'application/json' }, JSON.stringify(packagesJson(dists, origin)));
    }
    const dist = byPath.get(pathname);
    if (dist) {
      return reply(200, { 'Content-Type': 'application/x-tar' }, dist.tar);
    }
    return reply(404, { 'Content-Type': 'text/plain' }, 'Not Found\n');
  }

  // Listening on 127.0.0.1 only: nothing off this machine can connect.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: origin,
    host: `127.0.0.1:${port}`,
    packages: dists.map((dist) => dist.served),
    requests,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets would hold close() open until they time out.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function packagesJson(dists: readonly BuiltDist[], origin: string): unknown {
  const packages: Record<string, Record<string, unknown>> = {};
  for (const dist of dists) {
    const { name, version, distPath } = dist.served;
    packages[name] ??= {};
    packages[name][version] = {
      ...dist.metadata,
      name,
      version,
      // shasum makes composer verify the download, so a corrupt dist fails the install.
      dist: { type: 'tar', url: `${origin}${distPath}`, shasum: dist.shasum },
    };
  }
  return { packages };
}

async function buildDists(fixtures: readonly FixturePackage[]): Promise<BuiltDist[]> {
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'composer-repo-dists-'));
  try {
    const built: BuiltDist[] = [];
    for (const fixture of fixtures) {
      const source = path.resolve(fixturePackagesDir, fixture.source);
      const metadata = (await fs.readJson(path.join(source, 'composer.json'))) as Record<string, unknown>;
      const name = metadata.name;
      if (typeof name !== 'string' || !/^[a-z0-9_.-]+\/[a-z0-9_.-]+$/.test(name)) {
        throw new Error(`fixture ${source}: composer.json needs a lower-case vendor/name, got ${JSON.stringify(name)}`);
      }
      const fileName = `${name.replace('/', '-')}-${fixture.version}.tar`;
      const tarPath = path.join(workDir, fileName);
      // Name the package's own entries: Composer 2.5.5 cannot extract a tar with a `.` entry.
      const entries = (await fs.readdir(source)).sort();
      await execa('tar', ['-cf', tarPath, '-C', source, ...entries]);
      const listing = await execa('tar', ['-tf', tarPath]);
      const tar = await fs.readFile(tarPath);
      built.push({
        served: {
          name,
          version: fixture.version,
          distPath: `/dists/${fileName}`,
          distEntries: listing.stdout.split('\n').filter(Boolean),
        },
        metadata,
        tar,
        shasum: createHash('sha1').update(tar).digest('hex'),
      });
    }
    return built;
  } finally {
    // The dists live in memory; nothing is left on disk.
    await fs.remove(workDir);
  }
}

function presentedAuthorization(request: IncomingMessage): PresentedAuthorization {
  const header = request.headers.authorization;
  if (!header) return 'missing';
  const scheme = header.split(' ')[0]?.toLowerCase();
  return scheme === 'basic' ? 'basic' : scheme === 'bearer' ? 'bearer' : 'other';
}

type DemandedCredential = Exclude<RequiredCredential, { kind: 'none' }>;

function isAuthorized(request: IncomingMessage, credential: DemandedCredential): boolean {
  const header = request.headers.authorization ?? '';
  switch (credential.kind) {
    case 'http-basic': {
      const match = /^Basic\s+(\S+)$/i.exec(header);
      if (!match?.[1]) return false;
      const decoded = Buffer.from(match[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon >= 0 && decoded.slice(0, colon) === credential.username && decoded.slice(colon + 1) === credential.password;
    }
    case 'bearer': {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      return match?.[1] === credential.token;
    }
    case 'header':
      return request.headers[credential.name.toLowerCase()] === credential.value;
  }
}

function challengeFor(credential: DemandedCredential): string {
  const realm = 'realm="composer-secrets e2e repository"';
  switch (credential.kind) {
    case 'http-basic':
      return `Basic ${realm}`;
    case 'bearer':
      return `Bearer ${realm}`;
    case 'header':
      // No standard scheme for an API-key header; the challenge names the header expected.
      return `Header ${realm}, name="${credential.name}"`;
  }
}

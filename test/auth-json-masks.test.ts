// auth-json in GitHub Actions: `::add-mask::` for every credential part it writes, in every
// form the masker knows, before anything else is printed.
import { describe, expect, it } from 'vitest';
import { maskedFormsOf } from '../src/run/output-mask.js';
import { memoryContext } from './support/memory-context.js';

const PASSWORD = 'CANARY pass/wörd "q"';
const TOKEN = 'CANARY-bearer-token';
const HEADER = 'CANARY-header-value';

async function setup(env: Record<string, string>) {
  const m = memoryContext({ env, files: { '/work/auth.json': JSON.stringify({ bearer: { 'own.example.org': 'CANARY-own-entry' } }) } });
  for (const argv of [
    ['secret:site:set', 'shop', 'http-basic.repo.example.org', `deploy ${PASSWORD}`, '--type', 'composer', '--scope', 'ic'],
    ['secret:site:set', 'shop', 'bearer.127.0.0.1:8765', TOKEN, '--type', 'composer', '--scope', 'ic'],
    ['secret:site:set', 'shop', 'custom-headers.api.example.org', `X-Api-Key: ${HEADER}`, '--type', 'composer', '--scope', 'ic'],
    ['secret:site:set', 'shop', 'ACF_PRO_KEY', 'CANARY-env-not-written', '--type', 'env', '--scope', 'ic'],
  ]) {
    expect((await m.run(argv)).code).toBe(0);
  }
  // Both streams in one log, to see what came first.
  const log: string[] = [];
  m.ctx.stdout = { write: (s: string) => log.push(`out:${s}`) };
  m.ctx.stderr = { write: (s: string) => log.push(`err:${s}`) };
  const { code } = await m.run(['auth-json', '--site', 'shop', '--env', 'dev', '--output', 'auth.json']);
  return { code, log };
}

const command = (text: string) => `::add-mask::${text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`;

describe('auth-json under GITHUB_ACTIONS=true', () => {
  it('masks each password, token and header value in every form the masker knows, before anything else', async () => {
    const { code, log } = await setup({ GITHUB_ACTIONS: 'true' });
    expect(code).toBe(0);
    const firstOther = log.findIndex((line) => !line.startsWith('out:::add-mask::'));
    const masks = log.slice(0, firstOther).join('').replace(/out:/g, '');
    expect(log.slice(firstOther).every((line) => !line.includes('::add-mask::'))).toBe(true);
    const basic = Buffer.from(`deploy:${PASSWORD}`).toString('base64');
    for (const part of [PASSWORD, TOKEN, `X-Api-Key: ${HEADER}`, HEADER, basic, 'CANARY-own-entry']) {
      for (const form of maskedFormsOf(part)) expect(masks, form).toContain(command(form));
    }
    // Only what the file holds: the env secret is not written, so not announced.
    expect(masks).not.toContain('CANARY-env-not-written');
    // A username is not a secret: masking it would blank every mention of the account.
    expect(masks).not.toContain('::add-mask::deploy\n');
    expect(log.slice(firstOther).join('')).toContain('wrote /work/auth.json');
  });

  it('prints no mask outside GitHub Actions', async () => {
    const { code, log } = await setup({ GITHUB_ACTIONS: 'false' });
    expect(code).toBe(0);
    expect(log.join('')).not.toContain('::add-mask::');
  });
});

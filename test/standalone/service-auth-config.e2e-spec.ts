import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** Starts an app's main.ts as `npm run start:<app>` would (from source) and waits for it to stop. */
function start(app: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['-r', join(ROOT, 'scripts/register-ts.js'), join(ROOT, `apps/${app}/src/main.ts`)],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.once('exit', (code) => done({ code, stderr })));
}

// A database that is never reached: the configuration is refused before any connection is made.
const BASE = {
  DATABASE_URL: 'postgres://countylink@127.0.0.1:1/countylink',
  IDENTITY_HASH_KEY: 'a-key-of-at-least-sixteen-chars',
  NODE_ENV: 'production',
};

describe('a service started without a trustworthy token issuer', () => {
  it('stops, saying AUTH_JWKS_URL must be set (only the embedded default has a local issuer)', async () => {
    const { code, stderr } = await start('clinician-realtime', BASE);
    expect(code).toBe(78);
    expect(stderr).toContain(
      "AUTH_JWKS_URL=undefined: AUTH_JWKS_URL must be set to the JWKS of the group's OIDC provider",
    );
    expect(stderr).toContain('only the embedded default, `npm start`, runs a local issuer');
  }, 60_000);

  it('stops on an http:// JWKS, saying it must be https://', async () => {
    const { code, stderr } = await start('referral-registry', {
      ...BASE,
      AUTH_JWKS_URL: 'http://idp.county.example/realms/g/protocol/openid-connect/certs',
    });
    expect(code).toBe(78);
    expect(stderr).toContain('AUTH_JWKS_URL must be an https:// URL');
  }, 60_000);
});

import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { freePort } from '@countylink/testing';

const ROOT = resolve(__dirname, '../..');

/** Connects and says how it went: 'ok', or PostgreSQL's refusal. */
async function attempt(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return 'ok';
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const withPassword = (url: string, password: string) => {
  const u = new URL(url);
  u.password = password;
  return u.toString();
};

/** A data directory as `npm start` would make it (0755: as root the server runs as user postgres). */
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'countylink-embedded-'));
  chmodSync(dir, 0o755);
  return dir;
}

/** The embedded default's PostgreSQL on `dir`, in a process of its own (see the probe). */
async function embeddedDefault(
  dir: string,
  port: number,
  legacy = false,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      join(ROOT, 'scripts/register-ts.js'),
      join(__dirname, 'support/embedded-default-probe.ts'),
      String(port),
      ...(legacy ? ['--legacy'] : []),
    ],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, COUNTYLINK_DATA_DIR: dir },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout! }).once('line', done);
    child.once('exit', (code) => fail(new Error(`the probe exited with ${code}`)));
  });
  return { url: (JSON.parse(line) as { url: string }).url, child };
}

const stop = (child: ChildProcess) =>
  new Promise<void>((done) => {
    if (child.exitCode !== null) return done();
    child.once('exit', () => done());
    child.stdin!.end();
  });

describe("the embedded default's PostgreSQL password", () => {
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) await stop(child);
  }, 60_000);

  it('is generated with a new data directory and kept beside it (0600); postgres/postgres gets nowhere', async () => {
    const dir = dataDir();
    const { url, child } = await embeddedDefault(dir, await freePort());
    children.push(child);
    const password = readFileSync(join(dir, 'pg-password'), 'utf8').trim();
    expect(password).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, 'pg-password')).mode & 0o777).toBe(0o600);
    expect(new URL(url).password).toBe(password);
    expect(await attempt(url)).toBe('ok');
    expect(await attempt(withPassword(url, 'postgres'))).toMatch(/password authentication failed/);
    await stop(child);
  }, 120_000);

  it('replaces postgres/postgres in a data directory made before it, on its next start', async () => {
    const dir = dataDir();
    const port = await freePort();
    const before = await embeddedDefault(dir, port, true);
    children.push(before.child);
    expect(new URL(before.url).password).toBe('postgres');
    expect(await attempt(before.url)).toBe('ok');
    await stop(before.child);

    const { url, child } = await embeddedDefault(dir, port);
    children.push(child);
    const password = readFileSync(join(dir, 'pg-password'), 'utf8').trim();
    expect(new URL(url).password).toBe(password);
    expect(await attempt(url)).toBe('ok');
    expect(await attempt(withPassword(url, 'postgres'))).toMatch(/password authentication failed/);
    await stop(child);
  }, 120_000);
});

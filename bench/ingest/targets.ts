import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { LocalIssuer } from '@countylink/auth';
import { StowTarget } from './load';

export interface RunningTarget {
  stow: StowTarget;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

async function waitUntilUp(url: string, child: ChildProcess, what: string, headers: Record<string, string> = {}): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode} before it was up`);
    try {
      const res = await fetch(url, { headers });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not come up at ${url}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    if (child.exitCode !== null) return ok();
    child.once('exit', () => ok());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

/** The remote-diagnosis app as it runs in production: its own process, a durable PostgreSQL, a fresh database and store. */
export async function startCountyLink(repo: string, adminUrl: string, workDir: string): Promise<RunningTarget> {
  const name = `bench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const keysDir = join(workDir, 'keys');
  const issuer = await LocalIssuer.open(keysDir, 'countylink-local', 'countylink');
  const token = await issuer.mint({ sub: 'his-township-a', roles: ['his-system' as never], institutionId: 'township-a' });
  const port = await freePort();
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, resolve(repo, 'dist/apps/remote-diagnosis/src/main.js')], {
    cwd: repo,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: url.toString(),
      IDENTITY_HASH_KEY: 'bench-identity-hash-key-0123456789',
      AUTH_LOCAL_KEYS_DIR: keysDir,
      DICOM_STORAGE_DIR: join(workDir, 'dicom'),
      LOG_LEVEL: 'warn',
      KAFKA_BROKERS: '',
    },
  });
  await waitUntilUp(`http://127.0.0.1:${port}/health/ready`, child, 'CountyLink');
  return { stow: { url: `http://127.0.0.1:${port}/dicomweb/studies`, headers: { Authorization: `Bearer ${token}` } }, stop: () => stopChild(child) };
}

export const ORTHANC_BINARY = '/usr/sbin/Orthanc';
export const ORTHANC_DICOMWEB = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

/** Orthanc with its DICOMweb plugin, default durability (SQLite index, synced storage area), fresh directories. */
export async function startOrthanc(workDir: string): Promise<RunningTarget> {
  const port = await freePort();
  mkdirSync(join(workDir, 'storage'), { recursive: true });
  const config = join(workDir, 'orthanc.json');
  writeFileSync(config, JSON.stringify({
    Name: 'bench',
    StorageDirectory: join(workDir, 'storage'),
    IndexDirectory: join(workDir, 'storage'),
    HttpPort: port,
    DicomServerEnabled: false,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    StorageCompression: false,
    Plugins: [ORTHANC_DICOMWEB],
    DicomWeb: { Enable: true, Root: '/dicom-web/' },
  }));
  const child = spawn(ORTHANC_BINARY, [config], { stdio: ['ignore', 'ignore', 'ignore'] });
  await waitUntilUp(`http://127.0.0.1:${port}/system`, child, 'Orthanc');
  return { stow: { url: `http://127.0.0.1:${port}/dicom-web/studies`, headers: {} }, stop: () => stopChild(child) };
}

/** The floor: the same bytes copied to files on the same disk and flushed, nothing else. */
export async function rawWrite(source: string, target: string): Promise<void> {
  const data = await readFile(source);
  const fh = await open(target, 'w');
  try {
    await fh.writeFile(data);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

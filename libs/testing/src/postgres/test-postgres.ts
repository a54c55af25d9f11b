import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
// Relative: jest's globalSetup loads this without the moduleNameMapper.
import { startEmbeddedPostgres } from '../../../persistence/src/embedded-postgres';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface TestPostgres {
  adminUrl: string;
  stop(): Promise<void>;
}

/**
 * `DATABASE_URL` when given (a server the caller runs), else a throwaway embedded server, with
 * `settings` on top of the test ones (a bench loading pg_stat_statements, say).
 */
export async function startTestPostgres(settings: Record<string, string> = {}): Promise<TestPostgres> {
  if (process.env.DATABASE_URL) return { adminUrl: process.env.DATABASE_URL, stop: async () => undefined };
  const port = await freePort();
  const pg = await startEmbeddedPostgres({
    dir: `.tmp/pg-test-${process.pid}-${port}`,
    port,
    persistent: false,
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '400', ...settings },
  });
  return { adminUrl: pg.url, stop: () => pg.stop() };
}

/** A fresh database per test file, so suites run in parallel without seeing each other's rows. */
export async function createTestDatabase(adminUrl: string, prefix = 'test'): Promise<string> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** One query on its own connection, for a test to look into a database the app under test owns. */
export async function sql<T = Record<string, unknown>>(
  databaseUrl: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

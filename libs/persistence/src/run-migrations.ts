import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';

function lockKey(schema: string): string {
  return createHash('sha256').update(`countylink:migrate:${schema}`).digest().readBigInt64BE(0).toString();
}

/**
 * Creates the app's schema and runs its pending migrations at start. Several instances starting at
 * once serialise on an advisory lock instead of racing each other's DDL.
 */
export async function runMigrations(dataSource: DataSource, schema: string): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [lockKey(schema)]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [lockKey(schema)]).catch(() => undefined);
    await runner.release();
  }
}

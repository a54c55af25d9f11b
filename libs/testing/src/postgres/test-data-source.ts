import { DataSource } from 'typeorm';
import { AppDataSourceSpec, appDataSourceOptions, runMigrations } from '@countylink/persistence';
import { createTestDatabase } from './test-postgres';

/**
 * The middle test tier: an app's data source exactly as DatabaseModule.forApp builds it (its
 * entities, naming strategy and migrations, in its own schema) on a fresh database of the e2e
 * run's PostgreSQL, for repositories and services to be tested without HTTP or Kafka.
 */
export async function startTestDataSource(spec: AppDataSourceSpec, databaseUrl?: string): Promise<DataSource> {
  const adminUrl = process.env.TEST_PG_ADMIN_URL;
  if (!adminUrl && !databaseUrl)
    throw new Error('TEST_PG_ADMIN_URL is not set: run e2e tests through jest (globalSetup starts PostgreSQL)');
  const url = databaseUrl ?? (await createTestDatabase(adminUrl!));
  const dataSource = await new DataSource(appDataSourceOptions(url, spec)).initialize();
  await runMigrations(dataSource, spec.schema);
  return dataSource;
}

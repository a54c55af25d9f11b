import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { appDataSourceOptions, IdempotencyRecord, insertOnce, runMigrations } from '@countylink/persistence';
import { createTestDatabase } from '@countylink/testing';

const SCHEMA = 'insert_once';

class CreateIdempotencyRecord1700000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "${SCHEMA}"."idempotency_record" ("scope" text NOT NULL, "key" text NOT NULL, "request_hash" text NOT NULL,
      "response_status" integer, "response_body" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), PRIMARY KEY ("scope", "key"))`);
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "${SCHEMA}"."idempotency_record"`);
  }
}

/** The one insert-if-absent of the inbox and the idempotency keys, on the real PostgreSQL. */
describe('insertOnce', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    const url = await createTestDatabase(process.env.TEST_PG_ADMIN_URL!);
    dataSource = await new DataSource(
      appDataSourceOptions(url, {
        schema: SCHEMA,
        entities: [IdempotencyRecord],
        migrations: [CreateIdempotencyRecord1700000000000],
        poolSize: 12,
      }),
    ).initialize();
    await runMigrations(dataSource, SCHEMA);
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  const row = (key: string, requestHash = 'h') => ({
    scope: 's',
    key,
    requestHash,
    responseStatus: null,
    responseBody: null,
  });

  it('says whether this call inserted the row, and leaves the first row as it was', async () => {
    expect(await insertOnce(dataSource.manager, IdempotencyRecord, row('k-1', 'first'))).toBe(true);
    expect(await insertOnce(dataSource.manager, IdempotencyRecord, row('k-1', 'second'))).toBe(false);
    expect(await insertOnce(dataSource.manager, IdempotencyRecord, row('k-2'))).toBe(true);
    expect((await dataSource.manager.findOneByOrFail(IdempotencyRecord, { scope: 's', key: 'k-1' })).requestHash).toBe(
      'first',
    );
  });

  it('lets exactly one of concurrent transactions insert the same key, the others waiting for it', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        dataSource.transaction(async (manager) => {
          const mine = await insertOnce(manager, IdempotencyRecord, row('k-race'));
          await manager.query('SELECT pg_sleep(0.05)');
          return mine;
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("inserts nothing when the caller's transaction rolls back", async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        expect(await insertOnce(manager, IdempotencyRecord, row('k-rollback'))).toBe(true);
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(await insertOnce(dataSource.manager, IdempotencyRecord, row('k-rollback'))).toBe(true);
  });
});

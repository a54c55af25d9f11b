import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import {
  AppJobs,
  appJobs,
  appJobsToken,
  DatabaseModule,
  JobHandler,
  scheduleJob,
  ScheduledJob,
} from '@countylink/persistence';
import { ConfigModule, loadConfig } from '@countylink/platform';
import { createTestDatabase, sql, waitFor } from '@countylink/testing';

const SCHEMA = 'jobs_shutdown';
const SLOW_JOB = 'test.slow';
const JOBS = 12;

class CreateScheduledJob1700000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "${SCHEMA}"."scheduled_job" ("id" BIGSERIAL PRIMARY KEY, "kind" text NOT NULL, "aggregate_id" text NOT NULL,
      "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "attempts" integer NOT NULL DEFAULT 0, "payload" jsonb NOT NULL DEFAULT '{}',
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), UNIQUE ("kind", "aggregate_id"))`);
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "${SCHEMA}"."scheduled_job"`);
  }
}

/**
 * What each run of the slow job saw when it started, and whether it got to its end. Its
 * `beforeApplicationShutdown` stands for the messaging's last outbox flush, which must find the
 * jobs stopped (an event a job writes after it waits for the next start).
 */
@Injectable()
class Runs implements BeforeApplicationShutdown {
  shutdownBegan = false;
  runningAtLastFlush?: number;
  readonly started: Array<{ aggregateId: string; afterShutdownBegan: boolean; dataSourceOpen: boolean }> = [];
  finished = 0;
  dataSource?: DataSource;

  /** A job that takes a while inside its transaction (a query on the job's own connection). */
  readonly slow: JobHandler = async (job, manager) => {
    this.started.push({
      aggregateId: job.aggregateId,
      afterShutdownBegan: this.shutdownBegan,
      dataSourceOpen: this.dataSource?.isInitialized ?? false,
    });
    await manager.query('SELECT pg_sleep(0.15)');
    this.finished++;
    return 'done';
  };

  beforeApplicationShutdown(): void {
    this.runningAtLastFlush = this.started.length - this.finished;
  }
}

/**
 * Shutdown stops an app's jobs before its data source closes: once `close()` began no further job
 * starts (not even the next one of a batch of due jobs), the job under way commits on the open
 * connection before the last outbox flush, and the poll does not come back afterwards. Real
 * PostgreSQL, real Nest lifecycle.
 */
describe('app jobs at shutdown', () => {
  let databaseUrl: string;
  let moduleRef: TestingModule | undefined;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase(process.env.TEST_PG_ADMIN_URL!);
  });
  afterAll(async () => {
    await moduleRef?.close().catch(() => undefined);
  });

  it('starts no job after shutdown began, and lets the running one commit before the data source closes', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      IDENTITY_HASH_KEY: 'test-identity-hash-key-0123456789',
      AUTH_LOCAL_ISSUER: 'enabled',
      TIMER_POLL_MS: '50',
    });
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forApp({
          schema: SCHEMA,
          entities: [ScheduledJob],
          migrations: [CreateScheduledJob1700000000000],
          poolSize: 4,
        }),
      ],
      providers: [
        Runs,
        appJobs({ dataSourceName: SCHEMA, inject: [Runs], handlers: (runs: Runs) => ({ [SLOW_JOB]: runs.slow }) }),
      ],
    }).compile();
    const dataSource = moduleRef.get<DataSource>(getDataSourceToken(SCHEMA));
    const runs = moduleRef.get(Runs);
    runs.dataSource = dataSource;
    expect(moduleRef.get<AppJobs>(appJobsToken(SCHEMA)).runner).toBeDefined();
    await dataSource.transaction(async (manager) => {
      for (let i = 0; i < JOBS; i++) await scheduleJob(manager, SLOW_JOB, `job-${i}`, new Date(Date.now() - 1000));
    });

    await moduleRef.init();
    // Shut down while a batch of due jobs is being worked through.
    await waitFor('a job under way', () => runs.started.length >= 2);
    runs.shutdownBegan = true;
    await moduleRef.close();
    expect(dataSource.isInitialized).toBe(false);

    expect(runs.started.filter((r) => r.afterShutdownBegan)).toEqual([]);
    expect(runs.started.filter((r) => !r.dataSourceOpen)).toEqual([]);
    expect(runs.finished).toBe(runs.started.length);
    expect(runs.runningAtLastFlush).toBe(0);
    expect(runs.started.length).toBeLessThan(JOBS);
    // Every job that ran committed (its row is gone); every other one is still there for the next start.
    const left = await sql<{ aggregate_id: string }>(databaseUrl, `SELECT aggregate_id FROM "${SCHEMA}".scheduled_job`);
    expect(left.map((r) => r.aggregate_id).sort()).toEqual(
      Array.from({ length: JOBS }, (_, i) => `job-${i}`)
        .filter((id) => !runs.started.some((r) => r.aggregateId === id))
        .sort(),
    );
    // Nor does the poll come back after the close.
    const seen = runs.started.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(runs.started).toHaveLength(seen);
    moduleRef = undefined;
  });
});

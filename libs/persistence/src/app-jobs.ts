import { FactoryProvider, InjectionToken, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PlatformConfig } from '@countylink/platform';
import { JobHandler, JobRunner } from './job-runner';

/** The Nest token of an app's jobs: one set per data source. */
export function appJobsToken(dataSourceName: string): string {
  return `countylink:jobs:${dataSourceName}`;
}

/**
 * An app's durable timers (rows of its `scheduled_job`), polled every TIMER_POLL_MS from the
 * application's start. They stop in `onModuleDestroy`, the first shutdown step: before the
 * messaging's last outbox flush (`beforeApplicationShutdown`) and before TypeORM destroys the data
 * source (`onApplicationShutdown`), so no job starts once shutdown began, the one under way commits
 * or rolls back on an open connection, and the events it wrote are still relayed.
 */
export class AppJobs implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(readonly runner: JobRunner) {}

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner.stop();
  }
}

export interface AppJobsSpec<Deps extends unknown[]> {
  /** The app's data source: its jobs live in that schema's `scheduled_job`. */
  dataSourceName: string;
  /** Providers the handlers need, in the order of `handlers`' parameters. */
  inject: { [K in keyof Deps]: InjectionToken };
  /** The app's job kinds and what each does when due. */
  handlers: (...deps: Deps) => Record<string, JobHandler>;
}

/**
 * For an app module's providers: its jobs, run and stopped with the application (see `AppJobs`).
 * Get them with `app.get<AppJobs>(appJobsToken(dataSourceName))`.
 */
export function appJobs<Deps extends unknown[]>(spec: AppJobsSpec<Deps>): FactoryProvider<AppJobs> {
  return {
    provide: appJobsToken(spec.dataSourceName),
    inject: [getDataSourceToken(spec.dataSourceName), PlatformConfig, ...spec.inject],
    useFactory: (dataSource: DataSource, config: PlatformConfig, ...deps: Deps) =>
      new AppJobs(new JobRunner(dataSource, spec.handlers(...deps), config.TIMER_POLL_MS)),
  };
}

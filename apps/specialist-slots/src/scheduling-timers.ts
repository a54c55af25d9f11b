import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobRunner } from '@countylink/persistence';
import { AppConfig } from '@countylink/platform';
import { ReserveRelease } from './release/reserve-release';
import { RELEASE_RESERVE_JOB } from './schedules/schedule.service';
import { SCHEDULING_DATA_SOURCE } from './specialist-slots.constants';

/** The app's durable timers (reserve releases), polled from PostgreSQL. */
@Injectable()
export class SchedulingTimers implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly runner: JobRunner;

  constructor(@InjectDataSource(SCHEDULING_DATA_SOURCE) dataSource: DataSource, release: ReserveRelease, config: AppConfig) {
    this.runner = new JobRunner(dataSource, { [RELEASE_RESERVE_JOB]: release.onDue }, config.TIMER_POLL_MS);
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}

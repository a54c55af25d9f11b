import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobRunner } from '@countylink/persistence';
import { AppConfig } from '@countylink/platform';
import { CLAIM_EXPIRY_JOB, ReadService } from './reads/read.service';
import { DIAGNOSIS_DATA_SOURCE } from './remote-diagnosis.constants';

/** The app's durable timers (claims that lapse), polled from PostgreSQL. */
@Injectable()
export class DiagnosisTimers implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly runner: JobRunner;

  constructor(@InjectDataSource(DIAGNOSIS_DATA_SOURCE) dataSource: DataSource, reads: ReadService, config: AppConfig) {
    this.runner = new JobRunner(dataSource, {
      [CLAIM_EXPIRY_JOB]: async (job, manager) => {
        const next = await reads.onClaimExpired(job.aggregateId, manager);
        return next === 'done' ? 'done' : { rescheduleAt: next };
      },
    }, config.TIMER_POLL_MS);
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}

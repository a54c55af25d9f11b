import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobRunner } from '@countylink/persistence';
import { AppConfig } from '@countylink/platform';
import { REFERRAL_DATA_SOURCE } from './referral-registry.constants';
import { ReferralEscalation } from './referrals/referral-escalation';
import { RESPONSE_DUE_JOB } from './referrals/referral.service';

/** The app's durable timers (referral SLAs), polled from PostgreSQL. */
@Injectable()
export class ReferralTimers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly runner: JobRunner;

  constructor(@InjectDataSource(REFERRAL_DATA_SOURCE) dataSource: DataSource, escalation: ReferralEscalation, config: AppConfig) {
    this.runner = new JobRunner(dataSource, { [RESPONSE_DUE_JOB]: escalation.onDue }, config.TIMER_POLL_MS);
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  /** Before the data source closes: let a running job finish its transaction. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}

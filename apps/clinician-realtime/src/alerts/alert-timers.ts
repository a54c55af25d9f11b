import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobOutcome, JobRunner, ScheduledJob } from '@countylink/persistence';
import { AppConfig } from '@countylink/platform';
import { REALTIME_DATA_SOURCE } from '../clinician-realtime.constants';
import { ALERT_ESCALATION_JOB, ALERT_PAGE_JOB, AlertService } from './alert.service';
import { PAGER, Pager } from './pager';

/**
 * The app's durable timers, polled from PostgreSQL: ladder steps, and pages to send (a page is a
 * job, so a provider outage or a restart delays it but never loses it).
 */
@Injectable()
export class AlertTimers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly runner: JobRunner;

  constructor(
    @InjectDataSource(REALTIME_DATA_SOURCE) dataSource: DataSource,
    alerts: AlertService,
    @Inject(PAGER) private readonly pager: Pager,
    config: AppConfig,
  ) {
    this.runner = new JobRunner(dataSource, { [ALERT_ESCALATION_JOB]: alerts.onEscalationDue, [ALERT_PAGE_JOB]: this.onPageDue }, config.TIMER_POLL_MS);
  }

  private readonly onPageDue = async (job: ScheduledJob): Promise<JobOutcome> => {
    const p = job.payload;
    await this.pager.send({
      id: String(p.id),
      channel: p.channel === 'phone' ? 'phone' : 'sms',
      memberId: String(p.memberId),
      memberName: String(p.memberName),
      text: String(p.text),
    });
    return 'done';
  };

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  /** Before the data source closes, so a running step finishes (or rolls back) cleanly. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}

import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { JobPayload, ScheduledJob } from './scheduled-job.entity';

/** What a job handler wants next: run again at `rescheduleAt` (with new payload), or be done. */
export type JobOutcome = { rescheduleAt: Date; payload?: JobPayload } | 'done';

export type JobHandler = (job: ScheduledJob, manager: EntityManager) => Promise<JobOutcome>;

const RETRY_DELAY_MS = 5_000;

/**
 * Runs due jobs one per transaction: the job's effect (an event in the outbox, a state change) and
 * its removal commit together, so a crash repeats nothing and loses nothing.
 */
export class JobRunner {
  private readonly logger = new Logger(JobRunner.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;

  constructor(
    private readonly dataSource: DataSource,
    private readonly handlers: Record<string, JobHandler>,
    private readonly pollMs: number,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Runs every job due now; resolves with how many ran. Used by the poll loop and by tests. */
  async runDue(): Promise<number> {
    let count = 0;
    while (await this.runOne()) count++;
    return count;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runDue()
        .then(() => undefined)
        .catch((err) => this.logger.error({ err }, 'job poll failed'))
        .finally(() => this.schedule(this.pollMs));
    }, delay);
  }

  private async runOne(): Promise<boolean> {
    let failed: { id: string; err: unknown } | undefined;
    const ran = await this.dataSource.transaction(async (manager) => {
      const job = await manager
        .createQueryBuilder(ScheduledJob, 'job')
        .where('job.dueAt <= now()')
        .andWhere('job.kind IN (:...kinds)', { kinds: Object.keys(this.handlers) })
        .orderBy('job.dueAt', 'ASC')
        .limit(1)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getOne();
      if (!job) return false;
      const handler = this.handlers[job.kind];
      try {
        await manager.query('SAVEPOINT job');
        const outcome = await handler(job, manager);
        if (outcome === 'done') await manager.delete(ScheduledJob, { id: job.id });
        else await manager.update(ScheduledJob, { id: job.id }, { dueAt: outcome.rescheduleAt, payload: outcome.payload ?? job.payload, attempts: 0 });
      } catch (err) {
        await manager.query('ROLLBACK TO SAVEPOINT job');
        failed = { id: job.id, err };
        await manager.update(ScheduledJob, { id: job.id }, {
          attempts: job.attempts + 1,
          dueAt: new Date(Date.now() + RETRY_DELAY_MS * Math.min(2 ** job.attempts, 60)),
        });
      }
      return true;
    });
    if (failed) this.logger.error({ err: failed.err, jobId: failed.id }, 'job failed; it will be retried');
    return ran;
  }
}

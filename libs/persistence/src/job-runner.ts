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
  /** Set by `stop`: no job starts after it, not even the next one of a batch already being run. */
  private closing = false;
  /** Every `runDue` under way (the poll's and any caller's), for `stop` to wait on. */
  private readonly inFlight = new Set<Promise<number>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly handlers: Record<string, JobHandler>,
    private readonly pollMs: number,
  ) {}

  start(): void {
    this.stopped = false;
    this.closing = false;
    this.schedule(0);
  }

  /**
   * Stops polling and starting jobs, and resolves once the job being run (if any) has committed or
   * rolled back: call it while the data source is still open.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Runs every job due now; resolves with how many ran. Used by the poll loop and by tests. */
  runDue(): Promise<number> {
    const run = this.runAllDue();
    this.inFlight.add(run);
    void run.catch(() => undefined).finally(() => this.inFlight.delete(run));
    return run;
  }

  private async runAllDue(): Promise<number> {
    let count = 0;
    while (!this.closing && (await this.runOne())) count++;
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
        else
          await manager.update(
            ScheduledJob,
            { id: job.id },
            { dueAt: outcome.rescheduleAt, payload: outcome.payload ?? job.payload, attempts: 0 },
          );
      } catch (err) {
        await manager.query('ROLLBACK TO SAVEPOINT job');
        failed = { id: job.id, err };
        await manager.update(
          ScheduledJob,
          { id: job.id },
          {
            attempts: job.attempts + 1,
            dueAt: new Date(Date.now() + RETRY_DELAY_MS * Math.min(2 ** job.attempts, 60)),
          },
        );
      }
      return true;
    });
    if (failed) this.logger.error({ err: failed.err, jobId: failed.id }, 'job failed; it will be retried');
    return ran;
  }
}

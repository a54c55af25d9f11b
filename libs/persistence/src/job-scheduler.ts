import { EntityManager } from 'typeorm';
import { JobPayload, ScheduledJob } from './scheduled-job.entity';

/** Schedules (or moves) the one pending job of `kind` for an aggregate, inside the caller's transaction. */
export async function scheduleJob(
  manager: EntityManager,
  kind: string,
  aggregateId: string,
  dueAt: Date,
  payload: JobPayload = {},
): Promise<void> {
  await manager
    .createQueryBuilder()
    .insert()
    .into(ScheduledJob)
    .values({ kind, aggregateId, dueAt, payload, attempts: 0 })
    .orUpdate(['due_at', 'payload', 'attempts'], ['kind', 'aggregate_id'])
    .execute();
}

export async function cancelJob(manager: EntityManager, kind: string, aggregateId: string): Promise<void> {
  await manager.delete(ScheduledJob, { kind, aggregateId });
}

export * from './data-source-options';
export * from './snake-naming.strategy';
export * from './run-migrations';
export * from './database.module';
export * from './idempotency-record.entity';
export * from './idempotency';
export * from './insert-once';
export * from './table-path';
export * from './audit-entry.entity';
export * from './audit-log';
export * from './scheduled-job.entity';
export * from './job-scheduler';
export * from './job-runner';
export * from './app-jobs';

import { AuditEntry } from './audit-entry.entity';
import { IdempotencyRecord } from './idempotency-record.entity';
import { ScheduledJob } from './scheduled-job.entity';

/** Tables every app keeps in its own schema (its migrations create them). */
export const PERSISTENCE_ENTITIES = [IdempotencyRecord, AuditEntry, ScheduledJob];
export * from './embedded-postgres';
export * from './audit-append-only';
export * from './refused-access-audit.interceptor';

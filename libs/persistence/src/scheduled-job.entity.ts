import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** Small, flat job data (ids, levels); anything bigger belongs in the app's own tables. */
export type JobPayload = Record<string, string | number | boolean | null>;

/**
 * A durable timer: "do `kind` for `aggregateId` at `dueAt`". Rows survive restarts, and
 * `FOR UPDATE SKIP LOCKED` hands each due row to exactly one running instance.
 */
@Entity('scheduled_job')
@Unique(['kind', 'aggregateId'])
@Index(['dueAt'])
export class ScheduledJob {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'text' })
  aggregateId: string;

  @Column({ type: 'timestamptz' })
  dueAt: Date;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  payload: JobPayload;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

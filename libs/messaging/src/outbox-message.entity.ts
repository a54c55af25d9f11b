import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An event waiting to be published, written in the same transaction as the change it reports.
 * The relay publishes rows in `id` order and deletes them once the broker has them.
 */
@Entity('outbox_message')
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'text' })
  topic: string;

  /** The aggregate id: one aggregate's events land in one partition, in order. */
  @Column({ type: 'text' })
  key: string;

  @Column({ type: 'text', nullable: true })
  subject: string | null;

  @Column({ type: 'text' })
  source: string;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  /** The protobuf-encoded value. */
  @Column({ type: 'bytea' })
  payload: Buffer;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** An outbox row as a publisher writes it (the id and the time are the database's). */
export type OutboxRow = Omit<OutboxMessage, 'id' | 'createdAt'>;

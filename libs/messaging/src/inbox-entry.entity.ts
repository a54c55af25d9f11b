import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An event a consumer group has applied; inserted in the same transaction as the effect. */
@Entity('inbox_entry')
export class InboxEntry {
  @PrimaryColumn({ type: 'text' })
  consumerGroup: string;

  @PrimaryColumn({ type: 'text' })
  eventId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  appliedAt: Date;
}

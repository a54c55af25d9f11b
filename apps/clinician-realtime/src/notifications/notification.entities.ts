import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { NotificationSubject } from './notification-types';

/** One notification, whatever number of rooms it goes to. Recorded once per event (inbox dedupe). */
@Entity('notification')
@Index(['eventId'])
export class NotificationRow {
  /** Taken after the room counters are locked, so within a room ids ascend in commit order. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'text' })
  subjectType: NotificationSubject['type'];

  @Column({ type: 'text' })
  subjectId: string;

  /** The consumed event it came from (null for steps of the alert ladder, which are timers). */
  @Column({ type: 'text', nullable: true })
  eventId: string | null;

  @Column({ type: 'jsonb' })
  data: object;

  @Column({ type: 'timestamptz' })
  at: Date;
}

/** The notification's position in one room: gapless, ascending in commit order. */
@Entity('notification_delivery')
@Index(['notificationId', 'rank'])
export class NotificationDelivery {
  @PrimaryColumn({ type: 'text' })
  scope: string;

  @PrimaryColumn({ type: 'bigint' })
  seq: string;

  @Column({ type: 'bigint' })
  notificationId: string;

  /** Order of the rooms in the notification: a client in several gets it through the first. */
  @Column({ type: 'int' })
  rank: number;
}

/** The counter row of a room, locked by UPDATE … RETURNING in the transaction that records. */
@Entity('notification_stream')
export class NotificationStream {
  @PrimaryColumn({ type: 'text' })
  scope: string;

  @Column({ type: 'bigint' })
  lastSeq: string;
}

/** The PostgreSQL Socket.IO adapter's table for payloads too large for NOTIFY. */
@Entity('socket_io_attachments')
export class SocketIoAttachment {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'bytea' })
  payload: Buffer;
}

export const NOTIFICATION_ENTITIES = [NotificationRow, NotificationDelivery, NotificationStream, SocketIoAttachment];

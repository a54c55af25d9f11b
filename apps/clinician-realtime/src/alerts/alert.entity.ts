import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import type { AlertKind, LadderStep } from './alert-ladder';

/** An alert that needs a human, and where it stands on its ladder. */
@Entity('alert')
@Unique(['kind', 'subjectType', 'subjectId'])
@Index(['institutionId', 'status'])
export class Alert {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  kind: AlertKind;

  @Column({ type: 'text' })
  subjectType: 'referral' | 'read';

  @Column({ type: 'text' })
  subjectId: string;

  @Column({ type: 'text' })
  institutionId: string;

  @Column({ type: 'text', nullable: true })
  departmentId: string | null;

  @Column({ type: 'text' })
  summary: string;

  @Column({ type: 'text' })
  status: 'open' | 'acknowledged';

  @Column({ type: 'text' })
  step: LadderStep;

  @Column({ type: 'timestamptz' })
  raisedAt: Date;

  /** Null at the top of the ladder: nothing climbs further. */
  @Column({ type: 'timestamptz', nullable: true })
  acknowledgeDueAt: Date | null;

  /** Every room the alert has reached so far: who is told of its acknowledgement, and who may give it. */
  @Column({ type: 'text', array: true })
  rooms: string[];

  @Column({ type: 'text', nullable: true })
  acknowledgedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  /** What the acknowledging doctor typed back of a critical value (记录、复读、确认): the record that it was heard right. */
  @Column({ type: 'text', nullable: true })
  readBack: string | null;
}

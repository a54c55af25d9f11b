import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type WaitlistStatus = 'waiting' | 'offered' | 'lapsed';

/** A referral waiting for a reserved place of a full schedule; first come, first offered. */
@Entity('waitlist_entry')
@Index('uq_waitlist_referral_waiting', ['scheduleId', 'referralId'], { unique: true, where: `"status" = 'waiting'` })
@Index(['scheduleId', 'status', 'createdAt'])
export class WaitlistEntry {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  scheduleId: string;

  @Column({ type: 'uuid' })
  referralId: string;

  @Column({ type: 'text' })
  institutionId: string;

  @Column({ type: 'text' })
  requestedBySubject: string;

  @Column({ type: 'text', array: true })
  requestedByRoles: string[];

  @Column({ type: 'text', nullable: true })
  requestedByDepartmentId: string | null;

  @Column({ type: 'text' })
  status: WaitlistStatus;

  /** The appointment the entry was given when a place came free. */
  @Column({ type: 'uuid', nullable: true })
  appointmentId: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  changedAt: Date;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ReferralStatus } from '../appointments/booking-rules';

/**
 * What this app knows of a referral, kept from referral events (the referral registry owns
 * referrals): enough to decide who may take a reserved place and for which patient.
 */
@Entity('referral_snapshot')
@Index(['fromInstitutionId', 'toDepartmentId'])
export class ReferralSnapshot {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  status: ReferralStatus;

  @Column({ type: 'text' })
  direction: 'up' | 'down';

  @Column({ type: 'text' })
  patientId: string;

  @Column({ type: 'text' })
  patientName: string;

  @Column({ type: 'text' })
  patientSex: 'male' | 'female' | 'other' | 'unknown';

  @Column({ type: 'date', nullable: true })
  patientBirthDate: string | null;

  @Column({ type: 'text' })
  fromInstitutionId: string;

  @Column({ type: 'text' })
  fromPractitionerId: string;

  @Column({ type: 'text' })
  toInstitutionId: string;

  @Column({ type: 'text', nullable: true })
  toDepartmentId: string | null;

  /** The referral's version in the event; an older snapshot never overwrites a newer one. */
  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * 结果互认: a referral lets its receiving institution see the results the sending institution holds
 * for the referred patient (studies uploaded by the sender under the patient id the referral names,
 * and their reads). Kept from referral events; a rejected or cancelled referral shares nothing, a
 * completed one only for a period after it completed (live-share.ts).
 */
@Entity('referral_share')
@Index('referral_share_lookup', ['toInstitutionId', 'fromInstitutionId', 'patientId'])
export class ReferralShare {
  @PrimaryColumn({ type: 'uuid' })
  referralId: string;

  @Column({ type: 'text' })
  fromInstitutionId: string;

  @Column({ type: 'text' })
  toInstitutionId: string;

  /** The patient's id in the sending institution (its HIS and its modalities use the same). */
  @Column({ type: 'text' })
  patientId: string;

  @Column({ type: 'boolean' })
  active: boolean;

  /** When the share stops: null while the referral is open; a set period after it completed. */
  @Column({ type: 'timestamptz', nullable: true })
  endsAt: Date | null;

  @Column({ type: 'int' })
  version: number;
}

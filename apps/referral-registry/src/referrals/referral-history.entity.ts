import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ReferralStatus } from './referral-state-machine';

/** Every change of a referral: who, when, why. Append-only; the referral's own audit trail. */
@Entity('referral_history')
@Index(['referralId', 'id'])
export class ReferralHistory {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  referralId: string;

  /** create, receive, accept, reject, arrive, complete, cancel, escalate. */
  @Column({ type: 'text' })
  action: string;

  @Column({ type: 'text', nullable: true })
  fromStatus: ReferralStatus | null;

  @Column({ type: 'text' })
  toStatus: ReferralStatus;

  /** The token subject, or `system` for escalations. */
  @Column({ type: 'text' })
  actorSubject: string;

  @Column({ type: 'text', nullable: true })
  actorInstitutionId: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  actorRoles: string[];

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'timestamptz' })
  at: Date;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ReferralStatus } from './referral-state-machine';
import type { Direction, GreenChannelCentre, Urgency } from './referral-rules';

@Entity('referral')
@Index(['fromInstitutionId', 'createdAt'])
@Index(['toInstitutionId', 'createdAt'])
@Index(['returnsFromReferralId'])
export class Referral {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  direction: Direction;

  @Column({ type: 'text' })
  status: ReferralStatus;

  @Column({ type: 'text' })
  urgency: Urgency;

  @Column({ type: 'text', nullable: true })
  greenChannelCentre: GreenChannelCentre | null;

  @Column({ type: 'boolean', default: false })
  directAdmission: boolean;

  @Column({ type: 'text' })
  patientId: string;

  @Column({ type: 'text' })
  patientName: string;

  @Column({ type: 'text' })
  patientSex: 'male' | 'female' | 'other' | 'unknown';

  @Column({ type: 'date', nullable: true })
  patientBirthDate: string | null;

  /** HMAC of the identity number; the number itself is never stored. */
  @Column({ type: 'text', nullable: true })
  @Index()
  patientIdentityHash: string | null;

  @Column({ type: 'text', nullable: true })
  patientIdentityMasked: string | null;

  @Column({ type: 'text' })
  fromInstitutionId: string;

  @Column({ type: 'text', nullable: true })
  fromDepartmentId: string | null;

  @Column({ type: 'text' })
  fromPractitionerId: string;

  @Column({ type: 'text' })
  toInstitutionId: string;

  @Column({ type: 'text', nullable: true })
  toDepartmentId: string | null;

  @Column({ type: 'text' })
  diagnosisCode: string;

  @Column({ type: 'text' })
  diagnosisDisplay: string;

  @Column({ type: 'text' })
  clinicalSummary: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text', nullable: true })
  justification: string | null;

  /** The diagnosis is in the township catalog (so an up-referral needed a justification). */
  @Column({ type: 'boolean', default: false })
  inTownshipCatalog: boolean;

  @Column({ type: 'boolean' })
  continuousDeductible: boolean;

  @Column({ type: 'uuid', nullable: true })
  returnsFromReferralId: string | null;

  @Column({ type: 'text', nullable: true })
  rehabilitationPlan: string | null;

  @Column({ type: 'timestamptz' })
  responseDueAt: Date;

  @Column({ type: 'int', default: 0 })
  escalationLevel: number;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;

  /** Starts at 1 and grows by one with every change (events carry it, consumers may compare). */
  @Column({ type: 'int' })
  version: number;
}

import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import type { ReadPriority, ReadStatus } from './read-state-machine';

/** A read request: a township study that a county specialist reads and reports. */
@Entity('read')
@Unique(['requestingInstitutionId', 'accessionNumber'])
@Index(['readingInstitutionId', 'status', 'dueAt'])
@Index(['requestingInstitutionId', 'createdAt'])
export class Read {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  accessionNumber: string;

  @Column({ type: 'text' })
  status: ReadStatus;

  @Column({ type: 'text' })
  priority: ReadPriority;

  @Column({ type: 'text' })
  modality: string;

  @Column({ type: 'text' })
  patientId: string;

  @Column({ type: 'text', nullable: true })
  patientName: string | null;

  @Column({ type: 'text', nullable: true })
  patientSex: string | null;

  @Column({ type: 'text', nullable: true })
  patientBirthDate: string | null;

  @Column({ type: 'text' })
  requestingInstitutionId: string;

  @Column({ type: 'text', nullable: true })
  requestingDepartmentId: string | null;

  @Column({ type: 'text' })
  requestingPractitionerId: string;

  @Column({ type: 'text' })
  readingInstitutionId: string;

  @Column({ type: 'text', nullable: true })
  readingDepartmentId: string | null;

  @Column({ type: 'text', nullable: true })
  clinicalQuestion: string | null;

  /** Set when the read becomes ready: ready time + the deadline of its modality and priority. */
  @Column({ type: 'timestamptz', nullable: true })
  dueAt: Date | null;

  @Column({ type: 'text', nullable: true })
  claimedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  claimExpiresAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  readyAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  reportedAt: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;

  @Column({ type: 'int' })
  version: number;
}

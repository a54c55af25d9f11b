import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A signed report, or an addendum to one. Never updated: an amendment is a new row. */
@Entity('report')
@Index(['readId', 'signedAt'])
export class Report {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  readId: string;

  @Column({ type: 'text' })
  kind: 'original' | 'addendum';

  @Column({ type: 'uuid', nullable: true })
  amendsReportId: string | null;

  @Column({ type: 'text' })
  findings: string;

  @Column({ type: 'text' })
  impression: string;

  /** 治疗方案. */
  @Column({ type: 'text' })
  treatmentPlan: string;

  /** 危急值 category, when the report carries a critical value. */
  @Column({ type: 'text', nullable: true })
  criticalCategory: string | null;

  @Column({ type: 'text', nullable: true })
  criticalDescription: string | null;

  @Column({ type: 'text' })
  signedBy: string;

  @Column({ type: 'text' })
  signedByInstitutionId: string;

  @Column({ type: 'text', nullable: true })
  signedByDepartmentId: string | null;

  @Column({ type: 'timestamptz' })
  signedAt: Date;
}

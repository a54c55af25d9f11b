import { Column, Entity, PrimaryColumn, Unique } from 'typeorm';

/** The constraint a second template of the same title and modality runs into (answered as a 409). */
export const TEMPLATE_TITLE_UNIQUE = 'report_template_modality_title';

/**
 * A phrase template (报告模板) a county reader starts a report from. Kept by the group admin and
 * shared across the group; it holds no patient data.
 */
@Entity('report_template')
@Unique(TEMPLATE_TITLE_UNIQUE, ['modality', 'title'])
export class ReportTemplate {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  modality: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  findings: string;

  @Column({ type: 'text' })
  impression: string;

  /** 治疗方案. */
  @Column({ type: 'text' })
  treatmentPlan: string;

  @Column({ type: 'text' })
  createdBy: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'text' })
  updatedBy: string;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;

  /** Raised by every edit; an edit must name the version it started from. */
  @Column({ type: 'int' })
  version: number;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A study as the index knows it: whose it is, which read it belongs to, and what QIDO-RS matches on. */
@Entity('study')
@Index(['institutionId', 'studyDate'])
@Index(['readId'])
@Index(['patientId'])
@Index(['accessionNumber'])
export class Study {
  @PrimaryColumn({ type: 'text' })
  studyInstanceUid: string;

  /** The institution that uploaded it; only it (and the readers of its read) may see it. */
  @Column({ type: 'text' })
  institutionId: string;

  @Column({ type: 'uuid', nullable: true })
  readId: string | null;

  @Column({ type: 'text' })
  patientId: string;

  @Column({ type: 'text', nullable: true })
  patientName: string | null;

  @Column({ type: 'text', nullable: true })
  patientBirthDate: string | null;

  @Column({ type: 'text', nullable: true })
  patientSex: string | null;

  /** DICOM DA (YYYYMMDD), as sent. */
  @Column({ type: 'text', nullable: true })
  studyDate: string | null;

  @Column({ type: 'text', nullable: true })
  studyTime: string | null;

  @Column({ type: 'text', nullable: true })
  accessionNumber: string | null;

  @Column({ type: 'text', nullable: true })
  studyDescription: string | null;

  @Column({ type: 'text', nullable: true })
  referringPhysicianName: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

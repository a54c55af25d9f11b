import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('series')
@Index(['studyInstanceUid'])
export class Series {
  @PrimaryColumn({ type: 'text' })
  seriesInstanceUid: string;

  @Column({ type: 'text' })
  studyInstanceUid: string;

  @Column({ type: 'text' })
  modality: string;

  @Column({ type: 'int', nullable: true })
  seriesNumber: number | null;

  @Column({ type: 'text', nullable: true })
  seriesDescription: string | null;

  @Column({ type: 'text', nullable: true })
  bodyPartExamined: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}

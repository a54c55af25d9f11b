import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A stored instance: its identity, where its bytes are (by SHA-256) and what rendering needs. */
@Entity('instance')
@Index(['seriesInstanceUid'])
@Index(['studyInstanceUid'])
@Index(['sha256'])
export class Instance {
  @PrimaryColumn({ type: 'text' })
  sopInstanceUid: string;

  @Column({ type: 'text' })
  sopClassUid: string;

  @Column({ type: 'text' })
  seriesInstanceUid: string;

  @Column({ type: 'text' })
  studyInstanceUid: string;

  /** image, waveform or document. */
  @Column({ type: 'text' })
  category: string;

  @Column({ type: 'text' })
  transferSyntaxUid: string;

  @Column({ type: 'int', nullable: true })
  instanceNumber: number | null;

  @Column({ type: 'int', nullable: true })
  rows: number | null;

  @Column({ type: 'int', nullable: true })
  columns: number | null;

  @Column({ type: 'int', nullable: true })
  bitsAllocated: number | null;

  @Column({ type: 'int', nullable: true })
  numberOfFrames: number | null;

  @Column({ type: 'text', nullable: true })
  photometricInterpretation: string | null;

  /** Hex SHA-256 of the stored bytes: the file's name in the content store. */
  @Column({ type: 'text' })
  sha256: string;

  @Column({ type: 'bigint' })
  sizeBytes: string;

  @Column({ type: 'text' })
  storedBy: string;

  @Column({ type: 'timestamptz' })
  storedAt: Date;
}

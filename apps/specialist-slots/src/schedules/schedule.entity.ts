import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import type { ResourceKind } from './reserved-pool';

const share = { to: (v: number) => v, from: (v: string | null) => (v === null ? v : Number(v)) };

/**
 * A bookable resource over a time span with its two pools. The counts live on this one row and
 * the CHECKs below make an overbooked or negative pool impossible whatever the concurrency: a
 * booking is a conditional UPDATE of this row, never a read-then-write in the app.
 */
@Entity('schedule')
@Unique('uq_schedule_external_id', ['institutionId', 'externalId'])
@Index(['institutionId', 'departmentId', 'kind', 'startsAt'])
@Check('ck_schedule_reserved_capacity', '"reserved_capacity" >= 0 AND "reserved_capacity" <= "capacity"')
@Check('ck_schedule_reserved_booked', '"reserved_booked" >= 0 AND "reserved_booked" <= "reserved_capacity"')
@Check('ck_schedule_general_booked', '"general_booked" >= 0 AND "general_booked" <= "capacity" - "reserved_capacity"')
@Check('ck_schedule_reserved_share', '"reserved_share" >= 0.2 AND "reserved_share" <= 1')
@Check('ck_schedule_times', '"ends_at" > "starts_at"')
export class Schedule {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  kind: ResourceKind;

  @Column({ type: 'text' })
  institutionId: string;

  @Column({ type: 'text' })
  departmentId: string;

  @Column({ type: 'text', nullable: true })
  practitionerId: string | null;

  @Column({ type: 'text', nullable: true })
  modality: string | null;

  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'timestamptz' })
  endsAt: Date;

  @Column({ type: 'int' })
  capacity: number;

  @Column({ type: 'numeric', precision: 5, scale: 4, transformer: share })
  reservedShare: number;

  /** ceil(capacity × share) as published; the KPIs count the reservation from it. */
  @Column({ type: 'int' })
  reservedAtPublication: number;

  @Column({ type: 'int' })
  reservedCapacity: number;

  @Column({ type: 'int', default: 0 })
  reservedBooked: number;

  @Column({ type: 'int', default: 0 })
  generalBooked: number;

  @Column({ type: 'boolean', default: false })
  reserveReleased: boolean;

  @Column({ type: 'int', default: 0 })
  releasedUnused: number;

  @Column({ type: 'timestamptz' })
  reservedOpensAt: Date;

  @Column({ type: 'timestamptz' })
  generalOpensAt: Date;

  @Column({ type: 'timestamptz' })
  releaseAt: Date;

  @Column({ type: 'text', nullable: true })
  externalId: string | null;

  @Column({ type: 'text' })
  publishedBy: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;

  @Column({ type: 'int' })
  version: number;
}

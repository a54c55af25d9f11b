import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SCHEDULING_DATA_SOURCE, SCHEDULING_SCHEMA } from '../specialist-slots.constants';
import { ReservedCapacityQuery } from './dtos/reserved-capacity.query';

/**
 * Per institution, department and resource kind: places reserved at publication, places booked
 * through a referral in the reserved pool, reserve released unused, and of the referred patients
 * booked there, how many were seen (attended) within the reservation.
 */
const SQL = `
WITH s AS (
  SELECT * FROM "${SCHEDULING_SCHEMA}"."schedule"
  WHERE ($1::timestamptz IS NULL OR starts_at >= $1) AND ($2::timestamptz IS NULL OR starts_at < $2) AND ($3::text IS NULL OR institution_id = $3)
), pools AS (
  SELECT institution_id, department_id, kind, count(*)::int AS schedules, sum(capacity)::int AS capacity,
    sum(reserved_at_publication)::int AS reserved, sum(released_unused)::int AS released_unused
  FROM s GROUP BY 1, 2, 3
), bookings AS (
  SELECT s.institution_id, s.department_id, s.kind,
    count(*) FILTER (WHERE a.pool = 'reserved' AND a.referral_id IS NOT NULL AND a.status <> 'cancelled')::int AS booked_through_referral,
    count(DISTINCT a.referral_id) FILTER (WHERE a.referral_id IS NOT NULL AND a.status <> 'cancelled')::int AS referred_patients,
    count(DISTINCT a.referral_id) FILTER (WHERE a.pool = 'reserved' AND a.status = 'attended')::int AS seen_within_reservation
  FROM s JOIN "${SCHEDULING_SCHEMA}"."appointment" a ON a.schedule_id = s.id GROUP BY 1, 2, 3
)
SELECT p.*, coalesce(b.booked_through_referral, 0) AS booked_through_referral, coalesce(b.referred_patients, 0) AS referred_patients,
  coalesce(b.seen_within_reservation, 0) AS seen_within_reservation
FROM pools p LEFT JOIN bookings b USING (institution_id, department_id, kind)
ORDER BY p.institution_id, p.department_id, p.kind`;

interface Row {
  institution_id: string;
  department_id: string;
  kind: string;
  schedules: number;
  capacity: number;
  reserved: number;
  released_unused: number;
  booked_through_referral: number;
  referred_patients: number;
  seen_within_reservation: number;
}

@Injectable()
export class ReservedCapacityKpiService {
  constructor(@InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async report(query: ReservedCapacityQuery) {
    const rows = (await this.dataSource.query(SQL, [query.from ?? null, query.to ?? null, query.institutionId ?? null])) as Row[];
    return {
      from: query.from ?? null,
      to: query.to ?? null,
      rows: rows.map((r) => ({
        institutionId: r.institution_id,
        departmentId: r.department_id,
        kind: r.kind,
        schedules: r.schedules,
        capacity: r.capacity,
        reserved: r.reserved,
        reservedShare: r.capacity ? round(r.reserved / r.capacity) : null,
        bookedThroughReferral: r.booked_through_referral,
        releasedUnused: r.released_unused,
        referredPatients: r.referred_patients,
        seenWithinReservation: r.seen_within_reservation,
        seenWithinReservationShare: r.referred_patients ? round(r.seen_within_reservation / r.referred_patients) : null,
      })),
    };
  }
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

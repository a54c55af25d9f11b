import { Injectable } from '@nestjs/common';
import { ScheduleRepository } from '../schedules/schedule.repository';
import { ReservedCapacityQuery } from './dtos/reserved-capacity.query';

/**
 * Per institution, department and resource kind: places reserved at publication, places booked
 * through a referral in the reserved pool, reserve released unused, and of the referred patients
 * booked there, how many were seen (attended) within the reservation.
 */
@Injectable()
export class ReservedCapacityKpiService {
  constructor(private readonly schedules: ScheduleRepository) {}

  async report(query: ReservedCapacityQuery) {
    const rows = await this.schedules.reservedCapacity(
      query.from ?? null,
      query.to ?? null,
      query.institutionId ?? null,
    );
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

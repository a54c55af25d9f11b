import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Schedule } from '../schedules/schedule.entity';
import { fromRaw } from '../schedules/raw-row';
import { SCHEDULING_SCHEMA } from '../specialist-slots.constants';
import { Appointment } from './appointment.entity';
import { AppointmentStatus } from './appointment-state-machine';
import { ListAppointmentsQuery } from './dtos/list-appointments.query';

const CHANGE_STATUS = `UPDATE "${SCHEDULING_SCHEMA}"."appointment" SET status = $3, changed_at = $4, changed_by_subject = $5, reason = $6
       WHERE id = $1 AND status = $2 RETURNING *`;

/** The SQL of `appointment` rows; every method runs inside the caller's transaction. */
@Injectable()
export class AppointmentRepository {
  /**
   * Moves an appointment from the status read to `to`, conditional on that status: of two
   * concurrent changes only one finds the row. Null when it changed meanwhile.
   */
  async changeStatus(
    manager: EntityManager,
    change: {
      id: string;
      from: AppointmentStatus;
      to: AppointmentStatus;
      at: Date;
      bySubject: string;
      reason: string | null;
    },
  ): Promise<Appointment | null> {
    const [rows] = (await manager.query(CHANGE_STATUS, [
      change.id,
      change.from,
      change.to,
      change.at,
      change.bySubject,
      change.reason,
    ])) as [Array<Record<string, unknown>>, number];
    return rows.length === 0 ? null : fromRaw(manager, Appointment, rows[0]);
  }

  /**
   * Appointments matching the filter, soonest session first; with `visibleTo` only those that
   * institution booked or provides.
   */
  list(manager: EntityManager, query: ListAppointmentsQuery, visibleTo: string | null): Promise<Appointment[]> {
    const qb = manager.createQueryBuilder(Appointment, 'a').innerJoin(Schedule, 's', 's.id = a.scheduleId');
    if (visibleTo !== null) qb.andWhere('(a.patientInstitutionId = :me OR s.institutionId = :me)', { me: visibleTo });
    if (query.scheduleId) qb.andWhere('a.scheduleId = :scheduleId', { scheduleId: query.scheduleId });
    if (query.referralId) qb.andWhere('a.referralId = :referralId', { referralId: query.referralId });
    if (query.status?.length) qb.andWhere('a.status IN (:...status)', { status: query.status });
    // limit, not take: one row per appointment (the join is on the schedule's key), so no DISTINCT subquery is needed.
    return qb
      .orderBy('s.startsAt', 'ASC')
      .addOrderBy('a.bookedAt', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .limit(query.limit ?? 50)
      .getMany();
  }
}

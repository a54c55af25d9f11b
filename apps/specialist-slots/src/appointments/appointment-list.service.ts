import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AccessContext, hasAnyRole, Principal, Role } from '@countylink/auth';
import { recordAudit } from '@countylink/persistence';
import { Schedule } from '../schedules/schedule.entity';
import { scheduleView, ScheduleView } from '../schedules/schedule.view';
import { SCHEDULING_DATA_SOURCE } from '../specialist-slots.constants';
import { Appointment } from './appointment.entity';
import { appointmentView, AppointmentView } from './appointment.view';
import { ListAppointmentsQuery } from './dtos/list-appointments.query';

/**
 * The appointments an institution booked for its patients or provides, soonest session first: what
 * a booking screen lists to cancel, and what a department expects. The same two institutions that
 * may open one appointment see it here; the group administration sees all.
 */
@Injectable()
export class AppointmentListService {
  constructor(@InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async list(principal: Principal, query: ListAppointmentsQuery, access: AccessContext): Promise<{ items: Array<AppointmentView & { schedule: ScheduleView }> }> {
    return this.dataSource.transaction(async (manager) => {
      const qb = manager.createQueryBuilder(Appointment, 'a').innerJoin(Schedule, 's', 's.id = a.scheduleId');
      if (!hasAnyRole(principal, [Role.GroupAdmin])) {
        qb.andWhere('(a.patientInstitutionId = :me OR s.institutionId = :me)', { me: principal.institutionId });
      }
      if (query.scheduleId) qb.andWhere('a.scheduleId = :scheduleId', { scheduleId: query.scheduleId });
      if (query.referralId) qb.andWhere('a.referralId = :referralId', { referralId: query.referralId });
      if (query.status?.length) qb.andWhere('a.status IN (:...status)', { status: query.status });
      // limit, not take: one row per appointment (the join is on the schedule's key), so no DISTINCT subquery is needed.
      const rows = await qb.orderBy('s.startsAt', 'ASC').addOrderBy('a.bookedAt', 'ASC').addOrderBy('a.id', 'ASC').limit(query.limit ?? 50).getMany();
      const schedules = rows.length ? await manager.findBy(Schedule, { id: In([...new Set(rows.map((a) => a.scheduleId))]) }) : [];
      const now = new Date();
      const views = new Map(schedules.map((s) => [s.id, scheduleView(s, now)]));
      if (rows.length > 0) {
        await recordAudit(manager, principal, { action: 'appointment.list', resourceType: 'appointment', resourceIds: rows.map((a) => a.id), ...access });
      }
      return { items: rows.map((a) => ({ ...appointmentView(a), schedule: views.get(a.scheduleId)! })) };
    });
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AccessContext, hasAnyRole, Principal, Role } from '@countylink/auth';
import { recordAudit } from '@countylink/persistence';
import { Schedule } from '../schedules/schedule.entity';
import { scheduleView, ScheduleView } from '../schedules/schedule.view';
import { SCHEDULING_DATA_SOURCE } from '../specialist-slots.constants';
import { AppointmentRepository } from './appointment.repository';
import { appointmentView, AppointmentView } from './appointment.view';
import { ListAppointmentsQuery } from './dtos/list-appointments.query';

/**
 * The appointments an institution booked for its patients or provides, soonest session first: what
 * a booking screen lists to cancel, and what a department expects. The same two institutions that
 * may open one appointment see it here; the group administration sees all.
 */
@Injectable()
export class AppointmentListService {
  constructor(
    @InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly appointments: AppointmentRepository,
  ) {}

  async list(
    principal: Principal,
    query: ListAppointmentsQuery,
    access: AccessContext,
  ): Promise<{ items: Array<AppointmentView & { schedule: ScheduleView }> }> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await this.appointments.list(
        manager,
        query,
        hasAnyRole(principal, [Role.GroupAdmin]) ? null : principal.institutionId,
      );
      const schedules = rows.length
        ? await manager.findBy(Schedule, { id: In([...new Set(rows.map((a) => a.scheduleId))]) })
        : [];
      const now = new Date();
      const views = new Map(schedules.map((s) => [s.id, scheduleView(s, now)]));
      if (rows.length > 0) {
        await recordAudit(manager, principal, {
          action: 'appointment.list',
          resourceType: 'appointment',
          resourceIds: rows.map((a) => a.id),
          ...access,
        });
      }
      return { items: rows.map((a) => ({ ...appointmentView(a), schedule: views.get(a.scheduleId)! })) };
    });
  }
}

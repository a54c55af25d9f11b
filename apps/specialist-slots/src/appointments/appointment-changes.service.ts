import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessContext, hasAnyRole, Principal, Role } from '@countylink/auth';
import { actorMessage, EventPublisher } from '@countylink/messaging';
import { recordAudit } from '@countylink/persistence';
import { DomainException } from '@countylink/platform';
import { SchedulingErrorCode } from '../scheduling.exception';
import { Schedule } from '../schedules/schedule.entity';
import { ScheduleRepository } from '../schedules/schedule.repository';
import { scheduleView, ScheduleView } from '../schedules/schedule.view';
import { appointmentMessage, scheduleMessage } from '../schedules/scheduling-event.mapper';
import { SCHEDULING_DATA_SOURCE } from '../specialist-slots.constants';
import { WaitingReferral, WaitlistHandoff } from '../waitlist/waitlist-handoff.service';
import { Appointment } from './appointment.entity';
import { AppointmentRepository } from './appointment.repository';
import { AppointmentAction, appointmentTransition, AppointmentStatus, mayAct } from './appointment-state-machine';
import { appointmentView, AppointmentView } from './appointment.view';

const EVENT = {
  cancel: 'countylink.scheduling.appointment-cancelled.v1',
  'no-show': 'countylink.scheduling.appointment-no-show.v1',
  attend: 'countylink.scheduling.appointment-attended.v1',
} as const;

@Injectable()
export class AppointmentChangesService {
  constructor(
    @InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly handoff: WaitlistHandoff,
    private readonly appointments: AppointmentRepository,
    private readonly scheduleRows: ScheduleRepository,
  ) {}

  /** The booking institution and the providing one see an appointment; anyone else gets 404. */
  async get(
    principal: Principal,
    id: string,
    access: AccessContext,
  ): Promise<AppointmentView & { schedule: ScheduleView }> {
    return this.dataSource.transaction(async (manager) => {
      const { appointment, schedule } = await this.visible(manager, principal, id);
      await recordAudit(manager, principal, {
        action: 'appointment.read',
        resourceType: 'appointment',
        resourceId: id,
        ...access,
      });
      return { ...appointmentView(appointment), schedule: scheduleView(schedule) };
    });
  }

  change(
    principal: Principal,
    id: string,
    action: AppointmentAction,
    reason: string | undefined,
  ): Promise<AppointmentView> {
    return this.dataSource.transaction((manager) => this.changeWithin(manager, principal, id, action, reason));
  }

  /** Cancel, no-show or attend inside the caller's transaction (HTTP, HIS command). */
  async changeWithin(
    manager: EntityManager,
    principal: Principal,
    id: string,
    action: AppointmentAction,
    reason: string | undefined,
  ): Promise<AppointmentView> {
    const { appointment, schedule } = await this.visible(manager, principal, id);
    if (
      !mayAct(action, principal.institutionId, {
        patientInstitutionId: appointment.patientInstitutionId,
        providerInstitutionId: schedule.institutionId,
      })
    ) {
      throw new DomainException(
        SchedulingErrorCode.NOT_ALLOWED,
        'Only the institution that provides the place records attendance',
      );
    }
    const result = appointmentTransition(appointment.status, action);
    if (!result.ok) throw invalid(action, appointment.status, result.allowedFrom);
    const now = new Date();
    // Conditional on the status read: of two concurrent cancels only one gives the place back.
    const changed = await this.appointments.changeStatus(manager, {
      id,
      from: appointment.status,
      to: result.to,
      at: now,
      bySubject: principal.sub,
      reason: reason ?? null,
    });
    if (!changed) throw invalid(action, 'changed meanwhile', ['booked']);
    const { after, heir } =
      action === 'cancel' ? await this.giveBack(manager, changed, now) : { after: schedule, heir: null };
    await this.events.publish(
      manager,
      EVENT[action],
      after.id,
      {
        schedule: scheduleMessage(after),
        appointment: appointmentMessage(changed),
        actor: actorMessage(principal),
        reason: reason ?? '',
      },
      { subject: `appointment/${id}`, occurredAt: now },
    );
    if (heir) await this.handoff.handOver(manager, after, heir, changed, now);
    return appointmentView(changed, scheduleView(after, now));
  }

  /**
   * Returns the place to its pool, unless a referral waits for a reserved place: then the place
   * stays taken and passes to that referral (after the cancellation event, so consumers see both in order).
   */
  private async giveBack(
    manager: EntityManager,
    cancelled: Appointment,
    now: Date,
  ): Promise<{ after: Schedule; heir: WaitingReferral | null }> {
    // The row lock orders this with bookings and with the release job of the same schedule.
    const locked = await manager.findOneOrFail(Schedule, {
      where: { id: cancelled.scheduleId },
      lock: { mode: 'pessimistic_write' },
    });
    const heir =
      cancelled.pool === 'reserved' && !locked.reserveReleased
        ? await this.handoff.firstWaiting(manager, locked.id)
        : null;
    if (heir) return { after: locked, heir };
    return { after: await this.scheduleRows.giveBack(manager, cancelled.pool, cancelled.scheduleId, now), heir: null };
  }

  private async visible(manager: EntityManager, principal: Principal, id: string) {
    const appointment = await manager.findOneBy(Appointment, { id });
    const schedule = appointment ? await manager.findOneBy(Schedule, { id: appointment.scheduleId }) : null;
    const mine =
      appointment &&
      schedule &&
      (hasAnyRole(principal, [Role.GroupAdmin]) ||
        [appointment.patientInstitutionId, schedule.institutionId].includes(principal.institutionId));
    if (!mine) throw new DomainException(SchedulingErrorCode.APPOINTMENT_NOT_FOUND, `No appointment ${id}`);
    return { appointment: appointment!, schedule: schedule! };
  }
}

function invalid(
  action: AppointmentAction,
  status: AppointmentStatus | string,
  allowedFrom: readonly string[],
): DomainException {
  return new DomainException(
    SchedulingErrorCode.INVALID_TRANSITION,
    `Cannot ${action} an appointment that is ${status}`,
    { status, allowedFrom },
  );
}

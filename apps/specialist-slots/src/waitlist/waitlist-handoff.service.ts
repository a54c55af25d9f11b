import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventPublisher, SYSTEM_ACTOR } from '@countylink/messaging';
import { Appointment } from '../appointments/appointment.entity';
import { insertAppointment } from '../appointments/booking.service';
import { ReferralSnapshot } from '../referrals/referral-snapshot.entity';
import { Schedule } from '../schedules/schedule.entity';
import { appointmentMessage, scheduleMessage, waitlistEntryMessage } from '../schedules/scheduling-event.mapper';
import { WaitlistEntry } from './waitlist-entry.entity';
import { WaitlistRepository } from './waitlist.repository';

export interface WaitingReferral {
  entry: WaitlistEntry;
  referral: ReferralSnapshot;
}

@Injectable()
export class WaitlistHandoff {
  constructor(
    private readonly events: EventPublisher,
    private readonly waitlist: WaitlistRepository,
  ) {}

  /** Called with the schedule row locked, so two cancellations cannot hand out one entry twice. */
  async firstWaiting(manager: EntityManager, scheduleId: string): Promise<WaitingReferral | null> {
    const id = await this.waitlist.firstWaitingId(manager, scheduleId);
    if (id === null) return null;
    const entry = await manager.findOneByOrFail(WaitlistEntry, { id });
    return { entry, referral: await manager.findOneByOrFail(ReferralSnapshot, { id: entry.referralId }) };
  }

  /** Books the freed reserved place for the waiting referral, as its family doctor would have. */
  async handOver(
    manager: EntityManager,
    schedule: Schedule,
    heir: WaitingReferral,
    freedBy: Appointment,
    now: Date,
  ): Promise<Appointment> {
    const { entry, referral } = heir;
    const appointment: Appointment = {
      id: randomUUID(),
      scheduleId: schedule.id,
      pool: 'reserved',
      status: 'booked',
      patientId: referral.patientId,
      patientName: referral.patientName,
      patientSex: referral.patientSex,
      patientBirthDate: referral.patientBirthDate,
      patientInstitutionId: entry.institutionId,
      referralId: referral.id,
      bookedBySubject: entry.requestedBySubject,
      bookedByRoles: entry.requestedByRoles,
      bookedByDepartmentId: entry.requestedByDepartmentId,
      fromWaitlist: true,
      bookedAt: now,
      changedAt: now,
      changedBySubject: null,
      reason: null,
    };
    await insertAppointment(manager, appointment);
    const offered = await this.waitlist.markOffered(manager, entry.id, appointment.id, now);
    const subject = `appointment/${appointment.id}`;
    await this.events.publish(
      manager,
      'countylink.scheduling.appointment-booked.v1',
      schedule.id,
      {
        schedule: scheduleMessage(schedule),
        appointment: appointmentMessage(appointment),
        actor: SYSTEM_ACTOR,
        reason: `waitlist: place freed by appointment ${freedBy.id}`,
      },
      { subject, occurredAt: now },
    );
    await this.events.publish(
      manager,
      'countylink.scheduling.waitlist-offered.v1',
      schedule.id,
      {
        schedule: scheduleMessage(schedule),
        entry: waitlistEntryMessage(offered),
        appointment: appointmentMessage(appointment),
        freedByAppointmentId: freedBy.id,
      },
      { subject, occurredAt: now },
    );
    return appointment;
  }
}

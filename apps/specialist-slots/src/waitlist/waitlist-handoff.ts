import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventPublisher, SYSTEM_ACTOR } from '@countylink/messaging';
import { Appointment } from '../appointments/appointment.entity';
import { insertAppointment } from '../appointments/booking.service';
import { ReferralSnapshot } from '../referrals/referral-snapshot.entity';
import { fromRaw } from '../schedules/raw-row';
import { Schedule } from '../schedules/schedule.entity';
import { appointmentMessage, scheduleMessage, waitlistEntryMessage } from '../schedules/scheduling-event.mapper';
import { SCHEDULING_SCHEMA } from '../specialist-slots.constants';
import { WaitlistEntry } from './waitlist-entry.entity';

export interface WaitingReferral {
  entry: WaitlistEntry;
  referral: ReferralSnapshot;
}

/**
 * The first waiting referral that can still take the place: its referral is open and its patient
 * holds no place in the schedule yet. Others keep waiting (they lapse at the release).
 */
const FIRST_WAITING = `
  SELECT w.id FROM "${SCHEDULING_SCHEMA}"."waitlist_entry" w
  JOIN "${SCHEDULING_SCHEMA}"."referral_snapshot" r ON r.id = w.referral_id
  WHERE w.schedule_id = $1 AND w.status = 'waiting' AND r.status IN ('requested', 'received', 'accepted', 'arrived')
    AND NOT EXISTS (SELECT 1 FROM "${SCHEDULING_SCHEMA}"."appointment" a WHERE a.schedule_id = w.schedule_id
      AND a.patient_institution_id = w.institution_id AND a.patient_id = r.patient_id AND a.status <> 'cancelled')
  ORDER BY w.created_at, w.id LIMIT 1 FOR UPDATE OF w`;

@Injectable()
export class WaitlistHandoff {
  constructor(private readonly events: EventPublisher) {}

  /** Called with the schedule row locked, so two cancellations cannot hand out one entry twice. */
  async firstWaiting(manager: EntityManager, scheduleId: string): Promise<WaitingReferral | null> {
    const rows = (await manager.query(FIRST_WAITING, [scheduleId])) as Array<{ id: string }>;
    if (rows.length === 0) return null;
    const entry = await manager.findOneByOrFail(WaitlistEntry, { id: rows[0].id });
    return { entry, referral: await manager.findOneByOrFail(ReferralSnapshot, { id: entry.referralId }) };
  }

  /** Books the freed reserved place for the waiting referral, as its family doctor would have. */
  async handOver(manager: EntityManager, schedule: Schedule, heir: WaitingReferral, freedBy: Appointment, now: Date): Promise<Appointment> {
    const { entry, referral } = heir;
    const appointment: Appointment = {
      id: randomUUID(), scheduleId: schedule.id, pool: 'reserved', status: 'booked',
      patientId: referral.patientId, patientName: referral.patientName, patientSex: referral.patientSex, patientBirthDate: referral.patientBirthDate,
      patientInstitutionId: entry.institutionId, referralId: referral.id,
      bookedBySubject: entry.requestedBySubject, bookedByRoles: entry.requestedByRoles, bookedByDepartmentId: entry.requestedByDepartmentId,
      fromWaitlist: true, bookedAt: now, changedAt: now, changedBySubject: null, reason: null,
    };
    await insertAppointment(manager, appointment);
    const [rows] = (await manager.query(
      `UPDATE "${SCHEDULING_SCHEMA}"."waitlist_entry" SET status = 'offered', appointment_id = $2, changed_at = $3 WHERE id = $1 RETURNING *`,
      [entry.id, appointment.id, now],
    )) as [Array<Record<string, unknown>>, number];
    const offered = fromRaw(manager, WaitlistEntry, rows[0]);
    const subject = `appointment/${appointment.id}`;
    await this.events.publish(manager, 'countylink.scheduling.appointment-booked.v1', schedule.id, {
      schedule: scheduleMessage(schedule), appointment: appointmentMessage(appointment), actor: SYSTEM_ACTOR,
      reason: `waitlist: place freed by appointment ${freedBy.id}`,
    }, { subject, occurredAt: now });
    await this.events.publish(manager, 'countylink.scheduling.waitlist-offered.v1', schedule.id, {
      schedule: scheduleMessage(schedule), entry: waitlistEntryMessage(offered), appointment: appointmentMessage(appointment), freedByAppointmentId: freedBy.id,
    }, { subject, occurredAt: now });
    return appointment;
  }
}

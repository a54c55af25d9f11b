import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Appointment, AppointmentStatus, Pool, ResourceKind, Schedule } from '@countylink/contracts';
import { InvalidEventError } from '@countylink/messaging';
import { AppointmentNotice, AppointmentNotificationType } from '../notifications/notification-types';
import { Rooms } from '../rooms/rooms';
import { EventMapping, kebab, MappingResult, notify } from './event-mapping';

function requireBooking(
  schedule: Schedule | undefined,
  appointment: Appointment | undefined,
): { schedule: Schedule; appointment: Appointment } {
  if (!schedule?.id || !schedule.institutionId || !appointment?.id)
    throw new InvalidEventError('event carries no schedule and appointment');
  return { schedule, appointment };
}

function notice(
  schedule: Schedule,
  appointment: Appointment,
  actor: string | null,
  reason: string | null,
): AppointmentNotice {
  return {
    appointmentId: appointment.id,
    scheduleId: schedule.id,
    referralId: appointment.referralId || null,
    pool: kebab(Pool[appointment.pool]),
    status: kebab(AppointmentStatus[appointment.status]),
    kind: kebab(ResourceKind[schedule.kind]),
    institutionId: schedule.institutionId,
    departmentId: schedule.departmentId,
    startsAt: schedule.startsAt ? timestampDate(schedule.startsAt).toISOString() : null,
    patientName: appointment.patient?.name ?? '',
    patientInstitutionId: appointment.patientInstitutionId,
    actor,
    reason,
  };
}

/** The providing department, the doctor who booked, and the patient's own institution. */
function appointmentNotification(
  type: AppointmentNotificationType,
  schedule: Schedule,
  appointment: Appointment,
  at: Date,
  actor: string | null,
  reason: string | null,
): MappingResult {
  const scopes = [
    Rooms.department(schedule.institutionId, schedule.departmentId),
    Rooms.institution(appointment.patientInstitutionId),
  ];
  const people: Record<string, string> = {};
  if (appointment.bookedBy?.subject) {
    scopes.push(Rooms.user(appointment.bookedBy.subject));
    people[appointment.bookedBy.subject] = appointment.bookedBy.institutionId;
  }
  return notify({
    type,
    subject: { type: 'appointment', id: appointment.id },
    data: notice(schedule, appointment, actor, reason),
    scopes,
    at,
    people,
  });
}

type AppointmentEvent = `countylink.scheduling.appointment-${'booked' | 'cancelled' | 'no-show' | 'attended'}.v1`;

export function appointmentChanged<T extends AppointmentEvent>(type: AppointmentNotificationType): EventMapping<T> {
  return (event) => {
    const { schedule, appointment } = requireBooking(event.payload.schedule, event.payload.appointment);
    const at = event.payload.occurredAt ? timestampDate(event.payload.occurredAt) : event.time;
    return appointmentNotification(
      type,
      schedule,
      appointment,
      at,
      event.payload.actor?.subject ?? null,
      event.payload.reason || null,
    );
  };
}

/** A place freed by a cancellation went to the first waiting referral: tell the doctor who waited. */
export const waitlistOffered: EventMapping<'countylink.scheduling.waitlist-offered.v1'> = (event) => {
  const { schedule, appointment } = requireBooking(event.payload.schedule, event.payload.appointment);
  const result = appointmentNotification(
    'appointment.offered-from-waitlist',
    schedule,
    appointment,
    event.time,
    null,
    null,
  );
  const waiter = event.payload.entry?.requestedBySubject;
  if (waiter) {
    result.notifications[0].scopes.push(Rooms.user(waiter));
    result.notifications[0].people = {
      ...result.notifications[0].people,
      [waiter]: event.payload.entry!.institutionId,
    };
  }
  return result;
};

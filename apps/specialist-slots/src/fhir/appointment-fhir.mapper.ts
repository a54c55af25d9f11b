import type * as fhir4 from 'fhir/r4';
import { COUNTYLINK_SYSTEM } from '@countylink/platform';
import type { AppointmentStatus } from '../appointments/appointment-state-machine';
import type { AppointmentView } from '../appointments/appointment.view';
import type { ScheduleView } from '../schedules/schedule.view';
import { location, poolExtension, practitioner, serviceType, slotId, specialty } from './slot-fhir.mapper';

const STATUS: Record<AppointmentStatus, fhir4.Appointment['status']> = {
  booked: 'booked',
  cancelled: 'cancelled',
  'no-show': 'noshow',
  attended: 'fulfilled',
};

/** The patient's side: a cancelled place was given up; otherwise the patient holds (or held) it. */
const PATIENT_STATUS: Record<AppointmentStatus, fhir4.AppointmentParticipant['status']> = {
  booked: 'accepted',
  cancelled: 'declined',
  'no-show': 'accepted',
  attended: 'accepted',
};

/**
 * An appointment as a FHIR R4 Appointment: its time is the schedule's, its slot the pool it took,
 * `basedOn` the referral (ServiceRequest) it serves. The patient is named by the booking
 * institution's patient id, the system the referral's ServiceRequest uses too.
 */
export function toAppointment(a: AppointmentView & { schedule: ScheduleView }): fhir4.Appointment {
  const s = a.schedule;
  const patient: fhir4.Reference = {
    type: 'Patient',
    identifier: { system: `${COUNTYLINK_SYSTEM}:patient:${a.patient.institutionId}`, value: a.patient.patientId },
    display: a.patient.name,
  };
  const participant: fhir4.AppointmentParticipant[] = [
    { actor: patient, required: 'required', status: PATIENT_STATUS[a.status] },
  ];
  if (s.practitionerId)
    participant.push({ actor: practitioner(s.practitionerId), required: 'required', status: 'accepted' });
  participant.push({ actor: location(s), required: 'required', status: 'accepted' });
  const notes = [
    `${a.pool} pool`,
    a.fromWaitlist ? 'offered from the waitlist' : undefined,
    a.status !== 'cancelled' ? a.reason : undefined,
  ];
  return {
    resourceType: 'Appointment',
    id: a.id,
    meta: { lastUpdated: a.changedAt },
    extension: [poolExtension(a.pool)],
    identifier: [{ system: `${COUNTYLINK_SYSTEM}:appointment`, value: a.id }],
    status: STATUS[a.status],
    cancelationReason: a.status === 'cancelled' ? { text: a.reason ?? 'cancelled' } : undefined,
    serviceType: [serviceType(s)],
    specialty: [specialty(s)],
    start: s.startsAt,
    end: s.endsAt,
    created: a.bookedAt,
    comment: notes.filter((n): n is string => !!n).join('; '),
    basedOn: a.referralId ? [{ reference: `ServiceRequest/${a.referralId}` }] : undefined,
    slot: [{ reference: `Slot/${slotId(s.id, a.pool)}` }],
    participant,
  };
}

import type { ScheduleView } from '../schedules/schedule.view';
import type { Appointment } from './appointment.entity';

/** An appointment as the booking and the providing institution see it. */
export function appointmentView(a: Appointment, schedule?: ScheduleView) {
  return {
    id: a.id,
    scheduleId: a.scheduleId,
    pool: a.pool,
    status: a.status,
    patient: {
      patientId: a.patientId,
      name: a.patientName,
      sex: a.patientSex,
      birthDate: a.patientBirthDate,
      institutionId: a.patientInstitutionId,
    },
    referralId: a.referralId,
    fromWaitlist: a.fromWaitlist,
    bookedBy: { subject: a.bookedBySubject, institutionId: a.patientInstitutionId, roles: a.bookedByRoles },
    bookedAt: a.bookedAt.toISOString(),
    changedAt: a.changedAt.toISOString(),
    reason: a.reason,
    ...(schedule ? { schedule } : {}),
  };
}

export type AppointmentView = ReturnType<typeof appointmentView>;

import { Appointment, Schedule, WaitlistEntry } from '@countylink/contracts';
import { FeedAudience } from '@countylink/messaging';

/**
 * A schedule's events reach the HIS feed of the institution that provides it; an appointment's also
 * reach the institution whose patient it is (the two GET /api/appointments/:id answers), and a
 * waiting referral's its institution. Other institutions browse schedules over HTTP.
 */
export const schedulingFeedAudience: FeedAudience = (_manager, event) => {
  const { schedule, appointment, entry } = event.payload as {
    schedule?: Schedule;
    appointment?: Appointment;
    entry?: WaitlistEntry;
  };
  return [schedule?.institutionId, appointment?.patientInstitutionId, entry?.institutionId];
};

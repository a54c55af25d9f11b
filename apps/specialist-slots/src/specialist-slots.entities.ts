import { KnownMember, MESSAGING_ENTITIES } from '@countylink/messaging';
import { PERSISTENCE_ENTITIES } from '@countylink/persistence';
import { Appointment } from './appointments/appointment.entity';
import { ReferralSnapshot } from './referrals/referral-snapshot.entity';
import { Schedule } from './schedules/schedule.entity';
import { WaitlistEntry } from './waitlist/waitlist-entry.entity';

/** Every table of the `scheduling` schema. */
export const SCHEDULING_ENTITIES = [
  Schedule,
  Appointment,
  WaitlistEntry,
  ReferralSnapshot,
  KnownMember,
  ...MESSAGING_ENTITIES,
  ...PERSISTENCE_ENTITIES,
];

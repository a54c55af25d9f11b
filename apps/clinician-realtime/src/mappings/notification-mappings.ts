import { EventMappings } from './event-mapping';
import { criticalValueRaised, readReported, readStatusChanged } from './diagnosis-mappings';
import { appointmentChanged, waitlistOffered } from './scheduling-mappings';
import { greenChannelAlerted, referralEscalated, referralRequested, referralStatusChanged } from './referral-mappings';

/**
 * Every event the realtime app turns into notifications, and how. The remote-diagnosis and
 * specialist-slots events get their lines here when their types enter the EventCatalog.
 */
export const NOTIFICATION_MAPPINGS: EventMappings = {
  'countylink.referral.requested.v1': referralRequested,
  'countylink.referral.received.v1': referralStatusChanged('referral.received'),
  'countylink.referral.accepted.v1': referralStatusChanged('referral.accepted'),
  'countylink.referral.rejected.v1': referralStatusChanged('referral.rejected'),
  'countylink.referral.arrived.v1': referralStatusChanged('referral.arrived'),
  'countylink.referral.completed.v1': referralStatusChanged('referral.completed'),
  'countylink.referral.cancelled.v1': referralStatusChanged('referral.cancelled'),
  'countylink.referral.escalated.v1': referralEscalated,
  'countylink.referral.green-channel-alerted.v1': greenChannelAlerted,
  'countylink.scheduling.appointment-booked.v1': appointmentChanged('appointment.booked'),
  'countylink.scheduling.appointment-cancelled.v1': appointmentChanged('appointment.cancelled'),
  'countylink.scheduling.appointment-no-show.v1': appointmentChanged('appointment.no-show'),
  'countylink.scheduling.appointment-attended.v1': appointmentChanged('appointment.attended'),
  'countylink.scheduling.waitlist-offered.v1': waitlistOffered,
  'countylink.diagnosis.read-ready.v1': readStatusChanged('read.ready'),
  'countylink.diagnosis.read-claimed.v1': readStatusChanged('read.claimed'),
  'countylink.diagnosis.read-released.v1': readStatusChanged('read.released'),
  'countylink.diagnosis.read-reported.v1': readReported('read.reported'),
  'countylink.diagnosis.report-amended.v1': readReported('read.amended'),
  'countylink.diagnosis.critical-value-raised.v1': criticalValueRaised,
};

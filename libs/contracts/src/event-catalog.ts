import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import {
  CriticalValueRaisedSchema,
  InstanceStoredSchema,
  ReadReportedSchema,
  ReadRequestedSchema,
  ReadStatusChangedSchema,
} from './gen/countylink/diagnosis/v1/diagnosis_events_pb';
import {
  BookAppointmentSchema,
  CancelAppointmentSchema,
  CreateReferralSchema,
  OrderReadSchema,
  PublishScheduleSchema,
  TransitionReferralSchema,
} from './gen/countylink/his/v1/his_commands_pb';
import { CommandAcceptedSchema, CommandRejectedSchema } from './gen/countylink/his/v1/his_results_pb';
import { InstitutionUpsertedSchema, MemberUpsertedSchema } from './gen/countylink/directory/v1/directory_events_pb';
import {
  GreenChannelAlertedSchema,
  ReferralEscalatedSchema,
  ReferralRequestedSchema,
  ReferralStatusChangedSchema,
} from './gen/countylink/referral/v1/referral_events_pb';
import {
  AppointmentChangedSchema,
  ReserveReleasedSchema,
  SchedulePublishedSchema,
  WaitlistJoinedSchema,
  WaitlistOfferedSchema,
} from './gen/countylink/scheduling/v1/scheduling_events_pb';
import {
  AlertAcknowledgedSchema,
  AlertEscalatedSchema,
  AlertRaisedSchema,
} from './gen/countylink/notification/v1/alert_events_pb';
import { HisTopics, Topics } from './topics';

/**
 * Every event that crosses Kafka: its CloudEvents type, the topic it travels on and the protobuf
 * message in `proto/` that is its value. Publishing or consuming a type not listed here fails.
 * HIS commands and results name a per-institution family (HisTopics): each travels on one
 * institution's topic of it, the command on the sender's, the result on the sender's feed.
 */
export const EventCatalog = {
  'countylink.referral.requested.v1': { topic: Topics.referral, schema: ReferralRequestedSchema },
  'countylink.referral.received.v1': { topic: Topics.referral, schema: ReferralStatusChangedSchema },
  'countylink.referral.accepted.v1': { topic: Topics.referral, schema: ReferralStatusChangedSchema },
  'countylink.referral.rejected.v1': { topic: Topics.referral, schema: ReferralStatusChangedSchema },
  'countylink.referral.arrived.v1': { topic: Topics.referral, schema: ReferralStatusChangedSchema },
  'countylink.referral.completed.v1': { topic: Topics.referral, schema: ReferralStatusChangedSchema },
  'countylink.referral.cancelled.v1': { topic: Topics.referral, schema: ReferralStatusChangedSchema },
  'countylink.referral.green-channel-alerted.v1': { topic: Topics.referral, schema: GreenChannelAlertedSchema },
  'countylink.referral.escalated.v1': { topic: Topics.referral, schema: ReferralEscalatedSchema },
  'countylink.directory.institution-upserted.v1': { topic: Topics.directory, schema: InstitutionUpsertedSchema },
  'countylink.directory.member-upserted.v1': { topic: Topics.directory, schema: MemberUpsertedSchema },
  'countylink.his-commands.create-referral.v1': { topic: HisTopics.commands, schema: CreateReferralSchema },
  'countylink.his-commands.transition-referral.v1': { topic: HisTopics.commands, schema: TransitionReferralSchema },
  'countylink.his-commands.publish-schedule.v1': { topic: HisTopics.commands, schema: PublishScheduleSchema },
  'countylink.his-commands.book-appointment.v1': { topic: HisTopics.commands, schema: BookAppointmentSchema },
  'countylink.his-commands.cancel-appointment.v1': { topic: HisTopics.commands, schema: CancelAppointmentSchema },
  'countylink.his-commands.order-read.v1': { topic: HisTopics.commands, schema: OrderReadSchema },
  'countylink.his-results.command-accepted.v1': { topic: HisTopics.feed, schema: CommandAcceptedSchema },
  'countylink.his-results.command-rejected.v1': { topic: HisTopics.feed, schema: CommandRejectedSchema },
  'countylink.scheduling.schedule-published.v1': { topic: Topics.scheduling, schema: SchedulePublishedSchema },
  'countylink.scheduling.appointment-booked.v1': { topic: Topics.scheduling, schema: AppointmentChangedSchema },
  'countylink.scheduling.appointment-cancelled.v1': { topic: Topics.scheduling, schema: AppointmentChangedSchema },
  'countylink.scheduling.appointment-no-show.v1': { topic: Topics.scheduling, schema: AppointmentChangedSchema },
  'countylink.scheduling.appointment-attended.v1': { topic: Topics.scheduling, schema: AppointmentChangedSchema },
  'countylink.scheduling.reserve-released.v1': { topic: Topics.scheduling, schema: ReserveReleasedSchema },
  'countylink.scheduling.waitlist-joined.v1': { topic: Topics.scheduling, schema: WaitlistJoinedSchema },
  'countylink.scheduling.waitlist-offered.v1': { topic: Topics.scheduling, schema: WaitlistOfferedSchema },
  'countylink.notification.alert-raised.v1': { topic: Topics.notification, schema: AlertRaisedSchema },
  'countylink.notification.alert-escalated.v1': { topic: Topics.notification, schema: AlertEscalatedSchema },
  'countylink.notification.alert-acknowledged.v1': { topic: Topics.notification, schema: AlertAcknowledgedSchema },
  'countylink.diagnosis.instance-stored.v1': { topic: Topics.diagnosis, schema: InstanceStoredSchema },
  'countylink.diagnosis.read-requested.v1': { topic: Topics.diagnosis, schema: ReadRequestedSchema },
  'countylink.diagnosis.read-ready.v1': { topic: Topics.diagnosis, schema: ReadStatusChangedSchema },
  'countylink.diagnosis.read-claimed.v1': { topic: Topics.diagnosis, schema: ReadStatusChangedSchema },
  'countylink.diagnosis.read-released.v1': { topic: Topics.diagnosis, schema: ReadStatusChangedSchema },
  'countylink.diagnosis.read-reported.v1': { topic: Topics.diagnosis, schema: ReadReportedSchema },
  'countylink.diagnosis.report-amended.v1': { topic: Topics.diagnosis, schema: ReadReportedSchema },
  'countylink.diagnosis.critical-value-raised.v1': { topic: Topics.diagnosis, schema: CriticalValueRaisedSchema },
} as const satisfies Record<string, { topic: string; schema: DescMessage }>;

export type EventType = keyof typeof EventCatalog;
/** The commands an HIS sends on its countylink.his-commands.v1.<institution> topic. */
export type HisCommandType = Extract<EventType, `countylink.his-commands.${string}`>;
export type EventPayload<T extends EventType> = MessageShape<(typeof EventCatalog)[T]['schema']>;

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EventCatalog, type);
}

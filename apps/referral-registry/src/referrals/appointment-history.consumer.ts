import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { EntityManager } from 'typeorm';
import { EventType, Pool, ResourceKind } from '@countylink/contracts';
import { AppMessaging, ConsumedEvent, InvalidEventError } from '@countylink/messaging';
import { isUuid } from '@countylink/platform';
import { Referral } from './referral.entity';
import { writeHistory } from './referral-history.writer';

const KIND: Record<ResourceKind, string> = {
  [ResourceKind.UNSPECIFIED]: 'place',
  [ResourceKind.CLINIC_SESSION]: 'clinic session',
  [ResourceKind.WARD_BEDS]: 'ward bed',
  [ResourceKind.EXAM]: 'exam',
};

const logger = new Logger('AppointmentHistoryConsumer');

type AppointmentEvent =
  | ConsumedEvent<'countylink.scheduling.appointment-booked.v1'>
  | ConsumedEvent<'countylink.scheduling.appointment-cancelled.v1'>;

/**
 * Records appointments booked or cancelled for a referral (by the specialist-slots app) in the
 * referral's history, so the referral shows where and when the patient is expected.
 */
async function record(
  action: 'appointment-booked' | 'appointment-cancelled',
  event: AppointmentEvent,
  manager: EntityManager,
): Promise<void> {
  const { appointment, schedule, actor, reason } = event.payload;
  if (!appointment || !schedule) throw new InvalidEventError('appointment event without appointment or schedule');
  if (!appointment.referralId) return; // also skipped before the transaction: see forNoReferral
  if (!isUuid(appointment.referralId))
    throw new InvalidEventError(`referral id ${appointment.referralId} is not a referral id`);
  const referral = await manager.findOneBy(Referral, { id: appointment.referralId });
  // Deployments may share a cluster (KAFKA_GROUP_PREFIX): a referral this registry never had is not its to record.
  if (!referral)
    return logger.warn(
      { referralId: appointment.referralId, eventId: event.id },
      'appointment for an unknown referral; not recorded',
    );
  const what = `${KIND[schedule.kind]} ${schedule.departmentId}${schedule.modality ? ` ${schedule.modality}` : ''}`;
  const when = schedule.startsAt ? timestampDate(schedule.startsAt).toISOString() : 'unknown time';
  const pool = appointment.pool === Pool.RESERVED ? 'reserved' : 'general';
  await writeHistory(manager, referral, {
    action,
    fromStatus: referral.status,
    actor: {
      subject: actor?.subject || 'system',
      institutionId: actor?.institutionId || null,
      roles: actor?.roles ?? [],
    },
    reason: `${what} at ${when} (${pool} pool), appointment ${appointment.id}${reason ? `: ${reason}` : ''}`,
    at: event.time,
  });
}

/** A well-formed appointment event without a referral has no history to write (most bookings: HIS, walk-in). */
function forNoReferral(event: ConsumedEvent<EventType>): boolean {
  const { appointment, schedule } = event.payload as AppointmentEvent['payload'];
  return !!appointment && !!schedule && !appointment.referralId;
}

@Injectable()
export class AppointmentHistoryConsumer implements OnModuleInit {
  constructor(private readonly messaging: AppMessaging) {}

  onModuleInit(): void {
    this.messaging.addConsumer({
      groupId: 'referral-registry.appointments',
      changesNothing: forNoReferral,
      handlers: {
        'countylink.scheduling.appointment-booked.v1': (event, manager) => record('appointment-booked', event, manager),
        'countylink.scheduling.appointment-cancelled.v1': (event, manager) =>
          record('appointment-cancelled', event, manager),
      },
    });
  }
}

import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Direction, Referral, Sex, Status } from '@countylink/contracts';
import { AppMessaging, EventHandlers, InvalidEventError } from '@countylink/messaging';
import { isUuid } from '@countylink/platform';
import type { ReferralStatus } from '../appointments/booking-rules';
import { ReferralSnapshotRepository } from './referral-snapshot.repository';

const STATUS: Partial<Record<Status, ReferralStatus>> = {
  [Status.REQUESTED]: 'requested',
  [Status.RECEIVED]: 'received',
  [Status.ACCEPTED]: 'accepted',
  [Status.REJECTED]: 'rejected',
  [Status.ARRIVED]: 'arrived',
  [Status.COMPLETED]: 'completed',
  [Status.CANCELLED]: 'cancelled',
};
const SEX = { [Sex.MALE]: 'male', [Sex.FEMALE]: 'female', [Sex.OTHER]: 'other', [Sex.UNSPECIFIED]: 'unknown' } as const;

async function keep(
  snapshots: ReferralSnapshotRepository,
  referral: Referral | undefined,
  manager: EntityManager,
): Promise<void> {
  const status = referral ? STATUS[referral.status] : undefined;
  if (!referral || !isUuid(referral.id) || !status || !referral.patient)
    throw new InvalidEventError('referral event without a usable referral');
  const direction =
    referral.direction === Direction.UP ? 'up' : referral.direction === Direction.DOWN ? 'down' : undefined;
  if (!direction) throw new InvalidEventError(`referral ${referral.id} has no direction`);
  const updatedAt = referral.updatedAt ? timestampDate(referral.updatedAt) : new Date();
  await snapshots.upsertIfNewer(manager, {
    id: referral.id,
    status,
    direction,
    patientId: referral.patient.patientId,
    patientName: referral.patient.name,
    patientSex: SEX[referral.patient.sex] ?? 'unknown',
    patientBirthDate: referral.patient.birthDate || null,
    fromInstitutionId: referral.fromInstitutionId,
    fromPractitionerId: referral.fromPractitionerId,
    toInstitutionId: referral.toInstitutionId,
    toDepartmentId: referral.toDepartmentId || null,
    version: referral.version,
    updatedAt,
  });
}

/** This app learns which referrals are open, to whom and for which patient, only from referral events. */
@Injectable()
export class ReferralSnapshotConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: AppMessaging,
    private readonly snapshots: ReferralSnapshotRepository,
  ) {}

  onModuleInit(): void {
    /** Every referral event carries the referral as it is after the change. */
    const onReferral = async (event: { payload: { referral?: Referral } }, manager: EntityManager) =>
      keep(this.snapshots, event.payload.referral, manager);
    const handlers: EventHandlers = {
      'countylink.referral.requested.v1': onReferral,
      'countylink.referral.received.v1': onReferral,
      'countylink.referral.accepted.v1': onReferral,
      'countylink.referral.rejected.v1': onReferral,
      'countylink.referral.arrived.v1': onReferral,
      'countylink.referral.completed.v1': onReferral,
      'countylink.referral.cancelled.v1': onReferral,
    };
    this.messaging.addConsumer({ groupId: 'specialist-slots.referrals', handlers });
  }
}
